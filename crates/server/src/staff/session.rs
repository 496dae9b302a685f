//! The staff session as requests carry it: the cookie's name and token, and the [`SignedIn`]
//! extractor every staff route takes.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts, HeaderMap},
};
use portal_core::api::StaffSession;

use super::Role;
use crate::{
    error::{AppError, AppResult},
    state::{AppState, HttpConfig},
};

/// The name of the staff session cookie: `__Host-` prefixed whenever the portal is served over
/// HTTPS (the browser then refuses it unless Secure, host-only and for the whole path).
pub fn session_cookie(config: &HttpConfig) -> &'static str {
    if config.https() {
        "__Host-portal_session"
    } else {
        "portal_session"
    }
}

/// The session token the request's cookie carries, if any.
pub fn session_token(config: &HttpConfig, headers: &HeaderMap) -> Option<String> {
    let name = session_cookie(config);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// A signed-in staff member; requests without a valid session get 401.
pub struct SignedIn(pub StaffSession);

impl SignedIn {
    /// The member, if their role is one of `roles`; otherwise 403.
    pub fn require(self, roles: &[Role]) -> AppResult<StaffSession> {
        match Role::parse(&self.0.role) {
            Some(role) if roles.contains(&role) => Ok(self.0),
            _ => Err(AppError::Forbidden),
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = session_token(&state.config, &parts.headers).ok_or(AppError::Unauthorized)?;
        super::store::session(&state.db, &token)
            .await?
            .map(SignedIn)
            .ok_or(AppError::Unauthorized)
    }
}
