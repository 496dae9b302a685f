//! Every query over the `notices` table (and the change clock that orders its writes).
//!
//! A notice is public only while `status = 'active'` and its publication date has arrived (a
//! court's grace period keeps a decided listing private until then). Deleted rows stay in the
//! table as the court's history but never reach a public answer. [`Visible`] is the one place
//! that rule is written; every public read here starts from it.
//!
//! This module is the seam between the HTTP handlers and the database engine: callers get typed
//! rows and never see SQL.

use chrono::NaiveDate;
use portal_core::time::{court_today, now_ms};
use portal_core::{
    lookup::{MAX_SUBJECTS, PAGE_SIZE},
    notice::{format_lists, Notice, NoticeStatus},
    CaseNumber,
};

use crate::{
    db::{hot::Hot, Arg, Db, Where},
    hot_row,
};

/// The notices the public may see, narrowed by equality filters on indexed columns.
pub struct Visible(Where);

impl Visible {
    /// Public as of today at the courts.
    pub fn today() -> Visible {
        Visible::on(court_today())
    }

    /// Public as of `date`: active and published on or before it.
    pub fn on(date: NaiveDate) -> Visible {
        Visible(
            Where::new()
                .fixed("status = 'active'")
                .cmp("published_on", "<=", date.to_string()),
        )
    }

    /// Only the notice with this row id.
    pub fn id(self, id: i64) -> Visible {
        Visible(self.0.cmp("id", "=", id))
    }

    /// Only subjects whose normalised name is `key` ([`portal_core::normalize_name`]).
    pub fn name_key(self, key: &str) -> Visible {
        Visible(self.0.cmp("name_norm", "=", key))
    }

    /// Only the subject with this canonical ID number or credit code.
    pub fn id_number(self, id: &str) -> Visible {
        Visible(self.0.cmp("id_number", "=", id))
    }

    /// Only subjects with one of these canonical ID numbers or credit codes.
    pub fn id_numbers(self, ids: &[&str]) -> Visible {
        Visible(self.0.in_texts("id_number", ids))
    }

    /// Only subjects whose normalised name is one of `keys`.
    pub fn name_keys(self, keys: &[&str]) -> Visible {
        Visible(self.0.in_texts("name_norm", keys))
    }

    /// Only the notices with these row ids.
    pub fn ids(self, ids: &[i64]) -> Visible {
        Visible(self.0.in_ints("id", ids))
    }

    /// Only the cases of this enforcing court.
    pub fn court(self, court: &str) -> Visible {
        Visible(self.0.cmp("court", "=", court))
    }

    /// Only this case.
    pub fn case_number(self, case_number: &str) -> Visible {
        Visible(self.0.cmp("case_number", "=", case_number))
    }

    /// Only cases of courts in this province (two-digit GB/T 2260 code).
    pub fn province(self, code: &str) -> Visible {
        Visible(self.0.cmp("province", "=", code))
    }
}

pub async fn count_public(db: &Db) -> Result<i64, sqlx::Error> {
    let v = Visible::today();
    let sql = format!(
        "SELECT COUNT(*) AS value FROM notices WHERE {}",
        v.0.condition()
    );
    db.hot.value(sql, v.0.args()).await
}

/// A notice's subject in one case, whatever the notice's status: who may act as a party of it.
#[derive(Debug, sqlx::FromRow)]
pub struct CaseParty {
    /// The notice's row id.
    pub id: i64,
    pub court: String,
    pub name_norm: String,
    pub subject_type: String,
}

/// The notice that makes a subject a party of the case: same case number and identifier.
/// Deleted notices and those in their grace period count: a debtor who has just performed is
/// exactly who applies for a certificate.
pub async fn party(
    db: &Db,
    case_number: &str,
    id_number: &str,
) -> Result<Option<CaseParty>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, court, name_norm, subject_type FROM notices WHERE case_number = $1 AND id_number = $2 \
         ORDER BY id LIMIT 1",
    )
    .bind(case_number)
    .bind(id_number)
    .fetch_optional(&db.pool)
    .await
}

/// How many notices, of any status, have subjects of this normalised name (the bench floor's
/// measure of a name's commonness).
pub async fn count_named(db: &Db, name_key: &str) -> Result<i64, sqlx::Error> {
    db.hot
        .value(
            "SELECT COUNT(*) AS value FROM notices WHERE name_norm = $1".to_owned(),
            vec![name_key.into()],
        )
        .await
}

