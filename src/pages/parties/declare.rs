//! `/parties/declare?case=…`: a debtor declares a payment — how much, when, how, with proof —
//! checked against what is still owed; the case's creditor then answers it signed in.
//!
//! The form is kept on the phone as it is typed, with its idempotency key, so a reload loses
//! nothing and a retry after a dropped answer declares the payment once.

use crate::router::use_query_map;
use leptos::prelude::*;
use portal_core::{
    api::{PartyCase, PartyCases, PartyDeclarationCreated, PerformanceDeclarationRequest},
    party::{DeclarationContext, PaymentMethod},
    time::{beijing_time, court_today, ymd},
    ErrorCode, Invalid,
};
use serde::{Deserialize, Serialize};

use super::{fen, focus_by_id, yuan, Expiry, SignedIn, CASES, DRAFTS};
use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonLink, ButtonVariant},
        evidence::{
            busy_error, restored, upload_ids, uploads_busy, Evidence, EvidenceField, MAX_FILES,
        },
        fetch::Fetch,
        field::{focus_first_invalid, show_errors, SelectField, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    draft,
    i18n::{strings, use_i18n},
};

#[component]
pub fn PartyDeclarePage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let case_number = use_query_map()
        .read_untracked()
        .get("case")
        .unwrap_or_default();
    let expiry = Expiry::new();
    // Asked at once, beside the session: the case, with what is still owed.
    let cases =
        LocalResource::new(move || async move { expiry.check(api::party_cases(lang).await) });
    view! {
        <PageTitle text=t.declare_title/>
        <section class="page page--narrow">
            <SignedIn let:_session>
                <FindCase case_number=case_number.clone() cases/>
            </SignedIn>
        </section>
    }
}

#[component]
fn FindCase(
    case_number: String,
    cases: LocalResource<Result<PartyCases, ApiError>>,
) -> impl IntoView {
    let t = use_i18n().tr_now().party();
    let created = RwSignal::new(None::<PartyDeclarationCreated>);
    view! {
        <Fetch resource=cases let:found>
            {match found.cases.into_iter().find(|c| c.case_number == case_number) {
                None => view! {
                    <h1>{t.declare_title}</h1>
                    <p class="status status--error" role="alert">{t.case_not_found}</p>
                    <p><ButtonLink href=CASES>{t.back_to_cases}</ButtonLink></p>
                }.into_any(),
                Some(case) => view! {
                    <Show when=move || created.get().is_none() fallback=move || view! {
                        <Receipt created=created.get().expect("shown when set")/>
                    }>
                        <h1>{t.declare_title}</h1>
                        <Form case=case.clone() created/>
                    </Show>
                }.into_any(),
            }}
        </Fetch>
    }
}

/// What survives a reload of the form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Draft {
    key: String,
    amount: String,
    paid_on: String,
    method: String,
    files: Vec<Evidence>,
}

fn draft_key(case_number: &str) -> String {
    format!("{DRAFTS}declaration:{case_number}")
}

