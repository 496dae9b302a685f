//! 18-character resident ID numbers (居民身份证号码, GB 11643): parsing with user-facing messages,
//! the check digit, masking, and the facts an ID number encodes (region, birth date, sex).
//!
//! An ID number is personal data: its `Debug` output is masked so that it never reaches a log by
//! accident, and no error message repeats it.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ErrorCode, Invalid};
use crate::region::{is_id_region_code, is_known_id_region_prefix};
use crate::text::{compact_folded, entered_en};
use crate::time::court_today;

/// Number of characters in a resident ID number.
pub const ID_NUMBER_LEN: usize = 18;

/// ISO 7064 MOD 11-2 weights of the first 17 digits (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each weighted sum mod 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid resident ID number in canonical form (ASCII, upper-case `X`).
///
/// `Display` shows the full number (callers decide where that is allowed); `Debug` shows only the
/// masked form.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

/// The check character (`0`-`9` or `X`) for the first 17 digits of an ID number.
///
/// # Panics
/// If `first17` is not exactly 17 ASCII digits.
pub fn check_digit(first17: &str) -> char {
    assert!(
        first17.len() == 17 && first17.bytes().all(|b| b.is_ascii_digit()),
        "check_digit needs 17 ASCII digits"
    );
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Invalid {
    Invalid::new(ErrorCode::InvalidIdNumber, zh, en)
}

/// Parses user input into an ID number, as of today at the courts (see [`parse_on`]). Birth dates
/// in ID numbers are dates in China, so a number is valid from the day its holder is born there;
/// and the browser and the server, whatever their time zones, draw the line at the same moment.
pub fn parse(input: &str) -> Result<IdNumber, Invalid> {
    parse_on(input, court_today())
}

/// Parses user input into an ID number whose holder was born on or before `today`.
///
/// Whitespace anywhere is ignored, full-width digits and letters are folded to ASCII and a
/// lower-case `x` is accepted. Each kind of mistake gets its own message; none repeats the number.
pub fn parse_on(input: &str, today: NaiveDate) -> Result<IdNumber, Invalid> {
    let s = compact_folded(input).to_ascii_uppercase();
    if s.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            "请输入身份证号码",
            "Please enter the ID number",
        ));
    }
    let count = s.chars().count();
    if count != ID_NUMBER_LEN {
        return Err(invalid(
            format!("身份证号码应为18位，您输入了{count}位"),
            format!("An ID number has 18 characters; {}", entered_en(count)),
        ));
    }
    for (i, c) in s.chars().enumerate() {
        let pos = i + 1;
        if i < 17 && !c.is_ascii_digit() {
            return Err(invalid(
                format!("身份证号码第{pos}位“{c}”无效，前17位只能是数字"),
                format!(
                    "Character {pos} of the ID number ('{c}') is not allowed; the first 17 characters must be digits"
                ),
            ));
        }
        if i == 17 && !(c.is_ascii_digit() || c == 'X') {
            return Err(invalid(
                format!("身份证号码最后一位“{c}”无效，只能是数字或字母X"),
                format!(
                    "The last character of the ID number ('{c}') must be a digit or the letter X"
                ),
            ));
        }
    }
    let prefix = &s[..2];
    if !is_known_id_region_prefix(prefix) {
        return Err(invalid(
            format!("身份证号码前两位“{prefix}”不是有效的地区代码，请核对"),
            format!("The ID number's first two digits ({prefix}) are not a valid region code; please check them"),
        ));
    }
    if !is_id_region_code(&s[..6]) {
        return Err(invalid(
            "身份证号码前6位不是曾经使用过的行政区划代码，请核对",
            "The ID number's first six digits are not a region code that was ever assigned; please check them",
        ));
    }
    match birth_of(&s) {
        Some(date) if date.year() < 1900 => {
            return Err(invalid(
                "身份证号码中的出生年份（第7至10位）不能早于1900年，请核对",
                "The birth year in the ID number (characters 7-10) cannot be before 1900; please check it",
            ))
        }
        Some(date) if date > today => {
            return Err(invalid(
                "身份证号码中的出生日期（第7至14位）晚于今天，请核对",
                "The birth date in the ID number (characters 7-14) is after today; please check it",
            ))
        }
        Some(_) => {}
        None => {
            return Err(invalid(
                "身份证号码中的出生日期（第7至14位）不是真实存在的日期，请核对",
                "The birth date in the ID number (characters 7-14) is not a real date; please check it",
            ))
        }
    }
    if check_digit(&s[..17]) != s.as_bytes()[17] as char {
        return Err(invalid(
            "身份证号码校验位不正确，请核对后重新输入",
            "The ID number's check digit is wrong; please check it",
        ));
    }
    Ok(IdNumber(s))
}

