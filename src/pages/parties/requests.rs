//! `/parties/requests`: every correction and reconsideration request of the party with each of
//! its clocks — received, the decision due, the correction due, the refusal served and the last
//! day to ask for reconsideration — and an overdue clock marked in words.

use leptos::prelude::*;
use portal_core::{
    api::{PartyRequestItem, PartyRequests},
    party::{is_overdue, RequestKind, RequestStatus},
    time::{beijing_time, court_today, ymd},
};

use super::{Expiry, SignedIn};
use crate::{
    api::{self, ApiError},
    components::{fetch::Fetch, title::PageTitle},
    i18n::{strings, use_i18n},
};

#[component]
pub fn PartyRequestsPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let expiry = Expiry::new();
    // Asked at once, beside the session.
    let found =
        LocalResource::new(move || async move { expiry.check(api::party_requests(lang).await) });
    view! {
        <PageTitle text=t.requests_title/>
        <section class="page page--narrow">
            <SignedIn let:_session>
                <h1>{t.requests_title}</h1>
                <p class="lead">{t.requests_intro}</p>
                <Requests found/>
            </SignedIn>
        </section>
    }
}

#[component]
fn Requests(found: LocalResource<Result<PartyRequests, ApiError>>) -> impl IntoView {
    let t = use_i18n().tr_now().party();
    view! {
        <Fetch resource=found let:found>
            {if found.requests.is_empty() {
                view! {
                    <div class="empty" role="status">
                        <p class="empty__title">{t.requests_empty}</p>
                        <p>{t.requests_empty_hint}</p>
                    </div>
                }.into_any()
            } else {
                let all = found.requests.clone();
                found.requests.into_iter().map(|r| view! { <RequestCard r all=all.clone()/> }).collect_view().into_any()
            }}
        </Fetch>
    }
}

/// Whether the clock that runs now has passed its day: the decision while the request is under
/// review, the correction once it was upheld and until it is made.
fn overdue(r: &PartyRequestItem) -> bool {
    let today = court_today();
    let past = |d: &str| portal_core::notice::parse_date(d).is_ok_and(|d| is_overdue(d, today));
    (r.status.is_open() && past(&r.review_due))
        || (r.status.is_upheld()
            && r.corrected_at.is_none()
            && r.correct_due.as_deref().is_some_and(past))
}

#[component]
fn RequestCard(r: PartyRequestItem, all: Vec<PartyRequestItem>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let heading = format!("party-request-{}", r.id);
    let labelled = heading.clone();
    let badge = match r.status {
        RequestStatus::Upheld | RequestStatus::ReconsiderationUpheld => "badge badge--ok",
        RequestStatus::Refused | RequestStatus::ReconsiderationRefused => "badge badge--plain",
        _ => "badge badge--info",
    };
    let late = overdue(&r);
    // A refused correction may still go to reconsideration: until the window ends, once.
    let reconsider = (r.status == RequestStatus::Refused
        && !all
            .iter()
            .any(|o| o.kind == RequestKind::Reconsideration && o.correction_id == Some(r.id)))
    .then(|| r.reconsideration_window_end.clone())
    .flatten()
    .filter(|end| *end >= ymd(court_today()));
    let when = |at: &Option<String>| at.as_deref().map(|a| (t.beijing)(&beijing_time(a)));
    let facts: Vec<(&str, Option<String>)> = vec![
        (t.court, Some(r.court.clone())),
        (t.ground, Some(r.ground.label(lang).to_owned())),
        (
            t.deletion_ground,
            r.deletion_ground.map(|g| g.label(lang).to_owned()),
        ),
        (t.received_at, when(&Some(r.received_at.clone()))),
        (t.review_due, Some(r.review_due.clone())),
        (t.decided_at, when(&r.decided_at)),
        (t.refusal_reason, r.decision_reason.clone()),
        (t.correct_due, r.correct_due.clone()),
        (t.corrected_at, when(&r.corrected_at)),
        (t.served_on, r.served_on.clone()),
        (t.window_end, r.reconsideration_window_end.clone()),
        (t.evidence_count, Some((t.files_count)(r.files))),
    ];
    view! {
        <article class="card" aria-labelledby=labelled class:party-late=late>
            <h2 id=heading>{r.kind.label(lang)}" · "{r.case_number.clone()}</h2>
            <p>
                <span class=badge>{r.status.label(lang)}</span>
                {late.then(|| view! { " "<span class="badge badge--danger">{t.overdue}</span> })}
            </p>
            <dl class="facts">
                {facts.into_iter().filter_map(|(label, value)| value.map(|v| view! {
                    <div><dt>{label}</dt><dd>{v}</dd></div>
                })).collect_view()}
            </dl>
            <details class="disclosure">
                <summary>{t.your_reasons}</summary>
                <p class="prewrap">{r.reason.clone()}</p>
            </details>
            {reconsider.map(|end| view! {
                <p><a href=format!("/parties/request?notice={}&kind=reconsideration", r.notice_id)>{(t.ask_reconsideration)(&end)}</a></p>
            })}
        </article>
    }
}
