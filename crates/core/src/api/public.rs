//! The public API (DESIGN §7.3): lookup by name, one notice's published fields, and the exact
//! verify check. ID numbers travel in request bodies, never in URLs. Also the deadline calculator
//! of the parties' desk (§7.8), which needs no sign-in.

use serde::{Deserialize, Serialize};

/// `POST /api/v1/lookup`. ID numbers travel in this body, never in a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LookupRequest {
    /// The person's or organisation's name (normalised before matching): at most 100
    /// characters, at least one of them a letter.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 100,
            format = "subject-name"
        )
    )]
    pub name: String,
    /// Resident ID number or unified social credit code (check digit valid); when given the match
    /// is exact on it. Blank or absent: by name.
    #[cfg_attr(feature = "openapi", schema(format = "cn-subject-id"))]
    pub id_number: Option<String>,
    /// Two-digit province code of the enforcing court (e.g. "33" for Zhejiang); blank or absent
    /// for every province.
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::province))]
    pub region: Option<String>,
    /// 1-based page of subjects.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    #[serde(deserialize_with = "super::whole_number")]
    pub page: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LookupResponse {
    /// When the answer was read from the database (RFC 3339).
    pub as_of: String,
    /// Subjects matching, over all pages (at most [`crate::lookup::MAX_SUBJECTS`] are pageable).
    pub total: u32,
    pub page: u32,
    pub page_size: u32,
    /// Too many subjects share the name: only the first pages are shown, and the user is asked to
    /// add an ID number or a province.
    pub too_many: bool,
    pub subjects: Vec<SubjectResult>,
}

/// One subject (same normalised name and same ID) with its public notices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubjectResult {
    pub name: String,
    /// `person` or `organization`.
    pub subject_type: String,
    /// Person IDs masked (`4405241973****2516`); credit codes in full.
    pub masked_id: String,
    /// Union of the lists of the subject's notices (`dishonest`, `restricted`, `terminated`).
    pub lists: Vec<String>,
    pub notices: Vec<NoticeSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeSummary {
    pub id: i64,
    pub case_number: String,
    pub court: String,
    pub lists: Vec<String>,
    pub filed_on: String,
    pub published_on: String,
}

/// `GET /api/v1/notices/{id}`: every published field of one notice (DESIGN §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoticeDetail {
    pub id: i64,
    pub as_of: String,
    pub case_number: String,
    pub court: String,
    pub subject_type: String,
    pub name: String,
    pub masked_id: String,
    /// Persons only: `male` or `female`, from the ID number.
    pub sex: Option<String>,
    /// Persons only: age in years today.
    pub age: Option<u32>,
    /// Organisations only.
    pub legal_representative: Option<String>,
    pub basis_number: String,
    pub basis_issuer: String,
    pub filed_on: String,
    pub obligation: String,
    /// `none` or `partial`.
    pub performance: String,
    /// One of the six dishonest behaviours, when on the dishonest list.
    pub behaviour: Option<String>,
    pub lists: Vec<String>,
    pub published_on: String,
    /// The consumption-restriction categories that apply (all nine when restricted).
    pub restrictions: Vec<String>,
}

/// `POST /api/v1/verify`: exact check of one subject.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct VerifyRequest {
    /// As in a lookup.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 100,
            format = "subject-name"
        )
    )]
    pub name: String,
    /// The full resident ID number or unified social credit code (check digit valid).
    #[cfg_attr(feature = "openapi", schema(required = true, format = "cn-subject-id"))]
    pub id_number: String,
}

/// Listed or not, which lists, and when — nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyResponse {
    pub listed: bool,
    pub lists: Vec<String>,
    pub as_of: String,
}

pub use crate::calendar::{DeadlineRequest, DeadlineResponse};

/// Schemas the Rust types do not spell.
#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

    /// A province code the portal knows, blank, or null.
    pub fn province() -> Object {
        let mut codes: Vec<Option<&str>> = crate::region::PROVINCES
            .iter()
            .map(|p| Some(p.code))
            .collect();
        codes.push(Some(""));
        codes.push(None);
        ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
                Type::String,
                Type::Null,
            ]))
            .enum_values(Some(codes))
            .build()
    }
}
