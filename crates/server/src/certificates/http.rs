//! Certificates over HTTP (DESIGN §7.6): applications and their status page, the court's review,
//! the public record of each certificate (every look logged for its subject), the partner check,
//! and the court keys — the routes; each audience's handlers are in a module of its own.

use axum::{
    routing::{get, post},
    Router,
};
use portal_core::certificate::{CertificateRecord, CertificateStatusOnly};

use super::apply::{apply, status};
use super::creditor::{creditor_answer, creditor_lookup};
use super::review::{issue, queue, refuse, revoke, supersede};
use super::verify::{partner_verify, qr_code, record};
use crate::{staff::Role, state::AppState};

/// Staff who decide on applications.
pub(super) const REVIEWERS: &[Role] = &[Role::Admin, Role::Reviewer];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/certificates/applications", post(apply))
        .route("/certificates/applications/status", post(status))
        .route("/certificates/{number}", get(record))
        .route("/certificates/{number}/qr", get(qr_code))
        .route("/partner/certificates/verify", post(partner_verify))
        .route("/certificates/confirmations/lookup", post(creditor_lookup))
        .route("/certificates/confirmations", post(creditor_answer))
        .route("/staff/certificates/applications", get(queue))
        .route("/staff/certificates/applications/{id}/issue", post(issue))
        .route("/staff/certificates/applications/{id}/refuse", post(refuse))
        .route("/staff/certificates/{number}/revoke", post(revoke))
        .route("/staff/certificates/{number}/supersede", post(supersede))
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

/// The province code of a case number, '' when it names none (a Supreme People's Court case).
pub fn province_of(case_number: &str) -> String {
    portal_core::party::PartyCaseNumber::parse(case_number)
        .ok()
        .and_then(|c| c.province().map(|p| p.code.to_owned()))
        .unwrap_or_default()
}
