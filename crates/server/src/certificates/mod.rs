//! Self-performance certificates (自动履行证明书): a debtor who performed applies, the court's
//! reviewer issues (or refuses), and the certificate — a compact payload signed with the court's
//! key (`portal_core::certificate`) — is verified by anyone, offline from its QR code or online
//! with its live status; every online look is logged for the subject. The
//! `certificate_applications`, `certificates` and `certificate_verifications` tables belong to
//! [`store`]; the courts' keys are [`crate::keys::court`].

mod apply;
mod creditor;
pub(crate) mod http;
pub mod qr;
mod review;
pub mod store;
pub(crate) mod verify;

pub use http::{province_of, router};
pub use verify::{court_keys as court_keys_document, page_router};
