//! The applicant's side of certificates (DESIGN §7.6): applying as a party of the case, and the
//! application's status behind its code and PIN.

use axum::{extract::State, http::StatusCode, Json};
use portal_core::time::{court_today, now_ms, rfc3339_millis};
use portal_core::{
    certificate::{
        certificate_number, ApplicationAccepted, ApplicationRequest, ApplicationState,
        ApplicationStatus, ApplicationStatusRequest, PayloadSubject, Stage, VerificationEntry,
        CREDITOR_DAYS,
    },
    notice::SubjectId,
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
