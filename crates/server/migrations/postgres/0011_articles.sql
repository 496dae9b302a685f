-- Publicity articles (DESIGN §7.7): Markdown as staff wrote it, the sanitised HTML made from it
-- once, and its plain text (summaries, the feed). Public while `published` or `scheduled` and
-- `publish_at` has passed. `staff_court` is the court whose editors may change it.
CREATE TABLE articles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT,
    markdown TEXT NOT NULL,
    html TEXT NOT NULL,
    plain TEXT NOT NULL,
    court TEXT,
    province TEXT,
    status TEXT NOT NULL,
    publish_at BIGINT,
    staff_court TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX articles_public ON articles (status, publish_at);
