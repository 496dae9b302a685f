//! Court performance statistics (DESIGN §7.7): the monthly figures courts import and the
//! dashboard's answers, computed with `core`'s one rule (summed numerators over summed
//! denominators). This feature owns the `court_statistics` table.

pub mod csv;
mod http;
pub mod import;
pub mod seed;
pub mod store;

pub use http::{headline, router};
