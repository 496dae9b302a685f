//! For partners: how to embed the check and call the partner API.

use leptos::{prelude::*, wasm_bindgen::JsCast};

use crate::{
    components::{
        button::{Button, ButtonVariant},
        title::PageTitle,
    },
    i18n::use_i18n,
};

/// Copies text with the asynchronous Clipboard API where the browser offers it. (WeChat's web view
/// may not: the snippet is also in a read-only text box, to select and copy by long press.)
fn copy_to_clipboard(text: &str) -> bool {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&nav, &"clipboard".into()).unwrap_or_default();
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).unwrap_or_default();
    match write.dyn_ref::<js_sys::Function>() {
        Some(f) => f.call1(&clipboard, &text.into()).is_ok(),
        None => false,
    }
}

#[component]
pub fn Partners() -> impl IntoView {
    let t = use_i18n().tr_now().partners();
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let snippet = format!(
        "<div id=\"credit-check\"></div>\n<script src=\"{origin}/widget.js\" data-partner=\"{}\" async></script>",
        t.id_placeholder
    );
    let copied = RwSignal::new(false);
    let to_copy = snippet.clone();
    view! {
        <PageTitle text=t.title/>
        <section class="page">
            <h1>{t.title}</h1>
            <p class="lead">{t.intro}</p>
            <p>{t.register}</p>
            <section class="card" aria-labelledby="embed-heading">
                <h2 id="embed-heading">{t.embed_heading}</h2>
                <p>{t.embed_text}</p>
                <label class="field__label" for="embed-snippet">{t.snippet_label}</label>
                <textarea id="embed-snippet" class="snippet" readonly rows="3">{snippet}</textarea>
                <p>
                    <Button variant=ButtonVariant::Secondary on_click=move |_| copied.set(copy_to_clipboard(&to_copy))>
                        {t.copy}
                    </Button>
                    <span class="muted" role="status">{move || if copied.get() { t.copied } else { "" }}</span>
                </p>
            </section>
            <section class="card" aria-labelledby="api-heading">
                <h2 id="api-heading">{t.api_heading}</h2>
                <ul class="checklist">
                    {t.api_points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
                </ul>
                <p><a href="/api/v1/partner/openapi.json" rel="external">{t.openapi}</a></p>
                <p class="muted">{t.audit}</p>
            </section>
        </section>
    }
}
