//! Every user-visible string, in zh-CN (the source language) and English, one file per area.
//!
//! Each area is a struct with one literal per language, so a string missing in either language is
//! a compile error; fields are crate-private, so a string nothing reads is a dead-code warning.
//! [`Tr`] gathers the portal's areas for the current language. The embedded check has its own
//! table ([`embed`]) so its bundle carries none of the portal's strings.

pub mod certificates;
pub mod embed;
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

/// The strings of one language, by area: `t.home.heading`, `t.lookup.submit`.
pub struct Tr {
    pub(crate) shell: &'static shell::ShellTr,
    pub(crate) home: &'static home::HomeTr,
    pub(crate) lookup: &'static lookup::LookupTr,
    pub(crate) notice: &'static notice::NoticeTr,
    pub(crate) partners: &'static partners::PartnersTr,
    pub(crate) tips: &'static tips::TipsTr,
    pub(crate) certificates: &'static certificates::CertificatesTr,
    pub(crate) party: &'static party::PartyTr,
}

static ZH: Tr = Tr {
    shell: &shell::ZH,
    home: &home::ZH,
    lookup: &lookup::ZH,
    notice: &notice::ZH,
    partners: &partners::ZH,
    tips: &tips::ZH,
    certificates: &certificates::ZH,
    party: &party::ZH,
};

static EN: Tr = Tr {
    shell: &shell::EN,
    home: &home::EN,
    lookup: &lookup::EN,
    notice: &notice::EN,
    partners: &partners::EN,
    tips: &tips::EN,
    certificates: &certificates::EN,
    party: &party::EN,
};

pub fn strings(lang: Lang) -> &'static Tr {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
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
    pub fn tr_now(self) -> &'static Tr {
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
