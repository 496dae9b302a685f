//! The schedule: which job runs how often. Every instance wakes every [`TICK`] and runs each due
//! job that it claims for that tick ([`crate::db::jobs`]: exactly one instance wins a claim).

use portal_core::time::now_ms;
use std::time::Duration;

use crate::{
    certificates, checks, db, guesses, notices, parties, partners, state::AppState, uploads,
};

/// How often every instance looks for due work, unless configured otherwise.
pub const TICK: Duration = Duration::from_secs(60);
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
    let jobs: [(&str, i64); 6] = [
        (notices::store::ANNOUNCE_JOB, 1),
        ("sweep-uploads", 10),
        ("sweep-guesses", 60),
        ("sweep-party-sessions", 60),
        ("purge-checks", 1440),
        ("prune-job-runs", 1440),
    ];
    for (job, every) in jobs {
        if tick.rem_euclid(every) != 0 {
            continue;
        }
        match db::jobs::claim(db, job, tick).await {
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
            "sweep-party-sessions" => {
                parties::store::sweep_sessions(db, now_ms(), now_ms() - parties::IDLE_MS)
                    .await
                    .map_err(Into::into)
            }
            "purge-checks" => purge_checks(db).await,
            _ => db::jobs::prune(db).await.map_err(Into::into),
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
        run_once(&state, now_ms() / tick.as_millis() as i64).await;
    }
}

/// "Who checked me" keeps 6 months (DESIGN §7.8): older partner checks and certificate looks
/// are deleted, once a day across the instances.
pub async fn purge_checks(db: &db::Db) -> anyhow::Result<u64> {
    let before = now_ms() - checks::CHECKS_KEPT_MS;
    Ok(partners::store::purge_checks_before(db, before).await?
        + certificates::store::purge_verifications_before(db, before).await?)
}
