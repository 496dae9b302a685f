//! A debtor's declaration of a payment (`POST /api/v1/party/performance`): which case, how much,
//! when and how, with proof. Checked against the case: the amount must not exceed what is still
//! owed, and the date must lie between the start of the case's year and today.

use chrono::NaiveDate;

use super::amount::{display_yuan, parse_yuan};
use super::api::PerformanceDeclarationRequest;
use super::uploads::evidence;
use super::vocabulary::{choice, PaymentMethod};
use crate::case_number::PartyCaseNumber;
use crate::error::{ErrorCode, FieldError, Invalid};
use crate::notice::parse_date;

/// No payment before this date is taken: the certificates' epoch.
pub const EARLIEST_PAYMENT: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// What the declaration is checked against: the court's today, the case's outstanding amount
/// (its obligation less the payments the court confirmed and those still pending) and the
/// upload limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeclarationContext {
    pub today: NaiveDate,
    pub outstanding_fen: i64,
    pub max_files: usize,
}

/// A checked declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDeclaration {
    pub case_number: PartyCaseNumber,
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    pub method: PaymentMethod,
    pub uploads: Vec<String>,
}

impl PerformanceDeclarationRequest {
    /// The case the declaration is about, to find it (and its outstanding amount) before
    /// [`PerformanceDeclarationRequest::validate`].
    pub fn case_number(&self) -> Result<PartyCaseNumber, FieldError> {
        PartyCaseNumber::parse(&self.case_number).map_err(|e| e.at("case_number"))
    }

    /// Checks every field against the case; reports every bad one, in form order.
    pub fn validate(&self, ctx: DeclarationContext) -> Result<ValidDeclaration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut record = |field: &str, e: Invalid| errors.push(e.at(field));
        let case_number =
            PartyCaseNumber::parse(&self.case_number).map_err(|e| record("case_number", e));
        let amount_fen = parse_yuan(&self.amount)
            .and_then(|fen| within_outstanding(fen, ctx.outstanding_fen))
            .map_err(|e| record("amount", e));
        // A payment before the case's year is not performance of it.
        let earliest = case_number
            .as_ref()
            .ok()
            .and_then(|n| NaiveDate::from_ymd_opt(i32::from(n.year()), 1, 1))
            .map_or(EARLIEST_PAYMENT, |d| d.max(EARLIEST_PAYMENT));
        let paid_on = parse_date(&self.paid_on)
            .and_then(|d| paid_between(d, earliest, ctx.today))
            .map_err(|e| record("paid_on", e));
        let method = choice(
            &self.method,
            ("付款方式", "payment method"),
            PaymentMethod::ALL,
            PaymentMethod::as_str,
            PaymentMethod::label,
        )
        .map_err(|e| record("method", e));
        let uploads = evidence(&self.uploads, ctx.max_files).map_err(|e| record("uploads", e));
        match (case_number, amount_fen, paid_on, method, uploads) {
            (Ok(case_number), Ok(amount_fen), Ok(paid_on), Ok(method), Ok(uploads)) => {
                Ok(ValidDeclaration {
                    case_number,
                    amount_fen,
                    paid_on,
                    method,
                    uploads,
                })
            }
            _ => Err(errors),
        }
    }
}

fn within_outstanding(fen: i64, outstanding: i64) -> Result<i64, Invalid> {
    if outstanding <= 0 {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "本案已没有待履行的金额（已确认或待确认的付款已达到义务金额）",
            "Nothing is outstanding on this case: confirmed and pending payments already reach the obligation",
        ));
    }
    if fen > outstanding {
        let shown = display_yuan(outstanding);
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            format!("申报金额超过尚未履行的金额（{shown}元）"),
            format!("The amount is more than is still owed ({shown} yuan)"),
        ));
    }
    Ok(fen)
}

