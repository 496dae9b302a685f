//! The lookup page: search by name (grouped by subject) and the exact check ("verify").
//!
//! The name, province and page live in the address, so results are shareable and the back button
//! works; an ID number is held in memory only ([`SearchDraft`]) and sent in the request body.

use leptos::prelude::*;
use leptos_router::{
    components::A,
    hooks::{use_navigate, use_query_map},
};
use portal_core::{
    api::{LookupRequest, LookupResponse, SubjectResult, VerifyRequest, VerifyResponse},
    lookup::{LookupQuery, VerifyQuery, MAX_PAGE},
    notice::SubjectType,
    region::PROVINCES,
    FieldError, Invalid,
};

use crate::{
    api,
    components::title::PageTitle,
    components::{
        badges::{AsOf, ListBadges},
        field::{focus_first_invalid, TextField},
        status::{ErrorNotice, Loading},
    },
    i18n::{use_i18n, Tr},
    pages::home::encode_query,
};

/// An ID number typed on another page, handed to the lookup page in memory: ID numbers never
/// travel in addresses.
#[derive(Clone, Copy)]
pub struct SearchDraft(pub RwSignal<Option<String>>);

/// Shows each rejection under its own field.
fn show_errors(errors: &[FieldError], fields: &[(&str, RwSignal<Option<Invalid>>)]) {
    for (name, signal) in fields {
        signal.set(
            errors
                .iter()
                .find(|e| e.field == *name)
                .map(|e| e.invalid.clone()),
        );
    }
}

#[component]
pub fn Lookup() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let query = use_query_map();
    let verify_tab = move || query.read().get("tab").as_deref() == Some("verify");
    view! {
        <PageTitle text=t.nav_lookup/>
        <section class="page">
            <h1>{t.lookup_heading}</h1>
            <nav class="tabs" aria-label=t.tabs_label>
                <a href="/lookup" class="tabs__tab" aria-current=move || (!verify_tab()).then_some("page")>
                    {t.tab_search}
                </a>
                <a href="/lookup?tab=verify" class="tabs__tab" aria-current=move || verify_tab().then_some("page")>
                    {t.tab_verify}
                </a>
            </nav>
            <Show when=verify_tab fallback=|| view! { <SearchPanel/> }>
                <VerifyPanel/>
            </Show>
        </section>
    }
}

