//! The embedded credit check: the page partners frame (`/embed/check?partner=…&host=…&lang=…`).
//!
//! It is its own small bundle, so it is written against the DOM directly (web-sys) rather than
//! with the portal's framework: the whole check — loader, page, wasm and CSS — stays within the
//! widget's size budget. What it shares with the portal is what matters: `core`'s validation, proof
//! of work and the API's request and answer types ([`EmbedPartner`], [`EmbedCheckRequest`],
//! [`EmbedCheckResponse`], [`ErrorBody`]), and its strings live with the others in
//! [`crate::text`].
//!
//! The page shows a check form with the subject's consent and a result card, and sends the host
//! page two messages: its height (so the frame fits) and the outcome (status and check id only).
//! Messages go only to the host origin named in the address, and only when the partner registered
//! that origin.

use std::{cell::Cell, rc::Rc};

use portal_core::{
    api::{Challenge, ErrorBody, POW_HEADER},
    notice::{ListKind, SubjectId},
    partner::{require_consent, EmbedCheckRequest, EmbedCheckResponse, EmbedPartner},
    Invalid, Lang, PersonName,
};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, Element, HtmlButtonElement, HtmlInputElement};

use crate::text::{strings, EmbedTr};

/// What the host page hears, as `widget.js` expects it (and passes on only these fields).
#[derive(Serialize)]
#[serde(tag = "type")]
enum HostMessage<'a> {
    /// The frame's content height, so the host fits the frame to it.
    #[serde(rename = "credit-check:resize")]
    Resize { height: i32 },
    /// A check's outcome: `listed` or `clear`, and the check id for the partner's records.
    #[serde(rename = "credit-check:result")]
    Result { status: &'a str, check_id: &'a str },
}

/// Everything the page's handlers need.
struct Page {
    doc: Document,
    partner: String,
    host: String,
    lang: Lang,
    t: &'static EmbedTr,
    /// The host origin is one the partner registered: only then is it told anything.
    allowed: Cell<bool>,
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

impl Page {
    fn el(&self, tag: &str, class: &str, text: &str) -> Element {
        let e = self.doc.create_element(tag).expect("valid tag");
        if !class.is_empty() {
            e.set_class_name(class);
        }
        if !text.is_empty() {
            e.set_text_content(Some(text));
        }
        e
    }

    fn by_id(&self, id: &str) -> Option<Element> {
        self.doc.get_element_by_id(id)
    }

    fn input(&self, id: &str) -> Option<HtmlInputElement> {
        self.by_id(id)?.dyn_into().ok()
    }

    /// Posts `message` to the host page, as a plain object.
    fn tell_host(&self, message: &HostMessage) {
        if !self.allowed.get() {
            return;
        }
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let Ok(json) = serde_json::to_string(message) else {
            return;
        };
        if let Ok(object) = js_sys::JSON::parse(&json) {
            let _ = parent.post_message(&object, &self.host);
        }
    }

