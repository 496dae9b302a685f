//! Site header: skip link, portal name, language and elder-mode switches, main navigation.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{
    i18n::{use_i18n, Lang},
    prefs::ElderMode,
    search::LOOKUP_PATH,
};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = i18n.tr_now().shell;
    let elder = expect_context::<ElderMode>().0;
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
                        on:click=move |_| i18n.toggle()
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
                    <NavLink href=LOOKUP_PATH text=t.nav_lookup/>
                    <NavLink href="/rewards" text=t.nav_rewards/>
                    <NavLink href="/certificates" text=t.nav_certificates/>
                    <NavLink href="/parties" text=t.nav_parties/>
                    <NavLink href="/publicity" text=t.nav_publicity external=true/>
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
    /// The entry's text, in the current language.
    text: &'static str,
    /// A page of another bundle (publicity): the browser loads it instead of the router.
    #[prop(optional)]
    external: bool,
) -> impl IntoView {
    view! { <A href=href attr:class="site-nav__link" attr:rel=external.then_some("external")>{text}</A> }
}
