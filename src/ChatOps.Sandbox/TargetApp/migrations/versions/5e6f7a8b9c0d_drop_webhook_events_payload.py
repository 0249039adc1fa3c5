"""drop webhook_events.payload

Revision ID: 5e6f7a8b9c0d
Revises: 4d5e6f7a8b9c
"""
from alembic import op
import sqlalchemy as sa

revision = "5e6f7a8b9c0d"
down_revision = "4d5e6f7a8b9c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Destructive: the column's data is gone, and a downgrade brings back only an empty column.
    op.drop_column("webhook_events", "payload")


def downgrade() -> None:
    op.add_column("webhook_events", sa.Column("payload", sa.Text, nullable=True))
