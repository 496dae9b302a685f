//! The citizens' applications: preferences and language in context, the router, the page chrome,
//! and the error boundary around the pages. Each service is its own bundle (`portal_core::bundle`)
//! with its own routes here; an address of another bundle is loaded as a new page.

use leptos::prelude::*;
use portal_core::bundle::Bundle;

use crate::{
    boot,
    components::{footer::Footer, header::Header, status::PageError},
    i18n::use_i18n,
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
    prefs,
    router::{self, use_location, Route, Router, Routes, Scope},
    search::SearchDraft,
};

/// Starts a bundle in place of the static first paint: the pages of `bundle`, at `routes`.
pub fn mount(bundle: Bundle, routes: &'static [Route]) {
    boot::mount(move || view! { <App bundle routes/> });
}

/// The portal's own pages: home, lookup, notices, partners, and the 404 page for every address
/// no bundle claims.
pub const PORTAL_ROUTES: &[Route] = &[
    ("/", || view! { <Home/> }.into_any()),
    ("/lookup", || view! { <Lookup/> }.into_any()),
    ("/notices/:id", || view! { <Notice/> }.into_any()),
    ("/partners", || view! { <Partners/> }.into_any()),
];

/// Reward notices.
pub const REWARDS_ROUTES: &[Route] = &[
    ("/rewards", || view! { <Rewards/> }.into_any()),
    ("/rewards/:id", || view! { <Reward/> }.into_any()),
];

/// Tips: filing one, and its status.
pub const TIPS_ROUTES: &[Route] = &[
    ("/tips/new", || view! { <TipForm/> }.into_any()),
    ("/tips/status", || view! { <TipStatusPage/> }.into_any()),
];

/// Certificates of self-performance.
pub const CERTIFICATES_ROUTES: &[Route] = &[
    ("/certificates", || view! { <Certificates/> }.into_any()),
    ("/certificates/apply", || {
        view! { <CertificateApply/> }.into_any()
    }),
    ("/certificates/status", || {
        view! { <CertificateStatusPage/> }.into_any()
    }),
    ("/certificates/confirm", || {
        view! { <CreditorConfirm/> }.into_any()
    }),
];

/// The parties' desk: sign-in, cases, requests, who checked.
pub const PARTIES_ROUTES: &[Route] = &[
    ("/parties", || view! { <PartySignInPage/> }.into_any()),
    ("/parties/cases", || view! { <PartyCasesPage/> }.into_any()),
    ("/parties/requests", || {
        view! { <PartyRequestsPage/> }.into_any()
    }),
    ("/parties/checks", || {
        view! { <PartyChecksPage/> }.into_any()
    }),
];

/// Declared payments: the debtor's declaration, the creditor's answer.
pub const PAYMENTS_ROUTES: &[Route] = &[
    ("/parties/declare", || {
        view! { <PartyDeclarePage/> }.into_any()
    }),
    ("/parties/confirm", || {
        view! { <PartyConfirmPage/> }.into_any()
    }),
];

/// Correction and reconsideration requests.
pub const CORRECTIONS_ROUTES: &[Route] = &[("/parties/request", || {
    view! { <PartyRequestPage/> }.into_any()
})];

/// An address none of this bundle's routes matches: this bundle's 404 page when the address is
/// its own, else the address loaded as a new page, which the server answers with its bundle.
#[component]
fn Elsewhere() -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    if router::owns(&path) {
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
fn App(bundle: Bundle, routes: &'static [Route]) -> impl IntoView {
    let i18n = prefs::provide();
    SearchDraft::provide();

    // Pages render their strings as plain text for the language of the moment; switching the
    // language renders them again (the address, preferences and sign-in are kept).
    view! {
        <Router scope=Scope::Citizens(bundle)>
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
fn Shell(routes: &'static [Route]) -> impl IntoView {
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
            <ErrorBoundary fallback=|_| view! { <PageError/> }>
                <Routes routes fallback=|| view! { <Elsewhere/> }.into_any()/>
            </ErrorBoundary>
        </main>
        <Footer/>
    }
}
