//! The lookup page.

use leptos::prelude::*;

use super::coming_soon::LookupComingSoon;

/// An ID number typed on another page, handed to the lookup page in memory: ID numbers never
/// travel in addresses.
#[derive(Clone, Copy)]
pub struct SearchDraft(pub RwSignal<Option<String>>);

#[component]
pub fn Lookup() -> impl IntoView {
    view! { <LookupComingSoon/> }
}
