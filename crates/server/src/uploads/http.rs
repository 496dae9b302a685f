//! The tus 1.0 protocol (core, creation, termination) at `/api/v1/uploads`.
//!
//! A PATCH body streams into the upload store in parts of [`PART`] bytes; each part is stored
//! durably and only then recorded, with the new offset, in one transaction. A HEAD therefore never
//! reports a byte that could be lost, and a connection that breaks mid-PATCH keeps every byte that
//! arrived: the receiving runs in a task of its own that outlives the request, stores what it
//! holds when the body fails, and then stops.
//!
//! This router is not under the API's 1 MB body limit: a PATCH is limited to what its upload still
//! lacks (at most the per-file limit), checked against `Content-Length` before anything is read
//! and counted as the body streams.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::options,
    Router,
};
use base64::{prelude::BASE64_STANDARD, Engine};
use bytes::Bytes;
use futures_util::StreamExt;
use portal_core::time::now_ms;
use portal_core::ErrorCode;
use tower_http::set_header::SetResponseHeaderLayer;

use super::{
    evidence::detect,
    store::{self, UploadRow},
};
use crate::{error::AppError, extract::Client, state::AppState, storage::Writer};

const TUS_VERSION: &str = "1.0.0";
/// Bytes of a PATCH stored as one part: what a crash of the server (not of the connection) may
/// lose, and with a bucket the most one receiving request holds in memory.
const PART: usize = 1024 * 1024;
/// Longest `filename` kept, in characters.
const MAX_NAME: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/uploads", options(capabilities).post(create))
        .route(
            "/uploads/{id}",
            axum::routing::head(offset)
                .patch(append)
                .delete(terminate)
                .post(overridden)
                .options(capabilities),
        )
        // Every answer of the protocol says which version it speaks, refusals included.
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("tus-resumable"),
            HeaderValue::from_static(TUS_VERSION),
        ))
}

fn refused(status: StatusCode, code: ErrorCode, zh: String, en: String) -> Response {
    AppError::refused(status, code, zh, en).into_response()
}

fn with_header(mut res: Response, name: &'static str, value: impl ToString) -> Response {
    if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
        res.headers_mut().insert(HeaderName::from_static(name), v);
    }
    res
}

fn internal(e: impl Into<anyhow::Error>) -> Response {
    AppError::Internal(e.into()).into_response()
}

/// Requests must speak tus 1.0.0; anything else gets 412 and the version we speak.
fn wrong_version(headers: &HeaderMap) -> Option<Response> {
    if headers.get("tus-resumable").and_then(|v| v.to_str().ok()) == Some(TUS_VERSION) {
        return None;
    }
    Some(with_header(
        refused(
            StatusCode::PRECONDITION_FAILED,
            ErrorCode::TusVersionUnsupported,
            "上传协议版本不受支持（需要 tus 1.0.0）".into(),
            "Unsupported upload protocol version (tus 1.0.0 is required)".into(),
        ),
        "tus-version",
        TUS_VERSION,
    ))
}

async fn capabilities(State(state): State<AppState>) -> Response {
    let res = StatusCode::NO_CONTENT.into_response();
    let res = with_header(res, "tus-version", TUS_VERSION);
    let res = with_header(res, "tus-extension", "creation,termination");
    with_header(res, "tus-max-size", state.uploads.config.max_file_bytes)
}

fn too_large(max: u64) -> Response {
    let mb = max / (1024 * 1024);
    refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UploadTooLarge,
        format!("文件过大：每个文件最大 {mb} MB"),
        format!("The file is too large: at most {mb} MB per file"),
    )
}

fn not_found() -> Response {
    refused(
        StatusCode::NOT_FOUND,
        ErrorCode::UploadNotFound,
        "上传不存在或已过期，请重新选择文件".into(),
        "The upload does not exist or has expired; choose the file again".into(),
    )
}

fn offset_mismatch(offset: i64) -> Response {
    with_header(
        refused(
            StatusCode::CONFLICT,
            ErrorCode::UploadOffsetMismatch,
            "上传位置不一致，请从服务器记录的位置继续".into(),
            "The upload offset does not match; continue from the offset the server reports".into(),
        ),
        "upload-offset",
        offset,
    )
}

