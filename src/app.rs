//! The application shell: preferences, router, page chrome and meta tags.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    components::{footer::Footer, header::Header},
    i18n::I18n,
    pages::{
        coming_soon::{Certificates, Publicity, Rewards},
        home::Home,
        lookup::{Lookup, SearchDraft},
        not_found::NotFound,
        notice::Notice,
        partners::Partners,
        staff_login::StaffLogin,
    },
    prefs,
};

/// Elder mode (large text, high contrast), shared through context.
#[derive(Clone, Copy)]
pub struct ElderMode(pub RwSignal<bool>);

thread_local! {
    /// What the visitor typed into the static search of `index.html` before the app started.
    static BOOT_NAME: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Takes the name typed before the app started, once.
pub fn take_boot_name() -> Option<String> {
    BOOT_NAME.with(|b| b.borrow_mut().take())
}

/// Replaces the static first paint of `index.html` with the app, keeping what was typed and
/// where the keyboard focus was.
pub fn mount() {
    use leptos::wasm_bindgen::JsCast;
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
    leptos::mount::mount_to_body(App);
    if refocus {
        request_animation_frame(|| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("search-name"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        });
    }
}

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::new(prefs::stored_lang());
    provide_context(i18n);
    let elder = ElderMode(RwSignal::new(prefs::stored_elder()));
    provide_context(elder);
    provide_context(SearchDraft(RwSignal::new(None)));

    Effect::new(move |_| {
        let lang = i18n.lang();
        prefs::apply_lang(lang);
        prefs::store_lang(lang);
    });
    Effect::new(move |_| {
        let on = elder.0.get();
        prefs::apply_elder(on);
        prefs::store_elder(on);
    });

    // Pages render their strings as plain text for the language of the moment; switching the
    // language renders them again (the address, preferences and sign-in are kept).
    view! {
        <Router>
            {move || {
                i18n.lang();
                view! { <Shell/> }
            }}
        </Router>
    }
}

/// Header, the routed page and footer.
#[component]
fn Shell() -> impl IntoView {
    view! {
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/lookup") view=Lookup/>
                    <Route path=path!("/notices/:id") view=Notice/>
                    <Route path=path!("/partners") view=Partners/>
                    <Route path=path!("/rewards") view=Rewards/>
                    <Route path=path!("/certificates") view=Certificates/>
                    <Route path=path!("/publicity") view=Publicity/>
                    <Route path=path!("/staff/login") view=StaffLogin/>
                </Routes>
            </main>
            <Footer/>
    }
}
