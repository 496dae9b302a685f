//! The portal's only door to the server: one function per endpoint, typed with `core`'s API
//! shapes, and one error type that decodes the server's JSON error body.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::set_timeout;
use portal_core::{
    api::{
        CreditorAnswerBody, ErrorBody, ErrorDetail, LoginRequest, LookupRequest, LookupResponse,
        NoticeDetail, PartyCases, PartyChecks, PartyDeclaration, PartyDeclarationCreated,
        PartyRequestBody, PartyRequestCreated, PartyRequests, PartySession, PartySignIn,
        PerformanceDeclarationRequest, StaffDecisionRequest, StaffDeclarations, StaffPartyRequests,
        StaffSession, Stats, VerifyRequest, VerifyResponse, POW_HEADER,
    },
    article::{
        ArticleCreated, ArticleInput, Preview, PreviewRequest, PublishRequest, StaffArticles,
    },
    certificate::{
        ApplicationAccepted, ApplicationRequest, ApplicationState, ApplicationStatusRequest,
        Issued, ReasonRequest, StaffApplications,
    },
    publicity::{ExposurePage, ExposureRequest},
    reward::{RewardDetail, RewardsResponse},
    tip::{
        StaffTipContact, StaffTipDetail, StaffTipsResponse, StatusChange, TipAccepted,
        TipAdditionAccepted, TipAdditionRequest, TipRequest, TipStatusRequest, TipStatusResponse,
    },
    Lang,
};
use serde::de::DeserializeOwned;

/// A request is abandoned after this long so that no spinner waits forever on a bad network.
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: offline, timed out, or the connection broke.
    Network,
    /// The server answered with an error in the API's format.
    Server { status: u16, detail: ErrorDetail },
    /// The server answered something this client does not understand.
    Unexpected(u16),
}

impl ApiError {
    /// The message to show, in `lang`: the server's own (it already wrote it in the language the
    /// request asked for), or the portal's words for what went wrong on the way.
    pub fn message(&self, lang: Lang) -> String {
        let t = crate::i18n::strings(lang);
        match self {
            ApiError::Server { detail, .. } => detail.message.clone(),
            ApiError::Network => t.chrome().network_error.to_owned(),
            ApiError::Unexpected(_) => t.shell().server_error.to_owned(),
        }
    }

    /// The request field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Server { detail, .. } => detail.field.as_deref(),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } | ApiError::Unexpected(status) => Some(*status),
            ApiError::Network => None,
        }
    }
}

fn prepare(builder: RequestBuilder, lang: Lang) -> RequestBuilder {
    let builder = builder
        .header("Accept-Language", lang.tag())
        .header("Accept", "application/json");
    match web_sys::AbortController::new() {
        Ok(controller) => {
            let builder = builder.abort_signal(Some(&controller.signal()));
            set_timeout(move || controller.abort(), TIMEOUT);
            builder
        }
        Err(_) => builder,
    }
}

/// Sends a request whose success has no body (204): `Ok(())`, or the server's error.
async fn send_expecting_nothing(
    request: Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<(), ApiError> {
    let response = request
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        decode::<()>(response).await
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let (status, text) = success_text(response).await?;
    parse(status, &text)
}

/// A successful response's status and body, or the server's error. Not generic: the waiting and
/// the error's reading exist once in the bundle, not once for every type it reads.
async fn success_text(response: Response) -> Result<(u16, String), ApiError> {
    let status = response.status();
    let ok = response.ok();
    let text = response.text().await;
    match text {
        Ok(text) if ok => Ok((status, text)),
        Ok(text) => match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => Err(ApiError::Server {
                status,
                detail: body.error,
            }),
            Err(_) => Err(ApiError::Unexpected(status)),
        },
        Err(_) => Err(ApiError::Unexpected(status)),
    }
}

async fn get<T: DeserializeOwned>(path: &str, lang: Lang) -> Result<T, ApiError> {
    let response = prepare(Request::get(path), lang)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    decode(response).await
}

async fn post<B: serde::Serialize, T: DeserializeOwned>(
    path: &str,
    body: &B,
    lang: Lang,
) -> Result<T, ApiError> {
    let request = prepare(Request::post(path), lang)
        .json(body)
        .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    decode(response).await
}

