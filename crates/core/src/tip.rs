//! Asset tips (财产线索举报): the vocabulary, the form's validation (shared by the tip form in the
//! browser and `POST /api/v1/tips`) and the JSON shapes of the tip API (DESIGN §7.5). Tracking
//! codes and PINs ([`crate::tracking`]) and phone numbers ([`crate::phone`]) are shared with the
//! certificates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{
    error::{ErrorCode, FieldError, Invalid},
    notice::parse_date,
    phone::parse_phone,
    tracking::{parse_code_and_pin, parse_pin},
    vocabulary::vocabulary,
};

/// The server imports tracking codes from here; [`crate::tracking`] owns them.
pub use crate::tracking::{
    group_tracking_code, parse_tracking_code, tracking_code_from, PIN_DIGITS, TRACKING_DIGITS,
};

vocabulary! {
    /// What the lead is about.
    pub enum TipKind {
        RealEstate => ("real_estate", "房产、土地", "Real estate or land"),
        Vehicle => ("vehicle", "车辆", "Vehicle"),
        Vessel => ("vessel", "船舶", "Vessel"),
        Deposits => ("deposits", "存款、理财", "Bank deposits or investments"),
        Income => ("income", "分红、工资等收入", "Dividends, wages or other income"),
        Business => ("business", "经营、股权", "Business or shareholdings"),
        Whereabouts => ("whereabouts", "被执行人下落", "Whereabouts of the debtor"),
        Other => ("other", "其他", "Other"),
    }
}

vocabulary! {
    /// Where a tip stands. The tipster sees each step on the status page.
    pub enum TipStatus {
        Received => ("received", "已收到", "Received"),
        Verifying => ("verifying", "核查中", "Being verified"),
        Valid => ("valid", "线索有效", "Lead confirmed"),
        Invalid => ("invalid", "线索无效", "Lead not confirmed"),
        Recovered => ("recovered", "已执行到位", "Assets recovered"),
        RewardApproved => ("reward_approved", "悬赏金已核准", "Reward approved"),
        Paid => ("paid", "悬赏金已发放", "Reward paid"),
    }
}

impl TipStatus {
    /// The statuses a tip may move to from this one: forward along the timeline, or to `invalid`
    /// while it is still being looked at.
    pub fn next(self) -> &'static [TipStatus] {
        use TipStatus::*;
        match self {
            Received => &[Verifying, Invalid],
            Verifying => &[Valid, Invalid],
            Valid => &[Recovered],
            Recovered => &[RewardApproved],
            RewardApproved => &[Paid],
            Invalid | Paid => &[],
        }
    }
}

/// Longest description, in characters (a lead is a few paragraphs, not a file).
pub const MAX_DESCRIPTION: usize = 2000;
/// Shortest useful description, in characters.
pub const MIN_DESCRIPTION: usize = 10;
/// Longest place, contact name and court message, in characters.
pub const MAX_SHORT: usize = 200;
/// Optional contact details; needed only to be paid a reward.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TipContact {
    pub name: String,
    pub phone: String,
}

/// `POST /api/v1/tips` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TipRequest {
    /// The reward notice the lead answers, if any.
    pub reward_id: Option<i64>,
    /// The public notice of the subject, when there is no reward notice.
    pub notice_id: Option<i64>,
    pub kind: String,
    pub description: String,
    pub place: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    pub seen_on: Option<String>,
    /// Ids of finished evidence uploads (tus).
    pub uploads: Vec<String>,
    pub contact: Option<TipContact>,
    /// The tipster is not the creditor's agent and has no duty to report this asset.
    pub declaration: bool,
}

/// A tip that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTip {
    pub reward_id: Option<i64>,
    pub notice_id: Option<i64>,
    pub kind: TipKind,
    pub description: String,
    pub place: Option<String>,
    pub seen_on: Option<NaiveDate>,
    pub uploads: Vec<String>,
    pub contact: Option<TipContact>,
}

/// The signed receipt: `payload` and `signature` are base64url; the signature is Ed25519 over the
/// decoded payload bytes, by the portal key `key_id` (`/.well-known/portal-keys.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub payload: String,
    pub signature: String,
    pub key_id: String,
}

/// The answer to an accepted tip: shown once, and again only to a retry with the same key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipAccepted {
    /// 16 digits, the last a check digit; shown as four groups of four.
    pub tracking_code: String,
    pub pin: String,
    /// Server time of receipt (RFC 3339, milliseconds).
    pub received_at: String,
    pub receipt: Receipt,
}

