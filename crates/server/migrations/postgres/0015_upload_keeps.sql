-- An upload a submission has stored for good is marked kept in the submission's own transaction,
-- so the sweep of claims whose submission never committed needs no knowledge of who keeps files
-- (tips today, the parties' declarations and requests next).
ALTER TABLE uploads ADD COLUMN kept_at BIGINT;

UPDATE uploads SET kept_at = claimed_at
WHERE claimed_by IS NOT NULL AND EXISTS (SELECT 1 FROM tip_files f WHERE f.upload_id = uploads.id);
