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
use portal_core::{
    lookup::{MAX_SUBJECTS, PAGE_SIZE},
    notice::{format_lists, Notice, NoticeStatus},
    CaseNumber,
};
use sqlx::{Any, Transaction};

use crate::{
    clock::{court_today, now_millis},
    db::{Db, Where},
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

/// One notice of a lookup page, with the number of subjects the lookup matched.
#[derive(Debug, sqlx::FromRow)]
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
hot_row!(LookupRow {
    subject_count,
    id,
    case_number,
    court,
    subject_type,
    name,
    id_number,
    lists,
    filed_on,
    published_on
});

/// A page of a name lookup: the notices of the page's subjects (ordered by subject, newest
/// first) and how many subjects match, counted up to `MAX_SUBJECTS + 1`.
pub async fn lookup_page(
    db: &Db,
    filter: &Visible,
    page: u32,
) -> Result<(Vec<LookupRow>, i64), sqlx::Error> {
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
    let rows: Vec<LookupRow> = db.hot.all(sql, filter.0.args()).await?;
    let count = match rows.first() {
        Some(row) => row.subject_count,
        // An empty first page means no subject at all; past the end, count them for the reply.
        None if page <= 1 => 0,
        None => {
            let sql = format!(
                "SELECT COUNT(*) AS value FROM (SELECT id_number FROM notices WHERE {c} GROUP BY id_number LIMIT {}) s",
                MAX_SUBJECTS + 1
            );
            db.hot.value(sql, filter.0.args()).await?
        }
    };
    Ok((rows, count))
}

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
hot_row!(DetailRow {
    id,
    case_number,
    court,
    subject_type,
    name,
    id_number,
    legal_representative,
    basis_number,
    basis_issuer,
    filed_on,
    obligation,
    performance,
    behaviour,
    lists,
    published_on
});

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

/// A public notice matched by a check: its id, the subject's stored ID and normalised name, and
/// its lists.
#[derive(Debug, sqlx::FromRow)]
pub struct MatchRow {
    pub id: i64,
    pub id_number: String,
    pub name_norm: String,
    pub lists: String,
}
hot_row!(MatchRow {
    id,
    id_number,
    name_norm,
    lists
});

/// The public notices of the subjects `filter` selects, for verification and partner checks.
pub async fn matches(db: &Db, filter: &Visible) -> Result<Vec<MatchRow>, sqlx::Error> {
    let sql = format!(
        "SELECT id, id_number, name_norm, lists FROM notices WHERE {}",
        filter.0.condition()
    );
    db.hot.all(sql, filter.0.args()).await
}

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
hot_row!(ChangeRow {
    id,
    name,
    subject_type,
    id_number,
    case_number,
    lists,
    status,
    published_on,
    updated_at,
    change_seq
});

/// Up to `limit` rows written after the feed position `(change_seq, id)`, in feed order.
///
/// Positions are commit-ordered (see [`upsert_in`]), so no row can later appear behind a
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

/// Whether an upsert created a row or changed an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Inserted,
    Updated,
}

/// Province code of the court that enforces the case (from the case number's abbreviation).
fn province_code(case: &CaseNumber) -> &'static str {
    case.province().map(|p| p.code).unwrap_or("00")
}

