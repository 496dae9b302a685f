//! Partners (banks, bidding platforms, employers) and their checks.
//!
//! A partner has a public id (in embed snippets), a secret API key (shown once; only its SHA-256
//! is stored), the origins allowed to frame the embed, a declared purpose, and a secret for
//! hashed identifiers. Every check is written to the audit log with a hash of the subject.

use anyhow::{bail, Context};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use hmac::{Hmac, Mac};
use portal_core::time::now_ms;
use sha2::Sha256;

use crate::{
    db::{
        hot::Value,
        journal::{Record, Val},
        Db,
    },
    hashing::sha256_hex,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub purpose: String,
    pub id_hmac_secret: String,
    pub active: bool,
    pub origins: Vec<String>,
}

/// What `partner add` and `partner rotate` hand over, once.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub partner_id: String,
    pub api_key: String,
    pub id_hmac_secret: String,
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// A check's id: `ck_`, the time in milliseconds (12 hex digits) and 32 bits of a counter this
/// instance starts at a random value. Ids in time order make the audit log's inserts append at the
/// end of its index: with random ids every audited check dirtied its own index page, and at 400
/// batches a second SQLite wrote several megabytes of WAL per commit. The counter, not 32 random
/// bits per id, tells apart the checks of one millisecond: random bits collided now and then
/// within a batch of 100 (a birthday chance of one in 860,000 per batch), and the batch failed.
fn check_id(now_ms: i64) -> String {
    static NEXT: std::sync::OnceLock<std::sync::atomic::AtomicU32> = std::sync::OnceLock::new();
    let next = NEXT
        .get_or_init(|| std::sync::atomic::AtomicU32::new(OsRng.next_u32()))
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("ck_{:012x}{next:08x}", now_ms & 0xFFFF_FFFF_FFFF)
}

/// HMAC-SHA256 of a canonical identifier with the partner's secret, in lowercase hex: what a
/// partner sends instead of a plain ID number, and what the change feed reports.
pub fn id_hmac(secret: &str, canonical_id: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(canonical_id.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// An origin as browsers send it: scheme, host and optional port, nothing else.
pub fn normalize_origin(input: &str) -> anyhow::Result<String> {
    let s = input.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = s
        .split_once("://")
        .context("an origin looks like https://bank.example")?;
    if scheme != "https" && scheme != "http" {
        bail!("an origin must start with https:// (or http:// for local testing): {input}");
    }
    let valid_host = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !valid_host {
        bail!("an origin has no path, query or spaces: {input}");
    }
    Ok(format!("{scheme}://{rest}"))
}

pub async fn add(
    db: &Db,
    name: &str,
    origins: &[String],
    purpose: &str,
) -> anyhow::Result<Credentials> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        bail!("--name must be 1–100 characters");
    }
    if purpose.trim().is_empty() || purpose.chars().count() > 200 {
        bail!("--purpose must be 1–200 characters");
    }
    if origins.is_empty() {
        bail!("give at least one --origin the embed may be shown on");
    }
    let origins = origins
        .iter()
        .map(|o| normalize_origin(o))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let creds = Credentials {
        partner_id: format!("pt_{}", random_hex(6)),
        api_key: format!("pk_{}", random_hex(24)),
        id_hmac_secret: format!("hs_{}", random_hex(24)),
    };
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO partners (id, name, purpose, key_hash, key_prefix, id_hmac_secret, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)",
    )
    .bind(&creds.partner_id)
    .bind(name.trim())
    .bind(purpose.trim())
    .bind(sha256_hex(&creds.api_key))
    .bind(&creds.api_key[..7])
    .bind(&creds.id_hmac_secret)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    for origin in &origins {
        sqlx::query("INSERT INTO partner_origins (partner_id, origin) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&creds.partner_id)
            .bind(origin)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(creds)
}

/// An update of an active partner that changed no row means there is no such active partner.
fn require_active(changed: u64, id: &str) -> anyhow::Result<()> {
    if changed == 0 {
        bail!("no active partner with id {id}");
    }
    Ok(())
}

/// Issues a new API key; the old one stops working at once.
pub async fn rotate(db: &Db, id: &str) -> anyhow::Result<String> {
    let key = format!("pk_{}", random_hex(24));
    let changed = sqlx::query(
        "UPDATE partners SET key_hash = $1, key_prefix = $2 WHERE id = $3 AND status = 'active'",
    )
    .bind(sha256_hex(&key))
    .bind(&key[..7])
    .bind(id)
    .execute(&db.pool)
    .await?
    .rows_affected();
    require_active(changed, id)?;
    Ok(key)
}

/// Revokes a partner: its key, its embed and its hashed identifiers stop working at once.
pub async fn revoke(db: &Db, id: &str) -> anyhow::Result<()> {
    let changed = sqlx::query("UPDATE partners SET status = 'revoked', revoked_at = $1 WHERE id = $2 AND status = 'active'")
        .bind(now_ms())
        .bind(id)
        .execute(&db.pool)
        .await?
        .rows_affected();
    require_active(changed, id)
}

crate::hot_row! {
    #[derive(sqlx::FromRow)]
    struct PartnerRow {
        id: String,
        name: String,
        purpose: String,
        id_hmac_secret: String,
        status: String,
    }
}

/// A partner by key hash or id: read on every partner call, so through the hot path.
async fn load(db: &Db, column: &str, value: &str) -> Result<Option<Partner>, sqlx::Error> {
    let row: Option<PartnerRow> = db
        .hot
        .first(
            format!("SELECT id, name, purpose, id_hmac_secret, status FROM partners WHERE {column} = $1"),
            vec![value.into()],
        )
        .await?;
    let Some(PartnerRow {
        id,
        name,
        purpose,
        id_hmac_secret,
        status,
    }) = row
    else {
        return Ok(None);
    };
    let origins: Vec<Value<String>> = db
        .hot
        .all(
            "SELECT origin AS value FROM partner_origins WHERE partner_id = $1 ORDER BY origin"
                .to_owned(),
            vec![id.as_str().into()],
        )
        .await?;
    Ok(Some(Partner {
        id,
        name,
        purpose,
        id_hmac_secret,
        active: status == "active",
        origins: origins.into_iter().map(|v| v.value).collect(),
    }))
}

/// The active partner an API key belongs to.
pub async fn by_key(db: &Db, api_key: &str) -> Result<Option<Partner>, sqlx::Error> {
    Ok(load(db, "key_hash", &sha256_hex(api_key))
        .await?
        .filter(|p| p.active))
}

/// A partner by public id, active or not (the embed explains a revocation).
pub async fn by_id(db: &Db, id: &str) -> Result<Option<Partner>, sqlx::Error> {
    load(db, "id", id).await
}

pub async fn list(db: &Db) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, status, key_prefix FROM partners ORDER BY created_at")
        .fetch_all(&db.pool)
        .await
}

