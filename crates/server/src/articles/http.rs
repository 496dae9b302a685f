//! Articles over HTTP (DESIGN §7.7): the public list and article, the staff routes that write,
//! preview, publish and unpublish them (editors and admins of the article's court, every action
//! audited), article pages whose HTML carries their share meta, and the Atom feed.

use crate::extract::ApiQuery;
use axum::{
    extract::{Path, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use portal_core::time::{now_ms, rfc3339};
use portal_core::{
    article::{
        ArticleCreated, ArticleDetail, ArticleInput, ArticleKind, ArticleStatus, ArticleSummary,
        ArticlesQuery, ArticlesResponse, Preview, PreviewRequest, PublishRequest, StaffArticle,
        StaffArticles,
    },
    ErrorCode,
};

use super::{
    render::{render, summary_of},
    store::{self, ArticleRow},
};
use crate::{
    error::{AppError, AppResult},
    extract::ApiJson,
    frontend::{escape_html, Frontend},
    staff::{store::audit, Role, SignedIn},
    state::{public_origin, AppState},
};

const EDITORS: &[Role] = &[Role::Admin, Role::Editor];
/// The largest image an editor may upload.
const IMAGE_MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/articles", get(list))
        .route("/articles/{slug}", get(detail))
        .route("/staff/articles", get(staff_list).post(create))
        .route("/staff/articles/preview", post(preview))
        .route("/staff/articles/{id}", axum::routing::put(update))
        .route("/staff/articles/{id}/publish", post(publish))
        .route("/staff/articles/{id}/unpublish", post(unpublish))
}

/// The image upload, with its own body limit: the app merges it outside the 1 MB limit of the
/// other API routes, which would otherwise win.
pub fn image_router() -> Router<AppState> {
    Router::new().route(
        "/staff/articles/images",
        post(upload_image).layer(axum::extract::DefaultBodyLimit::max(IMAGE_MAX_BYTES)),
    )
}

/// `/publicity/{page}`: the publicity bundle; an article's page carries its title and summary
/// in its share meta; `/feed.xml`.
pub fn page_router(frontend: Frontend) -> Router<AppState> {
    Router::new()
        .route(
            "/publicity/{page}",
            get(move |state: State<AppState>, page: Path<String>| {
                let frontend = frontend.clone();
                async move { page_of(state, page, frontend).await }
            }),
        )
        .route("/feed.xml", get(feed))
        .route("/media/{file}", get(media))
}

/// Pages of the publicity bundle that are not articles.
const PAGES: &[&str] = &["statistics", "exposure", "honour"];

async fn page_of(
    State(state): State<AppState>,
    Path(page): Path<String>,
    frontend: Frontend,
) -> Response {
    if PAGES.contains(&page.as_str()) {
        return frontend.publicity_page(None, StatusCode::OK);
    }
    match store::public_by_slug(&state.db, &page, now_ms()).await {
        Ok(Some(a)) => {
            let lang = crate::error::request_lang();
            frontend.publicity_page_with(
                Some((&a.title, &summary(&a))),
                Some((lang.tag(), &article_html(&a, lang))),
                StatusCode::OK,
            )
        }
        // The page says the article is not there (or no longer).
        _ => frontend.publicity_page(None, StatusCode::NOT_FOUND),
    }
}

/// The article as its page shows it (the publicity bundle's `articles::article` draws the same),
/// so the text is on screen before the app starts.
fn article_html(a: &ArticleRow, lang: portal_core::Lang) -> String {
    portal_core::article::page_html(
        lang,
        &a.title,
        a.kind(),
        a.court.as_deref(),
        &portal_core::time::court_ymd(a.publish_at.unwrap_or(a.updated_at)),
        &a.html,
    )
}

fn summary(a: &ArticleRow) -> String {
    a.summary.clone().unwrap_or_else(|| summary_of(&a.plain))
}

fn summary_view(a: &ArticleRow) -> ArticleSummary {
    ArticleSummary {
        slug: a.slug.clone(),
        title: a.title.clone(),
        kind: a.kind(),
        summary: summary(a),
        published_at: rfc3339(a.publish_at.unwrap_or(a.updated_at)),
        court: a.court.clone(),
        province: a.province.clone(),
    }
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ArticlesQuery>,
) -> AppResult<Json<ArticlesResponse>> {
    let text = portal_core::text::given;
    let kind = match text(&q.kind) {
        Some(k) => Some(ArticleKind::parse(&k).ok_or_else(|| {
            AppError::invalid_value(
                "kind",
                ErrorCode::InvalidValue,
                "未知的文章类型",
                "Unknown kind of article",
            )
        })?),
        None => None,
    };
    let province = text(&q.province);
    if province
        .as_deref()
        .is_some_and(|p| portal_core::province_by_code(p).is_none())
    {
        return Err(AppError::invalid_value(
            "province",
            ErrorCode::InvalidValue,
            "未知的省份代码",
            "Unknown province code",
        ));
    }
    let page = q.page.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::invalid_value(
            "page",
            ErrorCode::InvalidValue,
            "页码超出范围",
            "Page out of range",
        ));
    }
    let (rows, total) = store::list_public(
        &state.db,
        kind,
        text(&q.court).as_deref(),
        province.as_deref(),
        page,
        now_ms(),
    )
    .await?;
    Ok(Json(ArticlesResponse {
        total,
        page,
        articles: rows.iter().map(summary_view).collect(),
    }))
}

