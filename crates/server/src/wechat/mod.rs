//! WeChat's JS-SDK share signature (DESIGN §7.9): `GET /wechat/signature?url=URL` signs a page's
//! address with the JS-SDK ticket, so that pages opened in WeChat share with a title, a summary
//! and an image. The access token and the ticket are fetched from WeChat's API and kept in the
//! database (`wechat_credentials`) for every instance: one instance refreshes them at a time.

mod store;

use std::time::Duration;

use axum::{extract::State, routing::get, Json, Router};
use portal_core::{
    api::ErrorBody,
    time::now_ms,
    wechat::{share_url, WeChatSignature},
    ErrorCode,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha1::{Digest, Sha1};

pub use crate::state::WeChat;
use crate::{
    error::{AppError, AppResult},
    extract::ApiQuery,
    state::AppState,
};

/// WeChat's own API host.
pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";

/// A credential is refreshed this long before WeChat says it expires.
const MARGIN_MS: i64 = 5 * 60 * 1000;
/// How long one instance may take to refresh before another may try.
const REFRESH_LEASE_MS: i64 = 15_000;
/// How long a request waits for another instance's first fetch.
const WAIT_FOR_OTHERS: Duration = Duration::from_secs(5);

const TOKEN: &str = "access_token";
const TICKET: &str = "jsapi_ticket";

pub fn router() -> Router<AppState> {
    Router::new().route("/wechat/signature", get(signature))
}

#[derive(Deserialize)]
struct SignatureQuery {
    #[serde(default)]
    url: String,
}

/// `GET /wechat/signature?url=URL`: 404 when the portal has no WeChat account configured.
#[utoipa::path(
    get,
    path = "/wechat/signature",
    operation_id = "wechat_signature",
    summary = "A WeChat share signature for a page",
    description = "What WeChat's JS-SDK `wx.config` takes to let a page opened in WeChat share with a title, a summary and an image: the page's address signed with the official account's JS-SDK ticket. A portal with no WeChat official account set up answers 404 to every request.",
    params(("url" = String, Query, description = "The page's whole address, starting with http:// or https://, printable ASCII, at most 2,000 characters; a fragment (`#…`) is left out, as WeChat signs without it", min_length = 1)),
    responses(
        (status = 200, description = "The signature", body = WeChatSignature),
        (status = 400, description = "The query string cannot be read", body = ErrorBody),
        (status = 404, description = "This portal has no WeChat sharing set up (checked before the address)", body = ErrorBody),
        (status = 422, description = "The address is missing, too long or not a whole web address; `field` is `url`", body = ErrorBody),
        (status = 503, description = "`server_busy`: WeChat's ticket could not be fetched just now; `Retry-After`", body = ErrorBody),
    )
)]
async fn signature(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SignatureQuery>,
) -> AppResult<Json<WeChatSignature>> {
    let Some(wechat) = state.wechat.clone() else {
        return Err(AppError::not_found(
            ErrorCode::NotFound,
            "本站未配置微信分享",
            "This portal has no WeChat sharing set up",
        ));
    };
    let url = share_url(&q.url).map_err(|e| e.at("url"))?;
    let ticket = ticket(&state, &wechat).await?;
    let timestamp = (now_ms() / 1000) as u64;
    let nonce_str = nonce();
    Ok(Json(WeChatSignature {
        app_id: wechat.app_id.clone(),
        signature: sign(&ticket, &nonce_str, timestamp, &url),
        timestamp,
        nonce_str,
    }))
}

/// WeChat's JS-SDK signature: hex SHA-1 of the four fields in this order.
pub fn sign(ticket: &str, nonce_str: &str, timestamp: u64, url: &str) -> String {
    hex::encode(Sha1::digest(format!(
        "jsapi_ticket={ticket}&noncestr={nonce_str}&timestamp={timestamp}&url={url}"
    )))
}

/// 16 random letters and digits.
fn nonce() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..16)
        .map(|_| loop {
            let b = (OsRng.next_u32() & 0xFF) as usize;
            // Rejection sampling keeps every character equally likely.
            if b < 248 {
                break char::from(ALPHABET[b % ALPHABET.len()]);
            }
        })
        .collect()
}

