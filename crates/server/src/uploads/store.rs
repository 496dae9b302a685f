//! Every query over the `uploads` and `upload_parts` tables: one row per tus upload from its
//! creation to its claim by a tip (after which it remembers the evidence it became), and one row
//! per durable piece of its bytes.

use crate::db::Db;

/// `uploads.content_type` of a finished upload whose bytes are no evidence type.
pub const UNSUPPORTED: &str = "unsupported";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub id: String,
    pub length: i64,
    pub received: i64,
    pub filename: String,
    pub content_type: Option<String>,
    pub claimed_by: Option<String>,
    pub sha256: Option<String>,
    pub original_key: Option<String>,
    pub display_key: Option<String>,
}

impl UploadRow {
    pub fn is_finished(&self) -> bool {
        self.received == self.length
    }
}

const COLUMNS: &str = "id, length, received, filename, content_type, claimed_by, sha256, \
    original_key, display_key";

pub async fn create(
    db: &Db,
    id: &str,
    length: i64,
    filename: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO uploads (id, length, received, filename, created_at, expires_at) \
         VALUES ($1, $2, 0, $3, $4, $5)",
    )
    .bind(id)
    .bind(length)
    .bind(filename)
    .bind(now)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An upload that is claimed or has not expired.
pub async fn get(db: &Db, id: &str, now: i64) -> Result<Option<UploadRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM uploads \
         WHERE id = $1 AND (claimed_by IS NOT NULL OR expires_at > $2)"
    ))
    .bind(id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await
}

/// Records the durably stored part `[start, end)` and moves the upload's offset from `start` to
/// `end`, in one transaction; false (and nothing recorded) if the offset is no longer `start`
/// — another request for the same upload got there first.
pub async fn add_part(
    db: &Db,
    id: &str,
    start: i64,
    end: i64,
    object_key: &str,
    expires_at: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE uploads SET received = $1, expires_at = $2 \
         WHERE id = $3 AND received = $4 AND claimed_by IS NULL",
    )
    .bind(end)
    .bind(expires_at)
    .bind(id)
    .bind(start)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO upload_parts (upload_id, start_offset, end_offset, object_key) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(start)
    .bind(end)
    .bind(object_key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// The storage keys of an upload's parts, in order.
pub async fn parts(db: &Db, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT object_key FROM upload_parts WHERE upload_id = $1 ORDER BY start_offset",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
}

/// Records the type the bytes of a finished upload showed.
pub async fn set_type(db: &Db, id: &str, content_type: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE uploads SET content_type = $1 WHERE id = $2 AND claimed_by IS NULL")
        .bind(content_type)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// What a claim made of an upload.
pub struct Claimed<'a> {
    pub owner: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub original_key: &'a str,
    pub display_key: Option<&'a str>,
    pub now: i64,
}

/// Marks a finished, unclaimed upload as claimed by `c.owner`; false if it was claimed already
/// (or is gone).
pub async fn claim(db: &Db, id: &str, c: &Claimed<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE uploads SET claimed_by = $1, claimed_at = $2, content_type = $3, sha256 = $4, \
         original_key = $5, display_key = $6 \
         WHERE id = $7 AND claimed_by IS NULL AND received = length",
    )
    .bind(c.owner)
    .bind(c.now)
    .bind(c.content_type)
    .bind(c.sha256)
    .bind(c.original_key)
    .bind(c.display_key)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an unclaimed upload (its parts go with it); false if there is none.
pub async fn delete(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM uploads WHERE id = $1 AND claimed_by IS NULL")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes unclaimed uploads past their expiry; returns their ids so their bytes can go too.
pub async fn expire(db: &Db, now: i64) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "DELETE FROM uploads WHERE claimed_by IS NULL AND expires_at <= $1 RETURNING id",
    )
    .bind(now)
    .fetch_all(&db.pool)
    .await
}

/// Marks claimed uploads as kept, in the transaction that stores the submission they belong to;
/// an upload claimed but never kept is swept a day later ([`expire_unused_claims`]).
pub async fn keep(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ids: &[&str],
    at: i64,
) -> Result<(), sqlx::Error> {
    for id in ids {
        sqlx::query("UPDATE uploads SET kept_at = $1 WHERE id = $2 AND claimed_by IS NOT NULL")
            .bind(at)
            .bind(*id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Deletes uploads claimed before `claimed_before` and never kept — their submission never
/// committed — and returns each one's id and evidence keys.
pub async fn expire_unused_claims(
    db: &Db,
    claimed_before: i64,
) -> Result<Vec<(String, [Option<String>; 2])>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "DELETE FROM uploads WHERE claimed_by IS NOT NULL AND claimed_at <= $1 \
         AND kept_at IS NULL \
         RETURNING id, original_key, display_key",
    )
    .bind(claimed_before)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, original, display)| (id, [original, display]))
        .collect())
}

/// The bytes unclaimed, unexpired uploads announced in all, and when the first of them expires.
pub async fn staged(db: &Db, now: i64) -> Result<(i64, Option<i64>), sqlx::Error> {
    sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(length), 0) AS BIGINT), MIN(expires_at) FROM uploads \
         WHERE claimed_by IS NULL AND expires_at > $1",
    )
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// Whether `id` is an upload whose staged bytes are still needed (one not claimed yet).
pub async fn is_staged(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE id = $1 AND claimed_by IS NULL")
            .bind(id)
            .fetch_one(&db.pool)
            .await?;
    Ok(n > 0)
}
