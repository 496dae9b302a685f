//! The partner API (DESIGN §7.4): `POST /partner/check`, `POST /partner/check/batch`,
//! `GET /partner/changes`, and its OpenAPI document at `GET /partner/openapi.json`. Every call
//! needs `Authorization: Bearer KEY`; every check is audited.
//!
//! The document is generated from the handlers' `#[utoipa::path]` annotations and `core`'s types
//! (their doc comments are its descriptions), and each operation is routed through it
//! ([`OpenApiRouter`]): the routes served and the operations documented are one list.

use crate::extract::ApiQuery;
use axum::{
    extract::{DefaultBodyLimit, FromRequestParts, State},
    http::{header, request::Parts},
    routing::get,
    Json, Router,
};
use bytes::Bytes;
use portal_core::time::{court_today, now_ms, now_rfc3339};
use portal_core::{
    api::{
        BatchOutcome, BatchRequest, BatchResponse, BatchResult, Change, ChangesResponse,
        CheckRequest, CheckResponse, ErrorBody, ErrorDetail,
    },
    notice::decode_stored_lists,
    partner::{parse_purpose, parse_subject, MAX_BATCH},
    ErrorCode, FieldError, Invalid, Lang,
};
use serde::Deserialize;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    IntoParams, Modify, OpenApi,
};
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

use super::{
    checks,
    store::{self as partners, id_hmac, Partner},
};
use crate::{
    error::{request_lang, AppError, AppResult},
    extract::ApiJson,
    notices::store as notices,
    state::AppState,
};

/// What the document says beyond the operations: the API as a whole, where it is served, and
/// how partners authenticate.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "执行公开 · Partner credit-check API",
        version = "1.0.0",
        description = "Check whether a person or organisation is on the courts' public lists (dishonest debtors 失信, consumption restriction 限消, closed-for-now cases 终本). Every call needs the partner's API key and is recorded in an audit log (partner, purpose, time, a hash of the subject, result). Deleted listings and listings in a grace period are never reported as listed; use the change feed to purge copies."
    ),
    servers((url = "/api/v1")),
    modifiers(&PartnerKey)
)]
struct PartnerApi;

/// The security scheme every operation names: the partner's API key as a bearer token.
struct PartnerKey;

impl Modify for PartnerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "partnerKey",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "The API key printed once by `portal-server partner add`",
                        ))
                        .build(),
                ),
            );
    }
}

pub fn router() -> Router<AppState> {
    let (router, doc) = OpenApiRouter::with_openapi(PartnerApi::openapi())
        .routes(routes!(check).layer(DefaultBodyLimit::max(16 * 1024)))
        // 100 items of a name and an ID or hash each; a 413 beyond that tells the partner to
        // split the batch, as does the item count.
        .routes(routes!(batch).layer(DefaultBodyLimit::max(256 * 1024)))
        .routes(routes!(changes))
        .split_for_parts();
    let mut doc = serde_json::to_value(&doc).expect("the OpenAPI document serialises");
    exactly_one_identifier(&mut doc);
    let doc = Bytes::from(doc.to_string());
    router.route(
        "/partner/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], doc) }
        }),
    )
}

