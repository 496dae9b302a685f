//! The embedded credit check: the page partners frame (`/embed/check?partner=…&host=…&lang=…`).
//!
//! Its own small bundle (no router, its own few strings): a check form with the subject's consent,
//! a result card, and two messages to the host page — its height (so the frame fits) and the
//! outcome (status and check id only). Messages go only to the host origin named in the address,
//! and only when that origin is one the partner registered.

use leptos::{prelude::*, wasm_bindgen::JsCast};
use portal_core::{
    notice::{ListKind, SubjectId},
    partner::{require_consent, EmbedCheckRequest, EmbedCheckResponse, EmbedPartner},
    Invalid, Lang, PersonName,
};
use wasm_bindgen::{closure::Closure, JsValue};

use crate::api;

struct Strings {
    title: &'static str,
    name: &'static str,
    id: &'static str,
    id_hint: &'static str,
    consent: fn(&str, &str) -> String,
    submit: &'static str,
    checking: &'static str,
    listed: &'static str,
    clear: &'static str,
    as_of: &'static str,
    details: &'static str,
    note: &'static str,
    powered: &'static str,
    loading: &'static str,
}

static ZH: Strings = Strings {
    title: "失信被执行人核查",
    name: "姓名或单位名称",
    id: "身份证号码或统一社会信用代码",
    id_hint: "号码仅用于本次核查",
    consent: |partner, purpose| format!("被查询人已同意 {partner} 为“{purpose}”进行本次核查"),
    submit: "核查",
    checking: "正在核查…",
    listed: "在名单中",
    clear: "未在名单中",
    as_of: "数据截至",
    details: "查看公开信息",
    note: "结果仅反映上述时间法院公开的信息；名单删除后即不再显示。如有异议，请联系执行法院。",
    powered: "数据来源：执行公开（法院执行信息公开平台）",
    loading: "正在加载…",
};

static EN: Strings = Strings {
    title: "Dishonest-debtor check",
    name: "Name of the person or organisation",
    id: "ID number or unified social credit code",
    id_hint: "Used for this check only",
    consent: |partner, purpose| format!("The person checked agreed that {partner} checks them for \"{purpose}\""),
    submit: "Check",
    checking: "Checking…",
    listed: "Listed",
    clear: "Not listed",
    as_of: "Data as of",
    details: "See the public notice",
    note: "The answer reflects what the courts publish at the time above; deleted listings are no longer shown. If you disagree, contact the enforcing court.",
    powered: "Source: the courts' enforcement transparency portal",
    loading: "Loading…",
};

/// Reads `partner`, `host` and `lang` from the page address.
fn params() -> (String, String, Lang) {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let q = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let get = |k: &str| q.as_ref().and_then(|q| q.get(k)).unwrap_or_default();
    let lang = if get("lang").starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    };
    (get("partner"), get("host"), lang)
}

/// Posts `{type, …fields}` to the host page, if it is a registered origin of the partner.
fn tell_host(host: &str, allowed: bool, kind: &str, fields: &[(&str, JsValue)]) {
    if !allowed {
        return;
    }
    let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &kind.into());
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&message, &(*k).into(), v);
    }
    let _ = parent.post_message(&message, host);
}

/// Reports the page's height to the host whenever it changes, so the frame never scrolls.
fn report_height(host: String) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.document_element() else {
        return;
    };
    let measure = root.clone();
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_| {
        tell_host(
            &host,
            true,
            "credit-check:resize",
            &[("height", JsValue::from(measure.scroll_height()))],
        );
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(&root);
    }
    // The observer lives as long as the page.
    callback.forget();
}

pub fn mount() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("fallback"))
    {
        el.remove();
    }
    leptos::mount::mount_to_body(EmbedApp);
}

#[component]
fn EmbedApp() -> impl IntoView {
    let (partner_id, host, lang) = params();
    let t: &'static Strings = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.tag());
    }
    let id = partner_id.clone();
    let partner = LocalResource::new(move || {
        let id = id.clone();
        async move { api::embed_partner(&id, lang).await }
    });
    view! {
        <main class="embed">
            <h1 class="embed__title">{t.title}</h1>
            <Suspense fallback=move || view! { <p role="status">{t.loading}</p> }>
                {move || partner.get().map(|result| match result {
                    Ok(p) => {
                        let allowed = p.origins.contains(&host);
                        if allowed {
                            report_height(host.clone());
                        }
                        view! { <CheckForm partner=p partner_id=partner_id.clone() host=host.clone() allowed lang t/> }.into_any()
                    }
                    Err(e) => view! { <p class="embed__error" role="alert">{e.message(lang)}</p> }.into_any(),
                })}
            </Suspense>
            <p class="embed__powered">{t.powered}</p>
        </main>
    }
}

