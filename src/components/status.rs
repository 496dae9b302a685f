//! Loading and error states shared by every page that fetches.

use leptos::prelude::*;

use crate::{api::ApiError, i18n::use_i18n};

/// Shown while a request is under way. Announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    view! {
        <p class="status status--loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {t.loading}
        </p>
    }
}

/// A failed request, in the user's language, with a way to try again.
#[component]
pub fn ErrorNotice(
    /// What went wrong.
    error: ApiError,
    /// Called when the user asks to try again.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let message = {
        let error = error.clone();
        move || error.message(lang)
    };
    view! {
        <div class="status status--error" role="alert">
            <p>{message}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="button button--secondary" on:click=move |_| retry.run(())>
                    {t.retry}
                </button>
            })}
        </div>
    }
}
