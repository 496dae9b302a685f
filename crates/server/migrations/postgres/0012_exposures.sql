-- The exposure board (曝光台): notices a court chose to show. Only the notice's id is kept: the
-- board reads each notice through the public rule, so a notice deleted or no longer listed
-- leaves the board at once without touching this table.
CREATE TABLE exposures (
    notice_id BIGINT PRIMARY KEY,
    exposure_court TEXT NOT NULL,
    note TEXT,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
CREATE INDEX exposures_court ON exposures (exposure_court, added_at);