/// A subject is named by exactly one of `id_number` and `id_hash` (the other absent, `null` or
/// blank): what the derived schemas cannot say, added to them so a client generated from the
/// document, or a fuzzer, sends what the server takes.
fn exactly_one_identifier(doc: &mut serde_json::Value) {
    for name in ["CheckRequest", "BatchItem", "BatchRequest"] {
        let is_item = name == "CheckRequest";
        let Some(schema) = doc
            .pointer_mut(&format!("/components/schemas/{name}"))
            .and_then(|s| s.as_object_mut())
        else {
            continue;
        };
        // A default of `null` or "" contradicts the property's own type and length.
        if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
            for property in properties.values_mut() {
                if let Some(property) = property.as_object_mut() {
                    property.remove("default");
                }
            }
        }
        if !is_item {
            continue;
        }
        let blank = serde_json::json!({"anyOf": [
            {"type": "null"},
            {"type": "string", "pattern": "^\\s*$"},
        ]});
        for (field, pattern) in [
            ("id_number", "^\\s*([0-9A-Za-z]{18})?\\s*$"),
            ("id_hash", "^\\s*([0-9a-fA-F]{64})?\\s*$"),
        ] {
            if let Some(property) = schema
                .get_mut("properties")
                .and_then(|p| p.get_mut(field))
                .and_then(|p| p.as_object_mut())
            {
                // Blank or null counts as absent.
                property.insert("pattern".into(), pattern.into());
            }
        }
        let given = |field: &str| serde_json::json!({"required": [field], "properties": {field: {"type": "string", "pattern": "\\S"}}});
        let absent = |field: &str| {
            serde_json::json!({"anyOf": [
                {"not": {"required": [field]}},
                {"properties": {field: blank.clone()}},
            ]})
        };
        schema.insert(
            "oneOf".into(),
            serde_json::json!([
                {"allOf": [given("id_number"), absent("id_hash")]},
                {"allOf": [given("id_hash"), absent("id_number")]},
            ]),
        );
    }
}

/// The partner a request's API key belongs to.
pub struct Authenticated(pub Partner);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or(AppError::BadKey)?;
        partners::by_key(&state.db, key)
            .await?
            .map(Authenticated)
            .ok_or(AppError::BadKey)
    }
}

async fn one(
    state: &AppState,
    partner: &Partner,
    channel: &str,
    purpose: &str,
    name: &str,
    id_number: Option<&str>,
    id_hash: Option<&str>,
) -> AppResult<CheckResponse> {
    let (name, identifier) = parse_subject(name, id_number, id_hash).map_err(AppError::from)?;
    let outcome = checks::check(&state.db, partner, &name, &identifier).await?;
    let check_id = partners::audit(
        &state.db,
        partner,
        channel,
        purpose,
        &state.keys.get().subject_key(&outcome.subject),
        outcome.status(),
    )
    .await?;
    Ok(CheckResponse {
        check_id,
        status: outcome.status().to_owned(),
        lists: outcome.lists.clone(),
        as_of: now_rfc3339(),
        explanation: outcome.explanation(request_lang()),
    })
}

