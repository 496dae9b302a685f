//! Work that runs once across every instance: the instance whose insert of `(job, tick)` into
//! `job_runs` succeeds runs the job for that tick, the others find the row taken and skip. What a
//! job has done so far (a watermark) lives in `job_state` and moves in the same transaction as
//! the job's own writes ([`set_state`]), so a job interrupted half-way runs again from where it
//! stood. Both tables belong to this module; the schedule is `crate::jobs`.

use super::Db;
use portal_core::time::now_ms;

/// How long `job_runs` rows are kept (they only need to outlive the tick they claim).
const KEEP_RUNS_MS: i64 = 7 * 86_400_000;

/// Claims `job` for `tick`: true for exactly one caller across every instance.
pub async fn claim(db: &Db, job: &str, tick: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO job_runs (job, tick, at) VALUES ($1, $2, $3) ON CONFLICT (job, tick) DO NOTHING",
    )
    .bind(job)
    .bind(tick)
    .bind(now_ms())
    .execute(&db.pool)
    .await?
    .rows_affected()
        == 1)
}

/// A job's watermark, if it has one.
pub async fn state(db: &Db, job: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM job_state WHERE job = $1")
        .bind(job)
        .fetch_optional(&db.pool)
        .await
}

/// Moves a job's watermark, inside the transaction of the job's own writes.
pub async fn set_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    job: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO job_state (job, value) VALUES ($1, $2) \
         ON CONFLICT (job) DO UPDATE SET value = excluded.value",
    )
    .bind(job)
    .bind(value)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes claims old enough that no instance can still be on their tick.
pub async fn prune(db: &Db) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM job_runs WHERE at < $1")
        .bind(now_ms() - KEEP_RUNS_MS)
        .execute(&db.pool)
        .await?
        .rows_affected())
}