/// A successful response's body as `T`; a body that does not read as one is unexpected.
fn parse<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::Unexpected(status))
}

/// Sends a request built by `build`; when the server asks for a proof of work (past the free
/// allowance of lookups), solves it and sends the request again with the solution.
async fn send_with_challenge<T: DeserializeOwned>(
    build: impl Fn(Option<&str>) -> Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let (status, text) = challenged_text(&build).await?;
    parse(status, &text)
}

/// [`send_with_challenge`] up to the body's text: not generic, so it exists once in a bundle.
async fn challenged_text(
    build: &dyn Fn(Option<&str>) -> Result<gloo_net::http::Request, gloo_net::Error>,
) -> Result<(u16, String), ApiError> {
    let mut solution: Option<String> = None;
    for _ in 0..3 {
        let request = build(solution.as_deref()).map_err(|_| ApiError::Network)?;
        let response = request.send().await.map_err(|_| ApiError::Network)?;
        match success_text(response).await {
            Err(ApiError::Server {
                detail:
                    ErrorDetail {
                        challenge: Some(challenge),
                        ..
                    },
                ..
            }) => {
                solution = Some(format!("{}:{}", challenge.seed, solve(&challenge).await));
            }
            other => return other,
        }
    }
    Err(ApiError::Unexpected(429))
}

pub use portal_lite::solve;

fn with_pow(builder: RequestBuilder, solution: Option<&str>) -> RequestBuilder {
    match solution {
        Some(s) => builder.header(POW_HEADER, s),
        None => builder,
    }
}

pub async fn lookup(request: &LookupRequest, lang: Lang) -> Result<LookupResponse, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/lookup"), lang), pow).json(request)
    })
    .await
}

pub async fn verify(request: &VerifyRequest, lang: Lang) -> Result<VerifyResponse, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/verify"), lang), pow).json(request)
    })
    .await
}

pub async fn notice(id: i64, lang: Lang) -> Result<NoticeDetail, ApiError> {
    let path = format!("/api/v1/notices/{id}");
    send_with_challenge(|pow| with_pow(prepare(Request::get(&path), lang), pow).build()).await
}

pub async fn stats(lang: Lang) -> Result<Stats, ApiError> {
    get("/api/v1/stats", lang).await
}

pub async fn staff_login(request: LoginRequest, lang: Lang) -> Result<StaffSession, ApiError> {
    post("/api/v1/staff/login", &request, lang).await
}

/// The signed-in staff member, or `None` when nobody is signed in.
pub async fn staff_me(lang: Lang) -> Result<Option<StaffSession>, ApiError> {
    match get("/api/v1/staff/me", lang).await {
        Ok(session) => Ok(Some(session)),
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn staff_logout(lang: Lang) -> Result<(), ApiError> {
    send_expecting_nothing(prepare(Request::post("/api/v1/staff/logout"), lang).build()).await
}

/// `GET /api/v1/rewards?{query}`; the query is built by the rewards page from its address.
pub async fn rewards(query: &str, lang: Lang) -> Result<RewardsResponse, ApiError> {
    get(&format!("/api/v1/rewards?{query}"), lang).await
}

pub async fn reward(id: i64, lang: Lang) -> Result<RewardDetail, ApiError> {
    get(&format!("/api/v1/rewards/{id}"), lang).await
}

/// `POST /api/v1/tips`. The key is made once per filled-in form and sent again on every retry,
/// so a tip sent twice over a flaky network is stored once and answered the same.
pub async fn submit_tip(key: &str, tip: &TipRequest, lang: Lang) -> Result<TipAccepted, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/tips"), lang), pow)
            .header("Idempotency-Key", key)
            .json(tip)
    })
    .await
}

/// `POST /api/v1/tips/additions`: more for a lead, once per `key`.
pub async fn add_to_tip(
    key: &str,
    request: &TipAdditionRequest,
    lang: Lang,
) -> Result<TipAdditionAccepted, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/tips/additions"), lang), pow)
            .header("Idempotency-Key", key)
            .json(request)
    })
    .await
}

