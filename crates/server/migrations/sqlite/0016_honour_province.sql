-- The province of an application's case (two-digit GB/T 2260 code, '' when its number names
-- none), so that the honour list pages by province in SQL. Rows made before this column are
-- filled in by the server at start (certificates::store::fill_provinces): the province is read
-- from the case number by core's parser, which SQL cannot run.
ALTER TABLE certificate_applications ADD COLUMN province TEXT;
CREATE INDEX certificates_honour ON certificates (status, honour_consent, issued_at);