    /// Shows (or clears) a field's error, and marks the input for assistive technology.
    fn field_error(&self, id: &str, error: Option<&Invalid>) {
        if let Some(input) = self.by_id(id) {
            let _ = input.set_attribute(
                "aria-invalid",
                if error.is_some() { "true" } else { "false" },
            );
        }
        if let Some(p) = self.by_id(&format!("{id}-error")) {
            p.set_text_content(error.map(|e| e.message(self.lang)));
        }
    }
}

/// One fetch through the lite bundles' helper (timeout, offline): the status and the body's text.
async fn fetch(
    method: &str,
    path: &str,
    lang: Lang,
    body: Option<&str>,
    solution: Option<&str>,
) -> Option<(u16, String)> {
    let headers: Vec<(&str, &str)> = solution.map(|s| (POW_HEADER, s)).into_iter().collect();
    portal_lite::request(method, path, lang, body, &headers)
        .await
        .ok()
}

/// One JSON request; answers a proof-of-work challenge and retries when the server asks for one.
/// `Err` carries the message to show: the server's (in the page's language), or the page's own
/// when there was no usable answer.
async fn call<T: DeserializeOwned>(
    page: &Page,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<T, String> {
    let network = || {
        portal_lite::chrome::text(page.lang)
            .network_error
            .to_owned()
    };
    let mut solution: Option<String> = None;
    for _ in 0..3 {
        let (status, text) = fetch(method, path, page.lang, body, solution.as_deref())
            .await
            .ok_or_else(network)?;
        if (200..300).contains(&status) {
            return serde_json::from_str(&text).map_err(|_| network());
        }
        let error = serde_json::from_str::<ErrorBody>(&text)
            .map_err(|_| network())?
            .error;
        match error.challenge {
            Some(challenge) => solution = Some(solved(&challenge).await),
            None if error.message.is_empty() => return Err(network()),
            None => return Err(error.message),
        }
    }
    Err(network())
}

/// The `seed:nonce` answer to a proof-of-work challenge.
async fn solved(challenge: &Challenge) -> String {
    let nonce = portal_lite::solve(challenge).await;
    format!("{}:{nonce}", challenge.seed)
}

pub fn mount() {
    let Some(doc) = document() else { return };
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let q = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let param = |k: &str| q.as_ref().and_then(|q| q.get(k)).unwrap_or_default();
    let lang = if param("lang").starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    };
    let page = Rc::new(Page {
        doc,
        partner: param("partner"),
        host: param("host"),
        lang,
        t: strings(lang),
        allowed: Cell::new(false),
    });
    if let Some(html) = page.doc.document_element() {
        let _ = html.set_attribute("lang", lang.tag());
    }
    if let Some(fallback) = page.by_id("fallback") {
        fallback.remove();
    }
    let main = page.el("main", "embed", "");
    main.append_child(&page.el("h1", "embed__title", page.t.title))
        .ok();
    let status = page.el("p", "", portal_lite::chrome::text(page.lang).loading);
    let _ = status.set_attribute("role", "status");
    main.append_child(&status).ok();
    main.append_child(&page.el("p", "embed__powered", page.t.powered))
        .ok();
    if let Some(body) = page.doc.body() {
        body.append_child(&main).ok();
    }
    spawn_local(async move {
        let path = format!("/api/v1/embed/partner/{}", page.partner);
        match call::<EmbedPartner>(&page, "GET", &path, None).await {
            Ok(partner) => {
                page.allowed
                    .set(partner.origins.iter().any(|o| *o == page.host));
                let form = build_form(&page, &partner.name, &partner.purpose);
                main.replace_child(&form, &status).ok();
                let result = page.el("div", "", "");
                result.set_id("cc-result");
                let _ = result.set_attribute("aria-live", "polite");
                let _ = form.after_with_node_1(&result);
                report_height(&page);
            }
            Err(message) => {
                status.set_text_content(Some(&message));
                status.set_class_name("embed__error");
                let _ = status.set_attribute("role", "alert");
            }
        }
    });
}

/// A labelled text input with an optional hint and an error line.
fn text_field(page: &Page, id: &str, label: &str, hint: Option<&str>) -> Element {
    let field = page.el("div", "embed__field", "");
    let l = page.el("label", "", label);
    let _ = l.set_attribute("for", id);
    field.append_child(&l).ok();
    let mut described = format!("{id}-error");
    if let Some(h) = hint {
        let hint = page.el("span", "embed__hint", h);
        hint.set_id(&format!("{id}-hint"));
        field.append_child(&hint).ok();
        described = format!("{id}-hint {described}");
    }
    let input = page.el("input", "", "");
    input.set_id(id);
    for (k, v) in [
        ("type", "text"),
        ("autocomplete", "off"),
        ("aria-invalid", "false"),
        ("aria-describedby", described.as_str()),
    ] {
        let _ = input.set_attribute(k, v);
    }
    field.append_child(&input).ok();
    let error = page.el("p", "embed__field-error", "");
    error.set_id(&format!("{id}-error"));
    field.append_child(&error).ok();
    field
}

fn build_form(page: &Rc<Page>, partner_name: &str, purpose: &str) -> Element {
    let t = page.t;
    let form = page.el("form", "embed__form", "");
    let _ = form.set_attribute("novalidate", "");
    form.append_child(&text_field(page, "cc-name", t.name, None))
        .ok();
    form.append_child(&text_field(page, "cc-id", t.id, Some(t.id_hint)))
        .ok();
    let consent = page.el("div", "embed__consent", "");
    let checkbox = page.el("input", "", "");
    checkbox.set_id("cc-consent");
    for (k, v) in [
        ("type", "checkbox"),
        ("aria-invalid", "false"),
        ("aria-describedby", "cc-consent-error"),
    ] {
        let _ = checkbox.set_attribute(k, v);
    }
    consent.append_child(&checkbox).ok();
    let label = page.el("label", "", &(t.consent)(partner_name, purpose));
    let _ = label.set_attribute("for", "cc-consent");
    consent.append_child(&label).ok();
    form.append_child(&consent).ok();
    let consent_error = page.el("p", "embed__field-error", "");
    consent_error.set_id("cc-consent-error");
    form.append_child(&consent_error).ok();
    let button = page.el("button", "embed__button", t.submit);
    let _ = button.set_attribute("type", "submit");
    button.set_id("cc-submit");
    form.append_child(&button).ok();

    let handler_page = page.clone();
    let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        ev.prevent_default();
        submit(&handler_page);
    });
    let _ = form.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    // The form lives as long as the page.
    on_submit.forget();
    form
}

