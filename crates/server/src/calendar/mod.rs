//! Legal deadlines (DESIGN §7.8): the holiday arrangements imported on top of those `core`
//! ships. This feature owns the `holidays` table.

pub mod import;
pub mod store;
