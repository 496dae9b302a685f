-- Images in articles: only the server's re-encoded copy (a JPEG of the pixels: no EXIF, GPS or
-- camera data), served at /media/{id}.jpg and cached for good (an id never changes content).
CREATE TABLE article_images (
    id TEXT PRIMARY KEY,
    bytes BLOB NOT NULL,
    staff_court TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
