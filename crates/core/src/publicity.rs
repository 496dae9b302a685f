//! The exposure board (曝光台) and the honour list (诚信履行榜), DESIGN §7.7: API shapes and the
//! staff's input.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, FieldError, Invalid};

/// Entries per page of the board and of the honour list.
pub const BOARD_PAGE: i64 = 20;

/// `GET /api/v1/exposure` and `GET /api/v1/honour` filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardQuery {
    /// Two-digit province code.
    pub province: Option<String>,
    pub page: Option<i64>,
}

impl BoardQuery {
    /// The province (checked) and the page.
    pub fn validate(&self) -> Result<(Option<String>, i64), Vec<FieldError>> {
        let province = crate::text::given(&self.province);
        if province
            .as_deref()
            .is_some_and(|p| crate::province_by_code(p).is_none())
        {
            return Err(vec![Invalid::new(
                ErrorCode::InvalidValue,
                "未知的省份代码",
                "Unknown province code",
            )
            .at("province")]);
        }
        let page = self.page.unwrap_or(1);
        if !(1..=10_000).contains(&page) {
            return Err(vec![Invalid::new(
                ErrorCode::InvalidValue,
                "页码超出范围",
                "Page out of range",
            )
            .at("page")]);
        }
        Ok((province, page))
    }
}

/// A listed subject a court put on its exposure board, masked as in lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureEntry {
    pub notice_id: i64,
    pub name: String,
    pub subject_type: String,
    pub masked_id: String,
    pub case_number: String,
    pub court: String,
    pub province: String,
    /// `;`-separated list kinds, as in lookup.
    pub lists: String,
    pub obligation: String,
    pub published_on: String,
    /// The court's words on why it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `GET /api/v1/exposure`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposurePage {
    pub total: i64,
    pub page: i64,
    pub entries: Vec<ExposureEntry>,
}

/// `POST /api/v1/staff/exposure`: a notice of the court's own, by its number or its page's
/// address (`…/notices/123`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExposureRequest {
    pub notice: String,
    pub note: Option<String>,
}

impl ExposureRequest {
    /// The notice's id and the note.
    pub fn validate(&self) -> Result<(i64, Option<String>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = self.notice.trim();
        let digits = text
            .rsplit_once("/notices/")
            .map_or(text, |(_, after)| after)
            .trim_end_matches('/');
        let id = match digits.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ if text.is_empty() => {
                errors.push(Invalid::missing().at("notice"));
                None
            }
            _ => {
                errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "请填写公开信息的编号，或粘贴其详情页地址（如 …/notices/123）",
                        "Enter the notice's number, or paste its page's address (such as …/notices/123)",
                    )
                    .at("notice"),
                );
                None
            }
        };
        let note = crate::text::given(&self.note);
        if note.as_ref().is_some_and(|n| n.chars().count() > 200) {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "最多 200 个字",
                    "At most 200 characters",
                )
                .at("note"),
            );
        }
        match (errors.is_empty(), id) {
            (true, Some(id)) => Ok((id, note)),
            _ => Err(errors),
        }
    }
}

/// A debtor who performed voluntarily and agreed to be named, from an issued certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HonourItem {
    pub name: String,
    pub court: String,
    pub province: String,
    pub performed_on: String,
    /// The certificate's number, to verify it.
    pub number: String,
}

/// `GET /api/v1/honour`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HonourPage {
    pub total: i64,
    pub page: i64,
    pub entries: Vec<HonourItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_is_named_by_number_or_address() {
        let req = |n: &str| ExposureRequest {
            notice: n.into(),
            note: None,
        };
        assert_eq!(req(" 123 ").validate().unwrap().0, 123);
        assert_eq!(
            req("https://zxgk.example/notices/77/")
                .validate()
                .unwrap()
                .0,
            77
        );
        for bad in ["", "abc", "-4", "0", "https://x/notices/"] {
            assert!(req(bad).validate().is_err(), "{bad}");
        }
        assert!(BoardQuery {
            province: Some("99".into()),
            page: None
        }
        .validate()
        .is_err());
        assert_eq!(BoardQuery::default().validate().unwrap(), (None, 1));
    }
}
