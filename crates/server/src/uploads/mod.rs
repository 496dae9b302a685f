//! Evidence uploads: the tus 1.0 endpoint at `/api/v1/uploads` ([`http`]), built for bad networks
//! — every PATCH streams into durable parts, so a file interrupted at 80 % resumes from 80 % —
//! and what becomes of a finished upload when a tip claims it ([`evidence`]): an encrypted
//! original ([`crypt`]) whose type its bytes decide ([`media`]), and for photos an encrypted,
//! metadata-free, upright display copy.
//!
//! The bytes live in a [`Store`] — a folder, or an S3-compatible bucket shared by every instance
//! — under `staging/{id}/` while unclaimed and `evidence/{id}/` once claimed. The `uploads` and
//! `upload_parts` tables belong to [`store`]. Unclaimed uploads expire and [`sweep`] deletes them.

mod crypt;
mod evidence;
mod http;
pub(crate) mod media;
pub mod store;

pub use crate::storage::{S3Config, Store, UploadConfig, Uploads};
pub use evidence::{claim, open_file, serve_file, EvidenceFile, Plaintext};
pub use http::router;

use crate::{error::AppResult, state::AppState};
use portal_core::time::now_ms;

/// A claimed upload as the submission that keeps it stores it (a tip, a declared payment, a
/// correction request): its evidence files and what they are.
#[derive(Debug, Clone)]
pub struct KeptFile {
    pub upload_id: String,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    pub sha256: String,
    pub original_key: String,
    pub display_key: Option<String>,
}

/// Takes over a submission's finished uploads as evidence, in the order given ([`claim`]);
/// `owner` (the hash of the submission's key) lets a retry claim them again. The submission's
/// transaction then keeps them ([`store::keep`]).
pub async fn claim_for_keeping(
    state: &AppState,
    owner: &str,
    ids: &[String],
) -> AppResult<Vec<KeptFile>> {
    Ok(claim(state, owner, ids)
        .await?
        .into_iter()
        .map(|f| KeptFile {
            upload_id: f.upload_id,
            name: f.name,
            content_type: f.content_type,
            bytes: f.bytes as i64,
            sha256: f.sha256,
            original_key: f.original_key,
            display_key: f.display_key,
        })
        .collect())
}

/// Upload ids are 128 random bits in hex; anything else is no upload, without a query.
fn is_upload_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Deletes unclaimed uploads past their expiry, rows and bytes; uploads claimed by a submission
/// that never committed (not kept a day later: [`store::keep`]), rows and evidence; and
/// staged bytes nothing needs any more (left by a crash or a failed delete). Returns how many
/// uploads expired. A scheduled job runs it (`jobs.rs`).
pub async fn sweep(state: &AppState) -> AppResult<usize> {
    let store = state.uploads.store();
    let now = now_ms();
    let expired = store::expire(&state.db, now).await?;
    for id in &expired {
        store.delete_all(&format!("staging/{id}")).await?;
    }
    let unused = store::expire_unused_claims(&state.db, now - CLAIM_GRACE_MS).await?;
    for (id, keys) in &unused {
        for key in keys.iter().flatten() {
            store.delete(key).await?;
        }
        store.delete_all(&format!("staging/{id}")).await?;
    }
    // Rows are made before their first part and deleted before their parts, so a part whose
    // upload is gone or claimed is garbage.
    let mut seen: Option<&str> = None;
    let keys = store.list("staging").await?;
    for key in &keys {
        let Some(id) = key.split('/').nth(1) else {
            continue;
        };
        if seen == Some(id) {
            continue;
        }
        seen = Some(id);
        if !store::is_staged(&state.db, id).await? {
            store.delete_all(&format!("staging/{id}")).await?;
        }
    }
    Ok(expired.len() + unused.len())
}

/// How long a claimed upload may wait for the tip that claimed it before it counts as unused
/// (a submission commits within seconds; a retry with the same key claims it again).
const CLAIM_GRACE_MS: i64 = 86_400_000;

/// Re-seals, with the current data key, every evidence file whose key an older data key sealed
/// (`portal-server keys reseal`); returns how many files were rewritten.
pub async fn reseal(keys: &crate::keys::Keys, store: &Store) -> anyhow::Result<usize> {
    let mut rewritten = 0;
    for key in store.list("evidence").await? {
        if crypt::reseal(keys, store, &key).await? {
            rewritten += 1;
        }
    }
    Ok(rewritten)
}
