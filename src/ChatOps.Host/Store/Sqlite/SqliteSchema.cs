namespace ChatOps.Host.Store.Sqlite;

/// <summary>The embedded store's schema, in numbered steps applied once each.</summary>
internal static class SqliteSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE releases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            environment TEXT NOT NULL,
            kind TEXT NOT NULL,
            tag TEXT NOT NULL,
            state TEXT NOT NULL,
            active INTEGER NOT NULL,
            requester TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            record TEXT NOT NULL);
        -- One active release per environment, enforced here rather than in memory.
        CREATE UNIQUE INDEX one_active_release_per_environment ON releases(environment) WHERE active = 1;
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            release_id INTEGER,
            environment TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            from_state TEXT,
            to_state TEXT,
            detail TEXT NOT NULL,
            at INTEGER NOT NULL);
        CREATE INDEX events_by_release ON events(release_id, id);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TABLE action_tokens (
            token TEXT PRIMARY KEY,
            release_id INTEGER NOT NULL,
            action TEXT NOT NULL,
            gate TEXT NOT NULL,
            plan_hash TEXT,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,
            used_by TEXT);
        CREATE INDEX action_tokens_by_release ON action_tokens(release_id);
        CREATE TABLE deployed_services (
            environment TEXT NOT NULL,
            service TEXT NOT NULL,
            tag TEXT NOT NULL,
            image TEXT NOT NULL,
            release_id INTEGER,
            at INTEGER NOT NULL,
            PRIMARY KEY (environment, service));
        CREATE TABLE environment_migrations (environment TEXT PRIMARY KEY, revision TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE TABLE environment_locks (
            environment TEXT PRIMARY KEY,
            locked_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            at INTEGER NOT NULL,
            until INTEGER);
        CREATE TABLE processed_updates (platform TEXT NOT NULL, update_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (platform, update_id));
        """,
        """
        CREATE TABLE release_leases (release_id INTEGER PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
        """,
        """
        CREATE TABLE cancel_requests (release_id INTEGER PRIMARY KEY, requested_by TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX processed_updates_by_age ON processed_updates(at);
        """,
        """
        ALTER TABLE cancel_requests ADD COLUMN intent TEXT NOT NULL DEFAULT 'Cancel';
        """,
        """
        ALTER TABLE releases ADD COLUMN rolled_back_by INTEGER;
        """,
    ];
}
