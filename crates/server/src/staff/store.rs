//! Staff accounts and their sessions. Passwords are Argon2id hashes; sessions are random tokens of
//! which only a SHA-256 digest is stored.

use anyhow::Context;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use portal_core::time::now_ms;
use portal_core::{api::StaffSession, ErrorCode, Invalid};
use sha2::{Digest, Sha256};

use crate::{
    db::Db,
    hashing::{hash_password, verify_password},
};

/// How long a staff sign-in lasts at most.
pub const SESSION_HOURS: i64 = 8;
/// A session unused this long ends.
pub const IDLE_MINUTES: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Reviewer,
    Editor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::Editor => "editor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Admin, Role::Reviewer, Role::Editor]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// Checks a new account's fields; the same rules apply to every way an account is made.
pub fn validate_new_account(
    username: &str,
    court: &str,
    password: &str,
) -> Result<(), (&'static str, Invalid)> {
    let ok_name = (3..=32).contains(&username.chars().count())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    if !ok_name {
        return Err((
            "username",
            Invalid::new(
                ErrorCode::InvalidValue,
                "用户名须为 3–32 位字母、数字或 _ - .",
                "The username must be 3–32 letters, digits or _ - .",
            ),
        ));
    }
    if court.trim().is_empty() {
        return Err(("court", Invalid::missing()));
    }
    if password.chars().count() < 10 {
        return Err((
            "password",
            Invalid::new(
                ErrorCode::InvalidValue,
                "密码至少需要 10 个字符",
                "The password needs at least 10 characters",
            ),
        ));
    }
    Ok(())
}

/// Creates an account; fails with a clear message if the username is taken.
pub async fn add(
    db: &Db,
    username: &str,
    court: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<()> {
    if let Err((field, invalid)) = validate_new_account(username, court, password) {
        anyhow::bail!("{field}: {}", invalid.en);
    }
    let hash = hash_password(password)?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM staff WHERE username = $1")
        .bind(username)
        .fetch_optional(&db.pool)
        .await?;
    if taken.is_some() {
        anyhow::bail!("the username {username} is already taken");
    }
    sqlx::query("INSERT INTO staff (username, password_hash, court, role, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(username)
        .bind(hash)
        .bind(court.trim())
        .bind(role.as_str())
        .bind(now_ms())
        .execute(&db.pool)
        .await
        .context("cannot store the account")?;
    Ok(())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An account as sign-in needs it.
pub struct Account {
    pub id: i64,
    pub password_hash: String,
    pub court: String,
    pub role: String,
}

pub async fn account(db: &Db, username: &str) -> Result<Option<Account>, sqlx::Error> {
    let row: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, password_hash, court, role FROM staff WHERE username = $1")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(id, password_hash, court, role)| Account {
        id,
        password_hash,
        court,
        role,
    }))
}

/// Whether `password` is the account's; for an unknown username a real hash is checked all the
/// same, so response times do not tell which usernames exist. Argon2 is slow on purpose: call
/// this on the heavy-work pool.
pub fn password_matches(account: Option<&Account>, password: &str) -> bool {
    match account {
        Some(a) => verify_password(password, &a.password_hash),
        None => {
            let _ = verify_password(password, &DUMMY_HASH);
            false
        }
    }
}

/// Opens a session for the account; returns its token (only a hash of it is stored).
pub async fn open_session(db: &Db, staff_id: i64) -> Result<String, sqlx::Error> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_ms();
    sqlx::query("DELETE FROM staff_sessions WHERE expires_at < $1 OR last_seen < $2")
        .bind(now)
        .bind(now - IDLE_MINUTES * 60_000)
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at, last_seen) VALUES ($1, $2, $3, $4, $3)")
        .bind(token_hash(&token))
        .bind(staff_id)
        .bind(now)
        .bind(now + SESSION_HOURS * 3600 * 1000)
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// The staff member a session token belongs to, if it is neither expired nor idle for
/// [`IDLE_MINUTES`]; each use keeps it alive.
pub async fn session(db: &Db, token: &str) -> anyhow::Result<Option<StaffSession>> {
    let now = now_ms();
    let staff_id: Option<i64> = sqlx::query_scalar(
        "UPDATE staff_sessions SET last_seen = $2 \
         WHERE token_hash = $1 AND expires_at > $2 AND last_seen > $3 RETURNING staff_id",
    )
    .bind(token_hash(token))
    .bind(now)
    .bind(now - IDLE_MINUTES * 60_000)
    .fetch_optional(&db.pool)
    .await?;
    let Some(staff_id) = staff_id else {
        return Ok(None);
    };
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT username, court, role FROM staff WHERE id = $1")
            .bind(staff_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(username, court, role)| StaffSession {
        username,
        court,
        role,
    }))
}

pub async fn logout(db: &Db, token: &str) -> anyhow::Result<()> {
    sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// A real Argon2id hash, checked against for unknown usernames so that they cost the same time.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not-a-real-password").expect("hashing works"));

/// Records a failed sign-in under the username tried (and the account's court when it exists),
/// so an administrator sees guessing; the client's address is not recorded.
pub async fn audit_failed_signin(
    db: &Db,
    username: &str,
    court: Option<&str>,
) -> Result<(), sqlx::Error> {
    let username: String = username.trim().chars().take(64).collect();
    sqlx::query(
        "INSERT INTO staff_audit (at, staff, court, action, target, detail) VALUES ($1, $2, $3, $4, $5, NULL)",
    )
    .bind(now_ms())
    .bind(&username)
    .bind(court.unwrap_or(""))
    .bind("signin.failed")
    .bind(format!("staff:{username}"))
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Records what a staff member did or saw (`staff_audit`): status changes, views of a tipster's
/// contact details or of original evidence, publications.
pub async fn audit(
    db: &Db,
    who: &StaffSession,
    action: &str,
    target: &str,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO staff_audit (at, staff, court, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now_ms())
    .bind(&who.username)
    .bind(&who.court)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// What staff did or saw of `target` (e.g. `tip:7`), newest first (at most 200): time, staff
/// member, action, detail.
pub async fn audit_trail(
    db: &Db,
    target: &str,
) -> Result<Vec<(i64, String, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, staff, action, detail FROM staff_audit WHERE target = $1 ORDER BY at DESC, id DESC LIMIT 200",
    )
    .bind(target)
    .fetch_all(&db.pool)
    .await
}