async fn detail(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Json<ArticleDetail>> {
    let a = store::public_by_slug(&state.db, &slug, now_ms())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ArticleDetail {
        summary: summary_view(&a),
        html: a.html.clone(),
    }))
}

fn staff_view(a: &ArticleRow, now: i64) -> StaffArticle {
    StaffArticle {
        id: a.id,
        slug: a.slug.clone(),
        title: a.title.clone(),
        kind: a.kind(),
        status: a.status_at(now),
        markdown: a.markdown.clone(),
        summary: a.summary.clone(),
        court: a.court.clone(),
        province: a.province.clone(),
        publish_at: a.publish_at.map(rfc3339),
        updated_at: rfc3339(a.updated_at),
    }
}

async fn staff_list(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> AppResult<Json<StaffArticles>> {
    let who = signed_in.require(EDITORS)?;
    let now = now_ms();
    let rows = store::of_court(&state.db, &who.court).await?;
    Ok(Json(StaffArticles {
        articles: rows.iter().map(|a| staff_view(a, now)).collect(),
    }))
}

/// Checks the input and renders it; refused Markdown is an error at the `markdown` field. An
/// article is tagged with the editor's own court or none (a guide for everyone); the court's
/// province comes with it.
async fn checked(
    state: &AppState,
    input: &ArticleInput,
    staff_court: &str,
) -> AppResult<(portal_core::article::ValidArticle, super::render::Rendered)> {
    let mut valid = input.validate()?;
    if let Some(court) = &valid.court {
        if court != staff_court {
            return Err(AppError::invalid_value(
                "court",
                ErrorCode::InvalidValue,
                "只能标注本院，或不标注法院",
                "Tag your own court, or none",
            ));
        }
        if valid.province.is_none() {
            valid.province = crate::statistics::store::province_of(&state.db, court).await?;
        }
    }
    let rendered = render(&valid.markdown).map_err(|e| AppError::invalid("markdown", e))?;
    Ok((valid, rendered))
}

async fn preview(
    signed_in: SignedIn,
    ApiJson(req): ApiJson<PreviewRequest>,
) -> AppResult<Json<Preview>> {
    signed_in.require(EDITORS)?;
    let rendered = render(&req.markdown).map_err(|e| AppError::invalid("markdown", e))?;
    Ok(Json(Preview {
        html: rendered.html,
    }))
}

async fn create(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiJson(input): ApiJson<ArticleInput>,
) -> AppResult<(StatusCode, Json<ArticleCreated>)> {
    let who = signed_in.require(EDITORS)?;
    let (valid, rendered) = checked(&state, &input, &who.court).await?;
    let (id, slug) = store::create(&state.db, &valid, &rendered, &who.court, now_ms()).await?;
    audit(
        &state.db,
        &who,
        "article.create",
        &format!("article:{id}"),
        Some(&valid.title),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ArticleCreated { id, slug })))
}

/// The article `id` if it belongs to the signed-in editor's court.
async fn own(state: &AppState, id: i64, court: &str) -> AppResult<ArticleRow> {
    match store::by_id(&state.db, id).await? {
        Some(a) if a.staff_court == court => Ok(a),
        _ => Err(AppError::NotFound),
    }
}

