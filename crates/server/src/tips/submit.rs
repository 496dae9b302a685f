//! Taking a tip: validate it, find the court and subject it concerns, take over its evidence
//! files, make its tracking code and PIN, sign the receipt, and store all of it in one
//! transaction — the tipster is answered only after that commit. A retry with the same
//! `Idempotency-Key` gets the first answer back and stores nothing.

use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use portal_core::time::{court_today, now_ms, rfc3339_millis};
use portal_core::tip::{
    tracking_code_from, ReceiptPayload, TipAccepted, TipAdditionAccepted, TipAdditionRequest,
    TipContact, TipRequest, ValidTip, MAX_ADDITIONS, TRACKING_DIGITS,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::store::{self, NewTip, TipAuth, TipRow};
use crate::{
    error::{AppError, AppResult},
    hashing,
    hashing::sha256_hex,
    keys::random_digits,
    notices, rewards,
    state::AppState,
};

/// What the tipster wrote, sealed with the data key in `tips.sealed`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Content {
    pub description: String,
    pub place: Option<String>,
    pub seen_on: Option<String>,
    pub contact: Option<TipContact>,
}

/// The fields the receipt's `content_sha256` covers, in this order, as compact JSON.
#[derive(Serialize)]
struct Digested<'a> {
    reward_id: Option<i64>,
    notice_id: Option<i64>,
    kind: &'a str,
    description: &'a str,
    place: Option<&'a str>,
    seen_on: Option<String>,
}

/// SHA-256 (hex) of a tip's content: what a court recomputes to settle which tip came first.
pub fn content_digest(t: &ValidTip) -> String {
    let digested = Digested {
        reward_id: t.reward_id,
        notice_id: t.notice_id,
        kind: t.kind.as_str(),
        description: &t.description,
        place: t.place.as_deref(),
        seen_on: t.seen_on.map(|d| d.to_string()),
    };
    hex::encode(Sha256::digest(
        serde_json::to_vec(&digested).expect("serialisable"),
    ))
}

/// The court and subject a tip is about: its reward notice's, or its public notice's.
async fn resolve(state: &AppState, t: &ValidTip) -> AppResult<(String, String)> {
    let today = court_today();
    if let Some(id) = t.reward_id {
        let reward = rewards::store::public_by_id(&state.db, id, today)
            .await?
            .ok_or_else(|| {
                AppError::invalid_value(
                    "reward_id",
                    portal_core::ErrorCode::InvalidValue,
                    "该悬赏公告不存在或已撤回",
                    "This reward notice does not exist or was withdrawn",
                )
            })?;
        if reward.public_status(today) != portal_core::reward::RewardStatus::Active {
            return Err(AppError::invalid_value(
                "reward_id", portal_core::ErrorCode::InvalidValue,
                "该悬赏已到期或已兑现，不再接收线索；如仍有线索，可直接联系执行法院",
                "This reward has expired or been fulfilled and takes no more leads; you can still tell the enforcing court directly",
            ));
        }
        return Ok((reward.court, reward.subject_id));
    }
    let id = t.notice_id.expect("validated: a reward or a notice");
    let notice = notices::store::detail(&state.db, id)
        .await?
        .ok_or_else(|| {
            AppError::invalid_value(
                "notice_id",
                portal_core::ErrorCode::InvalidValue,
                "该被执行人信息不存在或已删除",
                "This notice does not exist or was deleted",
            )
        })?;
    Ok((notice.court, notice.id_number))
}

fn open_answer(state: &AppState, key_hash: &str, sealed: &str) -> AppResult<TipAccepted> {
    let plain = state
        .keys
        .get()
        .open(&format!("submission:{key_hash}"), sealed)?;
    Ok(serde_json::from_slice(&plain).map_err(anyhow::Error::from)?)
}

