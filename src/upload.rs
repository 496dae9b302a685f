//! Evidence uploads that survive a bad network: a small tus 1.0 client (creation, resumable
//! PATCHes, HEAD to learn where the server stands). A file interrupted at 80 % resumes from 80 %:
//! after a failed chunk the client waits, asks the server for its offset and goes on from there;
//! the upload's address is kept in `localStorage`, so even a reload resumes instead of restarting.

use std::time::Duration;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use portal_core::{
    api::{ErrorBody, ErrorDetail, POW_HEADER},
    Lang,
};
use wasm_bindgen::JsCast;

use crate::api::ApiError;

/// Bytes per PATCH: small enough that a 2G connection finishes a chunk before most drops, large
/// enough that a 20 MB video needs few round trips.
const CHUNK: u64 = 256 * 1024;
/// Failed chunks in a row before the upload gives up (the user can press retry; it resumes).
const MAX_ATTEMPTS: u32 = 8;
const ENDPOINT: &str = "/api/v1/uploads";

/// The `localStorage` key under which a file's upload address is remembered.
fn resume_key(file: &web_sys::File) -> String {
    format!(
        "portal.tus:{}:{}:{}",
        file.name(),
        size(file),
        file.last_modified() as u64
    )
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// `filename <base64>,filetype <base64>` for `Upload-Metadata`.
fn metadata(file: &web_sys::File) -> String {
    let b64 = |s: &str| {
        // btoa takes one byte per character: UTF-8 bytes as Latin-1 characters.
        let binary: String = s.as_bytes().iter().map(|&b| char::from(b)).collect();
        web_sys::window()
            .and_then(|w| w.btoa(&binary).ok())
            .unwrap_or_default()
    };
    let mut meta = format!("filename {}", b64(&file.name()));
    if !file.type_().is_empty() {
        meta.push_str(&format!(",filetype {}", b64(&file.type_())));
    }
    meta
}

async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => ApiError::Server {
            status,
            detail: body.error,
        },
        Err(_) => ApiError::Unexpected(status),
    }
}

/// A file's size in bytes. (Sizes and offsets are whole numbers: kept out of floating point,
/// whose text conversions would cost the bundle kilobytes.)
fn size(file: &web_sys::File) -> u64 {
    file.size() as u64
}

fn offset_of(response: &Response) -> Option<u64> {
    response
        .headers()
        .get("upload-offset")
        .and_then(|v| v.parse::<u64>().ok())
}

/// Creates the upload; past the free allowance the server asks for a proof of work first, as it
/// does for lookups.
async fn create(file: &web_sys::File, lang: Lang) -> Result<String, ApiError> {
    let mut solution: Option<String> = None;
    for _ in 0..3 {
        let mut request = Request::post(ENDPOINT)
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Length", &size(file).to_string())
            .header("Upload-Metadata", &metadata(file))
            .header("Accept-Language", lang.tag());
        if let Some(solution) = &solution {
            request = request.header(POW_HEADER, solution);
        }
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        if response.status() == 201 {
            return response
                .headers()
                .get("location")
                .ok_or(ApiError::Unexpected(201));
        }
        match error_of(response).await {
            ApiError::Server {
                detail:
                    ErrorDetail {
                        challenge: Some(challenge),
                        ..
                    },
                ..
            } => {
                solution = Some(format!(
                    "{}:{}",
                    challenge.seed,
                    crate::api::solve(&challenge).await
                ));
            }
            other => return Err(other),
        }
    }
    Err(ApiError::Unexpected(429))
}

/// Where the server stands on an upload; `None` when it no longer knows it (expired).
async fn server_offset(location: &str) -> Result<Option<u64>, ApiError> {
    let response = RequestBuilder::new(location)
        .method(Method::HEAD)
        .header("Tus-Resumable", "1.0.0")
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    match response.status() {
        200 | 204 => Ok(offset_of(&response)),
        404 | 410 => Ok(None),
        status => Err(ApiError::Unexpected(status)),
    }
}

async fn patch(
    location: &str,
    file: &web_sys::File,
    offset: u64,
    lang: Lang,
) -> Result<u64, ApiError> {
    let end = (offset + CHUNK).min(size(file));
    let chunk = file
        .slice_with_f64_and_f64(offset as f64, end as f64)
        .map_err(|_| ApiError::Unexpected(0))?;
    let response = Request::patch(location)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", &offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .header("Accept-Language", lang.tag())
        .body(chunk.unchecked_into::<wasm_bindgen::JsValue>())
        .map_err(|_| ApiError::Unexpected(0))?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    match response.status() {
        204 | 200 => offset_of(&response).ok_or(ApiError::Unexpected(204)),
        _ => Err(error_of(response).await),
    }
}

async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                duration.as_millis() as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Uploads `file`, resuming a previous attempt where there was one, and calls `progress` with
/// the fraction done after each chunk. Returns the upload id to put in the tip.
pub async fn upload(
    file: &web_sys::File,
    lang: Lang,
    progress: impl Fn(f64),
) -> Result<String, ApiError> {
    let key = resume_key(file);
    let remembered = storage().and_then(|s| s.get_item(&key).ok().flatten());
    let (location, mut offset) = match remembered {
        Some(location) => match server_offset(&location).await? {
            Some(offset) => (location, offset),
            None => (create(file, lang).await?, 0),
        },
        None => (create(file, lang).await?, 0),
    };
    if let Some(s) = storage() {
        let _ = s.set_item(&key, &location);
    }
    let total = size(file);
    let fraction = |offset: u64| {
        if total > 0 {
            offset as f64 / total as f64
        } else {
            0.0
        }
    };
    progress(fraction(offset));
    let mut failures = 0;
    while offset < total {
        match patch(&location, file, offset, lang).await {
            Ok(next) => {
                offset = next;
                failures = 0;
                progress(fraction(offset));
            }
            // The server refused the bytes (too large, wrong type …): retrying cannot help.
            Err(e @ ApiError::Server { status, .. }) if status != 409 => return Err(e),
            Err(e) => {
                failures += 1;
                if failures >= MAX_ATTEMPTS {
                    return Err(e);
                }
                sleep(Duration::from_millis(500 * 2u64.pow(failures.min(5)))).await;
                // Ask where the server stands: the bytes of a broken PATCH may have arrived.
                if let Ok(Some(at)) = server_offset(&location).await {
                    offset = at;
                }
            }
        }
    }
    if let Some(s) = storage() {
        let _ = s.remove_item(&key);
    }
    Ok(location.rsplit('/').next().unwrap_or_default().to_owned())
}
