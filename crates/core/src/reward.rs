//! Reward notices (悬赏公告): a creditor's written offer, published by the court, of a reward for a
//! lead that leads to recovery — the JSON shapes of `GET /api/v1/rewards` (DESIGN §7.5) and the
//! validation of a notice staff enter from the creditor's application.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    error::{ErrorCode, FieldError, Invalid},
    notice::{parse_date, parse_subject_id, SubjectId, SubjectType},
    tip::TipKind,
    vocabulary::vocabulary,
    CaseNumber, PersonName,
};

vocabulary! {
    /// Where a reward notice stands. `withdrawn` and `deleted` notices are gone from every public
    /// answer; `expired` is never stored: a notice past its deadline is shown as expired.
    pub enum RewardStatus {
        Active => ("active", "悬赏中", "Open"),
        Expired => ("expired", "已到期", "Expired"),
        Fulfilled => ("fulfilled", "已兑现", "Fulfilled"),
        Withdrawn => ("withdrawn", "已撤回", "Withdrawn"),
        Deleted => ("deleted", "已删除", "Deleted"),
    }
}

/// Rewards per page of the public list.
pub const REWARDS_PAGE: u32 = 20;
/// Largest fixed reward or cap, in yuan (a sanity bound, not a legal one).
pub const MAX_AMOUNT: i64 = 100_000_000;

/// A reward as a percentage of the sum recovered thanks to the lead, up to a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardFormula {
    /// Percent of the recovered sum, 1–100.
    pub percent: u32,
    /// At most this many yuan.
    pub cap: i64,
}

/// One reward notice in the public list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardSummary {
    pub id: i64,
    pub case_number: String,
    pub court: String,
    pub province: String,
    pub subject_name: String,
    pub subject_type: SubjectType,
    /// Person IDs masked; credit codes in full.
    pub masked_id: String,
    /// A fixed reward in yuan, or …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    /// … a percentage of the recovered sum with a cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<RewardFormula>,
    pub asset_kinds: Vec<TipKind>,
    /// `YYYY-MM-DD`, the last day leads are accepted.
    pub deadline: String,
    /// The reward is insured or held in escrow.
    pub insured: bool,
    /// The insurer or escrow holder, when insured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurer: Option<String>,
    pub status: RewardStatus,
}

/// `GET /api/v1/rewards`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardsResponse {
    pub as_of: String,
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    pub rewards: Vec<RewardSummary>,
}

/// `GET /api/v1/rewards/{id}`: the summary plus what a tipster needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RewardDetail {
    #[serde(flatten)]
    pub summary: RewardSummary,
    pub as_of: String,
    /// What counts as a successful lead, in the creditor's words as published by the court.
    pub conditions: String,
    /// The court's channel for questions (phone, address).
    pub contact: String,
    /// The public notice of the subject, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_id: Option<i64>,
    pub published_on: String,
}

/// Filters of the public list; empty means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RewardsQuery {
    pub province: Option<String>,
    pub court: Option<String>,
    pub kind: Option<String>,
    /// Smallest reward (fixed amount or cap), in yuan.
    pub min_amount: Option<i64>,
    /// `deadline` (soonest first, the default), `amount` (largest first) or `newest`.
    pub sort: Option<String>,
    pub page: Option<u32>,
}

/// A reward notice as staff enter it from the creditor's written application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RewardInput {
    pub case_number: String,
    pub court: String,
    pub subject_type: String,
    pub subject_name: String,
    pub subject_id: String,
    pub amount: Option<i64>,
    pub percent: Option<u32>,
    pub cap: Option<i64>,
    pub conditions: String,
    pub asset_kinds: Vec<String>,
    pub deadline: String,
    pub insurer: Option<String>,
    pub contact: String,
    pub published_on: String,
}

/// A reward notice that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReward {
    pub case_number: CaseNumber,
    pub court: String,
    pub subject_name: PersonName,
    pub subject_id: SubjectId,
    pub amount: Option<i64>,
    pub formula: Option<RewardFormula>,
    pub conditions: String,
    pub asset_kinds: Vec<TipKind>,
    pub deadline: NaiveDate,
    pub insurer: Option<String>,
    pub contact: String,
    pub published_on: NaiveDate,
}

fn text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let v = value.trim();
    let n = v.chars().count();
    if v.is_empty() {
        errors.push(Invalid::missing().at(field));
    } else if n > max {
        errors.push(
            Invalid::new(
                ErrorCode::TooLong,
                format!("此项最多{max}个字，当前为{n}个字"),
                format!("At most {max} characters are allowed; this has {n}"),
            )
            .at(field),
        );
    }
    v.to_owned()
}

fn amount(field: &str, value: i64, errors: &mut Vec<FieldError>) {
    if !(1..=MAX_AMOUNT).contains(&value) {
        errors.push(
            Invalid::new(
                ErrorCode::InvalidValue,
                format!("金额应在1元至{MAX_AMOUNT}元之间"),
                format!("The amount must be between 1 and {MAX_AMOUNT} yuan"),
            )
            .at(field),
        );
    }
}

