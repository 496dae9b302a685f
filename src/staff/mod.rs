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
use portal_lite::chrome;

use crate::{
    components::{button::ButtonLink, fetch::Fetch, status::PageError},
    i18n::use_i18n,
    prefs::{self, ElderMode},
    router::{use_location, Route, Router, Routes, Scope},
};
use login::StaffLogin;

pub fn mount() {
    portal_lite::refresh_when_restored();
    leptos::mount::mount_to_body(Console);
}

#[component]
fn Console() -> impl IntoView {
    let i18n = prefs::provide();
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
    let lang = i18n.lang_now();
    let (party, s) = (i18n.tr_now().party(), i18n.staff_now());
    let elder = expect_context::<ElderMode>().0;
    let path = use_location().pathname;
    // Asked again on every navigation, so the parties' desk's queues appear after signing in and
    // go after signing out; they are for the roles that review (admin, reviewer): an editor has
    // nothing to decide there.
    let me = LocalResource::new(move || {
        path.track();
        crate::api::staff_me(lang)
    });
    let reviews = Memo::new(move |_| {
        me.get()
            .and_then(|r| r.ok().flatten())
            .is_some_and(|who| matches!(who.role.as_str(), "admin" | "reviewer"))
    });
    // The citizens' header (portal_lite::chrome), with the console's name and navigation; it is
    // rendered anew only when the review queues come or go, so focus stays on a switch or link.
    let html = move || {
        let mut entries = vec![
            ("/staff/tips", s.nav_tips),
            ("/staff/certificates", s.nav_certificates),
        ];
        if reviews.get() {
            entries.push(("/staff/party/requests", party.staff_nav_requests));
            entries.push(("/staff/party/declarations", party.staff_nav_declarations));
        }
        entries.extend([
            ("/staff/articles", s.nav_articles),
            ("/staff/exposure", s.nav_exposure),
            ("/staff/login", s.sign_in_title),
        ]);
        chrome::console_header_html(
            lang,
            &path.get_untracked(),
            elder.get_untracked(),
            ("/staff/tips", s.console),
            s.nav_label,
            &entries,
        )
    };
    Effect::new(move |_| {
        reviews.track();
        chrome::mark_current(&path.get());
    });
    Effect::new(move |_| chrome::mark_elder(elder.get()));
    let on_click = crate::components::header::switches(i18n, elder);
    view! {
        <div class="site-chrome" on:click=on_click inner_html=html></div>
        <main id="main" tabindex="-1">
            // A page that fails shows what happened and a way on, never a blank console.
            <ErrorBoundary fallback=|_| view! { <PageError home="/staff/tips"/> }>
                <Routes routes=ROUTES fallback=queue/>
            </ErrorBoundary>
        </main>
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
