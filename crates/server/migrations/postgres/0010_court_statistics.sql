-- Courts' monthly figures (DESIGN §7.7), imported with `portal-server import statistics FILE`:
-- one row per court and month, replaced when the same court and month are imported again.
-- Amounts are in fen. `province` is the court's, taken from its notices at import.
CREATE TABLE court_statistics (
    court TEXT NOT NULL,
    month TEXT NOT NULL,
    province TEXT NOT NULL,
    pending_start BIGINT NOT NULL,
    received BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    closed_actual BIGINT NOT NULL,
    closed_terminated BIGINT NOT NULL,
    voluntary BIGINT NOT NULL,
    amount_applied BIGINT NOT NULL,
    amount_recovered BIGINT NOT NULL,
    days_total BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (court, month)
);
CREATE INDEX court_statistics_province ON court_statistics (province, month);
CREATE INDEX court_statistics_month ON court_statistics (month);
