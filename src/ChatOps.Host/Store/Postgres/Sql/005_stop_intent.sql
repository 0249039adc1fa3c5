-- A stop request is either a cancel or an abort that rolls back what the release moved (/rollback while it runs).
ALTER TABLE cancel_requests ADD COLUMN intent TEXT NOT NULL DEFAULT 'Cancel';
