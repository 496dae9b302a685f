//! The HTTP application: the feature routers under `/api/v1`, the static front end, and the
//! layers every answer passes. Each feature (`notices`, `partners`, `staff`) owns its routes and
//! tables; what they share — extractors, errors, static files — lives here.

pub mod assets;
pub mod extract;
mod health;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::Response,
    Router,
};
use portal_core::Lang;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, timeout::TimeoutLayer, trace::TraceLayer,
};

use crate::{
    articles,
    certificates::{self, court_keys::SharedCourtKeys},
    db::Db,
    error::{with_lang, AppError},
    exposure,
    keys::Keys,
    notices, partners,
    ratelimit::Limiter,
    rewards, staff, statistics, tips,
    uploads::{self, Uploads},
};

pub use assets::{not_built, Frontend};
pub use extract::ApiJson;

/// The largest request body any route but uploads accepts; routes with small bodies set lower
/// limits.
const MAX_BODY: usize = 1024 * 1024;
/// How long one upload request may take.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

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
    pub keys: Arc<Keys>,
    pub uploads: Arc<Uploads>,
    /// The courts' certificate keys, re-read when `court-key` commands change them.
    pub court_keys: Arc<SharedCourtKeys>,
}

impl AppState {
    pub fn new(
        db: Db,
        config: HttpConfig,
        limiter: Limiter,
        keys: Keys,
        uploads: Uploads,
    ) -> AppState {
        AppState {
            db,
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            stats: Arc::default(),
            court_keys: Arc::new(SharedCourtKeys::new(&keys.court_key_file())),
            keys: Arc::new(keys),
            uploads: Arc::new(uploads),
        }
    }
}

/// Builds the whole application; `main` binds it to a socket, tests call it directly.
pub fn app(state: AppState, frontend: Frontend) -> Router {
    let bounded = |router: Router<AppState>| {
        router
            .layer(RequestBodyLimitLayer::new(MAX_BODY))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(30),
            ))
    };
    let api = bounded(
        Router::new()
            .merge(health::router())
            .merge(notices::router())
            .merge(partners::router())
            .merge(rewards::router())
            .merge(tips::router())
            .merge(certificates::router())
            .merge(statistics::router())
            .merge(articles::router())
            .merge(exposure::router())
            .merge(staff::router()),
    )
    // Evidence streams in: a 20 MB video on a slow line takes minutes, and its size is checked
    // against its own limits as it arrives.
    .merge(uploads::router().layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        UPLOAD_TIMEOUT,
    )))
    .fallback(|| async { AppError::NotFound })
    // The fastest level: a lookup answer of a few KB shrinks about as well, for a fraction
    // of the CPU that the default level costs under load.
    .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
    // API answers are personal and current: never stored by the browser or a proxy.
    .layer(SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ));
    let headers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ));
    bounded(
        Router::new()
            .route(
                "/.well-known/portal-keys.json",
                axum::routing::get(tips::portal_keys),
            )
            .route(
                "/.well-known/court-keys.json",
                axum::routing::get(certificates::court_keys_document),
            )
            .merge(partners::embed::page_router(frontend.clone()))
            .merge(rewards::page_router(frontend.clone()))
            .merge(certificates::page_router(frontend.clone()))
            .merge(frontend.verify_files())
            .merge(frontend.publicity_router())
            .merge(articles::page_router(frontend.clone()))
            .merge(frontend.staff_router())
            .fallback_service(frontend.service()),
    )
    .nest("/api/v1", api)
    .layer(middleware::from_fn(lang_layer))
    .layer(middleware::from_fn_with_state(
        Arc::new(frontend.csp()),
        framing_policy,
    ))
    .layer(headers)
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

/// The site's Content-Security-Policy and no framing, unless the handler set a policy of its own
/// (the embed, which its partner may frame): the two headers go together, so this is one layer
/// rather than two `SetResponseHeaderLayer::if_not_present`.
async fn framing_policy(
    axum::extract::State(csp): axum::extract::State<Arc<HeaderValue>>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, (*csp).clone());
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

/// The address the portal is reached at, for QR codes and feeds: the request's host, over HTTPS when the
/// portal says it is served so (secure cookies, or a proxy's `X-Forwarded-Proto: https`).
pub fn public_origin(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .unwrap_or("localhost");
    let forwarded_https = state.config.trust_proxy
        && headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            == Some("https");
    let scheme = if state.config.secure_cookies || forwarded_https {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}
