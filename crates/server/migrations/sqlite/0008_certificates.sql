-- Self-performance certificates (自动履行证明书, DESIGN §7.6): applications, the certificates
-- courts issue, and every online verification of one (the subject sees who verified it).

CREATE TABLE certificate_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Peppered Argon2id of the application code; the code itself is never stored.
    code_hash TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    court TEXT NOT NULL,
    notice_id BIGINT REFERENCES notices (id),
    case_number TEXT NOT NULL,
    name TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    -- As the payload carries it: the masked ID's 14 visible characters, or the credit code.
    payload_id TEXT NOT NULL,
    -- The full ID number and the phone, sealed with the data key (context application:{code_hash}).
    sealed TEXT NOT NULL,
    stage TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    performed_on TEXT NOT NULL,
    honour_consent INTEGER NOT NULL,
    -- pending, issued or refused.
    status TEXT NOT NULL,
    reason TEXT,
    decided_by TEXT,
    failed_pins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX certificate_applications_queue ON certificate_applications (court, status, created_at);

-- serial is the number in the payload; the certificate number is it plus a check digit.
CREATE TABLE certificates (
    serial INTEGER PRIMARY KEY AUTOINCREMENT,
    application_id BIGINT NOT NULL REFERENCES certificate_applications (id),
    court TEXT NOT NULL,
    key_id TEXT NOT NULL,
    -- base64url of the payload bytes and of the court's Ed25519 signature over them.
    payload TEXT NOT NULL,
    signature TEXT NOT NULL,
    -- valid, revoked or superseded.
    status TEXT NOT NULL,
    reason TEXT,
    superseded_by BIGINT,
    issued_at BIGINT NOT NULL,
    changed_at BIGINT,
    honour_consent INTEGER NOT NULL
);
CREATE INDEX certificates_application ON certificates (application_id);

CREATE TABLE certificate_verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial BIGINT NOT NULL REFERENCES certificates (serial),
    at BIGINT NOT NULL,
    -- qr, number or partner.
    channel TEXT NOT NULL,
    partner TEXT
);
CREATE INDEX certificate_verifications_serial ON certificate_verifications (serial, at);
