//! Scheduled work that runs once per tick across every instance: each instance wakes every
//! [`TICK`]; for each job, the one whose insert of `(job, tick)` into `job_runs` succeeds runs it,
//! the others find the row taken and skip. What a job has done so far (a watermark) lives in
//! `job_state` and moves in the same transaction as the job's own writes, so a job interrupted
//! half-way runs again from where it stood.

use std::time::Duration;

use crate::{clock::now_millis, db::Db, guesses, http::AppState, notices, uploads};

/// How often every instance looks for due work, unless configured otherwise.
pub const TICK: Duration = Duration::from_secs(60);
/// How long `job_runs` rows are kept (they only need to outlive the tick they claim).
const KEEP_RUNS_MS: i64 = 7 * 86_400_000;

/// Claims `job` for `tick`: true for exactly one caller across every instance.
pub async fn claim(db: &Db, job: &str, tick: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "INSERT INTO job_runs (job, tick, at) VALUES ($1, $2, $3) ON CONFLICT (job, tick) DO NOTHING",
    )
    .bind(job)
    .bind(tick)
    .bind(now_millis())
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

/// This process's name in `instance_keys`.
static INSTANCE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("i-{}", crate::keys::random_digits(12)));

/// Every job, once per tick across the instances. Jobs due every n ticks run when the tick
/// number is a multiple of n. Each instance first reports the data key it seals with (reading the
/// key file again if it changed), which `keys reseal --drop-old` checks.
pub async fn run_once(state: &AppState, tick: i64) {
    let db = &state.db;
    if let Err(e) = state.keys.get().report_in_use(db, &INSTANCE).await {
        tracing::warn!(error = %format!("{e:#}"), "cannot report the data key in use");
    }
    let jobs: [(&str, i64); 4] = [
        (notices::store::ANNOUNCE_JOB, 1),
        ("sweep-uploads", 10),
        ("sweep-guesses", 60),
        ("prune-job-runs", 1440),
    ];
    for (job, every) in jobs {
        if tick.rem_euclid(every) != 0 {
            continue;
        }
        match claim(db, job, tick).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, job, "cannot claim the job");
                continue;
            }
        }
        let outcome: anyhow::Result<u64> = match job {
            notices::store::ANNOUNCE_JOB => notices::store::announce_published(db).await,
            "sweep-uploads" => uploads::sweep(state)
                .await
                .map(|n| n as u64)
                .map_err(Into::into),
            "sweep-guesses" => guesses::sweep(db).await.map_err(Into::into),
            _ => sqlx::query("DELETE FROM job_runs WHERE at < $1")
                .bind(now_millis() - KEEP_RUNS_MS)
                .execute(&db.pool)
                .await
                .map(|r| r.rows_affected())
                .map_err(Into::into),
        };
        match outcome {
            Ok(0) => {}
            Ok(n) => tracing::info!(job, n, "job done"),
            Err(e) => tracing::warn!(error = %format!("{e:#}"), job, "job failed"),
        }
    }
}

/// Runs the jobs every `tick` ([`TICK`] in production) until the server stops. Instances agree
/// on tick numbers because they count from the Unix epoch.
pub async fn run_forever(state: AppState, tick: Duration) {
    let mut ticks = tokio::time::interval(tick);
    loop {
        ticks.tick().await;
        run_once(&state, now_millis() / tick.as_millis() as i64).await;
    }
}
