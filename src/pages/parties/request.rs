//! `/parties/request?notice=…&kind=correction|reconsideration`: a request to correct a listing
//! (纠正申请) on one of the grounds of the SPC rules, or, after a refusal was served and within
//! its window, a reconsideration (复议申请) by the court one level up — with reasons and evidence,
//! and a receipt with the dates the court owes an answer by.

use crate::router::use_query_map;
use leptos::prelude::*;
use portal_core::{
    api::{PartyCase, PartyListing, PartyRequestBody, PartyRequestCreated, PartyRequestItem},
    party::{DeletionGround, RequestGround, RequestKind, RequestStatus, MAX_REASON, MIN_REASON},
    time::beijing_time,
    ErrorCode, Invalid,
};
use serde::{Deserialize, Serialize};

use super::{focus_by_id, Expiry, SignedIn, CASES, DRAFTS};
use crate::{
    api::{self, ApiError},
    components::{
        badges::ListBadges,
        button::{Button, ButtonLink, ButtonVariant},
        evidence::{
            busy_error, restored, upload_ids, uploads_busy, Evidence, EvidenceField, MAX_FILES,
        },
        fetch::Fetch,
        field::{focus_first_invalid, show_errors, SelectField, TextArea},
        status::ErrorNotice,
        title::PageTitle,
    },
    draft,
    i18n::{strings, use_i18n},
};

#[component]
pub fn PartyRequestPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let query = use_query_map();
    let notice_id = query
        .read_untracked()
        .get("notice")
        .and_then(|n| n.parse::<i64>().ok())
        .unwrap_or(0);
    let kind = query
        .read_untracked()
        .get("kind")
        .and_then(|k| RequestKind::parse(&k))
        .unwrap_or(RequestKind::Correction);
    let title = match kind {
        RequestKind::Correction => t.correction_title,
        RequestKind::Reconsideration => t.reconsideration_title,
    };
    let expiry = Expiry::new();
    // Asked at once, beside the session: the listing, its case, and the refusal a
    // reconsideration follows.
    let found = LocalResource::new(move || async move {
        let cases = expiry.check(api::party_cases(lang).await)?;
        let requests = expiry.check(api::party_requests(lang).await)?;
        let refused = requests
            .requests
            .into_iter()
            .find(|r| r.notice_id == notice_id && r.status == RequestStatus::Refused);
        Ok(cases.cases.into_iter().find_map(|case| {
            let listing = case
                .listings
                .iter()
                .find(|l| l.notice_id == notice_id)
                .cloned()?;
            Some(Found {
                case,
                listing,
                refused: refused.clone(),
            })
        }))
    });
    view! {
        <PageTitle text=title/>
        <section class="page page--narrow">
            <SignedIn let:_session>
                <h1>{title}</h1>
                <FindListing notice_id kind found/>
            </SignedIn>
        </section>
    }
}

/// The listing the request is about, with its case, and the refused correction a
/// reconsideration follows.
#[derive(Clone)]
struct Found {
    case: PartyCase,
    listing: PartyListing,
    refused: Option<PartyRequestItem>,
}

#[component]
fn FindListing(
    notice_id: i64,
    kind: RequestKind,
    found: LocalResource<Result<Option<Found>, ApiError>>,
) -> impl IntoView {
    let t = use_i18n().tr_now().party();
    let created = RwSignal::new(None::<PartyRequestCreated>);
    view! {
        <Fetch resource=found let:found>
            {match found {
                None => view! {
                    <p class="status status--error" role="alert">{t.listing_not_found}</p>
                    <p><ButtonLink href=CASES>{t.back_to_cases}</ButtonLink></p>
                }.into_any(),
                Some(found) => view! {
                    <Show when=move || created.get().is_none() fallback=move || view! {
                        <Receipt created=created.get().expect("shown when set")/>
                    }>
                        <About found=found.clone() kind/>
                        <Form notice_id kind created/>
                    </Show>
                }.into_any(),
            }}
        </Fetch>
    }
}

/// What the request is about: the case, the listing, and for a reconsideration the refusal.
#[component]
fn About(found: Found, kind: RequestKind) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let lists: Vec<String> = found
        .listing
        .lists
        .iter()
        .map(|l| l.as_str().to_owned())
        .collect();
    view! {
        <p class="lead">{match kind {
            RequestKind::Correction => t.correction_intro,
            RequestKind::Reconsideration => t.reconsideration_intro,
        }}</p>
        <div class="card">
            <dl class="facts">
                <div><dt>{t.case_number}</dt><dd>{found.case.case_number.clone()}</dd></div>
                <div><dt>{t.court}</dt><dd>{found.case.court.clone()}</dd></div>
                <div><dt>{t.listing}</dt><dd><ListBadges lists/>{found.listing.status.label(lang)}</dd></div>
                {(kind == RequestKind::Reconsideration).then(|| found.refused.clone()).flatten().map(|r| view! {
                    <div><dt>{t.refusal_reason}</dt><dd>{r.decision_reason.clone().unwrap_or_default()}</dd></div>
                    <div><dt>{t.served_on}</dt><dd>{r.served_on.clone().unwrap_or_default()}</dd></div>
                    <div><dt>{t.window_end}</dt><dd>{r.reconsideration_window_end.clone().unwrap_or_default()}</dd></div>
                })}
            </dl>
        </div>
    }
}

/// What survives a reload of the form.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Draft {
    key: String,
    ground: String,
    deletion_ground: String,
    reason: String,
    files: Vec<Evidence>,
}

fn draft_key(kind: RequestKind, notice_id: i64) -> String {
    format!("{DRAFTS}request:{}:{notice_id}", kind.as_str())
}

