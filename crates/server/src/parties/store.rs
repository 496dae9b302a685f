//! Every query over `cases`, `case_parties`, `party_sessions`, `court_parents`,
//! `declarations`, `declaration_files`, `party_requests` and `party_request_files`.

use sqlx::{Any, Transaction};

use crate::db::{hot::Hot, Db, DbKind};

/// One party of one case as imported, with the hash of its access code.
pub struct NewParty<'a> {
    pub court: &'a str,
    pub case_number: &'a str,
    pub stage: &'a str,
    pub obligation: &'a str,
    pub amount_fen: i64,
    pub due_on: &'a str,
    pub status: &'a str,
    pub role: &'a str,
    pub name: &'a str,
    pub name_norm: &'a str,
    pub subject_id: &'a str,
    /// `None`: keep the stored code (a row imported again without one).
    pub code_hash: Option<&'a str>,
    /// The code's keyed hash without the subject ([`crate::keys::Keys::access_code_fingerprint`]),
    /// with `code_hash`.
    pub code_fingerprint: Option<&'a str>,
}

/// What an import changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Imported {
    pub cases_inserted: usize,
    pub parties_inserted: usize,
    pub parties_updated: usize,
    /// Parties given a new access code, whose sessions were ended.
    pub codes_changed: usize,
}

/// Whether this party of this case is stored already (a new one needs an access code).
pub async fn party_exists(
    db: &Db,
    court: &str,
    case_number: &str,
    subject_id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_parties p JOIN cases c ON c.id = p.case_id \
         WHERE c.court = $1 AND c.case_number = $2 AND p.subject_id = $3",
    )
    .bind(court)
    .bind(case_number)
    .bind(subject_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(n > 0)
}

/// Why [`upsert_all`] stored nothing.
#[derive(Debug)]
pub enum NotImported {
    /// The rows (by index) whose access code another subject's stored party holds.
    CodesHeld(Vec<usize>),
    Failed(anyhow::Error),
}

