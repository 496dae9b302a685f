-- The parties' desk (DESIGN §7.8): the court's cases and their parties, the parties' sessions,
-- declared payments and correction/reconsideration requests with their legal clocks.

-- Courts and the court one level up, which decides reconsiderations.
CREATE TABLE court_parents (
    court TEXT PRIMARY KEY,
    parent TEXT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    court TEXT NOT NULL,
    case_number TEXT NOT NULL,
    stage TEXT NOT NULL,
    obligation TEXT NOT NULL,
    amount_fen BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (court, case_number)
);

-- One party (creditor or debtor) of one case. Only a peppered hash of the access code is kept.
CREATE TABLE case_parties (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    name_norm TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (case_id, subject_id)
);
CREATE INDEX case_parties_subject ON case_parties (subject_id);

-- A signed-in party: only a hash of the session token is stored.
CREATE TABLE party_sessions (
    token_hash TEXT PRIMARY KEY,
    subject_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- A payment a party declares; the creditor confirms or disputes it with a code, the court decides.
CREATE TABLE declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    party_id BIGINT NOT NULL REFERENCES case_parties (id),
    amount_fen BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    creditor_code_hash TEXT NOT NULL UNIQUE,
    creditor_deadline BIGINT NOT NULL,
    creditor_answer TEXT,
    creditor_note TEXT,
    creditor_answered_at BIGINT,
    decided_at BIGINT,
    decided_by TEXT,
    decision_reason TEXT
);
CREATE INDEX declarations_case ON declarations (case_id);

CREATE TABLE declaration_files (
    declaration_id BIGINT NOT NULL REFERENCES declarations (id),
    n INTEGER NOT NULL,
    upload_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    original_key TEXT NOT NULL,
    display_key TEXT,
    PRIMARY KEY (declaration_id, n)
);

-- A correction request (纠正申请) or a reconsideration (复议) of a refused one, with its clocks.
CREATE TABLE party_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    party_subject TEXT NOT NULL,
    party_name TEXT NOT NULL,
    notice_id BIGINT NOT NULL,
    case_number TEXT NOT NULL,
    listing_court TEXT NOT NULL,
    deciding_court TEXT NOT NULL,
    ground TEXT NOT NULL,
    deletion_ground TEXT,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    review_due TEXT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT,
    decision_reason TEXT,
    served_on TEXT,
    window_end TEXT,
    correct_due TEXT,
    corrected_at BIGINT,
    correction_id BIGINT,
    key_hash TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    files INTEGER NOT NULL
);
CREATE INDEX party_requests_subject ON party_requests (party_subject);
CREATE INDEX party_requests_court ON party_requests (deciding_court, status);
-- At most one open request per listing: the second waits for the first's decision.
CREATE UNIQUE INDEX party_requests_open ON party_requests (notice_id, party_subject) WHERE status IN ('received', 'upheld', 'reconsideration_received', 'reconsideration_upheld') AND corrected_at IS NULL;

CREATE TABLE party_request_files (
    request_id BIGINT NOT NULL REFERENCES party_requests (id),
    n INTEGER NOT NULL,
    upload_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    original_key TEXT NOT NULL,
    display_key TEXT,
    PRIMARY KEY (request_id, n)
);

-- When and why a notice left the public lists (a decision of the parties' desk).
ALTER TABLE notices ADD COLUMN deleted_at BIGINT;
ALTER TABLE notices ADD COLUMN deletion_reason TEXT;
-- When the court confirmed the debtor's performance: the deletion is due 3 working days later.
ALTER TABLE notices ADD COLUMN performed_at BIGINT;

-- "Who checked me": a party's checks by their subject's keyed hash; the 6-month purge by age.
CREATE INDEX partner_checks_subject ON partner_checks (subject_hash, created_at);
CREATE INDEX partner_checks_created ON partner_checks (created_at);
CREATE INDEX certificate_verifications_at ON certificate_verifications (at);