#[component]
fn Form(
    notice_id: i64,
    kind: RequestKind,
    created: RwSignal<Option<PartyRequestCreated>>,
) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let expiry = Expiry::new();
    let stored: Draft = draft::load(&draft_key(kind, notice_id));
    let key = if stored.key.is_empty() {
        draft::new_key("request")
    } else {
        stored.key.clone()
    };
    let ground = RwSignal::new(stored.ground);
    let deletion_ground = RwSignal::new(stored.deletion_ground);
    let reason = RwSignal::new(stored.reason);
    let files = RwSignal::new(restored(stored.files));
    let errors = [
        "kind",
        "notice_id",
        "ground",
        "deletion_ground",
        "reason",
        "uploads",
    ]
    .map(|f| (f, RwSignal::new(None::<Invalid>)));
    let error = move |f: &str| {
        errors
            .iter()
            .find(|(name, _)| *name == f)
            .map(|(_, s)| *s)
            .expect("a field of the form")
    };
    let form_error = RwSignal::new(None::<ApiError>);
    {
        let key = key.clone();
        Effect::new(move |_| {
            let kept = Draft {
                key: key.clone(),
                ground: ground.get(),
                deletion_ground: deletion_ground.get(),
                reason: reason.get(),
                files: files.get(),
            };
            draft::save(&draft_key(kind, notice_id), &kept);
        });
    }
    let send = Action::new_local(move |(key, request): &(String, PartyRequestBody)| {
        let (key, request) = (key.clone(), request.clone());
        async move { expiry.check(api::party_request(&key, &request, lang).await) }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(answer)) => {
            draft::remove(&draft_key(kind, notice_id));
            created.set(Some(answer));
            focus_by_id("request-receipt");
        }
        Some(Err(e)) => match e.field().map(str::to_owned) {
            // A field the form shows: the message goes there.
            Some(field)
                if ["ground", "deletion_ground", "reason", "uploads"].contains(&field.as_str()) =>
            {
                let message = e.message(lang);
                show_errors(
                    &[Invalid::new(ErrorCode::InvalidValue, message.clone(), message).at(field)],
                    &errors,
                );
                focus_first_invalid();
            }
            // The kind or the listing (a reconsideration too late, a second open request): the
            // whole request, above the button.
            _ => form_error.set(Some(e)),
        },
        None => {}
    });
    let deletable = move || ground.get() == RequestGround::ShouldBeDeleted.as_str();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        let request = PartyRequestBody {
            kind: kind.as_str().to_owned(),
            notice_id: Some(notice_id),
            ground: ground.get_untracked(),
            // Only with the ground that asks for it; a choice left from before is not sent.
            deletion_ground: (ground.get_untracked() == RequestGround::ShouldBeDeleted.as_str())
                .then(|| deletion_ground.get_untracked()),
            reason: reason.get_untracked(),
            uploads: upload_ids(files),
        };
        let mut problems = request.validate(MAX_FILES).err().unwrap_or_default();
        if uploads_busy(files) {
            problems.push(busy_error(lang).at("uploads"));
        }
        show_errors(&problems, &errors);
        if problems.is_empty() {
            send.dispatch((key.clone(), request));
        } else {
            focus_first_invalid();
        }
    };
    let grounds: Vec<(String, String)> = RequestGround::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), g.label(lang).to_owned()))
        .collect();
    let deletion_grounds: Vec<(String, String)> = DeletionGround::ALL
        .iter()
        .map(|g| (g.as_str().to_owned(), g.label(lang).to_owned()))
        .collect();
    let count = move || reason.with(|r| r.trim().chars().count());
    view! {
        <form class="card form" novalidate on:submit=submit>
            <SelectField id="request-ground" label=t.ground placeholder=t.choose options=grounds
                value=ground error=error("ground") required=true/>
            <Show when=deletable>
                <SelectField id="request-deletion-ground" label=t.deletion_ground placeholder=t.choose
                    options=deletion_grounds.clone() value=deletion_ground error=error("deletion_ground") required=true/>
            </Show>
            <TextArea id="request-reason" label=t.reason hint=t.reason_hint rows=6 value=reason
                error=error("reason") required=true/>
            <p class="muted small party-counter" class:party-counter--over=move || { let n = count(); n > MAX_REASON || (n > 0 && n < MIN_REASON) }>
                {move || (t.reason_count)(count(), MIN_REASON, MAX_REASON)}
            </p>
            <EvidenceField id="request-files" label=t.evidence hint=t.evidence_hint files
                error=error("uploads") max=MAX_FILES/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true block=true disabled=send.pending()>
                {move || if send.pending().get() { t.submitting } else { t.request_submit }}
            </Button>
            <p class="muted small">{t.draft_note}</p>
        </form>
        <p><ButtonLink href=CASES variant=ButtonVariant::Secondary>{t.back_to_cases}</ButtonLink></p>
    }
}

/// The answer to a request: when it was received and the days the court must answer by.
#[component]
fn Receipt(created: PartyRequestCreated) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    view! {
        <h2 id="request-receipt" tabindex="-1">{t.requested_heading}</h2>
        <div class="card receipt" role="status">
            <dl class="facts">
                <div><dt>{t.request_number}</dt><dd class="mono">{format!("#{}", created.id)}</dd></div>
                <div><dt>{t.received_at}</dt><dd>{(t.beijing)(&beijing_time(&created.received_at))}</dd></div>
                <div><dt>{t.review_due}</dt><dd><strong>{created.review_due.clone()}</strong></dd></div>
                {created.correct_due.clone().map(|d| view! { <div><dt>{t.correct_due}</dt><dd><strong>{d}</strong></dd></div> })}
            </dl>
            <p>{t.requested_next}</p>
        </div>
        <p><ButtonLink href="/parties/requests" block=true>{t.to_requests}</ButtonLink></p>
    }
}