/// The birth date encoded in characters 7-14 of an all-ASCII ID number, if it exists.
fn birth_of(s: &str) -> Option<NaiveDate> {
    let year: i32 = s.get(6..10)?.parse().ok()?;
    let month: u32 = s.get(10..12)?.parse().ok()?;
    let day: u32 = s.get(12..14)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

impl IdNumber {
    /// Parses user input; see [`parse`].
    pub fn parse(input: &str) -> Result<IdNumber, Invalid> {
        parse(input)
    }

    /// Parses user input as of `today`; see [`parse_on`].
    pub fn parse_on(input: &str, today: NaiveDate) -> Result<IdNumber, Invalid> {
        parse_on(input, today)
    }

    /// Builds the ID number for a region code, birth date and sequence number, computing the
    /// check digit. Meant for generators of demo and test data.
    ///
    /// # Panics
    /// If `region` is not a code ID numbers carry (see [`crate::region::is_id_region_code`]), if
    /// the birth date is before 1900 or after today in China, or if `sequence` is above 999.
    pub fn from_parts(region: &str, birth: NaiveDate, sequence: u16) -> IdNumber {
        assert!(
            is_id_region_code(region),
            "{region} is not a region code that was ever assigned"
        );
        assert!(
            birth.year() >= 1900 && birth <= court_today(),
            "birth date out of range"
        );
        assert!(sequence <= 999, "sequence must be 0..=999");
        let first17 = format!("{region}{}{sequence:03}", birth.format("%Y%m%d"));
        let check = check_digit(&first17);
        IdNumber(format!("{first17}{check}"))
    }

    /// The canonical 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form shown to the public: the first 10 characters, `****`, the last 4
    /// (`4405241973****2516`). This hides the birth month and day.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..10], &self.0[14..])
    }

    /// The birth date (characters 7-14).
    pub fn birth_date(&self) -> NaiveDate {
        birth_of(&self.0).expect("validated on construction")
    }

    /// Whether the holder is male: the sequence number (characters 15-17) is odd.
    pub fn is_male(&self) -> bool {
        (self.0.as_bytes()[16] - b'0') % 2 == 1
    }

    /// The six-digit region code of the place of first registration (characters 1-6).
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// The two-digit province-level code (characters 1-2); see [`crate::region`].
    pub fn province_code(&self) -> &str {
        &self.0[..2]
    }

    /// Age in whole years on `date` (0 for dates before birth). Someone born on 29 February
    /// turns a year older on 1 March in common years.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        let birth = self.birth_date();
        if date <= birth {
            return 0;
        }
        let years = date.year() - birth.year();
        let had_birthday = (date.month(), date.day()) >= (birth.month(), birth.day());
        (if had_birthday { years } else { years - 1 }) as u32
    }
}

impl FromStr for IdNumber {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl AsRef<str> for IdNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Masked, so that a stray `{:?}` never writes an ID number into a log.
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

impl Serialize for IdNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for IdNumber {
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

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn check_digits_of_known_numbers() {
        assert_eq!(check_digit("11010519491231002"), 'X');
        assert_eq!(check_digit("44052419730212251"), '6');
        assert_eq!(check_digit("11010119900307803"), 'X');
    }

    #[test]
    fn accepts_valid_numbers_in_many_spellings() {
        for input in [
            "11010519491231002X",
            "11010519491231002x",
            " 110105 19491231 002X ",
            "１１０１０５１９４９１２３１００２Ｘ",
            "１１０１０５１９４９１２３１００２ｘ",
            "\u{3000}110105194912310\u{3000}02X\t",
        ] {
            let id = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(id.as_str(), "11010519491231002X");
        }
        let id = parse("440524197302122516").unwrap();
        assert_eq!(id.masked(), "4405241973****2516");
        assert_eq!(id.birth_date(), date(1973, 2, 12));
        assert!(id.is_male());
        assert_eq!(id.region_code(), "440524");
        assert_eq!(id.province_code(), "44");
        let woman = parse("11010519491231002X").unwrap();
        assert!(!woman.is_male());
    }