impl std::fmt::Display for NotImported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotImported::CodesHeld(rows) => write!(
                f,
                "{} rows give an access code another party holds",
                rows.len()
            ),
            NotImported::Failed(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for NotImported {}

impl From<sqlx::Error> for NotImported {
    fn from(e: sqlx::Error) -> NotImported {
        NotImported::Failed(e.into())
    }
}

impl From<rusqlite::Error> for NotImported {
    fn from(e: rusqlite::Error) -> NotImported {
        NotImported::Failed(anyhow::anyhow!("SQLite: {e}"))
    }
}

impl From<anyhow::Error> for NotImported {
    fn from(e: anyhow::Error) -> NotImported {
        NotImported::Failed(e)
    }
}

/// Stores every row in one transaction: a case is inserted or updated by (court, case number),
/// its party by (case, identifier). All or nothing:
/// - a row whose access code another subject holds (by its fingerprint, as stored before this
///   import) refuses the whole file, checked inside the transaction so that no import between
///   the check and the writes can hand the code out;
/// - `before_writing` runs once that check has passed and before anything is written (the
///   import writes the codes it made there), and its error stores nothing;
/// - a party given a new access code is signed out everywhere in the same transaction: whoever
///   held the old code (the reason a court issues a new one) keeps no session.
///
/// Each engine writes its fastest way, as the notices' import does: SQLite prepared statements
/// on a connection of its own, PostgreSQL `COPY` into a temporary table and set-wise statements.
pub async fn upsert_all(
    db: &Db,
    rows: &[NewParty<'_>],
    now: i64,
    before_writing: impl FnOnce() -> anyhow::Result<()> + Send + 'static,
) -> Result<Imported, NotImported> {
    let rows: Vec<PartyRow> = rows.iter().map(PartyRow::from).collect();
    match &db.hot {
        Hot::Sqlite(readers) => {
            let path = readers.path().to_owned();
            tokio::task::spawn_blocking(move || upsert_sqlite(&path, &rows, now, before_writing))
                .await
                .map_err(|e| anyhow::anyhow!("the import thread failed: {e}"))?
        }
        Hot::Postgres(pool, _) => upsert_postgres(pool, &rows, now, before_writing).await,
    }
}

/// [`NewParty`], owned: the SQLite write runs on a thread of its own.
struct PartyRow {
    court: String,
    case_number: String,
    stage: String,
    obligation: String,
    amount_fen: i64,
    due_on: String,
    status: String,
    role: String,
    name: String,
    name_norm: String,
    subject_id: String,
    code_hash: Option<String>,
    code_fingerprint: Option<String>,
}

impl From<&NewParty<'_>> for PartyRow {
    fn from(r: &NewParty<'_>) -> PartyRow {
        PartyRow {
            court: r.court.to_owned(),
            case_number: r.case_number.to_owned(),
            stage: r.stage.to_owned(),
            obligation: r.obligation.to_owned(),
            amount_fen: r.amount_fen,
            due_on: r.due_on.to_owned(),
            status: r.status.to_owned(),
            role: r.role.to_owned(),
            name: r.name.to_owned(),
            name_norm: r.name_norm.to_owned(),
            subject_id: r.subject_id.to_owned(),
            code_hash: r.code_hash.map(str::to_owned),
            code_fingerprint: r.code_fingerprint.map(str::to_owned),
        }
    }
}

fn no_code(case_number: &str) -> anyhow::Error {
    anyhow::anyhow!("a new party of {case_number} has no access code")
}

fn upsert_sqlite(
    path: &str,
    rows: &[PartyRow],
    now: i64,
    before_writing: impl FnOnce() -> anyhow::Result<()>,
) -> Result<Imported, NotImported> {
    use rusqlite::{params, OptionalExtension};
    let mut conn = crate::db::hot::sqlite_bulk_writer(path)?;
    // Immediate: the write lock from the first read, so the codes checked stay as checked.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let mut done = Imported::default();
    {
        let mut held = tx.prepare(
            "SELECT 1 FROM case_parties WHERE code_fingerprint = $1 AND subject_id <> $2 LIMIT 1",
        )?;
        let mut taken = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if let Some(print) = &r.code_fingerprint {
                if held.exists(params![print, r.subject_id])? {
                    taken.push(i);
                }
            }
        }
        if !taken.is_empty() {
            return Err(NotImported::CodesHeld(taken));
        }
    }
    before_writing()?;
    {
        let mut find_case =
            tx.prepare("SELECT id FROM cases WHERE court = $1 AND case_number = $2")?;
        let mut update_case = tx.prepare(
            "UPDATE cases SET stage = $1, obligation = $2, amount_fen = $3, due_on = $4, \
             status = $5, updated_at = $6 WHERE id = $7",
        )?;
        let mut insert_case = tx.prepare(
            "INSERT INTO cases (court, case_number, stage, obligation, amount_fen, due_on, \
             status, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )?;
        let mut find_party = tx
            .prepare("SELECT code_hash FROM case_parties WHERE case_id = $1 AND subject_id = $2")?;
        let mut update_party = tx.prepare(
            "UPDATE case_parties SET role = $1, name = $2, name_norm = $3, \
             code_hash = COALESCE($4, code_hash), \
             code_fingerprint = COALESCE($5, code_fingerprint), updated_at = $6 \
             WHERE case_id = $7 AND subject_id = $8",
        )?;
        let mut insert_party = tx.prepare(
            "INSERT INTO case_parties (case_id, role, name, name_norm, subject_id, code_hash, \
             code_fingerprint, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )?;
        let mut sign_out = tx.prepare("DELETE FROM party_sessions WHERE subject_id = $1")?;
        // The rows of one case come together in a file: the last case found is asked first.
        let mut last: Option<(&str, &str, i64)> = None;
        for r in rows {
            let known = match last {
                Some((court, number, id)) if court == r.court && number == r.case_number => {
                    Some(id)
                }
                _ => find_case
                    .query_row(params![r.court, r.case_number], |row| row.get(0))
                    .optional()?,
            };
            let case_id = match known {
                Some(id) => {
                    update_case.execute(params![
                        r.stage,
                        r.obligation,
                        r.amount_fen,
                        r.due_on,
                        r.status,
                        now,
                        id
                    ])?;
                    id
                }
                None => {
                    done.cases_inserted += 1;
                    insert_case.execute(params![
                        r.court,
                        r.case_number,
                        r.stage,
                        r.obligation,
                        r.amount_fen,
                        r.due_on,
                        r.status,
                        now
                    ])?;
                    tx.last_insert_rowid()
                }
            };
            last = Some((&r.court, &r.case_number, case_id));
            let stored_code: Option<String> = find_party
                .query_row(params![case_id, r.subject_id], |row| row.get(0))
                .optional()?;
            if let Some(stored_code) = stored_code {
                update_party.execute(params![
                    r.role,
                    r.name,
                    r.name_norm,
                    r.code_hash,
                    r.code_fingerprint,
                    now,
                    case_id,
                    r.subject_id
                ])?;
                done.parties_updated += 1;
                if r.code_hash.as_ref().is_some_and(|new| *new != stored_code) {
                    sign_out.execute(params![r.subject_id])?;
                    done.codes_changed += 1;
                }
                continue;
            }
            let Some(code_hash) = &r.code_hash else {
                // The caller makes a code for every party it does not find stored.
                return Err(no_code(&r.case_number).into());
            };
            insert_party.execute(params![
                case_id,
                r.role,
                r.name,
                r.name_norm,
                r.subject_id,
                code_hash,
                r.code_fingerprint,
                now
            ])?;
            done.parties_inserted += 1;
        }
    }
    tx.commit()?;
    Ok(done)
}

/// A CSV field for `COPY … (FORMAT csv)`: quoted is text (even empty), unquoted empty is NULL.
fn csv_field(out: &mut String, value: Option<&str>) {
    if let Some(v) = value {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    }
}

async fn upsert_postgres(
    pool: &sqlx::PgPool,
    rows: &[PartyRow],
    now: i64,
    before_writing: impl FnOnce() -> anyhow::Result<()>,
) -> Result<Imported, NotImported> {
    let mut csv = String::with_capacity(rows.len() * 400);
    for (i, r) in rows.iter().enumerate() {
        let row = i.to_string();
        let amount = r.amount_fen.to_string();
        let fields = [
            Some(row.as_str()),
            Some(&r.court),
            Some(&r.case_number),
            Some(&r.stage),
            Some(&r.obligation),
            Some(&amount),
            Some(&r.due_on),
            Some(&r.status),
            Some(&r.role),
            Some(&r.name),
            Some(&r.name_norm),
            Some(&r.subject_id),
            r.code_hash.as_deref(),
            r.code_fingerprint.as_deref(),
        ];
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                csv.push(',');
            }
            csv_field(&mut csv, field);
        }
        csv.push('\n');
    }
    let mut tx = pool.begin().await?;
    // One import at a time, and no other writer of parties between the codes' check and the
    // writes (readers, such as sign-in, are not held up).
    sqlx::query("LOCK TABLE case_parties IN SHARE ROW EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "CREATE TEMPORARY TABLE IF NOT EXISTS party_load (row_index BIGINT, court TEXT, \
         case_number TEXT, stage TEXT, obligation TEXT, amount_fen BIGINT, due_on TEXT, \
         status TEXT, role TEXT, name TEXT, name_norm TEXT, subject_id TEXT, code_hash TEXT, \
         code_fingerprint TEXT) ON COMMIT DELETE ROWS",
    )
    .execute(&mut *tx)
    .await?;
    let mut copy = tx
        .copy_in_raw(
            "COPY party_load (row_index, court, case_number, stage, obligation, amount_fen, \
             due_on, status, role, name, name_norm, subject_id, code_hash, code_fingerprint) \
             FROM STDIN (FORMAT csv)",
        )
        .await?;
    copy.send(csv.into_bytes()).await?;
    copy.finish().await?;
    let taken: Vec<i64> = sqlx::query_scalar(
        "SELECT l.row_index FROM party_load l WHERE l.code_fingerprint IS NOT NULL \
         AND EXISTS (SELECT 1 FROM case_parties p WHERE p.code_fingerprint = l.code_fingerprint \
         AND p.subject_id <> l.subject_id) ORDER BY l.row_index",
    )
    .fetch_all(&mut *tx)
    .await?;
    if !taken.is_empty() {
        return Err(NotImported::CodesHeld(
            taken.into_iter().map(|i| i as usize).collect(),
        ));
    }
    before_writing()?;
    // The rows of one case agree on the case's facts (the import checks it): one row each.
    // `xmax = 0` marks a row this statement inserted rather than updated.
    let cases: Vec<bool> = sqlx::query_scalar(
        "INSERT INTO cases (court, case_number, stage, obligation, amount_fen, due_on, status, \
         updated_at) SELECT DISTINCT ON (court, case_number) court, case_number, stage, \
         obligation, amount_fen, due_on, status, $1 FROM party_load ORDER BY court, case_number \
         ON CONFLICT (court, case_number) DO UPDATE SET stage = excluded.stage, \
         obligation = excluded.obligation, amount_fen = excluded.amount_fen, \
         due_on = excluded.due_on, status = excluded.status, updated_at = excluded.updated_at \
         RETURNING (xmax = 0)",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let uncoded: Option<String> = sqlx::query_scalar(
        "SELECT l.case_number FROM party_load l \
         JOIN cases c ON c.court = l.court AND c.case_number = l.case_number \
         LEFT JOIN case_parties p ON p.case_id = c.id AND p.subject_id = l.subject_id \
         WHERE l.code_hash IS NULL AND p.id IS NULL LIMIT 1",
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(case_number) = uncoded {
        // The caller makes a code for every party it does not find stored.
        return Err(no_code(&case_number).into());
    }
    // The parties given a new code, read before their rows are written: signed out.
    let codes_changed: i64 = sqlx::query_scalar(
        "WITH changed AS (SELECT l.subject_id FROM party_load l \
         JOIN cases c ON c.court = l.court AND c.case_number = l.case_number \
         JOIN case_parties p ON p.case_id = c.id AND p.subject_id = l.subject_id \
         WHERE l.code_hash IS NOT NULL AND l.code_hash <> p.code_hash), \
         ended AS (DELETE FROM party_sessions \
         WHERE subject_id IN (SELECT subject_id FROM changed)) \
         SELECT COUNT(*) FROM changed",
    )
    .fetch_one(&mut *tx)
    .await?;
    // A row without a code keeps the stored one (only stored parties come without one).
    let parties: Vec<bool> = sqlx::query_scalar(
        "INSERT INTO case_parties (case_id, role, name, name_norm, subject_id, code_hash, \
         code_fingerprint, updated_at) SELECT c.id, l.role, l.name, l.name_norm, l.subject_id, \
         COALESCE(l.code_hash, ''), l.code_fingerprint, $1 FROM party_load l \
         JOIN cases c ON c.court = l.court AND c.case_number = l.case_number \
         ORDER BY c.id, l.subject_id \
         ON CONFLICT (case_id, subject_id) DO UPDATE SET role = excluded.role, \
         name = excluded.name, name_norm = excluded.name_norm, \
         code_hash = CASE WHEN excluded.code_hash = '' THEN case_parties.code_hash \
         ELSE excluded.code_hash END, \
         code_fingerprint = COALESCE(excluded.code_fingerprint, case_parties.code_fingerprint), \
         updated_at = excluded.updated_at \
         RETURNING (xmax = 0)",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    // Fresh planner statistics, or a newly loaded table looks empty to sign-in's lookups.
    sqlx::query("ANALYZE cases, case_parties")
        .execute(pool)
        .await?;
    let cases_inserted = cases.iter().filter(|i| **i).count();
    let parties_inserted = parties.iter().filter(|i| **i).count();
    Ok(Imported {
        cases_inserted,
        parties_inserted,
        parties_updated: parties.len() - parties_inserted,
        codes_changed: codes_changed as usize,
    })
}

/// Records the court one level up of each court (it decides reconsiderations), all in one
/// transaction.
pub async fn set_parents(db: &Db, pairs: &[(String, String)]) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for (court, parent) in pairs {
        sqlx::query(
            "INSERT INTO court_parents (court, parent) VALUES ($1, $2) \
             ON CONFLICT (court) DO UPDATE SET parent = excluded.parent",
        )
        .bind(court)
        .bind(parent)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

pub async fn parent_of(db: &Db, court: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT parent FROM court_parents WHERE court = $1")
        .bind(court)
        .fetch_optional(&db.pool)
        .await
}

/// The cases in which a subject with this identifier and normalised name holds this access code.
pub async fn signs_in(
    db: &Db,
    subject_id: &str,
    name_norm: &str,
    code_hash: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT name FROM case_parties WHERE subject_id = $1 AND name_norm = $2 AND code_hash = $3 \
         ORDER BY id LIMIT 1",
    )
    .bind(subject_id)
    .bind(name_norm)
    .bind(code_hash)
    .fetch_optional(&db.pool)
    .await
}

/// A signed-in party's session.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    pub subject_id: String,
    pub name: String,
    pub expires_at: i64,
}

pub async fn create_session(
    db: &Db,
    token_hash: &str,
    subject_id: &str,
    name: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO party_sessions (token_hash, subject_id, name, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(token_hash)
    .bind(subject_id)
    .bind(name)
    .bind(now)
    .bind(expires_at)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The session of this token if it has neither expired nor been idle since `idle_since`; using
/// it keeps it alive.
pub async fn session(
    db: &Db,
    token_hash: &str,
    now: i64,
    idle_since: i64,
) -> Result<Option<Session>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE party_sessions SET last_seen_at = $1 \
         WHERE token_hash = $2 AND expires_at > $1 AND last_seen_at > $3 \
         RETURNING subject_id, name, expires_at",
    )
    .bind(now)
    .bind(token_hash)
    .bind(idle_since)
    .fetch_optional(&db.pool)
    .await
}

pub async fn end_session(db: &Db, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM party_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Deletes sessions that have ended: past their end at `now`, or unused since `idle_since`.
pub async fn sweep_sessions(db: &Db, now: i64, idle_since: i64) -> Result<u64, sqlx::Error> {
    Ok(
        sqlx::query("DELETE FROM party_sessions WHERE expires_at < $1 OR last_seen_at < $2")
            .bind(now)
            .bind(idle_since)
            .execute(&db.pool)
            .await?
            .rows_affected(),
    )
}

/// One case of a party, with the party's role in it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartyCaseRow {
    pub case_id: i64,
    pub party_id: i64,
    pub court: String,
    pub case_number: String,
    pub stage: String,
    pub obligation: String,
    pub amount_fen: i64,
    pub due_on: String,
    pub status: String,
    pub role: String,
    pub name: String,
}

const CASE_COLUMNS: &str = "c.id AS case_id, p.id AS party_id, c.court, c.case_number, c.stage, \
    c.obligation, c.amount_fen, c.due_on, c.status, p.role, p.name";

/// Every case in which `subject_id` is a party, newest deadline first.
pub async fn cases_of(db: &Db, subject_id: &str) -> Result<Vec<PartyCaseRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM case_parties p JOIN cases c ON c.id = p.case_id \
         WHERE p.subject_id = $1 ORDER BY c.due_on DESC, c.id DESC"
    ))
    .bind(subject_id)
    .fetch_all(&db.pool)
    .await
}

