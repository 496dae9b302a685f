//! Every query over the `holidays` table.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use portal_core::calendar::{Calendar, Conflict, DayKind, Entry};
use portal_core::time::now_ms;
use sqlx::{AnyConnection, Row};

use crate::{db::Db, error::stored};

/// How an import went: days new to the calendar, and days it already had (built in or stored).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub added: usize,
    pub unchanged: usize,
}

/// The built-in calendar with every stored day. A stored day the built-in data contradicts (a
/// release shipping a year differently from an earlier import) is an error to resolve, never
/// settled silently one way or the other.
pub async fn calendar(db: &Db) -> anyhow::Result<Calendar> {
    let mut conn = db.pool.acquire().await?;
    with_stored(&mut conn).await
}

/// Adds `entries` (one per date, as `core` parses a file) in one transaction. Days the calendar
/// already has are counted unchanged, so importing a file again changes nothing; any entry that
/// contradicts the calendar refuses them all (the inner `Err`), and nothing is stored.
pub async fn add_all(db: &Db, entries: &[Entry]) -> anyhow::Result<Result<Stored, Vec<Conflict>>> {
    let mut tx = db.pool.begin().await?;
    let known = with_stored(&mut tx).await?;
    let next = match known.with(entries.iter().copied()) {
        Ok(next) => next,
        Err(conflicts) => return Ok(Err(conflicts)),
    };
    let before: BTreeSet<Entry> = known.entries().collect();
    let added: Vec<Entry> = next.entries().filter(|e| !before.contains(e)).collect();
    let now = now_ms();
    // A plain INSERT: an import racing this one with another kind for the same day fails on the
    // primary key instead of being overwritten or skipped.
    for entry in &added {
        sqlx::query("INSERT INTO holidays (date, kind, imported_at) VALUES ($1, $2, $3)")
            .bind(entry.date().to_string())
            .bind(entry.kind().as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(Ok(Stored {
        added: added.len(),
        unchanged: entries.len() - added.len(),
    }))
}

async fn with_stored(conn: &mut AnyConnection) -> anyhow::Result<Calendar> {
    let entries = read(conn).await?;
    Calendar::builtin().with(entries).map_err(|conflicts| {
        let dates: Vec<String> = conflicts.iter().map(|c| c.date.to_string()).collect();
        anyhow::anyhow!(
            "stored holidays contradict the built-in calendar on {}",
            dates.join(", ")
        )
    })
}

async fn read(conn: &mut AnyConnection) -> anyhow::Result<Vec<Entry>> {
    sqlx::query("SELECT date, kind FROM holidays ORDER BY date")
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| {
            let date: String = row.try_get(0)?;
            let kind: String = row.try_get(1)?;
            let parsed = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map_err(|_| anyhow::anyhow!("stored holiday date {date:?} is not YYYY-MM-DD"))?;
            let kind = stored(DayKind::parse(&kind), "holiday kind", &kind)?;
            Entry::new(parsed, kind).map_err(|e| anyhow::anyhow!("stored holiday {date}: {e}"))
        })
        .collect()
}