/// One audited check (the `partner_checks` table), written through the group-committing journal.
#[derive(Debug, Clone)]
pub struct CheckRecord {
    pub id: String,
    pub partner_id: String,
    pub channel: String,
    pub purpose: String,
    pub subject_hash: String,
    pub result: &'static str,
    pub created_at: i64,
}

impl Record for CheckRecord {
    const TABLE: &'static str = "partner_checks";
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "partner_id",
        "channel",
        "purpose",
        "subject_hash",
        "result",
        "created_at",
    ];

    fn values(&self) -> Vec<Val<'_>> {
        vec![
            Val::Text(&self.id),
            Val::Text(&self.partner_id),
            Val::Text(&self.channel),
            Val::Text(&self.purpose),
            Val::Text(&self.subject_hash),
            Val::Text(self.result),
            Val::Int(self.created_at),
        ]
    }
}

/// Writes the audit records of several checks in one transaction (one disk sync for a whole
/// batch) and returns their check ids, in order.
pub async fn audit_many(
    db: &Db,
    partner: &Partner,
    channel: &str,
    purpose: &str,
    checks: &[(String, &'static str)],
) -> Result<Vec<String>, sqlx::Error> {
    let now = now_ms();
    let records: Vec<CheckRecord> = checks
        .iter()
        .map(|(subject_hash, result)| CheckRecord {
            id: check_id(now),
            partner_id: partner.id.clone(),
            channel: channel.to_owned(),
            purpose: purpose.to_owned(),
            subject_hash: subject_hash.clone(),
            result,
            created_at: now,
        })
        .collect();
    let ids = records.iter().map(|r| r.id.clone()).collect();
    db.journal.append(records).await?;
    Ok(ids)
}

/// Writes one audit record and returns the check id given to the partner.
pub async fn audit(
    db: &Db,
    partner: &Partner,
    channel: &str,
    purpose: &str,
    subject_hash: &str,
    result: &'static str,
) -> Result<String, sqlx::Error> {
    let mut ids = audit_many(
        db,
        partner,
        channel,
        purpose,
        &[(subject_hash.to_owned(), result)],
    )
    .await?;
    Ok(ids.pop().expect("one id per check"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_checked() {
        assert_eq!(
            normalize_origin("HTTPS://Bank.Example/").unwrap(),
            "https://bank.example"
        );
        assert_eq!(
            normalize_origin("http://127.0.0.1:8090").unwrap(),
            "http://127.0.0.1:8090"
        );
        for bad in [
            "bank.example",
            "ftp://bank.example",
            "https://bank.example/path",
            "https://",
            "https://a b",
        ] {
            assert!(normalize_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn check_ids_keep_their_form_and_sort_by_time() {
        let (a, b) = (check_id(1_764_000_000_000), check_id(1_764_000_000_001));
        assert!(a < b, "{a} sorts before {b}");
        for id in [&a, &b] {
            assert_eq!(id.len(), 23);
            assert!(id.starts_with("ck_") && id[3..].chars().all(|c| c.is_ascii_hexdigit()));
        }
        let same_ms: std::collections::HashSet<String> =
            (0..100_000).map(|_| check_id(5)).collect();
        assert_eq!(
            same_ms.len(),
            100_000,
            "the counter tells apart every check of one millisecond"
        );
    }

    #[test]
    fn id_hmac_is_rfc4231_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            id_hmac("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}

/// A partner's check of one subject, as the subject sees it: when, how, by which partner, for
/// what — never who at the partner, never an address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectCheck {
    pub created_at: i64,
    pub channel: String,
    pub partner: String,
    pub purpose: String,
}

/// The checks of the subject whose keyed hash is `subject_hash` since `since`, newest first.
pub async fn checks_of_subject(
    db: &Db,
    subject_hash: &str,
    since: i64,
) -> Result<Vec<SubjectCheck>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.created_at, c.channel, p.name AS partner, c.purpose FROM partner_checks c \
         JOIN partners p ON p.id = c.partner_id WHERE c.subject_hash = $1 AND c.created_at >= $2 \
         ORDER BY c.created_at DESC",
    )
    .bind(subject_hash)
    .bind(since)
    .fetch_all(&db.pool)
    .await
}

/// Deletes the audit of checks made before `before` (kept 6 months for their subjects).
pub async fn purge_checks_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM partner_checks WHERE created_at < $1")
            .bind(before)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
