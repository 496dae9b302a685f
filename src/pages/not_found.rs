//! The 404 page, for every address the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{components::title::PageTitle, i18n::use_i18n};

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    view! {
        <PageTitle text=t.not_found_title/>
        <section class="page page--centered">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}</p>
            <p><A href="/" attr:class="button button--primary">{t.back_home}</A></p>
        </section>
    }
}
