//! `portal-server seed --demo N`: deterministic, realistic demo data, each feature's from its own
//! `seed` module — notices first (the showcase subjects the demo and the end-to-end tests rely on,
//! then N generated ones), then the reward notices, statistics, exposure board and articles that
//! refer to them.

use chrono::NaiveDate;

use crate::db::Db;

pub use crate::notices::seed::{
    demo_notices, showcase, showcase_json, write_demo_csv, COMMONEST_NAME,
};

/// Stores `count` demo notices and every other feature's demo data.
pub async fn seed_demo(db: &Db, count: usize, today: NaiveDate) -> anyhow::Result<()> {
    crate::notices::seed::insert_demo(db, count, today).await?;
    crate::rewards::seed::seed_rewards(db, today, count).await?;
    crate::statistics::seed::seed_statistics(db, today).await?;
    crate::exposure::seed::seed_exposures(db, today).await?;
    crate::articles::seed::seed_articles(db, portal_core::time::now_ms()).await
}
