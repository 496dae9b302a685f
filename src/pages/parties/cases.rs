//! `/parties/cases`: every case of the signed-in party as a card — where it stands, what is owed
//! and by when, every listing about them (in its grace period, published, deleted), the risk
//! notice for a debtor before enforcement, and what they can do next.

use leptos::prelude::*;
use portal_core::{
    api::{PartyCase, PartyListing, PartyRequestItem, PartySession},
    party::{
        shows_risk_notice, CaseStatus, DeclarationStatus, ListingStatus, PartyRole, RequestKind,
        RequestStatus, RiskItem, CONSEQUENCES, VOLUNTARY_BENEFITS,
    },
    time::court_today,
    Lang,
};

use super::{days_until, fen, yuan, Expiry, SignedIn};
use crate::{
    api::{self, ApiError},
    components::{
        badges::ListBadges,
        button::{ButtonLink, ButtonVariant},
        fetch::Fetch,
        title::PageTitle,
    },
    i18n::{strings, use_i18n},
    search::encode_query,
};

#[component]
pub fn PartyCasesPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let expiry = Expiry::new();
    // Asked at once, beside the session. The requests say which listings have one under review
    // and which refusals may still be taken to reconsideration.
    let found = LocalResource::new(move || async move {
        let cases = expiry.check(api::party_cases(lang).await)?;
        let requests = expiry.check(api::party_requests(lang).await)?;
        Ok((cases.cases, requests.requests))
    });
    view! {
        <PageTitle text=t.cases_title/>
        <section class="page page--narrow">
            <SignedIn let:session>
                <h1>{t.cases_title}</h1>
                <Cases session found/>
            </SignedIn>
        </section>
    }
}

type CasesAndRequests = (Vec<PartyCase>, Vec<PartyRequestItem>);

#[component]
fn Cases(
    session: PartySession,
    found: LocalResource<Result<CasesAndRequests, ApiError>>,
) -> impl IntoView {
    let t = use_i18n().tr_now().party();
    let name = session.name;
    view! {
        <Fetch resource=found let:found>
            {
                let (cases, requests) = found;
                if cases.is_empty() {
                    view! { <p class="empty" role="status">{t.cases_empty}</p> }.into_any()
                } else {
                    view! {
                        <p class="results__count" role="status">{(t.cases_count)(cases.len())}</p>
                        {cases.into_iter().enumerate().map(|(i, case)| view! {
                            <CaseCard i case requests=requests.clone() name=name.clone()/>
                        }).collect_view()}
                    }.into_any()
                }
            }
        </Fetch>
    }
}

/// The badge class of a case's status: open in amber, performed in green, closed plain.
fn status_class(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => "badge badge--warn",
        CaseStatus::Performed => "badge badge--ok",
        CaseStatus::Closed => "badge badge--plain",
    }
}

/// "还有 12 天" / "今天到期" / "已过期 3 天", counted in days at the courts.
fn countdown(due_on: &str, lang: Lang) -> Option<String> {
    let t = strings(lang).party();
    days_until(due_on).map(|d| match d {
        0 => t.due_today.to_owned(),
        d if d > 0 => (t.days_left)(d),
        d => (t.days_overdue)(-d),
    })
}

