//! The PINs that let a member of the public follow what they sent — a tip, a certificate
//! application — with the code they were given. Wrong PINs count per code; from the
//! [`MAX_FAILED`]-th in a row the code is locked for [`LOCK_SECS`] (429 with `Retry-After`), the
//! right PIN included, so a code cannot be guessed through. This module writes only the lock
//! columns (`failed_pins`, `locked_until`) of the tables `tips` and `certificates` own.

use crate::{
    clock::now_millis,
    db::Db,
    error::{AppError, AppResult},
    tips::submit::blocking,
};

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
    pub locked_until: i64,
}

/// Checks `pin` against the row: `Ok` for the right PIN (which clears the count of wrong ones),
/// `wrong()` for a wrong one (counted), 429 while the code is locked.
pub async fn check(
    db: &Db,
    holder: Holder,
    row: Locked<'_>,
    pin: String,
    wrong: fn() -> AppError,
) -> AppResult<()> {
    let now = now_millis();
    if row.locked_until > now {
        return Err(AppError::RateLimited {
            retry_after: ((row.locked_until - now) / 1000).max(1) as u64,
        });
    }
    let pin_hash = row.pin_hash.to_owned();
    let right = blocking(move || Ok(crate::staff::store::verify_password(&pin, &pin_hash))).await?;
    let table = holder.table();
    if !right {
        sqlx::query(&format!(
            "UPDATE {table} SET failed_pins = failed_pins + 1, \
             locked_until = CASE WHEN failed_pins + 1 >= $1 THEN $2 ELSE locked_until END WHERE id = $3"
        ))
        .bind(MAX_FAILED)
        .bind(now + LOCK_SECS * 1000)
        .bind(row.id)
        .execute(&db.pool)
        .await?;
        return Err(wrong());
    }
    sqlx::query(&format!(
        "UPDATE {table} SET failed_pins = 0, locked_until = 0 WHERE id = $1 AND failed_pins > 0"
    ))
    .bind(row.id)
    .execute(&db.pool)
    .await?;
    Ok(())
}
