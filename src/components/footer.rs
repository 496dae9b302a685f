//! Site footer: where the data comes from and how to get it corrected.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{move || i18n.tr().footer_about}</p>
            <p>{move || i18n.tr().footer_data}</p>
            <p><A href="/staff/login">{move || i18n.tr().footer_staff}</A></p>
        </footer>
    }
}
