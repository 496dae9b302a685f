//! Certificates over HTTP (DESIGN §7.6): applications and their status page, the court's review,
//! the public record of each certificate (every look logged for its subject), the partner check,
//! and the court keys.

use crate::extract::ApiQuery;
use axum::{
    extract::{Path, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use portal_core::time::{court_today, now_ms, rfc3339_millis};
use portal_core::{
    api::ErrorBody,
    certificate::{
        certificate_number, parse_certificate_number, ApplicationAccepted, ApplicationRequest,
        ApplicationState, ApplicationStatus, ApplicationStatusRequest, CertificatePayload,
        CertificateRecord, CertificateStatus, CertificateStatusOnly, CreditorAnswer,
        CreditorRequest, CreditorState, CreditorView, Issued, PartnerVerifyRequest, PayloadSubject,
        ReasonRequest, SignedPayload, StaffApplication, StaffApplications, Stage,
        VerificationEntry, CREDITOR_DAYS,
    },
    notice::SubjectId,
    tip::{tracking_code_from, PIN_DIGITS, TRACKING_DIGITS},
    ErrorCode, PersonName,
};
use serde::Deserialize;

use super::store::{self, ApplicationRow, CertificateRow, Issue, NewApplication};
use crate::{
    error::{stored, AppError, AppResult},
    extract::{ApiJson, Client},
    frontend::{not_built, Frontend},
    hashing::{hash_secret, tracking_hash},
    keys::random_digits,
    partners::Authenticated,
    staff::{store::audit, Role, SignedIn},
    state::{public_origin, AppState},
};

/// Staff who decide on applications.
const REVIEWERS: &[Role] = &[Role::Admin, Role::Reviewer];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/certificates/applications", post(apply))
        .route("/certificates/applications/status", post(status))
        .route("/certificates/{number}", get(record))
        .route("/certificates/{number}/qr", get(qr_code))
        .route("/partner/certificates/verify", post(partner_verify))
        .route("/honour", get(honour))
        .route("/certificates/confirmations/lookup", post(creditor_lookup))
        .route("/certificates/confirmations", post(creditor_answer))
        .route("/staff/certificates/applications", get(queue))
        .route("/staff/certificates/applications/{id}/issue", post(issue))
        .route("/staff/certificates/applications/{id}/refuse", post(refuse))
        .route("/staff/certificates/{number}/revoke", post(revoke))
        .route("/staff/certificates/{number}/supersede", post(supersede))
}

async fn apply(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<ApplicationRequest>,
) -> AppResult<(StatusCode, Json<ApplicationAccepted>)> {
    let a = req.validate_on(court_today())?;
    // What the request alone decides comes before any party is looked at, so that no answer
    // depends on whether the name and ID matched.
    if a.case_number.case_type().starts_with('执') && a.stage != Stage::DuringEnforcement {
        return Err(AppError::invalid_value(
            "stage",
            ErrorCode::InvalidValue,
            "该案号为执行案号，履行阶段应为“执行中”；判决前、诉讼中或申请执行前履行的，请向作出判决的法院申请",
            "This is an enforcement case number, so the stage is \"during enforcement\"; for performance before judgment, during trial or before an enforcement filing, apply to the court that tried the case",
        ));
    }
    client.admit(&state).await?;
    state.spend_guess(&a.name, &a.subject).await?;
    // Deleted listings and those still in their grace period stay open to their real parties: a
    // debtor who has just performed is exactly who applies.
    let Some(party) =
        crate::notices::store::party(&state.db, a.case_number.as_str(), a.subject.as_str()).await?
    else {
        return Err(not_a_party());
    };
    let (notice_id, court) = (party.id, party.court);
    if party.name_norm != a.name.normalized() {
        return Err(not_a_party());
    }
    let code = tracking_code_from(&random_digits(TRACKING_DIGITS - 1));
    let pin = random_digits(PIN_DIGITS);
    let code_hash = tracking_hash(&state, &code).await?;
    let creditor_code = tracking_code_from(&random_digits(TRACKING_DIGITS - 1));
    let creditor_code_hash = tracking_hash(&state, &creditor_code).await?;
    let now = now_ms();
    let creditor_deadline = now + CREDITOR_DAYS as i64 * 86_400_000;
    let pin_for_hash = pin.clone();
    let pin_hash = hash_secret(pin_for_hash).await?;
    let sealed = state.keys.get().seal(
        &format!("application:{code_hash}"),
        &serde_json::to_vec(&serde_json::json!({
            "id_number": a.subject.as_str(),
            "phone": a.phone,
        }))
        .map_err(anyhow::Error::from)?,
    );
    let subject_kind = match a.subject {
        SubjectId::Person(_) => "person",
        SubjectId::Organization(_) => "organization",
    };
    let payload_id = match PayloadSubject::of(&a.subject) {
        PayloadSubject::Person(v) | PayloadSubject::Organization(v) => v,
    };
    store::insert_application(
        &state.db,
        &NewApplication {
            code_hash: &code_hash,
            pin_hash: &pin_hash,
            court: &court,
            notice_id,
            case_number: a.case_number.as_str(),
            name: a.name.display(),
            subject_kind,
            payload_id: &payload_id,
            sealed: &sealed,
            stage: a.stage.as_str(),
            amount_fen: i64::try_from(a.amount_fen).map_err(anyhow::Error::from)?,
            performed_on: &a.performed_on.to_string(),
            honour_consent: a.honour_consent,
            now,
            creditor_code_hash: &creditor_code_hash,
            creditor_deadline,
            province: &province_of(a.case_number.as_str()),
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationAccepted {
            application_code: code,
            pin,
            creditor_code,
            creditor_deadline: portal_core::time::court_ymd(creditor_deadline),
        }),
    ))
}

