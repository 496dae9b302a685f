//! A labelled form input with its hint and its field-level error, wired for screen readers.

use leptos::prelude::*;
use portal_core::Invalid;

use crate::i18n::{use_i18n, Tr};

#[component]
pub fn TextField(
    /// The input's id; the hint and error ids derive from it.
    id: &'static str,
    /// Picks the label from the current language's strings.
    label: fn(&'static Tr) -> &'static str,
    /// Picks an optional hint shown under the label.
    #[prop(optional)]
    hint: Option<fn(&'static Tr) -> &'static str>,
    /// The value, kept in sync with the input.
    value: RwSignal<String>,
    /// The field's current error, shown under the input in the user's language.
    error: RwSignal<Option<Invalid>>,
    /// HTML input type.
    #[prop(default = "text")]
    input_type: &'static str,
    /// HTML autocomplete token.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id>
                {label(t)}
            </label>
            {hint.map(|hint| view! { <p class="field__hint" id=hint_id.clone()>{hint(t)}</p> })}
            <input
                class="field__input"
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    error.set(None);
                }
            />
            {move || error.get().map(|e| view! {
                <p class="field__error" id=error_id.clone()>{e.message(lang).to_owned()}</p>
            })}
        </div>
    }
}

/// Moves keyboard focus to the first input that has an error, so the user lands on it. Runs on
/// the next frame: the error signals set just before reach the DOM after the event handler.
pub fn focus_first_invalid() {
    use leptos::wasm_bindgen::JsCast;
    request_animation_frame(|| {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(Some(el)) = doc.query_selector("[aria-invalid=\"true\"]") {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}