/// A notice about a subject, whatever its status: what the subject sees on the parties' desk.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubjectListing {
    pub id: i64,
    pub case_number: String,
    pub court: String,
    pub lists: String,
    pub published_on: String,
    pub status: String,
    pub deleted_at: Option<i64>,
    pub deletion_reason: Option<String>,
    pub performed_at: Option<i64>,
    pub updated_at: i64,
}

const SUBJECT_LISTING_COLUMNS: &str = "id, case_number, court, lists, published_on, status, \
    deleted_at, deletion_reason, performed_at, updated_at";

/// Every notice about the subject with this identifier — in its grace period, public or deleted.
pub async fn listings_of(db: &Db, subject_id: &str) -> Result<Vec<SubjectListing>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SUBJECT_LISTING_COLUMNS} FROM notices WHERE id_number = $1 ORDER BY id"
    ))
    .bind(subject_id)
    .fetch_all(&db.pool)
    .await
}

/// One notice about this subject, whatever its status.
pub async fn listing_of(
    db: &Db,
    subject_id: &str,
    notice_id: i64,
) -> Result<Option<SubjectListing>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {SUBJECT_LISTING_COLUMNS} FROM notices WHERE id = $1 AND id_number = $2"
    ))
    .bind(notice_id)
    .bind(subject_id)
    .fetch_optional(&db.pool)
    .await
}

/// Takes a notice off every public list at once (a decision of the parties' desk): deleted, with
/// when and why, and a new place in the change feed so partners hear of it. A notice deleted
/// already keeps its date and reason. A notice the desk withdrew stays withdrawn when the court's
/// next import carries it again as active (the import's upsert keeps its status).
pub async fn withdraw(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    notice_id: i64,
    reason: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    let seq: i64 = sqlx::query_scalar(NEXT_CHANGE_SEQ)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE notices SET status = 'deleted', deleted_at = $1, deletion_reason = $2, \
         updated_at = $1, change_seq = $3 WHERE id = $4 AND status = 'active'",
    )
    .bind(at)
    .bind(reason)
    .bind(seq)
    .bind(notice_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The notices of a subject in one case, of any status (their ids).
pub async fn of_case_subject(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    court: &str,
    case_number: &str,
    subject_id: &str,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, status FROM notices WHERE court = $1 AND case_number = $2 AND id_number = $3",
    )
    .bind(court)
    .bind(case_number)
    .bind(subject_id)
    .fetch_all(&mut **tx)
    .await
}