async fn update(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ArticleInput>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(EDITORS)?;
    own(&state, id, &who.court).await?;
    let (valid, rendered) = checked(&state, &input, &who.court).await?;
    store::update(&state.db, id, &valid, &rendered, now_ms()).await?;
    audit(
        &state.db,
        &who,
        "article.update",
        &format!("article:{id}"),
        Some(&valid.title),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn publish(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<PublishRequest>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(EDITORS)?;
    own(&state, id, &who.court).await?;
    let now = now_ms();
    let (status, at) = match portal_core::text::given(&req.at) {
        None => (ArticleStatus::Published, now),
        Some(at) => {
            let at = portal_core::time::parse_rfc3339(&at).ok_or_else(|| {
                AppError::invalid_value(
                    "at",
                    ErrorCode::InvalidValue,
                    "发布时间格式不正确（如 2026-12-01T09:00:00+08:00）",
                    "The time is not valid (such as 2026-12-01T09:00:00+08:00)",
                )
            })?;
            if at <= now {
                (ArticleStatus::Published, now)
            } else {
                (ArticleStatus::Scheduled, at)
            }
        }
    };
    store::set_status(&state.db, id, status, Some(at), now).await?;
    audit(
        &state.db,
        &who,
        "article.publish",
        &format!("article:{id}"),
        Some(&rfc3339(at)),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unpublish(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(EDITORS)?;
    own(&state, id, &who.court).await?;
    store::set_status(&state.db, id, ArticleStatus::Unpublished, None, now_ms()).await?;
    audit(
        &state.db,
        &who,
        "article.unpublish",
        &format!("article:{id}"),
        None,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /feed.xml`: the newest public articles as Atom.
async fn feed(State(state): State<AppState>) -> AppResult<Response> {
    let origin = public_origin(&state);
    let now = now_ms();
    let rows = store::latest_public(&state.db, 20, now).await?;
    let updated = rows
        .iter()
        .map(|a| a.publish_at.unwrap_or(a.updated_at).max(a.updated_at))
        .max()
        .unwrap_or(now);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n\
         <title>执行公开 · 执行动态、典型案例与办事指南</title>\n<id>{origin}/publicity</id>\n\
         <link rel=\"self\" href=\"{origin}/feed.xml\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{origin}/publicity\"/>\n\
         <updated>{}</updated>\n",
        rfc3339(updated)
    );
    for a in &rows {
        let url = format!("{origin}/publicity/{}", a.slug);
        xml.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n\
             <category term=\"{}\" label=\"{}\"/>\n<summary>{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            escape_html(&a.title),
            rfc3339(a.publish_at.unwrap_or(a.updated_at)),
            rfc3339(a.updated_at.max(a.publish_at.unwrap_or(0))),
            escape_html(a.court.as_deref().unwrap_or(&a.staff_court)),
            a.kind().as_str(),
            a.kind().label(portal_core::Lang::Zh),
            escape_html(&summary(a)),
            escape_html(&a.html),
        ));
    }
    xml.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

/// The home page's newest three articles.
pub async fn headline(state: &AppState) -> AppResult<Vec<portal_core::api::HeadlineArticle>> {
    let (rows, _) = store::list_public(&state.db, None, None, None, 1, now_ms()).await?;
    Ok(rows
        .iter()
        .take(3)
        .map(|a| portal_core::api::HeadlineArticle {
            slug: a.slug.clone(),
            title: a.title.clone(),
            kind: a.kind(),
            published_on: portal_core::time::court_ymd(a.publish_at.unwrap_or(a.updated_at)),
        })
        .collect())
}

/// `POST /api/v1/staff/articles/images` (the image's bytes as the body): stores a JPEG of its
/// pixels only (no EXIF, GPS or camera data; at most 2048 px on its longer side) and answers
/// `{"url","markdown"}` to put in the text.
async fn upload_image(
    State(state): State<AppState>,
    signed_in: SignedIn,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> AppResult<(StatusCode, Json<serde_json::Value>)> {
    use crate::uploads::media;
    let who = signed_in.require(EDITORS)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge {
                code: ErrorCode::BodyTooLarge,
                zh: "图片不能超过 10 MB".into(),
                en: "The image must not exceed 10 MB".into(),
            }
        } else {
            AppError::bad_request(
                ErrorCode::InvalidRequest,
                "图片没有完整收到，请重试",
                "The image did not arrive whole; please try again",
            )
        }
    })?;
    let kind = media::sniff(&body[..body.len().min(media::SNIFF_BYTES)]);
    if !kind.is_some_and(media::has_display_copy) {
        return Err(AppError::refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedFileType,
            "只能插入 JPEG、PNG 或 WebP 图片",
            "Only JPEG, PNG or WebP images can be inserted",
        ));
    }
    let bytes = body.to_vec();
    let copy = crate::heavy::run(move || media::display_copy(&bytes))
        .await?
        .map_err(|_| {
            AppError::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidValue,
                "图片无法读取，可能已损坏",
                "The image cannot be read; it may be damaged",
            )
        })?;
    let id = store::add_image(&state.db, &copy, &who.court, now_ms()).await?;
    audit(
        &state.db,
        &who,
        "article.image",
        &format!("image:{id}"),
        None,
    )
    .await?;
    let url = format!("/media/{id}.jpg");
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "url": url, "markdown": format!("![图片说明]({url})") })),
    ))
}

/// `GET /media/{id}.jpg`: an article image; its id never changes content, so cached for good.
async fn media(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let id = file.strip_suffix(".jpg").ok_or(AppError::NotFound)?;
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let bytes = store::image(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        bytes,
    )
        .into_response())
}
