//! Finished uploads becoming a tip's evidence ([`claim`]), and evidence read back for staff
//! ([`open_file`], [`serve_file`]).
//!
//! Storage layout: a claimed upload `{id}` becomes `evidence/{id}/original` (the bytes as sent,
//! encrypted) and, for JPEG, PNG and WebP photos, `evidence/{id}/display` (the metadata-free,
//! upright JPEG, encrypted); its staged parts under `staging/{id}/` are then deleted.

use axum::{
    body::Body,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures_util::{stream::BoxStream, StreamExt, TryStreamExt};
use portal_core::time::now_ms;
use portal_core::ErrorCode;

use super::{
    crypt, media,
    store::{self, Claimed, UploadRow, UNSUPPORTED},
};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    storage::Store,
};

/// A claimed upload, as the tip that claimed it records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub upload_id: String,
    /// The name the tipster's device gave (tus `filename` metadata); shown, never trusted.
    pub name: String,
    /// Decided by the bytes.
    pub content_type: String,
    pub bytes: u64,
    /// SHA-256 (hex) of the original bytes: what the tip's receipt lists.
    pub sha256: String,
    /// The encrypted original, for [`open_file`].
    pub original_key: String,
    /// The encrypted display copy of a photo, for [`open_file`].
    pub display_key: Option<String>,
}

/// The plaintext of an evidence file, as it is decrypted.
pub type Plaintext = BoxStream<'static, std::io::Result<Bytes>>;

fn refused(status: StatusCode, code: ErrorCode, zh: String, en: String) -> AppError {
    AppError::FieldRefused {
        status,
        code,
        field: "uploads",
        zh,
        en,
    }
}

fn mb(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

/// Takes over finished uploads as the evidence of one tip submission, in the order given, and
/// returns only once every file is durably stored (encrypted) — so a tip stored after this
/// returns never points at missing evidence.
///
/// For each upload it checks, before changing anything, that it exists, is finished and is not
/// another submission's, that count and total size are within [`super::UploadConfig`], and that
/// its bytes are an evidence type (otherwise 415 naming the file). Then it encrypts the original,
/// computes its SHA-256, makes the display copy of a photo, records the claim and deletes the
/// staged bytes.
///
/// `owner` names the submission — the tips module passes the hash of its `Idempotency-Key`.
/// Claiming is idempotent per owner: a retried submission (also one racing the first) gets the
/// very same [`EvidenceFile`]s back, while another submission naming the same upload is refused
/// with 409 `upload_claimed`. Refusals are errors on the field `uploads`.
pub async fn claim(state: &AppState, owner: &str, ids: &[String]) -> AppResult<Vec<EvidenceFile>> {
    let config = &state.uploads.config;
    if ids.len() > config.max_files {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::TooManyFiles,
            format!("最多上传{}个文件", config.max_files),
            format!("At most {} files", config.max_files),
        ));
    }
    let now = now_ms();
    let mut rows: Vec<UploadRow> = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let row = match super::is_upload_id(id) && !ids[..i].contains(id) {
            true => store::get(&state.db, id, now).await?,
            false => None,
        };
        let Some(row) = row else {
            return Err(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::UploadNotFound,
                "有文件不存在或已过期，请重新上传".into(),
                "A file does not exist or has expired; upload it again".into(),
            ));
        };
        if row.claimed_by.as_deref().is_some_and(|by| by != owner) {
            return Err(claimed_by_another(&row.filename));
        }
        if !row.is_finished() {
            return Err(refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::UploadUnfinished,
                format!("文件“{}”尚未上传完成", row.filename),
                format!("The file \"{}\" has not finished uploading", row.filename),
            ));
        }
        rows.push(row);
    }
    let total: u64 = rows.iter().map(|r| r.length as u64).sum();
    if total > config.max_tip_bytes {
        return Err(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UploadTooLarge,
            format!("文件合计最大 {} MB", mb(config.max_tip_bytes)),
            format!("At most {} MB of files in all", mb(config.max_tip_bytes)),
        ));
    }
    let mut types = Vec::with_capacity(rows.len());
    for row in &rows {
        let content_type = match &row.content_type {
            Some(t) => t.clone(),
            // Finished by a request that stopped before it looked at the bytes.
            None => {
                let t = detect(state, &row.id).await?;
                store::set_type(&state.db, &row.id, t).await?;
                t.to_owned()
            }
        };
        if content_type == UNSUPPORTED {
            return Err(refused(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedFileType,
                format!(
                    "不支持文件“{}”的类型：请上传照片（JPEG、PNG、WebP、HEIC）、PDF 或 MP4 视频",
                    row.filename
                ),
                format!(
                    "The file \"{}\" is not a supported type: upload photos (JPEG, PNG, WebP, HEIC), PDF or MP4 video",
                    row.filename
                ),
            ));
        }
        types.push(content_type);
    }
    let mut files = Vec::with_capacity(rows.len());
    for (row, content_type) in rows.into_iter().zip(types) {
        files.push(match row.claimed_by {
            Some(_) => from_row(row)?,
            None => {
                let id = row.id.clone();
                match claim_one(state, owner, row, &content_type).await {
                    Ok(file) => file,
                    // A racing claim may have taken the staged bytes away mid-read: if it was a
                    // retry of this same submission, its result is this one's.
                    Err(e) => claimed_meanwhile(state, owner, &id).await?.ok_or(e)?,
                }
            }
        });
    }
    Ok(files)
}