/// Check one subject
#[utoipa::path(
    post,
    path = "/partner/check",
    security(("partnerKey" = [])),
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The answer", body = CheckResponse),
        (status = 400, description = "The body is not JSON, or a field has the wrong type (`invalid_json`, `unsupported_media_type`)", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key (`invalid_api_key`)", body = ErrorBody),
        (status = 413, description = "The body is over 16 KB (`body_too_large`)", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
async fn check(
    State(state): State<AppState>,
    Authenticated(partner): Authenticated,
    ApiJson(req): ApiJson<CheckRequest>,
) -> AppResult<Json<CheckResponse>> {
    let purpose = parse_purpose(&req.purpose)?;
    Ok(Json(
        one(
            &state,
            &partner,
            "api",
            &purpose,
            &req.name,
            req.id_number.as_deref(),
            req.id_hash.as_deref(),
        )
        .await?,
    ))
}

/// Check up to 100 subjects in one call
///
/// Each item is checked on its own: an invalid item gets its `error` in its result and does not
/// stop the others.
#[utoipa::path(
    post,
    path = "/partner/check/batch",
    security(("partnerKey" = [])),
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One result per item, in request order", body = BatchResponse),
        (status = 400, description = "The body is not JSON, or a field has the wrong type (`invalid_json`, `unsupported_media_type`)", body = ErrorBody),
        (status = 401, description = "Missing or wrong API key (`invalid_api_key`)", body = ErrorBody),
        (status = 413, description = "More than 100 items (`batch_too_large`) or a body over 256 KB (`body_too_large`): split the batch", body = ErrorBody),
        (status = 422, description = "No items, or the purpose is missing or too long; `field` names it", body = ErrorBody),
    )
)]
async fn batch(
    State(state): State<AppState>,
    Authenticated(partner): Authenticated,
    ApiJson(req): ApiJson<BatchRequest>,
) -> AppResult<Json<BatchResponse>> {
    if req.items.len() > MAX_BATCH {
        return Err(AppError::TooLarge {
            code: ErrorCode::BatchTooLarge,
            zh: format!(
                "每次最多核查 {MAX_BATCH} 项，本次 {} 项；请分批提交",
                req.items.len()
            ),
            en: format!(
                "At most {MAX_BATCH} items per call, got {}; split the batch",
                req.items.len()
            ),
        });
    }
    if req.items.is_empty() {
        return Err(AppError::invalid("items", Invalid::missing()));
    }
    let purpose = parse_purpose(&req.purpose)?;
    let lang = request_lang();
    // Check every valid item together, then audit them all in one transaction.
    let parsed: Vec<_> = req
        .items
        .iter()
        .map(|item| {
            parse_subject(
                &item.name,
                item.id_number.as_deref(),
                item.id_hash.as_deref(),
            )
            .map_err(|errors| {
                errors
                    .into_iter()
                    .next()
                    .expect("a rejection has at least one error")
            })
        })
        .collect();
    let valid: Vec<_> = parsed.iter().flatten().cloned().collect();
    let mut checked = checks::check_many(&state.db, &partner, &valid)
        .await?
        .into_iter();
    let outcomes: Vec<Result<checks::Outcome, FieldError>> = parsed
        .into_iter()
        .map(|p| p.map(|_| checked.next().expect("one outcome per valid item")))
        .collect();
    let audits: Vec<(String, &'static str)> = outcomes
        .iter()
        .flatten()
        .map(|o| (state.keys.get().subject_key(&o.subject), o.status()))
        .collect();
    let mut check_ids = partners::audit_many(&state.db, &partner, "batch", &purpose, &audits)
        .await?
        .into_iter();
    let as_of = now_rfc3339();
    let results = outcomes
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| BatchResult {
            index,
            outcome: match outcome {
                Ok(o) => BatchOutcome::Checked(CheckResponse {
                    check_id: check_ids.next().expect("one id per audited check"),
                    status: o.status().to_owned(),
                    lists: o.lists.clone(),
                    as_of: as_of.clone(),
                    explanation: o.explanation(lang),
                }),
                Err(e) => BatchOutcome::Rejected {
                    error: item_error(&e, lang),
                },
            },
        })
        .collect();
    Ok(Json(BatchResponse { results }))
}

