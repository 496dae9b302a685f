//! The certificate verification page (`/C/{BASE32}` from a QR code, `/certificates/verify` by
//! number and name): its own bundle with no framework, so that a bank clerk on a slow phone sees
//! the verdict as soon as this wasm starts.
//!
//! The signature is checked here, in the browser, against the court keys the server writes into
//! the page (and this phone keeps in `localStorage`), with no request at all; the live status
//! (valid, revoked, superseded) then comes from the court's record. Offline, the page says that
//! the signature holds, that the status was not checked, and how old its keys are. A service
//! worker (`/C/sw.js`) keeps the page so a scan opens it with no network.

mod text;
mod view;

use js_sys::{Array, Reflect, JSON};
use portal_core::{
    certificate::{
        base64url_decode, certificate_number, parse_certificate_number, CertificatePayload,
        PublishedKey, SignatureVerdict, SignedPayload,
    },
    name::{normalize_name_with, PersonName, SimplifiedForms},
    Lang,
};
use portal_lite::{
    beijing_rfc3339, by_id, field, field_error, focus, get, input_value, on, request, storage,
    window,
};
use wasm_bindgen::{prelude::*, JsCast};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::{text::text, view::Live};

const KEYS_KEY: &str = "portal.court-keys";

/// The court keys this page knows, and when they were published.
struct Keys {
    list: Vec<PublishedKey>,
    as_of: i64,
}

/// Reads `{"keys":[…],"as_of":secs}` (the page's own copy or this phone's) or the well-known
/// document with `as_of` given.
fn parse_keys(json: &str, as_of: Option<i64>) -> Option<Keys> {
    let doc = JSON::parse(json).ok()?;
    let field = |v: &JsValue, k: &str| Reflect::get(v, &JsValue::from_str(k)).ok();
    let text = |v: &JsValue, k: &str| field(v, k).and_then(|f| f.as_string()).unwrap_or_default();
    let as_of = as_of.or_else(|| field(&doc, "as_of")?.as_f64().map(|f| f as i64))?;
    let list = field(&doc, "keys")?
        .dyn_into::<Array>()
        .ok()?
        .iter()
        .filter_map(|k| {
            PublishedKey::from_fields(
                &text(&k, "key_id"),
                &text(&k, "court"),
                &text(&k, "public_key"),
                &text(&k, "status"),
            )
        })
        .collect();
    Some(Keys { list, as_of })
}

/// The newer of the keys the server wrote into this page and those this phone kept; the page's
/// are kept for next time (offline).
fn known_keys() -> Option<Keys> {
    let embedded = by_id("court-keys").and_then(|e| e.text_content());
    let stored = storage().and_then(|s| s.get_item(KEYS_KEY).ok().flatten());
    let page = embedded.as_deref().and_then(|j| parse_keys(j, None));
    let kept = stored.as_deref().and_then(|j| parse_keys(j, None));
    match (page, kept) {
        (Some(p), Some(k)) if k.as_of > p.as_of => Some(k),
        (Some(p), _) => {
            if let (Some(s), Some(j)) = (storage(), embedded) {
                let _ = s.set_item(KEYS_KEY, &j);
            }
            Some(p)
        }
        (None, k) => k,
    }
}

/// Fetches the published keys afresh (a key newer than this page's copy) and keeps them.
async fn fresh_keys() -> Option<Keys> {
    let (status, body) = get("/.well-known/court-keys.json", Lang::Zh).await.ok()?;
    if status != 200 {
        return None;
    }
    let now = portal_core::time::now_ms() / 1000;
    Reflect::set(&body, &"as_of".into(), &JsValue::from_f64(now as f64)).ok()?;
    let json = JSON::stringify(&body).ok()?.as_string()?;
    if let Some(s) = storage() {
        let _ = s.set_item(KEYS_KEY, &json);
    }
    parse_keys(&json, Some(now))
}

/// The answer `verify-early.js` asked for while this wasm downloaded (`window.verifyLive`), if
/// it started one: `[status, body]`, or `Err` when it got no answer.
async fn early_answer() -> Option<Result<(u16, JsValue), ()>> {
    let promise = Reflect::get(&window(), &"verifyLive".into())
        .ok()?
        .dyn_into::<js_sys::Promise>()
        .ok()?;
    Some(match JsFuture::from(promise).await {
        Ok(pair) => {
            let pair = Array::from(&pair);
            Ok((pair.get(0).as_f64().unwrap_or(0.0) as u16, pair.get(1)))
        }
        Err(_) => Err(()),
    })
}