/// Records when the court confirmed the subject's performance (the deletion is then due).
pub async fn mark_performed(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    notice_id: i64,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE notices SET performed_at = $1 WHERE id = $2 AND performed_at IS NULL")
        .bind(at)
        .bind(notice_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A public dishonest-list notice of one of `courts` as of `day` (demo data picks them).
#[derive(Debug, sqlx::FromRow)]
pub struct CourtNotice {
    pub id: i64,
    pub court: String,
}

/// The first `limit` public dishonest-list notices of these courts as of `day`.
pub async fn dishonest_of_courts(
    db: &Db,
    day: NaiveDate,
    courts: &[&str],
    limit: i64,
) -> Result<Vec<CourtNotice>, sqlx::Error> {
    let v = Visible::on(day);
    let filter =
        v.0.in_texts("court", courts)
            .fixed("lists LIKE '%dishonest%'");
    let sql = format!(
        "SELECT id, court FROM notices WHERE {} ORDER BY id LIMIT ${}",
        filter.condition(),
        filter.next_placeholder()
    );
    filter
        .bind(&sql)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
        .and_then(|rows| {
            rows.iter()
                .map(<CourtNotice as sqlx::FromRow<_>>::from_row)
                .collect()
        })
}

/// One subject of public dishonest-list notices, with one of its cases (demo reward notices are
/// offered on them).
#[derive(Debug, sqlx::FromRow)]
pub struct DishonestSubject {
    pub case_number: String,
    pub court: String,
    pub subject_type: String,
    pub name: String,
    pub id_number: String,
    pub published_on: String,
}

/// The first `limit` subjects (in notice order) with a public dishonest-list notice as of `day`.
pub async fn dishonest_subjects(
    db: &Db,
    day: NaiveDate,
    limit: i64,
) -> Result<Vec<DishonestSubject>, sqlx::Error> {
    let filter = Visible::on(day).0.fixed("lists LIKE '%dishonest%'");
    let sql = format!(
        "SELECT MIN(case_number) AS case_number, MIN(court) AS court, subject_type, \
         MIN(name) AS name, id_number, MIN(published_on) AS published_on \
         FROM notices WHERE {} GROUP BY id_number, subject_type ORDER BY MIN(id) LIMIT ${}",
        filter.condition(),
        filter.next_placeholder()
    );
    filter
        .bind(&sql)
        .bind(limit)
        .fetch_all(&db.pool)
        .await
        .and_then(|rows| {
            rows.iter()
                .map(<DishonestSubject as sqlx::FromRow<_>>::from_row)
                .collect()
        })
}

hot_row! {
    /// One notice of a lookup page, with the number of subjects the lookup matched.
    #[derive(Debug, Clone, sqlx::FromRow)]
    pub struct LookupRow {
        pub subject_count: i64,
        pub id: i64,
        pub case_number: String,
        pub court: String,
        pub subject_type: String,
        pub name: String,
        pub id_number: String,
        pub lists: String,
        pub filed_on: String,
        pub published_on: String,
    }
}

/// The statement of a lookup page ([`lookup_page`]) and its values.
pub fn lookup_statement(filter: &Visible, page: u32) -> (String, Vec<Arg>) {
    let c = &filter.0.condition();
    // One statement answers a lookup: the subjects (one more than can be shown, which tells
    // whether the name matches too many), their number on every row, and the notices of the
    // requested page. The index on (name_norm, id_number, …) yields subjects in order, so even
    // the commonest name stops after MAX_SUBJECTS + 1 of them.
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let sql = format!(
        "WITH subjects AS (SELECT id_number FROM notices WHERE {c} GROUP BY id_number \
         ORDER BY id_number LIMIT {limit}) \
         SELECT (SELECT COUNT(*) FROM subjects) AS subject_count, id, case_number, court, subject_type, \
         name, id_number, lists, filed_on, published_on FROM notices WHERE {c} AND id_number IN \
         (SELECT id_number FROM subjects ORDER BY id_number LIMIT {PAGE_SIZE} OFFSET {offset}) \
         ORDER BY id_number, published_on DESC, id",
        limit = MAX_SUBJECTS + 1
    );
    (sql, filter.0.args())
}

/// A lookup row with the name (normalised) it answers, from a coalesced name lookup.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedLookupRow {
    pub query_key: String,
    #[sqlx(flatten)]
    pub row: LookupRow,
}

impl crate::db::hot::HotRow for NamedLookupRow {
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(NamedLookupRow {
            query_key: row.get("query_key")?,
            row: LookupRow::from_sqlite(row)?,
        })
    }
}

crate::hot_row! {
    /// A public notice found by its subject's ID: everything verification, exact lookup and
    /// partner checks read.
    #[derive(Debug, Clone, sqlx::FromRow)]
    pub struct IdRow {
        pub id: i64,
        pub case_number: String,
        pub court: String,
        pub province: String,
        pub subject_type: String,
        pub name: String,
        pub name_norm: String,
        pub id_number: String,
        pub lists: String,
        pub filed_on: String,
        pub published_on: String,
    }
}

impl IdRow {
    /// This notice as a row of a lookup page that matched `subject_count` subjects.
    pub fn into_lookup_row(self, subject_count: i64) -> LookupRow {
        LookupRow {
            subject_count,
            id: self.id,
            case_number: self.case_number,
            court: self.court,
            subject_type: self.subject_type,
            name: self.name,
            id_number: self.id_number,
            lists: self.lists,
            filed_on: self.filed_on,
            published_on: self.published_on,
        }
    }
}

/// The columns of [`IdRow`].
pub const BY_IDS_COLUMNS: &str =
    "id, case_number, court, province, subject_type, name, name_norm, \
    id_number, lists, filed_on, published_on";

impl crate::db::coalesce::Keyed for IdRow {
    fn key(&self) -> &str {
        &self.id_number
    }
}

impl crate::db::coalesce::Keyed for NamedLookupRow {
    fn key(&self) -> &str {
        &self.query_key
    }
}

