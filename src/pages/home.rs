//! Home page: the search box up front, what the portal offers, and live figures.

use crate::router::{use_navigate, A};
use leptos::prelude::*;
use portal_core::{notice::SubjectId, numbers::group_digits, Invalid, PersonName};

use crate::{
    api, boot,
    components::{
        button::Button,
        fetch::Fetch,
        field::{focus_first_invalid, TextField},
        title::PageTitle,
    },
    i18n::use_i18n,
    search::{LookupAddress, SearchDraft, LOOKUP_PATH, NAME_INPUT_ID},
};

#[component]
pub fn Home() -> impl IntoView {
    let t = use_i18n().tr_now().home();
    view! {
        <PageTitle text=t.title/>
        <section class="hero">
            <h1 class="hero__title">{t.heading}</h1>
            <p class="hero__intro">{t.intro}</p>
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
    let tr = use_i18n().tr_now();
    let (t, l) = (tr.home(), tr.lookup());
    let draft = expect_context::<SearchDraft>();
    let name = RwSignal::new(boot::take_boot_name().unwrap_or_default());
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
                &LookupAddress::search(n.display()).href(),
                Default::default(),
            );
        } else {
            focus_first_invalid();
        }
    };

    view! {
        <form class="search-card" role="search" novalidate on:submit=submit>
            <h2 class="search-card__title">{t.search_heading}</h2>
            <TextField id=NAME_INPUT_ID label=l.name hint=l.name_hint
                value=name error=name_error required=true autocomplete="name"/>
            <TextField id="search-id" label=l.id hint=l.id_hint value=id_number error=id_error/>
            <Button submit=true block=true>{l.submit}</Button>
            <p class="search-card__privacy">{t.search_privacy}</p>
        </form>
    }
}

#[component]
fn Services() -> impl IntoView {
    let t = use_i18n().tr_now().home();
    let card = |href: &'static str, title: &'static str, text: &'static str| {
        view! {
            <li class="service">
                <A href=href class="service__link">
                    <span class="service__title">{title}</span>
                    <span class="service__text">{text}</span>
                </A>
            </li>
        }
    };
    view! {
        <section class="section" aria-labelledby="services-heading">
            <h2 id="services-heading">{t.services_heading}</h2>
            <ul class="services">
                {card(LOOKUP_PATH, t.service_lookup, t.service_lookup_text)}
                {card("/rewards", t.service_rewards, t.service_rewards_text)}
                {card("/certificates", t.service_certificates, t.service_certificates_text)}
                {card("/parties", t.service_parties, t.service_parties_text)}
                {card("/publicity", t.service_publicity, t.service_publicity_text)}
            </ul>
        </section>
    }
}

/// Live figures from the server (a real database count, not a made-up number).
#[component]
fn Figures() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now().home();
    let lang = i18n.lang_now();
    let stats = LocalResource::new(move || api::stats(lang));
    view! {
        <section class="section" aria-labelledby="figures-heading">
            <h2 id="figures-heading">{t.stats_heading}</h2>
            <Fetch resource=stats unavailable=t.stats_unavailable let:stats>
                <dl class="figures">
                    <div class="figure">
                        <dt>{t.stats_public_notices}</dt>
                        <dd class="figure__value" data-testid="public-notices">{group_digits(stats.public_notices)}</dd>
                    </div>
                    // The publicity statistics' headline rates, each linked to its definition.
                    {stats.figures.iter().filter_map(|f| f.value.map(|v| (f.key, v))).map(|(key, v)| view! {
                        <div class="figure">
                            <dt>{key.label(lang)}</dt>
                            <dd class="figure__value">{format!("{:.1}%", v * 100.0)}</dd>
                        </div>
                    }).collect_view()}
                </dl>
                <p class="muted">
                    {t.stats_database}
                    {(!stats.figures.is_empty()).then(|| view! {
                        " · "<a href="/publicity/statistics" rel="external">{t.stats_how}</a>
                    })}
                </p>
                {(!stats.articles.is_empty()).then(|| view! {
                    <h3 class="latest__heading">{t.latest_articles}</h3>
                    <ul class="latest">
                        {stats.articles.iter().map(|a| view! {
                            <li>
                                <a href=format!("/publicity/{}", a.slug) rel="external">{a.title.clone()}</a>
                                <span class="muted">" · "{a.kind.label(lang)}" · "{a.published_on.clone()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                })}
            </Fetch>
        </section>
    }
}