/// The case with this number in which `subject_id` is a party.
pub async fn case_of(
    db: &Db,
    subject_id: &str,
    case_number: &str,
) -> Result<Option<PartyCaseRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {CASE_COLUMNS} FROM case_parties p JOIN cases c ON c.id = p.case_id \
         WHERE p.subject_id = $1 AND c.case_number = $2 ORDER BY c.id LIMIT 1"
    ))
    .bind(subject_id)
    .bind(case_number)
    .fetch_optional(&db.pool)
    .await
}

pub use crate::uploads::KeptFile as NewFile;

async fn insert_files(
    tx: &mut Transaction<'static, Any>,
    table: &str,
    owner_column: &str,
    owner: i64,
    files: &[NewFile],
    now: i64,
) -> Result<(), sqlx::Error> {
    for (i, f) in files.iter().enumerate() {
        sqlx::query(&format!(
            "INSERT INTO {table} ({owner_column}, n, upload_id, name, content_type, bytes, sha256, \
             original_key, display_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        ))
        .bind(owner)
        .bind(i as i32 + 1)
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
    crate::uploads::store::keep(tx, &ids, now).await
}

/// A declared payment as stored.
pub struct NewDeclaration<'a> {
    pub case_id: i64,
    pub party_id: i64,
    pub amount_fen: i64,
    pub paid_on: &'a str,
    pub method: &'a str,
    pub received_at: i64,
    pub key_hash: &'a str,
    pub request_hash: &'a str,
    pub creditor_deadline: i64,
    pub files: &'a [NewFile],
}

/// Stores a declaration and its files in one transaction. `Ok(None)` when a concurrent request
/// with the same key committed first. (No code for the creditor is made any more: the creditor
/// answers signed in. The column `creditor_code_hash`, unique and required since 0018, gets the
/// declaration's own key hash, which is unique and opens nothing.)
pub async fn insert_declaration(
    db: &Db,
    d: &NewDeclaration<'_>,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO declarations (case_id, party_id, amount_fen, paid_on, method, status, received_at, \
         key_hash, request_hash, creditor_code_hash, creditor_deadline) \
         VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9, $10) \
         ON CONFLICT (key_hash) DO NOTHING RETURNING id",
    )
    .bind(d.case_id)
    .bind(d.party_id)
    .bind(d.amount_fen)
    .bind(d.paid_on)
    .bind(d.method)
    .bind(d.received_at)
    .bind(d.key_hash)
    .bind(d.request_hash)
    .bind(d.key_hash)
    .bind(d.creditor_deadline)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(id) = id else {
        tx.rollback().await?;
        return Ok(None);
    };
    insert_files(
        &mut tx,
        "declaration_files",
        "declaration_id",
        id,
        d.files,
        d.received_at,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// A declaration as stored, with its case and party.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeclarationRow {
    pub id: i64,
    pub case_id: i64,
    pub party_id: i64,
    pub court: String,
    pub case_number: String,
    pub case_amount_fen: i64,
    pub party_name: String,
    pub subject_id: String,
    pub amount_fen: i64,
    pub paid_on: String,
    pub method: String,
    pub status: String,
    pub received_at: i64,
    pub request_hash: String,
    pub creditor_deadline: i64,
    pub creditor_answer: Option<String>,
    pub creditor_note: Option<String>,
    pub files: i64,
}

const DECLARATION_SELECT: &str = "SELECT d.id, d.case_id, d.party_id, c.court, c.case_number, \
    c.amount_fen AS case_amount_fen, p.name AS party_name, p.subject_id, d.amount_fen, d.paid_on, \
    d.method, d.status, d.received_at, d.request_hash, d.creditor_deadline, d.creditor_answer, \
    d.creditor_note, (SELECT COUNT(*) FROM declaration_files f WHERE f.declaration_id = d.id) AS files \
    FROM declarations d JOIN cases c ON c.id = d.case_id JOIN case_parties p ON p.id = d.party_id";

pub async fn declaration_by_key(
    db: &Db,
    key_hash: &str,
) -> Result<Option<DeclarationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{DECLARATION_SELECT} WHERE d.key_hash = $1"))
        .bind(key_hash)
        .fetch_optional(&db.pool)
        .await
}

/// The stored role of `subject_id` in a case, if they are a party of it.
pub async fn role_in_case(
    db: &Db,
    case_id: i64,
    subject_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT role FROM case_parties WHERE case_id = $1 AND subject_id = $2")
        .bind(case_id)
        .bind(subject_id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn declaration(db: &Db, id: i64) -> Result<Option<DeclarationRow>, sqlx::Error> {
    sqlx::query_as(&format!("{DECLARATION_SELECT} WHERE d.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// The declarations of these cases, newest first.
pub async fn declarations_of_case(
    db: &Db,
    case_id: i64,
) -> Result<Vec<DeclarationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DECLARATION_SELECT} WHERE d.case_id = $1 ORDER BY d.received_at DESC, d.id DESC"
    ))
    .bind(case_id)
    .fetch_all(&db.pool)
    .await
}

/// A court's declarations waiting for its decision, oldest first.
pub async fn open_declarations(db: &Db, court: &str) -> Result<Vec<DeclarationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DECLARATION_SELECT} WHERE c.court = $1 AND d.status IN ('received', 'creditor_confirmed', \
         'creditor_disputed') ORDER BY d.received_at, d.id"
    ))
    .bind(court)
    .fetch_all(&db.pool)
    .await
}

