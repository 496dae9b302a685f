-- Lookup groups a name's notices by subject and filters by visibility: this index answers it
-- without touching the table rows.
DROP INDEX notices_name_norm;
CREATE INDEX notices_lookup ON notices (name_norm, id_number, status, published_on);
