//! The 404 page, for every address the router does not know.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || i18n.tr().not_found_title/>
        <section class="page page--centered">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h1>{move || i18n.tr().not_found_title}</h1>
            <p>{move || i18n.tr().not_found_text}</p>
            <p><A href="/" attr:class="button button--primary">{move || i18n.tr().back_home}</A></p>
        </section>
    }
}
