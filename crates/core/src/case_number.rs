//! Enforcement case numbers (案号) such as `(2024)浙0225执1234号`: parsing, canonical form and
//! their parts.
//!
//! A case number is the year in parentheses, the court code (a province abbreviation followed by
//! up to four digits, or 最高法 for the Supreme People's Court), the case-type code (执, 执恢, …),
//! the serial number and 号.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ErrorCode, Invalid};
use crate::region::{province_by_abbr, province_by_code, Province};
use crate::text::compact_folded;

/// Case-type codes of enforcement cases: 执 (first enforcement), 执恢 (resumed), 执保 (preservation),
/// 执异 (objection), 执复 (reconsideration), 执监 (supervision), 执协 (coordination), 执他 (other),
/// 执破 (transfer to bankruptcy).
pub const CASE_TYPES: &[&str] = &[
    "执", "执恢", "执保", "执异", "执复", "执监", "执协", "执他", "执破",
];

/// Court code of the Supreme People's Court.
pub const SUPREME_COURT_CODE: &str = "最高法";

/// Court-code prefix of the courts of the Xinjiang Production and Construction Corps (兵团).
pub const CORPS_COURT_ABBR: char = '兵';

/// Earliest and latest year accepted in a case number.
pub const YEARS: std::ops::RangeInclusive<u16> = 1990..=2100;

/// Largest serial number.
pub const MAX_SERIAL: u32 = 999_999;

const EXAMPLE: &str = "(2024)浙0225执1234号";

/// A valid case number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber {
    /// Canonical text, e.g. `(2024)浙0225执1234号`.
    text: String,
    year: u16,
    court_code: String,
    case_type: &'static str,
    serial: u32,
}

fn invalid(zh: &str, en: &str) -> Invalid {
    Invalid::new(
        ErrorCode::InvalidCaseNumber,
        format!("{zh}。案号格式如 {EXAMPLE}"),
        format!("{en}. A case number looks like {EXAMPLE}"),
    )
}

fn year_out_of_range() -> Invalid {
    invalid(
        "案号中的年份应在1990年至2100年之间",
        "The year of a case number must be between 1990 and 2100",
    )
}

fn bad_court() -> Invalid {
    invalid(
        "案号中的法院代字无效，应为省份简称加最多4位数字（如“浙0225”）或“最高法”，其后是案件类型代字（如“执”）",
        "The court code is not valid: it is a province abbreviation with up to 4 digits (such as 浙0225) or 最高法, followed by the case type (such as 执)",
    )
}

fn bad_type() -> Invalid {
    invalid(
        "案号中的案件类型代字无效，执行案件应为“执”“执恢”“执保”“执异”“执复”“执监”“执协”“执他”“执破”之一",
        "The case type is not valid: an enforcement case is one of 执, 执恢, 执保, 执异, 执复, 执监, 执协, 执他 and 执破",
    )
}

fn bad_serial() -> Invalid {
    invalid(
        "案号中的顺序号应为1至999999之间的数字，且不以0开头",
        "The serial number must be a number from 1 to 999999 without leading zeros",
    )
}

/// A cursor over the characters of a compacted case number.
struct Cursor<'a> {
    chars: &'a [char],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        match self.chars.get(self.at..self.at + n) {
            Some(window) if window.iter().copied().eq(s.chars()) => {
                self.at += n;
                true
            }
            _ => false,
        }
    }

    fn digits(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn at_end(&self) -> bool {
        self.at == self.chars.len()
    }
}

/// Reads a court code; aliases of province abbreviations (蒙, 贵) are replaced by the official one.
fn read_court_code(cur: &mut Cursor<'_>) -> Result<String, Invalid> {
    if cur.eat_str(SUPREME_COURT_CODE) {
        return Ok(SUPREME_COURT_CODE.to_owned());
    }
    let abbr = match cur.peek() {
        Some(CORPS_COURT_ABBR) => CORPS_COURT_ABBR,
        Some(c) => province_by_abbr(c).ok_or_else(bad_court)?.abbr,
        None => return Err(bad_court()),
    };
    cur.at += 1;
    let digits = cur.digits();
    if digits.len() > 4 {
        return Err(bad_court());
    }
    Ok(format!("{abbr}{digits}"))
}

