//! Evidence uploads over tus 1.0 (core, creation, termination) at `/api/v1/uploads` (DESIGN §7.5),
//! built for bad networks: every PATCH writes at its offset and makes what arrived durable, so a
//! file interrupted at 80 % resumes from 80 %. Bodies stream to disk, never held whole in memory.
//!
//! Unfinished uploads wait in a staging folder and expire; a tip [`claim`]s finished ones, which
//! turns each into encrypted evidence (plus a metadata-free display copy for images) and removes
//! the staged bytes. The `uploads` table belongs to [`store`].

// The protocol's refusals are complete responses (status, tus headers, JSON error); returning
// them as the error side keeps each handler a straight line.
#![allow(clippy::result_large_err)]

pub mod evidence;
pub mod store;

use std::{
    io::{Seek, SeekFrom, Write},
    path::PathBuf,
    time::Duration,
};

use axum::{
    body::Body,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::options,
    Router,
};
use base64::{prelude::BASE64_STANDARD, Engine};
use futures_util::StreamExt;

use crate::{
    clock::now_millis,
    error::{AppError, AppResult},
    http::AppState,
};

/// Limits of evidence uploads (`portal-server serve` flags).
#[derive(Debug, Clone)]
pub struct UploadConfig {
    /// Files per tip.
    pub max_files: usize,
    /// Bytes per file.
    pub max_file_bytes: u64,
    /// Bytes per tip, all files together.
    pub max_tip_bytes: u64,
    /// How long an unfinished upload is kept.
    pub expire_after: Duration,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            max_files: 10,
            max_file_bytes: 20 * 1024 * 1024,
            max_tip_bytes: 50 * 1024 * 1024,
            expire_after: Duration::from_secs(24 * 3600),
        }
    }
}

/// The upload store: a staging folder for unfinished uploads and an evidence folder for claimed,
/// encrypted files, both under the data directory.
pub struct Uploads {
    pub config: UploadConfig,
    root: PathBuf,
}

/// A claimed upload, as the tip that claimed it stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub upload_id: String,
    pub name: String,
    pub content_type: String,
    pub bytes: u64,
    pub sha256: String,
    pub original_key: String,
    pub display_key: Option<String>,
}

impl Uploads {
    pub fn new(root: PathBuf, config: UploadConfig) -> anyhow::Result<Uploads> {
        for dir in ["staging", "evidence"] {
            std::fs::create_dir_all(root.join(dir))?;
        }
        Ok(Uploads { config, root })
    }

    fn staged(&self, id: &str) -> PathBuf {
        self.root.join("staging").join(id)
    }

    fn evidence(&self, key: &str) -> PathBuf {
        self.root.join("evidence").join(key)
    }
}

const TUS_VERSION: &str = "1.0.0";
/// Bytes written between durable checkpoints of a PATCH: a broken connection loses at most this.
const CHECKPOINT: u64 = 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/uploads", options(capabilities).post(create))
        .route(
            "/uploads/{id}",
            axum::routing::head(offset).patch(append).delete(terminate),
        )
}