/// Records the creditor's answer once, while the declaration waits and before the deadline.
pub async fn answer_declaration(
    db: &Db,
    id: i64,
    status: &str,
    answer: &str,
    note: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE declarations SET status = $1, creditor_answer = $2, creditor_note = $3, \
         creditor_answered_at = $4 WHERE id = $5 AND status = 'received' AND creditor_answer IS NULL \
         AND creditor_deadline >= $4",
    )
    .bind(status)
    .bind(answer)
    .bind(note)
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?
    .rows_affected()
        == 1)
}

/// The court's decision on a waiting declaration, in the caller's transaction (which also takes
/// a performed case's listings down, so all of it commits together or not at all); when
/// confirmed payments now cover the obligation, the case becomes performed. Returns whether it
/// was decided now and whether the case is performed.
///
/// The case row is locked before the payments are summed, so two confirmations of one case at
/// once cannot each count the other as unconfirmed and both miss the obligation: on PostgreSQL
/// with `FOR UPDATE` (the sum, a statement of its own, then sees the other's commit); SQLite has
/// one writer, which this transaction is from its first statement, an `UPDATE`.
pub async fn decide_declaration(
    tx: &mut Transaction<'static, Any>,
    kind: DbKind,
    id: i64,
    status: &str,
    by: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<Option<bool>, sqlx::Error> {
    let case_id: Option<i64> = sqlx::query_scalar(
        "UPDATE declarations SET status = $1, decided_at = $2, decided_by = $3, decision_reason = $4 \
         WHERE id = $5 AND status IN ('received', 'creditor_confirmed', 'creditor_disputed') \
         RETURNING case_id",
    )
    .bind(status)
    .bind(now)
    .bind(by)
    .bind(reason)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(case_id) = case_id else {
        return Ok(None);
    };
    let lock = match kind {
        DbKind::Postgres => " FOR UPDATE",
        DbKind::Sqlite => "",
    };
    let owed: i64 =
        sqlx::query_scalar(&format!("SELECT amount_fen FROM cases WHERE id = $1{lock}"))
            .bind(case_id)
            .fetch_one(&mut **tx)
            .await?;
    let paid: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM declarations \
         WHERE case_id = $1 AND status = 'confirmed'",
    )
    .bind(case_id)
    .fetch_one(&mut **tx)
    .await?;
    // The case becomes performed once, by the confirmation that covers its obligation; a later
    // decision (a refusal, say) does not perform it again.
    let performed = status == "confirmed"
        && paid >= owed
        && sqlx::query(
            "UPDATE cases SET status = 'performed', updated_at = $1 WHERE id = $2 \
             AND status <> 'performed'",
        )
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1;
    Ok(Some(performed))
}