/// When the record says something changed: RFC 3339 as Beijing time.
fn changed_at(record: &JsValue) -> String {
    field(record, "changed_at")
        .map(|at| beijing_rfc3339(&at))
        .unwrap_or_default()
}

/// The live status from a record's answer; `expected` is the signed bytes it must hold.
fn live_of(answer: Result<(u16, JsValue), ()>, expected: Option<&SignedPayload>) -> Live {
    let Ok((status, record)) = answer else {
        return Live::Offline;
    };
    match status {
        200 => {}
        404 => return Live::Missing,
        _ => return Live::Error,
    }
    if let Some(signed) = expected {
        let same = field(&record, "payload").and_then(|p| base64url_decode(&p))
            == Some(signed.payload.clone())
            && field(&record, "signature").and_then(|s| base64url_decode(&s))
                == Some(signed.signature.to_vec());
        if !same {
            return Live::Differs;
        }
    }
    match field(&record, "status").as_deref() {
        Some("valid") => Live::Valid,
        Some("revoked") => Live::Revoked {
            reason: field(&record, "reason").unwrap_or_default(),
            at: changed_at(&record),
        },
        Some("superseded") => Live::Superseded {
            by: field(&record, "superseded_by").unwrap_or_default(),
            at: changed_at(&record),
        },
        _ => Live::Error,
    }
}

/// The signature verdict, asking for fresh keys once when this page's do not know the key.
async fn signature(
    signed: &SignedPayload,
    payload: &CertificatePayload,
) -> (SignatureVerdict, Option<i64>) {
    let keys = known_keys();
    let verdict = keys
        .as_ref()
        .map(|k| signed.check(payload, &k.list))
        .unwrap_or(SignatureVerdict::UnknownKey);
    if verdict != SignatureVerdict::UnknownKey {
        return (verdict, keys.map(|k| k.as_of));
    }
    match fresh_keys().await {
        Some(k) => (signed.check(payload, &k.list), Some(k.as_of)),
        None => (verdict, keys.map(|k| k.as_of)),
    }
}

fn set_main(html: &str) {
    portal_lite::set_html("content", html);
}

/// Opened from a QR code: the verdict on its own bytes, then the live status.
async fn scan(lang: Lang, blob: &str) {
    let t = text(lang);
    let Some(signed) = SignedPayload::parse(blob) else {
        set_main(&view::problem(t.bad_qr));
        return;
    };
    let Ok(payload) = CertificatePayload::from_bytes(&signed.payload) else {
        set_main(&view::problem(t.not_payload));
        return;
    };
    let (sig, as_of) = signature(&signed, &payload).await;
    set_main(&view::verdict(lang, &payload, &sig, &Live::Checking, as_of));
    let answer = match early_answer().await {
        Some(answer) => answer,
        None => {
            let url = format!(
                "/api/v1/certificates/{}?channel=qr&name={}",
                payload.number(),
                String::from(js_sys::encode_uri_component(&payload.name))
            );
            get(&url, lang).await
        }
    };
    let live = live_of(answer, Some(&signed));
    set_main(&view::verdict(lang, &payload, &sig, &live, as_of));
}

fn set_result(html: &str) {
    portal_lite::set_html("result", html);
}