/// [`lookup_statement`] for many names at once (PostgreSQL: `$1` the day, `$2` the names, one
/// lateral lookup per name), for the name lookups the server coalesces.
fn named_lookup_statement(page: u32) -> String {
    let (single, _) = lookup_statement(&Visible::on(court_today()).name_key(""), page);
    // The single statement's name placeholder is `$2`, the visibility rule's day `$1`.
    let per_name = single.replace("name_norm = $2", "name_norm = q.key");
    debug_assert!(!per_name.contains("$2"), "one name placeholder, replaced");
    format!("SELECT q.key AS query_key, l.* FROM unnest($2::text[]) AS q(key) CROSS JOIN LATERAL ({per_name}) l")
}

/// [`named_lookup_statement`], made once per page.
fn named_lookup_sql(page: u32) -> std::sync::Arc<str> {
    static PAGES: std::sync::Mutex<Vec<(u32, std::sync::Arc<str>)>> =
        std::sync::Mutex::new(Vec::new());
    let mut pages = PAGES.lock().expect("lock");
    if let Some((_, sql)) = pages.iter().find(|(p, _)| *p == page) {
        return sql.clone();
    }
    let sql: std::sync::Arc<str> = named_lookup_statement(page).into();
    pages.push((page, sql.clone()));
    sql
}

/// A page of a name lookup: the notices of the page's subjects (ordered by subject, newest
/// first) and how many subjects match, counted up to `MAX_SUBJECTS + 1`. On PostgreSQL a lookup
/// by name alone (the commonest kind) shares its statement with the others arriving together.
pub async fn lookup_page(
    db: &Db,
    name_key: &str,
    province: Option<&str>,
    page: u32,
) -> Result<(Vec<LookupRow>, i64), sqlx::Error> {
    let mut filter = Visible::today().name_key(name_key);
    if let Some(p) = province {
        filter = filter.province(p);
    }
    let coalescer = match province {
        None => db.hot.coalescer::<NamedLookupRow>(),
        Some(_) => None,
    };
    let rows: Vec<LookupRow> = match coalescer {
        Some(coalescer) => {
            let mut rows: Vec<LookupRow> = coalescer
                .rows(
                    named_lookup_sql(page),
                    court_today().to_string(),
                    vec![name_key.to_owned()],
                )
                .await?
                .into_iter()
                .map(|r| r.row)
                .collect();
            rows.sort_by(|a, b| {
                a.id_number
                    .cmp(&b.id_number)
                    .then_with(|| b.published_on.cmp(&a.published_on))
                    .then_with(|| a.id.cmp(&b.id))
            });
            rows
        }
        _ => {
            let (sql, args) = lookup_statement(&filter, page);
            db.hot.all(sql, args).await?
        }
    };
    let count = match rows.first() {
        Some(row) => row.subject_count,
        // An empty first page means no subject at all; past the end, count them for the reply.
        None if page <= 1 => 0,
        None => {
            let sql = format!(
                "SELECT COUNT(*) AS value FROM (SELECT id_number FROM notices WHERE {} GROUP BY id_number LIMIT {}) s",
                filter.0.condition(),
                MAX_SUBJECTS + 1
            );
            db.hot.value(sql, filter.0.args()).await?
        }
    };
    Ok((rows, count))
}

hot_row! {
    /// Every published field of one notice.
    #[derive(Debug, sqlx::FromRow)]
    pub struct DetailRow {
        pub id: i64,
        pub case_number: String,
        pub court: String,
        pub subject_type: String,
        pub name: String,
        pub id_number: String,
        pub legal_representative: Option<String>,
        pub basis_number: String,
        pub basis_issuer: String,
        pub filed_on: String,
        pub obligation: String,
        pub performance: String,
        pub behaviour: Option<String>,
        pub lists: String,
        pub published_on: String,
    }
}

pub async fn detail(db: &Db, id: i64) -> Result<Option<DetailRow>, sqlx::Error> {
    let v = Visible::today().id(id);
    let sql = format!(
        "SELECT id, case_number, court, subject_type, name, id_number, legal_representative, basis_number, \
         basis_issuer, filed_on, obligation, performance, behaviour, lists, published_on \
         FROM notices WHERE {}",
        v.0.condition()
    );
    db.hot.first(sql, v.0.args()).await
}

