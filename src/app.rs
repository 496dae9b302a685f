//! The citizens' applications: preferences and language in context, the router, the page chrome,
//! and the error boundary around the pages. Each service is its own bundle (`portal_core::bundle`)
//! with its own routes here; an address of another bundle is loaded as a new page.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path,
};
use portal_core::bundle::{bundle_of, Bundle};

use crate::{
    boot,
    components::{footer::Footer, header::Header, status::PageError},
    i18n::{use_i18n, I18n},
    pages::{
        certificates::{CertificateApply, CertificateStatusPage, Certificates, CreditorConfirm},
        home::Home,
        lookup::Lookup,
        not_found::NotFound,
        notice::Notice,
        parties::{
            PartyCasesPage, PartyChecksPage, PartyConfirmPage, PartyDeclarePage, PartyRequestPage,
            PartyRequestsPage, PartySignInPage,
        },
        partners::Partners,
        rewards::{Reward, Rewards},
        tips::{TipForm, TipStatusPage},
    },
    prefs::{self, ElderMode},
    search::SearchDraft,
};

/// Starts a bundle in place of the static first paint, with its `routes` (each bundle's routes
/// know which bundle they are: see [`Elsewhere`]).
pub fn mount(routes: fn() -> AnyView) {
    boot::mount(move || view! { <App routes/> });
}

/// The portal's own pages: home, lookup, notices, partners, and the 404 page for every address
/// no bundle claims.
pub fn portal_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Portal/> }>
            <Route path=path!("/") view=Home/>
            <Route path=path!("/lookup") view=Lookup/>
            <Route path=path!("/notices/:id") view=Notice/>
            <Route path=path!("/partners") view=Partners/>
        </Routes>
    }
    .into_any()
}

/// Rewards and tips.
pub fn rewards_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Rewards/> }>
            <Route path=path!("/rewards") view=Rewards/>
            <Route path=path!("/rewards/:id") view=Reward/>
            <Route path=path!("/tips/new") view=TipForm/>
            <Route path=path!("/tips/status") view=TipStatusPage/>
        </Routes>
    }
    .into_any()
}

/// Certificates of self-performance.
pub fn certificates_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Certificates/> }>
            <Route path=path!("/certificates") view=Certificates/>
            <Route path=path!("/certificates/apply") view=CertificateApply/>
            <Route path=path!("/certificates/status") view=CertificateStatusPage/>
            <Route path=path!("/certificates/confirm") view=CreditorConfirm/>
        </Routes>
    }
    .into_any()
}

/// The parties' desk.
pub fn parties_routes() -> AnyView {
    view! {
        <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Parties/> }>
            <Route path=path!("/parties") view=PartySignInPage/>
            <Route path=path!("/parties/cases") view=PartyCasesPage/>
            <Route path=path!("/parties/declare") view=PartyDeclarePage/>
            <Route path=path!("/parties/request") view=PartyRequestPage/>
            <Route path=path!("/parties/requests") view=PartyRequestsPage/>
            <Route path=path!("/parties/checks") view=PartyChecksPage/>
            <Route path=path!("/parties/confirm") view=PartyConfirmPage/>
        </Routes>
    }
    .into_any()
}

/// An address none of this bundle's routes matches: this bundle's 404 page when the address is
/// its own, else the address loaded as a new page, which the server answers with its bundle.
#[component]
fn Elsewhere(bundle: Bundle) -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if bundle_of(&path) == Some(bundle) {
        return view! { <NotFound/> }.into_any();
    }
    // The router's search comes without its `?`; its hash keeps its `#`.
    let search = location.search.get_untracked();
    let query = if search.is_empty() {
        String::new()
    } else {
        format!("?{search}")
    };
    let address = format!("{path}{query}{}", location.hash.get_untracked());
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&address);
    }
    ().into_any()
}

#[component]
fn App(routes: fn() -> AnyView) -> impl IntoView {
    let i18n = I18n::new(prefs::stored_lang());
    provide_context(i18n);
    let elder = ElderMode(RwSignal::new(prefs::stored_elder()));
    provide_context(elder);
    SearchDraft::provide();

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
                view! { <Shell routes/> }
            }}
        </Router>
    }
}

/// Header, the routed page and footer. A page that fails to render is replaced by an apology with
/// a way on, not a blank screen.
#[component]
fn Shell(routes: fn() -> AnyView) -> impl IntoView {
    // In WeChat, each page's share card (its title and description, once it has rendered).
    let path = use_location().pathname;
    let lang = use_i18n().lang_now();
    Effect::new(move |_| {
        path.track();
        request_animation_frame(move || portal_lite::wechat::share_page(lang));
    });
    view! {
        <Header/>
        <main id="main" tabindex="-1">
            <ErrorBoundary fallback=|_| view! { <PageError/> }>{routes()}</ErrorBoundary>
        </main>
        <Footer/>
    }
}
