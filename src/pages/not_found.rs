//! The 404 page, for every address the router does not know.

use leptos::prelude::*;

use crate::{
    components::{button::ButtonLink, title::PageTitle},
    i18n::use_i18n,
};

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_i18n().tr_now().shell();
    view! {
        <PageTitle text=t.not_found_title/>
        <section class="page page--centered">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h1>{t.not_found_title}</h1>
            <p>{t.not_found_text}</p>
            <p><ButtonLink href="/">{t.back_home}</ButtonLink></p>
        </section>
    }
}