    #[test]
    fn accepts_abolished_regions_and_residence_permits() {
        // 通县 became 通州区 (110112) in 1997 and 崇文区 joined 东城区 in 2010, but their people
        // kept their numbers.
        assert!(parse("110223198001010014").is_ok());
        assert!(parse("110103199001010018").is_ok());
        // Residence permits of Hong Kong, Macau and Taiwan residents.
        for region in ["810000", "820000", "830000"] {
            let permit = IdNumber::from_parts(region, date(1985, 6, 1), 12);
            assert!(parse(permit.as_str()).is_ok(), "{region}");
        }
    }

    #[test]
    fn accepts_lishui_numbers_of_1982_to_2000() {
        // 丽水市 332801, 龙泉市 332802 and 遂昌县 332827 of 丽水地区 (3328, 1982-2000); check
        // digits worked out apart from `check_digit`, with GB 11643's weights.
        for (input, region, birth) in [
            ("332801198803151238", "332801", date(1988, 3, 15)),
            ("332802199511200473", "332802", date(1995, 11, 20)),
            ("332827198306010083", "332827", date(1983, 6, 1)),
            ("332827200001310157", "332827", date(2000, 1, 31)),
        ] {
            assert_eq!(
                check_digit(&input[..17]),
                input.as_bytes()[17] as char,
                "{input}"
            );
            let id = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(id.as_str(), input);
            assert_eq!(id.region_code(), region);
            assert_eq!(id.province_code(), "33");
            assert_eq!(id.birth_date(), birth);
        }
    }

    #[test]
    fn birth_date_may_be_today_but_not_later() {
        let today = date(2024, 6, 15);
        let born_today = IdNumber::from_parts("110105", today, 1);
        assert_eq!(
            IdNumber::parse_on(born_today.as_str(), today),
            Ok(born_today)
        );
        let born_tomorrow = IdNumber::from_parts("110105", date(2024, 6, 16), 1);
        let err = IdNumber::parse_on(born_tomorrow.as_str(), today).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidIdNumber);
        assert_eq!(
            err.zh,
            "身份证号码中的出生日期（第7至14位）晚于今天，请核对"
        );
        assert_eq!(
            err.en,
            "The birth date in the ID number (characters 7-14) is after today; please check it"
        );
        assert!(parse_on(born_tomorrow.as_str(), date(2024, 6, 16)).is_ok());
        // The clock: born on 31 December 2099, with a correct check digit.
        assert!(parse("110105209912310010")
            .unwrap_err()
            .zh
            .contains("晚于今天"));
    }

    #[test]
    fn rejections_have_their_own_messages() {
        let cases: &[(&str, ErrorCode, &str)] = &[
            ("", ErrorCode::MissingField, "请输入"),
            ("   ", ErrorCode::MissingField, "请输入"),
            (
                "11010519491231002",
                ErrorCode::InvalidIdNumber,
                "您输入了17位",
            ),
            (
                "11010519491231002X1",
                ErrorCode::InvalidIdNumber,
                "您输入了19位",
            ),
            ("1101051949123100AX", ErrorCode::InvalidIdNumber, "第17位"),
            ("11010519491231002Y", ErrorCode::InvalidIdNumber, "最后一位"),
            ("11010519491231002-", ErrorCode::InvalidIdNumber, "最后一位"),
            ("991005194912310021", ErrorCode::InvalidIdNumber, "地区代码"),
            ("110199199001010010", ErrorCode::InvalidIdNumber, "前6位"),
            ("110105209912310010", ErrorCode::InvalidIdNumber, "晚于今天"),
            ("110105194902300021", ErrorCode::InvalidIdNumber, "出生日期"),
            ("110105194913010021", ErrorCode::InvalidIdNumber, "出生日期"),
            ("110105189912310021", ErrorCode::InvalidIdNumber, "1900"),
            ("110105194912310021", ErrorCode::InvalidIdNumber, "校验位"),
        ];
        for (input, code, zh) in cases {
            let err = parse(input).unwrap_err();
            assert_eq!(err.code, *code, "{input}");
            assert!(err.zh.contains(zh), "{input}: {}", err.zh);
            assert!(!err.en.is_empty());
        }
        assert_eq!(
            parse("1").unwrap_err().en,
            "An ID number has 18 characters; 1 character was entered"
        );
        let check = parse("110105194912310021").unwrap_err();
        assert_eq!(check.zh, "身份证号码校验位不正确，请核对后重新输入");
        assert_eq!(
            check.en,
            "The ID number's check digit is wrong; please check it"
        );
    }

