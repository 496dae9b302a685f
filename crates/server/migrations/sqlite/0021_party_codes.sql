-- An access code given to one party only: the keyed hash of each code without its subject, so
-- an import can refuse a code that another party holds. Rows imported before have none (only
-- the per-subject hash was kept, and the code cannot be recovered from it).
ALTER TABLE case_parties ADD COLUMN code_fingerprint TEXT;
CREATE INDEX case_parties_code ON case_parties (code_fingerprint);
