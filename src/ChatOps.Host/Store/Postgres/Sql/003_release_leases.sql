-- Which bot instance advances a release, and until when; an expired lease may be taken over.

ALTER TABLE releases
    ADD COLUMN lease_owner TEXT,
    ADD COLUMN lease_expires_at TIMESTAMPTZ;

CREATE INDEX releases_active_by_lease ON releases (lease_expires_at) WHERE active;
