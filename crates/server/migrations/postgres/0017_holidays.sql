-- The State Council's holiday arrangements imported with `import holidays` (DESIGN §7.8), on top
-- of the years the portal ships in core: one row per day made a day off (`holiday`) or a weekend
-- day made a working day (`workday`). A date has one kind; an import that contradicts a stored
-- or built-in day is refused whole, so rows are only ever added.
CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