/// A public notice as the exposure board shows it.
#[derive(Debug, sqlx::FromRow)]
pub struct BoardRow {
    pub id: i64,
    pub case_number: String,
    pub court: String,
    pub province: String,
    pub subject_type: String,
    pub name: String,
    pub id_number: String,
    pub lists: String,
    pub obligation: String,
    pub published_on: String,
}

/// The public notices among `filter`'s (e.g. the ids a court put on its board).
pub async fn board(db: &Db, filter: &Visible) -> Result<Vec<BoardRow>, sqlx::Error> {
    use sqlx::FromRow;
    let sql = format!(
        "SELECT id, case_number, court, province, subject_type, name, id_number, lists, obligation, \
         published_on FROM notices WHERE {}",
        filter.0.condition()
    );
    filter
        .0
        .bind(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(BoardRow::from_row)
        .collect()
}

hot_row! {
    /// A public notice matched by a check: its id, the subject's stored ID and normalised name, and
    /// its lists.
    #[derive(Debug, sqlx::FromRow)]
    pub struct MatchRow {
        pub id: i64,
        pub id_number: String,
        pub name_norm: String,
        pub lists: String,
    }
}

/// The public notices of the subjects `filter` selects, for verification and partner checks.
pub async fn matches(db: &Db, filter: &Visible) -> Result<Vec<MatchRow>, sqlx::Error> {
    let (sql, args) = matches_statement(filter);
    db.hot.all(sql, args).await
}

/// The statement of [`matches`] and its values.
fn matches_statement(filter: &Visible) -> (String, Vec<Arg>) {
    let sql = format!(
        "SELECT id, id_number, name_norm, lists FROM notices WHERE {}",
        filter.0.condition()
    );
    (sql, filter.0.args())
}

/// The public notices of the subjects with these IDs: verification, exact lookup and partner
/// checks. On PostgreSQL concurrent calls share statements ([`crate::db::coalesce`]).
pub async fn by_ids(db: &Db, ids: &[&str]) -> Result<Vec<IdRow>, sqlx::Error> {
    match db.hot.coalescer::<IdRow>() {
        Some(coalescer) => {
            static SQL: std::sync::OnceLock<std::sync::Arc<str>> = std::sync::OnceLock::new();
            let sql = SQL.get_or_init(|| by_ids_statement().into()).clone();
            let ids = ids.iter().map(|s| (*s).to_owned()).collect();
            coalescer.rows(sql, court_today().to_string(), ids).await
        }
        None => {
            let (sql, args) = by_ids_list_statement(ids);
            db.hot.all(sql, args).await
        }
    }
}

/// [`by_ids`]'s statement with the IDs as a list of values (SQLite's form, one request alone).
pub fn by_ids_list_statement(ids: &[&str]) -> (String, Vec<Arg>) {
    let v = Visible::today().id_numbers(ids);
    let sql = format!(
        "SELECT {BY_IDS_COLUMNS} FROM notices WHERE {}",
        v.0.condition()
    );
    (sql, v.0.args())
}

/// [`by_ids`]'s statement on PostgreSQL: `$1` the day, `$2` the array of IDs.
pub fn by_ids_statement() -> String {
    let v = Visible::on(court_today());
    debug_assert_eq!(
        v.0.next_placeholder(),
        2,
        "the visibility rule binds the day only"
    );
    format!(
        "SELECT {BY_IDS_COLUMNS} FROM notices WHERE {} AND id_number = ANY($2)",
        v.0.condition()
    )
}

hot_row! {
    /// One row of the partner change feed.
    #[derive(Debug, sqlx::FromRow)]
    pub struct ChangeRow {
        pub id: i64,
        pub name: String,
        pub subject_type: String,
        pub id_number: String,
        pub case_number: String,
        pub lists: String,
        pub status: String,
        pub published_on: String,
        pub updated_at: i64,
        pub change_seq: i64,
    }
}

/// Up to `limit` rows written after the feed position `(change_seq, id)`, in feed order.
///
/// Positions are commit-ordered (see [`upsert_all`]), so no row can later appear behind a
/// position already handed out.
pub async fn changes_after(
    db: &Db,
    (seq, id): (i64, i64),
    limit: i64,
) -> Result<Vec<ChangeRow>, sqlx::Error> {
    db.hot
        .all(
            "SELECT id, name, subject_type, id_number, case_number, lists, status, published_on, updated_at, change_seq \
             FROM notices WHERE change_seq >= $1 AND (change_seq > $1 OR id > $2) ORDER BY change_seq, id LIMIT $3"
                .to_owned(),
            vec![seq.into(), id.into(), limit.into()],
        )
        .await
}

/// The feed position just before every row written at or after `since_ms` (Unix milliseconds).
/// A row's `updated_at` is stamped after its transaction took its sequence value, so rows written
/// later have a sequence value at least as high as this one. Rows written before that time but in
/// the same transaction come again; a partner purging twice loses nothing.
pub async fn position_before(db: &Db, since_ms: i64) -> Result<(i64, i64), sqlx::Error> {
    let first: Option<i64> = db
        .hot
        .value(
            "SELECT MIN(change_seq) AS value FROM notices WHERE updated_at >= $1".to_owned(),
            vec![since_ms.into()],
        )
        .await?;
    let seq = match first {
        Some(seq) => seq - 1,
        None => {
            db.hot
                .value(
                    "SELECT value FROM change_clock WHERE id = 1".to_owned(),
                    Vec::new(),
                )
                .await?
        }
    };
    Ok((seq, i64::MAX))
}

/// How many rows an upsert created and how many it changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Upserted {
    pub inserted: usize,
    pub updated: usize,
}