/// One answer whatever did not match, so the form cannot be used to probe who is a party.
fn not_a_party() -> AppError {
    AppError::invalid_value(
        "id_number",
        ErrorCode::InvalidValue,
        "在该案号下没有找到与此姓名和证件号码一致的当事人，请核对案号、姓名和证件号码",
        "No party of this case has this name and ID number; check the case number, the name and the ID number",
    )
}

fn generic_not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "申请编号或查询密码不正确",
        "The application code or the PIN is wrong",
    )
}

async fn status(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<ApplicationStatusRequest>,
) -> AppResult<Json<ApplicationState>> {
    let (code, pin) = req.validate()?;
    client.admit(&state).await?;
    let Some(app) =
        store::application_by_code(&state.db, &tracking_hash(&state, &code).await?).await?
    else {
        return Err(generic_not_found());
    };
    let row = crate::pins::Locked {
        id: app.id,
        pin_hash: &app.pin_hash,
    };
    crate::pins::check(
        &state.db,
        crate::pins::Holder::CertificateApplications,
        row,
        pin,
        generic_not_found,
    )
    .await?;
    let certificates = store::certificates_of(&state.db, app.id)
        .await?
        .into_iter()
        .map(record_of)
        .collect::<AppResult<_>>()?;
    let verifications = store::verifications(&state.db, app.id)
        .await?
        .into_iter()
        .map(|(serial, at, channel, partner)| VerificationEntry {
            number: certificate_number(serial as u32),
            at: rfc3339_millis(at),
            channel,
            partner,
        })
        .collect();
    Ok(Json(ApplicationState {
        status: application_status(&app.status)?,
        reason: app.reason,
        certificates,
        verifications,
    }))
}

fn application_status(s: &str) -> anyhow::Result<ApplicationStatus> {
    stored(ApplicationStatus::parse(s), "application status", s)
}

fn stage_of(s: &str) -> anyhow::Result<Stage> {
    stored(Stage::parse(s), "stage", s)
}

fn record_of(c: CertificateRow) -> AppResult<CertificateRecord> {
    Ok(CertificateRecord {
        number: certificate_number(c.serial as u32),
        status: stored(
            CertificateStatus::parse(&c.status),
            "certificate status",
            &c.status,
        )?,
        payload: c.payload,
        signature: c.signature,
        key_id: c.key_id,
        court: c.court,
        issued_at: rfc3339_millis(c.issued_at),
        reason: c.reason,
        changed_at: c.changed_at.map(rfc3339_millis),
        superseded_by: c.superseded_by.map(|s| certificate_number(s as u32)),
    })
}

/// The certificate a typed number names; a number with a wrong check digit is a field error.
async fn certificate_by_number(state: &AppState, number: &str) -> AppResult<CertificateRow> {
    let serial = parse_certificate_number(number).map_err(|e| AppError::invalid("number", e))?;
    store::certificate(&state.db, i64::from(serial))
        .await?
        .filter(|c| !c.payload.is_empty())
        .ok_or_else(no_such_certificate)
}

