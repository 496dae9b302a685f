-- The creditor's word on a certificate application: the applicant passes a confirmation code to
-- the creditor (申请执行人), who confirms or disputes the performance before a deadline; without an
-- answer the court decides on the evidence. The code is stored as its peppered Argon2id hash.
ALTER TABLE certificate_applications ADD COLUMN creditor_code_hash TEXT;
ALTER TABLE certificate_applications ADD COLUMN creditor_deadline BIGINT;
ALTER TABLE certificate_applications ADD COLUMN creditor_answer TEXT;
ALTER TABLE certificate_applications ADD COLUMN creditor_note TEXT;
ALTER TABLE certificate_applications ADD COLUMN creditor_answered_at BIGINT;
CREATE UNIQUE INDEX certificate_applications_creditor ON certificate_applications (creditor_code_hash);