/// Province code of the court that enforces the case (from the case number's abbreviation).
fn province_code(case: &CaseNumber) -> &'static str {
    case.province().map(|p| p.code).unwrap_or("00")
}

/// What an upsert does with a row whose (case number, ID) is already stored: every published
/// field, its status and its place in the change feed are the new row's.
const ON_CONFLICT_UPDATE: &str =
    "ON CONFLICT (case_number, id_number) DO UPDATE SET court = excluded.court, \
     province = excluded.province, subject_type = excluded.subject_type, name = excluded.name, \
     name_norm = excluded.name_norm, legal_representative = excluded.legal_representative, \
     basis_number = excluded.basis_number, basis_issuer = excluded.basis_issuer, \
     filed_on = excluded.filed_on, obligation = excluded.obligation, \
     performance = excluded.performance, behaviour = excluded.behaviour, lists = excluded.lists, \
     published_on = excluded.published_on, \
     status = CASE WHEN notices.deleted_at IS NULL THEN excluded.status ELSE notices.status END, \
     updated_at = excluded.updated_at, \
     change_seq = excluded.change_seq";

/// Inserts or updates notices keyed by (case number, ID) inside one transaction: either all of
/// them are stored or none, and they become visible, to the public and to the change feed, only
/// when it commits.
///
/// The transaction's first statement takes the change feed's next sequence value: the clock row
/// stays locked until commit, so writers of notices commit in sequence order (on SQLite it also
/// takes the write lock at once, before any read could make the snapshot stale). Each engine
/// writes its fastest way: SQLite two prepared statements per row on a connection of its own,
/// PostgreSQL `COPY` into a temporary table and one `INSERT … SELECT`.
pub async fn upsert_all(db: &Db, notices: &[Notice]) -> anyhow::Result<Upserted> {
    write_notices(db, notices, true).await
}

/// [`upsert_all`] inside a transaction the caller holds and commits (one statement per row
/// through the shared pool: for writes composed with others, not for bulk loads). Its first
/// statement takes the change feed's sequence value, as `upsert_all`'s does.
pub async fn upsert_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    notices: &[Notice],
) -> anyhow::Result<Upserted> {
    let seq: i64 = sqlx::query_scalar(NEXT_CHANGE_SEQ)
        .fetch_one(&mut **tx)
        .await?;
    let now = now_ms();
    let sql = format!(
        "INSERT INTO notices ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
         $13, $14, $15, $16, $17, $18, $19) {ON_CONFLICT_UPDATE}"
    );
    let mut done = Upserted::default();
    for n in notices {
        let values = stored_values(n);
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM notices WHERE case_number = $1 AND id_number = $2")
                .bind(values[0].as_deref())
                .bind(values[6].as_deref())
                .fetch_optional(&mut **tx)
                .await?;
        let query = values
            .iter()
            .fold(sqlx::query(&sql), |q, v| q.bind(v.as_deref()));
        query.bind(now).bind(seq).execute(&mut **tx).await?;
        if existing.is_some() {
            done.updated += 1;
        } else {
            done.inserted += 1;
        }
    }
    Ok(done)
}

