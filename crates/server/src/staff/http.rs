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

use super::store as staff;
use crate::{
    error::{AppError, AppResult},
    http::{
        extract::{session_token, SignedIn, SESSION_COOKIE},
        ApiJson, AppState,
    },
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/login", post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/me", get(me))
        .layer(DefaultBodyLimit::max(4 * 1024))
}

fn cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/api; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie is ASCII")
}

async fn login(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    if req.username.trim().is_empty() {
        return Err(AppError::invalid("username", Invalid::missing()));
    }
    if req.password.is_empty() {
        return Err(AppError::invalid("password", Invalid::missing()));
    }
    let Some((token, who)) = staff::login(&state.db, req.username.trim(), &req.password).await?
    else {
        return Err(AppError::bad_request(
            ErrorCode::InvalidCredentials,
            "用户名或密码不正确",
            "The username or password is wrong",
        ));
    };
    let mut res = Json(who).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        cookie(&state, &token, staff::SESSION_HOURS * 3600),
    );
    Ok(res)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = session_token(&headers) {
        staff::logout(&state.db, &token).await?;
    }
    let mut res = axum::http::StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, cookie(&state, "", 0));
    Ok(res)
}

async fn me(SignedIn(who): SignedIn) -> Json<portal_core::api::StaffSession> {
    Json(who)
}
