//! Every query over the `exposures` table.

use crate::db::Db;

/// One entry: the notice, the court that put it there, its note.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExposureRow {
    pub notice_id: i64,
    pub exposure_court: String,
    pub note: Option<String>,
    pub added_by: String,
    pub added_at: i64,
}

const COLUMNS: &str = "notice_id, exposure_court, note, added_by, added_at";

/// Every entry (at most 2,000), newest first; `court` narrows to one court's.
pub async fn entries(db: &Db, court: Option<&str>) -> Result<Vec<ExposureRow>, sqlx::Error> {
    match court {
        Some(c) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM exposures WHERE exposure_court = $1 ORDER BY added_at DESC, notice_id DESC LIMIT 2000"
            ))
            .bind(c)
            .fetch_all(&db.pool)
            .await
        }
        None => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM exposures ORDER BY added_at DESC, notice_id DESC LIMIT 2000"
            ))
            .fetch_all(&db.pool)
            .await
        }
    }
}

/// Puts a notice on the board (or replaces its note).
pub async fn add(
    db: &Db,
    notice_id: i64,
    court: &str,
    note: Option<&str>,
    by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO exposures (notice_id, exposure_court, note, added_by, added_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (notice_id) DO UPDATE SET note = excluded.note, added_by = excluded.added_by, added_at = excluded.added_at",
    )
    .bind(notice_id)
    .bind(court)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Takes a court's notice off the board; whether it was there.
pub async fn remove(db: &Db, notice_id: i64, court: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM exposures WHERE notice_id = $1 AND exposure_court = $2")
        .bind(notice_id)
        .bind(court)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
