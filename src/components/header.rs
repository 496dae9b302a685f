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
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let elder = expect_context::<ElderMode>().0;
    let toggle_lang = move |_| {
        i18n.set(match lang {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        })
    };
    view! {
        <a class="skip-link" href="#main">{t.skip_to_content}</a>
        <header class="site-header">
            <div class="site-header__bar">
                <A href="/" attr:class="brand">
                    <img class="brand__emblem" src="/icons/icon.svg" alt="" width="36" height="36"/>
                    <span class="brand__text">
                        <span class="brand__name">{t.site_name}</span>
                        <span class="brand__tagline">{t.site_tagline}</span>
                    </span>
                </A>
                <div class="site-header__tools">
                    <button
                        type="button"
                        class="tool-button"
                        on:click=toggle_lang
                        lang=match lang { Lang::Zh => "en", Lang::En => "zh-CN" }
                        aria-label=t.switch_language_label
                    >
                        {t.switch_language}
                    </button>
                    <button
                        type="button"
                        class="tool-button"
                        aria-pressed=move || if elder.get() { "true" } else { "false" }
                        title=t.elder_mode_label
                        on:click=move |_| elder.update(|on| *on = !*on)
                    >
                        {t.elder_mode}
                    </button>
                </div>
            </div>
            <div class="site-nav-band">
                <nav class="site-nav" aria-label=t.nav_label>
                    <NavLink href="/lookup" text=|t| t.nav_lookup/>
                    <NavLink href="/rewards" text=|t| t.nav_rewards/>
                    <NavLink href="/certificates" text=|t| t.nav_certificates/>
                    <NavLink href="/publicity" text=|t| t.nav_publicity/>
                </nav>
            </div>
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
    let t = i18n.tr_now();
    view! {
        <A href=href attr:class="site-nav__link">
            {text(t)}
        </A>
    }
}
