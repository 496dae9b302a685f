//! The embedded credit check (DESIGN §7.4): the page partners frame (`/embed/check`), framable
//! only by that partner's registered origins, and the two calls it makes.

use crate::extract::ApiQuery;
use axum::{
    extract::{DefaultBodyLimit, Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use portal_core::time::now_rfc3339;
use portal_core::{
    api::{EmbedCheckRequest, EmbedCheckResponse, EmbedPartner},
    partner::{parse_subject, require_consent, Identifier},
};
use serde::Deserialize;

use super::{
    checks,
    store::{self as partners, Partner},
};
use crate::{
    error::{AppError, AppResult},
    extract::{ApiJson, Client},
    frontend::Frontend,
    state::AppState,
};

/// `/embed/check` — a page route, outside `/api`.
pub fn page_router(frontend: Frontend) -> Router<AppState> {
    Router::new().route(
        "/embed/check",
        get(move |state: State<AppState>, query: ApiQuery<PageQuery>| {
            page(state, query, frontend.clone())
        }),
    )
}

/// `/api/v1/embed/…`
pub fn api_router() -> Router<AppState> {
    Router::new()
        .route("/embed/partner/{id}", get(partner_info))
        .route("/embed/check", post(check))
        .layer(DefaultBodyLimit::max(16 * 1024))
}

#[derive(Deserialize)]
pub struct PageQuery {
    partner: Option<String>,
}

async fn active_partner(state: &AppState, id: &str) -> AppResult<Partner> {
    partners::by_id(&state.db, id)
        .await?
        .filter(|p| p.active)
        .ok_or(AppError::PartnerNotAllowed)
}

async fn page(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
    frontend: Frontend,
) -> Response {
    let partner = match q.partner.as_deref() {
        Some(id) => partners::by_id(&state.db, id)
            .await
            .ok()
            .flatten()
            .filter(|p| p.active),
        None => None,
    };
    let Some(partner) = partner else {
        return refusal();
    };
    match frontend.embed_page(&partner.origins) {
        Some((html, csp)) => {
            let mut res = Html(html).into_response();
            res.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, csp);
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            res
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            "The embed is not built; run `cargo xtask build`.",
        )
            .into_response(),
    }
}

/// Shown, inside the partner's frame, when the partner is unknown or revoked. It carries no data,
/// so any page may frame it — the partner's users see why the check is missing.
fn refusal() -> Response {
    let body = r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>无法提供核查 · Check unavailable</title></head>
<body><main><h1>无法在此网站提供核查</h1><p>该网站未登记为执行公开的合作方，或合作已停止。您可以直接在执行公开网站查询：</p>
<p><a href="/lookup?tab=verify" target="_blank" rel="noopener">打开执行公开 · 精确核验</a></p>
<h2 lang="en">This site cannot offer the check</h2><p lang="en">It is not a registered partner of the portal, or its registration was revoked. You can check directly on the portal (link above).</p></main></body></html>"#;
    let mut res = (StatusCode::FORBIDDEN, Html(body)).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors *",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

async fn partner_info(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> AppResult<Json<EmbedPartner>> {
    let p = active_partner(&state, &id).await?;
    Ok(Json(EmbedPartner {
        name: p.name,
        purpose: p.purpose,
        origins: p.origins,
    }))
}

/// Whether a request comes from the embed page itself (served by the portal, framed by the
/// partner): a browser says so with `Sec-Fetch-Site: same-origin`, or, where it sends no fetch
/// metadata, with the portal's own `Origin`. Anyone else naming a partner would write checks it
/// never made into that partner's audit log.
fn from_embed_page(state: &AppState, headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text("sec-fetch-site") {
        Some(site) => site == "same-origin",
        None => text("origin") == Some(crate::state::public_origin(state)),
    }
}

async fn check(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    ApiJson(req): ApiJson<EmbedCheckRequest>,
) -> AppResult<Json<EmbedCheckResponse>> {
    if !from_embed_page(&state, &headers) {
        return Err(AppError::PartnerNotAllowed);
    }
    let partner = active_partner(&state, &req.partner).await?;
    let (name, identifier) =
        parse_subject(&req.name, Some(&req.id_number), None).map_err(AppError::from)?;
    require_consent(req.consent)?;
    client.admit(&state).await?;
    if let Identifier::Plain(subject) = &identifier {
        state.spend_guess(&name, subject).await?;
    }
    let outcome = checks::check(&state.db, &partner, &name, &identifier).await?;
    let check_id = partners::audit(
        &state.db,
        &partner,
        "embed",
        &partner.purpose,
        &state.keys.get().subject_key(&outcome.subject),
        outcome.status(),
    )
    .await?;
    Ok(Json(EmbedCheckResponse {
        check_id,
        status: outcome.status().to_owned(),
        lists: outcome.lists,
        as_of: now_rfc3339(),
        notice_ids: outcome.notice_ids,
    }))
}