/// The JS-SDK ticket: the stored one while it is good, else fetched by one instance while the
/// others keep signing with the old one (or, before the first, wait for it).
async fn ticket(state: &AppState, wechat: &WeChat) -> AppResult<String> {
    let db = &state.db;
    let app = wechat.app_id.as_str();
    let stored = store::credential(db, app, TICKET).await?;
    let now = now_ms();
    if let Some(t) = &stored {
        if t.expires_at - MARGIN_MS > now {
            return Ok(t.value.clone());
        }
    }
    if store::take_refresh(db, app, TICKET, now, now + REFRESH_LEASE_MS).await? {
        return match refresh(state, wechat).await {
            Ok(ticket) => Ok(ticket),
            Err(e) => {
                store::release(db, app, TICKET).await?;
                tracing::error!(error = %e, "WeChat JS-SDK ticket not refreshed");
                Err(AppError::Busy { retry_after: 30 })
            }
        };
    }
    if let Some(t) = stored.filter(|t| t.expires_at > now) {
        return Ok(t.value);
    }
    let waited_since = std::time::Instant::now();
    while waited_since.elapsed() < WAIT_FOR_OTHERS {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if let Some(t) = store::credential(db, app, TICKET).await? {
            if t.expires_at > now_ms() {
                return Ok(t.value);
            }
        }
    }
    Err(AppError::Busy { retry_after: 5 })
}

/// What WeChat's token and ticket endpoints answer: the value, or an error code.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
    access_token: Option<String>,
    ticket: Option<String>,
    expires_in: Option<i64>,
}

/// Error codes for a token WeChat no longer takes (invalid, expired): fetch a new one.
const TOKEN_REFUSED: &[i64] = &[40001, 40014, 42001];

/// Fetches a new ticket (and the access token, when the stored one is not good) and stores
/// both. Only the instance holding the ticket's refresh calls it.
async fn refresh(state: &AppState, wechat: &WeChat) -> anyhow::Result<String> {
    let db = &state.db;
    let app = wechat.app_id.as_str();
    let now = now_ms();
    let token = match store::credential(db, app, TOKEN).await? {
        Some(t) if t.expires_at - MARGIN_MS > now => t.value,
        _ => {
            let url = format!("{}/cgi-bin/token", wechat.api_base);
            let answer = fetch(
                wechat,
                &url,
                &[
                    ("grant_type", "client_credential"),
                    ("appid", app),
                    ("secret", wechat.secret.expose_secret()),
                ],
            )
            .await?;
            let (token, expires_at) = value(answer.access_token.as_deref(), &answer, now)?;
            store::store(db, app, TOKEN, &token, expires_at).await?;
            token
        }
    };
    let url = format!("{}/cgi-bin/ticket/getticket", wechat.api_base);
    let answer = fetch(wechat, &url, &[("access_token", &token), ("type", "jsapi")]).await?;
    if TOKEN_REFUSED.contains(&answer.errcode) {
        store::store(db, app, TOKEN, "", 0).await?;
    }
    let (ticket, expires_at) = value(answer.ticket.as_deref(), &answer, now)?;
    store::store(db, app, TICKET, &ticket, expires_at).await?;
    Ok(ticket)
}

async fn fetch(wechat: &WeChat, url: &str, query: &[(&str, &str)]) -> anyhow::Result<Answer> {
    let res = wechat.http.get(url).query(query).send().await?;
    let status = res.status();
    if !status.is_success() {
        anyhow::bail!("{url} answered {status}");
    }
    Ok(res.json().await?)
}

/// The value of an answer and when it expires, or WeChat's error.
fn value(value: Option<&str>, answer: &Answer, now: i64) -> anyhow::Result<(String, i64)> {
    match (value, answer.expires_in) {
        (Some(v), Some(secs)) if answer.errcode == 0 && !v.is_empty() && secs > 0 => {
            Ok((v.to_owned(), now + secs * 1000))
        }
        _ => anyhow::bail!("WeChat refused: {} {}", answer.errcode, answer.errmsg),
    }
}

#[cfg(test)]
mod tests {
    use super::sign;

    /// The example of WeChat's JS-SDK documentation (附录1, JS-SDK使用权限签名算法).
    #[test]
    fn the_documented_signature_example() {
        assert_eq!(
            sign(
                "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
                "Wm3WZYTPz0wzccnW",
                1414587457,
                "http://mp.weixin.qq.com?params=value",
            ),
            "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
        );
    }
}
