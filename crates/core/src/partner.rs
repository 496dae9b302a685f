//! The rules of the partner API and the embedded check (DESIGN §7.4), shared by the embed page
//! (wasm) and the server: the batch limit, how a subject is identified (plain ID or the partner's
//! HMAC of it), the declared purpose and the embed's consent. The request and answer shapes live in
//! [`crate::api::partner`].

use crate::{notice::SubjectId, ErrorCode, FieldError, Invalid, PersonName};

// Kept while the portal (`src/`) moves its imports to `portal_core::api::partner`.
pub use crate::api::partner::{
    BatchItem, BatchRequest, BatchResponse, BatchResult, Change, ChangesResponse, CheckRequest,
    CheckResponse, EmbedCheckRequest, EmbedCheckResponse, EmbedPartner,
};

/// Items per batch call; more is a 413.
pub const MAX_BATCH: usize = 100;

/// How the subject is identified: in plain or as the partner's HMAC of the canonical ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identifier {
    Plain(SubjectId),
    Hashed(String),
}

/// Validates a name and exactly one of an ID number or an ID hash.
pub fn parse_subject(
    name: &str,
    id_number: Option<&str>,
    id_hash: Option<&str>,
) -> Result<(PersonName, Identifier), Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = PersonName::parse(name)
        .map_err(|e| errors.push(e.at("name")))
        .ok();
    let blank = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let identifier = match (blank(id_number), blank(id_hash)) {
        (Some(id), None) => SubjectId::parse_any(&id)
            .map(Identifier::Plain)
            .map_err(|e| errors.push(e.at("id_number")))
            .ok(),
        (None, Some(hash)) => {
            let hash = hash.to_ascii_lowercase();
            if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
                Some(Identifier::Hashed(hash))
            } else {
                errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "id_hash 须为 64 位十六进制的 HMAC-SHA256 值",
                        "id_hash must be an HMAC-SHA256 value in 64 hexadecimal digits",
                    )
                    .at("id_hash"),
                );
                None
            }
        }
        (None, None) => {
            errors.push(Invalid::missing().at("id_number"));
            None
        }
        (Some(_), Some(_)) => {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "id_number 与 id_hash 只能提供其一",
                    "Give either id_number or id_hash, not both",
                )
                .at("id_hash"),
            );
            None
        }
    };
    match (name, identifier, errors.is_empty()) {
        (Some(n), Some(i), true) => Ok((n, i)),
        _ => Err(errors),
    }
}

/// The declared purpose of a check: required, at most 200 characters.
pub fn parse_purpose(purpose: &str) -> Result<String, FieldError> {
    let p = purpose.trim();
    if p.is_empty() {
        return Err(Invalid::missing().at("purpose"));
    }
    if p.chars().count() > 200 {
        return Err(Invalid::new(
            ErrorCode::TooLong,
            "用途最多 200 个字符",
            "The purpose is at most 200 characters",
        )
        .at("purpose"));
    }
    Ok(p.to_owned())
}

/// The embed's consent box must be ticked.
pub fn require_consent(consent: bool) -> Result<(), FieldError> {
    if consent {
        Ok(())
    } else {
        Err(Invalid::new(
            ErrorCode::MissingField,
            "请确认被查询人已同意本次核查",
            "Confirm that the person checked has agreed to this check",
        )
        .at("consent"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_identifier() {
        let ok = parse_subject("陈小明", Some("11010519491231002X"), None).unwrap();
        assert!(matches!(ok.1, Identifier::Plain(_)));
        let hash = "AB".repeat(32);
        let (_, id) = parse_subject("陈小明", None, Some(&hash)).unwrap();
        assert_eq!(id, Identifier::Hashed("ab".repeat(32)));
        let fields = |r: Result<_, Vec<FieldError>>| {
            r.unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(parse_subject("陈小明", None, None)),
            vec!["id_number"]
        );
        assert_eq!(
            fields(parse_subject(
                "陈小明",
                Some("11010519491231002X"),
                Some(&hash)
            )),
            vec!["id_hash"]
        );
        assert_eq!(
            fields(parse_subject("", None, Some("xyz"))),
            vec!["name", "id_hash"]
        );
    }

    #[test]
    fn purpose_and_consent() {
        assert_eq!(parse_purpose("  贷款审批 ").unwrap(), "贷款审批");
        assert_eq!(parse_purpose(" ").unwrap_err().field, "purpose");
        assert_eq!(
            parse_purpose(&"x".repeat(201)).unwrap_err().invalid.code,
            ErrorCode::TooLong
        );
        assert!(require_consent(true).is_ok());
        assert_eq!(require_consent(false).unwrap_err().field, "consent");
    }
}
