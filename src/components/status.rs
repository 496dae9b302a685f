//! Loading and error states: a request under way, a request that failed, and a page that failed
//! to render.

use leptos::prelude::*;

use crate::{
    api::ApiError,
    components::button::{Button, ButtonLink, ButtonVariant},
    i18n::use_i18n,
};

/// Shown while a request is under way. Announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    let t = use_i18n().tr_now().chrome();
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
    /// Called when the user asks to try again; without it there is no retry button.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now().chrome(), i18n.lang_now());
    view! {
        <div class="status status--error" role="alert">
            <p>{error.message(lang)}</p>
            {on_retry.map(|retry| view! {
                <Button variant=ButtonVariant::Secondary on_click=retry>{t.retry}</Button>
            })}
        </div>
    }
}

/// What the app shows instead of a page that failed to render: say so, and offer a reload and
/// the way home.
#[component]
pub fn PageError(
    /// Where "back home" leads: the portal's home, or the console's queue.
    #[prop(default = "/")]
    home: &'static str,
) -> impl IntoView {
    let t = use_i18n().tr_now().shell();
    let reload = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <section class="page page--centered" role="alert">
            <h1>{t.error_heading}</h1>
            <p>{t.error_text}</p>
            <p><Button on_click=reload>{use_i18n().tr_now().chrome().retry}</Button></p>
            <p><ButtonLink href=home variant=ButtonVariant::Secondary>{t.back_home}</ButtonLink></p>
        </section>
    }
}