/// The evidence of an upload that a concurrent claim by `owner` has just recorded; refused if
/// another submission's claim got it, `None` if nobody claimed it.
async fn claimed_meanwhile(
    state: &AppState,
    owner: &str,
    id: &str,
) -> AppResult<Option<EvidenceFile>> {
    match store::get(&state.db, id, now_ms()).await? {
        Some(row) if row.claimed_by.as_deref() == Some(owner) => Ok(Some(from_row(row)?)),
        Some(row) if row.claimed_by.is_some() => Err(claimed_by_another(&row.filename)),
        _ => Ok(None),
    }
}

fn claimed_by_another(filename: &str) -> AppError {
    refused(
        StatusCode::CONFLICT,
        ErrorCode::UploadClaimed,
        format!("文件“{filename}”已随另一条线索提交"),
        format!("The file \"{filename}\" was sent with another tip"),
    )
}

fn from_row(row: UploadRow) -> AppResult<EvidenceFile> {
    let (Some(content_type), Some(sha256), Some(original_key)) =
        (row.content_type, row.sha256, row.original_key)
    else {
        return Err(anyhow::anyhow!("claimed upload {} lacks its evidence", row.id).into());
    };
    Ok(EvidenceFile {
        upload_id: row.id,
        name: row.filename,
        content_type,
        bytes: row.length as u64,
        sha256,
        original_key,
        display_key: row.display_key,
    })
}

/// The staged bytes of an upload: its parts, one after the other.
fn staged(store: &Store, parts: Vec<String>) -> BoxStream<'_, anyhow::Result<Bytes>> {
    futures_util::stream::iter(parts)
        .then(move |key| async move { store.read(&key).await })
        .try_flatten()
        .boxed()
}

/// The type the first bytes of a finished upload show, or [`UNSUPPORTED`].
pub(super) async fn detect(state: &AppState, id: &str) -> anyhow::Result<&'static str> {
    let mut head = Vec::with_capacity(media::SNIFF_BYTES);
    for key in store::parts(&state.db, id).await? {
        let wanted = media::SNIFF_BYTES - head.len();
        if wanted == 0 {
            break;
        }
        head.extend_from_slice(&state.uploads.store().read_start(&key, wanted).await?);
    }
    Ok(media::sniff(&head).unwrap_or(UNSUPPORTED))
}

