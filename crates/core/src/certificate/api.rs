//! What the certificate endpoints answer and the small requests of staff and partners: records
//! and their status, verifications, the applicant's page, the court's queue, the honour list.

use serde::{Deserialize, Serialize};

use super::creditor::CreditorState;
use crate::stage::Stage;
use crate::{
    error::{ErrorCode, FieldError, Invalid},
    vocabulary::vocabulary,
};

vocabulary! {
    /// Where an application stands.
    pub enum ApplicationStatus {
        Pending => ("pending", "待审核", "Pending"),
        Issued => ("issued", "已出具", "Issued"),
        Refused => ("refused", "未通过", "Refused"),
    }
}

vocabulary! {
    /// Where a certificate stands.
    pub enum CertificateStatus {
        Valid => ("valid", "有效", "Valid"),
        Revoked => ("revoked", "已撤销", "Revoked"),
        Superseded => ("superseded", "已被替换", "Superseded"),
    }
}

/// A certificate as the public and verifiers get it (`GET /api/v1/certificates/{number}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateRecord {
    pub number: String,
    pub status: CertificateStatus,
    /// Base64url of the payload bytes.
    pub payload: String,
    /// Base64url of the court's Ed25519 signature over the payload bytes.
    pub signature: String,
    pub key_id: String,
    pub court: String,
    /// RFC 3339.
    pub issued_at: String,
    /// Why it was revoked or superseded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it was revoked or superseded (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<String>,
    /// The number of the certificate that replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
}

/// `GET /api/v1/certificates/{number}` without the subject's name, or with another name: the
/// status and nothing that identifies anyone (DESIGN §7.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateStatusOnly {
    pub number: String,
    pub status: CertificateStatus,
}

/// One online verification of a certificate, as its subject sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationEntry {
    pub number: String,
    /// RFC 3339.
    pub at: String,
    /// `qr`, `number` or `partner`.
    pub channel: String,
    /// The partner's name, when a partner verified through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
}

/// The applicant's status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationState {
    pub status: ApplicationStatus,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Its certificates, newest first.
    pub certificates: Vec<CertificateRecord>,
    /// Who verified them, newest first.
    pub verifications: Vec<VerificationEntry>,
}

/// An application in a court's queue (`GET /api/v1/staff/certificates/applications`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffApplication {
    pub id: i64,
    /// RFC 3339.
    pub created_at: String,
    pub case_number: String,
    pub name: String,
    /// Masked ID number, or the credit code.
    pub subject_id: String,
    pub stage: Stage,
    /// In yuan, as shown (`12,500.00`).
    pub amount: String,
    pub performed_on: String,
    pub honour_consent: bool,
    pub status: ApplicationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Numbers of its certificates, newest first.
    pub certificates: Vec<String>,
    /// The creditor's answer, if the application asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor: Option<CreditorState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffApplications {
    pub applications: Vec<StaffApplication>,
}

/// `POST …/issue` answers with the new certificate's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub number: String,
}

/// `{"reason"}` of a refusal, revocation or replacement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReasonRequest {
    pub reason: String,
}

impl ReasonRequest {
    /// The trimmed reason: required, at most 200 characters.
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        let reason = self.reason.trim();
        let n = reason.chars().count();
        if reason.is_empty() {
            return Err(vec![Invalid::new(
                ErrorCode::MissingField,
                "请填写理由",
                "Give the reason",
            )
            .at("reason")]);
        }
        if n > 200 {
            return Err(vec![Invalid::new(
                ErrorCode::TooLong,
                format!("理由最多200个字，当前为{n}个字"),
                format!("At most 200 characters are allowed; this has {n}"),
            )
            .at("reason")]);
        }
        Ok(reason.to_owned())
    }
}

/// `POST /api/v1/partner/certificates/verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerVerifyRequest {
    pub number: String,
}

/// A certificate's QR code (`GET /api/v1/certificates/{number}/qr`): the server encodes the
/// certificate's QR text at error-correction level M in the smallest version that holds it, and
/// the page draws the modules, so the browser carries no QR library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrModules {
    /// What the code says: `{ORIGIN}/C/{BASE32}` (see [`super::SignedPayload::qr_text`]).
    pub text: String,
    /// 1–40.
    pub version: i16,
    /// Modules per side.
    pub width: usize,
    /// Row by row, `1` for a dark module, `0` for a light one.
    pub modules: String,
}