fn no_such_certificate() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "没有这个编号的证明书",
        "There is no certificate with this number",
    )
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RecordQuery {
    /// How the verifier reached it: `qr` (the verify page opened from a QR code) or `number`
    #[param(pattern = "^(qr|number)$")]
    channel: Option<String>,
    /// The subject's name as printed on the certificate (the QR page reads it from the payload);
    /// without it, or with another name, the answer is the status alone
    #[param(format = "subject-name", max_length = 100)]
    name: Option<String>,
}

/// A certificate number: 9 digits and a Damm check digit.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(crate) struct NumberPath {
    /// The certificate's number, as printed
    #[param(format = "certificate-number", pattern = "^[0-9]{10}$")]
    number: String,
}

/// What `GET /certificates/{number}` answers: the signed record for the subject's name, else the
/// status alone.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum CertificateAnswer {
    Record(CertificateRecord),
    Status(CertificateStatusOnly),
}

/// The name a certificate's signed payload carries.
fn subject_name(c: &CertificateRow) -> AppResult<String> {
    let bytes = B64.decode(&c.payload).map_err(anyhow::Error::from)?;
    Ok(CertificatePayload::from_bytes(&bytes)
        .map_err(|_| anyhow::anyhow!("certificate {} has an unreadable payload", c.serial))?
        .name)
}

/// Whether `name` is the name the certificate's payload carries (as normalised for lookups).
fn names_subject(c: &CertificateRow, name: Option<&str>) -> AppResult<bool> {
    let Some(asked) = name.and_then(|n| PersonName::parse(n).ok()) else {
        return Ok(false);
    };
    Ok(PersonName::parse(&subject_name(c)?)
        .is_ok_and(|subject| subject.normalized() == asked.normalized()))
}

/// A certificate and its live status
///
/// With the subject's name as printed on it, the signed record (payload and the court's
/// signature); without it, or with another name, `{"number","status"}` only.
#[utoipa::path(
    get,
    path = "/certificates/{number}",
    params(NumberPath, RecordQuery),
    responses(
        (status = 200, description = "The record, or its status alone", body = CertificateAnswer),
        (status = 400, description = "The query cannot be read", body = ErrorBody),
        (status = 404, description = "No certificate has this number", body = ErrorBody),
        (status = 422, description = "The number has a wrong check digit", body = ErrorBody),
        (status = 429, description = "A proof of work is needed, or the client must wait", body = ErrorBody),
    )
)]
/// `GET /certificates/{number}?name=NAME`: with the subject's name, the signed certificate and its
/// live status, the look logged for the subject's "who verified me" (once an hour per client);
/// without it, or with another name, the status alone — a number must not let a stranger read
/// who performed what.
pub(crate) async fn record(
    State(state): State<AppState>,
    client: Client,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> AppResult<Response> {
    parse_certificate_number(&number).map_err(|e| AppError::invalid("number", e))?;
    client.admit(&state).await?;
    let c = certificate_by_number(&state, &number).await?;
    let named = names_subject(&c, q.name.as_deref())?;
    let serial = c.serial;
    let record = record_of(c)?;
    if !named {
        return Ok(Json(CertificateStatusOnly {
            number: record.number,
            status: record.status,
        })
        .into_response());
    }
    let channel = match q.channel.as_deref() {
        Some("qr") => "qr",
        _ => "number",
    };
    store::log_verification(
        &state.db,
        serial,
        channel,
        None,
        &client.key(&state),
        now_ms(),
    )
    .await?;
    Ok(Json(record).into_response())
}

/// `GET /certificates/{number}/qr?name=NAME`: the QR code of a certificate as modules, for the
/// subject's own page (not logged as a verification). The code carries the signed certificate, so
/// without the subject's name the answer is the same 404 as for an unknown number.
async fn qr_code(
    State(state): State<AppState>,
    client: Client,
    Path(number): Path<String>,
    ApiQuery(q): ApiQuery<RecordQuery>,
) -> AppResult<Json<super::qr::Qr>> {
    parse_certificate_number(&number).map_err(|e| AppError::invalid("number", e))?;
    client.admit(&state).await?;
    let c = certificate_by_number(&state, &number).await?;
    if !names_subject(&c, q.name.as_deref())? {
        return Err(no_such_certificate());
    }
    let signed = SignedPayload {
        payload: B64.decode(&c.payload).map_err(anyhow::Error::from)?,
        signature: B64
            .decode(&c.signature)
            .map_err(anyhow::Error::from)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("a stored signature is not 64 bytes"))?,
    };
    Ok(Json(super::qr::encode(
        &signed.qr_text(public_origin(&state)),
    )?))
}

