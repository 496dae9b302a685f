//! The applicant's side of certificates (DESIGN §7.6): applying as a party of the case, and the
//! application's status behind its code and PIN.

use axum::{extract::State, http::StatusCode, Json};
use portal_core::time::{court_today, now_ms, rfc3339_millis};
use portal_core::{
    certificate::{
        certificate_number, ApplicationAccepted, ApplicationRequest, ApplicationState,
        ApplicationStatus, ApplicationStatusRequest, PayloadSubject, Stage, ValidApplication,
        VerificationEntry, CREDITOR_DAYS,
    },
    normalize_name,
    notice::SubjectId,
    party::PartyRole,
    tip::{tracking_code_from, PIN_DIGITS, TRACKING_DIGITS},
    ErrorCode,
};

use super::http::province_of;
use super::store::{self, NewApplication};
use super::verify::record_of;
use crate::{
    error::{stored, AppError, AppResult},
    extract::{ApiJson, Client},
    hashing::{hash_secret, tracking_hash},
    keys::random_digits,
    state::AppState,
};

pub(super) async fn apply(
    State(state): State<AppState>,
    client: Client,
    ApiJson(req): ApiJson<ApplicationRequest>,
) -> AppResult<(StatusCode, Json<ApplicationAccepted>)> {
    // The stage is checked against the case number's form in core, before any party is looked
    // at, so that no answer depends on whether the name and ID matched.
    let a = req.validate_on(court_today())?;
    client.admit(&state).await?;
    state.spend_guess(&a.name, &a.subject).await?;
    let applicant = applicant(&state, &a).await?.ok_or_else(not_a_party)?;
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
            court: &applicant.court,
            notice_id: applicant.notice_id,
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
            case_id: applicant.case_id,
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

/// Who applies, as the court's records know them: the debtor named in a notice of the case, or a
/// debtor of the case in the court's system (every stage: a 民初 case before enforcement has no
/// notice), or both.
struct Applicant {
    court: String,
    notice_id: Option<i64>,
    case_id: Option<i64>,
}

/// The applicant when the name and ID are those of a debtor of the case; `None` for any mismatch.
async fn applicant(state: &AppState, a: &ValidApplication) -> AppResult<Option<Applicant>> {
    let name = a.name.normalized();
    let subject = a.subject.as_str();
    // Deleted listings and those still in their grace period stay open to their real parties: a
    // debtor who has just performed is exactly who applies.
    let listed = match a.case_number.enforcement() {
        Some(number) => crate::notices::store::party(&state.db, number.as_str(), subject)
            .await?
            .filter(|p| p.name_norm == name),
        None => None,
    };
    let case =
        match crate::parties::store::case_of(&state.db, subject, a.case_number.as_str()).await? {
            Some(c) => {
                let role = stored(PartyRole::parse(&c.role), "role", &c.role)?;
                (role == PartyRole::Debtor && normalize_name(&c.name) == name).then_some(c)
            }
            None => None,
        };
    let court = match (&listed, &case) {
        (Some(l), _) => l.court.clone(),
        (None, Some(c)) => c.court.clone(),
        (None, None) => return Ok(None),
    };
    Ok(Some(Applicant {
        court,
        notice_id: listed.map(|l| l.id),
        case_id: case.map(|c| c.case_id),
    }))
}

/// One answer whatever did not match, so the form cannot be used to probe who is a party.
pub(super) fn not_a_party() -> AppError {
    AppError::invalid_value(
        "id_number",
        ErrorCode::InvalidValue,
        "在该案号下没有找到与此姓名和证件号码一致的当事人，请核对案号、姓名和证件号码",
        "No party of this case has this name and ID number; check the case number, the name and the ID number",
    )
}

pub(super) fn generic_not_found() -> AppError {
    AppError::not_found(
        ErrorCode::NotFound,
        "申请编号或查询密码不正确",
        "The application code or the PIN is wrong",
    )
}

pub(super) async fn status(
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

pub(super) fn application_status(s: &str) -> anyhow::Result<ApplicationStatus> {
    stored(ApplicationStatus::parse(s), "application status", s)
}

pub(super) fn stage_of(s: &str) -> anyhow::Result<Stage> {
    stored(Stage::parse(s), "stage", s)
}