impl RewardInput {
    /// Checks every field; a deadline must not be before publication.
    pub fn validate(&self) -> Result<ValidReward, Vec<FieldError>> {
        let mut errors = Vec::new();
        let case_number = CaseNumber::parse(&self.case_number)
            .map_err(|e| errors.push(e.at("case_number")))
            .ok();
        let court = text("court", &self.court, 100, &mut errors);
        let subject_type = SubjectType::parse(&self.subject_type);
        if subject_type.is_none() {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "被执行人类型应为 person 或 organization",
                    "The subject type must be person or organization",
                )
                .at("subject_type"),
            );
        }
        let subject_name = PersonName::parse(&self.subject_name)
            .map_err(|e| errors.push(e.at("subject_name")))
            .ok();
        let subject_id = subject_type.and_then(|t| {
            parse_subject_id(t, &self.subject_id)
                .map_err(|e| errors.push(e.at("subject_id")))
                .ok()
        });
        let formula = match (self.amount, self.percent, self.cap) {
            (Some(a), None, None) => {
                amount("amount", a, &mut errors);
                None
            }
            (None, Some(p), Some(cap)) => {
                if !(1..=100).contains(&p) {
                    errors.push(
                        Invalid::new(
                            ErrorCode::InvalidValue,
                            "比例应在1%至100%之间",
                            "The percentage must be between 1 and 100",
                        )
                        .at("percent"),
                    );
                }
                amount("cap", cap, &mut errors);
                Some(RewardFormula { percent: p, cap })
            }
            _ => {
                errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "请填写固定金额，或填写比例和上限（二选一）",
                        "Give either a fixed amount, or a percentage with a cap",
                    )
                    .at("amount"),
                );
                None
            }
        };
        let conditions = text("conditions", &self.conditions, 1000, &mut errors);
        let mut asset_kinds = Vec::new();
        for k in &self.asset_kinds {
            match TipKind::parse(k) {
                Some(kind) if !asset_kinds.contains(&kind) => asset_kinds.push(kind),
                Some(_) => {}
                None => errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        format!("未知的财产类型“{k}”"),
                        format!("Unknown asset kind \"{k}\""),
                    )
                    .at("asset_kinds"),
                ),
            }
        }
        if self.asset_kinds.is_empty() {
            errors.push(Invalid::missing().at("asset_kinds"));
        }
        asset_kinds.sort();
        let deadline = parse_date(&self.deadline)
            .map_err(|e| errors.push(e.at("deadline")))
            .ok();
        let published_on = parse_date(&self.published_on)
            .map_err(|e| errors.push(e.at("published_on")))
            .ok();
        if let (Some(d), Some(p)) = (deadline, published_on) {
            if d < p {
                errors.push(
                    Invalid::new(
                        ErrorCode::InvalidDate,
                        "截止日期不能早于发布日期",
                        "The deadline cannot be before the publication date",
                    )
                    .at("deadline"),
                );
            }
        }
        let insurer = self
            .insurer
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| text("insurer", s, 100, &mut errors));
        let contact = text("contact", &self.contact, 200, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidReward {
            case_number: case_number.expect("checked"),
            court,
            subject_name: subject_name.expect("checked"),
            subject_id: subject_id.expect("checked"),
            amount: self.amount.filter(|_| formula.is_none()),
            formula,
            conditions,
            asset_kinds,
            deadline: deadline.expect("checked"),
            insurer,
            contact,
            published_on: published_on.expect("checked"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RewardInput {
        RewardInput {
            case_number: "(2024)浙0225执1234号".into(),
            court: "宁波市象山县人民法院".into(),
            subject_type: "person".into(),
            subject_name: "陈小明".into(),
            subject_id: "330225198506121231".into(),
            amount: Some(50_000),
            conditions: "提供线索并经核实后执行到位的".into(),
            asset_kinds: vec!["vessel".into(), "real_estate".into(), "vessel".into()],
            deadline: "2027-06-30".into(),
            insurer: Some("中国人民财产保险股份有限公司宁波分公司".into()),
            contact: "象山法院执行局 0574-65000000".into(),
            published_on: "2026-10-01".into(),
            ..RewardInput::default()
        }
    }

    #[test]
    fn a_fixed_reward_validates() {
        let r = input().validate().unwrap();
        assert_eq!(r.amount, Some(50_000));
        assert_eq!(r.asset_kinds, vec![TipKind::RealEstate, TipKind::Vessel]);
        assert!(r.formula.is_none());
    }

    #[test]
    fn a_formula_needs_a_percentage_and_a_cap() {
        let mut i = input();
        i.amount = None;
        i.percent = Some(10);
        i.cap = Some(200_000);
        assert_eq!(
            i.validate().unwrap().formula,
            Some(RewardFormula {
                percent: 10,
                cap: 200_000
            })
        );
        i.percent = Some(101);
        let fields: Vec<String> = i
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["percent"]);
        i.amount = Some(5);
        assert!(i.validate().is_err(), "both kinds at once");
    }

    #[test]
    fn bad_fields_are_named() {
        let bad = RewardInput {
            case_number: "nonsense".into(),
            subject_id: "330225198506121230".into(),
            asset_kinds: vec!["boat".into()],
            deadline: "2026-09-01".into(),
            amount: Some(0),
            ..input()
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "case_number",
                "subject_id",
                "amount",
                "asset_kinds",
                "deadline"
            ]
        );
    }
}