/// Reads the longest case-type code at the cursor.
fn case_type(cur: &mut Cursor<'_>) -> Result<&'static str, Invalid> {
    let mut types: Vec<&'static str> = CASE_TYPES.to_vec();
    types.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    types
        .into_iter()
        .find(|t| cur.eat_str(t))
        .ok_or_else(bad_type)
}

fn serial(cur: &mut Cursor<'_>) -> Result<u32, Invalid> {
    let digits = cur.digits();
    if digits.is_empty() || digits.len() > 6 || digits.starts_with('0') {
        return Err(bad_serial());
    }
    digits.parse().map_err(|_| bad_serial())
}

fn check_year(year: u16) -> Result<u16, Invalid> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(year_out_of_range())
    }
}

/// Parses a case number.
///
/// Whitespace anywhere is ignored; full-width digits and parentheses are folded, and the
/// parentheses 〔〕 are accepted too. The canonical form uses half-width parentheses.
pub fn parse(input: &str) -> Result<CaseNumber, Invalid> {
    let chars: Vec<char> = compact_folded(input)
        .chars()
        .map(|c| match c {
            '〔' => '(',
            '〕' => ')',
            c => c,
        })
        .collect();
    if chars.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            format!("请输入案号，格式如 {EXAMPLE}"),
            format!("Please enter the case number, e.g. {EXAMPLE}"),
        ));
    }
    let mut cur = Cursor {
        chars: &chars,
        at: 0,
    };
    if !cur.eat('(') {
        return Err(invalid(
            "案号应以括号中的四位年份开头",
            "A case number starts with the year in parentheses",
        ));
    }
    let year_digits = cur.digits();
    if year_digits.len() != 4 || !cur.eat(')') {
        return Err(invalid(
            "案号开头的括号中应为四位数字的年份",
            "The parentheses at the start of a case number hold the four-digit year",
        ));
    }
    let year = check_year(year_digits.parse().map_err(|_| year_out_of_range())?)?;
    let court = read_court_code(&mut cur)?;
    let kind = case_type(&mut cur)?;
    let number = serial(&mut cur)?;
    if !cur.eat('号') || !cur.at_end() {
        return Err(invalid(
            "案号应以顺序号和“号”字结尾",
            "A case number ends with the serial number and 号",
        ));
    }
    Ok(CaseNumber::assemble(year, court, kind, number))
}

impl CaseNumber {
    fn assemble(year: u16, court_code: String, case_type: &'static str, serial: u32) -> CaseNumber {
        CaseNumber {
            text: format!("({year}){court_code}{case_type}{serial}号"),
            year,
            court_code,
            case_type,
            serial,
        }
    }

    /// Parses a case number; see [`parse`].
    pub fn parse(input: &str) -> Result<CaseNumber, Invalid> {
        parse(input)
    }

    /// Builds a case number from its parts, checking each of them.
    pub fn new(
        year: u16,
        court_code: &str,
        case_type: &str,
        serial: u32,
    ) -> Result<CaseNumber, Invalid> {
        let year = check_year(year)?;
        let court_chars: Vec<char> = court_code.chars().collect();
        let mut cur = Cursor {
            chars: &court_chars,
            at: 0,
        };
        let court = read_court_code(&mut cur)?;
        if !cur.at_end() {
            return Err(bad_court());
        }
        let kind = CASE_TYPES
            .iter()
            .copied()
            .find(|t| *t == case_type)
            .ok_or_else(bad_type)?;
        if !(1..=MAX_SERIAL).contains(&serial) {
            return Err(bad_serial());
        }
        Ok(CaseNumber::assemble(year, court, kind, serial))
    }

    /// Canonical text with half-width parentheses, e.g. `(2024)浙0225执1234号`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The year the case was filed.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The court code, e.g. `浙0225`, `京01`, `沪` or `最高法`.
    pub fn court_code(&self) -> &str {
        &self.court_code
    }

    /// The case-type code, e.g. `执` or `执恢`.
    pub fn case_type(&self) -> &'static str {
        self.case_type
    }

    /// The serial number within year, court and type.
    pub fn serial(&self) -> u32 {
        self.serial
    }

    /// The province of the court; `None` for the Supreme People's Court. Courts of the Xinjiang
    /// Production and Construction Corps (兵) are placed in Xinjiang.
    pub fn province(&self) -> Option<&'static Province> {
        let first = self.court_code.chars().next()?;
        if first == CORPS_COURT_ABBR {
            province_by_code("65")
        } else {
            province_by_abbr(first)
        }
    }
}

