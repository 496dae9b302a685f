//! The monthly court statistics `seed --demo` stores for every demo court.

use chrono::NaiveDate;

use crate::{
    db::Db,
    notices::seed::{Rng, COURTS},
};

/// Two years of monthly figures for every demo court, up to last month, shaped like a district
/// court's enforcement work: intake by the court's size, fewer cases around the Spring Festival
/// (February), a year-end push on closures (December), about half the closures by actual
/// enforcement and a third by termination (终本), and recovery around half the amounts applied
/// for. Each month's opening caseload is the last month's plus received minus closed.
pub async fn seed_statistics(db: &Db, today: NaiveDate) -> anyhow::Result<()> {
    use portal_core::statistics::{Figures, Month, StatRow};
    let mut rng = Rng(20_251_130);
    let last = {
        let m = Month::of(today);
        // The month before this one: this month's figures are not in yet.
        let mut prev = Month {
            year: m.year - 2,
            month: m.month,
        };
        for _ in 0..23 {
            prev = prev.next();
        }
        prev
    };
    let mut rows = Vec::new();
    for (i, court) in COURTS.iter().enumerate() {
        // Monthly intake: big-city districts several times a county's.
        let base = [420, 900, 760, 2400, 2900, 1800, 1600, 1100, 950][i % 9] as u64;
        let mut pending = base * 3 + rng.below(base);
        let mut month = Month {
            year: last.year - 2,
            month: last.month,
        }
        .next();
        for _ in 0..24 {
            let season = match month.month {
                2 => 70,
                1 | 3 => 95,
                _ => 100 + rng.below(15),
            };
            let received = base * season / 100 + rng.below(base / 10 + 1);
            let push = if month.month == 12 {
                130
            } else {
                95 + rng.below(12)
            };
            let closed = ((pending + received) * push / 100 * 30 / 100).min(pending + received);
            let actual = closed * (46 + rng.below(12)) / 100;
            let terminated = (closed - actual) * (70 + rng.below(20)) / 100;
            let voluntary = actual * (28 + rng.below(14)) / 100;
            let applied_yuan = actual * (90_000 + rng.below(120_000));
            let recovered_yuan = applied_yuan * (38 + rng.below(25)) / 100;
            let days = closed * (80 + rng.below(50));
            rows.push((
                StatRow {
                    court: court.name.to_owned(),
                    month,
                    figures: Figures {
                        pending_start: pending,
                        received,
                        closed,
                        closed_actual: actual,
                        closed_terminated: terminated,
                        voluntary,
                        amount_applied: applied_yuan * 100,
                        amount_recovered: recovered_yuan * 100,
                        days_total: days,
                    },
                },
                court.region[..2].to_owned(),
            ));
            pending = pending + received - closed;
            month = month.next();
        }
    }
    crate::statistics::store::upsert_all(db, &rows).await?;
    Ok(())
}