/// What the receipt's payload holds: when, and digests of what — no identity, and not the
/// tracking code either (the server keeps a copy of every receipt, so a code in it would be a
/// code in clear): `tip_ref` is a keyed hash of the code, which the court recomputes when the
/// tipster shows the code beside the receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptPayload {
    /// `tip-receipt`, or `tip-addition` for what was added later.
    pub r#type: String,
    /// HMAC of the tracking code with the server's pepper (32 hex digits).
    pub tip_ref: String,
    pub received_at: String,
    /// SHA-256 (hex) of the tip's content (see the server's `tips::content_digest`).
    pub content_sha256: String,
    /// SHA-256 (hex) of each evidence file, in the order given.
    pub files_sha256: Vec<String>,
}

/// `POST /api/v1/tips/status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TipStatusRequest {
    pub tracking_code: String,
    pub pin: String,
}

/// One step of a tip's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub status: TipStatus,
    /// RFC 3339.
    pub at: String,
    /// The court's message to the tipster, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipStatusResponse {
    pub status: TipStatus,
    pub timeline: Vec<TimelineEntry>,
    /// What the tipster added later, oldest first.
    #[serde(default)]
    pub additions: Vec<AdditionEntry>,
}

/// A tip in a court's queue (`GET /api/v1/staff/tips`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipSummary {
    pub id: i64,
    pub kind: TipKind,
    pub status: TipStatus,
    /// RFC 3339.
    pub received_at: String,
    /// Whole days since receipt, for the queue's age column.
    pub age_days: i64,
    pub reward_id: Option<i64>,
    pub notice_id: Option<i64>,
    pub has_contact: bool,
    pub files: u32,
    pub assigned_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipsResponse {
    pub tips: Vec<StaffTipSummary>,
    pub total: u32,
    pub page: u32,
}

/// One evidence file of a tip, as staff see it listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipFile {
    pub n: u32,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    pub sha256: String,
    /// A metadata-free display copy exists (images).
    pub has_display: bool,
}

/// Another tip on the same subject and asset kind, in receipt order (the first-come rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateTip {
    pub id: i64,
    pub received_at: String,
    pub status: TipStatus,
    /// 1 for the first tip received.
    pub position: u32,
    /// This is the tip being viewed.
    pub this: bool,
}

/// `GET /api/v1/staff/tips/{id}`: everything but the tipster's contact, which is a separate,
/// audited request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipDetail {
    /// What the queue shows of it (nested: its `files` is a count, the detail's a list).
    pub summary: StaffTipSummary,
    pub description: String,
    pub place: Option<String>,
    pub seen_on: Option<String>,
    pub files: Vec<StaffTipFile>,
    pub timeline: Vec<TimelineEntry>,
    pub duplicates: Vec<DuplicateTip>,
    pub receipt: Receipt,
    /// What the tipster added later, oldest first.
    #[serde(default)]
    pub additions: Vec<StaffTipAddition>,
    /// What staff did and saw of this tip, newest first (this view included).
    #[serde(default)]
    pub audit: Vec<crate::api::staff::AuditEntry>,
}

/// `GET /api/v1/staff/tips/{id}/contact`: a separate request, so that every view is audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipContact {
    pub contact: Option<TipContact>,
}

/// `POST /api/v1/staff/tips/{id}/status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusChange {
    pub status: String,
    /// Shown to the tipster on the status page.
    pub message: Option<String>,
}

impl StatusChange {
    /// The new status, if `from` may move to it, and the trimmed message.
    pub fn validate(
        &self,
        from: TipStatus,
    ) -> Result<(TipStatus, Option<String>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let to = TipStatus::parse(&self.status);
        match to {
            None => errors.push(
                Invalid::new(ErrorCode::InvalidValue, "未知的状态", "Unknown status").at("status"),
            ),
            Some(to) if !from.next().contains(&to) => errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!(
                        "线索当前为“{}”，不能改为“{}”",
                        from.label(crate::Lang::Zh),
                        to.label(crate::Lang::Zh)
                    ),
                    format!(
                        "A tip that is \"{}\" cannot become \"{}\"",
                        from.label(crate::Lang::En),
                        to.label(crate::Lang::En)
                    ),
                )
                .at("status"),
            ),
            Some(_) => {}
        }
        let message = optional(&self.message).map(str::to_owned);
        if let Some(m) = &message {
            let n = m.chars().count();
            if n > MAX_SHORT {
                errors.push(too_long(MAX_SHORT, n).at("message"));
            }
        }
        match to {
            Some(to) if errors.is_empty() => Ok((to, message)),
            _ => Err(errors),
        }
    }
}

