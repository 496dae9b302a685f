//! Extractors every feature's handlers share: JSON bodies with our error format, the client's
//! address and its rate-limit admission. (The signed-in staff member is `staff::SignedIn`.)

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request},
    http::{request::Parts, HeaderMap, HeaderValue, StatusCode},
};
use portal_core::{api::POW_HEADER, ErrorCode};

use crate::{
    error::{AppError, AppResult},
    ratelimit::Decision,
    state::{AppState, HttpConfig},
};

/// `axum::Json` whose rejections use the API's error format instead of plain text.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = axum::extract::rejection::JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                let status = rejection.status();
                Err(if status == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge {
                        code: ErrorCode::BodyTooLarge,
                        zh: "请求内容过大".into(),
                        en: "The request body is too large".into(),
                    }
                } else if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    AppError::bad_request(
                        ErrorCode::UnsupportedMediaType,
                        "请求必须是 JSON（Content-Type: application/json）",
                        "The request body must be JSON (Content-Type: application/json)",
                    )
                } else {
                    AppError::bad_request(
                        ErrorCode::InvalidJson,
                        "请求内容不是有效的 JSON 或字段类型不对",
                        "The request body is not valid JSON or has fields of the wrong type",
                    )
                })
            }
        }
    }
}

/// `axum::extract::Query` whose rejections use the API's error format: a query string that cannot
/// be read (a field twice, a number that is not one) is a JSON 400, not plain text.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(_) => Err(AppError::bad_request(
                ErrorCode::InvalidRequest,
                "查询参数无法读取（某个参数重复出现或类型不对）",
                "The query parameters cannot be read (a parameter given twice or of the wrong type)",
            )),
        }
    }
}

/// Who is asking, for the rate limiter: the client's address and any proof-of-work solution it
/// sent. Handlers call [`Client::admit`] after validating the request, so that bad input, which
/// costs the server nothing, does not use up a visitor's allowance.
pub struct Client {
    ip: IpAddr,
    pow: Option<String>,
}

impl Client {
    /// The client's network: an IPv4 address, or the /64 of an IPv6 one (one host is given
    /// billions of addresses, so counting them one by one would count nothing).
    pub fn network(&self) -> IpAddr {
        match self.ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(std::net::Ipv6Addr::from(
                    u128::from(v6) & !((1u128 << 64) - 1),
                )),
            },
        }
    }

    /// A keyed hash of the client's network, for records that must not hold addresses.
    pub fn key(&self, state: &AppState) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&state.keys.get().pepper())
            .expect("HMAC takes any key length");
        mac.update(b"client\x1f");
        mac.update(self.network().to_string().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..12])
    }

    /// Lets the request through, asks for a proof of work, or refuses it for a while.
    pub async fn admit(&self, state: &AppState) -> AppResult<()> {
        match state
            .limiter
            .check(self.network(), self.pow.as_deref())
            .await?
        {
            Decision::Allow => {
                crate::metrics::admission("allow");
                Ok(())
            }
            Decision::Challenge(challenge) => {
                crate::metrics::admission("challenge");
                Err(AppError::Challenge(challenge))
            }
            Decision::Limited { retry_after } => {
                crate::metrics::admission("limited");
                Err(AppError::RateLimited { retry_after })
            }
        }
    }
}

/// The client's address: the socket peer, or behind a trusted reverse proxy the address that
/// proxy appended to `X-Forwarded-For` (the last entry; earlier ones are client-controlled).
fn client_ip(trust_proxy: bool, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if trust_proxy {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    peer.ip()
}

impl FromRequestParts<AppState> for Client {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| *addr)
            .ok_or_else(|| anyhow::anyhow!("the server was started without peer addresses"))?;
        Ok(Client {
            ip: client_ip(state.config.trust_proxy, peer, &parts.headers),
            pow: parts
                .headers
                .get(POW_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
        })
    }
}

/// A session cookie of the portal (`base`: `portal_session` for staff, `portal_party` for the
/// parties' desk). Over HTTPS its name is `__Host-` prefixed, so the browser refuses it unless
/// Secure, host-only and for the whole site — no sibling subdomain can set or shadow it.
pub struct SessionCookie {
    pub base: &'static str,
}

impl SessionCookie {
    pub fn name(&self, config: &HttpConfig) -> String {
        if config.https() {
            format!("__Host-{}", self.base)
        } else {
            self.base.to_owned()
        }
    }

    /// The `Set-Cookie` value carrying `value` for `max_age` seconds (0 ends it).
    pub fn header(&self, config: &HttpConfig, value: &str, max_age: i64) -> HeaderValue {
        let attributes = if config.https() {
            "Path=/; Secure"
        } else {
            "Path=/api"
        };
        HeaderValue::from_str(&format!(
            "{}={value}; {attributes}; HttpOnly; SameSite=Strict; Max-Age={max_age}",
            self.name(config)
        ))
        .expect("cookie is ASCII")
    }

    /// The token the request's cookie carries, if any.
    pub fn token(&self, config: &HttpConfig, headers: &HeaderMap) -> Option<String> {
        let name = self.name(config);
        headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.to_owned())
            .filter(|v| !v.is_empty())
    }
}

/// The client's `Idempotency-Key`: one per form filled in, the same on its retries.
pub fn idempotency_key(headers: &HeaderMap) -> AppResult<&str> {
    headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .ok_or_else(|| {
            AppError::bad_request(
                ErrorCode::MissingIdempotencyKey,
                "请求缺少 Idempotency-Key 请求头（每次填写生成一次，重试时保持不变）",
                "The Idempotency-Key header is missing (one per form filled in, the same on retries)",
            )
        })
}

/// A keyed hash of the request body an `Idempotency-Key` came with.
pub fn request_hash(
    state: &AppState,
    kind: &str,
    body: &impl serde::Serialize,
) -> AppResult<String> {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&state.keys.get().pepper())
        .map_err(anyhow::Error::from)?;
    mac.update(kind.as_bytes());
    mac.update(&serde_json::to_vec(body).map_err(anyhow::Error::from)?);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// A key seen before with another body: the client reused a key for a different request.
pub fn key_reused(stored: Option<&str>, this: &str) -> AppResult<()> {
    match stored {
        Some(first) if first != this => Err(AppError::refused(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            portal_core::ErrorCode::IdempotencyKeyReused,
            "此请求标识已用于另一份不同的内容，请刷新页面后重新提交",
            "This Idempotency-Key was used with a different request; reload the page and submit again",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(ip: &str) -> String {
        Client {
            ip: ip.parse().unwrap(),
            pow: None,
        }
        .network()
        .to_string()
    }

    #[test]
    fn clients_are_counted_per_ipv4_address_and_per_ipv6_64() {
        assert_eq!(network("203.0.113.7"), "203.0.113.7");
        // One host holds a whole /64: every address in it is the same client.
        assert_eq!(
            network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "2001:db8:1:2::"
        );
        assert_eq!(network("2001:db8:1:2::1"), "2001:db8:1:2::");
        assert_ne!(network("2001:db8:1:3::1"), "2001:db8:1:2::");
        // IPv4 reached over IPv6 is the IPv4 client.
        assert_eq!(network("::ffff:203.0.113.7"), "203.0.113.7");
    }
}
