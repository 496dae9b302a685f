//! The parties' desk (DESIGN §7.8, issue 18): what the browser and the server share about the
//! people the cases are about — a party's cases imported from the court's system, their sign-in,
//! declared payments, correction and reconsideration requests with their legal clocks, and the
//! risk notice a debtor reads before enforcement. The JSON shapes are in [`api`].
//!
//! - `vocabulary`: roles, case statuses, payment methods, request grounds and the grounds of
//!   deletion, request, declaration and listing statuses, check channels.
//! - case numbers of every stage ([`PartyCaseNumber`], in `crate::case_number`, which certificates
//!   share) and which form fits which stage.
//! - `access_code`: the access code (查询码) — alphabet, normalisation, display.
//! - `amount`: yuan as text, fen as numbers.
//! - `row`: the case import rows (`portal-server import cases FILE`).
//! - `signin`, `performance`, `request`: the checks of the party's forms and the reviewer's
//!   decision.
//! - `clock`: the legal deadlines over the holiday [`crate::calendar::Calendar`].
//! - `risk`: the risk notice's consequences and the benefits of performing, with their sources.

mod access_code;
mod amount;
pub mod api;
mod clock;
mod performance;
mod request;
mod risk;
mod row;
mod signin;
mod uploads;
mod vocabulary;

pub use crate::case_number::{trial_types, PartyCaseNumber, TrialCaseNumber, TRIAL_CASE_TYPES};
pub use access_code::{
    access_code_from_bytes, format_access_code, normalize_access_code, ACCESS_CODE_ALPHABET,
    ACCESS_CODE_LEN, ACCESS_CODE_MAX_LEN, ACCESS_CODE_MIN_LEN,
};
pub(crate) use amount::number_or_text;
pub use amount::{display_yuan, format_yuan, parse_yuan};
pub use clock::{
    check_reconsideration, correct_due, decision_due, delisting_due, is_overdue,
    reconsideration_review_due, reconsideration_window_end, review_due, CORRECT_WORKING_DAYS,
    DELISTING_WORKING_DAYS, RECONSIDERATION_REVIEW_DAYS, RECONSIDERATION_WINDOW_DAYS, REVIEW_DAYS,
};
pub use performance::{DeclarationContext, ValidDeclaration, EARLIEST_PAYMENT};
pub use request::{ValidDecision, ValidPartyRequest, MAX_REASON, MIN_REASON};
pub use risk::{shows_risk_notice, RiskItem, CONSEQUENCES, VOLUNTARY_BENEFITS};
pub use row::{CaseRow, CaseRowInput, CASE_COLUMNS};
pub use signin::ValidSignIn;
pub use vocabulary::{
    CaseStatus, CheckChannel, Decision, DeclarationStatus, DeletionGround, DeletionReason,
    ListingStatus, PartyRole, PaymentMethod, RequestGround, RequestKind, RequestStatus,
};
