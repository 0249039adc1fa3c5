-- The rollback that undoes a release, written in the same transaction that starts the rollback. Beside the record,
-- so the undone release's own saves (its runner still holds it) never erase the mark.
ALTER TABLE releases ADD COLUMN rolled_back_by BIGINT;