pub async fn tip_status(
    request: &TipStatusRequest,
    lang: Lang,
) -> Result<TipStatusResponse, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/tips/status"), lang), pow).json(request)
    })
    .await
}

/// `GET /api/v1/staff/tips?{query}`: the signed-in reviewer's court's queue.
pub async fn staff_tips(query: &str, lang: Lang) -> Result<StaffTipsResponse, ApiError> {
    get(&format!("/api/v1/staff/tips?{query}"), lang).await
}

pub async fn staff_tip(id: i64, lang: Lang) -> Result<StaffTipDetail, ApiError> {
    get(&format!("/api/v1/staff/tips/{id}"), lang).await
}

/// The tipster's contact: each call is written to the audit log.
pub async fn staff_tip_contact(id: i64, lang: Lang) -> Result<StaffTipContact, ApiError> {
    get(&format!("/api/v1/staff/tips/{id}/contact"), lang).await
}

pub async fn staff_tip_status(
    id: i64,
    change: &StatusChange,
    lang: Lang,
) -> Result<TipStatusResponse, ApiError> {
    post(&format!("/api/v1/staff/tips/{id}/status"), change, lang).await
}

pub async fn staff_tip_claim(id: i64, lang: Lang) -> Result<(), ApiError> {
    send_expecting_nothing(
        prepare(
            Request::post(&format!("/api/v1/staff/tips/{id}/claim")),
            lang,
        )
        .build(),
    )
    .await
}

/// `POST /api/v1/certificates/applications`, behind the same proof of work as lookups.
pub async fn apply_for_certificate(
    request: &ApplicationRequest,
    lang: Lang,
) -> Result<ApplicationAccepted, ApiError> {
    send_with_challenge(|pow| {
        with_pow(
            prepare(Request::post("/api/v1/certificates/applications"), lang),
            pow,
        )
        .json(request)
    })
    .await
}

/// `POST /api/v1/certificates/applications/status`, behind the same proof of work as lookups.
pub async fn certificate_application(
    request: &ApplicationStatusRequest,
    lang: Lang,
) -> Result<ApplicationState, ApiError> {
    send_with_challenge(|pow| {
        with_pow(
            prepare(
                Request::post("/api/v1/certificates/applications/status"),
                lang,
            ),
            pow,
        )
        .json(request)
    })
    .await
}

/// `GET /api/v1/certificates/{number}?channel=…`: the certificate and its live status (the look is
/// logged for its subject).
pub async fn certificate(
    number: &str,
    channel: &str,
    lang: Lang,
) -> Result<portal_core::certificate::CertificateRecord, ApiError> {
    get(
        &format!("/api/v1/certificates/{number}?channel={channel}"),
        lang,
    )
    .await
}

/// `GET /api/v1/certificates/{number}/qr?name=…`: the QR code's modules (the subject's name is
/// needed: the code carries the signed certificate).
pub async fn certificate_qr(
    number: &str,
    name: &str,
    lang: Lang,
) -> Result<portal_core::certificate::QrModules, ApiError> {
    get(
        &format!(
            "/api/v1/certificates/{number}/qr?name={}",
            crate::search::encode_query(name)
        ),
        lang,
    )
    .await
}

/// `POST /api/v1/certificates/confirmations/lookup`: what a creditor is asked to confirm.
pub async fn creditor_lookup(
    request: &portal_core::certificate::CreditorRequest,
    lang: Lang,
) -> Result<portal_core::certificate::CreditorView, ApiError> {
    send_with_challenge(|pow| {
        with_pow(
            prepare(
                Request::post("/api/v1/certificates/confirmations/lookup"),
                lang,
            ),
            pow,
        )
        .json(request)
    })
    .await
}

/// `POST /api/v1/certificates/confirmations`: the creditor's answer.
pub async fn creditor_answer(
    request: &portal_core::certificate::CreditorRequest,
    lang: Lang,
) -> Result<(), ApiError> {
    send_expecting_nothing(
        prepare(Request::post("/api/v1/certificates/confirmations"), lang).json(request),
    )
    .await
}

