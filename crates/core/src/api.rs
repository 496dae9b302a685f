//! JSON shapes of the public HTTP API (DESIGN §7.3), shared by the server and the portal's client.

use serde::{Deserialize, Serialize};

/// The body of every 4xx/5xx answer: `{"error":{"code","message","field"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `invalid_id_number`, `rate_limited`, `not_found`.
    pub code: String,
    /// Message in the language the request asked for (`Accept-Language`), Chinese by default.
    pub message: String,
    /// The request field the error concerns, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Seconds to wait before retrying, on `rate_limited`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    pub version: String,
    /// Notices currently visible to the public.
    pub public_notices: i64,
}

/// `POST /api/v1/staff/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// A signed-in staff member, as `GET /api/v1/staff/me` and login return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSession {
    pub username: String,
    pub court: String,
    /// `admin`, `reviewer` or `editor`.
    pub role: String,
}
