//! The hand-over from the static first paint of `index.html` (a plain search form that works
//! before, or without, WebAssembly) to the app: what the visitor typed there and where the
//! keyboard focus was are carried over.

use std::cell::RefCell;

use leptos::{prelude::*, wasm_bindgen::JsCast};

use crate::search::NAME_INPUT_ID;

thread_local! {
    /// What the visitor typed into the static search before the app started.
    static BOOT_NAME: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Takes the name typed before the app started, once.
pub fn take_boot_name() -> Option<String> {
    BOOT_NAME.with(|b| b.borrow_mut().take())
}

/// Removes the static first paint and mounts `app` in its place, keeping what was typed and, if
/// the static search field had the focus, giving it to the app's search field.
pub fn mount<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    portal_lite::refresh_when_restored();
    portal_lite::wechat::remember_landing();
    let doc = web_sys::window().and_then(|w| w.document());
    let mut refocus = false;
    if let Some(doc) = &doc {
        if let Some(input) = doc
            .get_element_by_id("boot-name")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            refocus = doc.active_element().is_some_and(|a| a.id() == "boot-name");
            let typed = input.value();
            BOOT_NAME.with(|b| *b.borrow_mut() = Some(typed).filter(|t| !t.trim().is_empty()));
        }
        if let Some(boot) = doc.get_element_by_id("boot") {
            boot.remove();
        }
    }
    leptos::mount::mount_to_body(app);
    if refocus {
        request_animation_frame(|| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(NAME_INPUT_ID))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
}
