//! Staff sign-in: `POST /staff/login`, `POST /staff/logout`, `GET /staff/me`.
//! The session lives in an HttpOnly, SameSite=Strict cookie scoped to the API.

use axum::{
    extract::{DefaultBodyLimit, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use portal_core::{api::LoginRequest, ErrorCode, Invalid};

use super::{store as staff, throttle::Attempt};
use crate::{
    error::{AppError, AppResult},
    extract::{ApiJson, Client},
    staff::{session_token, SignedIn},
    state::{AppState, HttpConfig},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/login", post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/me", get(me))
        .layer(DefaultBodyLimit::max(4 * 1024))
}

fn cookie(config: &HttpConfig, value: &str, max_age: i64) -> HeaderValue {
    crate::staff::SESSION_COOKIE.header(config, value, max_age)
}

fn wrong_credentials() -> AppError {
    AppError::bad_request(
        ErrorCode::InvalidCredentials,
        "用户名或密码不正确",
        "The username or password is wrong",
    )
}

/// Signs in: the attempt is counted against the account and the client first (`throttle`),
/// the password checked on the heavy-work pool, a failure audited.
async fn login(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    let username = req.username.trim().to_owned();
    if username.is_empty() {
        return Err(AppError::invalid("username", Invalid::missing()));
    }
    if req.password.is_empty() {
        return Err(AppError::invalid("password", Invalid::missing()));
    }
    let attempt = Attempt::new(&username, &client.key(&state));
    attempt.count(&state.db).await?;
    let account = staff::account(&state.db, &username).await?;
    let password = req.password;
    let (account, right) = crate::heavy::run(move || {
        let right = staff::password_matches(account.as_ref(), &password);
        (account, right)
    })
    .await?;
    let account = match account {
        Some(account) if right => account,
        other => {
            let court = other.as_ref().map(|a| a.court.as_str());
            staff::audit_failed_signin(&state.db, &username, court).await?;
            return Err(wrong_credentials());
        }
    };
    attempt.succeeded(&state.db).await?;
    let token = staff::open_session(&state.db, account.id).await?;
    let who = portal_core::api::StaffSession {
        username,
        court: account.court,
        role: account.role,
    };
    let mut res = Json(who).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        cookie(&state.config, &token, staff::SESSION_HOURS * 3600),
    );
    Ok(res)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = session_token(&state.config, &headers) {
        staff::logout(&state.db, &token).await?;
    }
    let mut res = axum::http::StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, cookie(&state.config, "", 0));
    Ok(res)
}

async fn me(SignedIn(who): SignedIn) -> Json<portal_core::api::StaffSession> {
    Json(who)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(origin: &str) -> HttpConfig {
        HttpConfig {
            secure_cookies: false,
            trust_proxy: false,
            public_origin: origin.into(),
        }
    }

    #[test]
    fn over_https_the_session_cookie_is_secure_and_host_only() {
        let https = cookie(&config("https://zxgk.example.gov.cn"), "t", 60);
        assert_eq!(
            https.to_str().unwrap(),
            "__Host-portal_session=t; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60"
        );
        let http = cookie(&config("http://127.0.0.1:8080"), "t", 60);
        assert_eq!(
            http.to_str().unwrap(),
            "portal_session=t; Path=/api; HttpOnly; SameSite=Strict; Max-Age=60"
        );
    }
}
