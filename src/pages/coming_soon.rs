//! Pages of services that are not open yet. They say so plainly and describe what is coming,
//! instead of showing invented content.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    components::title::PageTitle,
    i18n::{use_i18n, Tr},
};

#[component]
fn ComingSoon(
    /// Picks the page title.
    title: fn(&'static Tr) -> &'static str,
    /// Picks the one-sentence description of the service.
    intro: fn(&'static Tr) -> &'static str,
    /// Picks what the service will offer.
    points: fn(&'static Tr) -> &'static [&'static str; 3],
) -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    view! {
        <PageTitle text=title(t)/>
        <section class="page">
            <h1>
                {title(t)}
                " "
                <span class="badge badge--info">{t.coming_soon_badge}</span>
            </h1>
            <p class="lead">{intro(t)}</p>
            <p>{t.coming_soon_text}</p>
            <ul class="checklist">
                {points(t).iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
            </ul>
            <p><A href="/" attr:class="button button--secondary">{t.back_home}</A></p>
        </section>
    }
}

#[component]
pub fn Rewards() -> impl IntoView {
    view! { <ComingSoon title=|t| t.nav_rewards intro=|t| t.rewards_intro points=|t| &t.rewards_points/> }
}

#[component]
pub fn Certificates() -> impl IntoView {
    view! { <ComingSoon title=|t| t.nav_certificates intro=|t| t.certificates_intro points=|t| &t.certificates_points/> }
}

#[component]
pub fn Publicity() -> impl IntoView {
    view! { <ComingSoon title=|t| t.nav_publicity intro=|t| t.publicity_intro points=|t| &t.publicity_points/> }
}
