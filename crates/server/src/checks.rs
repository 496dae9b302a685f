//! Who checked me (DESIGN §7.8): the log of checks about a party's identifier — partner and
//! widget checks, looks at their certificates — read from the features that keep it. It sits
//! above the parties' desk and certificates so that neither imports the other: the desk's
//! session says who is asking, `partners`, `notices`, `parties` and `certificates` say what
//! was checked.

use axum::{extract::State, routing::get, Json, Router};
use portal_core::{
    api::{ErrorBody, PartyCheck, PartyChecks},
    party::CheckChannel,
    time::{now_ms, rfc3339},
};

use crate::{
    certificates,
    error::{stored, AppResult},
    notices, parties,
    parties::Party,
    partners,
    state::AppState,
};

/// How long "who checked me" looks back, and how long the checks are kept.
pub const CHECKS_KEPT_MS: i64 = 183 * 86_400_000;

pub fn router() -> Router<AppState> {
    Router::new().route("/party/checks", get(checks))
}

/// `GET /party/checks`: partner and widget checks of the party's identifier and looks at their
/// certificates, in the last 6 months — dates, channels and purposes, never who or from where.
#[utoipa::path(
    get,
    path = "/party/checks",
    operation_id = "party_checks",
    summary = "Who checked me",
    description = "Partner and widget checks of the party's identifier and verifications of their certificates in the last 6 months, newest first: dates, channels, partners and purposes, never who or from where.",
    security(("party_session" = [])),
    responses(
        (status = 200, description = "The checks", body = PartyChecks),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
    )
)]
pub(crate) async fn checks(
    State(state): State<AppState>,
    party: Party,
) -> AppResult<Json<PartyChecks>> {
    let since = now_ms() - CHECKS_KEPT_MS;
    let subject_key = state.keys.get().subject_key(&party.subject_id);
    let mut found: Vec<(i64, PartyCheck)> = Vec::new();
    for c in partners::store::checks_of_subject(&state.db, &subject_key, since).await? {
        found.push((
            c.created_at,
            PartyCheck {
                at: rfc3339(c.created_at),
                channel: stored(
                    CheckChannel::from_partner_audit(&c.channel),
                    "check channel",
                    &c.channel,
                )?,
                partner: Some(c.partner),
                purpose: Some(c.purpose),
            },
        ));
    }
    let notice_ids: Vec<i64> = notices::store::listings_of(&state.db, &party.subject_id)
        .await?
        .iter()
        .map(|l| l.id)
        .collect();
    let case_ids: Vec<i64> = parties::store::cases_of(&state.db, &party.subject_id)
        .await?
        .iter()
        .map(|c| c.case_id)
        .collect();
    for v in
        certificates::store::verifications_about(&state.db, &notice_ids, &case_ids, since).await?
    {
        found.push((
            v.at,
            PartyCheck {
                at: rfc3339(v.at),
                channel: stored(
                    CheckChannel::from_verification(&v.channel),
                    "verification channel",
                    &v.channel,
                )?,
                partner: v.partner,
                purpose: None,
            },
        ));
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.0));
    Ok(Json(PartyChecks {
        checks: found.into_iter().map(|(_, c)| c).collect(),
    }))
}
