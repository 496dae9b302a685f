//! Every user-visible string, in zh-CN (the source language) and English, one file per area.
//!
//! Each area is a struct with one literal per language, so a string missing in either language is
//! a compile error; fields are crate-private, so a string nothing reads is a dead-code warning.
//! A word that several areas use with one meaning (案号, 请选择, 上一页…) is written once, in
//! `portal_lite::words`, and each area's table takes it from there.
//! [`Tr`] reaches the portal's areas in the current language, one method per area so a bundle
//! carries only the areas it reads. The embedded check's strings live with it (`crates/embed`).

pub mod certificates;
pub mod home;
pub mod lookup;
pub mod notice;
pub mod partners;
pub mod party;
pub mod shell;
pub mod staff;
pub mod tips;

use leptos::prelude::*;
pub use portal_core::Lang;
use portal_lite::chrome;

/// The strings of one language, by area: `t.home().heading`, `t.lookup().submit`. Each area is
/// its own table reached through its own method, so a bundle carries only the areas its pages
/// read (the citizens' bundles split by service, the staff console, the embedded check).
#[derive(Clone, Copy)]
pub struct Tr {
    lang: Lang,
}

/// One accessor per area: the area's table in this language.
macro_rules! areas {
    ($($area:ident: $ty:ty),* $(,)?) => {
        impl Tr {
            $(
                pub(crate) fn $area(self) -> &'static $ty {
                    match self.lang {
                        Lang::Zh => &$area::ZH,
                        Lang::En => &$area::EN,
                    }
                }
            )*
        }
    };
}

areas! {
    chrome: chrome::ChromeText,
    shell: shell::ShellTr,
    home: home::HomeTr,
    lookup: lookup::LookupTr,
    notice: notice::NoticeTr,
    partners: partners::PartnersTr,
    tips: tips::TipsTr,
    certificates: certificates::CertificatesTr,
    party: party::PartyTr,
}

pub fn strings(lang: Lang) -> Tr {
    Tr { lang }
}

/// The portal's language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        I18n {
            lang: RwSignal::new(lang),
        }
    }

    /// The current language; reading it inside a closure makes the closure follow changes.
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    pub fn set(self, lang: Lang) {
        self.lang.set(lang);
    }

    /// Switches between the two languages.
    pub fn toggle(self) {
        self.lang.update(|l| {
            *l = match l {
                Lang::Zh => Lang::En,
                Lang::En => Lang::Zh,
            }
        });
    }

    /// The strings of the current language, read once. Pages render plain text with these; the
    /// app renders its pages again when the language changes (see `app.rs`), so no string needs a
    /// reactive closure of its own — which keeps the wasm small.
    pub fn tr_now(self) -> Tr {
        strings(self.lang.get_untracked())
    }

    pub fn lang_now(self) -> Lang {
        self.lang.get_untracked()
    }

    /// The staff console's strings in the current language (not part of [`Tr`]: only the
    /// console's bundle links them).
    pub fn staff_now(self) -> &'static staff::StaffTr {
        staff::strings(self.lang_now())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
