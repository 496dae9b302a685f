-- The partner change feed's position is (change_seq, id). Every transaction that writes notices
-- first takes the next value of this one-row clock, and the row lock it holds until commit makes
-- writers commit in clock order: a reader that sees sequence N has already seen every N' < N.
-- (A timestamp taken when a transaction starts gives no such order, so a slow import could
-- commit rows behind a partner's cursor.)
CREATE TABLE change_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value BIGINT NOT NULL
);

-- Existing rows keep their old position: their update time, so cursors already handed out as
-- "updated_at.id" stay valid; new sequence values continue above them.
ALTER TABLE notices ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
UPDATE notices SET change_seq = updated_at;
INSERT INTO change_clock (id, value) SELECT 1, COALESCE(MAX(updated_at), 0) FROM notices;
CREATE INDEX notices_change ON notices (change_seq, id);
