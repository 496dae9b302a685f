//! The partner API and the embedded check (DESIGN §7.4): request and answer shapes, and the
//! messages the embed page sends its host page. The rules these requests obey live in
//! [`crate::partner`].
//!
//! With the `openapi` feature the partner API's shapes derive `utoipa::ToSchema`; their doc
//! comments are the descriptions partners read in the OpenAPI document.

use serde::{Deserialize, Serialize};

use super::ErrorDetail;
#[cfg(feature = "openapi")]
use crate::notice::{ListKind, SubjectType};

/// `POST /api/v1/partner/check`: a name plus either the ID number or its HMAC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CheckRequest {
    /// Person's or organisation's name; normalised (traditional/simplified, width, spaces,
    /// middle dots) before matching. At most 100 characters, at least one of them a letter, no
    /// control characters.
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
    /// 18-character resident ID (GB 11643, its check digit valid, a known region and a real birth
    /// date) or unified social credit code (GB 32100, its check character valid). Give exactly
    /// one of this and `id_hash`.
    #[cfg_attr(
        feature = "openapi",
        schema(format = "cn-subject-id", pattern = "^[0-9A-Za-z]{18}$")
    )]
    pub id_number: Option<String>,
    /// HMAC-SHA256, hex, of the canonical ID (uppercase, no spaces) keyed with your
    /// `id_hmac_secret`, so the plain ID never leaves your systems.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-fA-F]{64}$"))]
    pub id_hash: Option<String>,
    /// Why you check, e.g. loan application; recorded in the audit log. 1–200 characters, not
    /// only spaces.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200, pattern = "\\S")
    )]
    pub purpose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResponse {
    /// Identifies this check in the audit log.
    pub check_id: String,
    /// `listed` or `clear`.
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::check_status))]
    pub status: String,
    /// The lists the subject is on; empty when `clear`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ListKind>))]
    pub lists: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub as_of: String,
    /// How the answer was reached, in the `Accept-Language` of the request.
    pub explanation: String,
}

/// One subject of a batch, identified as in a single check (a name and exactly one of
/// `id_number` and `id_hash`, by the same rules). Items are checked one by one: an item that
/// breaks a rule gets its own `error` in the results, and the others are still checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BatchItem {
    pub name: String,
    pub id_number: Option<String>,
    pub id_hash: Option<String>,
}

/// `POST /api/v1/partner/check/batch`: at most 100 items; more is a 413.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BatchRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_items = 1, max_items = 100)
    )]
    pub items: Vec<BatchItem>,
    /// As in a single check.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, min_length = 1, max_length = 200, pattern = "\\S")
    )]
    pub purpose: String,
}

/// One answer per item, in request order: the item's `index` beside its check or its own
/// validation error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResult {
    /// The item's position in the request, from 0.
    pub index: usize,
    #[serde(flatten)]
    pub outcome: BatchOutcome,
}

/// What became of one batch item. Its fields sit beside `index` in the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum BatchOutcome {
    /// The item was checked: the answer a single check gives.
    Checked(CheckResponse),
    /// The item was invalid and not checked; the other items were.
    Rejected { error: ErrorDetail },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchResponse {
    /// One result per item, in request order.
    pub results: Vec<BatchResult>,
}

/// `GET /api/v1/partner/changes`: subjects whose public status changed, so partners purge copies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesResponse {
    pub changes: Vec<Change>,
    /// Pass as `cursor` next time to read on from here.
    pub next_cursor: String,
    /// More changes are waiting now: call again with `next_cursor` at once.
    pub has_more: bool,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub as_of: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = SubjectType))]
    pub subject_type: String,
    /// HMAC-SHA256 of the ID with your `id_hmac_secret`: match it against your own records.
    pub id_hash: String,
    pub case_number: String,
    /// `listed` (now public) or `deleted` (must be purged).
    #[cfg_attr(feature = "openapi", schema(schema_with = schema::change_status))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<ListKind>))]
    pub lists: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(format = DateTime))]
    pub changed_at: String,
}

/// `POST /api/v1/embed/check`, sent by the embedded check page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmbedCheckRequest {
    pub partner: String,
    pub name: String,
    pub id_number: String,
    /// The person checked agreed to the check for the partner's declared purpose.
    pub consent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedCheckResponse {
    pub check_id: String,
    pub status: String,
    pub lists: Vec<String>,
    pub as_of: String,
    /// Public notices behind a `listed` answer, for links to their detail pages.
    pub notice_ids: Vec<i64>,
}

/// `GET /api/v1/embed/partner/{id}`: what the embed page shows and whom it may talk to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedPartner {
    pub name: String,
    pub purpose: String,
    pub origins: Vec<String>,
}

/// A message from the embed page to its host page (`postMessage`, only to a registered origin).
/// The widget loader passes results on to the page as a `credit-check:result` DOM event. Neither
/// message carries the name or the ID number checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum EmbedMessage {
    /// `{"type":"credit-check:result","status","check_id"}` after each check.
    #[serde(rename = "credit-check:result")]
    Result {
        /// `listed` or `clear`.
        status: String,
        check_id: String,
    },
    /// `{"type":"credit-check:resize","height"}`: the page's height in CSS pixels, so the frame
    /// fits it without scrolling.
    #[serde(rename = "credit-check:resize")]
    Resize { height: u32 },
}

/// Schemas of string fields whose values are a closed set the Rust type does not spell.
#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

    fn one_of(values: &[&str]) -> Object {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(values.iter().copied()))
            .build()
    }

    pub fn check_status() -> Object {
        one_of(&["listed", "clear"])
    }

    pub fn change_status() -> Object {
        one_of(&["listed", "deleted"])
    }
}

#[cfg(test)]
mod tests {
    use serde::de::value::{Error as DeError, MapDeserializer};

    use super::*;

    fn message(pairs: &[(&'static str, &'static str)]) -> Result<EmbedMessage, DeError> {
        EmbedMessage::deserialize(MapDeserializer::new(pairs.iter().copied()))
    }

    #[test]
    fn embed_messages_are_tagged_by_type() {
        assert_eq!(
            message(&[
                ("type", "credit-check:result"),
                ("status", "listed"),
                ("check_id", "c-1"),
            ])
            .unwrap(),
            EmbedMessage::Result {
                status: "listed".into(),
                check_id: "c-1".into(),
            }
        );
        assert!(message(&[("type", "credit-check:other"), ("status", "clear")]).is_err());
    }
}
