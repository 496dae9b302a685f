//! Every query over the `court_statistics` table.

use portal_core::statistics::{CourtChoice, Figures, Month, StatRow, ValidQuery};
use portal_core::time::now_ms;
use sqlx::Row;

use crate::db::{Db, Where};

/// The province of `court`: from its figures already imported, else from its notices or reward
/// notices; `None` for a court this portal does not know.
pub async fn province_of(db: &Db, court: &str) -> Result<Option<String>, sqlx::Error> {
    for table in ["court_statistics", "notices", "rewards"] {
        let sql = format!("SELECT province FROM {table} WHERE court = $1 LIMIT 1");
        if let Some(row) = sqlx::query(&sql)
            .bind(court)
            .fetch_optional(&db.pool)
            .await?
        {
            return Ok(Some(row.try_get(0)?));
        }
    }
    Ok(None)
}

/// How an import went: rows new to the table and rows that replaced a court's month.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub inserted: usize,
    pub replaced: usize,
}

/// Stores every row in one transaction, each replacing the same court's month if present.
pub async fn upsert_all(db: &Db, rows: &[(StatRow, String)]) -> anyhow::Result<Stored> {
    let now = now_ms();
    let mut tx = db.pool.begin().await?;
    let mut stored = Stored::default();
    for (r, province) in rows {
        let month = r.month.to_string();
        let exists = sqlx::query("SELECT 1 FROM court_statistics WHERE court = $1 AND month = $2")
            .bind(&r.court)
            .bind(&month)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        let f = &r.figures;
        let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO court_statistics (court, month, province, pending_start, received, closed, \
             closed_actual, closed_terminated, voluntary, amount_applied, amount_recovered, days_total, \
             imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (court, month) DO UPDATE SET province = excluded.province, \
             pending_start = excluded.pending_start, received = excluded.received, \
             closed = excluded.closed, closed_actual = excluded.closed_actual, \
             closed_terminated = excluded.closed_terminated, voluntary = excluded.voluntary, \
             amount_applied = excluded.amount_applied, amount_recovered = excluded.amount_recovered, \
             days_total = excluded.days_total, imported_at = excluded.imported_at",
        )
        .bind(&r.court)
        .bind(&month)
        .bind(province)
        .bind(n(f.pending_start))
        .bind(n(f.received))
        .bind(n(f.closed))
        .bind(n(f.closed_actual))
        .bind(n(f.closed_terminated))
        .bind(n(f.voluntary))
        .bind(n(f.amount_applied))
        .bind(n(f.amount_recovered))
        .bind(n(f.days_total))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if exists {
            stored.replaced += 1;
        } else {
            stored.inserted += 1;
        }
    }
    tx.commit().await?;
    Ok(stored)
}

fn filter(q: &ValidQuery) -> Where {
    let mut w = Where::new();
    if let Some(p) = &q.province {
        w = w.cmp("province", "=", p.as_str());
    }
    if let Some(c) = &q.court {
        w = w.cmp("court", "=", c.as_str());
    }
    if let Some(f) = q.from {
        w = w.cmp("month", ">=", f.to_string());
    }
    if let Some(t) = q.to {
        w = w.cmp("month", "<=", t.to_string());
    }
    w
}

/// The rows under the filters, and when the newest of them was imported (milliseconds).
pub async fn rows(db: &Db, q: &ValidQuery) -> anyhow::Result<(Vec<StatRow>, Option<i64>)> {
    let w = filter(q);
    let sql = format!(
        "SELECT court, month, pending_start, received, closed, closed_actual, closed_terminated, \
         voluntary, amount_applied, amount_recovered, days_total, imported_at \
         FROM court_statistics WHERE {} ORDER BY month, court",
        w.condition()
    );
    let mut newest = None;
    let mut out = Vec::new();
    for row in w.bind(&sql).fetch_all(&db.pool).await? {
        let n = |i: usize| -> Result<u64, sqlx::Error> {
            Ok(u64::try_from(row.try_get::<i64, _>(i)?).unwrap_or(0))
        };
        let imported: i64 = row.try_get(11)?;
        newest = newest.max(Some(imported));
        let month: String = row.try_get(1)?;
        out.push(StatRow {
            court: row.try_get(0)?,
            month: Month::parse(&month)
                .map_err(|_| anyhow::anyhow!("stored month {month} is not YYYY-MM"))?,
            figures: Figures {
                pending_start: n(2)?,
                received: n(3)?,
                closed: n(4)?,
                closed_actual: n(5)?,
                closed_terminated: n(6)?,
                voluntary: n(7)?,
                amount_applied: n(8)?,
                amount_recovered: n(9)?,
                days_total: n(10)?,
            },
        });
    }
    Ok((out, newest))
}

/// Every court with figures, and its province, for the dashboard's filters.
pub async fn court_choices(db: &Db) -> Result<Vec<CourtChoice>, sqlx::Error> {
    sqlx::query("SELECT DISTINCT court, province FROM court_statistics ORDER BY province, court")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(CourtChoice {
                court: r.try_get(0)?,
                province: r.try_get(1)?,
            })
        })
        .collect()
}
