//! Site footer: where the data comes from and how to get it corrected.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn Footer() -> impl IntoView {
    let t = use_i18n().tr_now().shell;
    view! {
        <footer class="site-footer">
            <p>{t.footer_about}</p>
            <p>{t.footer_data}</p>
            <p class="site-footer__links">
                <A href="/partners">{t.footer_partners}</A>
                // The staff console is its own bundle: the browser loads it, not this router.
                <a href="/staff/login" rel="external">{t.footer_staff}</a>
            </p>
        </footer>
    }
}