/// Bulk insert for generated data (seeding), in one transaction per call; rows whose key
/// already exists are left as they are.
pub async fn insert_batch(db: &Db, notices: &[Notice]) -> anyhow::Result<()> {
    write_notices(db, notices, false).await.map(|_| ())
}

/// The job that announces notices whose grace period ended ([`announce_published`]).
pub const ANNOUNCE_JOB: &str = "announce-published";

/// Gives every notice whose grace period has ended a new place in the change feed at that
/// moment, so partners hear of it once: the feed skipped it while it was hidden, and its cursor
/// moved on. A notice qualifies when it is active, published on a day after the job's last run
/// (the first run looks at every day) and up to today, and was last written before its
/// publication day began at the courts — that is, while it was still hidden. Runs once per tick
/// across the instances (`crate::db::jobs`); the watermark moves in the same transaction. Returns how
/// many notices were announced.
pub async fn announce_published(db: &Db) -> anyhow::Result<u64> {
    let today = court_today().to_string();
    let last = crate::db::jobs::state(db, ANNOUNCE_JOB)
        .await?
        .unwrap_or_else(|| "0000-00-00".to_owned());
    if last >= today {
        return Ok(0);
    }
    // Unix milliseconds at which the publication day begins in China Standard Time.
    let offset_ms = i64::from(portal_core::time::COURT_UTC_OFFSET_SECS) * 1000;
    let day_starts = match db.kind {
        crate::db::DbKind::Sqlite => format!(
            "CAST((julianday(published_on) - 2440587.5) * 86400000 AS INTEGER) - {offset_ms}"
        ),
        crate::db::DbKind::Postgres => format!(
            "CAST(EXTRACT(EPOCH FROM CAST(published_on AS DATE)) * 1000 AS BIGINT) - {offset_ms}"
        ),
    };
    let mut tx = db.pool.begin().await?;
    let seq: i64 = sqlx::query_scalar(NEXT_CHANGE_SEQ)
        .fetch_one(&mut *tx)
        .await?;
    let announced = sqlx::query(&format!(
        "UPDATE notices SET change_seq = $1, updated_at = $2 WHERE status = 'active' \
         AND published_on > $3 AND published_on <= $4 AND updated_at < {day_starts}"
    ))
    .bind(seq)
    .bind(now_ms())
    .bind(&last)
    .bind(&today)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    crate::db::jobs::set_state(&mut tx, ANNOUNCE_JOB, &today).await?;
    tx.commit().await?;
    Ok(announced)
}

/// The statement that takes the change feed's next sequence value.
const NEXT_CHANGE_SEQ: &str =
    "UPDATE change_clock SET value = value + 1 WHERE id = 1 RETURNING value";

