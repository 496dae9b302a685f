//! The creditor's (申请执行人) word on a declared performance: the code they were given, their
//! answer, and what they and the court's reviewer see.

use serde::{Deserialize, Serialize};

use crate::stage::Stage;
use crate::{
    error::{ErrorCode, FieldError, Invalid},
    tracking::parse_tracking_code,
    vocabulary::vocabulary,
};

/// Days a creditor has to answer.
pub const CREDITOR_DAYS: u64 = 7;

/// `POST /api/v1/certificates/confirmations/lookup` and `…/confirmations`: the creditor's code,
/// and (for the answer) `confirmed` or `disputed` with an optional note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditorRequest {
    pub creditor_code: String,
    pub answer: String,
    pub note: Option<String>,
}

vocabulary! {
    /// The creditor's answer to a declared performance.
    pub enum CreditorAnswer {
        Confirmed => ("confirmed", "已确认", "Confirmed"),
        Disputed => ("disputed", "有异议", "Disputed"),
    }
}

impl CreditorRequest {
    /// The canonical code, alone (a lookup).
    pub fn code(&self) -> Result<String, Vec<FieldError>> {
        parse_tracking_code(&self.creditor_code).map_err(|e| vec![e.at("creditor_code")])
    }

    /// The code, the answer and the trimmed note (required when disputing, at most 200
    /// characters).
    pub fn validate(&self) -> Result<(String, CreditorAnswer, Option<String>), Vec<FieldError>> {
        let code = parse_tracking_code(&self.creditor_code);
        let answer = validate_answer(&self.answer, self.note.as_deref());
        match (code, answer) {
            (Ok(code), Ok((answer, note))) => Ok((code, answer, note)),
            (code, answer) => {
                let mut errors: Vec<FieldError> = code
                    .err()
                    .map(|e| e.at("creditor_code"))
                    .into_iter()
                    .collect();
                errors.extend(answer.err().unwrap_or_default());
                Err(errors)
            }
        }
    }
}

/// A creditor's answer (`confirmed` or `disputed`) and the trimmed note: required when
/// disputing, at most 200 characters. Shared by the certificates' code flow and the parties'
/// desk, where the creditor answers signed in.
pub fn validate_answer(
    answer: &str,
    note: Option<&str>,
) -> Result<(CreditorAnswer, Option<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let answer = match answer.trim() {
        "confirmed" => Some(CreditorAnswer::Confirmed),
        "disputed" => Some(CreditorAnswer::Disputed),
        _ => {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "请选择确认或提出异议",
                    "Confirm, or dispute",
                )
                .at("answer"),
            );
            None
        }
    };
    let note = note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let n = note.as_deref().map(|n| n.chars().count()).unwrap_or(0);
    if answer == Some(CreditorAnswer::Disputed) && note.is_none() {
        errors.push(
            Invalid::new(
                ErrorCode::MissingField,
                "提出异议时请说明理由",
                "Say why you dispute it",
            )
            .at("note"),
        );
    } else if n > 200 {
        errors.push(
            Invalid::new(
                ErrorCode::TooLong,
                format!("说明最多200个字，当前为{n}个字"),
                format!("At most 200 characters are allowed; this has {n}"),
            )
            .at("note"),
        );
    }
    match answer {
        Some(answer) if errors.is_empty() => Ok((answer, note)),
        _ => Err(errors),
    }
}

/// What the creditor sees of an application before answering (no ID, no phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditorView {
    pub case_number: String,
    pub name: String,
    pub stage: Stage,
    /// In yuan, as shown (`12,500.00`).
    pub amount: String,
    pub performed_on: String,
    pub court: String,
    /// The last day to answer.
    pub deadline: String,
    /// The answer already given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<CreditorAnswer>,
}

/// The creditor's word as the court's reviewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditorState {
    /// The last day to answer.
    pub deadline: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<CreditorAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
