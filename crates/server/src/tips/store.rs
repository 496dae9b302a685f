//! Every query over `tips`, `tip_events`, `tip_files` and `tip_submissions`.

use portal_core::time::now_ms;
use portal_core::tip::TipStatus;
use sqlx::{Any, Transaction};

use crate::db::Db;

pub use crate::uploads::KeptFile as NewFile;

/// Everything stored for a new tip.
pub struct NewTip<'a> {
    pub court: &'a str,
    pub reward_id: Option<i64>,
    pub notice_id: Option<i64>,
    pub subject_key: &'a str,
    pub kind: &'a str,
    pub sealed: &'a str,
    pub has_contact: bool,
    pub tracking_hash: &'a str,
    pub pin_hash: &'a str,
    pub received_at: i64,
    pub content_sha256: &'a str,
    pub receipt_payload: &'a str,
    pub receipt_signature: &'a str,
    pub receipt_key_id: &'a str,
    pub files: &'a [NewFile],
}

/// When the oldest tip still waiting for a first answer (status `received`) came in.
pub async fn oldest_unanswered(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT MIN(received_at) FROM tips WHERE status = 'received'")
        .fetch_one(&db.pool)
        .await
}

/// The sealed first answer to an `Idempotency-Key`, and the hash of the request it came with, if
/// the key was seen.
pub async fn answer_for(
    db: &Db,
    key_hash: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT answer, request_hash FROM tip_submissions WHERE key_hash = $1")
        .bind(key_hash)
        .fetch_optional(&db.pool)
        .await
}

/// Stores a tip, its files, its first timeline entry and the submission's sealed answer in one
/// transaction: after commit all of it is there, before it none. `Ok(None)` when a concurrent
/// request with the same key committed first (nothing of this one is stored).
pub async fn insert(
    db: &Db,
    t: &NewTip<'_>,
    key_hash: &str,
    request_hash: &str,
    answer: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let id = insert_tip(&mut tx, t).await?;
    // A concurrent request with the same key waits on the key here until the first commits, then
    // finds it taken and leaves nothing behind.
    let claimed = sqlx::query(
        "INSERT INTO tip_submissions (key_hash, tip_id, answer, created_at, request_hash) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(key_hash)
    .bind(id)
    .bind(answer)
    .bind(t.received_at)
    .bind(request_hash)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    tx.commit().await?;
    Ok(Some(id))
}

async fn insert_tip(tx: &mut Transaction<'static, Any>, t: &NewTip<'_>) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tips (court, reward_id, notice_id, subject_key, kind, sealed, has_contact, tracking_hash, \
         pin_hash, status, received_at, content_sha256, receipt_payload, receipt_signature, receipt_key_id, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received', $10, $11, $12, $13, $14, $10) \
         RETURNING id",
    )
    .bind(t.court)
    .bind(t.reward_id)
    .bind(t.notice_id)
    .bind(t.subject_key)
    .bind(t.kind)
    .bind(t.sealed)
    .bind(i32::from(t.has_contact))
    .bind(t.tracking_hash)
    .bind(t.pin_hash)
    .bind(t.received_at)
    .bind(t.content_sha256)
    .bind(t.receipt_payload)
    .bind(t.receipt_signature)
    .bind(t.receipt_key_id)
    .fetch_one(&mut **tx)
    .await?;
    insert_files(tx, id, 1, t.files).await?;
    sqlx::query("INSERT INTO tip_events (tip_id, at, status) VALUES ($1, $2, 'received')")
        .bind(id)
        .bind(t.received_at)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Adds `files` to the tip `tip_id`, numbered from `first`.
async fn insert_files(
    tx: &mut Transaction<'static, Any>,
    tip_id: i64,
    first: i32,
    files: &[NewFile],
) -> sqlx::Result<()> {
    for (i, f) in files.iter().enumerate() {
        sqlx::query(
            "INSERT INTO tip_files (tip_id, n, upload_id, name, content_type, bytes, sha256, original_key, display_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(tip_id)
        .bind(first + i as i32)
        .bind(&f.upload_id)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.bytes)
        .bind(&f.sha256)
        .bind(&f.original_key)
        .bind(f.display_key.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    let ids: Vec<&str> = files.iter().map(|f| f.upload_id.as_str()).collect();
    crate::uploads::store::keep(tx, &ids, portal_core::time::now_ms()).await
}

/// An addition to a tip, as stored.
pub struct NewAddition<'a> {
    pub tip_id: i64,
    pub key_hash: &'a str,
    pub at: i64,
    pub sealed: &'a str,
    pub receipt_payload: &'a str,
    pub receipt_signature: &'a str,
    pub receipt_key_id: &'a str,
    pub request_hash: &'a str,
    pub files: &'a [NewFile],
}

/// Stores an addition and its files in one transaction; `Ok(false)` when its key was used
/// already (nothing of this one is stored).
pub async fn insert_addition(db: &Db, a: &NewAddition<'_>) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Taking the tip's row first makes concurrent additions to one tip number files in turn.
    sqlx::query("UPDATE tips SET updated_at = $1 WHERE id = $2")
        .bind(a.at)
        .bind(a.tip_id)
        .execute(&mut *tx)
        .await?;
    let last: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(n), 0) FROM tip_files WHERE tip_id = $1")
            .bind(a.tip_id)
            .fetch_one(&mut *tx)
            .await?;
    let first = last as i32 + 1;
    let stored = sqlx::query(
        "INSERT INTO tip_additions (tip_id, key_hash, at, sealed, first_file, files, receipt_payload, \
         receipt_signature, receipt_key_id, request_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(a.tip_id)
    .bind(a.key_hash)
    .bind(a.at)
    .bind(a.sealed)
    .bind(first)
    .bind(a.files.len() as i32)
    .bind(a.receipt_payload)
    .bind(a.receipt_signature)
    .bind(a.receipt_key_id)
    .bind(a.request_hash)
    .execute(&mut *tx)
    .await?;
    if stored.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    insert_files(&mut tx, a.tip_id, first, a.files).await?;
    tx.commit().await?;
    Ok(true)
}

/// An addition to a tip, as read back.
#[derive(Debug, sqlx::FromRow)]
pub struct AdditionRow {
    pub tip_id: i64,
    pub key_hash: String,
    pub at: i64,
    pub sealed: String,
    pub first_file: i32,
    pub files: i32,
    pub receipt_payload: String,
    pub receipt_signature: String,
    pub receipt_key_id: String,
    pub request_hash: Option<String>,
}

const ADDITION_COLUMNS: &str = "tip_id, key_hash, at, sealed, first_file, files, receipt_payload, \
     receipt_signature, receipt_key_id, request_hash";

/// The addition stored under an Idempotency-Key's hash, if any.
pub async fn addition_by_key(db: &Db, key_hash: &str) -> Result<Option<AdditionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ADDITION_COLUMNS} FROM tip_additions WHERE key_hash = $1"
    ))
    .bind(key_hash)
    .fetch_optional(&db.pool)
    .await
}