/// `GET /api/v1/staff/certificates/applications?{query}`.
pub async fn staff_applications(query: &str, lang: Lang) -> Result<StaffApplications, ApiError> {
    get(
        &format!("/api/v1/staff/certificates/applications?{query}"),
        lang,
    )
    .await
}

pub async fn staff_issue(id: i64, lang: Lang) -> Result<Issued, ApiError> {
    post(
        &format!("/api/v1/staff/certificates/applications/{id}/issue"),
        &serde_json::json!({}),
        lang,
    )
    .await
}

/// Refuses an application, or revokes or replaces a certificate (`path` under
/// `/api/v1/staff/certificates/`), with a reason.
pub async fn staff_certificate_decision(
    path: &str,
    reason: &ReasonRequest,
    lang: Lang,
) -> Result<(), ApiError> {
    send_expecting_nothing(
        prepare(
            Request::post(&format!("/api/v1/staff/certificates/{path}")),
            lang,
        )
        .json(reason),
    )
    .await
}

pub async fn staff_articles(lang: Lang) -> Result<StaffArticles, ApiError> {
    get("/api/v1/staff/articles", lang).await
}

/// Saves an article: a new draft (`id` none; its id and slug come back) or new words for `id`.
pub async fn staff_article_save(
    id: Option<i64>,
    input: &ArticleInput,
    lang: Lang,
) -> Result<Option<ArticleCreated>, ApiError> {
    match id {
        None => post("/api/v1/staff/articles", input, lang).await.map(Some),
        Some(id) => send_expecting_nothing(
            prepare(Request::put(&format!("/api/v1/staff/articles/{id}")), lang).json(input),
        )
        .await
        .map(|()| None),
    }
}

/// Publishes now, or at `at` (RFC 3339), or (`publish` false) takes the article down.
pub async fn staff_article_publish(
    id: i64,
    publish: bool,
    at: Option<String>,
    lang: Lang,
) -> Result<(), ApiError> {
    let action = if publish { "publish" } else { "unpublish" };
    send_expecting_nothing(
        prepare(
            Request::post(&format!("/api/v1/staff/articles/{id}/{action}")),
            lang,
        )
        .json(&PublishRequest { at }),
    )
    .await
}

/// The HTML an article's Markdown would publish as.
pub async fn staff_article_preview(markdown: &str, lang: Lang) -> Result<Preview, ApiError> {
    post(
        "/api/v1/staff/articles/preview",
        &PreviewRequest {
            markdown: markdown.to_owned(),
        },
        lang,
    )
    .await
}

pub async fn staff_exposure(lang: Lang) -> Result<ExposurePage, ApiError> {
    get("/api/v1/staff/exposure", lang).await
}

pub async fn staff_expose(request: &ExposureRequest, lang: Lang) -> Result<(), ApiError> {
    send_expecting_nothing(prepare(Request::post("/api/v1/staff/exposure"), lang).json(request))
        .await
}

pub async fn staff_unexpose(notice_id: i64, lang: Lang) -> Result<(), ApiError> {
    send_expecting_nothing(
        prepare(
            Request::delete(&format!("/api/v1/staff/exposure/{notice_id}")),
            lang,
        )
        .build(),
    )
    .await
}

/// Uploads an image for an article; the Markdown that shows it comes back.
pub async fn staff_article_image(file: &web_sys::File, lang: Lang) -> Result<String, ApiError> {
    #[derive(serde::Deserialize)]
    struct Uploaded {
        markdown: String,
    }
    let request = prepare(Request::post("/api/v1/staff/articles/images"), lang)
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| ApiError::Network)?;
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    decode::<Uploaded>(response).await.map(|u| u.markdown)
}

// The parties' desk (DESIGN §7.8). The party's session is an HttpOnly cookie the browser sends
// with every same-origin request; a 401 from any of these means it has ended.

/// `POST /api/v1/party/session`: name, ID number and access code; every mismatch is one 401
/// `not_recognised`. Behind the same proof of work as lookups.
pub async fn party_sign_in(request: &PartySignIn, lang: Lang) -> Result<PartySession, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/party/session"), lang), pow).json(request)
    })
    .await
}