fn tus_headers(res: &mut Response) {
    res.headers_mut().insert(
        HeaderName::from_static("tus-resumable"),
        HeaderValue::from_static(TUS_VERSION),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

fn tus(status: StatusCode, headers: &[(&'static str, String)]) -> Response {
    let mut res = status.into_response();
    for (name, value) in headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            res.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    tus_headers(&mut res);
    res
}

fn refused(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Response {
    let mut res = AppError::bad_request_status(status, code, zh, en).into_response();
    tus_headers(&mut res);
    res
}

/// Requests must speak tus 1.0.0; anything else gets 412 and the version we speak.
fn check_version(headers: &HeaderMap) -> Result<(), Response> {
    match headers.get("tus-resumable").and_then(|v| v.to_str().ok()) {
        Some(TUS_VERSION) => Ok(()),
        _ => {
            let mut res = refused(
                StatusCode::PRECONDITION_FAILED,
                "tus_version",
                "上传协议版本不受支持（需要 tus 1.0.0）",
                "Unsupported upload protocol version (tus 1.0.0 is required)",
            );
            res.headers_mut().insert(
                HeaderName::from_static("tus-version"),
                HeaderValue::from_static(TUS_VERSION),
            );
            Err(res)
        }
    }
}

async fn capabilities(State(state): State<AppState>) -> Response {
    tus(
        StatusCode::NO_CONTENT,
        &[
            ("tus-version", TUS_VERSION.into()),
            ("tus-extension", "creation,termination".into()),
            (
                "tus-max-size",
                state.uploads.config.max_file_bytes.to_string(),
            ),
        ],
    )
}

fn too_large(max: u64) -> Response {
    refused(
        StatusCode::PAYLOAD_TOO_LARGE,
        "upload_too_large",
        &format!("文件过大：每个文件最大 {} MB", max / (1024 * 1024)),
        &format!(
            "The file is too large: at most {} MB per file",
            max / (1024 * 1024)
        ),
    )
}

/// The `filename` of `Upload-Metadata` (`key base64,key base64`), if sent.
fn filename(headers: &HeaderMap) -> String {
    headers
        .get("upload-metadata")
        .and_then(|v| v.to_str().ok())
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|pair| pair.trim().split_once(' '))
        .find(|(k, _)| *k == "filename")
        .and_then(|(_, v)| BASE64_STANDARD.decode(v.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .map(|name| name.chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_default()
}

fn random_id() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

async fn create(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(res) = check_version(&headers) {
        return res;
    }
    let length = headers
        .get("upload-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let Some(length) = length else {
        return refused(
            StatusCode::BAD_REQUEST,
            "upload_length",
            "缺少或错误的 Upload-Length",
            "Upload-Length is missing or not a number",
        );
    };
    let max = state.uploads.config.max_file_bytes;
    if length > max {
        return too_large(max);
    }
    let id = random_id();
    let name = filename(&headers);
    let expires = now_millis() + state.uploads.config.expire_after.as_millis() as i64;
    let created = async {
        std::fs::File::create(state.uploads.staged(&id))?;
        store::create(&state.db, &id, length as i64, &name, expires).await?;
        anyhow::Ok(())
    };
    if let Err(e) = created.await {
        return AppError::Internal(e).into_response();
    }
    tus(
        StatusCode::CREATED,
        &[("location", format!("/api/v1/uploads/{id}"))],
    )
}

async fn row(state: &AppState, id: &str) -> Result<store::UploadRow, Response> {
    match store::get(&state.db, id).await {
        Ok(Some(row)) => Ok(row),
        Ok(None) => Err(refused(
            StatusCode::NOT_FOUND,
            "upload_not_found",
            "上传不存在或已过期，请重新选择文件",
            "The upload does not exist or has expired; choose the file again",
        )),
        Err(e) => Err(AppError::Database(e).into_response()),
    }
}

async fn offset(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = check_version(&headers) {
        return res;
    }
    match row(&state, &id).await {
        Ok(r) => tus(
            StatusCode::OK,
            &[
                ("upload-offset", r.received.to_string()),
                ("upload-length", r.length.to_string()),
            ],
        ),
        Err(res) => res,
    }
}

async fn append(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(res) = check_version(&headers) {
        return res;
    }
    if headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        != Some("application/offset+octet-stream")
    {
        return refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "upload_content_type",
            "上传内容类型应为 application/offset+octet-stream",
            "The upload's Content-Type must be application/offset+octet-stream",
        );
    }
    let row = match row(&state, &id).await {
        Ok(r) if r.status == "partial" => r,
        Ok(_) => {
            return refused(
                StatusCode::CONFLICT,
                "upload_finished",
                "该文件已提交，不能再修改",
                "This file has been submitted and cannot change",
            )
        }
        Err(res) => return res,
    };
    let claimed_offset = headers
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    if claimed_offset != Some(row.received) {
        return tus(
            StatusCode::CONFLICT,
            &[("upload-offset", row.received.to_string())],
        );
    }
    match write_body(&state, &row, body).await {
        Ok(received) => tus(
            StatusCode::NO_CONTENT,
            &[("upload-offset", received.to_string())],
        ),
        Err(res) => res,
    }
}

/// Streams the body into the staged file at the upload's offset, making the bytes durable (and
/// the new offset known) every [`CHECKPOINT`] and at the end — also when the connection breaks.
async fn write_body(state: &AppState, row: &store::UploadRow, body: Body) -> Result<i64, Response> {
    let internal = |e: anyhow::Error| AppError::Internal(e).into_response();
    let path = state.uploads.staged(&row.id);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .map_err(|e| internal(e.into()))?;
    file.seek(SeekFrom::Start(row.received as u64))
        .map_err(|e| internal(e.into()))?;
    let mut stream = body.into_data_stream();
    let (mut committed, mut written) = (row.received, row.received);
    let mut broken = false;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            broken = true;
            break;
        };
        if written + chunk.len() as i64 > row.length {
            // Keep what fitted; the client is told where the upload stands.
            break;
        }
        file.write_all(&chunk).map_err(|e| internal(e.into()))?;
        written += chunk.len() as i64;
        if (written - committed) as u64 >= CHECKPOINT {
            file.sync_data().map_err(|e| internal(e.into()))?;
            if !store::advance(&state.db, &row.id, committed, written)
                .await
                .map_err(|e| internal(e.into()))?
            {
                return Err(tus(StatusCode::CONFLICT, &[]));
            }
            committed = written;
        }
    }
    file.sync_data().map_err(|e| internal(e.into()))?;
    if written != committed
        && !store::advance(&state.db, &row.id, committed, written)
            .await
            .map_err(|e| internal(e.into()))?
    {
        return Err(tus(StatusCode::CONFLICT, &[]));
    }
    if broken {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "upload_interrupted",
            "上传中断，已保存已收到的部分，请继续上传",
            "The upload was interrupted; what arrived is kept, continue from there",
        ));
    }
    Ok(written)
}

async fn terminate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(res) = check_version(&headers) {
        return res;
    }
    match store::delete(&state.db, &id).await {
        Ok(true) => {
            let _ = std::fs::remove_file(state.uploads.staged(&id));
            tus(StatusCode::NO_CONTENT, &[])
        }
        Ok(false) => row(&state, &id)
            .await
            .err()
            .unwrap_or_else(|| tus(StatusCode::CONFLICT, &[])),
        Err(e) => AppError::Database(e).into_response(),
    }
}

fn uploads_error(zh: String, en: String) -> AppError {
    AppError::invalid(
        "uploads",
        portal_core::Invalid::new(portal_core::ErrorCode::InvalidValue, zh, en),
    )
}

/// Takes over finished uploads as a tip's evidence, in the order given: checks count, sizes and
/// types (by content: anything else is a 415 naming the file), encrypts each original into the
/// evidence folder, makes display copies of images, and forgets the staged bytes. Claiming an
/// upload again returns what the first claim made, so a retried submission succeeds.
pub async fn claim(state: &AppState, ids: &[String]) -> AppResult<Vec<EvidenceFile>> {
    let config = &state.uploads.config;
    if ids.len() > config.max_files {
        return Err(uploads_error(
            format!("最多上传{}个文件", config.max_files),
            format!("At most {} files", config.max_files),
        ));
    }
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let row = store::get(&state.db, id).await?.ok_or_else(|| {
            uploads_error(
                "有文件不存在或已过期，请重新上传".into(),
                "A file does not exist or has expired; upload it again".into(),
            )
        })?;
        if row.status == "partial" && row.received < row.length {
            return Err(uploads_error(
                format!("文件“{}”尚未上传完成", row.filename),
                format!("The file \"{}\" has not finished uploading", row.filename),
            ));
        }
        rows.push(row);
    }
    let total: i64 = rows.iter().map(|r| r.length).sum();
    if total as u64 > config.max_tip_bytes {
        return Err(AppError::TooLarge {
            code: "upload_too_large",
            zh: format!("文件合计最大 {} MB", config.max_tip_bytes / (1024 * 1024)),
            en: format!(
                "At most {} MB of files in all",
                config.max_tip_bytes / (1024 * 1024)
            ),
        });
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(claim_one(state, row).await?);
    }
    Ok(out)
}

