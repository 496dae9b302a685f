//! `/parties/confirm`: the creditor (申请执行人), signed in at the desk with their own access code
//! like every party, sees the payments the debtor declared on their cases and confirms or
//! disputes each once, with a note; `?declaration=ID` opens one to answer. The debtor has no part
//! in it: nothing passes through their hands.

use crate::router::{use_query_map, A};
use leptos::prelude::*;
use portal_core::{
    api::{CreditorAnswerBody, PartyCases, PartyDeclaration},
    certificate::validate_answer,
    party::{DeclarationStatus, PartyRole},
    Invalid,
};

use super::{yuan, Expiry, SignedIn, CASES};
use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonLink, ButtonVariant},
        fetch::Fetch,
        field::{focus_first_invalid, TextArea},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::{strings, use_i18n},
};

const CONFIRM: &str = "/parties/confirm";

/// A declared payment on one of the creditor's cases.
#[derive(Clone)]
struct Waiting {
    case_number: String,
    court: String,
    d: PartyDeclaration,
}

/// The declarations on the signed-in party's cases as the creditor, oldest first.
fn waiting(found: PartyCases) -> Vec<Waiting> {
    let mut out: Vec<Waiting> = found
        .cases
        .into_iter()
        .filter(|c| c.role == PartyRole::Creditor)
        .flat_map(|c| {
            c.pending_declarations.into_iter().map(move |d| Waiting {
                case_number: c.case_number.clone(),
                court: c.court.clone(),
                d,
            })
        })
        .collect();
    out.sort_by(|a, b| a.d.received_at.cmp(&b.d.received_at));
    out
}

#[component]
pub fn PartyConfirmPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let query = use_query_map();
    let chosen = Memo::new(move |_| {
        query
            .read()
            .get("declaration")
            .and_then(|v| v.parse::<i64>().ok())
    });
    let expiry = Expiry::new();
    // Asked at once, beside the session.
    let found =
        LocalResource::new(move || async move { expiry.check(api::party_cases(lang).await) });
    view! {
        <PageTitle text=t.confirm_title/>
        <section class="page page--narrow">
            <SignedIn let:_session>
                <h1>{t.confirm_title}</h1>
                <p class="lead">{t.confirm_intro}</p>
                <Fetch resource=found let:found>
                    {
                        let all = waiting(found);
                        move || match chosen.get().and_then(|id| all.iter().find(|w| w.d.id == id)) {
                            Some(w) => view! { <Answer w=w.clone() expiry/> }.into_any(),
                            None => view! { <List all=all.clone()/> }.into_any(),
                        }
                    }
                </Fetch>
            </SignedIn>
        </section>
    }
}

/// Every declaration on the creditor's cases, each with its status and a link to answer.
#[component]
fn List(all: Vec<Waiting>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    if all.is_empty() {
        return view! {
            <p class="empty" role="status">{t.confirm_empty}</p>
            <p><ButtonLink href=CASES variant=ButtonVariant::Secondary>{t.back_to_cases}</ButtonLink></p>
        }
        .into_any();
    }
    view! {
        <ul class="party-list">
            {all.into_iter().map(|w| {
                let open = w.d.status == DeclarationStatus::Received;
                view! {
                    <li class="card">
                        <Facts w=w.clone()/>
                        {if open {
                            view! { <A href=format!("{CONFIRM}?declaration={}", w.d.id)>{t.confirm_open}</A> }.into_any()
                        } else {
                            view! { <p class="muted small">{t.confirm_answered}</p> }.into_any()
                        }}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// What the debtor declared.
#[component]
fn Facts(w: Waiting) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let d = w.d;
    view! {
        <dl class="facts">
            <div><dt>{t.case_number}</dt><dd>{w.case_number}</dd></div>
            <div><dt>{t.court}</dt><dd>{w.court}</dd></div>
            {d.declared_by.map(|name| view! { <div><dt>{t.debtor}</dt><dd>{name}</dd></div> })}
            <div><dt>{t.declare_amount}</dt><dd><strong>{yuan(&d.amount, lang)}</strong></dd></div>
            <div><dt>{t.declare_paid_on}</dt><dd>{d.paid_on}</dd></div>
            <div><dt>{t.declare_method}</dt><dd>{d.method.label(lang)}</dd></div>
            <div><dt>{t.status}</dt><dd>{d.status.label(lang)}</dd></div>
            {d.creditor_deadline.filter(|_| d.status == DeclarationStatus::Received).map(|day| view! {
                <div><dt>{t.confirm_by}</dt><dd>{day}</dd></div>
            })}
        </dl>
    }
}

/// One declaration and the two answers.
#[component]
fn Answer(w: Waiting, expiry: Expiry) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let id = w.d.id;
    let open = w.d.status == DeclarationStatus::Received;
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let answer = Action::new_local(move |body: &CreditorAnswerBody| {
        let body = body.clone();
        async move { expiry.check(api::party_declaration_answer(id, &body, lang).await) }
    });
    Effect::new(move |_| match answer.value().get() {
        Some(Ok(_)) => done.set(true),
        Some(Err(e)) if e.field() == Some("note") => {
            let message = e.message(lang);
            note_error.set(Some(Invalid::new(
                portal_core::ErrorCode::InvalidValue,
                message.clone(),
                message,
            )));
            focus_first_invalid();
        }
        Some(Err(e)) => form_error.set(Some(e)),
        None => {}
    });
    let send = move |choice: &'static str| {
        form_error.set(None);
        let body = CreditorAnswerBody {
            answer: choice.to_owned(),
            note: Some(note.get_untracked()),
        };
        // The server's own check, here first.
        match validate_answer(&body.answer, body.note.as_deref()) {
            Ok(_) => {
                note_error.set(None);
                answer.dispatch(body);
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
        <section class="card" aria-labelledby="confirm-heading">
            <h2 id="confirm-heading">{t.confirm_question}</h2>
            <Facts w/>
            {if open {
                view! {
                    <Show when=move || !done.get() fallback=move || view! {
                        <p class="status status--ok" role="status">{t.confirm_done}</p>
                    }>
                        <p><Button block=true disabled=answer.pending() on_click=move |_| send("confirmed")>{t.confirm_yes}</Button></p>
                        <TextArea id="party-creditor-note" label=t.confirm_note rows=3 value=note error=note_error/>
                        <p><Button variant=ButtonVariant::Secondary block=true disabled=answer.pending()
                            on_click=move |_| send("disputed")>{t.confirm_dispute}</Button></p>
                    </Show>
                }.into_any()
            } else {
                view! { <p class="status status--ok" role="status">{t.confirm_answered}</p> }.into_any()
            }}
        </section>
        {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
        <p><A href=CONFIRM>{t.confirm_back}</A></p>
    }
}