/// A value of `Upload-Metadata` (`key base64,key base64`), decoded.
fn metadata(headers: &HeaderMap, key: &str) -> Option<String> {
    headers
        .get("upload-metadata")?
        .to_str()
        .ok()?
        .split(',')
        .filter_map(|pair| {
            let mut it = pair.split_whitespace();
            Some((it.next()?, it.next().unwrap_or("")))
        })
        .find(|(k, _)| *k == key)
        .and_then(|(_, v)| BASE64_STANDARD.decode(v).ok())
        .and_then(|b| String::from_utf8(b).ok())
}

/// The file's own name from `filename`, without folders or control characters: shown to staff
/// and named in refusals, never used to decide anything.
fn filename(headers: &HeaderMap) -> String {
    let name = metadata(headers, "filename").unwrap_or_default();
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect::<String>()
        .trim()
        .to_owned()
}

fn random_id() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn header_number(headers: &HeaderMap, name: &str) -> Option<Option<i64>> {
    headers.get(name).map(|v| {
        v.to_str()
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<i64>().ok())
    })
}

async fn create(State(state): State<AppState>, client: Client, headers: HeaderMap) -> Response {
    if let Some(res) = wrong_version(&headers) {
        return res;
    }
    // Every upload starts here: the same admission as lookups (its PATCHes then belong to it).
    if let Err(e) = client.admit(&state).await {
        return e.into_response();
    }
    let Some(Some(length)) = header_number(&headers, "upload-length") else {
        return refused(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidUploadLength,
            "缺少或错误的 Upload-Length".into(),
            "Upload-Length is missing or not a number".into(),
        );
    };
    let config = &state.uploads.config;
    if length as u64 > config.max_file_bytes {
        return too_large(config.max_file_bytes);
    }
    let now = now_ms();
    match store::staged(&state.db, now).await {
        Ok((staged, first_expiry)) if staged as u64 + length as u64 > config.max_staged_bytes => {
            let wait = first_expiry.map_or(600, |at| ((at - now) / 1000).clamp(60, 3600)) as u64;
            return with_header(
                refused(
                    StatusCode::INSUFFICIENT_STORAGE,
                    ErrorCode::InsufficientStorage,
                    format!("服务器暂时无法接收更多文件，请约 {} 分钟后重试", wait.div_ceil(60)),
                    format!(
                        "The server cannot take more files just now; please try again in about {} min",
                        wait.div_ceil(60)
                    ),
                ),
                "retry-after",
                wait,
            );
        }
        Ok(_) => {}
        Err(e) => return AppError::Database(e).into_response(),
    }
    let id = random_id();
    let expires = now + config.expire_after.as_millis() as i64;
    if let Err(e) = store::create(&state.db, &id, length, &filename(&headers), now, expires).await {
        return AppError::Database(e).into_response();
    }
    with_header(
        StatusCode::CREATED.into_response(),
        "location",
        format!("/api/v1/uploads/{id}"),
    )
}

async fn row(state: &AppState, id: &str) -> Result<UploadRow, Response> {
    if !super::is_upload_id(id) {
        return Err(not_found());
    }
    match store::get(&state.db, id, now_ms()).await {
        Ok(Some(row)) => Ok(row),
        Ok(None) => Err(not_found()),
        Err(e) => Err(AppError::Database(e).into_response()),
    }
}

async fn offset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(res) = wrong_version(&headers) {
        return res;
    }
    match row(&state, &id).await {
        Ok(r) => {
            let res = StatusCode::OK.into_response();
            let res = with_header(res, "upload-offset", r.received);
            let res = with_header(res, "upload-length", r.length);
            with_header(res, "cache-control", "no-store")
        }
        Err(res) => res,
    }
}