async fn partner_verify(
    State(state): State<AppState>,
    Authenticated(partner): Authenticated,
    ApiJson(req): ApiJson<PartnerVerifyRequest>,
) -> AppResult<Json<CertificateRecord>> {
    let c = certificate_by_number(&state, &req.number).await?;
    store::log_verification(
        &state.db,
        c.serial,
        "partner",
        Some(&partner.name),
        &format!("partner:{}", partner.id),
        now_ms(),
    )
    .await?;
    Ok(Json(record_of(c)?))
}

#[derive(Deserialize)]
struct QueueQuery {
    status: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> AppResult<Json<StaffApplications>> {
    let who = signed_in.require(REVIEWERS)?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s @ ("pending" | "issued" | "refused")) => Some(s),
        Some(_) => {
            return Err(AppError::invalid_value(
                "status",
                ErrorCode::InvalidValue,
                "筛选条件无效",
                "Invalid filter",
            ))
        }
    };
    let mut applications = Vec::new();
    for a in store::queue(&state.db, &who.court, status).await? {
        let certificates = store::certificates_of(&state.db, a.id)
            .await?
            .into_iter()
            .map(|c| certificate_number(c.serial as u32))
            .collect();
        applications.push(staff_view(a, certificates)?);
    }
    Ok(Json(StaffApplications { applications }))
}

fn amount_shown(fen: i64) -> String {
    format!(
        "{}.{:02}",
        portal_core::numbers::group_digits(fen / 100),
        fen % 100
    )
}

fn creditor_not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "确认码不正确",
        "The confirmation code is wrong",
    )
}

/// The application a creditor's code opens (codes are 16 random digits; lookups go through the
/// same admission as lookups, proof of work included).
async fn by_creditor_code(
    state: &AppState,
    client: &Client,
    code: &str,
) -> AppResult<ApplicationRow> {
    client.admit(state).await?;
    store::application_by_creditor_code(&state.db, &tracking_hash(state, code).await?)
        .await?
        .ok_or_else(creditor_not_found)
}

/// The creditor's stored answer; none yet is `None`, an unknown one an error.
fn creditor_answer_of(s: Option<&str>) -> anyhow::Result<Option<CreditorAnswer>> {
    s.map(|s| stored(CreditorAnswer::parse(s), "creditor answer", s))
        .transpose()
}

/// `POST /certificates/confirmations/lookup`: what the creditor is asked to confirm.
async fn creditor_lookup(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<CreditorRequest>,
) -> AppResult<Json<CreditorView>> {
    let code = req.code()?;
    let a = by_creditor_code(&state, &client, &code).await?;
    Ok(Json(CreditorView {
        case_number: a.case_number,
        name: a.name,
        stage: stage_of(&a.stage)?,
        amount: amount_shown(a.amount_fen),
        performed_on: a.performed_on,
        court: a.court,
        deadline: a
            .creditor_deadline
            .map(portal_core::time::court_ymd)
            .unwrap_or_default(),
        answer: creditor_answer_of(a.creditor_answer.as_deref())?,
    }))
}