async fn write_notices(db: &Db, notices: &[Notice], update: bool) -> anyhow::Result<Upserted> {
    let rows: Vec<[Option<String>; 17]> = notices.iter().map(stored_values).collect();
    let now = now_ms();
    let on_conflict = if update {
        ON_CONFLICT_UPDATE
    } else {
        "ON CONFLICT (case_number, id_number) DO NOTHING"
    };
    match &db.hot {
        Hot::Sqlite(readers) => {
            let path = readers.path().to_owned();
            Ok(tokio::task::spawn_blocking(move || -> rusqlite::Result<Upserted> {
                let mut conn = crate::db::hot::sqlite_bulk_writer(&path)?;
                let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
                let seq: i64 = tx.query_row(NEXT_CHANGE_SEQ, [], |r| r.get(0))?;
                let mut done = Upserted::default();
                {
                    let mut exists = tx.prepare(
                        "SELECT 1 FROM notices WHERE case_number = $1 AND id_number = $2",
                    )?;
                    let mut write = tx.prepare(&format!(
                        "INSERT INTO notices ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) {on_conflict}"
                    ))?;
                    for row in &rows {
                        if update && exists.exists([&row[0], &row[6]])? {
                            done.updated += 1;
                        } else {
                            done.inserted += 1;
                        }
                        for (i, v) in row.iter().enumerate() {
                            write.raw_bind_parameter(i + 1, v)?;
                        }
                        write.raw_bind_parameter(18, now)?;
                        write.raw_bind_parameter(19, seq)?;
                        write.raw_execute()?;
                    }
                }
                tx.commit()?;
                Ok(done)
            })
            .await??)
        }
        Hot::Postgres(pool, _) => {
            let mut csv = String::with_capacity(rows.len() * 400);
            for row in &rows {
                for v in row {
                    // CSV: a quoted field is text (even empty), an unquoted empty one is NULL.
                    if let Some(v) = v {
                        csv.push('"');
                        csv.push_str(&v.replace('"', "\"\""));
                        csv.push('"');
                    }
                    csv.push(',');
                }
                csv.push_str(&format!("{now},0\n"));
            }
            let mut tx = pool.begin().await?;
            let seq: i64 = sqlx::query_scalar(NEXT_CHANGE_SEQ)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(
                "CREATE TEMPORARY TABLE IF NOT EXISTS notice_load (case_number TEXT, court TEXT, \
                 province TEXT, subject_type TEXT, name TEXT, name_norm TEXT, id_number TEXT, \
                 legal_representative TEXT, basis_number TEXT, basis_issuer TEXT, filed_on TEXT, \
                 obligation TEXT, performance TEXT, behaviour TEXT, lists TEXT, published_on TEXT, \
                 status TEXT, updated_at BIGINT, change_seq BIGINT) ON COMMIT DELETE ROWS",
            )
            .execute(&mut *tx)
            .await?;
            let mut copy = tx
                .copy_in_raw(&format!(
                    "COPY notice_load ({COLUMNS}) FROM STDIN (FORMAT csv)"
                ))
                .await?;
            copy.send(csv.into_bytes()).await?;
            copy.finish().await?;
            // `xmax = 0` marks a row this statement inserted rather than updated.
            let inserted: Vec<bool> = sqlx::query_scalar(&format!(
                "INSERT INTO notices ({COLUMNS}) SELECT {} FROM notice_load \
                 ORDER BY case_number, id_number {on_conflict} RETURNING (xmax = 0)",
                COLUMNS.replace("change_seq", "$1::BIGINT")
            ))
            .bind(seq)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            let new = inserted.iter().filter(|i| **i).count();
            Ok(Upserted {
                inserted: new,
                updated: inserted.len() - new,
            })
        }
    }
}

/// The columns a notice is stored in, in the order [`upsert_all`] and [`insert_batch`] write them.
const COLUMNS: &str = "case_number, court, province, subject_type, name, name_norm, id_number, \
    legal_representative, basis_number, basis_issuer, filed_on, obligation, performance, behaviour, \
    lists, published_on, status, updated_at, change_seq";

/// A notice's stored values (every column but the last two, the write's time and sequence).
fn stored_values(n: &Notice) -> [Option<String>; 17] {
    [
        Some(n.case_number.as_str().to_owned()),
        Some(n.court.clone()),
        Some(province_code(&n.case_number).to_owned()),
        Some(n.subject_type.as_str().to_owned()),
        Some(n.name.display().to_owned()),
        Some(n.name.normalized().to_owned()),
        Some(n.subject_id.as_str().to_owned()),
        n.legal_representative.clone(),
        Some(n.basis_number.clone()),
        Some(n.basis_issuer.clone()),
        Some(n.filed_on.to_string()),
        Some(n.obligation.clone()),
        Some(n.performance.as_str().to_owned()),
        n.behaviour.map(|b| b.as_str().to_owned()),
        Some(format_lists(&n.lists)),
        Some(n.published_on.to_string()),
        Some(n.status.as_str().to_owned()),
    ]
}

/// After a bulk write, brings PostgreSQL's planner statistics up to date at once rather than
/// when autovacuum gets to it: without them a table loaded since the last analysis looks empty
/// and a partner batch's `id_number IN (…)` became a sequential scan (60 ms instead of 0.2 ms
/// at 200,000 notices). SQLite's planner needs no statistics for these indexes.
pub async fn refresh_statistics(db: &Db) -> anyhow::Result<()> {
    if db.kind == crate::db::DbKind::Postgres {
        sqlx::query("ANALYZE notices").execute(&db.pool).await?;
    }
    Ok(())
}

/// Counts by status, for command-line reports.
pub async fn count_by_status(db: &Db, status: NoticeStatus) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE status = $1")
        .bind(status.as_str())
        .fetch_one(&db.pool)
        .await
}
