-- What a tipster adds to a tip later, with its tracking code and PIN: more text and evidence
-- files, each addition with a signed receipt of its own. The text is sealed with the data key
-- (context `addition:{key_hash}`); its files join the tip's files in tip_files, numbered on
-- from the tip's last (first_file .. first_file + files - 1). key_hash is the SHA-256 of the
-- addition's Idempotency-Key, so a retry stores nothing twice.
CREATE TABLE tip_additions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tip_id BIGINT NOT NULL REFERENCES tips (id),
    key_hash TEXT NOT NULL UNIQUE,
    at BIGINT NOT NULL,
    sealed TEXT NOT NULL,
    first_file INTEGER NOT NULL,
    files INTEGER NOT NULL,
    receipt_payload TEXT NOT NULL,
    receipt_signature TEXT NOT NULL,
    receipt_key_id TEXT NOT NULL
);
CREATE INDEX tip_additions_tip ON tip_additions (tip_id, at);
