-- The bot's own tables. Applied once, in a transaction, under the migration advisory lock.

CREATE TABLE releases (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    environment TEXT NOT NULL,
    kind TEXT NOT NULL,
    tag TEXT NOT NULL,
    state TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    requester TEXT NOT NULL,
    bot_version TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- The whole record (steps, outputs) as written by ReleaseJson; the columns above are what queries filter on.
    record JSONB NOT NULL
);

-- One active release per environment, enforced by the database so that two bot instances cannot both start one.
CREATE UNIQUE INDEX one_active_release_per_environment ON releases (environment) WHERE active;
CREATE INDEX releases_by_environment ON releases (environment, id);

-- The audit trail. No foreign key to releases: an event is kept whatever it refers to.
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release_id BIGINT,
    environment TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    detail TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE INDEX events_by_release ON events (release_id, id);
CREATE INDEX events_by_environment ON events (environment, id);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on events is refused', TG_OP;
END;
$$;

CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_are_append_only();

-- Opaque button tokens; using one voids the other tokens of its gate.
CREATE TABLE action_tokens (
    token TEXT PRIMARY KEY,
    release_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    gate TEXT NOT NULL,
    plan_hash TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    used_by TEXT
);

CREATE INDEX action_tokens_by_gate ON action_tokens (release_id, gate);
