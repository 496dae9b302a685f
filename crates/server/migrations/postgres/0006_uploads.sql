-- Evidence uploads over tus 1.0 (DESIGN §7.5). The bytes live in the upload store (a folder of
-- the data directory or an S3-compatible bucket); these tables say what is there. No client
-- address is stored.
--
-- An upload is unfinished while received < length, finished when they are equal, and claimed
-- once a tip has taken it as evidence (claimed_by set). Unclaimed uploads are deleted at
-- expires_at, which every stored part pushes back; claimed ones stay, and keep what the claim
-- made of them, so a retried tip submission gets the same evidence back.
CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    length BIGINT NOT NULL,
    received BIGINT NOT NULL,
    filename TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- Decided by the first bytes once finished: a MIME type, or 'unsupported'.
    content_type TEXT,
    claimed_by TEXT,
    claimed_at BIGINT,
    sha256 TEXT,
    original_key TEXT,
    display_key TEXT
);
CREATE INDEX uploads_expiry ON uploads (expires_at) WHERE claimed_by IS NULL;

-- The durable pieces of an upload, in order: each PATCH stores what arrives in parts of about
-- 1 MiB and records each here in the same transaction that moves uploads.received on.
CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    start_offset BIGINT NOT NULL,
    end_offset BIGINT NOT NULL,
    object_key TEXT NOT NULL,
    PRIMARY KEY (upload_id, start_offset)
);