async fn claim_one(state: &AppState, row: store::UploadRow) -> AppResult<EvidenceFile> {
    if let (Some(content_type), Some(sha256), Some(original_key)) =
        (&row.content_type, &row.sha256, &row.original_key)
    {
        return Ok(EvidenceFile {
            upload_id: row.id.clone(),
            name: row.filename.clone(),
            content_type: content_type.clone(),
            bytes: row.length as u64,
            sha256: sha256.clone(),
            original_key: original_key.clone(),
            display_key: row.display_key.clone(),
        });
    }
    let staged = state.uploads.staged(&row.id);
    let mut head = [0u8; 16];
    let n = {
        use std::io::Read;
        std::fs::File::open(&staged)
            .and_then(|mut f| f.read(&mut head))
            .map_err(anyhow::Error::from)?
    };
    let content_type = evidence::sniff(&head[..n]).ok_or_else(|| {
        AppError::bad_request_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_file_type",
            format!(
                "不支持文件“{}”的类型：请上传照片（JPEG、PNG、WebP、HEIC）、PDF 或 MP4 视频",
                row.filename
            ),
            format!(
                "The file \"{}\" is not a supported type: upload photos (JPEG, PNG, WebP, HEIC), PDF or MP4 video",
                row.filename
            ),
        )
    })?;
    let keys = state.keys.clone();
    let (original_key, display_key) = (format!("{}.orig", row.id), format!("{}.display", row.id));
    let (original_path, display_path) = (
        state.uploads.evidence(&original_key),
        state.uploads.evidence(&display_key),
    );
    let id = row.id.clone();
    let made = tokio::task::spawn_blocking(move || {
        let sha256 = evidence::encrypt_file(
            &keys,
            &format!("evidence:{original_key}"),
            &staged,
            &original_path,
        )?;
        let display = if content_type.starts_with("image/") && content_type != "image/heic" {
            match evidence::display_copy(&staged) {
                Ok(jpeg) => {
                    let tmp = staged.with_extension("display");
                    std::fs::write(&tmp, jpeg)?;
                    evidence::encrypt_file(
                        &keys,
                        &format!("evidence:{display_key}"),
                        &tmp,
                        &display_path,
                    )?;
                    std::fs::remove_file(&tmp)?;
                    Some(display_key)
                }
                // A photo that cannot be decoded is still evidence; staff get the original only.
                Err(e) => {
                    tracing::warn!(error = %e, upload = %id, "no display copy");
                    None
                }
            }
        } else {
            None
        };
        anyhow::Ok((sha256, original_key, display))
    })
    .await
    .map_err(anyhow::Error::from)??;
    let (sha256, original_key, display_key) = made;
    store::claimed(
        &state.db,
        &row.id,
        content_type,
        &sha256,
        &original_key,
        display_key.as_deref(),
    )
    .await?;
    let _ = std::fs::remove_file(state.uploads.staged(&row.id));
    Ok(EvidenceFile {
        upload_id: row.id,
        name: row.filename,
        content_type: content_type.to_owned(),
        bytes: row.length as u64,
        sha256,
        original_key,
        display_key,
    })
}

/// An evidence file, decrypted, served so that no browser runs it: an attachment, never sniffed,
/// in a sandbox that allows nothing.
pub async fn serve_file(
    state: &AppState,
    key: &str,
    name: &str,
    content_type: &str,
) -> AppResult<Response> {
    let keys = state.keys.clone();
    let (path, context) = (state.uploads.evidence(key), format!("evidence:{key}"));
    let bytes = tokio::task::spawn_blocking(move || evidence::decrypt_file(&keys, &context, &path))
        .await
        .map_err(anyhow::Error::from)??;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\""))
            .unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Deletes unfinished uploads past their expiry, rows and bytes; returns how many.
pub async fn sweep(state: &AppState) -> AppResult<usize> {
    let ids = store::expire(&state.db, now_millis()).await?;
    for id in &ids {
        let _ = std::fs::remove_file(state.uploads.staged(id));
    }
    Ok(ids.len())
}
