//! The PINs that let a member of the public follow what they sent — a tip, a certificate
//! application — with the code they were given. Wrong PINs count per code; from the
//! [`MAX_FAILED`]-th in a row the code is locked for [`LOCK_SECS`] (429 with `Retry-After`), the
//! right PIN included, so a code cannot be guessed through. This module writes only the lock
//! columns (`failed_pins`, `locked_until`) of the tables `tips` and `certificates` own.

use crate::{
    db::Db,
    error::{AppError, AppResult},
    hashing::verify_secret,
};
use portal_core::time::now_ms;

/// Wrong PINs in a row before a code is locked.
pub const MAX_FAILED: i32 = 5;
/// How long a locked code stays locked.
pub const LOCK_SECS: i64 = 15 * 60;

/// The table that holds a code's row (each with `pin_hash`, `failed_pins`, `locked_until`).
#[derive(Debug, Clone, Copy)]
pub enum Holder {
    Tips,
    CertificateApplications,
}

impl Holder {
    fn table(self) -> &'static str {
        match self {
            Holder::Tips => "tips",
            Holder::CertificateApplications => "certificate_applications",
        }
    }
}

/// What of a row [`check`] needs.
pub struct Locked<'a> {
    pub id: i64,
    pub pin_hash: &'a str,
}

/// Checks `pin` against the row: `Ok` for the right PIN (which clears the count of wrong ones),
/// `wrong()` for a wrong one, 429 while the code is locked.
///
/// The attempt is counted before the PIN is looked at, in one atomic statement that also refuses
/// it while the code is locked: however many guesses arrive at once, on however many instances,
/// at most [`MAX_FAILED`] of them are ever evaluated before the lock. A lock that has run out
/// starts a new series.
pub async fn check(
    db: &Db,
    holder: Holder,
    row: Locked<'_>,
    pin: String,
    wrong: fn() -> AppError,
) -> AppResult<()> {
    let now = now_ms();
    let table = holder.table();
    let counted: Option<i64> = sqlx::query_scalar(&format!(
        "UPDATE {table} SET \
           failed_pins = CASE WHEN locked_until > 0 THEN 1 ELSE failed_pins + 1 END, \
           locked_until = CASE WHEN locked_until = 0 AND failed_pins + 1 >= $1 THEN $2 ELSE 0 END \
         WHERE id = $3 AND locked_until <= $4 RETURNING CAST(failed_pins AS BIGINT)"
    ))
    .bind(MAX_FAILED)
    .bind(now + LOCK_SECS * 1000)
    .bind(row.id)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    if counted.is_none() {
        let locked_until: i64 =
            sqlx::query_scalar(&format!("SELECT locked_until FROM {table} WHERE id = $1"))
                .bind(row.id)
                .fetch_one(&db.pool)
                .await?;
        return Err(AppError::RateLimited {
            retry_after: ((locked_until - now) / 1000).max(1) as u64,
        });
    }
    let pin_hash = row.pin_hash.to_owned();
    let right = verify_secret(pin, pin_hash).await?;
    if !right {
        return Err(wrong());
    }
    sqlx::query(&format!(
        "UPDATE {table} SET failed_pins = 0, locked_until = 0 WHERE id = $1"
    ))
    .bind(row.id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
