//! Unified social credit codes (统一社会信用代码, GB 32100) of organisations: parsing with
//! user-facing messages and the check character.
//!
//! Organisation codes are public information, so unlike ID numbers they are shown in full.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ErrorCode, Invalid};
use crate::region::is_credit_code_region;
use crate::text::{compact_folded, entered_en};

/// Number of characters in a unified social credit code.
pub const CREDIT_CODE_LEN: usize = 18;

/// The 31 characters a code is written in: digits and capital letters without I, O, Z, S and V
/// (too easily confused with 1, 0, 2, 5 and U). A character's value is its index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of the first 17 characters (3^i mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid unified social credit code in canonical form (ASCII upper case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters of a code.
///
/// # Panics
/// If `first17` is not exactly 17 characters of [`ALPHABET`].
pub fn check_char(first17: &str) -> char {
    let values: Vec<u32> = first17
        .chars()
        .map(|c| value_of(c).unwrap_or_else(|| panic!("{c:?} is not a credit code character")))
        .collect();
    assert_eq!(values.len(), 17, "check_char needs 17 characters");
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET.as_bytes()[check as usize] as char
}

fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Invalid {
    Invalid::new(ErrorCode::InvalidCreditCode, zh, en)
}

/// Parses user input into a credit code.
///
/// Whitespace anywhere is ignored; full-width characters are folded and letters upper-cased.
pub fn parse(input: &str) -> Result<CreditCode, Invalid> {
    let s = compact_folded(input).to_ascii_uppercase();
    if s.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            "请输入统一社会信用代码",
            "Please enter the unified social credit code",
        ));
    }
    let count = s.chars().count();
    if count != CREDIT_CODE_LEN {
        return Err(invalid(
            format!("统一社会信用代码应为18位，您输入了{count}位"),
            format!(
                "A unified social credit code has 18 characters; {}",
                entered_en(count)
            ),
        ));
    }
    if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| value_of(*c).is_none()) {
        let pos = i + 1;
        return Err(invalid(
            format!(
                "统一社会信用代码第{pos}位的“{c}”不是有效字符（只使用数字和除I、O、Z、S、V以外的大写字母）"
            ),
            format!(
                "Character {pos} ('{c}') cannot appear in a unified social credit code; only digits and capital letters other than I, O, Z, S and V are used"
            ),
        ));
    }
    if let Some((i, c)) = s
        .chars()
        .enumerate()
        .take(8)
        .skip(2)
        .find(|(_, c)| !c.is_ascii_digit())
    {
        let pos = i + 1;
        return Err(invalid(
            format!(
                "统一社会信用代码第3至8位是登记管理机关的行政区划码，只能是数字，第{pos}位却是“{c}”"
            ),
            format!(
                "Characters 3-8 of a unified social credit code are the registering authority's region code and must be digits; character {pos} is '{c}'"
            ),
        ));
    }
    let region = &s[2..8];
    if !is_credit_code_region(region) {
        return Err(invalid(
            format!("统一社会信用代码第3至8位“{region}”不是有效的登记管理机关行政区划码，请核对"),
            format!(
                "Characters 3-8 of the credit code ({region}) are not a valid region code of a registering authority; please check them"
            ),
        ));
    }
    if check_char(&s[..17]) != s.as_bytes()[17] as char {
        return Err(invalid(
            "统一社会信用代码校验位不正确，请核对后重新输入",
            "The credit code's check character is wrong; please check it",
        ));
    }
    Ok(CreditCode(s))
}

impl CreditCode {
    /// Parses user input; see [`parse`].
    pub fn parse(input: &str) -> Result<CreditCode, Invalid> {
        parse(input)
    }

    /// Completes the first 17 characters with their check character. Meant for generators of
    /// demo and test data.
    ///
    /// # Panics
    /// If `first17` is not exactly 17 characters of [`ALPHABET`], or if characters 3-8 are not a
    /// region code [`parse`] accepts.
    pub fn from_body(first17: &str) -> CreditCode {
        let check = check_char(first17);
        assert!(
            first17.get(2..8).is_some_and(is_credit_code_region),
            "characters 3-8 of {first17} are not a registering authority's region code"
        );
        CreditCode(format!("{first17}{check}"))
    }

    /// The canonical 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The six-digit administrative region code of the registering authority (characters 3-8).
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }
}

impl FromStr for CreditCode {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for CreditCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CreditCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;

    #[test]
    fn alphabet_and_weights() {
        assert_eq!(ALPHABET.len(), 31);
        for banned in ['I', 'O', 'Z', 'S', 'V'] {
            assert!(!ALPHABET.contains(banned));
        }
        for (i, w) in WEIGHTS.iter().enumerate() {
            assert_eq!(*w, 3u32.pow(i as u32) % 31);
        }
    }

    #[test]
    fn accepts_valid_codes() {
        for input in [
            "91350100M000100Y43",
            "91350100m000100y43",
            " 9135 0100 M000 100Y 43 ",
            "９１３５０１００Ｍ０００１００Ｙ４３",
        ] {
            let code = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(code.as_str(), "91350100M000100Y43");
            assert_eq!(code.region_code(), "350100");
        }
        assert_eq!(check_char("91350100M000100Y4"), '3');
        // A university registered with the central authority (100000), and real codes of
        // authorities in development zones whose codes GB/T 2260 never assigned.
        for real in [
            "12100000470095016Q",
            "91110302562134916R",
            "91320594780268314T",
        ] {
            assert_eq!(parse(real).unwrap().as_str(), real);
        }
        let generated = CreditCode::from_body("91330225MA2AB3CD1");
        assert_eq!(parse(generated.as_str()).unwrap(), generated);
        assert_eq!(
            format!("{generated:?}"),
            format!("CreditCode({:?})", generated.as_str())
        );
    }

