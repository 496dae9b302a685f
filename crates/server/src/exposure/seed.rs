//! The exposure board `seed --demo` fills: a few public dishonest-list notices of two demo
//! courts, with the courts' notes.

use chrono::NaiveDate;

use crate::db::Db;

/// Six public dishonest-list notices of two demo courts on the exposure board, with the courts'
/// notes.
pub async fn seed_exposures(db: &Db, today: NaiveDate) -> anyhow::Result<()> {
    const NOTES: &[&str] = &[
        "有履行能力而拒不履行生效法律文书确定的义务",
        "违反限制消费令，乘坐飞机出行",
        "隐匿财产，规避执行",
    ];
    let picked = crate::notices::store::dishonest_of_courts(
        db,
        today,
        &["宁波市象山县人民法院", "杭州市西湖区人民法院"],
        6,
    )
    .await?;
    let now = portal_core::time::now_ms();
    for (i, notice) in picked.iter().enumerate() {
        crate::exposure::store::add(
            db,
            notice.id,
            &notice.court,
            Some(NOTES[i % NOTES.len()]),
            "demo",
            now - i as i64 * 60_000,
        )
        .await?;
    }
    Ok(())
}
