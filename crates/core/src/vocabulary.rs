//! Closed vocabularies (subject types, lists, tip kinds, statuses …): one spelling each for
//! imports, JSON and URLs, and a label per language for people.

/// Declares a vocabulary enum with its spellings and labels. It is written and read (serde) as its
/// `as_str` spelling, exactly as `#[serde(rename_all = "snake_case")]` would, through one reader
/// shared by every vocabulary ([`spelling_index`]): a derive per enum cost the browser bundles
/// about a kilobyte of code each. With the `openapi` feature the enum also derives
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "openapi", derive(::utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", serde(rename_all = "snake_case"))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The spellings of [`Self::ALL`], in the same order.
            pub const SPELLINGS: &'static [&'static str] = &[$($str),+];

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

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::vocabulary::spelling_index(deserializer, Self::SPELLINGS).map(|i| Self::ALL[i])
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

/// Reads one of `spellings` exactly (case and all), as serde's derive reads a unit variant, and
/// returns its index; any other string is serde's "unknown variant" error, anything else an
/// "invalid type" one.
pub fn spelling_index<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    spellings: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer
        .deserialize_str(Spelling {
            spellings,
            lenient: false,
        })
        .map(|i| i.unwrap_or_default())
}

/// As [`spelling_index`], but a string that is none of `spellings` reads as `None` (serde's
/// `#[serde(other)]`).
pub fn spelling_index_or_other<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    spellings: &'static [&'static str],
) -> Result<Option<usize>, D::Error> {
    deserializer.deserialize_str(Spelling {
        spellings,
        lenient: true,
    })
}

/// One visitor for every vocabulary, so that a bundle carries its code once.
struct Spelling {
    spellings: &'static [&'static str],
    /// An unknown spelling is `None` rather than an error.
    lenient: bool,
}

impl serde::de::Visitor<'_> for Spelling {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        match self.spellings.iter().position(|s| *s == v) {
            Some(i) => Ok(Some(i)),
            None if self.lenient => Ok(None),
            None => Err(E::unknown_variant(v, self.spellings)),
        }
    }
}
