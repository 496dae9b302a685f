//! The HTTP application: API routers, static front end, and the layers every answer passes.

mod assets;
mod embed;
mod health;
mod lookup;
mod partner;
mod staff;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::{FromRequest, Request},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::Response,
    Router,
};
use portal_core::Lang;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    db::Db,
    error::{with_lang, AppError},
    ratelimit::Limiter,
};

pub use assets::Frontend;

/// Settings of the HTTP layer that come from the command line.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Mark the session cookie `Secure` (set when the portal is served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<HttpConfig>,
    pub limiter: Arc<Limiter>,
    pub stats: Arc<health::StatsCache>,
}

/// Builds the whole application; `main` binds it to a socket, tests call it directly.
pub fn app(state: AppState, frontend: Frontend) -> Router {
    let api = Router::new()
        .merge(health::router())
        .merge(lookup::router())
        .merge(partner::router())
        .merge(embed::api_router())
        .merge(staff::router())
        .fallback(|| async { AppError::NotFound })
        // The fastest level: a lookup answer of a few KB shrinks about as well, for a fraction
        // of the CPU that the default level costs under load.
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(middleware::from_fn(no_store));
    Router::new()
        .nest("/api/v1", api)
        .merge(embed::page_router(frontend.clone()))
        .fallback_service(frontend.service())
        .layer(middleware::from_fn(lang_layer))
        .layer(middleware::from_fn_with_state(
            Arc::new(frontend.csp()),
            security_headers,
        ))
        .layer(RequestBodyLimitLayer::new(1024 * 1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            // Only method and path: queries and bodies may hold personal data.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// Makes the request's language (from `Accept-Language`) the language of its error messages.
async fn lang_layer(req: Request, next: Next) -> Response {
    let lang = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default();
    with_lang(lang, next.run(req)).await
}

/// API answers are personal and current: never stored by the browser or a proxy.
async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn security_headers(
    axum::extract::State(csp): axum::extract::State<Arc<HeaderValue>>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler that sets its own policy (the embed, framable by its partner) keeps it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, (*csp).clone());
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

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
                Err(if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    AppError::bad_request(
                        "unsupported_media_type",
                        "请求必须是 JSON（Content-Type: application/json）",
                        "The request body must be JSON (Content-Type: application/json)",
                    )
                } else {
                    AppError::bad_request(
                        "invalid_json",
                        "请求内容不是有效的 JSON 或字段类型不对",
                        "The request body is not valid JSON or has fields of the wrong type",
                    )
                })
            }
        }
    }
}
