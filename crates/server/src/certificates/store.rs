//! Every query over `certificate_applications`, `certificates` and `certificate_verifications`.

use crate::db::Db;

/// A new application, as stored.
pub struct NewApplication<'a> {
    pub code_hash: &'a str,
    pub pin_hash: &'a str,
    pub court: &'a str,
    /// The notice the application is about, when the case is listed.
    pub notice_id: Option<i64>,
    /// The party's case from the court's system, when it has one.
    pub case_id: Option<i64>,
    pub case_number: &'a str,
    pub name: &'a str,
    pub subject_kind: &'a str,
    pub payload_id: &'a str,
    pub sealed: &'a str,
    pub stage: &'a str,
    pub amount_fen: i64,
    pub performed_on: &'a str,
    pub honour_consent: bool,
    pub now: i64,
    pub creditor_code_hash: &'a str,
    pub creditor_deadline: i64,
    /// The case's province code ('' when its number names none).
    pub province: &'a str,
}

pub async fn insert_application(db: &Db, a: &NewApplication<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO certificate_applications (code_hash, pin_hash, court, notice_id, case_number, name, \
         subject_kind, payload_id, sealed, stage, amount_fen, performed_on, honour_consent, status, \
         created_at, updated_at, creditor_code_hash, creditor_deadline, province, case_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14, $14, $15, $16, $17, $18) \
         RETURNING id",
    )
    .bind(a.code_hash)
    .bind(a.pin_hash)
    .bind(a.court)
    .bind(a.notice_id)
    .bind(a.case_number)
    .bind(a.name)
    .bind(a.subject_kind)
    .bind(a.payload_id)
    .bind(a.sealed)
    .bind(a.stage)
    .bind(a.amount_fen)
    .bind(a.performed_on)
    .bind(i32::from(a.honour_consent))
    .bind(a.now)
    .bind(a.creditor_code_hash)
    .bind(a.creditor_deadline)
    .bind(a.province)
    .bind(a.case_id)
    .fetch_one(&db.pool)
    .await
}

/// An application as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub pin_hash: String,
    pub court: String,
    pub case_number: String,
    pub name: String,
    pub subject_kind: String,
    pub payload_id: String,
    pub stage: String,
    pub amount_fen: i64,
    pub performed_on: String,
    pub honour_consent: i32,
    pub status: String,
    pub reason: Option<String>,
    pub failed_pins: i32,
    pub locked_until: i64,
    pub created_at: i64,
    pub creditor_deadline: Option<i64>,
    pub creditor_answer: Option<String>,
    pub creditor_note: Option<String>,
}

const APPLICATION_COLUMNS: &str = "id, pin_hash, court, case_number, name, subject_kind, payload_id, \
     stage, amount_fen, performed_on, honour_consent, status, reason, failed_pins, locked_until, created_at, \
     creditor_deadline, creditor_answer, creditor_note";

pub async fn application_by_code(
    db: &Db,
    code_hash: &str,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM certificate_applications WHERE code_hash = $1"
    ))
    .bind(code_hash)
    .fetch_optional(&db.pool)
    .await
}

/// The application a creditor's code belongs to.
pub async fn application_by_creditor_code(
    db: &Db,
    code_hash: &str,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM certificate_applications WHERE creditor_code_hash = $1"
    ))
    .bind(code_hash)
    .fetch_optional(&db.pool)
    .await
}

/// Records the creditor's answer; false when one was given already or the deadline passed.
pub async fn creditor_answer(
    db: &Db,
    id: i64,
    answer: &str,
    note: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE certificate_applications SET creditor_answer = $1, creditor_note = $2, \
         creditor_answered_at = $3, updated_at = $3 \
         WHERE id = $4 AND creditor_answer IS NULL AND creditor_deadline >= $3",
    )
    .bind(answer)
    .bind(note)
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn application_for_court(
    db: &Db,
    id: i64,
    court: &str,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM certificate_applications WHERE id = $1 AND court = $2"
    ))
    .bind(id)
    .bind(court)
    .fetch_optional(&db.pool)
    .await
}

/// A court's applications, oldest first, optionally of one status.
pub async fn queue(
    db: &Db,
    court: &str,
    status: Option<&str>,
) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let (sql, status) = match status {
        Some(s) => (
            format!(
                "SELECT {APPLICATION_COLUMNS} FROM certificate_applications WHERE court = $1 AND status = $2 \
                 ORDER BY created_at, id LIMIT 200"
            ),
            Some(s),
        ),
        None => (
            format!(
                "SELECT {APPLICATION_COLUMNS} FROM certificate_applications WHERE court = $1 \
                 ORDER BY created_at, id LIMIT 200"
            ),
            None,
        ),
    };
    let mut q = sqlx::query_as(&sql).bind(court);
    if let Some(s) = status {
        q = q.bind(s);
    }
    q.fetch_all(&db.pool).await
}

