//! Site footer: the chrome every bundle shares (`portal_lite::chrome`): where the data comes from
//! and how to get it corrected.

use crate::router::use_location;
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn Footer() -> impl IntoView {
    // Which of its links leave this bundle depends only on the bundle, not on the page in it.
    let path = use_location().pathname.get_untracked();
    let html = portal_lite::chrome::footer_html(use_i18n().lang_now(), &path);
    view! { <div class="site-chrome" inner_html=html></div> }
}
