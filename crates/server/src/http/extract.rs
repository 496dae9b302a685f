//! Extractors every feature's handlers share: JSON bodies with our error format, the client's
//! address and its rate-limit admission, and the signed-in staff member.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, HeaderMap, StatusCode},
};
use portal_core::{
    api::{StaffSession, POW_HEADER},
    ErrorCode,
};

use super::AppState;
use crate::{
    error::{AppError, AppResult},
    ratelimit::Decision,
    staff::{self, Role},
};

/// `axum::Json` whose rejections use the API's error format instead of plain text.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                let status = rejection.status();
                Err(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge {
                        code: ErrorCode::BodyTooLarge,
                        zh: "请求内容过大".into(),
                        en: "The request body is too large".into(),
                    }
                } else if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    AppError::bad_request(
                        ErrorCode::UnsupportedMediaType,
                        "请求必须是 JSON（Content-Type: application/json）",
                        "The request body must be JSON (Content-Type: application/json)",
                    )
                } else {
                    AppError::bad_request(
                        ErrorCode::InvalidJson,
                        "请求内容不是有效的 JSON 或字段类型不对",
                        "The request body is not valid JSON or has fields of the wrong type",
                    )
                })
            }
        }
    }
}

/// Who is asking, for the rate limiter: the client's address and any proof-of-work solution it
/// sent. Handlers call [`Client::admit`] after validating the request, so that bad input, which
/// costs the server nothing, does not use up a visitor's allowance.
pub struct Client {
    ip: IpAddr,
    pow: Option<String>,
}

impl Client {
    /// Lets the request through, asks for a proof of work, or refuses it for a while.
    pub fn admit(&self, state: &AppState) -> AppResult<()> {
        match state.limiter.check(self.ip, self.pow.as_deref()) {
            Decision::Allow => Ok(()),
            Decision::Challenge(challenge) => Err(AppError::Challenge(challenge)),
            Decision::Limited { retry_after } => Err(AppError::RateLimited { retry_after }),
        }
    }
}

/// The client's address: the socket peer, or behind a trusted reverse proxy the address that
/// proxy appended to `X-Forwarded-For` (the last entry; earlier ones are client-controlled).
fn client_ip(trust_proxy: bool, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if trust_proxy {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    peer.ip()
}

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| *addr)
            .ok_or_else(|| anyhow::anyhow!("the server was started without peer addresses"))?;
        Ok(Client {
            ip: client_ip(state.config.trust_proxy, peer, &parts.headers),
            pow: parts
                .headers
                .get(POW_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

/// The name of the staff session cookie.
pub const SESSION_COOKIE: &str = "portal_session";

/// The session token the request's cookie carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
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
        let token = session_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        staff::store::session(&state.db, &token)
            .await?
            .map(SignedIn)
            .ok_or(AppError::Unauthorized)
    }
}