/// A tip's additions, oldest first.
pub async fn additions(db: &Db, tip_id: i64) -> Result<Vec<AdditionRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ADDITION_COLUMNS} FROM tip_additions WHERE tip_id = $1 ORDER BY at, id"
    ))
    .bind(tip_id)
    .fetch_all(&db.pool)
    .await
}

/// How many evidence files a tip has.
pub async fn file_count(db: &Db, tip_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM tip_files WHERE tip_id = $1")
        .bind(tip_id)
        .fetch_one(&db.pool)
        .await
}

/// What the status page needs to authenticate a tracking code.
#[derive(Debug, sqlx::FromRow)]
pub struct TipAuth {
    pub id: i64,
    pub pin_hash: String,
    pub status: String,
    pub failed_pins: i32,
    pub locked_until: i64,
}

pub async fn by_tracking(db: &Db, tracking_hash: &str) -> Result<Option<TipAuth>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, pin_hash, status, failed_pins, locked_until FROM tips WHERE tracking_hash = $1",
    )
    .bind(tracking_hash)
    .fetch_optional(&db.pool)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub at: i64,
    pub status: String,
    pub message: Option<String>,
}

/// The timeline of a tip, oldest first.
pub async fn timeline(db: &Db, tip_id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    sqlx::query_as("SELECT at, status, message FROM tip_events WHERE tip_id = $1 ORDER BY at, id")
        .bind(tip_id)
        .fetch_all(&db.pool)
        .await
}

/// A tip as staff of its court see it (contact and content still sealed).
#[derive(Debug, sqlx::FromRow)]
pub struct TipRow {
    pub id: i64,
    pub reward_id: Option<i64>,
    pub notice_id: Option<i64>,
    pub subject_key: String,
    pub kind: String,
    pub sealed: String,
    pub has_contact: i32,
    pub tracking_hash: String,
    pub status: String,
    pub received_at: i64,
    pub receipt_payload: String,
    pub receipt_signature: String,
    pub receipt_key_id: String,
    pub assigned_to: Option<String>,
    pub files: i64,
}

const TIP_COLUMNS: &str =
    "id, reward_id, notice_id, subject_key, kind, sealed, has_contact, tracking_hash, \
    status, received_at, receipt_payload, receipt_signature, receipt_key_id, assigned_to, \
    (SELECT COUNT(*) FROM tip_files f WHERE f.tip_id = tips.id) AS files";

