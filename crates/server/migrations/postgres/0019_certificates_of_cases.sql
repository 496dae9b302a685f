-- A certificate can be applied for in every stage (DESIGN §3): an application names the party's
-- case from the court's system (a 民初 case before enforcement has no notice), the notice it is
-- about, or both.
ALTER TABLE certificate_applications ADD COLUMN case_id BIGINT REFERENCES cases (id);
CREATE INDEX certificate_applications_case ON certificate_applications (case_id);
CREATE INDEX certificate_applications_notice ON certificate_applications (notice_id);