async fn append(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Some(res) = wrong_version(&headers) {
        return res;
    }
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/offset+octet-stream")
    {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UploadContentType,
            "上传内容类型应为 application/offset+octet-stream".into(),
            "The upload's Content-Type must be application/offset+octet-stream".into(),
        );
    }
    let Some(Some(claimed)) = header_number(&headers, "upload-offset") else {
        return refused(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidUploadOffset,
            "缺少或错误的 Upload-Offset".into(),
            "Upload-Offset is missing or not a number".into(),
        );
    };
    let row = match row(&state, &id).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    if claimed != row.received {
        return offset_mismatch(row.received);
    }
    let room = row.length - row.received;
    if let Some(Some(length)) = header_number(&headers, "content-length") {
        if length > room {
            return with_header(
                too_large(state.uploads.config.max_file_bytes),
                "upload-offset",
                row.received,
            );
        }
    }
    // The task keeps going if this request is dropped (its client gone, its time up), so the
    // bytes that arrived are stored either way.
    let received = tokio::spawn(receive(state.clone(), row, body)).await;
    match received {
        Ok(Ok(Received { offset, end })) => match end {
            End::Complete => with_header(
                StatusCode::NO_CONTENT.into_response(),
                "upload-offset",
                offset,
            ),
            End::Overflow => with_header(
                too_large(state.uploads.config.max_file_bytes),
                "upload-offset",
                offset,
            ),
            End::Moved => match store::get(&state.db, &id, now_ms()).await {
                Ok(Some(now)) => offset_mismatch(now.received),
                Ok(None) => not_found(),
                Err(e) => AppError::Database(e).into_response(),
            },
            End::Broken => with_header(
                refused(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::UploadInterrupted,
                    "上传中断，已保存收到的部分，请从该位置继续".into(),
                    "The upload was interrupted; what arrived is kept, continue from there".into(),
                ),
                "upload-offset",
                offset,
            ),
        },
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

/// How a PATCH body ended.
enum End {
    /// The body ended; everything in it is stored.
    Complete,
    /// The body failed (the connection broke); what arrived before is stored.
    Broken,
    /// The body held more than the upload lacks; what fitted is stored.
    Overflow,
    /// Another request for the same upload moved its offset first; nothing more is stored.
    Moved,
}

struct Received {
    offset: i64,
    end: End,
}

async fn receive(state: AppState, row: UploadRow, body: Body) -> anyhow::Result<Received> {
    let mut body = body.into_data_stream();
    let mut offset = row.received;
    let mut part: Option<Part> = None;
    let mut end = 'body: loop {
        let mut chunk = match body.next().await {
            Some(Ok(chunk)) => chunk,
            Some(Err(_)) => break End::Broken,
            None => break End::Complete,
        };
        let room = (row.length - offset) as usize - part.as_ref().map_or(0, |p| p.len);
        let overflow = chunk.len() > room;
        chunk.truncate(room);
        while !chunk.is_empty() {
            let current = match &mut part {
                Some(current) => current,
                None => part.insert(Part::open(&state, &row.id, offset).await?),
            };
            let piece = chunk.split_to(chunk.len().min(PART - current.len));
            if let Err(e) = current.write(piece).await {
                if let Some(failed) = part.take() {
                    failed.writer.abort().await;
                }
                return Err(e);
            }
            if current.len == PART {
                let full = part.take().expect("just written");
                if !full.commit(&state, &row.id).await? {
                    break 'body End::Moved;
                }
                offset += PART as i64;
            }
        }
        if overflow {
            break End::Overflow;
        }
    };
    if let Some(last) = part {
        match end {
            End::Moved => last.writer.abort().await,
            _ => {
                let len = last.len as i64;
                if last.commit(&state, &row.id).await? {
                    offset += len;
                } else {
                    end = End::Moved;
                }
            }
        }
    }
    if offset == row.length && offset > row.received {
        // Every byte is stored: a failure to look at them now is no failure of the upload (the
        // claim looks again).
        match detect(&state, &row.id).await {
            Ok(content_type) => store::set_type(&state.db, &row.id, content_type).await?,
            Err(e) => {
                tracing::warn!(error = %format!("{e:#}"), upload = %row.id, "type not sniffed")
            }
        }
    }
    Ok(Received { offset, end })
}

/// A part being received: written to the store as the bytes arrive (the folder writes them to a
/// file at once; a bucket holds them until the part is complete — S3 has no append).
struct Part {
    writer: Writer,
    key: String,
    start: i64,
    len: usize,
}

impl Part {
    async fn open(state: &AppState, id: &str, start: i64) -> anyhow::Result<Part> {
        use argon2::password_hash::rand_core::{OsRng, RngCore};
        // A key of its own per attempt: a racing request for the same offset never overwrites
        // the part the database recorded.
        let key = format!("staging/{id}/{start:012}-{:08x}", OsRng.next_u32());
        Ok(Part {
            writer: state.uploads.store().writer(&key).await?,
            key,
            start,
            len: 0,
        })
    }