fn item_error(e: &FieldError, lang: Lang) -> ErrorDetail {
    ErrorDetail {
        code: e.code(),
        message: e.message(lang).to_owned(),
        field: Some(e.field.clone()),
        retry_after: None,
        challenge: None,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ChangesQuery {
    /// RFC 3339 time within the last 90 days to start from (first call). Without `since` and
    /// `cursor` the feed starts now: no changes, and the cursor to follow from.
    #[param(format = DateTime)]
    since: Option<String>,
    /// next_cursor from the previous answer; it wins over `since`
    #[param(pattern = "^[0-9]{1,18}\\.[0-9]{1,18}$")]
    cursor: Option<String>,
}

/// Rows per page of the change feed.
const CHANGES_PAGE: i64 = 500;

/// A `since` as Unix milliseconds: RFC 3339, and within the feed's history. Checked whenever
/// given, also beside a `cursor` (which wins).
fn parse_since(s: &str) -> AppResult<i64> {
    let t = portal_core::time::parse_rfc3339(s).ok_or_else(|| {
        AppError::invalid_value(
            "since",
            ErrorCode::InvalidDate,
            "since 须为 RFC 3339 时间，例如 2026-01-01T00:00:00Z",
            "since must be an RFC 3339 time such as 2026-01-01T00:00:00Z",
        )
    })?;
    if t < now_ms() - FEED_HISTORY_DAYS * 86_400_000 {
        return Err(AppError::invalid_value("since", ErrorCode::InvalidDate,
            "变更记录只保留最近 90 天：请先用批量核查接口核对已保存的名单，再从 90 天内的时间开始接收变更",
            "The feed keeps the last 90 days: re-check the subjects you keep with the batch API, then follow the feed from a time within 90 days",
        ));
    }
    Ok(t)
}

/// How far back `since` may reach: the feed is for keeping up, not for a first copy of the list.
const FEED_HISTORY_DAYS: i64 = 90;

/// Subjects whose public status changed (listed or deleted), oldest first
///
/// Give `since` on the first call, then the answer's `next_cursor` as `cursor`; while `has_more`
/// is true, call again at once. The feed holds only what partners could see: a notice in its
/// grace period appears on the day it becomes public, one deleted before it was ever public never
/// appears. `since` reaches back at most 90 days: to start, re-check the subjects you keep with
/// the batch API, then follow the feed.
#[utoipa::path(
    get,
    path = "/partner/changes",
    security(("partnerKey" = [])),
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes", body = ChangesResponse),
        (status = 401, description = "Missing or wrong API key (`invalid_api_key`)", body = ErrorBody),
        (status = 400, description = "The query cannot be read (a parameter given twice; `invalid_request`)", body = ErrorBody),
        (status = 422, description = "A `since` or `cursor` that cannot be read, or a `since` more than 90 days ago; `field` names it", body = ErrorBody),
    )
)]
async fn changes(
    State(state): State<AppState>,
    Authenticated(partner): Authenticated,
    ApiQuery(q): ApiQuery<ChangesQuery>,
) -> AppResult<Json<ChangesResponse>> {
    // The position is (change_seq, id): one import writes many rows with the same sequence
    // value, and sequence values are taken in commit order (see `notices::store::upsert_all`), so no row
    // can later appear behind a cursor already handed out.
    let since = q.since.as_deref().map(parse_since).transpose()?;
    let digits = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let (after_seq, after_id) = match (q.cursor.as_deref(), since) {
        (Some(c), _) => c
            .split_once('.')
            .and_then(|(t, i)| Some((digits(t)?, digits(i)?)))
            .ok_or_else(|| {
                AppError::invalid_value(
                    "cursor",
                    ErrorCode::InvalidDate,
                    "cursor 无效，请使用上次返回的 next_cursor",
                    "Invalid cursor; pass the next_cursor you were given",
                )
            })?,
        (None, Some(since_ms)) => notices::position_before(&state.db, since_ms).await?,
        // Neither: follow from now on (the end of the feed).
        (None, None) => notices::position_before(&state.db, now_ms()).await?,
    };
    let rows = notices::changes_after(&state.db, (after_seq, after_id), CHANGES_PAGE + 1).await?;
    let has_more = rows.len() as i64 > CHANGES_PAGE;
    let today = court_today().to_string();
    let mut next = (after_seq, after_id);
    let mut out = Vec::new();
    for row in rows.into_iter().take(CHANGES_PAGE as usize) {
        let notices::ChangeRow {
            id,
            name,
            subject_type,
            id_number,
            case_number,
            lists,
            status,
            published_on,
            updated_at,
            change_seq,
        } = row;
        next = (change_seq, id);
        let status = match status.as_str() {
            // Deleted while still in its grace period: never public, so partners never hear of
            // it (its name and case would be news to them).
            "deleted" if published_on > portal_core::time::court_ymd(updated_at) => continue,
            "deleted" => "deleted",
            // Still in its grace period: not public, so not news to partners yet; the announce
            // job gives it a new place in the feed on its publication day.
            _ if published_on > today => continue,
            _ => "listed",
        };
        out.push(Change {
            name,
            subject_type,
            id_hash: id_hmac(&partner.id_hmac_secret, &id_number),
            case_number,
            status: status.to_owned(),
            lists: if status == "listed" {
                decode_stored_lists(&lists)
                    .into_iter()
                    .map(|k| k.as_str().to_owned())
                    .collect()
            } else {
                Vec::new()
            },
            changed_at: portal_core::time::rfc3339_millis(updated_at),
        });
    }
    Ok(Json(ChangesResponse {
        changes: out,
        next_cursor: format!("{}.{}", next.0, next.1),
        has_more,
        as_of: now_rfc3339(),
    }))
}