fn paid_between(d: NaiveDate, earliest: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    if d > today {
        Err(Invalid::new(
            ErrorCode::InvalidDate,
            "付款日期不能晚于今天",
            "The payment date cannot be after today",
        ))
    } else if d < earliest {
        Err(Invalid::new(
            ErrorCode::InvalidDate,
            format!("付款日期不能早于{earliest}（本案案号的年份起）"),
            format!("The payment date cannot be before {earliest} (the year of the case number)"),
        ))
    } else {
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ctx() -> DeclarationContext {
        DeclarationContext {
            today: d("2025-09-20"),
            outstanding_fen: 12_000_000,
            max_files: 3,
        }
    }

    fn declaration() -> PerformanceDeclarationRequest {
        PerformanceDeclarationRequest {
            case_number: "(2025)浙0225民初1234号".into(),
            amount: "50000".into(),
            paid_on: "2025-09-18".into(),
            method: "bank_transfer".into(),
            uploads: vec!["up1".into(), "up1".into()],
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.code()))
            .collect()
    }

    #[test]
    fn a_valid_declaration() {
        let v = declaration().validate(ctx()).unwrap();
        assert_eq!(v.case_number.as_str(), "(2025)浙0225民初1234号");
        assert_eq!(v.amount_fen, 5_000_000);
        assert_eq!(v.paid_on, d("2025-09-18"));
        assert_eq!(v.method, PaymentMethod::BankTransfer);
        assert_eq!(v.uploads, vec!["up1".to_owned()]);
        // The whole outstanding amount, paid today, is fine.
        let all = PerformanceDeclarationRequest {
            amount: "120000.00".into(),
            paid_on: "2025-09-20".into(),
            ..declaration()
        };
        assert_eq!(all.validate(ctx()).unwrap().amount_fen, 12_000_000);
        assert_eq!(
            declaration().case_number().unwrap().as_str(),
            "(2025)浙0225民初1234号"
        );
    }

    #[test]
    fn every_field_wrong() {
        let errors = PerformanceDeclarationRequest::default()
            .validate(ctx())
            .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("case_number", ErrorCode::MissingField),
                ("amount", ErrorCode::MissingField),
                ("paid_on", ErrorCode::MissingField),
                ("method", ErrorCode::MissingField),
            ]
        );
        let errors = PerformanceDeclarationRequest {
            case_number: "(2025)浙0225民x1号".into(),
            amount: "0".into(),
            paid_on: "2025-13-01".into(),
            method: "wechat".into(),
            uploads: vec!["a".into(), "b".into(), "c".into(), "d".into()],
        }
        .validate(ctx())
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("case_number", ErrorCode::InvalidCaseNumber),
                ("amount", ErrorCode::InvalidValue),
                ("paid_on", ErrorCode::InvalidDate),
                ("method", ErrorCode::InvalidValue),
                ("uploads", ErrorCode::TooManyFiles),
            ]
        );
    }

    #[test]
    fn not_above_what_is_owed() {
        let over = PerformanceDeclarationRequest {
            amount: "120000.01".into(),
            ..declaration()
        };
        let errors = over.validate(ctx()).unwrap_err();
        assert_eq!(fields(&errors), vec![("amount", ErrorCode::InvalidValue)]);
        assert!(
            errors[0].invalid.zh.contains("120,000.00元"),
            "{}",
            errors[0].invalid.zh
        );
        let nothing_left = DeclarationContext {
            outstanding_fen: 0,
            ..ctx()
        };
        let errors = declaration().validate(nothing_left).unwrap_err();
        assert!(errors[0].invalid.en.contains("Nothing is outstanding"));
    }

    #[test]
    fn paid_on_between_the_case_year_and_today() {
        let check = |paid_on: &str, case_number: &str| {
            PerformanceDeclarationRequest {
                paid_on: paid_on.into(),
                case_number: case_number.into(),
                ..declaration()
            }
            .validate(ctx())
        };
        assert!(check("2025-01-01", "(2025)浙0225民初1234号").is_ok());
        let errors = check("2024-12-31", "(2025)浙0225民初1234号").unwrap_err();
        assert_eq!(fields(&errors), vec![("paid_on", ErrorCode::InvalidDate)]);
        assert!(errors[0].invalid.zh.contains("2025-01-01"));
        let errors = check("2025-09-21", "(2025)浙0225民初1234号").unwrap_err();
        assert!(errors[0].invalid.en.contains("after today"));
        // Old enforcement numbers: the earliest day is still 2000-01-01.
        assert!(check("2000-01-01", "(1998)杭西执字第5号").is_ok());
        assert!(check("1999-12-31", "(1998)杭西执字第5号").is_err());
        // A bad case number: only the fixed bound applies to the date.
        let errors = check("2001-05-05", "bad").unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("case_number", ErrorCode::InvalidCaseNumber)]
        );
    }
}
