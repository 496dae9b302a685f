//! Sign-in throttling (staff, and the parties' desk), kept in the database so it holds across instances: per account
//! ([`ACCOUNT_MAX`] attempts that did not succeed within [`WINDOW_MS`]; at the parties' desk per
//! subject and client network) and per client network ([`CLIENT_MAX`]). Each attempt is counted before the password is checked, in one atomic
//! statement that also refuses it while the key is locked, so parallel guesses get no more tries
//! than sequential ones; a success takes its own count back. Past the limit the key is locked
//! for [`LOCK_MS`] and the answer says when to try again.

use portal_core::time::now_ms;

use crate::{
    db::Db,
    error::{AppError, AppResult},
};

/// Attempts per account within the window.
pub const ACCOUNT_MAX: i64 = 5;
/// Attempts per client network within the window (several people may share an office's address).
pub const CLIENT_MAX: i64 = 20;
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
/// Rounds of counting one key while a success elsewhere keeps deleting its row; past them the
/// attempt is refused as busy rather than looping.
const COUNT_ROUNDS: usize = 4;

/// The keys one sign-in attempt counts against, with their limits.
pub struct Attempt {
    keys: [(String, i64); 2],
}

impl Attempt {
    pub fn new(username: &str, client_key: &str) -> Attempt {
        Attempt {
            keys: [
                (
                    format!("account:{}", username.trim().to_lowercase()),
                    ACCOUNT_MAX,
                ),
                (format!("client:{client_key}"), CLIENT_MAX),
            ],
        }
    }

    /// A party's sign-in at the parties' desk: per subject and client network (a keyed hash of
    /// their identifier and of the network, so an access code cannot be guessed more than
    /// [`ACCOUNT_MAX`] times a window from one network, while someone guessing from elsewhere
    /// cannot lock the party out — a known identifier is no secret) and per client network,
    /// counted apart from staff sign-ins.
    pub fn party(subject_key: &str, client_key: &str) -> Attempt {
        Attempt {
            keys: [
                (format!("party:{subject_key}:{client_key}"), ACCOUNT_MAX),
                (format!("party-client:{client_key}"), CLIENT_MAX),
            ],
        }
    }

    /// Counts the attempt against every key; refuses it (429 with the time to try again) when a
    /// key is locked or this attempt is past its limit.
    pub async fn count(&self, db: &Db) -> AppResult<()> {
        let now = now_ms();
        for (key, max) in &self.keys {
            // A success elsewhere may delete the key's row between the refused upsert and the
            // read of its lock: then this attempt is counted afresh on the next round.
            let mut counted = None;
            for _ in 0..COUNT_ROUNDS {
                let n: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO signin_failures (key, failures, window_start, locked_until) \
                     VALUES ($1, 1, $2, 0) \
                     ON CONFLICT (key) DO UPDATE SET \
                       failures = CASE WHEN signin_failures.window_start <= $3 \
                         OR signin_failures.locked_until > 0 THEN 1 ELSE signin_failures.failures + 1 END, \
                       window_start = CASE WHEN signin_failures.window_start <= $3 \
                         OR signin_failures.locked_until > 0 THEN $2 ELSE signin_failures.window_start END, \
                       locked_until = 0 \
                     WHERE signin_failures.locked_until <= $2 \
                     RETURNING CAST(failures AS BIGINT)",
                )
                .bind(key)
                .bind(now)
                .bind(now - WINDOW_MS)
                .fetch_optional(&db.pool)
                .await?;
                if n.is_some() {
                    counted = n;
                    break;
                }
                let until: Option<i64> =
                    sqlx::query_scalar("SELECT locked_until FROM signin_failures WHERE key = $1")
                        .bind(key)
                        .fetch_optional(&db.pool)
                        .await?;
                if let Some(until) = until.filter(|&until| until > now) {
                    return Err(locked(until, now));
                }
            }
            let Some(n) = counted else {
                return Err(AppError::Busy { retry_after: 1 });
            };
            if n >= *max {
                let until = now + LOCK_MS;
                sqlx::query(
                    "UPDATE signin_failures SET locked_until = $1 WHERE key = $2 AND locked_until = 0",
                )
                .bind(until)
                .bind(key)
                .execute(&db.pool)
                .await?;
                if n > *max {
                    return Err(locked(until, now));
                }
            }
        }
        Ok(())
    }

    /// A successful sign-in: the account starts afresh, and the client's count loses this attempt.
    pub async fn succeeded(&self, db: &Db) -> Result<(), sqlx::Error> {
        let [(account, _), (client, _)] = &self.keys;
        sqlx::query("DELETE FROM signin_failures WHERE key = $1")
            .bind(account)
            .execute(&db.pool)
            .await?;
        sqlx::query(
            "UPDATE signin_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0 \
             AND locked_until = 0",
        )
        .bind(client)
        .execute(&db.pool)
        .await?;
        Ok(())
    }
}

fn locked(until: i64, now: i64) -> AppError {
    // The minute shown is the one the lock ends in, rounded up: trying at HH:MM always works.
    let shown = portal_core::time::beijing_hh_mm(until + 59_999);
    AppError::SigninLocked {
        retry_after: ((until - now) / 1000).max(1) as u64,
        until: shown,
    }
}
