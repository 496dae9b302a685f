//! Self-performance certificates (自动履行证明书): the application a debtor sends, and the compact
//! payload a court signs and a QR code carries, so that a verifier can check it with no server
//! answer. `docs/certificates.md` documents the payload for verifiers outside this project.
//!
//! - `payload`: what a court signs, in its one canonical binary form.
//! - `codec`: the payload's text packing, base32 for the QR code, base64url for the API.
//! - `number`: certificate numbers (the serial and a check digit) as people type them.
//! - `keys`: court keys, signatures and the verdict on them.
//! - `application`: the debtor's application and its validation.
//! - `creditor`: the creditor's answer to a declared performance.
//! - `api`: the answers of the certificate endpoints and the requests of staff and partners.

mod api;
mod application;
mod codec;
mod creditor;
mod keys;
mod number;
mod payload;

pub use crate::stage::Stage;
pub use api::{
    ApplicationState, ApplicationStatus, CertificateRecord, CertificateStatus,
    CertificateStatusOnly, Issued, PartnerVerifyRequest, QrModules, ReasonRequest,
    StaffApplication, StaffApplications, VerificationEntry,
};
pub use application::{
    parse_amount_fen, ApplicationAccepted, ApplicationRequest, ApplicationStatusRequest,
    ValidApplication, MAX_AMOUNT_YUAN,
};
pub use codec::{base32_decode, base32_encode, base64url_decode, pack_text, unpack_text};
pub use creditor::{
    validate_answer, CreditorAnswer, CreditorRequest, CreditorState, CreditorView, CREDITOR_DAYS,
};
pub use keys::{
    key_id_of, KeyStatus, PublishedKey, SignatureVerdict, SignedPayload, SIGNATURE_BYTES,
};
pub use number::{certificate_number, parse_certificate_number};
pub use payload::{CertificatePayload, PayloadError, PayloadSubject, PAYLOAD_VERSION};

#[cfg(test)]
mod tests;
