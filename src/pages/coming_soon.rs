//! Pages of services that are not open yet. They say so plainly and describe what is coming,
//! instead of showing invented content.

use leptos::prelude::*;

use crate::{
    components::{
        button::{ButtonLink, ButtonVariant},
        title::PageTitle,
    },
    i18n::use_i18n,
};

#[component]
fn ComingSoon(
    /// The page title, in the current language.
    title: &'static str,
    /// The one-sentence description of the service.
    intro: &'static str,
    /// What the service will offer.
    points: &'static [&'static str; 3],
) -> impl IntoView {
    let tr = use_i18n().tr_now();
    let t = tr.coming_soon;
    view! {
        <PageTitle text=title/>
        <section class="page">
            <h1>
                {title}
                " "
                <span class="badge badge--info">{t.badge}</span>
            </h1>
            <p class="lead">{intro}</p>
            <p>{t.text}</p>
            <ul class="checklist">
                {points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
            </ul>
            <p><ButtonLink href="/" variant=ButtonVariant::Secondary>{tr.shell.back_home}</ButtonLink></p>
        </section>
    }
}

#[component]
pub fn Publicity() -> impl IntoView {
    let tr = use_i18n().tr_now();
    let t = tr.coming_soon;
    view! { <ComingSoon title=tr.shell.nav_publicity intro=t.publicity_intro points=&t.publicity_points/> }
}
