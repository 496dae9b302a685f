//! Closed vocabularies (subject types, lists, tip kinds, statuses …): one spelling each for
//! imports, JSON and URLs, and a label per language for people.

/// Declares a vocabulary enum with its spellings and labels. The serde names (`snake_case`) equal
/// the `as_str` spellings; a test checks it. With the `openapi` feature the enum also derives
/// `utoipa::ToSchema`: a string schema listing the spellings.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => ($str:literal, $zh:literal, $en:literal $(,)?),
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(::utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The spelling used in imports, JSON and URLs.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $str,)+
                }
            }

            /// Parses the spelling of [`Self::as_str`]; surrounding whitespace and ASCII case are
            /// ignored.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(s))
            }

            /// The label shown to people.
            pub fn label(self, lang: $crate::error::Lang) -> &'static str {
                match (self, lang) {
                    $(
                        (Self::$variant, $crate::error::Lang::Zh) => $zh,
                        (Self::$variant, $crate::error::Lang::En) => $en,
                    )+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use vocabulary;