pub async fn submit(state: &AppState, key: &str, req: &TipRequest) -> AppResult<TipAccepted> {
    let key_hash = sha256_hex(key);
    let body_hash = crate::extract::request_hash(state, "tip", req)?;
    if let Some((sealed, first)) = store::answer_for(&state.db, &key_hash).await? {
        crate::extract::key_reused(first.as_deref(), &body_hash)?;
        return open_answer(state, &key_hash, &sealed);
    }
    let tip = req.validate_on(court_today(), state.uploads.config.max_files)?;
    let (court, subject_id) = resolve(state, &tip).await?;
    let files = crate::uploads::claim_for_keeping(state, &key_hash, &tip.uploads).await?;

    let code = tracking_code_from(&random_digits(TRACKING_DIGITS - 1));
    let pin = random_digits(portal_core::tip::PIN_DIGITS);
    let tracking_hash = hashing::tracking_hash(state, &code).await?;
    let pin_for_hash = pin.clone();
    let pin_hash = hashing::hash_secret(pin_for_hash).await?;
    let received_at = now_ms();
    let content_sha256 = content_digest(&tip);
    let payload = serde_json::to_vec(&ReceiptPayload {
        r#type: "tip-receipt".into(),
        tip_ref: state.keys.get().tip_ref(&code),
        received_at: rfc3339_millis(received_at),
        content_sha256: content_sha256.clone(),
        files_sha256: files.iter().map(|f| f.sha256.clone()).collect(),
    })
    .expect("serialisable");
    let signature = state.keys.get().sign(&payload);
    let accepted = TipAccepted {
        tracking_code: code,
        pin,
        received_at: rfc3339_millis(received_at),
        receipt: portal_core::tip::Receipt {
            payload: B64.encode(&payload),
            signature: signature.signature,
            key_id: signature.key_id,
        },
    };
    let content = Content {
        description: tip.description.clone(),
        place: tip.place.clone(),
        seen_on: tip.seen_on.map(|d| d.to_string()),
        contact: tip.contact.clone(),
    };
    let sealed = state.keys.get().seal(
        &format!("tip:{tracking_hash}"),
        &serde_json::to_vec(&content).expect("serialisable"),
    );
    let answer = state.keys.get().seal(
        &format!("submission:{key_hash}"),
        &serde_json::to_vec(&accepted).expect("serialisable"),
    );
    let new = NewTip {
        court: &court,
        reward_id: tip.reward_id,
        notice_id: tip.notice_id,
        subject_key: &state.keys.get().subject_key(&subject_id),
        kind: tip.kind.as_str(),
        sealed: &sealed,
        has_contact: tip.contact.is_some(),
        tracking_hash: &tracking_hash,
        pin_hash: &pin_hash,
        received_at,
        content_sha256: &content_sha256,
        receipt_payload: &accepted.receipt.payload,
        receipt_signature: &accepted.receipt.signature,
        receipt_key_id: &accepted.receipt.key_id,
        files: &files,
    };
    match store::insert(&state.db, &new, &key_hash, &body_hash, &answer).await? {
        Some(_) => Ok(accepted),
        // A concurrent retry with the same key committed first: its answer is the answer.
        None => {
            let (sealed, first) = store::answer_for(&state.db, &key_hash)
                .await?
                .ok_or_else(|| anyhow::anyhow!("submission key vanished"))?;
            crate::extract::key_reused(first.as_deref(), &body_hash)?;
            open_answer(state, &key_hash, &sealed)
        }
    }
}

/// The sealed content of a stored tip.
pub fn open_content(state: &AppState, tip: &TipRow) -> AppResult<Content> {
    let plain = state
        .keys
        .get()
        .open(&format!("tip:{}", tip.tracking_hash), &tip.sealed)?;
    Ok(serde_json::from_slice(&plain).map_err(anyhow::Error::from)?)
}

