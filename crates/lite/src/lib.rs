//! What the framework-free page bundles share (the certificate verification page, the
//! publicity pages and the partners' embedded check): they render HTML text with every value escaped ([`esc`]) and set it once,
//! so their wasm stays small and a slow phone shows the page fast.

use js_sys::Reflect;
use portal_core::Lang;
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlInputElement};

pub mod chrome;
pub mod wechat;
pub mod words;

const LANG_KEY: &str = "portal.lang";
const ELDER_KEY: &str = "portal.elder";

pub fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

pub fn document() -> Document {
    window().document().expect("a document")
}

pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// Sets the HTML inside the element `id`.
pub fn set_html(id: &str, html: &str) {
    if let Some(e) = by_id(id) {
        e.set_inner_html(html);
    }
}

/// Starts a lite page: the language the visitor chose on the portal (remembered in
/// `localStorage`) and elder mode applied to the page, the shared chrome
/// ([`chrome`]: header into `#chrome-header`, footer into `#chrome-footer`) with its switches
/// bound — `#lang` switches the language and reloads, `#elder` switches elder mode — and, in
/// WeChat, the page's share card.
pub fn start() -> Lang {
    refresh_when_restored();
    wechat::remember_landing();
    if let Some(body) = document().body() {
        on(&body, "click", |e| {
            let retry = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("[data-retry]").ok().flatten());
            if retry.is_some() {
                let _ = window().location().reload();
            }
        });
    }
    let stored = |k: &str| storage().and_then(|s| s.get_item(k).ok().flatten());
    let lang = match stored(LANG_KEY).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    };
    let elder = stored(ELDER_KEY).as_deref() == Some("1");
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang.tag());
        let _ = html.class_list().toggle_with_force("elder", elder);
    }
    let path = window().location().pathname().unwrap_or_default();
    set_html("chrome-header", &chrome::header_html(lang, &path, elder));
    set_html("chrome-footer", &chrome::footer_html(lang, &path));
    if let Some(button) = by_id("lang") {
        on(&button, "click", move |_| {
            if let Some(s) = storage() {
                let _ = s.set_item(LANG_KEY, if lang == Lang::Zh { "en" } else { "zh-CN" });
            }
            let _ = window().location().reload();
        });
    }
    if let Some(button) = by_id("elder") {
        on(&button, "click", move |_| {
            let now = !document()
                .document_element()
                .is_some_and(|html| html.class_list().contains("elder"));
            chrome::mark_elder(now);
            if let Some(html) = document().document_element() {
                let _ = html.class_list().toggle_with_force("elder", now);
            }
            if let Some(s) = storage() {
                let _ = s.set_item(ELDER_KEY, if now { "1" } else { "0" });
            }
        });
    }
    // The lite pages' share meta is in the page as served (an article's title and summary).
    wechat::share_page(lang);
    lang
}

/// How long a request may take before the page gives up on it and offers to try again.
pub const TIMEOUT_MS: i32 = 20_000;

/// One request of a page that is not the Leptos portal (verify, publicity, the partners' widget):
/// the status and the body's text, or `Err` with no answer — offline, or no answer within
/// [`TIMEOUT_MS`] (a phone on a bad network must not wait forever). `headers` are sent as given;
/// a `body` is sent as JSON.
pub async fn request(
    method: &str,
    url: &str,
    lang: Lang,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> Result<(u16, String), ()> {
    if !window().navigator().on_line() {
        return Err(());
    }
    let sent = web_sys::Headers::new().map_err(|_| ())?;
    let _ = sent.set("Accept", "application/json");
    let _ = sent.set("Accept-Language", lang.tag());
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        let _ = sent.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    for (name, value) in headers {
        let _ = sent.set(name, value);
    }
    init.set_headers(&sent);
    if let Ok(controller) = web_sys::AbortController::new() {
        init.set_signal(Some(&controller.signal()));
        let abort = Closure::once_into_js(move || controller.abort());
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.unchecked_ref(),
            TIMEOUT_MS,
        );
    }
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| ())?
        .dyn_into()
        .map_err(|_| ())?;
    let text = JsFuture::from(response.text().map_err(|_| ())?)
        .await
        .map_err(|_| ())?
        .as_string()
        .ok_or(())?;
    Ok((response.status(), text))
}