/// Confirmed payments of a case, in fen.
pub async fn paid(db: &Db, case_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM declarations \
         WHERE case_id = $1 AND status = 'confirmed'",
    )
    .bind(case_id)
    .fetch_one(&db.pool)
    .await
}

/// Payments of a case still waiting for the court, in fen.
pub async fn pending(db: &Db, case_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM declarations \
         WHERE case_id = $1 AND status IN ('received', 'creditor_confirmed', 'creditor_disputed')",
    )
    .bind(case_id)
    .fetch_one(&db.pool)
    .await
}

/// A correction or reconsideration request as stored.
pub struct NewRequest<'a> {
    pub kind: &'a str,
    pub party_subject: &'a str,
    pub party_name: &'a str,
    pub notice_id: i64,
    pub case_number: &'a str,
    pub listing_court: &'a str,
    pub deciding_court: &'a str,
    pub ground: &'a str,
    pub deletion_ground: Option<&'a str>,
    pub reason: &'a str,
    pub status: &'a str,
    pub received_at: i64,
    pub review_due: &'a str,
    pub correction_id: Option<i64>,
    pub key_hash: &'a str,
    pub request_hash: &'a str,
    pub files: &'a [NewFile],
}

/// Why a request was not stored.
pub enum NotStored {
    /// A concurrent request with the same key committed first.
    KeyTaken,
    /// The listing has an open request of this party already.
    OpenRequest,
}

