//! Lookup and verify requests, validated once for the browser and the server.

use crate::{
    api::{LookupRequest, VerifyRequest},
    notice::SubjectId,
    region::{province_by_code, Province},
    ErrorCode, FieldError, Invalid, PersonName,
};

/// Subjects per page.
pub const PAGE_SIZE: u32 = 20;
/// At most this many subjects are pageable for one name: past it, add an ID or a province.
pub const MAX_SUBJECTS: u32 = 100;
/// Pages beyond this are refused, which bounds every query.
pub const MAX_PAGE: u32 = MAX_SUBJECTS / PAGE_SIZE;

/// A validated lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupQuery {
    pub name: PersonName,
    pub subject_id: Option<SubjectId>,
    pub province: Option<&'static Province>,
    pub page: u32,
}

impl LookupQuery {
    /// Checks every field; returns all problems, each tied to its field.
    pub fn parse(req: &LookupRequest) -> Result<LookupQuery, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = PersonName::parse(&req.name)
            .map_err(|e| errors.push(e.at("name")))
            .ok();
        let subject_id = match req
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(id) => SubjectId::parse_any(id)
                .map_err(|e| errors.push(e.at("id_number")))
                .ok(),
        };
        let province = match req
            .region
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(code) => match province_by_code(code) {
                Some(p) => Some(p),
                None => {
                    errors.push(
                        Invalid::new(
                            ErrorCode::InvalidValue,
                            "请选择列表中的省份",
                            "Choose a province from the list",
                        )
                        .at("region"),
                    );
                    None
                }
            },
        };
        let page = req.page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("页码须在 1 到 {MAX_PAGE} 之间；请补充证件号码或省份缩小范围"),
                    format!("The page must be between 1 and {MAX_PAGE}; add an ID number or a province to narrow the search"),
                )
                .at("page"),
            );
        }
        match (name, errors.is_empty()) {
            (Some(name), true) => Ok(LookupQuery {
                name,
                subject_id,
                province,
                page,
            }),
            _ => Err(errors),
        }
    }
}

/// A validated verification: both a name and a full identifier are required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyQuery {
    pub name: PersonName,
    pub subject_id: SubjectId,
}

impl VerifyQuery {
    pub fn parse(req: &VerifyRequest) -> Result<VerifyQuery, Vec<FieldError>> {
        let name = PersonName::parse(&req.name).map_err(|e| e.at("name"));
        let id = SubjectId::parse_any(&req.id_number).map_err(|e| e.at("id_number"));
        match (name, id) {
            (Ok(name), Ok(subject_id)) => Ok(VerifyQuery { name, subject_id }),
            (name, id) => Err(name.err().into_iter().chain(id.err()).collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str, id: Option<&str>, region: Option<&str>, page: Option<u32>) -> LookupRequest {
        LookupRequest {
            name: name.into(),
            id_number: id.map(Into::into),
            region: region.map(Into::into),
            page,
        }
    }

    #[test]
    fn a_name_alone_is_enough_and_is_normalised() {
        let q = LookupQuery::parse(&req(" 陳 小明 ", None, None, None)).unwrap();
        assert_eq!(q.name.normalized(), "陈小明");
        assert_eq!(q.page, 1);
        assert!(q.subject_id.is_none() && q.province.is_none());
        // Blank optional fields count as absent.
        assert!(LookupQuery::parse(&req("陈小明", Some(" "), Some(""), None)).is_ok());
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errors = LookupQuery::parse(&req("", Some("123"), Some("99"), Some(9))).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "id_number", "region", "page"]);
    }

    #[test]
    fn verify_needs_both_fields() {
        let errors = VerifyQuery::parse(&VerifyRequest::default()).unwrap_err();
        assert_eq!(errors.len(), 2);
        let ok = VerifyQuery::parse(&VerifyRequest {
            name: "宁波海丰贸易有限公司".into(),
            id_number: "91350100M000100Y43".into(),
        });
        assert!(ok.is_ok());
    }
}
