//! Asset tips (财产线索举报): confidential submission with a signed receipt, the tipster's status
//! page, and the court's review queue. The `tips`, `tip_events`, `tip_files` and
//! `tip_submissions` tables belong to [`store`]; evidence files come from `uploads`.

mod http;
pub mod store;
pub mod submit;

pub use http::{portal_keys, router};
