//! Site header: skip link, portal name, language and elder-mode switches, main navigation.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    app::ElderMode,
    i18n::{use_i18n, Lang, Tr},
};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let elder = expect_context::<ElderMode>().0;
    let toggle_lang = move |_| {
        i18n.set(match i18n.lang() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        })
    };
    view! {
        <a class="skip-link" href="#main">{move || i18n.tr().skip_to_content}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/" attr:class="brand">
                    <img class="brand__emblem" src="/icons/icon.svg" alt="" width="36" height="36"/>
                    <span class="brand__text">
                        <span class="brand__name">{move || i18n.tr().site_name}</span>
                        <span class="brand__tagline">{move || i18n.tr().site_tagline}</span>
                    </span>
                </A>
                <div class="site-header__tools">
                    <button
                        type="button"
                        class="tool-button"
                        on:click=toggle_lang
                        lang=move || match i18n.lang() { Lang::Zh => "en", Lang::En => "zh-CN" }
                        aria-label=move || i18n.tr().switch_language_label
                    >
                        {move || i18n.tr().switch_language}
                    </button>
                    <button
                        type="button"
                        class="tool-button"
                        aria-pressed=move || if elder.get() { "true" } else { "false" }
                        title=move || i18n.tr().elder_mode_label
                        on:click=move |_| elder.update(|on| *on = !*on)
                    >
                        {move || i18n.tr().elder_mode}
                    </button>
                </div>
            </div>
            <nav class="site-nav" aria-label=move || i18n.tr().nav_label>
                <NavLink href="/lookup" text=|t| t.nav_lookup/>
                <NavLink href="/rewards" text=|t| t.nav_rewards/>
                <NavLink href="/certificates" text=|t| t.nav_certificates/>
                <NavLink href="/publicity" text=|t| t.nav_publicity/>
            </nav>
        </header>
    }
}

/// A navigation entry; the router marks the current one with `aria-current="page"`.
#[component]
fn NavLink(
    /// Where the entry leads.
    href: &'static str,
    /// Picks the entry's text from the current language's strings.
    text: fn(&'static Tr) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A href=href attr:class="site-nav__link">
            {move || text(i18n.tr())}
        </A>
    }
}
