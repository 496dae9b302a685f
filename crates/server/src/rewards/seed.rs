//! The reward notices `seed --demo` publishes on demo subjects of the dishonest list.

use chrono::{Days, NaiveDate};

use crate::{db::Db, notices::seed::Rng};

/// What creditors in the demo offer rewards for, with the conditions they set.
const REWARD_OFFERS: &[(&str, &str)] = &[
    (
        "real_estate;vehicle",
        "提供被执行人名下房产、车辆的具体位置或登记信息，经法院查证属实并执行到位的",
    ),
    (
        "vessel",
        "提供被执行人所有或实际控制的船舶停泊位置，经法院查控并执行到位的",
    ),
    (
        "deposits;income",
        "提供被执行人存款、理财、分红或工资收入线索，经法院冻结扣划到位的",
    ),
    (
        "business",
        "提供被执行人隐匿的股权、经营收入线索，经法院查证并执行到位的",
    ),
    (
        "whereabouts",
        "提供被执行人下落，协助法院找到被执行人并促成履行的",
    ),
];

const INSURERS: &[&str] = &[
    "中国人民财产保险股份有限公司",
    "中国平安财产保险股份有限公司",
    "申请执行人已将悬赏金交法院指定账户保管",
];

/// About forty reward notices on active dishonest-list subjects across the demo courts (the
/// showcase subject among them): fixed sums and percentages with caps, some insured or escrowed,
/// some past their deadline, one fulfilled and one withdrawn.
pub async fn seed_rewards(db: &Db, today: NaiveDate, notices_seeded: usize) -> anyhow::Result<()> {
    let wanted = (notices_seeded / 10).clamp(1, 40) as i64;
    let subjects = crate::notices::store::dishonest_subjects(db, today, wanted).await?;
    let mut rng = Rng(20_250_101);
    for (i, s) in subjects.into_iter().enumerate() {
        let crate::notices::store::DishonestSubject {
            case_number,
            court,
            subject_type,
            name,
            id_number,
            published_on: published,
        } = s;
        let (kinds, conditions) = *rng.pick(REWARD_OFFERS);
        let fixed = rng.chance(60);
        let published_on = NaiveDate::parse_from_str(&published, "%Y-%m-%d")
            .unwrap_or(today)
            .max(today - Days::new(200));
        // One in five has passed its deadline; the rest run three to twelve months.
        let deadline = if i % 5 == 4 {
            today - Days::new(1 + rng.below(60))
        } else {
            today + Days::new(90 + rng.below(270))
        };
        let input = portal_core::reward::RewardInput {
            case_number,
            court: court.clone(),
            subject_type,
            subject_name: name,
            subject_id: id_number,
            amount: fixed.then(|| (2 + rng.below(48) as i64) * 5_000),
            percent: (!fixed).then(|| 5 + rng.below(16) as u32),
            cap: (!fixed).then(|| (4 + rng.below(46) as i64) * 10_000),
            conditions: conditions.to_owned(),
            asset_kinds: kinds.split(';').map(str::to_owned).collect(),
            deadline: deadline.to_string(),
            insurer: rng.chance(40).then(|| (*rng.pick(INSURERS)).to_owned()),
            contact: format!(
                "{court}执行局 悬赏线索受理电话 0{}-{}",
                10 + rng.below(890),
                60_000_000 + rng.below(9_999_999)
            ),
            published_on: published_on.min(deadline).to_string(),
        };
        let valid = input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo reward {i} is invalid: {:?}", e))?;
        let id = crate::rewards::store::insert(db, &valid, &court, "demo").await?;
        let closing = match i {
            7 => Some(portal_core::reward::RewardStatus::Fulfilled),
            11 => Some(portal_core::reward::RewardStatus::Withdrawn),
            _ => None,
        };
        if let Some(status) = closing {
            crate::rewards::store::close(db, id, &court, status).await?;
        }
    }
    Ok(())
}
