//! Form fields: a labelled control with its hint and its field-level error, wired for screen
//! readers (`aria-invalid`, `aria-describedby`). Every form builds its fields from these, so every
//! error appears under its own field, in the user's language, the same way.
//!
//! Ids derive from the control's id: the hint is `{id}-hint`, the error `{id}-error`.

use leptos::{prelude::*, wasm_bindgen::JsCast};
use portal_core::Invalid;

use crate::i18n::use_i18n;

/// The ids for the control's `aria-describedby`: its hint, and its error while there is one.
pub fn described_by(
    id: &'static str,
    hint: bool,
    error: RwSignal<Option<Invalid>>,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{id}-hint"));
        }
        if error.get().is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// `aria-invalid` for a control whose field has `error`.
pub fn invalid(error: RwSignal<Option<Invalid>>) -> impl Fn() -> &'static str + Copy {
    move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// The field-level error line, while there is an error.
fn error_line(id: &'static str, error: RwSignal<Option<Invalid>>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    move || {
        error.get().map(|e| {
            view! { <p class="field__error" id=format!("{id}-error")>{e.message(lang).to_owned()}</p> }
        })
    }
}

/// Label, hint, the control and its error, in that order.
fn frame(
    id: &'static str,
    label: &'static str,
    hint: Option<&'static str>,
    error: RwSignal<Option<Invalid>>,
    control: impl IntoView,
) -> impl IntoView {
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id>{label}</label>
            {hint.map(|hint| view! { <p class="field__hint" id=format!("{id}-hint")>{hint}</p> })}
            {control}
            {error_line(id, error)}
        </div>
    }
}

/// A field around a control of the caller's own (e.g. a file picker with its list of uploads),
/// which should carry `id`, [`invalid`] and [`described_by`].
#[component]
pub fn Field(
    /// The control's id.
    id: &'static str,
    /// The label, in the current language.
    label: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The field's error.
    error: RwSignal<Option<Invalid>>,
    /// The control.
    children: Children,
) -> impl IntoView {
    frame(id, label, hint, error, children())
}

/// A one-line text input (also `password`, `tel`, `date`).
#[component]
pub fn TextField(
    /// The input's id, also its form name.
    id: &'static str,
    /// The label, in the current language.
    label: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The value, kept in step with the input.
    value: RwSignal<String>,
    /// The field's error; typing clears it.
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
    /// The latest value allowed, for dates.
    #[prop(optional, into)]
    max: Option<String>,
) -> impl IntoView {
    let control = view! {
        <input
            class="field__input"
            id=id
            name=id
            type=input_type
            autocomplete=autocomplete
            required=required
            max=max
            aria-invalid=invalid(error)
            aria-describedby=described_by(id, hint.is_some(), error)
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        />
    };
    frame(id, label, hint, error, control)
}

/// A text area for longer text.
#[component]
pub fn TextArea(
    /// The text area's id, also its form name.
    id: &'static str,
    /// The label, in the current language.
    label: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The value, kept in step with the text area.
    value: RwSignal<String>,
    /// The field's error; typing clears it.
    error: RwSignal<Option<Invalid>>,
    /// Visible lines.
    #[prop(default = 4)]
    rows: u32,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let control = view! {
        <textarea
            class="field__input field__input--area"
            id=id
            name=id
            rows=rows
            required=required
            aria-invalid=invalid(error)
            aria-describedby=described_by(id, hint.is_some(), error)
            prop:value=move || value.get()
            on:input=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        ></textarea>
    };
    frame(id, label, hint, error, control)
}

/// A drop-down list.
#[component]
pub fn SelectField(
    /// The list's id, also its form name.
    id: &'static str,
    /// The label, in the current language.
    label: &'static str,
    /// The choices: value and text.
    options: Vec<(String, String)>,
    /// A first choice with the empty value ("any", "choose…").
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// The chosen value, kept in step with the list.
    value: RwSignal<String>,
    /// The field's error; choosing clears it.
    #[prop(optional)]
    error: Option<RwSignal<Option<Invalid>>>,
    /// Whether a choice must be made.
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let error = error.unwrap_or_else(|| RwSignal::new(None));
    // Each option says whether it is chosen: a `value` set on the list itself would be applied
    // before its options exist.
    let control = view! {
        <select
            class="field__input"
            id=id
            name=id
            required=required
            aria-invalid=invalid(error)
            aria-describedby=described_by(id, false, error)
            on:change=move |ev| {
                value.set(event_target_value(&ev));
                error.set(None);
            }
        >
            {placeholder.map(|text| view! {
                <option value="" selected=move || value.get().is_empty()>{text}</option>
            })}
            {options
                .into_iter()
                .map(|(v, text)| {
                    let chosen = v.clone();
                    view! { <option value=v selected=move || value.get() == chosen>{text}</option> }
                })
                .collect_view()}
        </select>
    };
    frame(id, label, None, error, control)
}

/// A checkbox with its label beside it.
#[component]
pub fn CheckField(
    /// The checkbox's id, also its form name.
    id: &'static str,
    /// The label, in the current language.
    label: &'static str,
    /// Whether it is checked, kept in step with the checkbox.
    checked: RwSignal<bool>,
    /// The field's error; checking clears it.
    error: RwSignal<Option<Invalid>>,
) -> impl IntoView {
    view! {
        <div class="field field--check" class:field--invalid=move || error.get().is_some()>
            <input
                type="checkbox"
                id=id
                name=id
                aria-invalid=invalid(error)
                aria-describedby=described_by(id, false, error)
                prop:checked=move || checked.get()
                on:change=move |ev| {
                    checked.set(event_target_checked(&ev));
                    error.set(None);
                }
            />
            <label for=id>{label}</label>
            {error_line(id, error)}
        </div>
    }
}

/// Shows each rejection under its own field: `fields` pairs a request field's name with the
/// error signal of the input that edits it.
pub fn show_errors(
    errors: &[portal_core::FieldError],
    fields: &[(&str, RwSignal<Option<Invalid>>)],
) {
    for (name, signal) in fields {
        signal.set(
            errors
                .iter()
                .find(|e| e.field == *name)
                .map(|e| e.invalid.clone()),
        );
    }
}

/// Moves keyboard focus to the first input that has an error, so the user lands on it. Runs on
/// the next frame: the error signals set just before reach the DOM after the event handler.
pub fn focus_first_invalid() {
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
