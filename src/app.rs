//! The application: preferences and language in context, the router, the page chrome, and the
//! error boundary around the pages.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::{
    boot,
    components::{footer::Footer, header::Header, status::PageError},
    i18n::I18n,
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

/// Starts the portal in place of the static first paint.
pub fn mount() {
    boot::mount(App);
}

#[component]
pub fn App() -> impl IntoView {
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
                view! { <Shell/> }
            }}
        </Router>
    }
}

/// Header, the routed page and footer. A page that fails to render is replaced by an apology with
/// a way on, not a blank screen.
#[component]
fn Shell() -> impl IntoView {
    view! {
        <Header/>
        <main id="main" tabindex="-1">
            <ErrorBoundary fallback=|_| view! { <PageError/> }>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=Home/>
                    <Route path=path!("/lookup") view=Lookup/>
                    <Route path=path!("/notices/:id") view=Notice/>
                    <Route path=path!("/partners") view=Partners/>
                    <Route path=path!("/rewards") view=Rewards/>
                    <Route path=path!("/rewards/:id") view=Reward/>
                    <Route path=path!("/tips/new") view=TipForm/>
                    <Route path=path!("/tips/status") view=TipStatusPage/>
                    <Route path=path!("/certificates") view=Certificates/>
                    <Route path=path!("/certificates/apply") view=CertificateApply/>
                    <Route path=path!("/certificates/status") view=CertificateStatusPage/>
                    <Route path=path!("/certificates/confirm") view=CreditorConfirm/>
                    <Route path=path!("/parties") view=PartySignInPage/>
                    <Route path=path!("/parties/cases") view=PartyCasesPage/>
                    <Route path=path!("/parties/declare") view=PartyDeclarePage/>
                    <Route path=path!("/parties/request") view=PartyRequestPage/>
                    <Route path=path!("/parties/requests") view=PartyRequestsPage/>
                    <Route path=path!("/parties/checks") view=PartyChecksPage/>
                    <Route path=path!("/parties/confirm") view=PartyConfirmPage/>
                </Routes>
            </ErrorBoundary>
        </main>
        <Footer/>
    }
}
