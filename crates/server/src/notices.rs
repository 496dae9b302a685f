//! The notices table: writing validated notices and the public-visibility rule every read obeys.
//!
//! A notice is public only while `status = 'active'` and its publication date has arrived (a
//! court's grace period keeps a decided listing private until then). Deleted rows stay in the
//! table as the court's history but never reach a public answer.

use portal_core::{
    notice::{format_lists, Notice, NoticeStatus},
    CaseNumber,
};

use crate::db::{court_today, now_millis, Db};

/// SQL condition selecting the rows the public may see; `$1` is today's date at the courts.
pub const PUBLIC: &str = "status = 'active' AND published_on <= $1";

pub async fn count_public(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM notices WHERE {PUBLIC}"))
        .bind(court_today().to_string())
        .fetch_one(&db.pool)
        .await
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
    let mut outcome = Vec::with_capacity(notices.len());
    let now = now_millis();
    for n in notices {
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM notices WHERE case_number = $1 AND id_number = $2")
                .bind(n.case_number.as_str())
                .bind(n.subject_id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO notices (case_number, court, province, subject_type, name, name_norm, id_number, \
             legal_representative, basis_number, basis_issuer, filed_on, obligation, performance, behaviour, \
             lists, published_on, status, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
             ON CONFLICT (case_number, id_number) DO UPDATE SET court = excluded.court, \
             province = excluded.province, subject_type = excluded.subject_type, name = excluded.name, \
             name_norm = excluded.name_norm, legal_representative = excluded.legal_representative, \
             basis_number = excluded.basis_number, basis_issuer = excluded.basis_issuer, \
             filed_on = excluded.filed_on, obligation = excluded.obligation, \
             performance = excluded.performance, behaviour = excluded.behaviour, lists = excluded.lists, \
             published_on = excluded.published_on, status = excluded.status, updated_at = excluded.updated_at",
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
        .execute(&mut *tx)
        .await?;
        outcome.push(if existing.is_some() {
            Upserted::Updated
        } else {
            Upserted::Inserted
        });
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Bulk insert for generated data: many rows per statement, no existence checks. Rows whose key
/// already exists are left as they are.
pub async fn insert_batch(db: &Db, notices: &[Notice]) -> anyhow::Result<()> {
    const COLS: usize = 18;
    let now = now_millis();
    let mut tx = db.pool.begin().await?;
    // SQLite allows 32,766 bound values per statement; 500 rows use 9,000.
    for chunk in notices.chunks(500) {
        let mut sql = String::from(
            "INSERT INTO notices (case_number, court, province, subject_type, name, name_norm, id_number, \
             legal_representative, basis_number, basis_issuer, filed_on, obligation, performance, behaviour, \
             lists, published_on, status, updated_at) VALUES ",
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
                .bind(now);
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