/// GET `url` as JSON ([`request`]): the status and the body (`null` when not JSON).
pub async fn get(url: &str, lang: Lang) -> Result<(u16, JsValue), ()> {
    let (status, text) = request("GET", url, lang, None, &[]).await?;
    Ok((status, js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)))
}

/// Solves a proof-of-work challenge in slices, yielding to the browser between them so the page
/// stays responsive on a slow phone; the nonce.
pub async fn solve(challenge: &portal_core::api::Challenge) -> u64 {
    const SLICE: u64 = 20_000;
    let mut start = 0;
    loop {
        if let Some(nonce) =
            portal_core::pow::solve_range(&challenge.seed, challenge.difficulty, start, SLICE)
        {
            return nonce;
        }
        start += SLICE;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback(&resolve);
        });
        let _ = JsFuture::from(promise).await;
    }
}

/// A button that loads the page again: shown with every problem a lite page reports, so that a
/// request that failed on a bad network is one tap from being made again ([`start`] binds it).
pub fn retry_button() -> String {
    let zh = document()
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .is_none_or(|lang| lang.starts_with("zh"));
    format!(
        "<p><button type=\"button\" class=\"button button--secondary\" data-retry>{}</button></p>",
        if zh { "重试" } else { "Try again" }
    )
}

/// Reloads a page that the browser restores from its back-forward cache (WeChat's Back button
/// does this): its live data — a notice since withdrawn, a status since changed — is fetched
/// again instead of shown as it was.
pub fn refresh_when_restored() {
    let reload = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        let persisted = Reflect::get(&e, &"persisted".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if persisted {
            let _ = window().location().reload();
        }
    });
    let _ = window().add_event_listener_with_callback("pageshow", reload.as_ref().unchecked_ref());
    reload.forget();
}

/// A string field of a JSON object.
pub fn field(v: &JsValue, k: &str) -> Option<String> {
    Reflect::get(v, &JsValue::from_str(k)).ok()?.as_string()
}

/// The message of an API error body (`{"error":{"message"}}`).
pub fn error_message(body: &JsValue) -> Option<String> {
    field(&Reflect::get(body, &"error".into()).ok()?, "message")
}

pub fn input_value(id: &str) -> String {
    by_id(id)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Shows (or clears) the error of the field `id` (elements `{id}-field`, `{id}-error`); returns
/// whether there was one.
pub fn field_error(id: &str, message: Option<&str>) -> bool {
    let (Some(error), Some(field), Some(input)) = (
        by_id(&format!("{id}-error")),
        by_id(&format!("{id}-field")),
        by_id(id),
    ) else {
        return false;
    };
    error.set_text_content(message);
    let _ = error.toggle_attribute_with_force("hidden", message.is_none());
    let _ = field
        .class_list()
        .toggle_with_force("field--invalid", message.is_some());
    if message.is_some() {
        let _ = input.set_attribute("aria-invalid", "true");
    } else {
        let _ = input.remove_attribute("aria-invalid");
    }
    message.is_some()
}

pub fn focus(id: &str) {
    if let Some(e) = by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = e.focus();
    }
}

/// Calls `f` on every `event` at `target`, for the page's life.
pub fn on<F: FnMut(web_sys::Event) + 'static>(target: &Element, event: &str, f: F) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Escapes text for HTML.
pub use portal_core::text::escape_html as esc;

/// An RFC 3339 time as Unix milliseconds, read by the browser so that no bundle carries a parser
/// of its own (text that is not a time reads as the epoch).
pub fn read_time(at: &str) -> i64 {
    js_sys::Date::parse(at) as i64
}

/// An RFC 3339 time as Beijing time, `2026-11-26 14:30`.
pub fn beijing_rfc3339(at: &str) -> String {
    portal_core::time::beijing_minute(read_time(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
