-- Incidents per environment, opened from chat or the incident tool's webhook. At most one is open per environment,
-- enforced here, so two instances (or a webhook and a person) opening one at the same moment keep the first.
CREATE TABLE incidents (
    id BIGSERIAL PRIMARY KEY,
    environment TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT,
    opened_by TEXT NOT NULL,
    source TEXT NOT NULL,
    external_id TEXT,
    opened_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolved_by TEXT);
CREATE UNIQUE INDEX one_open_incident_per_environment ON incidents(environment) WHERE resolved_at IS NULL;
