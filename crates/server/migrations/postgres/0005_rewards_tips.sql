-- Reward notices (悬赏公告), entered by court staff from a creditor's written application
-- (DESIGN §3, §7.5). `withdrawn` and `deleted` rows stay as history but leave every public
-- answer; a row past its deadline is shown as expired without being rewritten.
CREATE TABLE rewards (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_number TEXT NOT NULL,
    court TEXT NOT NULL,
    province TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    amount BIGINT,
    percent INTEGER,
    cap BIGINT,
    conditions TEXT NOT NULL,
    asset_kinds TEXT NOT NULL,
    deadline TEXT NOT NULL,
    insurer TEXT,
    contact TEXT NOT NULL,
    published_on TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX rewards_public ON rewards (status, province, deadline);

-- Asset tips. What the tipster wrote (description, place, date seen, contact) is sealed with the
-- data key (keys.rs); the tracking code is kept only as a peppered Argon2id hash (to find the
-- tip again) and the PIN as an Argon2id hash. No client address is stored.
CREATE TABLE tips (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    court TEXT NOT NULL,
    reward_id BIGINT REFERENCES rewards (id),
    notice_id BIGINT REFERENCES notices (id),
    -- SHA-256 of the subject's ID: groups tips on the same debtor for the first-come view.
    subject_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    sealed TEXT NOT NULL,
    has_contact INTEGER NOT NULL,
    tracking_hash TEXT NOT NULL UNIQUE,
    pin_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    content_sha256 TEXT NOT NULL,
    receipt_payload TEXT NOT NULL,
    receipt_signature TEXT NOT NULL,
    receipt_key_id TEXT NOT NULL,
    assigned_to TEXT,
    failed_pins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tips_queue ON tips (court, status, received_at);
CREATE INDEX tips_subject ON tips (subject_key, kind, received_at);

-- The status timeline the tipster sees, with the court's messages.
CREATE TABLE tip_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tip_id BIGINT NOT NULL REFERENCES tips (id),
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    message TEXT,
    actor TEXT
);
CREATE INDEX tip_events_tip ON tip_events (tip_id, at);

-- Evidence files of a tip, in the order the tipster gave them (see uploads/).
CREATE TABLE tip_files (
    tip_id BIGINT NOT NULL REFERENCES tips (id),
    n INTEGER NOT NULL,
    upload_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    original_key TEXT NOT NULL,
    display_key TEXT,
    PRIMARY KEY (tip_id, n)
);

-- Idempotency of submissions: a retry with the same Idempotency-Key gets the first answer
-- (sealed: it holds the PIN) and stores nothing new.
CREATE TABLE tip_submissions (
    key_hash TEXT PRIMARY KEY,
    tip_id BIGINT NOT NULL REFERENCES tips (id),
    answer TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- What staff did and saw: every status change, every view of a tipster's contact or of an
-- original file.
CREATE TABLE staff_audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    staff TEXT NOT NULL,
    court TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX staff_audit_target ON staff_audit (target, at);
