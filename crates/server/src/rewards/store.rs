//! Every query over the `rewards` table.
//!
//! A reward notice is public while it is `active` or `fulfilled` and its publication date has
//! arrived; past its deadline an active notice is shown as expired. `withdrawn` and `deleted`
//! rows never reach a public answer.

use chrono::NaiveDate;
use portal_core::time::now_ms;
use portal_core::{
    reward::{RewardFormula, RewardStatus, RewardsQuery, ValidReward, REWARDS_PAGE},
    tip::TipKind,
};
use sqlx::Row;

use crate::db::{Db, Where};

/// One stored reward notice.
#[derive(Debug, sqlx::FromRow)]
pub struct RewardRow {
    pub id: i64,
    pub case_number: String,
    pub court: String,
    pub province: String,
    pub subject_type: String,
    pub subject_name: String,
    pub subject_id: String,
    pub amount: Option<i64>,
    pub percent: Option<i32>,
    pub cap: Option<i64>,
    pub conditions: String,
    pub asset_kinds: String,
    pub deadline: String,
    pub insurer: Option<String>,
    pub contact: String,
    pub published_on: String,
    pub status: String,
}

impl RewardRow {
    /// The status the public sees on `today`: an open notice past its deadline has expired.
    pub fn public_status(&self, today: NaiveDate) -> RewardStatus {
        match RewardStatus::parse(&self.status) {
            Some(RewardStatus::Active) if self.deadline < today.to_string() => {
                RewardStatus::Expired
            }
            Some(s) => s,
            None => RewardStatus::Deleted,
        }
    }

    pub fn formula(&self) -> Option<RewardFormula> {
        match (self.percent, self.cap) {
            (Some(p), Some(cap)) => Some(RewardFormula {
                percent: p.unsigned_abs(),
                cap,
            }),
            _ => None,
        }
    }

    pub fn kinds(&self) -> Vec<TipKind> {
        self.asset_kinds
            .split(';')
            .filter_map(TipKind::parse)
            .collect()
    }
}

const COLUMNS: &str = "id, case_number, court, province, subject_type, subject_name, subject_id, \
    amount, percent, cap, conditions, asset_kinds, deadline, insurer, contact, published_on, status";

/// The public rule: shown (open or fulfilled) and published by `today`.
fn public(today: NaiveDate) -> Where {
    Where::new().fixed("status IN ('active', 'fulfilled')").cmp(
        "published_on",
        "<=",
        today.to_string(),
    )
}

/// A page of the public list and the number of notices matching.
pub async fn list_public(
    db: &Db,
    q: &RewardsQuery,
    province: Option<&str>,
    kind: Option<TipKind>,
    today: NaiveDate,
) -> Result<(Vec<RewardRow>, i64), sqlx::Error> {
    use sqlx::FromRow;
    let mut w = public(today);
    if let Some(p) = province {
        w = w.cmp("province", "=", p);
    }
    if let Some(c) = q.court.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        w = w.cmp("court", "=", c);
    }
    if let Some(k) = kind {
        w = w.cmp(
            "(';' || asset_kinds || ';')",
            "LIKE",
            format!("%;{};%", k.as_str()),
        );
    }
    if let Some(min) = q.min_amount {
        w = w.cmp("COALESCE(amount, cap)", ">=", min);
    }
    // Open notices first (soonest deadline first), then expired and fulfilled ones; today is
    // bound after the filter's own values.
    let open_first = format!(
        "CASE WHEN status = 'active' AND deadline >= ${} THEN 0 ELSE 1 END",
        w.next_placeholder()
    );
    let order = match q.sort.as_deref() {
        Some("amount") => format!("{open_first}, COALESCE(amount, cap) DESC, id DESC"),
        Some("newest") => format!("{open_first}, published_on DESC, id DESC"),
        _ => format!("{open_first}, deadline, id"),
    };
    let page = q.page.unwrap_or(1).max(1);
    let offset = (page - 1) * REWARDS_PAGE;
    let c = w.condition();
    let sql = format!(
        "SELECT {COLUMNS} FROM rewards WHERE {c} ORDER BY {order} LIMIT {REWARDS_PAGE} OFFSET {offset}"
    );
    let rows = w
        .bind(&sql)
        .bind(today.to_string())
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(RewardRow::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let count_sql = format!("SELECT COUNT(*) FROM rewards WHERE {c}");
    let total: i64 = w.bind(&count_sql).fetch_one(&db.pool).await?.get(0);
    Ok((rows, total))
}

