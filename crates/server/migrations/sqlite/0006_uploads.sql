-- Evidence uploads over tus 1.0 (DESIGN §7.5). The bytes live in the upload store (a folder of
-- the data directory); a claimed upload keeps the evidence keys it became, so a retried tip
-- submission finds them again. No client address is stored.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    length BIGINT NOT NULL,
    received BIGINT NOT NULL,
    filename TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    content_type TEXT,
    sha256 TEXT,
    original_key TEXT,
    display_key TEXT
);
CREATE INDEX uploads_expiry ON uploads (status, expires_at);
