//! The staff session as requests carry it: the cookie's name and token, and the [`SignedIn`]
//! extractor every staff route takes.

use axum::{
    extract::FromRequestParts,
    http::{request::Parts, HeaderMap},
};
use portal_core::api::StaffSession;

use super::Role;
use crate::{
    error::{AppError, AppResult},
    extract::SessionCookie,
    state::{AppState, HttpConfig},
};

/// The staff session cookie.
pub const SESSION_COOKIE: SessionCookie = SessionCookie {
    base: "portal_session",
};

/// The session token the request's cookie carries, if any.
pub fn session_token(config: &HttpConfig, headers: &HeaderMap) -> Option<String> {
    SESSION_COOKIE.token(config, headers)
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