fn too_long(max: usize, count: usize) -> Invalid {
    Invalid::new(
        ErrorCode::TooLong,
        format!("此项最多{max}个字，当前为{count}个字"),
        format!("At most {max} characters are allowed; this has {count}"),
    )
}

/// Trims an optional text; `None` when empty.
fn optional(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl TipRequest {
    /// Checks every field against `today` (a lead cannot be seen in the future); reports every
    /// bad field, in form order.
    pub fn validate_on(
        &self,
        today: NaiveDate,
        max_files: usize,
    ) -> Result<ValidTip, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |field: &str, r: Result<(), Invalid>| {
            if let Err(e) = r {
                errors.push(e.at(field));
            }
        };
        if self.reward_id.is_none() && self.notice_id.is_none() {
            check(
                "reward_id",
                Err(Invalid::new(
                    ErrorCode::MissingField,
                    "请选择举报所针对的悬赏公告或被执行人",
                    "Choose the reward notice or the listed debtor the lead is about",
                )),
            );
        }
        let kind = TipKind::parse(&self.kind);
        if kind.is_none() {
            let allowed: Vec<&str> = TipKind::ALL.iter().map(|k| k.as_str()).collect();
            check(
                "kind",
                Err(if self.kind.trim().is_empty() {
                    Invalid::new(
                        ErrorCode::MissingField,
                        "请选择线索类型",
                        "Choose the kind of lead",
                    )
                } else {
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        format!("线索类型应为以下之一：{}", allowed.join("、")),
                        format!("The kind must be one of {}", allowed.join(", ")),
                    )
                }),
            );
        }
        let description = self.description.trim();
        let count = description.chars().count();
        check(
            "description",
            if description.is_empty() {
                Err(Invalid::new(
                    ErrorCode::MissingField,
                    "请描述线索：什么财产、在哪里、您如何知道",
                    "Describe the lead: what asset, where, and how you know",
                ))
            } else if count < MIN_DESCRIPTION {
                Err(Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("描述太短，请至少写{MIN_DESCRIPTION}个字，便于法院核查"),
                    format!("The description is too short: write at least {MIN_DESCRIPTION} characters so the court can check it"),
                ))
            } else if count > MAX_DESCRIPTION {
                Err(too_long(MAX_DESCRIPTION, count))
            } else {
                Ok(())
            },
        );
        let place = optional(&self.place);
        if let Some(p) = place {
            let n = p.chars().count();
            check(
                "place",
                if n > MAX_SHORT {
                    Err(too_long(MAX_SHORT, n))
                } else {
                    Ok(())
                },
            );
        }
        let mut seen_on = None;
        if let Some(s) = optional(&self.seen_on) {
            check(
                "seen_on",
                parse_date(s).and_then(|d| {
                    if d > today {
                        Err(Invalid::new(
                            ErrorCode::InvalidDate,
                            "发现时间不能晚于今天",
                            "The date seen cannot be after today",
                        ))
                    } else {
                        seen_on = Some(d);
                        Ok(())
                    }
                }),
            );
        }
        let uploads = evidence_ids(&self.uploads);
        check("uploads", check_file_count(uploads.len(), max_files));
        let contact = match &self.contact {
            Some(c) if !(c.name.trim().is_empty() && c.phone.trim().is_empty()) => {
                let name = c.name.trim();
                let n = name.chars().count();
                if name.is_empty() {
                    check(
                        "contact.name",
                        Err(Invalid::new(
                            ErrorCode::MissingField,
                            "留下电话时请填写姓名，以便发放悬赏金",
                            "With a phone number, give your name so the reward can be paid",
                        )),
                    );
                } else if n > MAX_SHORT {
                    check("contact.name", Err(too_long(MAX_SHORT, n)));
                }
                let phone = parse_phone(&c.phone);
                let phone = match phone {
                    Ok(p) => p,
                    Err(e) => {
                        check("contact.phone", Err(e));
                        String::new()
                    }
                };
                Some(TipContact {
                    name: name.to_owned(),
                    phone,
                })
            }
            _ => None,
        };
        if !self.declaration {
            check(
                "declaration",
                Err(Invalid::new(
                    ErrorCode::MissingField,
                    "请确认声明：您不是申请执行人的代理人，也没有报告该财产的法定义务",
                    "Confirm the declaration: you are not the creditor's agent and have no legal duty to report this asset",
                )),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidTip {
            reward_id: self.reward_id,
            notice_id: self.notice_id,
            kind: kind.expect("checked above"),
            description: description.to_owned(),
            place: place.map(str::to_owned),
            seen_on,
            uploads,
            contact,
        })
    }
}