/// Stores what a tipster adds to their tip `tip` (already authenticated by code and PIN): its
/// text sealed, its files taken over as evidence, and a receipt signed like the tip's — the
/// answer comes after the commit. A retry with the same `Idempotency-Key` gets the first answer.
pub async fn add(
    state: &AppState,
    key: &str,
    tip: &TipAuth,
    req: &TipAdditionRequest,
) -> AppResult<TipAdditionAccepted> {
    let key_hash = sha256_hex(&format!("addition:{key}"));
    let body_hash = crate::extract::request_hash(state, "addition", req)?;
    if let Some(done) = store::addition_by_key(&state.db, &key_hash).await? {
        crate::extract::key_reused(done.request_hash.as_deref(), &body_hash)?;
        return answer_of(tip, done);
    }
    let had = store::file_count(&state.db, tip.id).await? as usize;
    let room = state.uploads.config.max_files.saturating_sub(had);
    let addition = req.validate(room)?;
    if store::additions(&state.db, tip.id).await?.len() >= MAX_ADDITIONS {
        return Err(AppError::invalid_value(
            "description", portal_core::ErrorCode::InvalidValue,
            "此线索的补充次数已达上限，如需再补充请直接联系执行法院",
            "This tip has taken all the additions it can; please contact the enforcing court directly",
        ));
    }
    let files = crate::uploads::claim_for_keeping(state, &key_hash, &addition.uploads).await?;
    let at = now_ms();
    let payload = serde_json::to_vec(&ReceiptPayload {
        r#type: "tip-addition".into(),
        tip_ref: state.keys.get().tip_ref(&addition.tracking_code),
        received_at: rfc3339_millis(at),
        content_sha256: hex::encode(Sha256::digest(addition.description.as_bytes())),
        files_sha256: files.iter().map(|f| f.sha256.clone()).collect(),
    })
    .expect("serialisable");
    let signature = state.keys.get().sign(&payload);
    let receipt_payload = B64.encode(&payload);
    let sealed = state.keys.get().seal(
        &format!("addition:{key_hash}"),
        addition.description.as_bytes(),
    );
    let stored = store::insert_addition(
        &state.db,
        &store::NewAddition {
            tip_id: tip.id,
            key_hash: &key_hash,
            at,
            sealed: &sealed,
            receipt_payload: &receipt_payload,
            receipt_signature: &signature.signature,
            receipt_key_id: &signature.key_id,
            request_hash: &body_hash,
            files: &files,
        },
    )
    .await?;
    if !stored {
        // A concurrent retry with the same key committed first: its answer is the answer.
        let done = store::addition_by_key(&state.db, &key_hash)
            .await?
            .ok_or_else(|| anyhow::anyhow!("addition key vanished"))?;
        crate::extract::key_reused(done.request_hash.as_deref(), &body_hash)?;
        return answer_of(tip, done);
    }
    Ok(TipAdditionAccepted {
        received_at: rfc3339_millis(at),
        receipt: portal_core::tip::Receipt {
            payload: receipt_payload,
            signature: signature.signature,
            key_id: signature.key_id,
        },
    })
}

/// The answer an earlier request with the same key got; a key used for another tip is refused.
fn answer_of(tip: &TipAuth, done: store::AdditionRow) -> AppResult<TipAdditionAccepted> {
    if done.tip_id != tip.id {
        return Err(AppError::refused(
            axum::http::StatusCode::CONFLICT,
            portal_core::ErrorCode::InvalidValue,
            "此请求标识已用于另一条线索，请刷新页面后重试",
            "This request key was used for another tip; reload the page and try again",
        ));
    }
    Ok(TipAdditionAccepted {
        received_at: rfc3339_millis(done.at),
        receipt: portal_core::tip::Receipt {
            payload: done.receipt_payload,
            signature: done.receipt_signature,
            key_id: done.receipt_key_id,
        },
    })
}

/// The text of an addition.
pub fn open_addition(state: &AppState, a: &store::AdditionRow) -> AppResult<String> {
    let plain = state
        .keys
        .get()
        .open(&format!("addition:{}", a.key_hash), &a.sealed)?;
    Ok(String::from_utf8(plain).map_err(anyhow::Error::from)?)
}
