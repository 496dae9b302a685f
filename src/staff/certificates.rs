//! Certificate applications of the signed-in reviewer's court: issue or refuse each, and revoke
//! or replace what was issued, always with a reason (every decision is in the audit log).

use crate::router::{use_navigate, use_query_map};
use leptos::prelude::*;
use portal_core::{
    certificate::{ReasonRequest, StaffApplication},
    Invalid,
};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonSize, ButtonVariant},
        fetch::Fetch,
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::use_i18n,
};

#[component]
pub fn Applications() -> impl IntoView {
    let i18n = use_i18n();
    let (s, lang) = (i18n.staff_now(), i18n.lang_now());
    let query = use_query_map();
    let navigate = use_navigate();
    let status = move || {
        query
            .read()
            .get("status")
            .unwrap_or_else(|| "pending".into())
    };
    let list = LocalResource::new(move || {
        let status = status();
        async move {
            let q = if status == "all" {
                String::new()
            } else {
                format!("status={status}")
            };
            api::staff_applications(&q, lang).await
        }
    });
    let reload = Callback::new(move |_| list.refetch());
    // Said above the list: an issued application leaves the "to review" list at once.
    let issued = RwSignal::new(None::<String>);
    view! {
        <PageTitle text=s.certificates_title/>
        <section class="page">
            <h1>{s.certificates_title}</h1>
            <div class="field">
                <label class="field__label" for="cert-filter">{s.filter_status}</label>
                <select id="cert-filter" class="field__input"
                    on:change=move |ev| navigate(&format!("/staff/certificates?status={}", event_target_value(&ev)), Default::default())>
                    {[("pending", s.application_pending), ("issued", s.application_issued), ("refused", s.application_refused), ("all", s.all)]
                        .into_iter()
                        .map(|(v, label)| view! { <option value=v selected=move || status() == v>{label}</option> })
                        .collect_view()}
                </select>
            </div>
            {move || issued.get().map(|n| view! { <p class="status status--ok" role="status">{(s.issued_as)(&n)}</p> })}
            <Fetch resource=list let:found>
                {if found.applications.is_empty() {
                    view! { <p class="muted">{s.applications_empty}</p> }.into_any()
                } else {
                    found.applications.into_iter().map(|a| view! { <ApplicationCard a reload issued/> }).collect_view().into_any()
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn ApplicationCard(
    a: StaffApplication,
    reload: Callback<()>,
    /// Where the number of a certificate this card issues is shown.
    issued: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (s, lang) = (i18n.staff_now(), i18n.lang_now());
    let id = a.id;
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<Invalid>);
    let failed = RwSignal::new(None::<ApiError>);
    let issue = Action::new_local(move |_: &()| async move { api::staff_issue(id, lang).await });
    Effect::new(move |_| match issue.value().get() {
        Some(Ok(done)) => {
            issued.set(Some(done.number));
            reload.run(());
        }
        Some(Err(e)) => failed.set(Some(e)),
        None => {}
    });
    let decide = Action::new_local(move |path: &String| {
        let (path, body) = (
            path.clone(),
            ReasonRequest {
                reason: reason.get_untracked(),
            },
        );
        async move { api::staff_certificate_decision(&path, &body, lang).await }
    });
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(())) => reload.run(()),
        Some(Err(e)) => match e.field() {
            Some(_) => reason_error.set(Some(Invalid::new(
                portal_core::ErrorCode::InvalidValue,
                e.message(lang),
                e.message(lang),
            ))),
            None => failed.set(Some(e)),
        },
        None => {}
    });
    let with_reason = move |path: String| {
        failed.set(None);
        match (ReasonRequest {
            reason: reason.get_untracked(),
        })
        .validate()
        {
            Ok(_) => {
                decide.dispatch(path);
            }
            Err(errors) => reason_error.set(errors.into_iter().next().map(|e| e.invalid)),
        }
    };
    let status = serde_json::to_value(a.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let latest = a.certificates.first().cloned();
    let (reason_id, error_id) = (format!("reason-{id}"), format!("reason-{id}-error"));
    view! {
        <article class="card" aria-labelledby=format!("application-{id}")>
            <h2 id=format!("application-{id}")>{a.name.clone()}" · "{a.case_number.clone()}</h2>
            <dl class="facts">
                <div><dt>{s.subject_id}</dt><dd>{a.subject_id.clone()}</dd></div>
                <div><dt>{s.stage}</dt><dd>{a.stage.label(lang)}</dd></div>
                <div><dt>{s.amount}</dt><dd>{a.amount.clone()}</dd></div>
                <div><dt>{s.performed_on}</dt><dd>{a.performed_on.clone()}</dd></div>
                <div><dt>{s.received}</dt><dd>{portal_core::time::beijing_time(&a.created_at)}</dd></div>
                <div><dt>{s.honour}</dt><dd>{if a.honour_consent { s.yes } else { s.no }}</dd></div>
                <div><dt>{s.col_status}</dt><dd>{match status.as_str() { "issued" => s.application_issued, "refused" => s.application_refused, _ => s.application_pending }}</dd></div>
                {a.reason.clone().map(|r| view! { <div><dt>{s.reason}</dt><dd>{r}</dd></div> })}
                {a.creditor.clone().map(|c| {
                    let answer = c.answer.map(|x| serde_json::to_value(x).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default());
                    view! { <div><dt>{s.creditor}</dt><dd>{(s.creditor_state)(answer.as_deref(), &c.deadline)}{c.note.map(|n| format!(" · {n}"))}</dd></div> }
                })}
                {(!a.certificates.is_empty()).then(|| view! { <div><dt>{s.certificate_numbers}</dt><dd class="mono">{a.certificates.join(" ")}</dd></div> })}
            </dl>
            {move || failed.get().map(|e| view! { <ErrorNotice error=e/> })}
            {(status == "pending").then(|| view! {
                <p><Button disabled=issue.pending() on_click=move |_| { failed.set(None); issue.dispatch(()); }>{s.issue}</Button></p>
            })}
            {(status != "refused").then(|| view! {
                <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                    <label class="field__label" for=reason_id.clone()>{s.reason_label}</label>
                    <input class="field__input" id=reason_id.clone() autocomplete="off"
                        aria-invalid=move || reason_error.get().is_some().to_string()
                        aria-describedby={ let e = error_id.clone(); move || reason_error.get().map(|_| e.clone()) }
                        prop:value=move || reason.get()
                        on:input=move |ev| { reason.set(event_target_value(&ev)); reason_error.set(None); }/>
                    {let e = error_id.clone(); move || reason_error.get().map(|err| view! { <p class="field__error" id=e.clone()>{err.message(lang).to_owned()}</p> })}
                </div>
                <p class="actions">
                    {if status == "pending" {
                        view! {
                            <Button variant=ButtonVariant::Secondary size=ButtonSize::Small disabled=decide.pending()
                                on_click=move |_| with_reason(format!("applications/{id}/refuse"))>{s.refuse}</Button>
                        }.into_any()
                    } else {
                        let (revoke, supersede) = (latest.clone().unwrap_or_default(), latest.clone().unwrap_or_default());
                        view! {
                            <Button variant=ButtonVariant::Secondary size=ButtonSize::Small disabled=decide.pending()
                                on_click=move |_| with_reason(format!("{revoke}/revoke"))>{s.revoke}</Button>
                            " "
                            <Button variant=ButtonVariant::Secondary size=ButtonSize::Small disabled=decide.pending()
                                on_click=move |_| with_reason(format!("{supersede}/supersede"))>{s.supersede}</Button>
                        }.into_any()
                    }}
                </p>
            })}
        </article>
    }
}
