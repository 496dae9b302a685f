//! `/parties/confirm`: the creditor (申请执行人) enters the code the debtor passed on, sees the
//! declared payment, and confirms or disputes it with a note — the certificates' creditor flow,
//! for payments declared at the parties' desk. No sign-in: the code is the creditor's key.

use leptos::prelude::*;
use portal_core::{
    api::StaffDeclaration, certificate::CreditorRequest, party::DeclarationStatus, ErrorCode,
    Invalid,
};

use super::{focus_by_id, yuan};
use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonVariant},
        field::{focus_first_invalid, TextArea, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::{strings, use_i18n},
};

#[component]
pub fn PartyConfirmPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party;
    let code = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let code_error = RwSignal::new(None::<Invalid>);
    let note_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let lookup = Action::new_local(move |c: &String| {
        let request = CreditorRequest {
            creditor_code: c.clone(),
            ..Default::default()
        };
        async move { api::party_confirmation_lookup(&request, lang).await }
    });
    let answer = Action::new_local(move |r: &CreditorRequest| {
        let r = r.clone();
        async move { api::party_confirmation_answer(&r, lang).await }
    });
    let field_error = move |e: &ApiError| {
        let message = e.message(lang);
        Some(Invalid::new(
            ErrorCode::InvalidValue,
            message.clone(),
            message,
        ))
    };
    Effect::new(move |_| match lookup.value().get() {
        Some(Ok(_)) => focus_by_id("confirm-heading"),
        // An unknown code: one answer, at the code.
        Some(Err(e)) if e.status() == Some(404) => {
            code_error.set(Some(Invalid::new(
                ErrorCode::NotFound,
                t.confirm_unknown,
                t.confirm_unknown,
            )));
            focus_first_invalid();
        }
        Some(Err(e)) => match e.field() {
            Some(_) => {
                code_error.set(field_error(&e));
                focus_first_invalid();
            }
            None => form_error.set(Some(e)),
        },
        None => {}
    });
    Effect::new(move |_| match answer.value().get() {
        Some(Ok(())) => {
            done.set(true);
            focus_by_id("confirm-done");
        }
        Some(Err(e)) => match e.field() {
            Some("note") => {
                note_error.set(field_error(&e));
                focus_first_invalid();
            }
            _ => form_error.set(Some(e)),
        },
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        done.set(false);
        let request = CreditorRequest {
            creditor_code: code.get_untracked(),
            ..Default::default()
        };
        match request.code() {
            Ok(c) => {
                code_error.set(None);
                lookup.dispatch(c);
            }
            Err(errors) => {
                code_error.set(errors.into_iter().next().map(|e| e.invalid));
                focus_first_invalid();
            }
        }
    };
    let send = move |choice: &'static str| {
        form_error.set(None);
        let request = CreditorRequest {
            creditor_code: code.get_untracked(),
            answer: choice.to_owned(),
            note: Some(note.get_untracked()),
        };
        match request.validate() {
            Ok(_) => {
                note_error.set(None);
                answer.dispatch(request);
            }
            Err(errors) => {
                note_error.set(
                    errors
                        .into_iter()
                        .find(|e| e.field == "note")
                        .map(|e| e.invalid),
                );
                focus_first_invalid();
            }
        }
    };
    view! {
        <PageTitle text=t.confirm_title/>
        <section class="page page--narrow">
            <h1>{t.confirm_title}</h1>
            <p class="lead">{t.confirm_intro}</p>
            <form class="card form" novalidate on:submit=submit>
                <TextField id="party-creditor-code" label=t.creditor_code hint=t.confirm_code_hint
                    value=code error=code_error required=true/>
                <Button submit=true block=true disabled=lookup.pending()>{t.confirm_lookup}</Button>
            </form>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <div aria-live="polite">
                {move || match lookup.value().get() {
                    Some(Ok(d)) => Some(view! { <Declaration d done answer_pending=answer.pending() note note_error send/> }),
                    _ => None,
                }}
            </div>
        </section>
    }
}

/// The declared payment and the two answers (or the answer already given).
#[component]
fn Declaration<S>(
    d: StaffDeclaration,
    done: RwSignal<bool>,
    answer_pending: Memo<bool>,
    note: RwSignal<String>,
    note_error: RwSignal<Option<Invalid>>,
    send: S,
) -> impl IntoView
where
    S: Fn(&'static str) + Copy + Send + Sync + 'static,
{
    let lang = use_i18n().lang_now();
    let t = strings(lang).party;
    let answered = !matches!(d.status, DeclarationStatus::Received);
    view! {
        <section class="card" aria-labelledby="confirm-heading">
            <h2 id="confirm-heading" tabindex="-1">{t.confirm_question}</h2>
            <dl class="facts">
                <div><dt>{t.case_number}</dt><dd>{d.case_number.clone()}</dd></div>
                <div><dt>{t.court}</dt><dd>{d.court.clone()}</dd></div>
                <div><dt>{t.debtor}</dt><dd>{d.party_name.clone()}</dd></div>
                <div><dt>{t.declare_amount}</dt><dd><strong>{yuan(&d.amount, lang)}</strong></dd></div>
                <div><dt>{t.declare_paid_on}</dt><dd>{d.paid_on.clone()}</dd></div>
                <div><dt>{t.declare_method}</dt><dd>{d.method.label(lang)}</dd></div>
                <div><dt>{t.status}</dt><dd>{d.status.label(lang)}</dd></div>
            </dl>
            {if answered {
                view! { <p class="status status--ok" role="status">{t.confirm_answered}</p> }.into_any()
            } else {
                view! {
                    <Show when=move || !done.get() fallback=move || view! {
                        <p class="status status--ok" role="status" id="confirm-done" tabindex="-1">{t.confirm_done}</p>
                    }>
                        <p><Button block=true disabled=answer_pending on_click=move |_| send("confirmed")>{t.confirm_yes}</Button></p>
                        <TextArea id="party-creditor-note" label=t.confirm_note rows=3 value=note error=note_error/>
                        <p><Button variant=ButtonVariant::Secondary block=true disabled=answer_pending
                            on_click=move |_| send("disputed")>{t.confirm_dispute}</Button></p>
                    </Show>
                }.into_any()
            }}
        </section>
    }
}
