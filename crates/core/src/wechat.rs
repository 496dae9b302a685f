//! WeChat's JS-SDK (DESIGN §7.9): the page address a share signature is asked for, checked the
//! same in the browser and the server.

use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Invalid};

/// `GET /api/v1/wechat/signature?url=URL`: what `wx.config` takes to enable sharing on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeChatSignature {
    pub app_id: String,
    /// Unix seconds.
    pub timestamp: u64,
    pub nonce_str: String,
    /// Hex SHA-1 of `jsapi_ticket=T&noncestr=N&timestamp=TS&url=U`.
    pub signature: String,
}

/// The longest page address signed (WeChat's share links are far shorter).
pub const MAX_URL: usize = 2_000;

/// The address WeChat signs for a page: `http`/`https` and absolute, without its fragment
/// (WeChat's rule: everything after `#` is left out).
pub fn share_url(input: &str) -> Result<String, Invalid> {
    let url = input.trim();
    if url.is_empty() {
        return Err(Invalid::missing());
    }
    let url = url.split_once('#').map_or(url, |(page, _)| page);
    if url.len() > MAX_URL {
        return Err(Invalid::new(
            ErrorCode::TooLong,
            format!("页面地址过长（最多{MAX_URL}个字符）"),
            format!("The page address is too long (at most {MAX_URL} characters)"),
        ));
    }
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?']).next().unwrap_or_default());
    let printable = url.chars().all(|c| c.is_ascii_graphic());
    match host {
        Some(host) if !host.is_empty() && printable => Ok(url.to_owned()),
        _ => Err(Invalid::new(
            ErrorCode::InvalidValue,
            "页面地址应为以 http:// 或 https:// 开头的完整地址",
            "The page address must be a whole address starting with http:// or https://",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_is_left_out_and_only_web_addresses_are_signed() {
        assert_eq!(
            share_url(" https://zxgk.example.gov.cn/n/12?from=timeline#top ").unwrap(),
            "https://zxgk.example.gov.cn/n/12?from=timeline"
        );
        assert_eq!(
            share_url("http://localhost:8080/").unwrap(),
            "http://localhost:8080/"
        );
        for bad in [
            "",
            "#x",
            "ftp://x/",
            "https://",
            "https:///path",
            "javascript:alert(1)",
            "/relative",
            "https://a b/",
        ] {
            assert!(share_url(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            share_url(&format!("https://x/{}", "a".repeat(MAX_URL)))
                .unwrap_err()
                .code,
            ErrorCode::TooLong
        );
    }
}