/// Stores a request and its files in one transaction.
pub async fn insert_request(
    db: &Db,
    r: &NewRequest<'_>,
) -> Result<Result<i64, NotStored>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM party_requests WHERE notice_id = $1 AND party_subject = $2 \
         AND corrected_at IS NULL AND status IN ('received', 'upheld', 'reconsideration_received', \
         'reconsideration_upheld')",
    )
    .bind(r.notice_id)
    .bind(r.party_subject)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        tx.rollback().await?;
        return Ok(Err(NotStored::OpenRequest));
    }
    let id: Result<Option<i64>, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO party_requests (kind, party_subject, party_name, notice_id, case_number, \
         listing_court, deciding_court, ground, deletion_ground, reason, status, received_at, \
         review_due, correction_id, key_hash, request_hash, files) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
         ON CONFLICT (key_hash) DO NOTHING RETURNING id",
    )
    .bind(r.kind)
    .bind(r.party_subject)
    .bind(r.party_name)
    .bind(r.notice_id)
    .bind(r.case_number)
    .bind(r.listing_court)
    .bind(r.deciding_court)
    .bind(r.ground)
    .bind(r.deletion_ground)
    .bind(r.reason)
    .bind(r.status)
    .bind(r.received_at)
    .bind(r.review_due)
    .bind(r.correction_id)
    .bind(r.key_hash)
    .bind(r.request_hash)
    .bind(r.files.len() as i32)
    .fetch_optional(&mut *tx)
    .await;
    // The partial unique index refuses a second open request that raced past the count.
    let id = match id {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Ok(Err(if e.message().contains("key_hash") {
                NotStored::KeyTaken
            } else {
                NotStored::OpenRequest
            }));
        }
        Err(e) => return Err(e),
    };
    let Some(id) = id else {
        tx.rollback().await?;
        return Ok(Err(NotStored::KeyTaken));
    };
    insert_files(
        &mut tx,
        "party_request_files",
        "request_id",
        id,
        r.files,
        r.received_at,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// A request as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub kind: String,
    pub party_subject: String,
    pub party_name: String,
    pub notice_id: i64,
    pub case_number: String,
    pub listing_court: String,
    pub deciding_court: String,
    pub ground: String,
    pub deletion_ground: Option<String>,
    pub reason: String,
    pub status: String,
    pub received_at: i64,
    pub review_due: String,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub served_on: Option<String>,
    pub window_end: Option<String>,
    pub correct_due: Option<String>,
    pub corrected_at: Option<i64>,
    pub correction_id: Option<i64>,
    pub request_hash: String,
    pub files: i32,
}

