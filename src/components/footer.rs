//! Site footer: the chrome every bundle shares (`portal_lite::chrome`): where the data comes from
//! and how to get it corrected.

use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn Footer() -> impl IntoView {
    view! { <div class="site-chrome" inner_html=portal_lite::chrome::footer_html(use_i18n().lang_now())></div> }
}
