//! Site header: the chrome every bundle shares (`portal_lite::chrome`: skip link, portal name,
//! language and elder-mode switches, main navigation), rendered once per language; the switches
//! act through this app, and the current entry follows the router.

use crate::router::use_location;
use leptos::{prelude::*, wasm_bindgen::JsCast};
use portal_lite::chrome;

use crate::{
    i18n::{use_i18n, I18n},
    prefs::ElderMode,
};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let elder = expect_context::<ElderMode>().0;
    let path = use_location().pathname;
    let html = chrome::header_html(
        i18n.lang_now(),
        &path.get_untracked(),
        elder.get_untracked(),
    );
    // The markup stays (focus stays on a switch or link); what changes is set on it.
    Effect::new(move |_| chrome::mark_current(&path.get()));
    Effect::new(move |_| chrome::mark_elder(elder.get()));
    let on_click = switches(i18n, elder);
    view! { <div class="site-chrome" on:click=on_click inner_html=html></div> }
}

/// The shared header's language and elder-mode switches (`#lang`, `#elder`) acting through this
/// app: a click handler for the element that holds the header's markup. The staff console's
/// header takes it too.
pub fn switches(i18n: I18n, elder: RwSignal<bool>) -> impl FnMut(leptos::ev::MouseEvent) {
    move |ev| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let is = |id: &str| target.closest(id).ok().flatten().is_some();
        if is("#lang") {
            i18n.toggle();
        } else if is("#elder") {
            elder.update(|on| *on = !*on);
        }
    }
}
