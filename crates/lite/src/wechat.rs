//! Share cards in WeChat's web view (DESIGN §7.9): a page opened in WeChat asks the server to sign
//! its address, loads WeChat's JS-SDK, and gives it the card — the page's title, its description
//! and its image from the page's own meta — for "send to friend" and "share to Moments".
//!
//! Outside WeChat, or when the portal has no WeChat account (the signature answers 404), nothing
//! is loaded: crawlers and other apps read the same meta from the page itself.

use std::cell::RefCell;

use js_sys::{Function, Object, Promise, Reflect};
use portal_core::{wechat::share_url, Lang};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::{document, field, get, window};

/// WeChat's JS-SDK, version 1.6.0 (the server's CSP allows this origin when it has an account).
pub const SDK: &str = "https://res.wx.qq.com/open/js/jweixin-1.6.0.js";

/// The card's image when a page names none.
const DEFAULT_IMAGE: &str = "/icons/icon-512.png";

thread_local! {
    /// The address the visitor entered the page at (WeChat on iOS signs that one for a
    /// single-page app, whatever the address has become since).
    static LANDING: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn user_agent() -> String {
    window().navigator().user_agent().unwrap_or_default()
}

/// The page is in WeChat's web view.
pub fn in_wechat() -> bool {
    user_agent().contains("MicroMessenger")
}

fn on_ios() -> bool {
    let ua = user_agent();
    ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod")
}

fn href() -> String {
    window().location().href().unwrap_or_default()
}

/// Remembers the address the page was entered at; call once when a bundle starts.
pub fn remember_landing() {
    LANDING.with(|l| {
        l.borrow_mut().get_or_insert_with(href);
    });
}

/// The address to sign: on iOS the landing address, elsewhere the current one.
fn address_to_sign() -> String {
    let landing = LANDING.with(|l| l.borrow().clone());
    match landing {
        Some(landing) if on_ios() => landing,
        _ => href(),
    }
}

/// The content of the first `<meta>` matching `selector`.
fn meta(selector: &str) -> Option<String> {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .filter(|c| !c.trim().is_empty())
}

/// An absolute address of `path` on this origin (WeChat wants the card's image absolute).
fn absolute(path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        return path.to_owned();
    }
    format!("{}{path}", window().location().origin().unwrap_or_default())
}

/// The share card of the page as it stands: `{title, desc, link, imgUrl}`.
fn card() -> Object {
    let title = meta("meta[property='og:title']").unwrap_or_else(|| document().title());
    let desc = meta("meta[property='og:description']")
        .or_else(|| meta("meta[name='description']"))
        .unwrap_or_default();
    let image = meta("meta[property='og:image']").unwrap_or_else(|| DEFAULT_IMAGE.to_owned());
    let card = Object::new();
    for (k, v) in [
        ("title", title),
        ("desc", desc),
        ("link", share_url(&href()).unwrap_or_default()),
        ("imgUrl", absolute(&image)),
    ] {
        let _ = Reflect::set(&card, &k.into(), &v.into());
    }
    card
}

/// Loads the SDK once; `window.wx` after it.
async fn sdk() -> Option<JsValue> {
    let wx = |w: &web_sys::Window| Reflect::get(w, &"wx".into()).ok().filter(|v| v.is_object());
    if let Some(wx) = wx(&window()) {
        return Some(wx);
    }
    let script = document().create_element("script").ok()?;
    let _ = script.set_attribute("src", SDK);
    let loaded = Promise::new(&mut |resolve, reject| {
        let _ = Reflect::set(&script, &"onload".into(), &resolve);
        let _ = Reflect::set(&script, &"onerror".into(), &reject);
    });
    document().head()?.append_child(&script).ok()?;
    JsFuture::from(loaded).await.ok()?;
    wx(&window())
}

/// Calls `wx.{name}(arg)`.
fn call(wx: &JsValue, name: &str, arg: &JsValue) {
    if let Some(f) = Reflect::get(wx, &name.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
    {
        let _ = f.call1(wx, arg);
    }
}

/// In WeChat, sets the page's share card (call when a page has rendered, and again when a
/// single-page app shows another page); elsewhere does nothing.
pub fn share_page(lang: Lang) {
    if !in_wechat() {
        return;
    }
    spawn_local(async move {
        let Ok(address) = share_url(&address_to_sign()) else {
            return;
        };
        let query = String::from(js_sys::encode_uri_component(&address));
        let Ok((200, signed)) = get(&format!("/api/v1/wechat/signature?url={query}"), lang).await
        else {
            return;
        };
        let Some(wx) = sdk().await else { return };
        let config = Object::new();
        let apis = js_sys::Array::of2(
            &"updateAppMessageShareData".into(),
            &"updateTimelineShareData".into(),
        );
        for (k, v) in [
            ("debug", JsValue::FALSE),
            ("appId", field(&signed, "app_id").unwrap_or_default().into()),
            (
                "timestamp",
                Reflect::get(&signed, &"timestamp".into()).unwrap_or(JsValue::NULL),
            ),
            (
                "nonceStr",
                field(&signed, "nonce_str").unwrap_or_default().into(),
            ),
            (
                "signature",
                field(&signed, "signature").unwrap_or_default().into(),
            ),
            ("jsApiList", apis.into()),
        ] {
            let _ = Reflect::set(&config, &k.into(), &v);
        }
        call(&wx, "config", &config);
        let ready_wx = wx.clone();
        let ready = Closure::once_into_js(move || {
            let card = card();
            call(&ready_wx, "updateAppMessageShareData", &card);
            call(&ready_wx, "updateTimelineShareData", &card);
        });
        call(&wx, "ready", &ready);
    });
}
