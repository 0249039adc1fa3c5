-- A cancel asked for while a step runs (on this instance or another); the runner takes it at the next step boundary.
-- Kept apart from the release record so that the runner's saves of the record cannot overwrite it.

CREATE TABLE cancel_requests (
    release_id BIGINT PRIMARY KEY,
    requested_by TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);

-- Handled chat updates are forgotten after a week (long past any platform's redelivery); this finds the old ones.
CREATE INDEX processed_updates_by_age ON processed_updates (at);