/// The upload ids of a request, trimmed, without blanks and repeats, in the order given.
fn evidence_ids(given: &[String]) -> Vec<String> {
    let mut uploads: Vec<String> = Vec::new();
    for u in given {
        let u = u.trim();
        if !u.is_empty() && !uploads.iter().any(|seen| seen == u) {
            uploads.push(u.to_owned());
        }
    }
    uploads
}

fn check_file_count(count: usize, max_files: usize) -> Result<(), Invalid> {
    if count > max_files {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            format!("最多上传{max_files}个文件，当前为{count}个"),
            format!("At most {max_files} files; this tip has {count}"),
        ));
    }
    Ok(())
}

/// Additions one tip takes at most.
pub const MAX_ADDITIONS: usize = 20;

/// `POST /api/v1/tips/additions` with an `Idempotency-Key`: more information or evidence for a
/// tip already made, sent with its tracking code and PIN.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TipAdditionRequest {
    pub tracking_code: String,
    pub pin: String,
    pub description: String,
    /// Upload ids of finished tus uploads.
    pub uploads: Vec<String>,
}

/// A checked [`TipAdditionRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAddition {
    pub tracking_code: String,
    pub pin: String,
    /// Trimmed; may be empty when files are added.
    pub description: String,
    pub uploads: Vec<String>,
}

impl TipAdditionRequest {
    /// Checks every field; `room` is how many more files the tip may take.
    pub fn validate(&self, room: usize) -> Result<ValidAddition, Vec<FieldError>> {
        let mut errors = match (TipStatusRequest {
            tracking_code: self.tracking_code.clone(),
            pin: self.pin.clone(),
        })
        .validate()
        {
            Ok(_) => Vec::new(),
            Err(e) => e,
        };
        let description = self.description.trim();
        let uploads = evidence_ids(&self.uploads);
        let count = description.chars().count();
        if description.is_empty() && uploads.is_empty() {
            errors.push(
                Invalid::new(
                    ErrorCode::MissingField,
                    "请填写补充说明或添加文件",
                    "Write what you want to add, or add a file",
                )
                .at("description"),
            );
        } else if count > MAX_DESCRIPTION {
            errors.push(too_long(MAX_DESCRIPTION, count).at("description"));
        }
        if let Err(e) = check_file_count(uploads.len(), room) {
            errors.push(e.at("uploads"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(ValidAddition {
            tracking_code: parse_tracking_code(&self.tracking_code).expect("checked"),
            pin: parse_pin(&self.pin).expect("checked"),
            description: description.to_owned(),
            uploads,
        })
    }
}

/// `201` answer to an addition: its own signed receipt (payload type `tip-addition`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TipAdditionAccepted {
    /// RFC 3339, milliseconds.
    pub received_at: String,
    pub receipt: Receipt,
}

/// An addition as the tipster's status page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdditionEntry {
    /// RFC 3339.
    pub at: String,
    pub files: u32,
}

/// An addition as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTipAddition {
    /// RFC 3339.
    pub at: String,
    pub description: String,
    /// The numbers (`n`) of the files it added, in the tip's file list.
    pub files: Vec<u32>,
    pub receipt: Receipt,
}

impl TipStatusRequest {
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        parse_code_and_pin(&self.tracking_code, &self.pin, "tracking_code")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn good() -> TipRequest {
        TipRequest {
            reward_id: Some(7),
            kind: "vessel".into(),
            description: "被执行人的渔船“浙象渔01234”停在石浦港三号码头，每天傍晚出海".into(),
            place: Some("象山县石浦港".into()),
            seen_on: Some("2026-11-20".into()),
            uploads: vec!["up_1".into(), "up_2".into(), "up_1".into()],
            contact: Some(TipContact {
                name: "王女士".into(),
                phone: "+86 138-0013-8000".into(),
            }),
            declaration: true,
            ..TipRequest::default()
        }
    }

    fn fields(r: Result<ValidTip, Vec<FieldError>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_tip_is_normalised() {
        let t = good().validate_on(today(), 10).unwrap();
        assert_eq!(t.kind, TipKind::Vessel);
        assert_eq!(t.uploads, vec!["up_1", "up_2"], "duplicates dropped");
        assert_eq!(t.contact.unwrap().phone, "13800138000");
        assert_eq!(t.seen_on, NaiveDate::from_ymd_opt(2026, 11, 20));
    }

    #[test]
    fn every_bad_field_is_reported_with_both_languages() {
        let bad = TipRequest {
            reward_id: None,
            notice_id: None,
            kind: "boat".into(),
            description: "短".into(),
            place: Some("地".repeat(201)),
            seen_on: Some("2026-11-23".into()),
            uploads: (0..11).map(|i| format!("up_{i}")).collect(),
            contact: Some(TipContact {
                name: String::new(),
                phone: "12345".into(),
            }),
            declaration: false,
        };
        let errors = bad.validate_on(today(), 10).unwrap_err();
        let got: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            got,
            vec![
                "reward_id",
                "kind",
                "description",
                "place",
                "seen_on",
                "uploads",
                "contact.name",
                "contact.phone",
                "declaration"
            ]
        );
        assert!(errors
            .iter()
            .all(|e| !e.invalid.zh.is_empty() && !e.invalid.en.is_empty()));
    }