#[component]
fn SearchPanel() -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let query = use_query_map();
    let draft = expect_context::<SearchDraft>();
    let navigate = use_navigate();

    let url_name = move || query.read().get("name").unwrap_or_default();
    let url_region = move || query.read().get("region").unwrap_or_default();
    let url_page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(1)
    };

    let name = RwSignal::new(url_name());
    let id_number = RwSignal::new(draft.0.get_untracked().unwrap_or_default());
    let region = RwSignal::new(url_region());
    let name_error = RwSignal::new(None::<Invalid>);
    let id_error = RwSignal::new(None::<Invalid>);

    let results = LocalResource::new(move || {
        let request = LookupRequest {
            name: url_name(),
            id_number: draft.0.get(),
            region: Some(url_region()).filter(|r| !r.is_empty()),
            page: Some(url_page()),
        };
        let lang = i18n.signal().get_untracked();
        async move {
            if request.name.trim().is_empty() {
                None
            } else {
                Some(api::lookup(&request, lang).await)
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = LookupRequest {
            name: name.get_untracked(),
            id_number: Some(id_number.get_untracked()),
            region: Some(region.get_untracked()),
            page: None,
        };
        match LookupQuery::parse(&request) {
            Ok(q) => {
                name_error.set(None);
                id_error.set(None);
                draft.0.set(q.subject_id.map(|id| id.as_str().to_owned()));
                let mut url = format!("/lookup?name={}", encode_query(q.name.display()));
                if let Some(p) = q.province {
                    url.push_str(&format!("&region={}", p.code));
                }
                navigate(&url, Default::default());
            }
            Err(errors) => {
                show_errors(&errors, &[("name", name_error), ("id_number", id_error)]);
                focus_first_invalid();
            }
        }
    };

    view! {
        <form class="search-card" role="search" novalidate on:submit=submit>
            <TextField id="search-name" label=|t| t.search_name hint=|t: &'static Tr| t.search_name_hint
                value=name error=name_error required=true autocomplete="name"/>
            <TextField id="search-id" label=|t| t.search_id hint=|t: &'static Tr| t.search_id_hint
                value=id_number error=id_error/>
            <div class="field">
                <label class="field__label" for="search-region">{t.search_region}</label>
                <select id="search-region" class="field__input" prop:value=move || region.get()
                    on:change=move |ev| region.set(event_target_value(&ev))>
                    <option value="">{t.region_any}</option>
                    {PROVINCES.iter().map(|p| view! {
                        <option value=p.code>{p.name(lang)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--primary button--block">{t.search_submit}</button>
        </form>
        <section aria-labelledby="results-heading" class="results">
            <h2 id="results-heading" class="visually-hidden">{t.results_heading}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || results.get().map(|outcome| match outcome {
                    None => view! { <p class="muted">{t.search_start_hint}</p> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e on_retry=Callback::new(move |_| results.refetch())/> }.into_any(),
                    Some(Ok(found)) => view! { <Results found name=url_name()/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Results(found: LookupResponse, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let query = use_query_map();
    if found.subjects.is_empty() {
        return view! {
            <div class="empty" role="status">
                <p class="empty__title">{(t.no_results)(&name)}</p>
                <p class="muted">{t.no_results_note}</p>
                <AsOf as_of=found.as_of.clone()/>
            </div>
        }
        .into_any();
    }
    let pages = found.total.div_ceil(found.page_size).clamp(1, MAX_PAGE);
    let page = found.page;
    let page_link = move |p: u32| {
        let q = query.read();
        let mut url = format!(
            "/lookup?name={}",
            encode_query(&q.get("name").unwrap_or_default())
        );
        if let Some(r) = q.get("region").filter(|r| !r.is_empty()) {
            url.push_str(&format!("&region={r}"));
        }
        if p > 1 {
            url.push_str(&format!("&page={p}"));
        }
        url
    };
    view! {
        <p class="results__count" role="status">{(t.results_count)(found.total)}</p>
        <AsOf as_of=found.as_of.clone()/>
        {found.too_many.then(|| view! { <p class="notice notice--warn">{t.too_many}</p> })}
        <ol class="subjects">
            {found.subjects.into_iter().map(|s| view! { <li><SubjectCard subject=s/></li> }).collect_view()}
        </ol>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t.page_nav_label>
                {(page > 1).then(|| view! { <A href=page_link(page - 1) attr:class="button button--secondary">{t.page_prev}</A> })}
                <span class="pager__where">{(t.page_of)(page, pages)}</span>
                {(page < pages).then(|| view! { <A href=page_link(page + 1) attr:class="button button--secondary">{t.page_next}</A> })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn SubjectCard(subject: SubjectResult) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let kind = SubjectType::parse(&subject.subject_type);
    view! {
        <article class="subject">
            <header class="subject__head">
                <h3 class="subject__name">{subject.name.clone()}</h3>
                {kind.map(|k| view! { <span class="badge badge--plain">{k.label(lang)}</span> })}
            </header>
            <p class="subject__id"><span class="muted">{t.id_label}" "</span><span class="mono">{subject.masked_id.clone()}</span></p>
            <ListBadges lists=subject.lists.clone()/>
            <h4 class="subject__cases">{t.cases_label}</h4>
            <ul class="cases">
                {subject.notices.into_iter().map(|n| {
                    let published = n.published_on.clone();
                    let filed = n.filed_on.clone();
                    view! {
                        <li class="case">
                            <A href=format!("/notices/{}", n.id) attr:class="case__number">{n.case_number.clone()}</A>
                            <span class="case__court">{n.court.clone()}</span>
                            <span class="case__dates muted">
                                {format!("{} {} · {} {}", t.filed_label, filed, t.published_label, published)}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </article>
    }
}

#[component]
fn VerifyPanel() -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<Invalid>);
    let id_error = RwSignal::new(None::<Invalid>);
    let check = Action::new_local(move |request: &VerifyRequest| {
        let request = request.clone();
        async move { api::verify(&request, lang).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = VerifyRequest {
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
        };
        match VerifyQuery::parse(&request) {
            Ok(_) => {
                name_error.set(None);
                id_error.set(None);
                check.dispatch(request);
            }
            Err(errors) => {
                show_errors(&errors, &[("name", name_error), ("id_number", id_error)]);
                focus_first_invalid();
            }
        }
    };
    view! {
        <p class="lead">{t.verify_intro}</p>
        <form class="search-card" novalidate on:submit=submit>
            <TextField id="verify-name" label=|t| t.search_name value=name error=name_error required=true/>
            <TextField id="verify-id" label=|t| t.verify_id value=id_number error=id_error required=true/>
            <button type="submit" class="button button--primary button--block" disabled=move || check.pending().get()>
                {move || if check.pending().get() { t.verify_checking } else { t.verify_submit }}
            </button>
        </form>
        <div aria-live="polite">
            {move || check.value().get().map(|outcome| match outcome {
                Ok(answer) => view! { <VerifyAnswer answer/> }.into_any(),
                Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
            })}
        </div>
    }
}

#[component]
fn VerifyAnswer(answer: VerifyResponse) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let listed = answer.listed;
    view! {
        <div class="verdict" class:verdict--listed=listed class:verdict--clear=!listed>
            <p class="verdict__title">
                {if listed { t.verify_listed } else { t.verify_not_listed }}
            </p>
            {if listed {
                view! { <ListBadges lists=answer.lists.clone()/> }.into_any()
            } else {
                view! { <p>{t.verify_not_listed_note}</p> }.into_any()
            }}
            <AsOf as_of=answer.as_of.clone()/>
        </div>
    }
}