/// `GET /api/v1/party/session`: the signed-in party, or `None` when nobody is (401).
pub async fn party_session(lang: Lang) -> Result<Option<PartySession>, ApiError> {
    match get("/api/v1/party/session", lang).await {
        Ok(session) => Ok(Some(session)),
        Err(e) if e.status() == Some(401) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `DELETE /api/v1/party/session` (204).
pub async fn party_sign_out(lang: Lang) -> Result<(), ApiError> {
    send_expecting_nothing(prepare(Request::delete("/api/v1/party/session"), lang).build()).await
}

/// `GET /api/v1/party/cases`: the signed-in party's own cases with every listing about them.
pub async fn party_cases(lang: Lang) -> Result<PartyCases, ApiError> {
    get("/api/v1/party/cases", lang).await
}

/// `GET /api/v1/party/requests`: the party's correction and reconsideration requests.
pub async fn party_requests(lang: Lang) -> Result<PartyRequests, ApiError> {
    get("/api/v1/party/requests", lang).await
}

/// `GET /api/v1/party/checks`: who checked the party's ID in the last 6 months.
pub async fn party_checks(lang: Lang) -> Result<PartyChecks, ApiError> {
    get("/api/v1/party/checks", lang).await
}

/// `POST /api/v1/party/performance` (201). The key is kept with the form's draft, so a retry after
/// a timeout is the same request and the payment is declared once.
pub async fn party_declare(
    key: &str,
    request: &PerformanceDeclarationRequest,
    lang: Lang,
) -> Result<PartyDeclarationCreated, ApiError> {
    send_with_challenge(|pow| {
        with_pow(
            prepare(Request::post("/api/v1/party/performance"), lang),
            pow,
        )
        .header("Idempotency-Key", key)
        .json(request)
    })
    .await
}

/// `POST /api/v1/party/requests` (201): a correction or reconsideration request, once per `key`.
pub async fn party_request(
    key: &str,
    request: &PartyRequestBody,
    lang: Lang,
) -> Result<PartyRequestCreated, ApiError> {
    send_with_challenge(|pow| {
        with_pow(prepare(Request::post("/api/v1/party/requests"), lang), pow)
            .header("Idempotency-Key", key)
            .json(request)
    })
    .await
}

/// `POST /api/v1/party/declarations/{id}/answer` `{"answer","note"}`: the signed-in creditor of the
/// declaration's case confirms or disputes it (404 for anyone else).
pub async fn party_declaration_answer(
    id: i64,
    body: &CreditorAnswerBody,
    lang: Lang,
) -> Result<PartyDeclaration, ApiError> {
    let path = format!("/api/v1/party/declarations/{id}/answer");
    send_with_challenge(|pow| with_pow(prepare(Request::post(&path), lang), pow).json(body)).await
}

/// `GET /api/v1/staff/party/requests`: the reviewer's court's queue, by due date.
pub async fn staff_party_requests(lang: Lang) -> Result<StaffPartyRequests, ApiError> {
    get("/api/v1/staff/party/requests", lang).await
}

/// `POST /api/v1/staff/party/requests/{id}/decision`.
pub async fn staff_party_request_decision(
    id: i64,
    decision: &StaffDecisionRequest,
    lang: Lang,
) -> Result<(), ApiError> {
    send_expecting_nothing(
        prepare(
            Request::post(&format!("/api/v1/staff/party/requests/{id}/decision")),
            lang,
        )
        .json(decision),
    )
    .await
}

/// `GET /api/v1/staff/party/declarations`: declared payments waiting for the court.
pub async fn staff_declarations(lang: Lang) -> Result<StaffDeclarations, ApiError> {
    get("/api/v1/staff/party/declarations", lang).await
}

/// `POST /api/v1/staff/party/declarations/{id}/decision`.
pub async fn staff_declaration_decision(
    id: i64,
    decision: &StaffDecisionRequest,
    lang: Lang,
) -> Result<(), ApiError> {
    send_expecting_nothing(
        prepare(
            Request::post(&format!("/api/v1/staff/party/declarations/{id}/decision")),
            lang,
        )
        .json(decision),
    )
    .await
}
