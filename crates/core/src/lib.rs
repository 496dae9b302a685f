//! Types and rules shared by the browser (wasm32) and the server.
//!
//! Everything a user can type is parsed here, once, so that the portal rejects bad input with the
//! same field-level message the server would send: resident ID numbers (GB 11643), unified social
//! credit codes (GB 32100), case numbers, names (normalised for matching), and notice import rows.
//! [`time`] is the courts' clock (UTC+8) for every date rule and every time shown.
//! The crate also owns the JSON shapes of the HTTP API, per audience ([`api`]: public, partner,
//! staff), and the error codes every error body carries ([`ErrorCode`]). Legal deadlines are
//! counted here too ([`calendar`]), so the calculator in the browser and the server agree.

pub mod api;
pub mod article;
pub mod bundle;
pub mod calendar;
pub mod case_number;
pub mod certificate;
pub mod credit_code;
pub mod error;
pub mod id_number;
pub mod lookup;
pub mod name;
pub mod notice;
pub mod numbers;
pub mod partner;
pub mod party;
pub mod phone;
pub mod pow;
pub mod publicity;
pub mod region;
pub mod reward;
pub mod stage;
pub mod statistics;
pub mod text;
pub mod time;
pub mod tip;
pub mod tracking;
mod vocabulary;
pub mod wechat;

pub use case_number::CaseNumber;
pub use credit_code::CreditCode;
pub use error::{ErrorCode, FieldError, Invalid, Lang};
pub use id_number::IdNumber;
pub use name::{normalize_name, normalize_name_with, PersonName, SimplifiedForms};
pub use notice::{
    format_lists, parse_lists, parse_subject_id, Behaviour, ListKind, Notice, NoticeRow,
    NoticeStatus, Performance, RestrictionCategory, SubjectId, SubjectType,
};
pub use region::{province_by_abbr, province_by_code, Province, PROVINCES};