#[component]
fn CheckForm(
    partner: EmbedPartner,
    partner_id: String,
    host: String,
    allowed: bool,
    lang: Lang,
    t: &'static Strings,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let errors = RwSignal::new(Vec::<(&'static str, Invalid)>::new());
    let check = Action::new_local(move |request: &EmbedCheckRequest| {
        let request = request.clone();
        async move { api::embed_check(&request, lang).await }
    });
    let host_for_result = host.clone();
    Effect::new(move |_| {
        if let Some(Ok(answer)) = check.value().get() {
            tell_host(
                &host_for_result,
                allowed,
                "credit-check:result",
                &[
                    ("status", answer.status.as_str().into()),
                    ("check_id", answer.check_id.as_str().into()),
                ],
            );
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        if let Err(e) = PersonName::parse(&name.get_untracked()) {
            found.push(("name", e));
        }
        if let Err(e) = SubjectId::parse_any(&id_number.get_untracked()) {
            found.push(("id", e));
        }
        if let Err(e) = require_consent(consent.get_untracked()) {
            found.push(("consent", e.invalid));
        }
        let ok = found.is_empty();
        errors.set(found);
        if ok {
            check.dispatch(EmbedCheckRequest {
                partner: partner_id.clone(),
                name: name.get_untracked(),
                id_number: id_number.get_untracked(),
                consent: true,
            });
        }
    };
    let error_for = move |field: &'static str| {
        move || {
            errors
                .get()
                .into_iter()
                .find(|(f, _)| *f == field)
                .map(|(_, e)| e.message(lang).to_owned())
        }
    };
    let consent_text = (t.consent)(&partner.name, &partner.purpose);
    view! {
        <form class="embed__form" novalidate on:submit=submit>
            <Field id="cc-name" label=t.name hint=None value=name error=Signal::derive(error_for("name"))/>
            <Field id="cc-id" label=t.id hint=Some(t.id_hint) value=id_number error=Signal::derive(error_for("id"))/>
            <div class="embed__consent">
                <input id="cc-consent" type="checkbox" prop:checked=move || consent.get()
                    aria-invalid=move || if error_for("consent")().is_some() { "true" } else { "false" }
                    aria-describedby="cc-consent-error"
                    on:change=move |ev| consent.set(event_target_checked(&ev))/>
                <label for="cc-consent">{consent_text}</label>
            </div>
            <p class="embed__field-error" id="cc-consent-error">{error_for("consent")}</p>
            <button type="submit" class="embed__button" disabled=move || check.pending().get()>
                {move || if check.pending().get() { t.checking } else { t.submit }}
            </button>
        </form>
        <div aria-live="polite">
            {move || check.value().get().map(|outcome| match outcome {
                Ok(answer) => view! { <ResultCard answer lang t/> }.into_any(),
                Err(e) => view! { <p class="embed__error" role="alert">{e.message(lang)}</p> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="embed__field">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <span class="embed__hint" id=hint_id.clone()>{h}</span> })}
            <input id=id type="text" autocomplete="off" aria-describedby=described
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            <p class="embed__field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

#[component]
fn ResultCard(answer: EmbedCheckResponse, lang: Lang, t: &'static Strings) -> impl IntoView {
    let listed = answer.status == "listed";
    let as_of: String = js_sys::Date::new(&answer.as_of.as_str().into())
        .to_locale_string(lang.tag(), &JsValue::UNDEFINED)
        .into();
    view! {
        <section class="embed__result" class:embed__result--listed=listed class:embed__result--clear=!listed>
            <p class="embed__verdict">{if listed { t.listed } else { t.clear }}</p>
            <ul class="embed__lists">
                {answer.lists.iter().filter_map(|l| ListKind::parse(l)).map(|k| view! { <li>{k.label(lang)}</li> }).collect_view()}
            </ul>
            <p class="embed__as-of">{format!("{} {as_of}", t.as_of)}</p>
            {answer.notice_ids.first().map(|id| view! {
                <p><a href=format!("/notices/{id}") target="_blank" rel="noopener">{t.details}</a></p>
            })}
            <p class="embed__note">{t.note}</p>
        </section>
    }
}