impl FromStr for CaseNumber {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

impl AsRef<str> for CaseNumber {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for CaseNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for CaseNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::region::PROVINCES;
    use proptest::prelude::*;
    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;

    #[test]
    fn parses_real_shapes() {
        let cases: &[(&str, &str, u16, &str, &str, u32)] = &[
            (
                "(2024)浙0225执1234号",
                "(2024)浙0225执1234号",
                2024,
                "浙0225",
                "执",
                1234,
            ),
            (
                "（2024）浙0225执1234号",
                "(2024)浙0225执1234号",
                2024,
                "浙0225",
                "执",
                1234,
            ),
            (
                "（２０２４）浙０２２５执１２３４号",
                "(2024)浙0225执1234号",
                2024,
                "浙0225",
                "执",
                1234,
            ),
            (
                " ( 2023 ) 京01 执恢 7 号 ",
                "(2023)京01执恢7号",
                2023,
                "京01",
                "执恢",
                7,
            ),
            (
                "(2019)沪执异999999号",
                "(2019)沪执异999999号",
                2019,
                "沪",
                "执异",
                999_999,
            ),
            (
                "(2020)最高法执监12号",
                "(2020)最高法执监12号",
                2020,
                "最高法",
                "执监",
                12,
            ),
            (
                "〔2021〕粤0304执保88号",
                "(2021)粤0304执保88号",
                2021,
                "粤0304",
                "执保",
                88,
            ),
            (
                "(1990)内0102执他1号",
                "(1990)内0102执他1号",
                1990,
                "内0102",
                "执他",
                1,
            ),
            ("(2100)蒙01执1号", "(2100)内01执1号", 2100, "内01", "执", 1),
            (
                "(2022)兵09执破3号",
                "(2022)兵09执破3号",
                2022,
                "兵09",
                "执破",
                3,
            ),
        ];
        for (input, text, year, court, kind, serial) in cases {
            let n = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(n.as_str(), *text);
            assert_eq!(n.year(), *year);
            assert_eq!(n.court_code(), *court);
            assert_eq!(n.case_type(), *kind);
            assert_eq!(n.serial(), *serial);
            assert_eq!(n.to_string(), *text);
        }
        assert_eq!(
            parse("(2024)浙0225执1234号")
                .unwrap()
                .province()
                .unwrap()
                .code,
            "33"
        );
        assert!(parse("(2020)最高法执监12号").unwrap().province().is_none());
        assert_eq!(
            parse("(2022)兵09执破3号").unwrap().province().unwrap().code,
            "65"
        );
    }

    #[test]
    fn rejections() {
        let cases: &[(&str, ErrorCode, &str)] = &[
            ("", ErrorCode::MissingField, "请输入案号"),
            (
                "2024浙0225执1234号",
                ErrorCode::InvalidCaseNumber,
                "括号中的四位年份开头",
            ),
            (
                "(24)浙0225执1234号",
                ErrorCode::InvalidCaseNumber,
                "四位数字的年份",
            ),
            (
                "(2024浙0225执1234号",
                ErrorCode::InvalidCaseNumber,
                "四位数字的年份",
            ),
            (
                "(1989)浙0225执1234号",
                ErrorCode::InvalidCaseNumber,
                "1990年至2100年",
            ),
            (
                "(2101)浙0225执1234号",
                ErrorCode::InvalidCaseNumber,
                "1990年至2100年",
            ),
            (
                "(2024)X0225执1234号",
                ErrorCode::InvalidCaseNumber,
                "法院代字",
            ),
            (
                "(2024)浙02251执1234号",
                ErrorCode::InvalidCaseNumber,
                "法院代字",
            ),
            (
                "(2024)浙02251234号",
                ErrorCode::InvalidCaseNumber,
                "法院代字",
            ),
            ("(2024)", ErrorCode::InvalidCaseNumber, "法院代字"),
            (
                "(2024)浙0225民1234号",
                ErrorCode::InvalidCaseNumber,
                "案件类型",
            ),
            ("(2024)浙0225执号", ErrorCode::InvalidCaseNumber, "顺序号"),
            (
                "(2024)浙0225执01234号",
                ErrorCode::InvalidCaseNumber,
                "顺序号",
            ),
            ("(2024)浙0225执0号", ErrorCode::InvalidCaseNumber, "顺序号"),
            (
                "(2024)浙0225执1234567号",
                ErrorCode::InvalidCaseNumber,
                "顺序号",
            ),
            (
                "(2024)浙0225执1234",
                ErrorCode::InvalidCaseNumber,
                "“号”字结尾",
            ),
            (
                "(2024)浙0225执1234号号",
                ErrorCode::InvalidCaseNumber,
                "“号”字结尾",
            ),
        ];
        for (input, code, zh) in cases {
            let err = parse(input).unwrap_err();
            assert_eq!(err.code, *code, "{input}");
            assert!(err.zh.contains(zh), "{input}: {}", err.zh);
            assert!(
                err.zh.contains(EXAMPLE) && err.en.contains(EXAMPLE),
                "{input}"
            );
        }
    }