/// The typed check: number and name, validated here by core's rules, then the court's record,
/// whose signature is checked here too.
async fn typed(lang: Lang) {
    let t = text(lang);
    let number = parse_certificate_number(&input_value("number"));
    let name_typed = input_value("name");
    let name = PersonName::parse(&name_typed);
    let bad_number = field_error("number", number.as_ref().err().map(|e| e.message(lang)));
    let bad_name = field_error("name", name.as_ref().err().map(|e| e.message(lang)));
    if bad_number || bad_name {
        focus(if bad_number { "number" } else { "name" });
        return;
    }
    let Ok(serial) = number else { return };
    set_result(&format!(
        "<p class=\"status\" role=\"status\">{}</p>",
        t.checking
    ));
    let url = format!(
        "/api/v1/certificates/{}?channel=number&name={}",
        certificate_number(serial),
        String::from(js_sys::encode_uri_component(name_typed.trim()))
    );
    let answer = get(&url, lang).await;
    let record = match &answer {
        Err(()) => return set_result(&view::problem(t.try_again)),
        Ok((404, _)) => {
            set_result("");
            field_error("number", Some(t.no_certificate));
            return focus("number");
        }
        Ok((200, record)) => record.clone(),
        Ok((_, body)) => {
            let message =
                portal_lite::error_message(body).unwrap_or_else(|| t.try_again.to_owned());
            return set_result(&view::problem(&message));
        }
    };
    // Without the subject's name the server gives the status alone: the name typed is not the
    // one on the certificate.
    if field(&record, "payload").is_none() {
        set_result("");
        field_error("name", Some(t.name_differs));
        return focus("name");
    }
    let signed = field(&record, "payload")
        .and_then(|p| base64url_decode(&p))
        .zip(field(&record, "signature").and_then(|s| base64url_decode(&s)))
        .and_then(|(payload, signature)| {
            Some(SignedPayload {
                payload,
                signature: signature.try_into().ok()?,
            })
        });
    let Some((signed, payload)) = signed.and_then(|s| {
        let p = CertificatePayload::from_bytes(&s.payload).ok()?;
        Some((s, p))
    }) else {
        return set_result(&view::problem(t.status_error));
    };
    let Some(same) = same_name(&payload.name, &name_typed, lang).await else {
        return set_result(&view::problem(t.try_again));
    };
    if !same {
        set_result("");
        field_error("name", Some(t.name_differs));
        return focus("name");
    }
    let (sig, as_of) = signature(&signed, &payload).await;
    let live = live_of(answer, None);
    set_result(&view::verdict(lang, &payload, &sig, &live, as_of));
}

/// Where the server serves the traditional-to-simplified table ([`SimplifiedForms`]).
const SIMPLIFIED_FORMS: &str = "/C/simplified-forms.txt";

/// Whether two names have one matching key, as the server matches them; `None` when that needs
/// the traditional-to-simplified table and it could not be fetched. Keys equal without the table
/// are equal with it, so the table (about 11 KB that most checks never need) is fetched only
/// when they differ, not carried in this page.
async fn same_name(a: &str, b: &str, lang: Lang) -> Option<bool> {
    if normalize_name_with(a, |c| c) == normalize_name_with(b, |c| c) {
        return Some(true);
    }
    let forms = match request("GET", SIMPLIFIED_FORMS, lang, None, &[]).await {
        Ok((200, text)) => SimplifiedForms::parse(&text)?,
        _ => return None,
    };
    let key = |name: &str| normalize_name_with(name, |c| forms.simplify(c));
    Some(key(a) == key(b))
}

/// Keeps this page for scans with no network (scope `/C/`).
fn register_worker() {
    let container = window().navigator().service_worker();
    let options = web_sys::RegistrationOptions::new();
    options.set_scope("/C/");
    // A browser that refuses (private mode, old WeChat) still verifies online.
    let _ = container.register_with_options("/C/sw.js", &options);
}

fn main() {
    let lang = portal_lite::start();
    let t = text(lang);
    portal_lite::document().set_title(&format!("{} · 执行公开", t.title));
    if let Some(h1) = by_id("title") {
        h1.set_text_content(Some(t.title));
    }
    if let Some(link) = by_id("typed-link") {
        link.set_text_content(Some(t.typed_link));
    }
    register_worker();
    let path = window().location().pathname().unwrap_or_default();
    match path
        .strip_prefix("/C/")
        .or_else(|| path.strip_prefix("/c/"))
    {
        Some(blob) if !blob.is_empty() => {
            let blob = blob.to_owned();
            spawn_local(async move { scan(lang, &blob).await });
        }
        _ => {
            set_main(&view::form(lang));
            if let Some(link) = by_id("typed-link") {
                link.remove();
            }
            if let Some(form) = by_id("check") {
                on(&form, "submit", move |ev| {
                    ev.prevent_default();
                    spawn_local(typed(lang));
                });
            }
        }
    }
}
