//! The portal's only door to the server: one function per endpoint, typed with `core`'s API
//! shapes, and one error type that decodes the server's JSON error body.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::set_timeout;
use portal_core::{
    api::{
        Challenge, ErrorBody, ErrorDetail, LoginRequest, LookupRequest, LookupResponse,
        NoticeDetail, StaffSession, Stats, VerifyRequest, VerifyResponse, POW_HEADER,
    },
    pow, Lang,
};
use serde::de::DeserializeOwned;

/// A request is abandoned after this long so that no spinner waits forever on a bad network.
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, timed out, or the connection broke.
    Network,
    /// The server answered with an error in the API's format.
    Server { status: u16, detail: ErrorDetail },
    /// The server answered something this client does not understand.
    Unexpected(u16),
}

impl ApiError {
    /// The message to show, in `lang`. The server already wrote its message in the language the
    /// request asked for.
    pub fn message(&self, lang: Lang) -> String {
        // Kept here rather than in the portal's string tables so that the embedded check, which
        // shares this client, does not carry the portal's strings.
        let (zh, en) = match self {
            ApiError::Server { detail, .. } => return detail.message.clone(),
            ApiError::Network => (
                "网络连接失败，请检查网络后重试",
                "Network error; check your connection and try again",
            ),
            ApiError::Unexpected(_) => (
                "服务器暂时出错，请稍后再试",
                "Server error; please try again later",
            ),
        };
        match lang {
            Lang::Zh => zh.to_owned(),
            Lang::En => en.to_owned(),
        }
    }

    /// The request field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { detail, .. } => detail.field.as_deref(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } | ApiError::Unexpected(status) => Some(*status),
            ApiError::Network => None,
        }
    }
}

fn prepare(builder: RequestBuilder, lang: Lang) -> RequestBuilder {
    let builder = builder
        .header("Accept-Language", lang.tag())
        .header("Accept", "application/json");
    match web_sys::AbortController::new() {
        Ok(controller) => {
            let builder = builder.abort_signal(Some(&controller.signal()));
            set_timeout(move || controller.abort(), TIMEOUT);
            builder
        }
        Err(_) => builder,
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::Unexpected(status));
    }
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Server {
            status,
            detail: body.error,
        }),
        Err(_) => Err(ApiError::Unexpected(status)),
    }
}

async fn get<T: DeserializeOwned>(path: &str, lang: Lang) -> Result<T, ApiError> {
    let response = prepare(Request::get(path), lang)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let request = prepare(Request::post(path), lang)
        .json(body)
        .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    decode(response).await
}

/// Sends a request built by `build`; when the server asks for a proof of work (past the free
/// allowance of lookups), solves it and sends the request again with the solution.
async fn send_with_challenge<T: DeserializeOwned>(
    build: impl Fn(Option<&str>) -> Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let mut solution: Option<String> = None;
    for _ in 0..3 {
        let request = build(solution.as_deref()).map_err(|_| ApiError::Network)?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        match decode::<T>(response).await {
            Err(ApiError::Server {
                detail:
                    ErrorDetail {
                        challenge: Some(challenge),
                        ..
                    },
                ..
            }) => {
                solution = Some(format!("{}:{}", challenge.seed, solve(&challenge).await));
            }
            other => return other,
        }
    }
    Err(ApiError::Unexpected(429))
}

/// Solves a challenge in slices, yielding to the browser between them so the page stays
/// responsive on a slow phone.
pub async fn solve(challenge: &Challenge) -> u64 {
    const SLICE: u64 = 20_000;
    let mut start = 0;
    loop {
        if let Some(nonce) = pow::solve_range(&challenge.seed, challenge.difficulty, start, SLICE) {
            return nonce;
        }
        start += SLICE;
        yield_to_browser().await;
    }
}

async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn with_pow(builder: RequestBuilder, solution: Option<&str>) -> RequestBuilder {
    match solution {
        Some(s) => builder.header(POW_HEADER, s),
        None => builder,
    }
}

pub async fn lookup(request: &LookupRequest, lang: Lang) -> Result<LookupResponse, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/lookup"), lang), pow).json(request)
    })
    .await
}

pub async fn verify(request: &VerifyRequest, lang: Lang) -> Result<VerifyResponse, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/verify"), lang), pow).json(request)
    })
    .await
}

pub async fn notice(id: i64, lang: Lang) -> Result<NoticeDetail, ApiError> {
    let path = format!("/api/v1/notices/{id}");
    send_with_challenge(|pow| with_pow(prepare(Request::get(&path), lang), pow).build()).await
}

pub async fn stats(lang: Lang) -> Result<Stats, ApiError> {
    get("/api/v1/stats", lang).await
}

pub async fn staff_login(request: LoginRequest, lang: Lang) -> Result<StaffSession, ApiError> {
    post("/api/v1/staff/login", &request, lang).await
}

/// The signed-in staff member, or `None` when nobody is signed in.
pub async fn staff_me(lang: Lang) -> Result<Option<StaffSession>, ApiError> {
    match get("/api/v1/staff/me", lang).await {
        Ok(session) => Ok(Some(session)),
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn staff_logout(lang: Lang) -> Result<(), ApiError> {
    let response = prepare(Request::post("/api/v1/staff/logout"), lang)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        decode::<()>(response).await
    }
}