fn submit(page: &Rc<Page>) {
    let value = |id: &str| page.input(id).map(|i| i.value()).unwrap_or_default();
    let (name, id_number) = (value("cc-name"), value("cc-id"));
    let consent = page
        .input("cc-consent")
        .map(|i| i.checked())
        .unwrap_or(false);
    let name_error = PersonName::parse(&name).err();
    let id_error = SubjectId::parse_any(&id_number).err();
    let consent_error = require_consent(consent).err().map(|e| e.invalid);
    let fields = [
        ("cc-name", &name_error),
        ("cc-id", &id_error),
        ("cc-consent", &consent_error),
    ];
    for (id, error) in fields {
        page.field_error(id, error.as_ref());
    }
    if let Some((id, _)) = fields.iter().find(|(_, e)| e.is_some()) {
        if let Some(input) = page.input(id) {
            let _ = input.focus();
        }
        return;
    }
    let Some(button) = page
        .by_id("cc-submit")
        .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
    else {
        return;
    };
    button.set_disabled(true);
    button.set_text_content(Some(page.t.checking));
    let request = EmbedCheckRequest {
        partner: page.partner.clone(),
        name,
        id_number,
        consent,
    };
    let body = serde_json::to_string(&request).unwrap_or_default();
    let page = page.clone();
    spawn_local(async move {
        let outcome =
            call::<EmbedCheckResponse>(&page, "POST", "/api/v1/embed/check", Some(&body)).await;
        button.set_disabled(false);
        button.set_text_content(Some(page.t.submit));
        let Some(slot) = page.by_id("cc-result") else {
            return;
        };
        slot.set_inner_html("");
        match outcome {
            Ok(answer) => {
                slot.append_child(&result_card(&page, &answer)).ok();
                page.tell_host(&HostMessage::Result {
                    status: &answer.status,
                    check_id: &answer.check_id,
                });
            }
            Err(message) => {
                let p = page.el("p", "embed__error", &message);
                let _ = p.set_attribute("role", "alert");
                slot.append_child(&p).ok();
            }
        }
    });
}

fn result_card(page: &Page, answer: &EmbedCheckResponse) -> Element {
    let t = page.t;
    let listed = answer.status == "listed";
    let card = page.el(
        "section",
        if listed {
            "embed__result embed__result--listed"
        } else {
            "embed__result embed__result--clear"
        },
        "",
    );
    card.append_child(&page.el(
        "p",
        "embed__verdict",
        if listed { t.listed } else { t.clear },
    ))
    .ok();
    let lists = page.el("ul", "embed__lists", "");
    for kind in answer.lists.iter().filter_map(|l| ListKind::parse(l)) {
        lists
            .append_child(&page.el("li", "", kind.label(page.lang)))
            .ok();
    }
    card.append_child(&lists).ok();
    let as_of: String = js_sys::Date::new(&JsValue::from_str(&answer.as_of))
        .to_locale_string(page.lang.tag(), &JsValue::UNDEFINED)
        .into();
    card.append_child(&page.el("p", "embed__as-of", &format!("{} {as_of}", t.as_of)))
        .ok();
    if let Some(id) = answer.notice_ids.first() {
        let p = page.el("p", "", "");
        let a = page.el("a", "", t.details);
        for (k, v) in [
            ("href", format!("/notices/{id}")),
            ("target", "_blank".into()),
            ("rel", "noopener".into()),
        ] {
            let _ = a.set_attribute(k, &v);
        }
        p.append_child(&a).ok();
        card.append_child(&p).ok();
    }
    card.append_child(&page.el("p", "embed__note", t.note)).ok();
    card
}

/// Reports the page's height to the host whenever it changes, so the frame never scrolls.
fn report_height(page: &Rc<Page>) {
    let Some(root) = page.doc.document_element() else {
        return;
    };
    let measure = root.clone();
    let page = page.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| {
        page.tell_host(&HostMessage::Resize {
            height: measure.scroll_height(),
        });
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
    }
    // The observer lives as long as the page.
    callback.forget();
}
