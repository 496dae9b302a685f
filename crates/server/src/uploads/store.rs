//! Every query over the `uploads` table: one row per tus upload, from creation to its claim by a
//! tip (after which the row remembers the evidence file it became, so a retried claim returns it).

use crate::{clock::now_millis, db::Db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub id: String,
    pub length: i64,
    pub received: i64,
    pub filename: String,
    pub expires_at: i64,
    pub status: String,
    pub content_type: Option<String>,
    pub sha256: Option<String>,
    pub original_key: Option<String>,
    pub display_key: Option<String>,
}

const COLUMNS: &str = "id, length, received, filename, expires_at, status, content_type, sha256, \
    original_key, display_key";

pub async fn create(
    db: &Db,
    id: &str,
    length: i64,
    filename: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO uploads (id, length, received, filename, created_at, expires_at, status) \
         VALUES ($1, $2, 0, $3, $4, $5, 'partial')",
    )
    .bind(id)
    .bind(length)
    .bind(filename)
    .bind(now_millis())
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// An upload that has not expired (claimed ones never expire).
pub async fn get(db: &Db, id: &str) -> Result<Option<UploadRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM uploads WHERE id = $1 AND (status = 'claimed' OR expires_at > $2)"
    ))
    .bind(id)
    .bind(now_millis())
    .fetch_optional(&db.pool)
    .await
}

/// Records that the bytes up to `received` are durably stored; false if the offset moved under
/// us (a concurrent PATCH of the same upload).
pub async fn advance(db: &Db, id: &str, from: i64, received: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE uploads SET received = $1 WHERE id = $2 AND received = $3 AND status = 'partial'",
    )
    .bind(received)
    .bind(id)
    .bind(from)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a finished upload as evidence: the stored keys, type and digest.
pub async fn claimed(
    db: &Db,
    id: &str,
    content_type: &str,
    sha256: &str,
    original_key: &str,
    display_key: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE uploads SET status = 'claimed', content_type = $1, sha256 = $2, original_key = $3, \
         display_key = $4 WHERE id = $5",
    )
    .bind(content_type)
    .bind(sha256)
    .bind(original_key)
    .bind(display_key)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

pub async fn delete(db: &Db, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM uploads WHERE id = $1 AND status = 'partial'")
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes unclaimed uploads past their expiry; returns their ids so their bytes can go too.
pub async fn expire(db: &Db, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM uploads WHERE status = 'partial' AND expires_at <= $1")
            .bind(now)
            .fetch_all(&db.pool)
            .await?;
    sqlx::query("DELETE FROM uploads WHERE status = 'partial' AND expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(ids)
}
