//! JSON shapes of the HTTP API, shared by the server and its clients. This module owns what every
//! audience shares — the error body, the proof-of-work challenge, health and home-page figures —
//! and one module per audience owns the rest: [`public`] (lookup, notice detail, verify, DESIGN
//! §7.3), [`partner`] (partner API and embed, §7.4) and [`staff`] (sign-in); the parties' desk's
//! and the calendar's live with their rules (`party::api`, `calendar`), so that those modules
//! never import this one. Their types are re-exported here, so `api::LookupRequest` and
//! `api::public::LookupRequest` are one type.
//!
//! With the `openapi` feature the shapes the partner API uses derive `utoipa::ToSchema`, for the
//! server's OpenAPI document; the browser builds never enable it.

use serde::{Deserialize, Serialize};

use crate::error::ErrorCode;

pub mod partner;
pub mod public;
pub mod staff;

pub use crate::party::api::*;
pub use partner::*;
pub use public::*;
pub use staff::*;

/// The body of every 4xx/5xx answer: `{"error":{"code","message","field"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Error))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `invalid_id_number`, `rate_limited`, `not_found`.
    pub code: ErrorCode,
    /// Message in the language the request asked for (`Accept-Language`), Chinese by default.
    pub message: String,
    /// The request field the error concerns, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Seconds to wait before retrying, on `rate_limited`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// On `challenge_required`: the proof of work to solve before retrying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<Challenge>,
}

/// A proof-of-work challenge the client must solve before more lookups: a nonce such that
/// SHA-256(`seed:nonce`) starts with `difficulty` zero bits (see `pow`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Challenge {
    pub seed: String,
    /// Leading zero bits the hash must have.
    pub difficulty: u8,
}

/// A whole number that JSON may spell `5` or `5.0` (JSON Schema counts both as integers); absent
/// or `null` is `None`.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    use serde::de::Error;
    match Option::<f64>::deserialize(d)? {
        None => Ok(None),
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
            Ok(Some(n as u32))
        }
        Some(_) => Err(D::Error::custom("not a whole number")),
    }
}

pub use crate::numbers::whole_id;

/// The header that carries a solved challenge: `seed:nonce`.
pub const POW_HEADER: &str = "x-portal-pow";

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    pub version: String,
}

/// `GET /api/v1/ready`: whether this instance can serve (200) or not (503, with what failed:
/// `database`, `keys`, `upload_store`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ready {
    /// `ready` or `not_ready`.
    pub status: String,
    pub failed: Vec<String>,
}

/// `GET /api/v1/stats`: figures for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Notices currently visible to the public.
    pub public_notices: i64,
    /// When the figure was counted (RFC 3339); it is at most a minute old.
    pub as_of: String,
    /// Headline indicators over every court's figures (the publicity statistics).
    #[serde(default)]
    pub figures: Vec<HeadlineFigure>,
    /// The newest published articles.
    #[serde(default)]
    pub articles: Vec<HeadlineArticle>,
}

/// An indicator for the home page: its value (a fraction for rates; `null` without data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadlineFigure {
    pub key: crate::statistics::Indicator,
    pub value: Option<f64>,
}

impl Eq for HeadlineFigure {}

/// An article for the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlineArticle {
    pub slug: String,
    pub title: String,
    pub kind: crate::article::ArticleKind,
    /// `YYYY-MM-DD`, Beijing.
    pub published_on: String,
}