    #[test]
    fn huge_descriptions_and_missing_declarations_are_refused() {
        let mut t = good();
        t.description = "船".repeat(100_000);
        assert_eq!(fields(t.validate_on(today(), 10)), vec!["description"]);
        let mut t = good();
        t.declaration = false;
        assert_eq!(fields(t.validate_on(today(), 10)), vec!["declaration"]);
        let mut t = good();
        t.contact = Some(TipContact::default());
        assert!(
            t.validate_on(today(), 10).unwrap().contact.is_none(),
            "an empty contact is no contact"
        );
    }

    #[test]
    fn status_moves_only_forward() {
        assert!(TipStatus::Received.next().contains(&TipStatus::Verifying));
        assert!(!TipStatus::Verifying.next().contains(&TipStatus::Paid));
        assert!(TipStatus::Paid.next().is_empty());
        for s in TipStatus::ALL {
            assert!(!s.next().contains(s));
        }
    }

    #[test]
    fn a_staff_tip_detail_reads_back_what_the_server_writes() {
        let detail = StaffTipDetail {
            summary: StaffTipSummary {
                id: 7,
                kind: TipKind::Vessel,
                status: TipStatus::Verifying,
                received_at: "2026-11-22T08:00:00.000Z".into(),
                age_days: 4,
                reward_id: Some(3),
                notice_id: None,
                has_contact: true,
                files: 2,
                assigned_to: None,
            },
            description: "渔船停在石浦港".into(),
            place: None,
            seen_on: None,
            files: vec![StaffTipFile {
                n: 1,
                name: "a.jpg".into(),
                content_type: "image/jpeg".into(),
                bytes: 10,
                sha256: "00".into(),
                has_display: true,
            }],
            timeline: Vec::new(),
            duplicates: Vec::new(),
            receipt: Receipt {
                payload: "p".into(),
                signature: "s".into(),
                key_id: "k".into(),
            },
            additions: Vec::new(),
            audit: Vec::new(),
        };
        let json = serde_json::to_string(&detail).unwrap();
        assert_eq!(
            serde_json::from_str::<StaffTipDetail>(&json).unwrap(),
            detail
        );
    }

    #[test]
    fn an_addition_needs_the_code_pin_and_something_to_add() {
        let code = tracking_code_from("123456789012345");
        let add = TipAdditionRequest {
            tracking_code: group_tracking_code(&code),
            pin: "０１２３４５".into(),
            description: "  船已开到石浦港四号码头  ".into(),
            uploads: vec!["a".into(), "a".into(), " ".into()],
        };
        let valid = add.validate(10).unwrap();
        assert_eq!(valid.tracking_code, code);
        assert_eq!(valid.pin, "012345");
        assert_eq!(valid.description, "船已开到石浦港四号码头");
        assert_eq!(valid.uploads, vec!["a".to_owned()]);

        let only_files = TipAdditionRequest {
            description: " ".into(),
            ..add.clone()
        };
        assert!(only_files.validate(1).is_ok(), "files alone are enough");
        let fields = |r: Result<ValidAddition, Vec<FieldError>>| -> Vec<String> {
            r.unwrap_err().into_iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(only_files.validate(0)), ["uploads"], "no room left");
        let nothing = TipAdditionRequest {
            description: String::new(),
            uploads: Vec::new(),
            ..add.clone()
        };
        assert_eq!(fields(nothing.validate(10)), ["description"]);
        let bad = TipAdditionRequest {
            tracking_code: "1234".into(),
            pin: "12".into(),
            description: "线".repeat(MAX_DESCRIPTION + 1),
            uploads: Vec::new(),
        };
        let errors = bad.validate(10).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["tracking_code", "pin", "description"]
        );
        assert!(errors[2].message(crate::Lang::En).contains("2000"));
    }

    proptest! {
        #[test]
        fn descriptions_within_limits_pass(n in MIN_DESCRIPTION..=MAX_DESCRIPTION) {
            let mut t = good();
            t.description = "线".repeat(n);
            prop_assert!(t.validate_on(today(), 10).is_ok());
        }
    }
}