    #[test]
    fn messages_never_echo_the_number() {
        for input in [
            "110105194912310021",
            "110105194902300021",
            "991005194912310021",
            "110199199001010010",
            "110105209912310010",
        ] {
            let err = parse(input).unwrap_err();
            assert!(!err.zh.contains(input) && !err.en.contains(input));
            assert!(!err.zh.contains(&input[..10]) && !err.en.contains(&input[..10]));
        }
    }

    #[test]
    fn debug_is_masked_display_is_full() {
        let id = parse("440524197302122516").unwrap();
        let debug = format!("{id:?}");
        assert!(!debug.contains("440524197302122516"), "{debug}");
        assert!(debug.contains("4405241973****2516"));
        assert_eq!(id.to_string(), "440524197302122516");
        assert_eq!("440524197302122516".parse::<IdNumber>().unwrap(), id);
    }

    #[test]
    fn ages() {
        let id = IdNumber::from_parts("330225", date(1980, 2, 29), 123);
        assert_eq!(id.age_on(date(1980, 2, 29)), 0);
        assert_eq!(id.age_on(date(1979, 1, 1)), 0);
        assert_eq!(id.age_on(date(1981, 2, 28)), 0);
        assert_eq!(id.age_on(date(1981, 3, 1)), 1);
        assert_eq!(id.age_on(date(2024, 2, 28)), 43);
        assert_eq!(id.age_on(date(2024, 2, 29)), 44);
        assert!(id.is_male());
    }

    #[test]
    fn deserializes_through_parse() {
        let de: StrDeserializer<DeError> =
            " １１０１０５１９４９１２３１００２ｘ".into_deserializer();
        assert_eq!(
            IdNumber::deserialize(de).unwrap().as_str(),
            "11010519491231002X"
        );
        let de: StrDeserializer<DeError> = "110105194912310021".into_deserializer();
        assert!(IdNumber::deserialize(de).is_err());
    }

    #[test]
    #[should_panic]
    fn from_parts_rejects_bad_region() {
        IdNumber::from_parts("33A225", date(1990, 1, 1), 1);
    }

    #[test]
    #[should_panic]
    fn from_parts_rejects_unassigned_region() {
        IdNumber::from_parts("110199", date(1990, 1, 1), 1);
    }

    /// A birth date from 1900 to the end of 2024, so that IDs built from it stay valid.
    fn arb_birth() -> impl Strategy<Value = NaiveDate> {
        let first = date(1900, 1, 1);
        let span = (date(2024, 12, 31) - first).num_days() as u64;
        (0..=span).prop_map(move |days| first + chrono::Days::new(days))
    }

    pub(crate) fn arb_id() -> impl Strategy<Value = IdNumber> {
        let regions: Vec<String> = crate::region::known_region_codes()
            .map(|code| format!("{code:06}"))
            .chain(["830000".to_owned()])
            .collect();
        (proptest::sample::select(regions), arb_birth(), 0u16..=999)
            .prop_map(|(region, birth, seq)| IdNumber::from_parts(&region, birth, seq))
    }

    proptest! {
        #[test]
        fn from_parts_round_trips(id in arb_id()) {
            let parsed = parse(id.as_str()).unwrap();
            prop_assert_eq!(&parsed, &id);
            prop_assert_eq!(parse(&id.as_str().to_lowercase()).unwrap(), id.clone());
            let masked = id.masked();
            prop_assert_eq!(masked.len(), 18);
            prop_assert!(masked.contains("****"));
        }

        #[test]
        fn any_single_character_change_is_rejected(
            id in arb_id(),
            pos in 0usize..18,
            replacement in proptest::char::ranges(vec!['0'..='9', 'A'..='Z', 'a'..='z', '一'..='龥'].into()),
        ) {
            let original = id.as_str().as_bytes()[pos] as char;
            prop_assume!(replacement.to_ascii_uppercase() != original);
            let mut chars: Vec<char> = id.as_str().chars().collect();
            chars[pos] = replacement;
            let changed: String = chars.into_iter().collect();
            prop_assert!(parse(&changed).is_err(), "{} accepted", changed);
        }

        #[test]
        fn unassigned_regions_are_rejected(
            code in 0u32..1_000_000,
            birth in arb_birth(),
            seq in 0u16..=999,
        ) {
            let region = format!("{code:06}");
            prop_assume!(!is_id_region_code(&region));
            let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", check_digit(&first17));
            let err = parse(&id).unwrap_err();
            prop_assert!(err.zh.contains("前6位") || err.zh.contains("前两位"), "{}", err.zh);
        }

        #[test]
        fn never_panics(input in ".{0,40}") {
            let _ = parse(&input);
        }
    }
}