#[component]
fn CaseCard(
    /// The card's place in the list, for its ids.
    i: usize,
    case: PartyCase,
    /// Every request of the party, to find those about this case's listings.
    requests: Vec<PartyRequestItem>,
    /// The signed-in party's name, for the certificate application.
    name: String,
) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let heading = format!("party-case-{i}");
    let labelled = heading.clone();
    let open = case.status == CaseStatus::Open;
    let debtor = case.role == PartyRole::Debtor;
    let pending_fen: i64 = case
        .pending_declarations
        .iter()
        .filter(|d| d.status.is_pending())
        .map(|d| fen(&d.amount))
        .sum();
    let outstanding = fen(&case.amount) - fen(&case.paid) - pending_fen;
    // The creditor's answers still to give.
    let waiting = case
        .pending_declarations
        .iter()
        .filter(|d| d.status == DeclarationStatus::Received)
        .count();
    let performed =
        case.status == CaseStatus::Performed || fen(&case.paid) >= fen(&case.amount).max(1);
    let due = open.then(|| countdown(&case.due_on, lang)).flatten();
    let overdue = open && days_until(&case.due_on).is_some_and(|d| d < 0);
    let risk = shows_risk_notice(case.stage, case.role, case.status);
    let declare_href = format!("/parties/declare?case={}", encode_query(&case.case_number));
    // What was paid, or the obligation when the court's system marked it performed without
    // payments here.
    let certified = if fen(&case.paid) > 0 {
        &case.paid
    } else {
        &case.amount
    };
    let certificate_href = format!(
        "/certificates/apply?case={}&name={}&stage={}&amount={}",
        encode_query(&case.case_number),
        encode_query(&name),
        case.stage.as_str(),
        encode_query(certified),
    );
    let due_on = case.due_on.clone();
    view! {
        <article class="card party-case" aria-labelledby=labelled>
            <h2 id=heading class="party-case__number">{case.case_number.clone()}</h2>
            <p class="muted">{case.court.clone()}</p>
            <ul class="badges">
                <li class="badge badge--info">{case.role.label(lang)}</li>
                <li class="badge badge--plain">{case.stage.label(lang)}</li>
                <li class=status_class(case.status)>{case.status.label(lang)}</li>
            </ul>
            <dl class="facts">
                <div><dt>{t.obligation}</dt><dd>{case.obligation.clone()}</dd></div>
                <div><dt>{t.amount}</dt><dd>{yuan(&case.amount, lang)}</dd></div>
                <div><dt>{t.paid}</dt><dd>{yuan(&case.paid, lang)}</dd></div>
                <div>
                    <dt>{t.due_on}</dt>
                    <dd>
                        {case.due_on.clone()}
                        {due.map(|d| view! {
                            " "<strong class=if overdue { "party-case__late" } else { "" }>{d}</strong>
                        })}
                    </dd>
                </div>
            </dl>
            {(!case.pending_declarations.is_empty()).then(|| view! {
                <h3>{t.declarations_heading}</h3>
                <ul class="party-list">
                    {case.pending_declarations.iter().map(|d| view! {
                        <li>
                            {(t.declaration_line)(&yuan(&d.amount, lang), &d.paid_on, d.method.label(lang))}
                            " "<span class="badge badge--info">{d.status.label(lang)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!case.listings.is_empty()).then(|| view! {
                <h3>{t.listings_heading}</h3>
                <ul class="party-list">
                    {case.listings.iter().cloned().map(|l| view! { <Listing listing=l requests=requests.clone()/> }).collect_view()}
                </ul>
            })}
            {risk.then(|| view! { <RiskNotice due_on/> })}
            <div class="party-case__actions">
                {(!debtor && waiting > 0).then(|| view! {
                    <ButtonLink href="/parties/confirm" block=true>{(t.confirm_waiting)(waiting)}</ButtonLink>
                })}
                {(debtor && open && outstanding > 0).then(|| view! {
                    <ButtonLink href=declare_href block=true>{t.declare}</ButtonLink>
                })}
                {(debtor && open && outstanding <= 0 && pending_fen > 0).then(|| view! {
                    <p class="muted small">{t.all_declared}</p>
                })}
                {(debtor && performed).then(|| view! {
                    <ButtonLink href=certificate_href variant=ButtonVariant::Secondary block=true>{t.apply_certificate}</ButtonLink>
                })}
            </div>
        </article>
    }
}

/// A correction refused whose reconsideration window is still open and not yet used: the
/// reconsideration may be asked for until the returned day.
fn reconsideration_open(notice_id: i64, requests: &[PartyRequestItem]) -> Option<String> {
    let today = portal_core::time::ymd(court_today());
    requests
        .iter()
        .filter(|r| r.notice_id == notice_id && r.status == RequestStatus::Refused)
        .filter(|r| {
            !requests.iter().any(|other| {
                other.kind == RequestKind::Reconsideration && other.correction_id == Some(r.id)
            })
        })
        .filter_map(|r| r.reconsideration_window_end.clone())
        // ISO dates order as text.
        .find(|end| *end >= today)
}

#[component]
fn Listing(listing: PartyListing, requests: Vec<PartyRequestItem>) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let lists: Vec<String> = listing
        .lists
        .iter()
        .map(|l| l.as_str().to_owned())
        .collect();
    let id = listing.notice_id;
    let state = match listing.status {
        ListingStatus::Grace => (t.listing_grace)(&listing.published_on),
        ListingStatus::Published => (t.listing_published)(&listing.published_on),
        ListingStatus::Deleted => (t.listing_deleted)(
            listing.deleted_on.as_deref().unwrap_or(""),
            listing.deletion_reason.map(|r| r.label(lang)).unwrap_or(""),
        ),
    };
    let badge = match listing.status {
        ListingStatus::Grace => "badge badge--warn",
        ListingStatus::Published => "badge badge--danger",
        ListingStatus::Deleted => "badge badge--plain",
    };
    let under_review = requests
        .iter()
        .any(|r| r.notice_id == id && r.status.is_open());
    let reconsider = reconsideration_open(id, &requests);
    let correctable = listing.status != ListingStatus::Deleted;
    view! {
        <li class="party-listing">
            <ListBadges lists/>
            <p><span class=badge>{listing.status.label(lang)}</span>" "{state}</p>
            {listing.delisting_due.clone().map(|d| view! {
                <p class="status status--ok">{(t.delisting_due)(&d)}</p>
            })}
            {if under_review {
                view! { <p><a href="/parties/requests">{t.request_under_review}</a></p> }.into_any()
            } else {
                view! {
                    {reconsider.map(|end| view! {
                        <p><a href=format!("/parties/request?notice={id}&kind=reconsideration")>{(t.ask_reconsideration)(&end)}</a></p>
                    })}
                    {correctable.then(|| view! {
                        <p><a href=format!("/parties/request?notice={id}&kind=correction")>{t.ask_correction}</a></p>
                    })}
                }.into_any()
            }}
        </li>
    }
}

/// 履行风险告知: what follows if the deadline passes, and what performing on time brings, each
/// point folded so a phone shows the titles first.
#[component]
fn RiskNotice(due_on: String) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).party();
    let item = move |item: &RiskItem| {
        view! {
            <details class="disclosure">
                <summary>{item.title(lang)}</summary>
                <p>{item.text(lang)}</p>
                <p class="muted small">{t.source}{item.source(lang)}</p>
            </details>
        }
    };
    view! {
        <section class="risk" aria-label=t.risk_heading>
            <h3>{t.risk_heading}</h3>
            <p>{(t.risk_intro)(&due_on)}</p>
            <h4>{t.consequences_heading}</h4>
            {CONSEQUENCES.iter().map(item).collect_view()}
            <h4>{t.benefits_heading}</h4>
            {VOLUNTARY_BENEFITS.iter().map(item).collect_view()}
        </section>
    }
}
