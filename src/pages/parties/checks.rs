//! `/parties/checks`: who checked me — every check of the party's ID in the last six months, by
//! date, channel, partner and declared purpose. Never a staff member, never an address.

use leptos::prelude::*;
use portal_core::{api::PartyChecks, time::beijing_time};

use super::{Expiry, SignedIn};
use crate::{
    api::{self, ApiError},
    components::{fetch::Fetch, title::PageTitle},
    i18n::{strings, use_i18n},
};

#[component]
pub fn PartyChecksPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let expiry = Expiry::new();
    // Asked at once, beside the session.
    let found =
        LocalResource::new(move || async move { expiry.check(api::party_checks(lang).await) });
    view! {
        <PageTitle text=t.checks_title/>
        <section class="page page--narrow">
            <SignedIn let:_session>
                <h1>{t.checks_title}</h1>
                <p class="lead">{t.checks_intro}</p>
                <p class="muted small">{t.checks_kept}</p>
                <Checks found/>
            </SignedIn>
        </section>
    }
}

#[component]
fn Checks(found: LocalResource<Result<PartyChecks, ApiError>>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    view! {
        <Fetch resource=found let:found>
            {if found.checks.is_empty() {
                view! { <p class="empty" role="status">{t.checks_empty}</p> }.into_any()
            } else {
                view! {
                    <p class="results__count" role="status">{(t.checks_count)(found.checks.len())}</p>
                    <ol class="party-checks">
                        {found.checks.into_iter().map(|c| view! {
                            <li class="card">
                                <p><strong>{(t.beijing)(&beijing_time(&c.at))}</strong></p>
                                <dl class="facts facts--compact">
                                    <div><dt>{t.channel}</dt><dd>{c.channel.label(lang)}</dd></div>
                                    <div><dt>{t.partner}</dt><dd>{c.partner.unwrap_or_else(|| t.no_partner.to_owned())}</dd></div>
                                    {c.purpose.map(|p| view! { <div><dt>{t.purpose}</dt><dd>{p}</dd></div> })}
                                </dl>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </Fetch>
    }
}
