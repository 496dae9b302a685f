//! Every query over `wechat_credentials`.

use crate::db::Db;

/// A credential as stored: its value and when it expires (Unix ms; 0 before the first fetch).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credential {
    pub value: String,
    pub expires_at: i64,
}

pub async fn credential(
    db: &Db,
    app_id: &str,
    kind: &str,
) -> Result<Option<Credential>, sqlx::Error> {
    sqlx::query_as(
        "SELECT value, expires_at FROM wechat_credentials WHERE app_id = $1 AND kind = $2",
    )
    .bind(app_id)
    .bind(kind)
    .fetch_optional(&db.pool)
    .await
}

/// Takes the right to refresh `kind` until `until` (Unix ms), unless another instance holds it
/// now: true for exactly one caller among instances racing for it.
pub async fn take_refresh(
    db: &Db,
    app_id: &str,
    kind: &str,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "INSERT INTO wechat_credentials (app_id, kind, value, expires_at, refreshing_until) \
         VALUES ($1, $2, '', 0, 0) ON CONFLICT (app_id, kind) DO NOTHING",
    )
    .bind(app_id)
    .bind(kind)
    .execute(&db.pool)
    .await?;
    let taken = sqlx::query(
        "UPDATE wechat_credentials SET refreshing_until = $3 \
         WHERE app_id = $1 AND kind = $2 AND refreshing_until < $4",
    )
    .bind(app_id)
    .bind(kind)
    .bind(until)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Stores a fresh value (or, with `expires_at` 0, forgets a refused one) and ends the refresh.
pub async fn store(
    db: &Db,
    app_id: &str,
    kind: &str,
    value: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO wechat_credentials (app_id, kind, value, expires_at, refreshing_until) \
         VALUES ($1, $2, $3, $4, 0) ON CONFLICT (app_id, kind) \
         DO UPDATE SET value = $3, expires_at = $4, refreshing_until = 0",
    )
    .bind(app_id)
    .bind(kind)
    .bind(value)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Ends a refresh that failed, so that the next request tries again at once.
pub async fn release(db: &Db, app_id: &str, kind: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE wechat_credentials SET refreshing_until = 0 WHERE app_id = $1 AND kind = $2",
    )
    .bind(app_id)
    .bind(kind)
    .execute(&db.pool)
    .await?;
    Ok(())
}
