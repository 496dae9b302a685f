//! Staff accounts and their sessions. Passwords are Argon2id hashes; sessions are random tokens of
//! which only a SHA-256 digest is stored.

use anyhow::Context;
use argon2::{
    password_hash::{
        rand_core::OsRng, rand_core::RngCore, PasswordHash, PasswordHasher, PasswordVerifier,
        SaltString,
    },
    Argon2,
};
use portal_core::{api::StaffSession, ErrorCode, Invalid};
use sha2::{Digest, Sha256};

use crate::{clock::now_millis, db::Db};

/// How long a staff sign-in lasts.
pub const SESSION_HOURS: i64 = 8;

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

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
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
        .bind(now_millis())
        .execute(&db.pool)
        .await
        .context("cannot store the account")?;
    Ok(())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks the credentials and opens a session; returns the session token and who signed in.
pub async fn login(
    db: &Db,
    username: &str,
    password: &str,
) -> anyhow::Result<Option<(String, StaffSession)>> {
    let row: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, password_hash, court, role FROM staff WHERE username = $1")
            .bind(username)
            .fetch_optional(&db.pool)
            .await?;
    let Some((id, hash, court, role)) = row else {
        // Spend the same time as a real check so response times do not reveal which usernames exist.
        let _ = verify_password(password, &DUMMY_HASH);
        return Ok(None);
    };
    if !verify_password(password, &hash) {
        return Ok(None);
    }
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = now_millis();
    sqlx::query("DELETE FROM staff_sessions WHERE expires_at < $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(id)
        .bind(now)
        .bind(now + SESSION_HOURS * 3600 * 1000)
        .execute(&db.pool)
        .await?;
    Ok(Some((
        token,
        StaffSession {
            username: username.to_owned(),
            court,
            role,
        },
    )))
}

/// The staff member a session token belongs to, if it is valid and not expired.
pub async fn session(db: &Db, token: &str) -> anyhow::Result<Option<StaffSession>> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT s.username, s.court, s.role FROM staff_sessions t JOIN staff s ON s.id = t.staff_id \
         WHERE t.token_hash = $1 AND t.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now_millis())
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
    .bind(now_millis())
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