/// One public notice, or `None` once withdrawn or deleted.
pub async fn public_by_id(
    db: &Db,
    id: i64,
    today: NaiveDate,
) -> Result<Option<RewardRow>, sqlx::Error> {
    use sqlx::FromRow;
    let w = public(today).cmp("id", "=", id);
    let sql = format!("SELECT {COLUMNS} FROM rewards WHERE {}", w.condition());
    w.bind(&sql)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| RewardRow::from_row(&r))
        .transpose()
}

/// Any notice of `court`, whatever its status, for staff.
pub async fn by_id_for_court(
    db: &Db,
    id: i64,
    court: &str,
) -> Result<Option<RewardRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM rewards WHERE id = $1 AND court = $2"
    ))
    .bind(id)
    .bind(court)
    .fetch_optional(&db.pool)
    .await
}

/// Every notice of `court`, newest first, for staff.
pub async fn list_for_court(db: &Db, court: &str) -> Result<Vec<RewardRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM rewards WHERE court = $1 AND status <> 'deleted' ORDER BY id DESC"
    ))
    .bind(court)
    .fetch_all(&db.pool)
    .await
}

fn province_of(r: &ValidReward) -> &'static str {
    r.case_number.province().map(|p| p.code).unwrap_or("00")
}

fn kinds(r: &ValidReward) -> String {
    r.asset_kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Stores a new notice for `court` (staff enter notices only for their own court).
pub async fn insert(db: &Db, r: &ValidReward, court: &str, by: &str) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    sqlx::query_scalar(
        "INSERT INTO rewards (case_number, court, province, subject_type, subject_name, subject_id, amount, \
         percent, cap, conditions, asset_kinds, deadline, insurer, contact, published_on, status, created_by, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'active', $16, $17, $17) \
         RETURNING id",
    )
    .bind(r.case_number.as_str())
    .bind(court)
    .bind(province_of(r))
    .bind(r.subject_id.subject_type().as_str())
    .bind(r.subject_name.display())
    .bind(r.subject_id.as_str())
    .bind(r.amount)
    .bind(r.formula.map(|f| f.percent as i32))
    .bind(r.formula.map(|f| f.cap))
    .bind(&r.conditions)
    .bind(kinds(r))
    .bind(r.deadline.to_string())
    .bind(r.insurer.as_deref())
    .bind(&r.contact)
    .bind(r.published_on.to_string())
    .bind(by)
    .bind(now)
    .fetch_one(&db.pool)
    .await
}

/// Replaces the fields of an active notice of `court`; false when there is none.
pub async fn update(db: &Db, id: i64, r: &ValidReward, court: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE rewards SET case_number = $1, province = $2, subject_type = $3, subject_name = $4, \
         subject_id = $5, amount = $6, percent = $7, cap = $8, conditions = $9, asset_kinds = $10, \
         deadline = $11, insurer = $12, contact = $13, published_on = $14, updated_at = $15 \
         WHERE id = $16 AND court = $17 AND status = 'active'",
    )
    .bind(r.case_number.as_str())
    .bind(province_of(r))
    .bind(r.subject_id.subject_type().as_str())
    .bind(r.subject_name.display())
    .bind(r.subject_id.as_str())
    .bind(r.amount)
    .bind(r.formula.map(|f| f.percent as i32))
    .bind(r.formula.map(|f| f.cap))
    .bind(&r.conditions)
    .bind(kinds(r))
    .bind(r.deadline.to_string())
    .bind(r.insurer.as_deref())
    .bind(&r.contact)
    .bind(r.published_on.to_string())
    .bind(now_ms())
    .bind(id)
    .bind(court)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves an active notice of `court` to `status` (withdrawn, fulfilled, deleted); false when
/// there is no such active notice.
pub async fn close(
    db: &Db,
    id: i64,
    court: &str,
    status: RewardStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE rewards SET status = $1, updated_at = $2 WHERE id = $3 AND court = $4 AND status = 'active'",
    )
    .bind(status.as_str())
    .bind(now_ms())
    .bind(id)
    .bind(court)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}
