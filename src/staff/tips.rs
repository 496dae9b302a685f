//! Reviewing tips: the court's queue (oldest first, filterable) and one tip with its evidence,
//! the other tips on the same debtor in receipt order, its history and the status change.

use crate::router::{use_navigate, use_params_map, use_query_map, A};
use leptos::prelude::*;
use portal_core::{
    tip::{StaffTipDetail, StaffTipsResponse, StatusChange, TipContact, TipKind, TipStatus},
    Invalid,
};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonVariant},
        fetch::Fetch,
        field::{SelectField, TextArea},
        status::ErrorNotice,
    },
    i18n::use_i18n,
    search::encode_query,
};

/// Beijing time to the minute: the courts' own clock.
fn when(rfc3339: &str) -> String {
    use portal_core::time::{beijing_minute, parse_rfc3339};
    parse_rfc3339(rfc3339).map_or_else(|| rfc3339.to_owned(), beijing_minute)
}

#[component]
pub fn Queue() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let s = i18n.staff_now();
    let query = use_query_map();
    let navigate = use_navigate();
    let api_query = move || {
        let q = query.read();
        ["status", "kind", "page"]
            .iter()
            .filter_map(|f| {
                q.get(f)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{f}={}", encode_query(&v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    // `Ok(None)`: this member's role may not review tips.
    let list = LocalResource::new(move || {
        let q = api_query();
        async move {
            match api::staff_tips(&q, lang).await {
                Err(e) if e.status() == Some(403) => Ok(None),
                answer => answer.map(Some),
            }
        }
    });
    let status = RwSignal::new(query.read_untracked().get("status").unwrap_or_default());
    let kind = RwSignal::new(query.read_untracked().get("kind").unwrap_or_default());
    let filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut parts = Vec::new();
        for (name, value) in [
            ("status", status.get_untracked()),
            ("kind", kind.get_untracked()),
        ] {
            if !value.is_empty() {
                parts.push(format!("{name}={value}"));
            }
        }
        navigate(
            &format!("/staff/tips?{}", parts.join("&")),
            Default::default(),
        );
    };
    view! {
        <section class="page">
            <h1>{s.queue_title}</h1>
            <p class="lead">{s.queue_intro}</p>
            <form class="card filters" role="search" on:submit=filter>
                <div class="filters__grid">
                    <SelectField id="q-status" label=s.filter_status placeholder=s.any value=status
                        options=TipStatus::ALL.iter().map(|st| (st.as_str().to_owned(), st.label(lang).to_owned())).collect()/>
                    <SelectField id="q-kind" label=s.filter_kind placeholder=s.any value=kind
                        options=TipKind::ALL.iter().map(|k| (k.as_str().to_owned(), k.label(lang).to_owned())).collect()/>
                </div>
                <Button submit=true>{s.filter_apply}</Button>
            </form>
            <Fetch resource=list keep_previous=true let:found>
                {match found {
                    Some(found) => view! { <QueueTable found/> }.into_any(),
                    None => view! { <p class="status status--error" role="alert">{s.forbidden}</p> }.into_any(),
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn QueueTable(found: StaffTipsResponse) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let s = i18n.staff_now();
    if found.tips.is_empty() {
        return view! { <p class="empty" role="status">{s.queue_empty}</p> }.into_any();
    }
    view! {
        <p class="results__count" role="status">{(s.queue_count)(found.total)}</p>
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{s.col_received}</th>
                        <th scope="col">{s.col_kind}</th>
                        <th scope="col">{s.col_status}</th>
                        <th scope="col">{s.col_files}</th>
                        <th scope="col">{s.col_assigned}</th>
                    </tr>
                </thead>
                <tbody>
                    {found.tips.into_iter().map(|tip| view! {
                        <tr>
                            <td>
                                <A href=format!("/staff/tips/{}", tip.id)>{(s.tip_title)(tip.id)}</A>
                                <br/>{when(&tip.received_at)}
                                <br/><span class="muted small">{(s.days)(tip.age_days)}</span>
                            </td>
                            <td>{tip.kind.label(lang)}</td>
                            <td><span class="badge badge--info">{tip.status.label(lang)}</span></td>
                            <td>{tip.files}</td>
                            <td>{tip.assigned_to.clone().unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn Detail() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let s = i18n.staff_now();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::staff_tip(id, lang).await }
    });
    view! {
        <section class="page">
            <p><A href="/staff/tips">{"← "}{s.back}</A></p>
            <Fetch resource=detail let:tip>
                <TipView tip reload=Callback::new(move |_| detail.refetch())/>
            </Fetch>
        </section>
    }
}

#[component]
fn TipView(tip: StaffTipDetail, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let s = i18n.staff_now();
    let id = tip.summary.id;
    let claim =
        Action::new_local(move |_: &()| async move { api::staff_tip_claim(id, lang).await });
    Effect::new(move |_| {
        if let Some(Ok(())) = claim.value().get() {
            reload.run(());
        }
    });
    view! {
        <h1>{(s.tip_title)(id)}" "<span class="badge badge--info">{tip.summary.status.label(lang)}</span></h1>
        <div class="card">
            <dl class="facts">
                <div><dt>{s.col_kind}</dt><dd>{tip.summary.kind.label(lang)}</dd></div>
                <div><dt>{s.received}</dt><dd>{when(&tip.summary.received_at)}</dd></div>
                {tip.summary.reward_id.map(|r| view! { <div><dt>{s.reward}</dt><dd><a href=format!("/rewards/{r}") rel="external">{format!("#{r}")}</a></dd></div> })}
                {tip.summary.notice_id.map(|n| view! { <div><dt>{s.notice}</dt><dd><a href=format!("/notices/{n}") rel="external">{format!("#{n}")}</a></dd></div> })}
                <div><dt>{s.place}</dt><dd>{tip.place.clone().unwrap_or_default()}</dd></div>
                <div><dt>{s.seen_on}</dt><dd>{tip.seen_on.clone().unwrap_or_default()}</dd></div>
                <div><dt>{s.assigned_to}</dt><dd>{tip.summary.assigned_to.clone().unwrap_or_default()}</dd></div>
            </dl>
            <h2>{s.description}</h2>
            <p class="prewrap">{tip.description.clone()}</p>
            {(!tip.additions.is_empty()).then(|| view! {
                <h2>{s.additions}</h2>
                <ol class="timeline">
                    {tip.additions.clone().into_iter().map(|a| view! {
                        <li class="timeline__step">
                            <span class="muted">{when(&a.at)}</span>
                            {(!a.files.is_empty()).then(|| view! {
                                <span class="muted small">{(s.addition_files)(&a.files)}</span>
                            })}
                            {(!a.description.is_empty()).then(|| view! { <p class="prewrap timeline__message">{a.description.clone()}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            })}
            <Button variant=ButtonVariant::Secondary on_click=move |_| { claim.dispatch(()); }>{s.claim}</Button>
        </div>
        <section class="card" aria-labelledby="files-heading">
            <h2 id="files-heading">{s.files}</h2>
            {if tip.files.is_empty() {
                view! { <p class="muted">{s.no_files}</p> }.into_any()
            } else {
                view! {
                    <p class="muted small">{s.original_note}</p>
                    <ul class="evidence">
                        {tip.files.clone().into_iter().map(|f| {
                            let base = format!("/api/v1/staff/tips/{id}/files/{}", f.n);
                            view! {
                                <li class="evidence__file">
                                    {if f.has_display {
                                        view! { <img src=base.clone() alt=f.name.clone() class="evidence__image" loading="lazy"/> }.into_any()
                                    } else {
                                        view! { <p class="muted">{s.no_display}</p> }.into_any()
                                    }}
                                    <p><span>{f.name.clone()}</span>" · "<span class="muted small">{f.content_type.clone()}{format!(" · {} KB", f.bytes / 1024)}</span></p>
                                    <a href=format!("{base}?variant=original") rel="external" class="button button--secondary button--small">{s.original}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <Contact id has_contact=tip.summary.has_contact/>
        <section class="card" aria-labelledby="dup-heading">
            <h2 id="dup-heading">{s.duplicates}</h2>
            <p class="muted small">{s.duplicates_intro}</p>
            <ol class="timeline">
                {tip.duplicates.clone().into_iter().map(|d| view! {
                    <li class="timeline__step">
                        <strong>{(s.position)(d.position)}</strong>
                        {if d.this { view! { <span>{(s.tip_title)(d.id)}{s.this_tip}</span> }.into_any() } else {
                            view! { <A href=format!("/staff/tips/{}", d.id)>{(s.tip_title)(d.id)}</A> }.into_any()
                        }}
                        <span class="muted">{when(&d.received_at)}</span>
                        <span class="badge badge--info">{d.status.label(lang)}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">{s.timeline}</h2>
            <ol class="timeline">
                {tip.timeline.clone().into_iter().map(|e| view! {
                    <li class="timeline__step">
                        <span class="badge badge--info">{e.status.label(lang)}</span>
                        <span class="muted">{when(&e.at)}</span>
                        {e.message.map(|m| view! { <p class="timeline__message">{m}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
        <StatusForm id from=tip.summary.status reload/>
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{s.audit}</h2>
            <p class="muted small">{s.audit_intro}</p>
            <ol class="timeline">
                {tip.audit.clone().into_iter().map(|e| view! {
                    <li class="timeline__step">
                        <span class="muted">{when(&e.at)}</span>
                        " "<strong>{e.staff.clone()}</strong>" "{(s.audit_action)(&e.action)}
                        {e.detail.map(|d| view! { <span class="muted small">" · "{d}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Contact(id: i64, has_contact: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let s = i18n.staff_now();
    let shown =
        Action::new_local(move |_: &()| async move { api::staff_tip_contact(id, lang).await });
    let contact_view = move |c: Option<TipContact>| match c {
        Some(c) => {
            view! { <p><strong>{c.name}</strong>" · "<span class="mono">{c.phone}</span></p> }
                .into_any()
        }
        None => view! { <p class="muted">{s.contact_none}</p> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{s.contact}</h2>
            {if has_contact {
                view! {
                    <p class="muted small">{s.contact_note}</p>
                    {move || match shown.value().get() {
                        Some(Ok(answer)) => contact_view(answer.contact),
                        Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                        None => view! {
                            <Button variant=ButtonVariant::Secondary on_click=move |_| { shown.dispatch(()); }>{s.show_contact}</Button>
                        }.into_any(),
                    }}
                }.into_any()
            } else {
                view! { <p class="muted">{s.contact_none}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn StatusForm(id: i64, from: TipStatus, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let s = i18n.staff_now();
    let next = from.next();
    let status = RwSignal::new(
        next.first()
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default(),
    );
    let message = RwSignal::new(String::new());
    let field_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |change: &StatusChange| {
        let change = change.clone();
        async move { api::staff_tip_status(id, &change, lang).await }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => reload.run(()),
        Some(Err(e)) => form_error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        let change = StatusChange {
            status: status.get_untracked(),
            message: Some(message.get_untracked()),
        };
        match change.validate(from) {
            Ok(_) => {
                field_error.set(None);
                save.dispatch(change);
            }
            Err(errors) => field_error.set(errors.into_iter().next().map(|e| e.invalid)),
        }
    };
    if next.is_empty() {
        return view! { <p class="notice">{s.final_status}</p> }.into_any();
    }
    view! {
        <form class="card form" novalidate on:submit=submit aria-labelledby="status-heading">
            <h2 id="status-heading">{s.change_status}</h2>
            <SelectField id="new-status" label=s.new_status value=status
                options=next.iter().map(|n| (n.as_str().to_owned(), n.label(lang).to_owned())).collect()/>
            <TextArea id="status-message" label=s.message hint=s.message_hint rows=3 value=message error=field_error/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true disabled=save.pending()>{s.save_status}</Button>
        </form>
    }
    .into_any()
}
