//! 执行公开 — the citizens' Leptos bundles (`index.html`: home, lookup, notices, partners; the
//! others from `service.html`: rewards, tips, certificates, parties,
//! payments, corrections; see
//! `portal_core::bundle`), and
//! the staff console (`staff.html`), all built from this crate.
//!
//! Dependencies point one way: the two Leptos shells (`app`, `staff`) → `pages` → `components` →
//! the leaf modules (`api`, `boot`, `draft`, `i18n`, `prefs`, `search`, `upload`). A module may
//! skip a level but never points back up: no page or component imports a shell, no component
//! imports a page.

pub mod api;
pub mod app;
pub mod boot;
pub mod components;
pub mod draft;
pub mod i18n;
pub mod image;
pub mod pages;
pub mod prefs;
pub mod router;
pub mod search;
pub mod staff;
pub mod upload;
