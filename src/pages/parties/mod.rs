//! The parties' desk (issue 18, DESIGN §7.8): the people the cases are about sign in with name,
//! ID number and the access code from the court's letter, and then see their cases with every
//! listing about them, the risk notice before enforcement, declare payments, ask for corrections
//! with their legal clocks, and see who checked them. The creditor signs in the same way, with
//! their own access code, and answers the payments the debtor declared.
//!
//! - `signin`: `/parties`, what the desk is, and the sign-in form.
//! - `cases`: `/parties/cases`, every case as a card, its listings, the risk notice, the actions.
//! - `declare`: `/parties/declare?case=…`, a declared payment and its receipt.
//! - `request`: `/parties/request?notice=…&kind=…`, a correction or reconsideration request.
//! - `requests`: `/parties/requests`, every request with its clocks.
//! - `checks`: `/parties/checks`, who checked me.
//! - `confirm`: `/parties/confirm?declaration=…`, the signed-in creditor confirms or disputes a
//!   declared payment.
//!
//! The session is the server's HttpOnly cookie; a page learns it ended from a 401 and goes back
//! to the sign-in page, which says so.

mod cases;
mod checks;
mod confirm;
mod declare;
mod request;
mod requests;
mod signin;

use std::{rc::Rc, time::Duration};

use crate::router::{use_navigate, NavigateOptions, A};
use chrono::NaiveDate;
use leptos::prelude::*;
use portal_core::{
    api::PartySession,
    notice::parse_date,
    party::{display_yuan, parse_yuan},
    time::{court_today, now_ms, parse_rfc3339},
    Lang,
};

pub use cases::PartyCasesPage;
pub use checks::PartyChecksPage;
pub use confirm::PartyConfirmPage;
pub use declare::PartyDeclarePage;
pub use request::PartyRequestPage;
pub use requests::PartyRequestsPage;
pub use signin::PartySignInPage;

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonSize, ButtonVariant},
        fetch::Fetch,
        status::ErrorNotice,
    },
    draft,
    i18n::{strings, use_i18n},
};

/// Where a party signs in; `?expired=1` says the session ended, `?signed_out=1` that they left.
const SIGN_IN: &str = "/parties";
const CASES: &str = "/parties/cases";
/// Every draft of the desk's forms starts with this; signing out removes them.
const DRAFTS: &str = "portal.party-";

/// Sends the party back to the sign-in page once the server no longer knows their session. A
/// copyable handle, so reactive closures and async blocks can hold it.
#[derive(Clone, Copy)]
struct Expiry(StoredValue<Rc<dyn Fn()>, LocalStorage>);

impl Expiry {
    fn new() -> Self {
        let navigate = use_navigate();
        let go: Rc<dyn Fn()> = Rc::new(move || {
            navigate(
                &format!("{SIGN_IN}?expired=1"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            )
        });
        Expiry(StoredValue::new_local(go))
    }

    /// Goes to the sign-in page — on the next turn of the event loop, so that the page leaving
    /// is not the one still running this call.
    fn now(self) {
        if let Some(go) = self.0.try_get_value() {
            set_timeout(move || go(), Duration::ZERO);
        }
    }

    /// Passes `result` on; a 401 (the session ended) also goes back to sign in.
    fn check<T>(self, result: Result<T, ApiError>) -> Result<T, ApiError> {
        if matches!(&result, Err(e) if e.status() == Some(401)) {
            self.now();
        }
        result
    }
}

/// A signed-in party's page: the bar with who is signed in, the desk's tabs and sign-out, then
/// `children` with the session. Signed out (or the session over), it goes back to sign in.
#[component]
fn SignedIn<F, V>(
    /// Renders the page for the signed-in party.
    children: F,
) -> impl IntoView
where
    F: Fn(PartySession) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang_now(), i18n.tr_now().party());
    let expiry = Expiry::new();
    let session = LocalResource::new(move || api::party_session(lang));
    view! {
        <Fetch resource=session let:found>
            {match found {
                Some(session) => view! {
                    <PartyBar session=session.clone() expiry/>
                    {children(session)}
                }.into_any(),
                None => {
                    expiry.now();
                    view! { <p class="status" role="status">{t.session_ended}</p> }.into_any()
                }
            }}
        </Fetch>
    }
}

/// Who is signed in and until when, the desk's tabs, and sign-out. The session ends on the
/// server at `expires_at` whatever happens; the page goes back to sign in at that moment.
#[component]
fn PartyBar(session: PartySession, expiry: Expiry) -> impl IntoView {
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang_now(), i18n.tr_now().party());
    let navigate = use_navigate();
    let ends = parse_rfc3339(&session.expires_at);
    if let Some(ends) = ends {
        // setTimeout takes at most 2^31-1 ms; a session is far shorter.
        let wait = (ends - now_ms()).clamp(0, i64::from(i32::MAX)) as u64;
        if let Ok(timer) =
            set_timeout_with_handle(move || expiry.now(), Duration::from_millis(wait))
        {
            on_cleanup(move || timer.clear());
        }
    }
    let until = ends.map(portal_core::time::beijing_hh_mm);
    let failed = RwSignal::new(None::<ApiError>);
    let sign_out = Action::new_local(move |_: &()| api::party_sign_out(lang));
    Effect::new(move |_| match sign_out.value().get() {
        // A 401: the session had ended already; the party is out either way.
        Some(result)
            if result
                .as_ref()
                .map_or_else(|e| e.status() == Some(401), |_| true) =>
        {
            draft::remove_all(DRAFTS);
            navigate(
                &format!("{SIGN_IN}?signed_out=1"),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
        Some(Err(e)) => failed.set(Some(e)),
        _ => {}
    });
    view! {
        <div class="party-bar">
            <p class="party-bar__who">
                <span>{(t.signed_in_as)(&session.name, &session.masked_id)}</span>
                {until.map(|u| view! { <span class="muted small">{(t.signed_in_until)(&u)}</span> })}
            </p>
            <Button variant=ButtonVariant::Secondary size=ButtonSize::Small disabled=sign_out.pending()
                on_click=move |_| { failed.set(None); sign_out.dispatch(()); }>
                {t.sign_out}
            </Button>
        </div>
        {move || failed.get().map(|e| view! { <ErrorNotice error=e/> })}
        <nav class="tabs party-tabs" aria-label=t.tabs_label>
            <A href=CASES class="tabs__tab">{t.tab_cases}</A>
            <A href="/parties/requests" class="tabs__tab">{t.tab_requests}</A>
            <A href="/parties/checks" class="tabs__tab">{t.tab_checks}</A>
        </nav>
    }
}

/// Moves keyboard focus to the element with `id` (a result's heading, an error), on the next
/// frame, once it is in the page.
fn focus_by_id(id: &'static str) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// `12,500.00 元` / `12,500.00 yuan`: an amount of the API (yuan as text) for reading.
fn yuan(amount: &str, lang: Lang) -> String {
    let shown = parse_yuan(amount).map_or_else(|_| amount.to_owned(), display_yuan);
    (strings(lang).party().yuan)(&shown)
}

/// An amount of the API in fen; zero for anything unreadable.
fn fen(amount: &str) -> i64 {
    parse_yuan(amount).unwrap_or(0)
}

/// Days from today at the courts to `date` (negative once past), or `None` for a date the API
/// should not have sent.
fn days_until(date: &str) -> Option<i64> {
    let date: NaiveDate = parse_date(date).ok()?;
    Some((date - court_today()).num_days())
}
