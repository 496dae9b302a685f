//! The parties' desk in the console: the court's correction and reconsideration requests, by due
//! date, overdue ones marked in words; and the payments debtors declared, with the creditor's
//! answer. Each is upheld or refused; a refusal's reason is served to the party.

use leptos::prelude::*;
use portal_core::{
    api::{StaffDecisionRequest, StaffDeclaration, StaffPartyRequest},
    party::{display_yuan, parse_yuan, Decision, DeclarationStatus, RequestKind},
    time::beijing_time,
    Invalid, Lang,
};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonSize, ButtonVariant},
        fetch::Fetch,
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::{strings, use_i18n},
};

/// `12,500.00`: an amount of the API for reading.
fn shown_yuan(amount: &str, lang: Lang) -> String {
    let shown = parse_yuan(amount).map_or_else(|_| amount.to_owned(), display_yuan);
    (strings(lang).party().yuan)(&shown)
}

/// `Ok(None)`: this member's role may not review the desk's work.
fn allowed<T>(result: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match result {
        Err(e) if e.status() == Some(403) => Ok(None),
        answer => answer.map(Some),
    }
}

#[component]
pub fn Requests() -> impl IntoView {
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang_now(), i18n.tr_now().party());
    let list =
        LocalResource::new(move || async move { allowed(api::staff_party_requests(lang).await) });
    let reload = Callback::new(move |_| list.refetch());
    view! {
        <PageTitle text=t.staff_requests_title/>
        <section class="page">
            <h1>{t.staff_requests_title}</h1>
            <p class="lead">{t.staff_requests_intro}</p>
            <Fetch resource=list keep_previous=true let:found>
                {match found {
                    None => view! { <p class="status status--error" role="alert">{t.staff_forbidden}</p> }.into_any(),
                    Some(found) if found.requests.is_empty() => view! {
                        <p class="empty" role="status">{t.staff_requests_empty}</p>
                    }.into_any(),
                    Some(found) => view! {
                        <p class="results__count" role="status">{(t.staff_count)(found.total)}</p>
                        {found.requests.into_iter().map(|r| view! { <RequestCard r reload/> }).collect_view()}
                    }.into_any(),
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn RequestCard(r: StaffPartyRequest, reload: Callback<()>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let id = r.id;
    let heading = format!("party-request-{id}");
    let labelled = heading.clone();
    let due = match (r.status.is_upheld(), &r.correct_due) {
        (true, Some(d)) => (t.correct_due, d.clone()),
        _ => (t.review_due, r.review_due.clone()),
    };
    let facts: Vec<(&str, Option<String>)> = vec![
        (t.court, Some(r.court.clone())),
        (t.notice, Some(format!("#{}", r.notice_id))),
        (t.party, Some(format!("{} · {}", r.party_name, r.masked_id))),
        (t.ground, Some(r.ground.label(lang).to_owned())),
        (
            t.deletion_ground,
            r.deletion_ground.map(|g| g.label(lang).to_owned()),
        ),
        (
            t.received_at,
            Some((t.beijing)(&beijing_time(&r.received_at))),
        ),
        (t.evidence_count, Some((t.files_count)(r.files))),
        (t.staff_correction, r.correction_id.map(|c| format!("#{c}"))),
        (t.refusal_reason, r.refusal_reason.clone()),
    ];
    view! {
        <article class="card" class:party-late=r.overdue aria-labelledby=labelled>
            <h2 id=heading>{r.kind.label(lang)}" #"{id}" · "{r.case_number.clone()}</h2>
            <p>
                <span class="badge badge--info">{r.status.label(lang)}</span>
                " "{due.0}{t.colon}<strong>{due.1}</strong>
                {r.overdue.then(|| view! { " "<span class="badge badge--danger">{t.overdue}</span> })}
            </p>
            <dl class="facts">
                {facts.into_iter().filter_map(|(label, value)| value.map(|v| view! {
                    <div><dt>{label}</dt><dd>{v}</dd></div>
                })).collect_view()}
            </dl>
            <h3>{t.staff_reason}</h3>
            <p class="prewrap">{r.reason.clone()}</p>
            {r.status.is_open().then(|| view! {
                <Decide id=format!("request-{id}")
                    uphold=match r.kind { RequestKind::Correction => t.staff_uphold, RequestKind::Reconsideration => t.staff_uphold_reconsideration }
                    send=move |body: StaffDecisionRequest| async move { api::staff_party_request_decision(id, &body, lang).await }
                    reload/>
            })}
        </article>
    }
}

#[component]
pub fn Declarations() -> impl IntoView {
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang_now(), i18n.tr_now().party());
    let list =
        LocalResource::new(move || async move { allowed(api::staff_declarations(lang).await) });
    let reload = Callback::new(move |_| list.refetch());
    view! {
        <PageTitle text=t.staff_declarations_title/>
        <section class="page">
            <h1>{t.staff_declarations_title}</h1>
            <p class="lead">{t.staff_declarations_intro}</p>
            <Fetch resource=list keep_previous=true let:found>
                {match found {
                    None => view! { <p class="status status--error" role="alert">{t.staff_forbidden}</p> }.into_any(),
                    Some(found) if found.declarations.is_empty() => view! {
                        <p class="empty" role="status">{t.staff_declarations_empty}</p>
                    }.into_any(),
                    Some(found) => view! {
                        <p class="results__count" role="status">{(t.staff_count)(found.total)}</p>
                        {found.declarations.into_iter().map(|d| view! { <DeclarationCard d reload/> }).collect_view()}
                    }.into_any(),
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn DeclarationCard(d: StaffDeclaration, reload: Callback<()>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let id = d.id;
    let heading = format!("declaration-{id}");
    let labelled = heading.clone();
    let creditor = match d.status {
        DeclarationStatus::CreditorConfirmed => "badge badge--ok",
        DeclarationStatus::CreditorDisputed => "badge badge--danger",
        _ => "badge badge--info",
    };
    view! {
        <article class="card" aria-labelledby=labelled>
            <h2 id=heading>{d.party_name.clone()}" · "{d.case_number.clone()}</h2>
            <p><span class=creditor>{d.status.label(lang)}</span></p>
            <dl class="facts">
                <div><dt>{t.court}</dt><dd>{d.court.clone()}</dd></div>
                <div><dt>{t.party}</dt><dd>{d.masked_id.clone()}</dd></div>
                <div><dt>{t.declare_amount}</dt><dd><strong>{shown_yuan(&d.amount, lang)}</strong></dd></div>
                <div><dt>{t.outstanding}</dt><dd>{shown_yuan(&d.outstanding, lang)}</dd></div>
                <div><dt>{t.declare_paid_on}</dt><dd>{d.paid_on.clone()}</dd></div>
                <div><dt>{t.declare_method}</dt><dd>{d.method.label(lang)}</dd></div>
                <div><dt>{t.received_at}</dt><dd>{(t.beijing)(&beijing_time(&d.received_at))}</dd></div>
                <div><dt>{t.evidence_count}</dt><dd>{(t.files_count)(d.files)}</dd></div>
                {d.creditor_note.clone().map(|n| view! { <div><dt>{t.creditor_note}</dt><dd class="prewrap">{n}</dd></div> })}
            </dl>
            {d.status.is_pending().then(|| view! {
                <Decide id=format!("declaration-{id}") uphold=t.staff_confirm_payment
                    send=move |body: StaffDecisionRequest| async move { api::staff_declaration_decision(id, &body, lang).await }
                    reload/>
            })}
        </article>
    }
}

/// Uphold, or refuse with the reason served to the party; checked by `core` before sending.
#[component]
fn Decide<S, Fu>(
    /// Prefix of the reason field's id.
    id: String,
    /// The label of the upholding button.
    uphold: &'static str,
    /// Sends the decision.
    send: S,
    /// Reloads the queue once decided.
    reload: Callback<()>,
) -> impl IntoView
where
    S: Fn(StaffDecisionRequest) -> Fu + 'static,
    Fu: std::future::Future<Output = Result<(), ApiError>> + 'static,
{
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<Invalid>);
    let failed = RwSignal::new(None::<ApiError>);
    let decide = Action::new_local(move |body: &StaffDecisionRequest| send(body.clone()));
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(e)) => match e.field() {
            Some("reason") => {
                let message = e.message(lang);
                reason_error.set(Some(Invalid::new(
                    portal_core::ErrorCode::InvalidValue,
                    message.clone(),
                    message,
                )));
                crate::components::field::focus_first_invalid();
            }
            _ => failed.set(Some(e)),
        },
        None => {}
    });
    let with = move |decision: Decision| {
        failed.set(None);
        let body = StaffDecisionRequest {
            decision: decision.as_str().to_owned(),
            reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        match body.validate() {
            Ok(_) => {
                reason_error.set(None);
                decide.dispatch(body);
            }
            Err(errors) => {
                reason_error.set(
                    errors
                        .into_iter()
                        .find(|e| e.field == "reason")
                        .map(|e| e.invalid),
                );
                crate::components::field::focus_first_invalid();
            }
        }
    };
    // Ids per card: the queue shows many of these forms at once.
    let (field_id, hint_id, error_id) = (
        format!("{id}-reason"),
        format!("{id}-reason-hint"),
        format!("{id}-reason-error"),
    );
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match reason_error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    view! {
        <div class="field" class:field--invalid=move || reason_error.get().is_some()>
            <label class="field__label" for=field_id.clone()>{t.staff_decision_reason}</label>
            <p class="field__hint" id=hint_id>{t.staff_decision_reason_hint}</p>
            <textarea class="field__input field__input--area" id=field_id rows="3"
                aria-invalid=move || reason_error.get().is_some().to_string()
                aria-describedby=described
                prop:value=move || reason.get()
                on:input=move |ev| { reason.set(event_target_value(&ev)); reason_error.set(None); }></textarea>
            {move || reason_error.get().map(|e| view! { <p class="field__error" id=error_id.clone()>{e.message(lang).to_owned()}</p> })}
        </div>
        {move || failed.get().map(|e| view! { <ErrorNotice error=e/> })}
        <p class="actions">
            <Button size=ButtonSize::Small disabled=decide.pending() on_click=move |_| with(Decision::Uphold)>{uphold}</Button>
            " "
            <Button variant=ButtonVariant::Secondary size=ButtonSize::Small disabled=decide.pending()
                on_click=move |_| with(Decision::Refuse)>{t.staff_refuse}</Button>
        </p>
    }
}
