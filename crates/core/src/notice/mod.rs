//! Published notices: their vocabulary (subject types, performance, the six listing grounds, the
//! lists, the nine consumption-restriction categories), the identity of a subject, the `lists`
//! column's codec, and the validation of import rows (DESIGN §7.2) into [`Notice`]s.
//!
//! - `vocabulary`: the closed vocabularies, each with one spelling for imports, JSON and URLs
//!   (`as_str`, identical to its serde name) and a label per language for people (`label`).
//! - `lists`: the one codec of the `lists` column, strict for imports and lenient for stored rows.
//! - `subject`: a debtor's identifier, a resident ID number or a unified social credit code.
//! - `row`: the import columns, a row as text, its validation into a [`Notice`] and back.

mod lists;
mod row;
mod subject;
mod vocabulary;

pub use lists::{decode_stored_lists, format_lists, parse_lists};
pub use row::{parse_date, Notice, NoticeRow, COLUMNS, MAX_OBLIGATION, MAX_SHORT_TEXT};
pub use subject::{parse_subject_id, SubjectId};
pub use vocabulary::{
    Behaviour, ListKind, NoticeStatus, Performance, RestrictionCategory, SubjectType,
};

#[cfg(test)]
mod tests;