    async fn write(&mut self, bytes: Bytes) -> anyhow::Result<()> {
        self.len += bytes.len();
        self.writer.write(bytes).await
    }

    /// Makes the part durable, then records it; false if the upload's offset moved meanwhile,
    /// in which case the part is removed again.
    async fn commit(self, state: &AppState, id: &str) -> anyhow::Result<bool> {
        self.writer.finish().await?;
        let end = self.start + self.len as i64;
        let expires = now_ms() + state.uploads.config.expire_after.as_millis() as i64;
        if store::add_part(&state.db, id, self.start, end, &self.key, expires).await? {
            return Ok(true);
        }
        state.uploads.store().delete(&self.key).await?;
        Ok(false)
    }
}

/// `POST` with `X-HTTP-Method-Override`, for clients behind proxies and web views that cannot
/// send PATCH or DELETE (tus 1.0 core).
async fn overridden(
    state: State<AppState>,
    id: Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let method = headers
        .get("x-http-method-override")
        .and_then(|v| Method::from_bytes(v.as_bytes().to_ascii_uppercase().as_slice()).ok());
    match method {
        Some(Method::PATCH) => append(state, id, headers, body).await,
        Some(Method::HEAD) => offset(state, id, headers).await,
        Some(Method::DELETE) => terminate(state, id, headers).await,
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

async fn terminate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(res) = wrong_version(&headers) {
        return res;
    }
    let row = match row(&state, &id).await {
        Ok(r) => r,
        Err(res) => return res,
    };
    if row.claimed_by.is_some() {
        return refused(
            StatusCode::CONFLICT,
            ErrorCode::UploadClaimed,
            "该文件已随线索提交，不能删除".into(),
            "This file was sent with a tip and cannot be deleted".into(),
        );
    }
    match store::delete(&state.db, &id).await {
        Ok(true) => {
            if let Err(e) = state
                .uploads
                .store()
                .delete_all(&format!("staging/{id}"))
                .await
            {
                // The sweep removes what is left.
                tracing::warn!(error = %format!("{e:#}"), upload = %id, "staged parts not deleted");
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(false) => not_found(),
        Err(e) => AppError::Database(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn metadata_gives_the_bare_file_name() {
        let name = |v: &str| filename(&headers(&[("upload-metadata", v)]));
        let b64 = |s: &str| BASE64_STANDARD.encode(s);
        assert_eq!(
            name(&format!(
                "filename {},filetype {}",
                b64("车库.jpg"),
                b64("image/jpeg")
            )),
            "车库.jpg"
        );
        assert_eq!(
            name(&format!("is_confidential,filename {}", b64("a.pdf"))),
            "a.pdf"
        );
        assert_eq!(
            name(&format!("filename {}", b64("C:\\fakepath\\..\\x.png"))),
            "x.png"
        );
        assert_eq!(
            name(&format!("filename {}", b64("../../etc/passwd"))),
            "passwd"
        );
        assert_eq!(
            name(&format!("filename {}", b64("a\nb\u{7}.jpg"))),
            "ab.jpg"
        );
        assert_eq!(name("filename !!!"), "");
        assert_eq!(filename(&HeaderMap::new()), "");
        assert_eq!(
            metadata(
                &headers(&[("upload-metadata", &format!("filetype {}", b64("video/mp4")))]),
                "filetype"
            )
            .as_deref(),
            Some("video/mp4")
        );
    }

    #[test]
    fn numbers_in_headers_are_plain_digits() {
        let n = |v: &str| header_number(&headers(&[("upload-offset", v)]), "upload-offset");
        assert_eq!(n("42"), Some(Some(42)));
        assert_eq!(n("0"), Some(Some(0)));
        assert_eq!(n("-1"), Some(None));
        assert_eq!(n("+1"), Some(None));
        assert_eq!(n(""), Some(None));
        assert_eq!(n("99999999999999999999999"), Some(None));
        assert_eq!(header_number(&HeaderMap::new(), "upload-offset"), None);
    }
}