const REQUEST_COLUMNS: &str = "id, kind, party_subject, party_name, notice_id, case_number, \
    listing_court, deciding_court, ground, deletion_ground, reason, status, received_at, \
    review_due, decided_at, decision_reason, served_on, window_end, correct_due, corrected_at, \
    correction_id, request_hash, files";

pub async fn request_by_key(db: &Db, key_hash: &str) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM party_requests WHERE key_hash = $1"
    ))
    .bind(key_hash)
    .fetch_optional(&db.pool)
    .await
}

pub async fn request(db: &Db, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM party_requests WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

/// A party's requests, newest first.
pub async fn requests_of(db: &Db, subject_id: &str) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM party_requests WHERE party_subject = $1 \
         ORDER BY received_at DESC, id DESC"
    ))
    .bind(subject_id)
    .fetch_all(&db.pool)
    .await
}

/// The requests a court decides that wait for it: undecided ones, and upheld ones whose listing
/// is not corrected yet.
pub async fn open_requests(db: &Db, court: &str) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {REQUEST_COLUMNS} FROM party_requests WHERE deciding_court = $1 \
         AND (status IN ('received', 'reconsideration_received') \
           OR (status IN ('upheld', 'reconsideration_upheld') AND corrected_at IS NULL)) \
         ORDER BY review_due, id"
    ))
    .bind(court)
    .fetch_all(&db.pool)
    .await
}

/// A decision on a request still waiting for one, by the court that decides it.
pub struct RequestDecision<'a> {
    pub id: i64,
    pub from_status: &'a str,
    pub status: &'a str,
    pub by: &'a str,
    pub reason: Option<&'a str>,
    pub at: i64,
    pub served_on: Option<&'a str>,
    pub window_end: Option<&'a str>,
    pub correct_due: Option<&'a str>,
    /// Upheld: the listing is corrected at once, so the correction is recorded with the decision.
    pub corrected_at: Option<i64>,
}

/// Records the decision once; `false` when the request was decided meanwhile.
pub async fn decide_request(
    tx: &mut Transaction<'static, Any>,
    d: &RequestDecision<'_>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE party_requests SET status = $1, decided_at = $2, decided_by = $3, \
         decision_reason = $4, served_on = $5, window_end = $6, correct_due = $7, corrected_at = $8 \
         WHERE id = $9 AND status = $10",
    )
    .bind(d.status)
    .bind(d.at)
    .bind(d.by)
    .bind(d.reason)
    .bind(d.served_on)
    .bind(d.window_end)
    .bind(d.correct_due)
    .bind(d.corrected_at)
    .bind(d.id)
    .bind(d.from_status)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}
