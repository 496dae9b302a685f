-- Notices: one row per subject in one case (DESIGN §7.2). Dates are ISO text so that both
-- databases compare them the same way; instants are Unix milliseconds.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number TEXT NOT NULL,
    court TEXT NOT NULL,
    province TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    id_number TEXT NOT NULL,
    legal_representative TEXT,
    basis_number TEXT NOT NULL,
    basis_issuer TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    obligation TEXT NOT NULL,
    performance TEXT NOT NULL,
    behaviour TEXT,
    lists TEXT NOT NULL,
    published_on TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (case_number, id_number)
);
CREATE INDEX notices_name_norm ON notices (name_norm);
CREATE INDEX notices_id_number ON notices (id_number);
CREATE INDEX notices_updated_at ON notices (updated_at);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    court TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Only a hash of the session token is stored: a leaked database cannot be replayed as cookies.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
