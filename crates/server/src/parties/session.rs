//! A party's sign-in (`/api/v1/party/session`): name, identifier and access code (查询码) from the
//! court's letter. Behind the same admission control and guess budget as every public answer
//! that takes a full identifier, counted per subject and client network (so nobody elsewhere can
//! lock a party out) and per client network before the code is hashed, and one answer — 401
//! `not_recognised` — for every mismatch. The session is the party's own (never a staff
//! session): an HttpOnly cookie, ending after 30 idle minutes and after 2 hours whatever happens.

use axum::{
    extract::{FromRequestParts, State},
    http::{header, request::Parts, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use portal_core::{
    api::{ErrorBody, PartySession, PartySignIn},
    notice::SubjectId,
    time::{now_ms, rfc3339},
    ErrorCode,
};

use super::store;
use crate::{
    error::{AppError, AppResult},
    extract::{ApiJson, Client, SessionCookie},
    hashing::sha256_hex,
    keys::random_digits,
    staff::throttle::Attempt,
    state::AppState,
};

/// The party's session cookie.
const COOKIE: SessionCookie = SessionCookie {
    base: "portal_party",
};
/// A session ends this long after sign-in, whatever happens.
const SESSION_MS: i64 = 2 * 3600 * 1000;
/// A session unused this long ends.
pub const IDLE_MS: i64 = 30 * 60 * 1000;

/// The signed-in party; requests without a valid party session get 401.
pub struct Party {
    pub subject_id: String,
    pub name: String,
    pub expires_at: i64,
}

impl Party {
    pub fn subject(&self) -> AppResult<SubjectId> {
        Ok(SubjectId::parse_any(&self.subject_id)
            .map_err(|_| anyhow::anyhow!("a party session holds a malformed identifier"))?)
    }

    fn session(&self) -> AppResult<PartySession> {
        Ok(PartySession {
            name: self.name.clone(),
            masked_id: self.subject()?.masked(),
            expires_at: rfc3339(self.expires_at),
        })
    }
}

impl Party {
    /// The party the request's session cookie belongs to: for handlers that must admit the
    /// client before reading anything (the desk's public writes), where the extractor would
    /// read the session first.
    pub async fn of(state: &AppState, headers: &HeaderMap) -> AppResult<Party> {
        let token = COOKIE
            .token(&state.config, headers)
            .ok_or(AppError::Unauthorized)?;
        let now = now_ms();
        store::session(&state.db, &sha256_hex(&token), now, now - IDLE_MS)
            .await?
            .map(|s| Party {
                subject_id: s.subject_id,
                name: s.name,
                expires_at: s.expires_at,
            })
            .ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for Party {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        Party::of(state, &parts.headers).await
    }
}

fn not_recognised() -> AppError {
    AppError::refused(
        StatusCode::UNAUTHORIZED,
        ErrorCode::NotRecognised,
        "姓名、证件号码与查询码不匹配：请核对法院送达的告知书上的查询码",
        "The name, ID number and access code do not match: check the access code on the court's letter",
    )
}

/// `POST /party/session`.
#[utoipa::path(
    post,
    path = "/party/session",
    operation_id = "party_sign_in",
    summary = "Sign in at the parties' desk",
    description = "With the name, ID number and access code (查询码) on the court's letter. Every mismatch of the three is one 401 `not_recognised`; only malformed input gets field errors. Attempts count per subject (5 in 15 minutes) and per client network (20), then 429 `signin_locked` with `Retry-After`; a full ID also counts against the guess budget of its masked form.",
    request_body = PartySignIn,
    responses(
        (status = 200, description = "Signed in: the party session cookie is set (HttpOnly, SameSite=Strict; `__Host-` prefixed over HTTPS), ending after 30 idle minutes and 2 hours at most", body = PartySession,
            headers(("Set-Cookie" = String, description = "The party session cookie"))),
        (status = 400, description = "The body is not JSON or has fields of the wrong type", body = ErrorBody),
        (status = 401, description = "`not_recognised`: the name, ID number and access code do not match one party", body = ErrorBody),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
        (status = 413, description = "The body is over 1 MB", body = ErrorBody),
        (status = 422, description = "A field is malformed; `field` names it", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, the client must wait, too many IDs of one masked form were tried today, or too many attempts (`signin_locked`); `Retry-After` when waiting", body = ErrorBody),
    )
)]
pub(super) async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<PartySignIn>,
) -> AppResult<Response> {
    let who = req.validate()?;
    client.admit(&state).await?;
    state.spend_guess(&who.name, &who.subject_id).await?;
    let subject_key = state.keys.get().subject_key(who.subject_id.as_str());
    let attempt = Attempt::party(&subject_key, &client.key(&state));
    attempt.count(&state.db).await?;
    let code_hash = state
        .keys
        .get()
        .access_code_key(who.subject_id.as_str(), &who.access_code);
    let name = store::signs_in(
        &state.db,
        who.subject_id.as_str(),
        who.name.normalized(),
        &code_hash,
    )
    .await?
    .ok_or_else(not_recognised)?;
    attempt.succeeded(&state.db).await?;
    let token = random_digits(40);
    let now = now_ms();
    let party = Party {
        subject_id: who.subject_id.as_str().to_owned(),
        name,
        expires_at: now + SESSION_MS,
    };
    store::create_session(
        &state.db,
        &sha256_hex(&token),
        &party.subject_id,
        &party.name,
        now,
        party.expires_at,
    )
    .await?;
    let mut res = Json(party.session()?).into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        COOKIE.header(&state.config, &token, SESSION_MS / 1000),
    );
    Ok(res)
}

/// `GET /party/session`: who is signed in, until when.
#[utoipa::path(
    get,
    path = "/party/session",
    operation_id = "party_session",
    summary = "Who is signed in, until when",
    security(("party_session" = [])),
    responses(
        (status = 200, description = "The signed-in party", body = PartySession),
        (status = 401, description = "No party session, or it has ended", body = ErrorBody),
    )
)]
pub(super) async fn current(party: Party) -> AppResult<Json<PartySession>> {
    Ok(Json(party.session()?))
}

/// `DELETE /party/session`.
#[utoipa::path(
    delete,
    path = "/party/session",
    operation_id = "party_sign_out",
    summary = "Sign out",
    description = "Ends the party session the cookie carries, if any, and clears the cookie.",
    security((), ("party_session" = [])),
    responses(
        (status = 204, description = "Signed out", headers(("Set-Cookie" = String, description = "Clears the party session cookie"))),
        (status = 403, description = "A browser's cross-site request", body = ErrorBody),
    )
)]
pub(super) async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if let Some(token) = COOKIE.token(&state.config, &headers) {
        store::end_session(&state.db, &sha256_hex(&token)).await?;
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut()
        .insert(header::SET_COOKIE, COOKIE.header(&state.config, "", 0));
    Ok(res)
}
