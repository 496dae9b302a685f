//! One module per page; each has one public page component.

pub mod certificates;
pub mod home;
pub mod lookup;
pub mod not_found;
pub mod notice;
pub mod parties;
pub mod partners;
pub mod rewards;
pub mod tips;
