-- Partners embed the credit check or call the partner API (DESIGN §7.4).
CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    -- SHA-256 of the secret API key; the key itself is shown once and never stored.
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    -- Shared with the partner for hashed identifiers (HMAC-SHA256 of the normalised ID).
    id_hmac_secret TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE partner_origins (
    partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    PRIMARY KEY (partner_id, origin)
);

-- Every check a partner makes: who, for what purpose, when, about whom (a hash, never the ID)
-- and the answer.
CREATE TABLE partner_checks (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX partner_checks_partner ON partner_checks (partner_id, created_at);
