//! The portal's only door to the server: one function per endpoint, typed with `core`'s API
//! shapes, and one error type that decodes the server's JSON error body.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::set_timeout;
use portal_core::{
    api::{ErrorBody, ErrorDetail, Health, LoginRequest, StaffSession},
    Lang,
};
use serde::de::DeserializeOwned;

use crate::i18n::{EN, ZH};

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
        let tr = match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        };
        match self {
            ApiError::Network => tr.error_network.to_owned(),
            ApiError::Server { detail, .. } => detail.message.clone(),
            ApiError::Unexpected(_) => tr.error_server.to_owned(),
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

pub async fn health(lang: Lang) -> Result<Health, ApiError> {
    get("/api/v1/health", lang).await
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