async fn claim_one(
    state: &AppState,
    owner: &str,
    row: UploadRow,
    content_type: &str,
) -> AppResult<EvidenceFile> {
    let store = state.uploads.store();
    let parts = store::parts(&state.db, &row.id).await?;
    let original_key = format!("evidence/{}/original", row.id);
    let sealed = crypt::encrypt(
        &state.keys.get(),
        store,
        &original_key,
        staged(store, parts.clone()),
    )
    .await?;
    if sealed.bytes != row.length as u64 {
        return Err(anyhow::anyhow!(
            "upload {} has {} staged bytes, not {}",
            row.id,
            sealed.bytes,
            row.length
        )
        .into());
    }
    let display_key = match media::has_display_copy(content_type) {
        true => display_copy(state, &row, parts).await?,
        false => None,
    };
    let claimed = Claimed {
        owner,
        content_type,
        sha256: &sealed.sha256,
        original_key: &original_key,
        display_key: display_key.as_deref(),
        now: now_ms(),
    };
    if !store::claim(&state.db, &row.id, &claimed).await? {
        // A concurrent claim committed first. It wrote the same keys, from the same bytes.
        return claimed_meanwhile(state, owner, &row.id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("upload {} vanished while claimed", row.id).into());
    }
    if let Err(e) = store.delete_all(&format!("staging/{}", row.id)).await {
        // The sweep removes what is left.
        tracing::warn!(error = %format!("{e:#}"), upload = %row.id, "staged parts not deleted");
    }
    Ok(EvidenceFile {
        upload_id: row.id,
        name: row.filename,
        content_type: content_type.to_owned(),
        bytes: sealed.bytes,
        sha256: sealed.sha256,
        original_key,
        display_key,
    })
}

/// Makes and stores the display copy of a photo; `None` when the photo cannot be decoded (its
/// original is still evidence, staff just get no preview).
async fn display_copy(
    state: &AppState,
    row: &UploadRow,
    parts: Vec<String>,
) -> anyhow::Result<Option<String>> {
    // Decoding takes memory in proportion to the pixels: a few photos at a time.
    let _permit = state.uploads.decoding.acquire().await?;
    let store = state.uploads.store();
    let photo = staged(store, parts)
        .try_fold(
            Vec::with_capacity(row.length as usize),
            |mut all, chunk| async move {
                all.extend_from_slice(&chunk);
                Ok(all)
            },
        )
        .await?;
    let copy = match crate::heavy::run(move || media::display_copy(&photo)).await? {
        Ok(copy) => copy,
        Err(e) => {
            tracing::warn!(error = %format!("{e:#}"), upload = %row.id, "no display copy");
            return Ok(None);
        }
    };
    let key = format!("evidence/{}/display", row.id);
    let copy = futures_util::stream::once(async move { Ok(Bytes::from(copy)) }).boxed();
    crypt::encrypt(&state.keys.get(), store, &key, copy).await?;
    Ok(Some(key))
}

/// The decrypted content of the evidence file `key` (an [`EvidenceFile`]'s `original_key` or
/// `display_key`), streamed. A file that fails its authentication ends the stream with an error.
pub async fn open_file(state: &AppState, key: &str) -> AppResult<Plaintext> {
    if !key.starts_with("evidence/") {
        return Err(AppError::NotFound);
    }
    let plain = crypt::decrypt(&state.keys.get(), state.uploads.store(), key).await?;
    let key = key.to_owned();
    Ok(plain
        .map_err(move |e| {
            tracing::error!(error = %format!("{e:#}"), %key, "evidence file does not decrypt");
            std::io::Error::other("evidence file does not decrypt")
        })
        .boxed())
}

/// An evidence file as a download that no browser runs: an attachment, never sniffed, in a
/// sandbox that allows nothing, never cached.
pub async fn serve_file(
    state: &AppState,
    key: &str,
    name: &str,
    content_type: &str,
) -> AppResult<Response> {
    let plain = open_file(state, key).await?;
    let mut res = Body::from_stream(plain).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_DISPOSITION, attachment(name));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// `attachment` with the name in ASCII for old clients and in UTF-8 (RFC 6266/8187) for the rest:
/// 车库.jpg stays 车库.jpg.
fn attachment(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' | '_' => c,
            _ => '_',
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn download_names_survive_in_both_forms_and_cannot_break_the_header() {
        assert_eq!(
            attachment("车库.jpg"),
            "attachment; filename=\"__.jpg\"; filename*=UTF-8''%E8%BD%A6%E5%BA%93.jpg"
        );
        assert_eq!(
            attachment("a\"; b.html"),
            "attachment; filename=\"a___b.html\"; filename*=UTF-8''a%22%3B%20b.html"
        );
    }
}
