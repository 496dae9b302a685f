//! 执行公开 — the portal, a Leptos client-side app.

pub mod api;
pub mod app;
pub mod components;
pub mod embed;
pub mod i18n;
pub mod pages;
pub mod prefs;