/// Refuses a pending application; false when it is not pending any more.
pub async fn refuse(
    db: &Db,
    id: i64,
    reason: &str,
    by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE certificate_applications SET status = 'refused', reason = $1, decided_by = $2, updated_at = $3 \
         WHERE id = $4 AND status = 'pending'",
    )
    .bind(reason)
    .bind(by)
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What issuing needs from the caller: the court's key and a signer for the payload, which only
/// exists once the serial is known.
pub struct Issue<'a> {
    pub application_id: i64,
    pub court: &'a str,
    pub key_id: &'a str,
    pub honour_consent: bool,
    pub now: i64,
    /// Marks the application issued (a first certificate) or leaves it (a superseding one).
    pub first: bool,
    pub by: &'a str,
    /// The certificate this one supersedes.
    pub supersedes: Option<(i64, &'a str)>,
}

/// Issues a certificate in one transaction: takes a serial, has `sign` make the payload and its
/// signature (base64url each) for it, and stores them; with `first`, the application must still
/// be pending. `Ok(None)` when it is not (someone decided first).
pub async fn issue(
    db: &Db,
    i: &Issue<'_>,
    sign: impl FnOnce(u32) -> anyhow::Result<(String, String)>,
) -> anyhow::Result<Option<u32>> {
    let mut tx = db.pool.begin().await?;
    if i.first {
        let taken = sqlx::query(
            "UPDATE certificate_applications SET status = 'issued', decided_by = $1, updated_at = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(i.by)
        .bind(i.now)
        .bind(i.application_id)
        .execute(&mut *tx)
        .await?;
        if taken.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
    }
    let serial: i64 = sqlx::query_scalar(
        "INSERT INTO certificates (application_id, court, key_id, payload, signature, status, issued_at, \
         honour_consent) VALUES ($1, $2, $3, '', '', 'valid', $4, $5) RETURNING serial",
    )
    .bind(i.application_id)
    .bind(i.court)
    .bind(i.key_id)
    .bind(i.now)
    .bind(i32::from(i.honour_consent))
    .fetch_one(&mut *tx)
    .await?;
    let serial = u32::try_from(serial)?;
    let (payload, signature) = sign(serial)?;
    sqlx::query("UPDATE certificates SET payload = $1, signature = $2 WHERE serial = $3")
        .bind(&payload)
        .bind(&signature)
        .bind(i64::from(serial))
        .execute(&mut *tx)
        .await?;
    if let Some((old, reason)) = i.supersedes {
        let changed = sqlx::query(
            "UPDATE certificates SET status = 'superseded', superseded_by = $1, reason = $2, changed_at = $3 \
             WHERE serial = $4 AND status = 'valid'",
        )
        .bind(i64::from(serial))
        .bind(reason)
        .bind(i.now)
        .bind(old)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
    }
    tx.commit().await?;
    Ok(Some(serial))
}

/// A certificate as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub serial: i64,
    pub application_id: i64,
    pub court: String,
    pub key_id: String,
    pub payload: String,
    pub signature: String,
    pub status: String,
    pub reason: Option<String>,
    pub superseded_by: Option<i64>,
    pub issued_at: i64,
    pub changed_at: Option<i64>,
}

const CERTIFICATE_COLUMNS: &str =
    "serial, application_id, court, key_id, payload, signature, status, \
     reason, superseded_by, issued_at, changed_at";

pub async fn certificate(db: &Db, serial: i64) -> Result<Option<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE serial = $1"
    ))
    .bind(serial)
    .fetch_optional(&db.pool)
    .await
}

/// An application's certificates, newest first.
pub async fn certificates_of(
    db: &Db,
    application_id: i64,
) -> Result<Vec<CertificateRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE application_id = $1 ORDER BY serial DESC"
    ))
    .bind(application_id)
    .fetch_all(&db.pool)
    .await
}

/// Revokes a valid certificate of `court`; false when there is none.
pub async fn revoke(
    db: &Db,
    serial: i64,
    court: &str,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE certificates SET status = 'revoked', reason = $1, changed_at = $2 \
         WHERE serial = $3 AND court = $4 AND status = 'valid'",
    )
    .bind(reason)
    .bind(now)
    .bind(serial)
    .bind(court)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Logs a verification for the subject's "who verified me", at most once an hour per certificate
/// and client (`client`: a keyed hash of the client's network, or the partner), so a client
/// asking again and again does not grow the log.
pub async fn log_verification(
    db: &Db,
    serial: i64,
    channel: &str,
    partner: Option<&str>,
    client: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO certificate_verifications (serial, at, channel, partner, client_key) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM certificate_verifications \
         WHERE serial = $1 AND client_key = $5 AND at > $6)",
    )
    .bind(serial)
    .bind(at)
    .bind(channel)
    .bind(partner)
    .bind(client)
    .bind(at - 3_600_000)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Every verification of an application's certificates, newest first (at most 500).
