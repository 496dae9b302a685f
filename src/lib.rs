//! 执行公开 — the portal, a Leptos client-side app, and the two other bundles built from this
//! crate: the staff console (`staff.html`) and the embedded credit check (`embed.html`).
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
pub mod embed;
pub mod i18n;
pub mod pages;
pub mod prefs;
pub mod search;
pub mod staff;
pub mod upload;
