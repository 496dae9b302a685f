//! The document title: "<page> · 执行公开".

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// Sets the document title when the page renders (pages render again on a language switch).
#[component]
pub fn PageTitle(
    /// The page's own title, already in the current language.
    text: &'static str,
) -> impl IntoView {
    let site = use_i18n().tr_now().chrome().site_name;
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&format!("{text} · {site}"));
    }
}
