//! Home page: the search box up front, what the portal offers, and live figures.

use leptos::prelude::*;
use leptos_router::{components::A, hooks::use_navigate};
use portal_core::{notice::SubjectId, numbers::group_digits, Invalid, PersonName};

use crate::{
    api,
    components::title::PageTitle,
    components::{
        field::{focus_first_invalid, TextField},
        status::Loading,
    },
    i18n::{use_i18n, Tr},
    pages::lookup::SearchDraft,
};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    view! {
        <PageTitle text=t.home_title/>
        <section class="hero">
            <h1 class="hero__title">{t.home_heading}</h1>
            <p class="hero__intro">{t.home_intro}</p>
            <SearchForm/>
        </section>
        <Services/>
        <Figures/>
    }
}

/// Name plus optional ID, checked with `core`'s rules before anything is sent. The name goes into
/// the address (shareable, back button works); the ID never does.
#[component]
fn SearchForm() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let draft = expect_context::<SearchDraft>();
    let name = RwSignal::new(crate::app::take_boot_name().unwrap_or_default());
    let id_number = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<Invalid>);
    let id_error = RwSignal::new(None::<Invalid>);
    let navigate = use_navigate();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed_name = PersonName::parse(&name.get_untracked());
        let id_text = id_number.get_untracked();
        let parsed_id = if id_text.trim().is_empty() {
            Ok(None)
        } else {
            SubjectId::parse_any(&id_text).map(Some)
        };
        name_error.set(parsed_name.as_ref().err().cloned());
        id_error.set(parsed_id.as_ref().err().cloned());
        if let (Ok(n), Ok(id)) = (parsed_name, parsed_id) {
            draft.0.set(id.map(|id| id.as_str().to_owned()));
            navigate(
                &format!("/lookup?name={}", encode_query(n.display())),
                Default::default(),
            );
        } else {
            focus_first_invalid();
        }
    };

    view! {
        <form class="search-card" role="search" novalidate on:submit=submit>
            <h2 class="search-card__title">{t.search_heading}</h2>
            <TextField id="search-name" label=|t| t.search_name hint=|t: &'static Tr| t.search_name_hint
                value=name error=name_error required=true autocomplete="name"/>
            <TextField id="search-id" label=|t| t.search_id hint=|t: &'static Tr| t.search_id_hint
                value=id_number error=id_error/>
            <button type="submit" class="button button--primary button--block">
                {t.search_submit}
            </button>
            <p class="search-card__privacy">{t.search_privacy}</p>
        </form>
    }
}

/// Percent-encodes a query value (names are mostly CJK).
pub fn encode_query(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[component]
fn Services() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let card = move |href: &'static str,
                     title: fn(&'static Tr) -> &'static str,
                     text: fn(&'static Tr) -> &'static str| {
        view! {
            <li class="service">
                <A href=href attr:class="service__link">
                    <span class="service__title">{title(t)}</span>
                    <span class="service__text">{text(t)}</span>
                </A>
            </li>
        }
    };
    view! {
        <section class="section" aria-labelledby="services-heading">
            <h2 id="services-heading">{t.services_heading}</h2>
            <ul class="services">
                {card("/lookup", |t| t.service_lookup, |t| t.service_lookup_text)}
                {card("/rewards", |t| t.service_rewards, |t| t.service_rewards_text)}
                {card("/certificates", |t| t.service_certificates, |t| t.service_certificates_text)}
                {card("/publicity", |t| t.service_publicity, |t| t.service_publicity_text)}
            </ul>
        </section>
    }
}

/// Live figures from the server (a real database count, not a made-up number).
#[component]
fn Figures() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let stats = LocalResource::new(move || api::stats(i18n.signal().get_untracked()));
    view! {
        <section class="section" aria-labelledby="figures-heading">
            <h2 id="figures-heading">{t.stats_heading}</h2>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || stats.get().map(|result| match result {
                    Ok(h) => view! {
                        <dl class="figures">
                            <div class="figure">
                                <dt>{t.stats_public_notices}</dt>
                                <dd class="figure__value" data-testid="public-notices">{group_digits(h.public_notices)}</dd>
                            </div>
                        </dl>
                        <p class="muted">{t.stats_database}</p>
                    }.into_any(),
                    Err(_) => view! { <p class="muted" role="status">{t.stats_unavailable}</p> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
