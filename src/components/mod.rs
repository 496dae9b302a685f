//! Reusable pieces of the portal's pages.

pub mod badges;
pub mod button;
pub mod code_pin;
pub mod evidence;
pub mod fetch;
pub mod field;
pub mod footer;
pub mod header;
pub mod status;
pub mod title;
