//! The lookup page: search by name (grouped by subject) and the exact check ("verify").
//!
//! What is searched lives in the address ([`LookupAddress`]), so results are shareable and the
//! back button works; an ID number is held in memory only ([`SearchDraft`]) and sent in the
//! request body.

use crate::router::{use_navigate, use_query_map, A};
use leptos::prelude::*;
use portal_core::{
    api::{LookupRequest, LookupResponse, SubjectResult, VerifyRequest, VerifyResponse},
    lookup::{LookupQuery, VerifyQuery, MAX_PAGE},
    notice::SubjectType,
    region::PROVINCES,
    Invalid,
};

use crate::{
    api,
    components::{
        badges::{AsOf, ListBadges},
        button::{Button, ButtonLink, ButtonVariant},
        fetch::Fetch,
        field::{focus_first_invalid, show_errors, SelectField, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::use_i18n,
    search::{LookupAddress, SearchDraft, NAME_INPUT_ID},
};

#[component]
pub fn Lookup() -> impl IntoView {
    let tr = use_i18n().tr_now();
    let t = tr.lookup();
    let query = use_query_map();
    let verify_tab = move || LookupAddress::from_query(&query.read()).verify;
    view! {
        <PageTitle text=tr.chrome().nav_lookup/>
        <section class="page">
            <h1>{t.heading}</h1>
            <nav class="tabs" aria-label=t.tabs_label>
                <a href=LookupAddress::default().href() class="tabs__tab" aria-current=move || (!verify_tab()).then_some("page")>
                    {t.tab_search}
                </a>
                <a href=LookupAddress::verify().href() class="tabs__tab" aria-current=move || verify_tab().then_some("page")>
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
    let (t, lang) = (i18n.tr_now().lookup(), i18n.lang_now());
    let query = use_query_map();
    let draft = expect_context::<SearchDraft>();
    let navigate = use_navigate();
    let address = move || LookupAddress::from_query(&query.read());

    let shown = address();
    let name = RwSignal::new(shown.name);
    let id_number = RwSignal::new(draft.0.get_untracked().unwrap_or_default());
    let region = RwSignal::new(shown.region);
    let name_error = RwSignal::new(None::<Invalid>);
    let id_error = RwSignal::new(None::<Invalid>);
    let region_error = RwSignal::new(None::<Invalid>);

    // `Ok(None)` until there is a name to search for.
    let results = LocalResource::new(move || {
        let address = address();
        let request = LookupRequest {
            name: address.name,
            id_number: draft.0.get(),
            region: Some(address.region).filter(|r| !r.is_empty()),
            page: Some(address.page),
        };
        async move {
            if request.name.trim().is_empty() {
                Ok(None)
            } else {
                api::lookup(&request, lang).await.map(Some)
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
                show_errors(
                    &[],
                    &[
                        ("name", name_error),
                        ("id_number", id_error),
                        ("region", region_error),
                    ],
                );
                draft.0.set(q.subject_id.map(|id| id.as_str().to_owned()));
                let address = LookupAddress {
                    region: q.province.map(|p| p.code.to_owned()).unwrap_or_default(),
                    ..LookupAddress::search(q.name.display())
                };
                navigate(&address.href(), Default::default());
            }
            Err(errors) => {
                show_errors(
                    &errors,
                    &[
                        ("name", name_error),
                        ("id_number", id_error),
                        ("region", region_error),
                    ],
                );
                focus_first_invalid();
            }
        }
    };

    let provinces = PROVINCES
        .iter()
        .map(|p| (p.code.to_owned(), p.name(lang).to_owned()))
        .collect();
    view! {
        <form class="search-card" role="search" novalidate on:submit=submit>
            <TextField id=NAME_INPUT_ID label=t.name hint=t.name_hint
                value=name error=name_error required=true autocomplete="name"/>
            <TextField id="search-id" label=t.id hint=t.id_hint value=id_number error=id_error/>
            <SelectField id="search-region" label=t.region placeholder=t.region_any options=provinces
                value=region error=region_error/>
            <Button submit=true block=true>{t.submit}</Button>
        </form>
        <section aria-labelledby="results-heading" class="results">
            <h2 id="results-heading" class="visually-hidden">{t.results_heading}</h2>
            <Fetch resource=results keep_previous=true let:found>
                {match found {
                    None => view! { <p class="muted">{t.start_hint}</p> }.into_any(),
                    Some(found) => view! { <Results found name=address().name/> }.into_any(),
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn Results(found: LookupResponse, name: String) -> impl IntoView {
    let t = use_i18n().tr_now().lookup();
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
    let page_link = move |page: u32| {
        LookupAddress {
            page,
            ..LookupAddress::from_query(&query.read())
        }
        .href()
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
                {(page > 1).then(|| view! {
                    <ButtonLink href=page_link(page - 1) variant=ButtonVariant::Secondary>{t.page_prev}</ButtonLink>
                })}
                <span class="pager__where">{(t.page_of)(page.into(), pages.into())}</span>
                {(page < pages).then(|| view! {
                    <ButtonLink href=page_link(page + 1) variant=ButtonVariant::Secondary>{t.page_next}</ButtonLink>
                })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn SubjectCard(subject: SubjectResult) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now().lookup(), i18n.lang_now());
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
                            <A href=format!("/notices/{}", n.id) class="case__number">{n.case_number.clone()}</A>
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
    let (t, lang) = (i18n.tr_now().lookup(), i18n.lang_now());
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
        let errors = VerifyQuery::parse(&request).err().unwrap_or_default();
        show_errors(&errors, &[("name", name_error), ("id_number", id_error)]);
        if errors.is_empty() {
            check.dispatch(request);
        } else {
            focus_first_invalid();
        }
    };
    let pending = check.pending();
    view! {
        <p class="lead">{t.verify_intro}</p>
        <form class="search-card" novalidate on:submit=submit>
            <TextField id="verify-name" label=t.name value=name error=name_error required=true/>
            <TextField id="verify-id" label=t.verify_id value=id_number error=id_error required=true/>
            <Button submit=true block=true disabled=pending>
                {move || if pending.get() { t.verify_checking } else { t.verify_submit }}
            </Button>
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
    let t = use_i18n().tr_now().lookup();
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