    #[test]
    fn new_checks_every_part() {
        let n = CaseNumber::new(2024, "浙0225", "执", 1234).unwrap();
        assert_eq!(n.as_str(), "(2024)浙0225执1234号");
        assert_eq!(
            CaseNumber::new(2024, "贵01", "执", 1).unwrap().as_str(),
            "(2024)黔01执1号"
        );
        assert!(CaseNumber::new(1989, "浙", "执", 1).is_err());
        assert!(CaseNumber::new(2024, "浙02251", "执", 1).is_err());
        assert!(CaseNumber::new(2024, "浙0225执1", "执", 1).is_err());
        assert!(CaseNumber::new(2024, "", "执", 1).is_err());
        assert!(CaseNumber::new(2024, "浙", "民", 1).is_err());
        assert!(CaseNumber::new(2024, "浙", "执", 0).is_err());
        assert!(CaseNumber::new(2024, "浙", "执", 1_000_000).is_err());
    }

    #[test]
    fn longest_type_wins() {
        for kind in CASE_TYPES {
            let n = parse(&format!("(2024)浙0225{kind}5号")).unwrap();
            assert_eq!(n.case_type(), *kind);
        }
    }

    #[test]
    fn deserializes_through_parse() {
        let de: StrDeserializer<DeError> = "（2024）浙0225执1234号".into_deserializer();
        assert_eq!(
            CaseNumber::deserialize(de).unwrap().as_str(),
            "(2024)浙0225执1234号"
        );
    }

    pub(crate) fn arb_court_code() -> impl Strategy<Value = String> {
        let mut abbrs: Vec<char> = PROVINCES.iter().map(|p| p.abbr).collect();
        abbrs.push(CORPS_COURT_ABBR);
        prop_oneof![
            1 => Just(SUPREME_COURT_CODE.to_owned()),
            20 => (proptest::sample::select(abbrs), "[0-9]{0,4}").prop_map(|(a, d)| format!("{a}{d}")),
        ]
    }

    pub(crate) fn arb_case_number() -> impl Strategy<Value = CaseNumber> {
        (
            YEARS,
            arb_court_code(),
            proptest::sample::select(CASE_TYPES),
            1..=MAX_SERIAL,
        )
            .prop_map(|(y, c, t, s)| CaseNumber::new(y, &c, t, s).unwrap())
    }

    fn to_full_width(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                c => c,
            })
            .collect()
    }

    proptest! {
        #[test]
        fn new_then_parse_round_trips(n in arb_case_number()) {
            prop_assert_eq!(parse(n.as_str()).unwrap(), n.clone());
            prop_assert_eq!(parse(&to_full_width(n.as_str())).unwrap(), n.clone());
            let spaced: String = n.as_str().chars().flat_map(|c| [c, ' ']).collect();
            prop_assert_eq!(parse(&spaced).unwrap(), n);
        }

        #[test]
        fn never_panics(input in ".{0,40}") {
            let _ = parse(&input);
        }

        #[test]
        fn never_panics_on_near_misses(input in "[（(]?[0-9]{0,5}[)）]?[浙最高法兵X]{0,3}[0-9]{0,6}[执恢保民]{0,2}[0-9]{0,8}号?") {
            let _ = parse(&input);
        }
    }
}
