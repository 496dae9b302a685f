//! The HTTP application: the feature routers under `/api/v1`, the static front end, and the
//! layers every answer passes. Each feature (`notices`, `partners`, `staff`) owns its routes and
//! tables; what they share — extractors, errors, static files — lives here.

mod health;
pub mod metrics;
mod openapi;

use std::{sync::Arc, time::Duration};

use axum::{
    extract::Request,
    http::{header, HeaderName, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use portal_core::Lang;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, timeout::TimeoutLayer, trace::TraceLayer,
};

use crate::{
    articles, calendar, certificates,
    error::{with_lang, AppError},
    exposure,
    frontend::Frontend,
    notices, partners, rewards, staff,
    state::AppState,
    statistics, tips, uploads,
};

/// The largest request body any route but uploads accepts; routes with small bodies set lower
/// limits.
const MAX_BODY: usize = 1024 * 1024;
/// How long one upload request may take.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// Builds the whole application; `main` binds it to a socket, tests call it directly.
pub fn app(state: AppState, frontend: Frontend) -> Router {
    let frontend = match state.wechat {
        Some(_) => frontend.with_wechat_sdk(),
        None => frontend,
    };
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
            .merge(crate::home::router())
            .merge(openapi::router())
            .merge(notices::router())
            .merge(partners::router())
            .merge(crate::parties::router())
            .merge(crate::checks::router())
            .merge(rewards::router())
            .merge(tips::router())
            .merge(certificates::router())
            .merge(statistics::router())
            .merge(calendar::router())
            .merge(articles::router())
            .merge(exposure::router())
            .merge(crate::wechat::router())
            .merge(staff::router()),
    )
    // Evidence streams in: a 20 MB video on a slow line takes minutes, and its size is checked
    // against its own limits as it arrives.
    .merge(uploads::router().layer(TimeoutLayer::with_status_code(
        StatusCode::REQUEST_TIMEOUT,
        UPLOAD_TIMEOUT,
    )))
    .merge(
        articles::image_router().layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(120),
        )),
    )
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
    .route_layer(middleware::from_fn(crate::metrics::track))
    .layer(middleware::from_fn_with_state(
        Arc::new(state.config.public_origin.clone()),
        cross_origin_guard,
    ))
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

/// Refuses a state-changing staff request that a browser says comes from another site, the rule
/// of Go's `CrossOriginProtection`: `Sec-Fetch-Site` other than `same-origin`/`none`, or else an
/// `Origin` that is neither the portal's public origin nor the request's own host. A request with
/// neither header is not from a browser (a script holding the cookie needs no forgery) and passes.
/// SameSite=Strict alone lets a page on a sibling subdomain through.
async fn cross_origin_guard(
    axum::extract::State(public_origin): axum::extract::State<Arc<String>>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if !safe
        && (req.uri().path().starts_with("/api/v1/staff/")
            || req.uri().path().starts_with("/api/v1/party/"))
        && cross_origin(req.headers(), &public_origin)
    {
        return AppError::refused(
            StatusCode::FORBIDDEN,
            portal_core::ErrorCode::Forbidden,
            "跨站请求已拒绝：请在执行公开网站的工作人员页面中操作",
            "Cross-site request refused: use the staff pages of the portal itself",
        )
        .into_response();
    }
    next.run(req).await
}

fn cross_origin(headers: &axum::http::HeaderMap, public_origin: &str) -> bool {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text(HeaderName::from_static("sec-fetch-site")) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text(header::ORIGIN) else {
        return false;
    };
    if origin == public_origin {
        return false;
    }
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    origin_host.is_none() || origin_host != text(header::HOST)
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