#[component]
fn Form(case: PartyCase, created: RwSignal<Option<PartyDeclarationCreated>>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let expiry = Expiry::new();
    let case_number = case.case_number.clone();
    let stored: Draft = draft::load(&draft_key(&case_number));
    let key = if stored.key.is_empty() {
        draft::new_key("declaration")
    } else {
        stored.key.clone()
    };
    let amount = RwSignal::new(stored.amount);
    let paid_on = RwSignal::new(stored.paid_on);
    let method = RwSignal::new(stored.method);
    let files = RwSignal::new(restored(stored.files));
    let errors = ["case_number", "amount", "paid_on", "method", "uploads"]
        .map(|f| (f, RwSignal::new(None::<Invalid>)));
    let error = move |f: &str| {
        errors
            .iter()
            .find(|(name, _)| *name == f)
            .map(|(_, s)| *s)
            .expect("a field of the form")
    };
    let form_error = RwSignal::new(None::<ApiError>);
    // Still owed: the obligation less what the court confirmed and what is declared and pending.
    let pending: i64 = case
        .pending_declarations
        .iter()
        .filter(|d| d.status.is_pending())
        .map(|d| fen(&d.amount))
        .sum();
    let outstanding_fen = fen(&case.amount) - fen(&case.paid) - pending;

    {
        let (key, case_number) = (key.clone(), case_number.clone());
        Effect::new(move |_| {
            let kept = Draft {
                key: key.clone(),
                amount: amount.get(),
                paid_on: paid_on.get(),
                method: method.get(),
                files: files.get(),
            };
            draft::save(&draft_key(&case_number), &kept);
        });
    }
    let send = Action::new_local(
        move |(key, request): &(String, PerformanceDeclarationRequest)| {
            let (key, request) = (key.clone(), request.clone());
            async move { expiry.check(api::party_declare(&key, &request, lang).await) }
        },
    );
    {
        let case_number = case_number.clone();
        Effect::new(move |_| match send.value().get() {
            Some(Ok(answer)) => {
                draft::remove(&draft_key(&case_number));
                created.set(Some(answer));
                focus_by_id("declaration-receipt");
            }
            Some(Err(e)) => match e.field().map(str::to_owned) {
                Some(field) => {
                    let message = e.message(lang);
                    show_errors(
                        &[
                            Invalid::new(ErrorCode::InvalidValue, message.clone(), message)
                                .at(field),
                        ],
                        &errors,
                    );
                    focus_first_invalid();
                }
                None => form_error.set(Some(e)),
            },
            None => {}
        });
    }
    let submit = {
        let case_number = case_number.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            form_error.set(None);
            let request = PerformanceDeclarationRequest {
                case_number: case_number.clone(),
                amount: amount.get_untracked(),
                paid_on: paid_on.get_untracked(),
                method: method.get_untracked(),
                uploads: upload_ids(files),
            };
            let ctx = DeclarationContext {
                today: court_today(),
                outstanding_fen,
                max_files: MAX_FILES,
            };
            let mut problems = request.validate(ctx).err().unwrap_or_default();
            if uploads_busy(files) {
                problems.push(busy_error(lang).at("uploads"));
            }
            show_errors(&problems, &errors);
            if problems.is_empty() {
                send.dispatch((key.clone(), request));
            } else {
                focus_first_invalid();
            }
        }
    };
    let methods: Vec<(String, String)> = PaymentMethod::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label(lang).to_owned()))
        .collect();
    let case_error = error("case_number");
    view! {
        <p class="lead">{t.declare_intro}</p>
        <div class="card">
            <dl class="facts">
                <div><dt>{t.case_number}</dt><dd>{case.case_number.clone()}</dd></div>
                <div><dt>{t.court}</dt><dd>{case.court.clone()}</dd></div>
                <div><dt>{t.amount}</dt><dd>{yuan(&case.amount, lang)}</dd></div>
                <div><dt>{t.outstanding}</dt><dd><strong>{yuan(&portal_core::party::format_yuan(outstanding_fen.max(0)), lang)}</strong></dd></div>
            </dl>
        </div>
        <form class="card form" novalidate on:submit=submit>
            {move || case_error.get().map(|e| view! { <p class="field__error" role="alert">{e.message(lang).to_owned()}</p> })}
            <TextField id="declare-amount" label=t.declare_amount hint=t.declare_amount_hint
                value=amount error=error("amount") required=true/>
            <TextField id="declare-paid-on" label=t.declare_paid_on input_type="date"
                max=ymd(court_today()) value=paid_on error=error("paid_on") required=true/>
            <SelectField id="declare-method" label=t.declare_method placeholder=t.choose
                options=methods value=method error=error("method") required=true/>
            <EvidenceField id="declare-files" label=t.declare_files hint=t.declare_files_hint
                files error=error("uploads") max=MAX_FILES/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true block=true disabled=send.pending()>
                {move || if send.pending().get() { t.submitting } else { t.declare_submit }}
            </Button>
            <p class="muted small">{t.draft_note}</p>
        </form>
        <p><ButtonLink href=CASES variant=ButtonVariant::Secondary>{t.back_to_cases}</ButtonLink></p>
    }
}

/// The answer to a declaration: when it was received, and by when the creditor answers.
#[component]
fn Receipt(created: PartyDeclarationCreated) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    view! {
        <h1 id="declaration-receipt" tabindex="-1">{t.declared_heading}</h1>
        <div class="card receipt" role="status">
            <dl class="facts">
                <div><dt>{t.received_at}</dt><dd>{(t.beijing)(&beijing_time(&created.received_at))}</dd></div>
                <div><dt>{t.status}</dt><dd>{created.status.label(lang)}</dd></div>
            </dl>
            <p>{t.declared_next}</p>
            {created.creditor_deadline.map(|d| view! { <p>{(t.creditor_deadline_hint)(&d)}</p> })}
        </div>
        <p><ButtonLink href=CASES block=true>{t.back_to_cases}</ButtonLink></p>
    }
}