/// Inserts or updates notices keyed by (case number, ID) inside one transaction: either all of
/// them are stored or none.
pub async fn upsert_all(db: &Db, notices: &[Notice]) -> anyhow::Result<Vec<Upserted>> {
    let mut tx = db.pool.begin().await?;
    let outcome = upsert_in(&mut tx, notices).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Takes the change feed's next sequence value for the rows this transaction writes. It must be
/// the transaction's first statement: the clock row stays locked until commit, so writers of
/// notices commit in sequence order (on SQLite it also takes the write lock at once, before any
/// read could make the transaction's snapshot stale).
async fn next_change_seq(tx: &mut Transaction<'static, Any>) -> sqlx::Result<i64> {
    sqlx::query_scalar("UPDATE change_clock SET value = value + 1 WHERE id = 1 RETURNING value")
        .fetch_one(&mut **tx)
        .await
}

/// [`upsert_all`] inside a transaction the caller commits: the notices become visible, to the
/// public and to the change feed, only then.
pub async fn upsert_in(
    tx: &mut Transaction<'static, Any>,
    notices: &[Notice],
) -> anyhow::Result<Vec<Upserted>> {
    let seq = next_change_seq(tx).await?;
    let now = now_millis();
    let mut outcome = Vec::with_capacity(notices.len());
    for n in notices {
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM notices WHERE case_number = $1 AND id_number = $2")
                .bind(n.case_number.as_str())
                .bind(n.subject_id.as_str())
                .fetch_optional(&mut **tx)
                .await?;
        sqlx::query(
            "INSERT INTO notices (case_number, court, province, subject_type, name, name_norm, id_number, \
             legal_representative, basis_number, basis_issuer, filed_on, obligation, performance, behaviour, \
             lists, published_on, status, updated_at, change_seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) \
             ON CONFLICT (case_number, id_number) DO UPDATE SET court = excluded.court, \
             province = excluded.province, subject_type = excluded.subject_type, name = excluded.name, \
             name_norm = excluded.name_norm, legal_representative = excluded.legal_representative, \
             basis_number = excluded.basis_number, basis_issuer = excluded.basis_issuer, \
             filed_on = excluded.filed_on, obligation = excluded.obligation, \
             performance = excluded.performance, behaviour = excluded.behaviour, lists = excluded.lists, \
             published_on = excluded.published_on, status = excluded.status, updated_at = excluded.updated_at, \
             change_seq = excluded.change_seq",
        )
        .bind(n.case_number.as_str())
        .bind(&n.court)
        .bind(province_code(&n.case_number))
        .bind(n.subject_type.as_str())
        .bind(n.name.display())
        .bind(n.name.normalized())
        .bind(n.subject_id.as_str())
        .bind(n.legal_representative.as_deref())
        .bind(&n.basis_number)
        .bind(&n.basis_issuer)
        .bind(n.filed_on.to_string())
        .bind(&n.obligation)
        .bind(n.performance.as_str())
        .bind(n.behaviour.map(|b| b.as_str()))
        .bind(format_lists(&n.lists))
        .bind(n.published_on.to_string())
        .bind(n.status.as_str())
        .bind(now)
        .bind(seq)
        .execute(&mut **tx)
        .await?;
        outcome.push(if existing.is_some() {
            Upserted::Updated
        } else {
            Upserted::Inserted
        });
    }
    Ok(outcome)
}

/// Bulk insert for generated data: many rows per statement, no existence checks. Rows whose key
/// already exists are left as they are.
pub async fn insert_batch(db: &Db, notices: &[Notice]) -> anyhow::Result<()> {
    const COLS: usize = 19;
    let mut tx = db.pool.begin().await?;
    let seq = next_change_seq(&mut tx).await?;
    let now = now_millis();
    // SQLite allows 32,766 bound values per statement; 500 rows use 9,500.
    for chunk in notices.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO notices (case_number, court, province, subject_type, name, name_norm, id_number, \
             legal_representative, basis_number, basis_issuer, filed_on, obligation, performance, behaviour, \
             lists, published_on, status, updated_at, change_seq) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..COLS {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", i * COLS + c + 1));
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT (case_number, id_number) DO NOTHING");
        let mut q = sqlx::query(&sql);
        for n in chunk {
            q = q
                .bind(n.case_number.as_str())
                .bind(n.court.clone())
                .bind(province_code(&n.case_number))
                .bind(n.subject_type.as_str())
                .bind(n.name.display().to_owned())
                .bind(n.name.normalized().to_owned())
                .bind(n.subject_id.as_str().to_owned())
                .bind(n.legal_representative.clone())
                .bind(n.basis_number.clone())
                .bind(n.basis_issuer.clone())
                .bind(n.filed_on.to_string())
                .bind(n.obligation.clone())
                .bind(n.performance.as_str())
                .bind(n.behaviour.map(|b| b.as_str()))
                .bind(format_lists(&n.lists))
                .bind(n.published_on.to_string())
                .bind(n.status.as_str())
                .bind(now)
                .bind(seq);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Counts by status, for command-line reports.
pub async fn count_by_status(db: &Db, status: NoticeStatus) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE status = $1")
        .bind(status.as_str())
        .fetch_one(&db.pool)
        .await
}
