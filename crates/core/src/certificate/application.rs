//! The debtor's application for a certificate (`POST /api/v1/certificates/applications`), its
//! field-by-field validation, shared by the form in the browser and the server, and the
//! applicant's status request.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::payload::epoch;
use crate::stage::Stage;
use crate::{
    case_number::PartyCaseNumber,
    error::{ErrorCode, FieldError, Invalid},
    name::PersonName,
    notice::{parse_date, SubjectId},
    phone::parse_phone,
    tracking::parse_code_and_pin,
};

/// Largest amount, in yuan: 1,000 billion.
pub const MAX_AMOUNT_YUAN: u64 = 1_000_000_000_000;

/// `POST /api/v1/certificates/applications`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationRequest {
    pub case_number: String,
    pub name: String,
    /// An ID number, or a credit code for an organisation.
    pub id_number: String,
    pub stage: String,
    /// In yuan, with up to two decimals (`12500` or `"12500.50"`).
    #[serde(deserialize_with = "number_or_text")]
    pub amount: String,
    pub performed_on: String,
    pub phone: String,
    pub honour_consent: bool,
}

fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Amount {
        Whole(u64),
        Decimal(f64),
        Text(String),
    }
    Ok(match Amount::deserialize(d)? {
        Amount::Whole(n) => n.to_string(),
        // The shortest text that reads back as the same number: 12500.5, never 12500.499999.
        Amount::Decimal(n) => n.to_string(),
        Amount::Text(t) => t,
    })
}

/// A checked [`ApplicationRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidApplication {
    /// A case of any stage: an enforcement number for `during_enforcement`, a trial-stage number
    /// (民初, 民终, …) for the stages before it.
    pub case_number: PartyCaseNumber,
    pub name: PersonName,
    pub subject: SubjectId,
    pub stage: Stage,
    pub amount_fen: u64,
    pub performed_on: NaiveDate,
    pub phone: String,
    pub honour_consent: bool,
}

/// Parses an amount in yuan (`12500`, `12,500.5`, `１２５００`) into fen; it must be above zero.
pub fn parse_amount_fen(input: &str) -> Result<u64, Invalid> {
    let folded: String = input
        .trim()
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| *c != ',')
        .collect();
    let folded = folded.trim_end_matches('元').trim();
    if folded.is_empty() {
        return Err(Invalid::missing());
    }
    let bad = || {
        Invalid::new(
            ErrorCode::InvalidValue,
            "金额格式不正确，应为大于0的数字，最多两位小数（如 12500.50）",
            "The amount must be a number above 0 with at most two decimals (such as 12500.50)",
        )
    };
    let (whole, fraction) = folded.split_once('.').unwrap_or((folded, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let yuan: u64 = whole.parse().map_err(|_| bad())?;
    if yuan > MAX_AMOUNT_YUAN {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "金额过大",
            "The amount is too large",
        ));
    }
    let fen = yuan * 100
        + format!("{fraction:0<2}")
            .parse::<u64>()
            .map_err(|_| bad())?;
    if fen == 0 {
        return Err(bad());
    }
    Ok(fen)
}

impl ApplicationRequest {
    /// Checks every field against `today`; reports every bad field in form order.
    pub fn validate_on(&self, today: NaiveDate) -> Result<ValidApplication, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut record = |field: &str, r: Result<(), Invalid>| {
            if let Err(e) = r {
                errors.push(e.at(field));
            }
        };
        let case_number = PartyCaseNumber::parse(&self.case_number);
        record(
            "case_number",
            case_number.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let name = PersonName::parse(&self.name);
        record("name", name.as_ref().map(|_| ()).map_err(Clone::clone));
        let subject = SubjectId::parse_any(&self.id_number);
        record(
            "id_number",
            subject.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        if let Ok(SubjectId::Person(id)) = &subject {
            if id.birth_date() > today {
                record(
                    "id_number",
                    Err(Invalid::new(
                        ErrorCode::InvalidIdNumber,
                        "身份证号码中的出生日期晚于今天",
                        "The birth date in this ID number is after today",
                    )),
                );
            }
        }
        let stage = Stage::parse(&self.stage);
        if stage.is_none() {
            record(
                "stage",
                Err(if self.stage.trim().is_empty() {
                    Invalid::new(
                        ErrorCode::MissingField,
                        "请选择履行阶段",
                        "Choose when the obligation was performed",
                    )
                } else {
                    Invalid::new(ErrorCode::InvalidValue, "未知的履行阶段", "Unknown stage")
                }),
            );
        }
        // The number's form says which stages it can be of: an enforcement number is performed
        // during enforcement, a 民初 number before it.
        if let (Ok(number), Some(stage)) = (&case_number, stage) {
            record("stage", number.check_stage(stage));
        }
        let amount = parse_amount_fen(&self.amount);
        record("amount", amount.as_ref().map(|_| ()).map_err(Clone::clone));
        let performed_on = parse_date(&self.performed_on).and_then(|d| {
            if d > today {
                Err(Invalid::new(
                    ErrorCode::InvalidDate,
                    "履行日期不能晚于今天",
                    "The date performed cannot be after today",
                ))
            } else if d < epoch() {
                Err(Invalid::new(
                    ErrorCode::InvalidDate,
                    "履行日期不能早于2000年",
                    "The date performed cannot be before 2000",
                ))
            } else {
                Ok(d)
            }
        });
        record(
            "performed_on",
            performed_on.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let phone = parse_phone(&self.phone);
        record("phone", phone.as_ref().map(|_| ()).map_err(Clone::clone));
        if let Ok(n) = &name {
            // The QR code has room for about 60 bytes of name.
            if n.display().len() > 90 {
                record(
                    "name",
                    Err(Invalid::new(
                        ErrorCode::TooLong,
                        "名称过长（最多30个汉字）",
                        "The name is too long (at most 30 Chinese characters)",
                    )),
                );
            }
        }
        match (
            case_number,
            name,
            subject,
            stage,
            amount,
            performed_on,
            phone,
        ) {
            (
                Ok(case_number),
                Ok(name),
                Ok(subject),
                Some(stage),
                Ok(amount_fen),
                Ok(performed_on),
                Ok(phone),
            ) if errors.is_empty() => Ok(ValidApplication {
                case_number,
                name,
                subject,
                stage,
                amount_fen,
                performed_on,
                phone,
                honour_consent: self.honour_consent,
            }),
            _ => Err(errors),
        }
    }
}

/// `201` answer to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationAccepted {
    /// 16 digits with a Damm check digit, shown as 4×4 groups.
    pub application_code: String,
    pub pin: String,
    /// For the creditor (申请执行人): 16 digits like the application code, passed on by the
    /// applicant, with which the creditor confirms or disputes the performance.
    #[serde(default)]
    pub creditor_code: String,
    /// The last day the creditor can answer (`YYYY-MM-DD`, the court's calendar).
    #[serde(default)]
    pub creditor_deadline: String,
}

/// `POST /api/v1/certificates/applications/status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationStatusRequest {
    pub application_code: String,
    pub pin: String,
}

impl ApplicationStatusRequest {
    /// The canonical code and PIN, or field errors.
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        parse_code_and_pin(&self.application_code, &self.pin, "application_code")
    }
}
