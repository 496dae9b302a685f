//! The staff console: its own bundle (`staff.html`, served under `/staff/`), so citizens never
//! download it. Sign-in, navigation, the court's tips queue, its certificate applications and the
//! parties' desk (requests and declared payments); later services add their screens here.

mod articles;
mod certificates;
mod exposure;
mod login;
mod party;
mod tips;

use leptos::prelude::*;

use crate::{
    components::{button::ButtonLink, fetch::Fetch, status::PageError},
    i18n::{use_i18n, I18n, Lang},
    prefs,
    router::{Route, Router, Routes, Scope, A},
};
use login::StaffLogin;

pub fn mount() {
    portal_lite::refresh_when_restored();
    leptos::mount::mount_to_body(Console);
}

#[component]
fn Console() -> impl IntoView {
    let i18n = I18n::new(prefs::stored_lang());
    provide_context(i18n);
    Effect::new(move |_| {
        let lang = i18n.lang();
        prefs::apply_lang(lang);
        prefs::store_lang(lang);
    });
    view! {
        <Router scope=Scope::Staff>
            {move || {
                i18n.lang();
                view! { <Shell/> }
            }}
        </Router>
    }
}

/// The console's screens; any other address under `/staff/` shows the tips queue.
const ROUTES: &[Route] = &[
    ("/staff/login", || view! { <StaffLogin/> }.into_any()),
    ("/staff/tips", queue),
    ("/staff/tips/:id", || {
        view! { <SignedInOnly><tips::Detail/></SignedInOnly> }.into_any()
    }),
    ("/staff/certificates", || {
        view! { <SignedInOnly><certificates::Applications/></SignedInOnly> }.into_any()
    }),
    ("/staff/party/requests", || {
        view! { <SignedInOnly><party::Requests/></SignedInOnly> }.into_any()
    }),
    ("/staff/party/declarations", || {
        view! { <SignedInOnly><party::Declarations/></SignedInOnly> }.into_any()
    }),
    ("/staff/articles", || {
        view! { <SignedInOnly><articles::Articles/></SignedInOnly> }.into_any()
    }),
    ("/staff/exposure", || {
        view! { <SignedInOnly><exposure::Board/></SignedInOnly> }.into_any()
    }),
];

fn queue() -> AnyView {
    view! { <SignedInOnly><tips::Queue/></SignedInOnly> }.into_any()
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let (tr, lang) = (i18n.tr_now(), i18n.lang_now());
    let (t, s) = (tr.chrome(), i18n.staff_now());
    view! {
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/staff/tips" class="brand">
                    <img class="brand__emblem" src="/icons/icon.svg" alt="" width="36" height="36"/>
                    <span class="brand__text"><span class="brand__name">{t.site_name}" · "{s.console}</span></span>
                </A>
                <div class="site-header__tools">
                    <button type="button" class="tool-button" aria-label=t.switch_language_label
                        lang=match lang { Lang::Zh => "en", Lang::En => "zh-CN" }
                        on:click=move |_| i18n.toggle()>
                        {t.switch_language}
                    </button>
                </div>
            </div>
            <div class="site-nav-band">
                <nav class="site-nav" aria-label=s.nav_label>
                    <A href="/staff/tips" class="site-nav__link">{s.nav_tips}</A>
                    <A href="/staff/certificates" class="site-nav__link">{s.nav_certificates}</A>
                    <ReviewLinks/>
                    <A href="/staff/articles" class="site-nav__link">{s.nav_articles}</A>
                    <A href="/staff/exposure" class="site-nav__link">{s.nav_exposure}</A>
                    <A href="/staff/login" class="site-nav__link">{s.sign_in_title}</A>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1">
            // A page that fails shows what happened and a way on, never a blank console.
            <ErrorBoundary fallback=|_| view! { <PageError home="/staff/tips"/> }>
                <Routes routes=ROUTES fallback=queue/>
            </ErrorBoundary>
        </main>
    }
}

/// The parties' desk's queues, for the roles that review (admin, reviewer): an editor has nothing
/// to decide there. Nothing is shown while the role is not known, or to nobody signed in.
#[component]
fn ReviewLinks() -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now().party(), i18n.lang_now());
    // Asked again on every navigation, so the links appear after signing in and go after
    // signing out.
    let path = crate::router::use_location().pathname;
    let me = LocalResource::new(move || {
        path.track();
        crate::api::staff_me(lang)
    });
    let reviews = move || {
        me.get()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|who| matches!(who.role.as_str(), "admin" | "reviewer"))
    };
    view! {
        <Show when=reviews>
            <A href="/staff/party/requests" class="site-nav__link">{t.staff_nav_requests}</A>
            <A href="/staff/party/declarations" class="site-nav__link">{t.staff_nav_declarations}</A>
        </Show>
    }
}

/// Shows its children to a signed-in member, and the way to sign in to anyone else.
#[component]
fn SignedInOnly(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let (s, lang) = (i18n.staff_now(), i18n.lang_now());
    let me = LocalResource::new(move || crate::api::staff_me(lang));
    let children = StoredValue::new(children);
    view! {
        <Fetch resource=me let:who>
            {match who {
                Some(_) => children.with_value(|c| c()).into_any(),
                None => view! {
                    <section class="page page--narrow">
                        <p class="lead">{s.sign_in_first}</p>
                        <p><ButtonLink href="/staff/login">{s.sign_in}</ButtonLink></p>
                    </section>
                }.into_any(),
            }}
        </Fetch>
    }
}
