//! Preferences remembered across visits (language, elder mode) in `localStorage`, their effect on
//! the document (`<html lang>`, the `elder` class), and the elder-mode switch pages share.

use leptos::prelude::*;
use portal_core::Lang;

/// Elder mode (large text, high contrast), shared through context.
#[derive(Clone, Copy)]
pub struct ElderMode(pub RwSignal<bool>);

const LANG_KEY: &str = "portal.lang";
const ELDER_KEY: &str = "portal.elder";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn write(key: &str, value: &str) {
    // Private browsing may refuse storage; the preference then lasts for this visit only.
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

pub fn stored_lang() -> Lang {
    match read(LANG_KEY).as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    }
}

pub fn store_lang(lang: Lang) {
    write(LANG_KEY, lang.tag());
}

pub fn stored_elder() -> bool {
    read(ELDER_KEY).as_deref() == Some("1")
}

pub fn store_elder(on: bool) {
    write(ELDER_KEY, if on { "1" } else { "0" });
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

pub fn apply_lang(lang: Lang) {
    if let Some(html) = root() {
        let _ = html.set_attribute("lang", lang.tag());
    }
}

pub fn apply_elder(on: bool) {
    if let Some(html) = root() {
        let _ = html.class_list().toggle_with_force("elder", on);
    }
}

/// The language and elder mode of this visit, from what was remembered: provided as context to
/// the app (the citizens' bundles and the staff console alike), applied to the document and
/// remembered again whenever they change.
pub fn provide() -> crate::i18n::I18n {
    let i18n = crate::i18n::I18n::new(stored_lang());
    provide_context(i18n);
    let elder = ElderMode(RwSignal::new(stored_elder()));
    provide_context(elder);
    Effect::new(move |_| {
        let lang = i18n.lang();
        apply_lang(lang);
        store_lang(lang);
    });
    Effect::new(move |_| {
        let on = elder.0.get();
        apply_elder(on);
        store_elder(on);
    });
    i18n
}
