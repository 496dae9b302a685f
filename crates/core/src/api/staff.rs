//! The staff console's sign-in: the login request and the signed-in member's session.

use serde::{Deserialize, Serialize};

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

/// One line of the staff audit log of a record: who did or saw what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// RFC 3339.
    pub at: String,
    pub staff: String,
    /// `tip.view`, `tip.contact`, `tip.original`, `tip.status`, `tip.claim`, …
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}