/// A page of `court`'s queue, oldest first (the first-come rule), optionally by status and kind.
pub async fn queue(
    db: &Db,
    court: &str,
    status: Option<TipStatus>,
    kind: Option<&str>,
    page: u32,
    page_size: u32,
) -> Result<(Vec<TipRow>, i64), sqlx::Error> {
    use sqlx::{FromRow, Row};
    let mut w = crate::db::Where::new().cmp("court", "=", court);
    if let Some(s) = status {
        w = w.cmp("status", "=", s.as_str());
    }
    if let Some(k) = kind {
        w = w.cmp("kind", "=", k);
    }
    let c = w.condition();
    let offset = (page.max(1) - 1) * page_size;
    let sql = format!(
        "SELECT {TIP_COLUMNS} FROM tips WHERE {c} ORDER BY received_at, id LIMIT {page_size} OFFSET {offset}"
    );
    let rows = w
        .bind(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(TipRow::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let total: i64 = w
        .bind(&format!("SELECT COUNT(*) FROM tips WHERE {c}"))
        .fetch_one(&db.pool)
        .await?
        .get(0);
    Ok((rows, total))
}

/// One tip of `court`; another court's tip is `None` (and answered 404).
pub async fn by_id_for_court(db: &Db, id: i64, court: &str) -> Result<Option<TipRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {TIP_COLUMNS} FROM tips WHERE id = $1 AND court = $2"
    ))
    .bind(id)
    .bind(court)
    .fetch_optional(&db.pool)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct FileRow {
    pub n: i32,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    pub sha256: String,
    pub original_key: String,
    pub display_key: Option<String>,
}

pub async fn files(db: &Db, tip_id: i64) -> Result<Vec<FileRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT n, name, content_type, bytes, sha256, original_key, display_key FROM tip_files \
         WHERE tip_id = $1 ORDER BY n",
    )
    .bind(tip_id)
    .fetch_all(&db.pool)
    .await
}

/// Tips of `court` on the same subject and asset kind, in receipt order.
pub async fn same_subject(
    db: &Db,
    court: &str,
    subject_key: &str,
    kind: &str,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, received_at, status FROM tips WHERE court = $1 AND subject_key = $2 AND kind = $3 \
         ORDER BY received_at, id",
    )
    .bind(court)
    .bind(subject_key)
    .bind(kind)
    .fetch_all(&db.pool)
    .await
}

/// Moves a tip of `court` from `from` to `to` and records the step; false when the tip is not in
/// `from` any more (someone else changed it first).
pub async fn change_status(
    db: &Db,
    id: i64,
    court: &str,
    from: TipStatus,
    to: TipStatus,
    message: Option<&str>,
    actor: &str,
) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE tips SET status = $1, updated_at = $2 WHERE id = $3 AND court = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(id)
    .bind(court)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO tip_events (tip_id, at, status, message, actor) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(now)
    .bind(to.as_str())
    .bind(message)
    .bind(actor)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Assigns a tip of `court` to a staff member.
pub async fn assign(db: &Db, id: i64, court: &str, username: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tips SET assigned_to = $1, updated_at = $2 WHERE id = $3 AND court = $4",
    )
    .bind(username)
    .bind(now_ms())
    .bind(id)
    .bind(court)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every sealed value of the tips feature with the context it was sealed for, so that
/// `portal-server keys reseal` can re-seal them with the current data key.
pub async fn sealed_values(db: &Db) -> Result<Vec<SealedValue>, sqlx::Error> {
    let mut values: Vec<SealedValue> =
        sqlx::query_as::<_, (i64, String, String)>("SELECT id, tracking_hash, sealed FROM tips")
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|(id, hash, sealed)| SealedValue {
                table: SealedIn::Tip(id),
                context: format!("tip:{hash}"),
                sealed,
            })
            .collect();
    values.extend(
        sqlx::query_as::<_, (String, String)>("SELECT key_hash, answer FROM tip_submissions")
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|(key_hash, sealed)| SealedValue {
                context: format!("submission:{key_hash}"),
                table: SealedIn::Submission(key_hash),
                sealed,
            }),
    );
    values.extend(
        sqlx::query_as::<_, (String, String)>("SELECT key_hash, sealed FROM tip_additions")
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|(key_hash, sealed)| SealedValue {
                context: format!("addition:{key_hash}"),
                table: SealedIn::Addition(key_hash),
                sealed,
            }),
    );
    Ok(values)
}

/// A sealed value and where it lives.
pub struct SealedValue {
    pub table: SealedIn,
    pub context: String,
    pub sealed: String,
}

/// The row of a [`SealedValue`].
pub enum SealedIn {
    Tip(i64),
    Submission(String),
    Addition(String),
}

/// Replaces a sealed value with `resealed` if it is still `v.sealed`.
pub async fn replace_sealed(db: &Db, v: &SealedValue, resealed: &str) -> Result<(), sqlx::Error> {
    let query = match &v.table {
        SealedIn::Tip(id) => {
            sqlx::query("UPDATE tips SET sealed = $1 WHERE id = $2 AND sealed = $3")
                .bind(resealed)
                .bind(*id)
        }
        SealedIn::Submission(key_hash) => sqlx::query(
            "UPDATE tip_submissions SET answer = $1 WHERE key_hash = $2 AND answer = $3",
        )
        .bind(resealed)
        .bind(key_hash.as_str()),
        SealedIn::Addition(key_hash) => {
            sqlx::query("UPDATE tip_additions SET sealed = $1 WHERE key_hash = $2 AND sealed = $3")
                .bind(resealed)
                .bind(key_hash.as_str())
        }
    };
    query.bind(v.sealed.as_str()).execute(&db.pool).await?;
    Ok(())
}