/// `POST /certificates/confirmations`: the creditor confirms or disputes, once, before the deadline.
async fn creditor_answer(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<CreditorRequest>,
) -> AppResult<StatusCode> {
    let (code, answer, note) = req.validate()?;
    let a = by_creditor_code(&state, &client, &code).await?;
    if !store::creditor_answer(&state.db, a.id, answer.as_str(), note.as_deref(), now_ms()).await? {
        return Err(conflict(
            "已经答复过，或已超过答复期限；如有问题请联系执行法院",
            "An answer was given already, or the deadline passed; contact the enforcing court",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}

fn staff_view(a: ApplicationRow, certificates: Vec<String>) -> anyhow::Result<StaffApplication> {
    let subject = if a.subject_kind == "person" {
        PayloadSubject::Person(a.payload_id)
    } else {
        PayloadSubject::Organization(a.payload_id)
    };
    let creditor = match a.creditor_deadline {
        Some(deadline) => Some(CreditorState {
            deadline: portal_core::time::court_ymd(deadline),
            answer: creditor_answer_of(a.creditor_answer.as_deref())?,
            note: a.creditor_note,
        }),
        None => None,
    };
    Ok(StaffApplication {
        id: a.id,
        created_at: rfc3339_millis(a.created_at),
        case_number: a.case_number,
        name: a.name,
        subject_id: subject.shown(),
        stage: stage_of(&a.stage)?,
        amount: amount_shown(a.amount_fen),
        performed_on: a.performed_on,
        honour_consent: a.honour_consent != 0,
        status: application_status(&a.status)?,
        reason: a.reason,
        certificates,
        creditor,
    })
}

fn conflict(zh: &str, en: &str) -> AppError {
    AppError::conflict(ErrorCode::StatusChanged, zh, en)
}

/// Signs a certificate for application `a` with its court's current key, in the transaction
/// that stores it.
async fn sign_and_store(
    state: &AppState,
    a: &ApplicationRow,
    by: &str,
    supersedes: Option<(i64, &str)>,
) -> AppResult<String> {
    let keys = state.court_keys.get();
    let key_id = keys.current_key_id(&a.court).ok_or_else(|| {
        conflict(
            "本院还没有证明书签名密钥，请管理员运行 portal-server court-key generate",
            "This court has no certificate signing key yet; an administrator runs portal-server court-key generate",
        )
    })?;
    let now = now_ms();
    let performed_on = chrono::NaiveDate::parse_from_str(&a.performed_on, "%Y-%m-%d")
        .map_err(anyhow::Error::from)?;
    let subject = if a.subject_kind == "person" {
        PayloadSubject::Person(a.payload_id.clone())
    } else {
        PayloadSubject::Organization(a.payload_id.clone())
    };
    let issue = Issue {
        application_id: a.id,
        court: &a.court,
        key_id: &key_id,
        honour_consent: a.honour_consent != 0,
        now,
        first: supersedes.is_none(),
        by,
        supersedes,
    };
    let serial = store::issue(&state.db, &issue, |serial| {
        let payload = CertificatePayload {
            key_id: key_id.clone(),
            serial,
            issued_at: u32::try_from(now / 1000)?,
            performed_on,
            stage: stage_of(&a.stage)?,
            amount_fen: u64::try_from(a.amount_fen)?,
            subject,
            name: a.name.clone(),
            case_number: a.case_number.clone(),
        }
        .to_bytes();
        let signature = keys
            .sign(&key_id, &payload)
            .ok_or_else(|| anyhow::anyhow!("court key {key_id} cannot sign"))?;
        Ok((B64.encode(payload), B64.encode(signature)))
    })
    .await?
    .ok_or_else(|| {
        conflict(
            "该申请或证明书的状态刚被他人修改，请刷新后再试",
            "Someone else just changed this application or certificate; reload and try again",
        )
    })?;
    Ok(certificate_number(serial))
}

async fn application_of_court(state: &AppState, id: i64, court: &str) -> AppResult<ApplicationRow> {
    store::application_for_court(&state.db, id, court)
        .await?
        .ok_or(AppError::NotFound)
}

async fn issue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> AppResult<Json<Issued>> {
    let who = signed_in.require(REVIEWERS)?;
    let a = application_of_court(&state, id, &who.court).await?;
    let number = sign_and_store(&state, &a, &who.username, None).await?;
    audit(
        &state.db,
        &who,
        "certificate.issue",
        &format!("application:{id}"),
        Some(&number),
    )
    .await?;
    Ok(Json(Issued { number }))
}

async fn refuse(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(REVIEWERS)?;
    let reason = req.validate()?;
    application_of_court(&state, id, &who.court).await?;
    if !store::refuse(&state.db, id, &reason, &who.username, now_ms()).await? {
        return Err(conflict(
            "该申请已处理",
            "This application was decided already",
        ));
    }
    audit(
        &state.db,
        &who,
        "certificate.refuse",
        &format!("application:{id}"),
        Some(&reason),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A valid certificate of the signed-in reviewer's court.
async fn own_certificate(state: &AppState, number: &str, court: &str) -> AppResult<CertificateRow> {
    let c = certificate_by_number(state, number).await?;
    if c.court != court {
        return Err(AppError::NotFound);
    }
    if c.status != "valid" {
        return Err(conflict(
            "该证明书已被撤销或替换",
            "This certificate was revoked or replaced already",
        ));
    }
    Ok(c)
}

async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(number): Path<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> AppResult<StatusCode> {
    let who = signed_in.require(REVIEWERS)?;
    let reason = req.validate()?;
    let c = own_certificate(&state, &number, &who.court).await?;
    if !store::revoke(&state.db, c.serial, &who.court, &reason, now_ms()).await? {
        return Err(conflict(
            "该证明书已被撤销或替换",
            "This certificate was revoked or replaced already",
        ));
    }
    audit(
        &state.db,
        &who,
        "certificate.revoke",
        &format!("certificate:{number}"),
        Some(&reason),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a valid certificate with a new one from the same application (a corrected
/// certificate, or one signed with a new key); the old one says which replaced it.
async fn supersede(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(number): Path<String>,
    ApiJson(req): ApiJson<ReasonRequest>,
) -> AppResult<Json<Issued>> {
    let who = signed_in.require(REVIEWERS)?;
    let reason = req.validate()?;
    let c = own_certificate(&state, &number, &who.court).await?;
    let a = application_of_court(&state, c.application_id, &who.court).await?;
    let new = sign_and_store(&state, &a, &who.username, Some((c.serial, &reason))).await?;
    audit(
        &state.db,
        &who,
        "certificate.supersede",
        &format!("certificate:{number}"),
        Some(&format!("{new}: {reason}")),
    )
    .await?;
    Ok(Json(Issued { number: new }))
}

/// `GET /honour?province=&page=` (DESIGN §7.7): the honour list by province, a page at a time;
/// the province is the case's (its number names the court's province).
async fn honour(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<portal_core::publicity::BoardQuery>,
) -> AppResult<Json<portal_core::publicity::HonourPage>> {
    use portal_core::publicity::{HonourItem, HonourPage, BOARD_PAGE};
    let (province, page) = q.validate()?;
    let (rows, total) = store::honour_page(
        &state.db,
        province.as_deref(),
        BOARD_PAGE,
        (page - 1) * BOARD_PAGE,
    )
    .await?;
    Ok(Json(HonourPage {
        total,
        page,
        entries: rows
            .into_iter()
            .map(|r| HonourItem {
                name: r.name,
                court: r.court,
                province: r.province,
                performed_on: r.performed_on,
                number: certificate_number(r.serial as u32),
            })
            .collect(),
    }))
}

/// The province code of a case number, '' when it names none (a Supreme People's Court case).
pub fn province_of(case_number: &str) -> String {
    portal_core::CaseNumber::parse(case_number)
        .ok()
        .and_then(|c| c.province().map(|p| p.code.to_owned()))
        .unwrap_or_default()
}

/// `GET /.well-known/court-keys.json`.
pub async fn court_keys(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "keys": state.court_keys.get().public_keys() }))
}

/// The verification page (its own bundle, `dist/verify`): opened from a QR code at `/C/{BASE32}`
/// or at `/certificates/verify` to type a number. The page as served carries the court keys of
/// this moment, so it checks the signature with no request of its own; `/C/sw.js` keeps it for
/// scans with no network.
pub fn page_router(frontend: Frontend) -> Router<AppState> {
    let page = {
        let frontend = frontend.clone();
        move |State(state): State<AppState>, blob: Option<Path<String>>| {
            let frontend = frontend.clone();
            async move { verify_page(&state, &frontend, blob.map(|Path(b)| b)) }
        }
    };
    let worker = move || {
        let script = frontend.verify_worker();
        async move {
            match script {
                Some(js) => (
                    [
                        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    js,
                )
                    .into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
    };
    Router::new()
        .route("/C/sw.js", get(worker))
        .route("/C", get(page.clone()))
        .route("/C/", get(page.clone()))
        .route("/C/{blob}", get(page.clone()))
        .route("/c/{blob}", get(page.clone()))
        .route("/certificates/verify", get(page))
}

fn verify_page(state: &AppState, frontend: &Frontend, blob: Option<String>) -> Response {
    let data = serde_json::json!({
        "keys": state.court_keys.get().public_keys(),
        "as_of": now_ms() / 1000,
    });
    let certificate = blob
        .as_deref()
        .and_then(SignedPayload::parse)
        .and_then(|s| CertificatePayload::from_bytes(&s.payload).ok())
        .map(|p| (p.number(), p.name));
    match frontend.verify_page(
        &data,
        certificate
            .as_ref()
            .map(|(n, name)| (n.as_str(), name.as_str())),
    ) {
        Some((html, policy)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (header::CONTENT_SECURITY_POLICY, policy),
            ],
            html,
        )
            .into_response(),
        None => not_built(),
    }
}
