-- What runs in each environment, its deploy freeze, and the chat updates already handled.

CREATE TABLE deployed_services (
    environment TEXT NOT NULL,
    service TEXT NOT NULL,
    tag TEXT NOT NULL,
    image TEXT NOT NULL,
    release_id BIGINT,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (environment, service)
);

CREATE TABLE environment_migrations (
    environment TEXT PRIMARY KEY,
    revision TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

CREATE TABLE environment_locks (
    environment TEXT PRIMARY KEY,
    locked_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    until TIMESTAMPTZ
);

CREATE TABLE processed_updates (
    platform TEXT NOT NULL,
    update_id TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, update_id)
);