    #[test]
    fn rejections_have_their_own_messages() {
        let cases: &[(&str, ErrorCode, &str)] = &[
            ("", ErrorCode::MissingField, "请输入"),
            (
                "91350100M000100Y4",
                ErrorCode::InvalidCreditCode,
                "您输入了17位",
            ),
            (
                "91350100M000100Y433",
                ErrorCode::InvalidCreditCode,
                "您输入了19位",
            ),
            (
                "91350100MO00100Y43",
                ErrorCode::InvalidCreditCode,
                "第10位的“O”",
            ),
            (
                "I1350100M000100Y43",
                ErrorCode::InvalidCreditCode,
                "第1位的“I”",
            ),
            (
                "91350100M000100Y4-",
                ErrorCode::InvalidCreditCode,
                "第18位的“-”",
            ),
            ("91350100M000100Y44", ErrorCode::InvalidCreditCode, "校验位"),
            (
                "91A50100M000100Y42",
                ErrorCode::InvalidCreditCode,
                "只能是数字，第3位却是“A”",
            ),
            (
                "913501M0M000100Y43",
                ErrorCode::InvalidCreditCode,
                "第7位却是“M”",
            ),
            (
                "91990100M000100Y4U",
                ErrorCode::InvalidCreditCode,
                "“990100”不是有效的登记管理机关行政区划码",
            ),
            (
                "91101000M000100Y48",
                ErrorCode::InvalidCreditCode,
                "“101000”不是",
            ),
        ];
        for (input, code, zh) in cases {
            let err = parse(input).unwrap_err();
            assert_eq!(err.code, *code, "{input}");
            assert!(err.zh.contains(zh), "{input}: {}", err.zh);
        }
        let err = parse("91350100MO00100Y43").unwrap_err();
        assert!(err.en.contains("Character 10 ('O')"), "{}", err.en);
        let err = parse("91A50100M000100Y42").unwrap_err();
        assert_eq!(
            err.en,
            "Characters 3-8 of a unified social credit code are the registering authority's region code and must be digits; character 3 is 'A'"
        );
    }

    #[test]
    #[should_panic]
    fn from_body_rejects_bad_region() {
        CreditCode::from_body("91990100M000100Y4");
    }

    #[test]
    fn deserializes_through_parse() {
        let de: StrDeserializer<DeError> = "91350100m000100y43".into_deserializer();
        assert_eq!(
            CreditCode::deserialize(de).unwrap().as_str(),
            "91350100M000100Y43"
        );
        let de: StrDeserializer<DeError> = "91350100M000100Y44".into_deserializer();
        assert!(CreditCode::deserialize(de).is_err());
    }

    pub(crate) fn arb_credit_code() -> impl Strategy<Value = CreditCode> {
        let alphabet: Vec<char> = ALPHABET.chars().collect();
        let regions: Vec<String> = crate::region::known_region_codes()
            .map(|code| format!("{code:06}"))
            .chain(["100000".to_owned()])
            .filter(|region| is_credit_code_region(region))
            .collect();
        let chars = |n| proptest::collection::vec(proptest::sample::select(alphabet.clone()), n);
        (chars(2), proptest::sample::select(regions), chars(9)).prop_map(|(head, region, tail)| {
            let head: String = head.into_iter().collect();
            let tail: String = tail.into_iter().collect();
            CreditCode::from_body(&format!("{head}{region}{tail}"))
        })
    }

    proptest! {
        #[test]
        fn from_body_round_trips(code in arb_credit_code()) {
            prop_assert_eq!(parse(code.as_str()).unwrap(), code.clone());
            prop_assert_eq!(parse(&code.as_str().to_lowercase()).unwrap(), code);
        }

        #[test]
        fn any_single_character_change_is_rejected(
            code in arb_credit_code(),
            pos in 0usize..18,
            replacement in proptest::char::ranges(vec!['0'..='9', 'A'..='Z', '一'..='龥'].into()),
        ) {
            let original = code.as_str().as_bytes()[pos] as char;
            prop_assume!(replacement != original);
            let mut chars: Vec<char> = code.as_str().chars().collect();
            chars[pos] = replacement;
            let changed: String = chars.into_iter().collect();
            prop_assert!(parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn regions_outside_the_provinces_are_rejected(code in arb_credit_code(), region in 0u32..1_000_000) {
            let region = format!("{region:06}");
            prop_assume!(!is_credit_code_region(&region));
            let body = format!("{}{region}{}", &code.as_str()[..2], &code.as_str()[8..17]);
            let changed = format!("{body}{}", check_char(&body));
            prop_assert!(parse(&changed).unwrap_err().zh.contains("登记管理机关行政区划码"));
        }

        #[test]
        fn never_panics(input in ".{0,40}") {
            let _ = parse(&input);
        }
    }
}