pub async fn verifications(
    db: &Db,
    application_id: i64,
) -> Result<Vec<(i64, i64, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT v.serial, v.at, v.channel, v.partner FROM certificate_verifications v \
         JOIN certificates c ON c.serial = v.serial WHERE c.application_id = $1 \
         ORDER BY v.at DESC, v.id DESC LIMIT 500",
    )
    .bind(application_id)
    .fetch_all(&db.pool)
    .await
}

/// When the oldest application still waiting for a decision came in.
pub async fn oldest_pending(db: &Db) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT MIN(created_at) FROM certificate_applications WHERE status = 'pending'",
    )
    .fetch_one(&db.pool)
    .await
}

/// One certificate on the honour list (诚信履行榜).
#[derive(Debug, sqlx::FromRow)]
pub struct HonourRow {
    pub serial: i64,
    pub name: String,
    pub court: String,
    pub performed_on: String,
    pub province: String,
}

/// A page of the honour list: valid certificates whose subjects consented, newest first, of one
/// province or all; and how many there are in all.
pub async fn honour_page(
    db: &Db,
    province: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<HonourRow>, i64), sqlx::Error> {
    let mut filter = crate::db::Where::new().fixed("c.status = 'valid' AND c.honour_consent = 1");
    if let Some(p) = province {
        filter = filter.cmp("a.province", "=", p);
    }
    let from = "FROM certificates c JOIN certificate_applications a ON a.id = c.application_id";
    let total: i64 = filter
        .bind(&format!(
            "SELECT COUNT(*) {from} WHERE {}",
            filter.condition()
        ))
        .fetch_one(&db.pool)
        .await
        .and_then(|r| sqlx::Row::try_get(&r, 0))?;
    let n = filter.next_placeholder();
    let sql = format!(
        "SELECT c.serial, a.name, c.court, a.performed_on, COALESCE(a.province, '') AS province \
         {from} WHERE {} ORDER BY c.issued_at DESC, c.serial DESC LIMIT ${n} OFFSET ${}",
        filter.condition(),
        n + 1
    );
    let rows = filter
        .bind(&sql)
        .bind(limit)
        .bind(offset)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(<HonourRow as sqlx::FromRow<_>>::from_row)
        .collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// Gives applications made before the `province` column theirs, read from the case number by
/// `province_of` (run at start; a no-op once every row has one).
pub async fn fill_provinces(
    db: &Db,
    province_of: impl Fn(&str) -> String,
) -> Result<u64, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, case_number FROM certificate_applications WHERE province IS NULL",
    )
    .fetch_all(&db.pool)
    .await?;
    for (id, case_number) in &rows {
        sqlx::query("UPDATE certificate_applications SET province = $1 WHERE id = $2")
            .bind(province_of(case_number))
            .bind(id)
            .execute(&db.pool)
            .await?;
    }
    Ok(rows.len() as u64)
}

/// A look at a certificate, as its subject sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectVerification {
    pub id: i64,
    pub at: i64,
    pub channel: String,
    pub partner: Option<String>,
}

/// The looks since `since` at certificates issued on applications about these notices or these
/// cases, newest first, each once.
pub async fn verifications_about(
    db: &Db,
    notice_ids: &[i64],
    case_ids: &[i64],
    since: i64,
) -> Result<Vec<SubjectVerification>, sqlx::Error> {
    let mut found = verifications_where(db, "a.notice_id", notice_ids, since).await?;
    found.extend(verifications_where(db, "a.case_id", case_ids, since).await?);
    found.sort_by_key(|v| (std::cmp::Reverse(v.at), v.id));
    found.dedup_by_key(|v| v.id);
    Ok(found)
}

async fn verifications_where(
    db: &Db,
    column: &'static str,
    ids: &[i64],
    since: i64,
) -> Result<Vec<SubjectVerification>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = crate::db::Where::new()
        .in_ints(column, ids)
        .cmp("v.at", ">=", since);
    let sql = format!(
        "SELECT v.id, v.at, v.channel, v.partner FROM certificate_verifications v \
         JOIN certificates c ON c.serial = v.serial \
         JOIN certificate_applications a ON a.id = c.application_id WHERE {}",
        filter.condition()
    );
    filter
        .bind(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(<SubjectVerification as sqlx::FromRow<_>>::from_row)
        .collect()
}

/// Deletes the log of looks made before `before` (kept 6 months for their subjects).
pub async fn purge_verifications_before(db: &Db, before: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM certificate_verifications WHERE at < $1")
            .bind(before)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}
