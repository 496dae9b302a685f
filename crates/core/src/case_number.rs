//! Enforcement case numbers (案号): parsing, canonical form and their parts.
//!
//! Since 2016-01-01 (最高人民法院《关于人民法院案件案号的若干规定》) a case number is the year in
//! parentheses, the court code (a province abbreviation followed by up to four digits, or 最高法 for
//! the Supreme People's Court), the case-type code (执, 执恢, …), the serial number and 号:
//! `(2024)浙0225执1234号`.
//!
//! Before that every court wrote its own abbreviation and a 字第 form: `(2015)杭西执民字第1234号`.
//! Listings and restrictions from those years are still in force, so both forms are accepted.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{ErrorCode, Invalid};
use crate::region::{province_by_abbr, province_by_code, Province};
use crate::text::compact_folded;

mod stages;
pub use stages::{trial_types, PartyCaseNumber, TrialCaseNumber, TRIAL_CASE_TYPES};

/// Case-type codes of enforcement cases: 执 (first enforcement), 执恢 (resumed), 执保 (preservation),
/// 执异 (objection), 执复 (reconsideration), 执监 (supervision), 执协 (coordination), 执他 (other),
/// 执破 (transfer to bankruptcy).
pub const CASE_TYPES: &[&str] = &[
    "执", "执恢", "执保", "执异", "执复", "执监", "执协", "执他", "执破",
];

/// Case-type codes of enforcement cases in old-form numbers, written before 字. Courts chose their
/// own: the current codes but 执破 (which is new), and also 执民 and 执行 (first enforcement at
/// courts that set civil enforcement apart), 执督 (supervising a lower court), 执审 and 执裁
/// (review and ruling on objections), 执请 (request for instructions) and 执申 (petition).
pub const LEGACY_CASE_TYPES: &[&str] = &[
    "执", "执民", "执行", "执恢", "执保", "执异", "执复", "执监", "执协", "执他", "执督", "执审",
    "执裁", "执请", "执申",
];

/// Court code of the Supreme People's Court.
pub const SUPREME_COURT_CODE: &str = "最高法";

/// Court-code prefix of the courts of the Xinjiang Production and Construction Corps (兵团).
pub const CORPS_COURT_ABBR: char = '兵';

/// Earliest and latest year accepted in a case number.
pub const YEARS: std::ops::RangeInclusive<u16> = 1990..=2100;

/// Last year of old-form numbers. The rule took effect on 2016-01-01, but courts moved their case
/// systems over in the course of that year, and the lists carry 2016 numbers in the old form such
/// as `(2016)安执字第00175号`; an old-form number from 2017 on is a mistake.
pub const LAST_LEGACY_YEAR: u16 = 2016;

/// Largest serial number.
pub const MAX_SERIAL: u32 = 999_999;

/// Longest old-form court abbreviation in characters (渝一中法 and 鄂武汉中 have four).
const MAX_LEGACY_COURT_CHARS: usize = 6;

/// Most digits in a court code, in both forms.
const MAX_COURT_DIGITS: usize = 4;

/// Most digits of a serial number as written; old numbers pad with zeros (第00175号) within them.
const MAX_SERIAL_DIGITS: usize = 6;

const EXAMPLE: &str = "(2024)浙0225执1234号";

const LEGACY_EXAMPLE: &str = "(2015)杭西执民字第1234号";

/// A valid case number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber {
    /// Canonical text, e.g. `(2024)浙0225执1234号` or `(2015)杭西执民字第1234号`.
    text: String,
    year: u16,
    court_code: String,
    case_type: &'static str,
    serial: u32,
    legacy: bool,
}

fn invalid(zh: &str, en: &str) -> Invalid {
    Invalid::new(
        ErrorCode::InvalidCaseNumber,
        format!("{zh}。案号格式如 {EXAMPLE}"),
        format!("{en}. A case number looks like {EXAMPLE}"),
    )
}

/// Like [`invalid`], for mistakes someone copying an old-form number makes: shows both forms.
fn invalid_either(zh: &str, en: &str) -> Invalid {
    Invalid::new(
        ErrorCode::InvalidCaseNumber,
        format!("{zh}。案号格式如 {EXAMPLE}，2016年及以前的旧案号如 {LEGACY_EXAMPLE}"),
        format!(
            "{en}. A case number looks like {EXAMPLE}; one from 2016 or earlier may look like {LEGACY_EXAMPLE}"
        ),
    )
}

fn year_out_of_range() -> Invalid {
    invalid(
        "案号中的年份应在1990年至2100年之间",
        "The year of a case number must be between 1990 and 2100",
    )
}

fn bad_court() -> Invalid {
    invalid_either(
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

fn bad_end() -> Invalid {
    invalid(
        "案号应以顺序号和“号”字结尾",
        "A case number ends with the serial number and 号",
    )
}

fn legacy_too_late() -> Invalid {
    invalid(
        "带“字第”的旧格式案号只用于2016年及以前立案的案件，此后的案号不含“字第”",
        "The old form with 字第 was used for cases filed up to 2016; later case numbers have no 字第",
    )
}

fn bad_legacy_court() -> Invalid {
    invalid_either(
        "旧格式案号中的法院简称无效，应为1至6个汉字（如“杭西”“深中法”），最高人民法院的旧案号没有法院简称",
        "The court abbreviation of the old-form case number is not valid: it is 1 to 6 Chinese characters (such as 杭西 or 深中法), and none for the Supreme People's Court",
    )
}

fn bad_legacy_type() -> Invalid {
    let zh: String = LEGACY_CASE_TYPES
        .iter()
        .map(|t| format!("“{t}字”"))
        .collect();
    let en = LEGACY_CASE_TYPES
        .iter()
        .map(|t| format!("{t}字"))
        .collect::<Vec<_>>()
        .join(", ");
    invalid_either(
        &format!("旧格式案号中的案件类型代字无效，执行案件应为{zh}之一"),
        &format!("The case type of the old-form case number is not valid: an enforcement case has one of {en}"),
    )
}

fn bad_legacy_serial() -> Invalid {
    invalid_either(
        "旧格式案号中“字”后应为“第”和1至999999之间的顺序号（可以0开头）",
        "In an old-form case number, 字 is followed by 第 and a serial number from 1 to 999999 (leading zeros allowed)",
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

    /// Eats the longest of `codes` at the cursor, so that 执恢 is not read as 执 followed by 恢.
    fn eat_longest(&mut self, codes: &[&'static str]) -> Option<&'static str> {
        let start = self.at;
        let mut longest: Option<(&'static str, usize)> = None;
        for code in codes {
            if self.eat_str(code) && longest.is_none_or(|(_, end)| self.at > end) {
                longest = Some((code, self.at));
            }
            self.at = start;
        }
        let (code, end) = longest?;
        self.at = end;
        Some(code)
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
    if digits.len() > MAX_COURT_DIGITS {
        return Err(bad_court());
    }
    Ok(format!("{abbr}{digits}"))
}

fn read_serial(cur: &mut Cursor<'_>) -> Result<u32, Invalid> {
    let digits = cur.digits();
    if digits.is_empty() || digits.len() > MAX_SERIAL_DIGITS || digits.starts_with('0') {
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

fn parse_current(year: u16, cur: &mut Cursor<'_>) -> Result<CaseNumber, Invalid> {
    let court = read_court_code(cur)?;
    let kind = cur.eat_longest(CASE_TYPES).ok_or_else(bad_type)?;
    let number = read_serial(cur)?;
    if !cur.eat('号') || !cur.at_end() {
        return Err(bad_end());
    }
    Ok(CaseNumber::assemble(year, court, kind, number))
}

/// Characters of an old court abbreviation: Chinese characters, except 执, where the case type
/// begins, and the 字, 第 and 号 of the rest of the number.
fn is_legacy_court_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}') && !matches!(c, '执' | '字' | '第' | '号')
}

/// Reads an old court abbreviation: up to six Chinese characters, then up to four digits for the
/// courts whose old numbers carry a current-style code (`(2003)皖1202执字第00174号` is on the
/// lists); nothing at all for the Supreme People's Court (`(2011)执复字第12号`).
fn read_legacy_court(cur: &mut Cursor<'_>) -> Result<String, Invalid> {
    let start = cur.at;
    while cur.peek().is_some_and(is_legacy_court_char) {
        cur.at += 1;
    }
    let letters = cur.at - start;
    let digits = cur.digits().len();
    match cur.peek() {
        Some('执') => {}
        // Another kind of case (民, 刑, …) rather than a wrong abbreviation.
        Some('字') => return Err(bad_legacy_type()),
        _ => return Err(bad_legacy_court()),
    }
    if letters > MAX_LEGACY_COURT_CHARS || digits > MAX_COURT_DIGITS || (letters == 0 && digits > 0)
    {
        return Err(bad_legacy_court());
    }
    Ok(cur.chars[start..cur.at].iter().collect())
}

/// Reads a serial number that may be padded with zeros; the padding is dropped.
fn read_legacy_serial(cur: &mut Cursor<'_>) -> Result<u32, Invalid> {
    let digits = cur.digits();
    if digits.is_empty() || digits.len() > MAX_SERIAL_DIGITS {
        return Err(bad_legacy_serial());
    }
    match digits.parse() {
        Ok(0) | Err(_) => Err(bad_legacy_serial()),
        Ok(n) => Ok(n),
    }
}

fn parse_legacy(year: u16, cur: &mut Cursor<'_>) -> Result<CaseNumber, Invalid> {
    if year > LAST_LEGACY_YEAR {
        return Err(legacy_too_late());
    }
    let court = read_legacy_court(cur)?;
    let kind = match cur.eat_longest(LEGACY_CASE_TYPES) {
        Some(kind) if cur.eat('字') => kind,
        _ => return Err(bad_legacy_type()),
    };
    if !cur.eat('第') {
        return Err(bad_legacy_serial());
    }
    let number = read_legacy_serial(cur)?;
    if !cur.eat('号') || !cur.at_end() {
        return Err(bad_end());
    }
    Ok(CaseNumber {
        text: format!("({year}){court}{kind}字第{number}号"),
        year,
        court_code: court,
        case_type: kind,
        serial: number,
        legacy: true,
    })
}

/// Parses a case number of either form.
///
/// Whitespace anywhere is ignored; full-width digits and parentheses are folded, and the brackets
/// 〔〕 and [] of older documents are accepted too. A number with 字 after the court is read in the
/// old form, anything else in the current one, so each gets the error messages of its own form.
///
/// The canonical form uses half-width parentheses. In the old form it drops the zeros some courts
/// padded serial numbers with: the same case appears as 第08765号 and 第8765号 on different lists,
/// and the import key (case number, ID number) must see one case.
pub fn parse(input: &str) -> Result<CaseNumber, Invalid> {
    let chars: Vec<char> = compact_folded(input)
        .chars()
        .map(|c| match c {
            '〔' | '[' => '(',
            '〕' | ']' => ')',
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
    if chars[cur.at..].contains(&'字') {
        parse_legacy(year, &mut cur)
    } else {
        parse_current(year, &mut cur)
    }
}

impl CaseNumber {
    fn assemble(year: u16, court_code: String, case_type: &'static str, serial: u32) -> CaseNumber {
        CaseNumber {
            text: format!("({year}){court_code}{case_type}{serial}号"),
            year,
            court_code,
            case_type,
            serial,
            legacy: false,
        }
    }

    /// Parses a case number; see [`parse`].
    pub fn parse(input: &str) -> Result<CaseNumber, Invalid> {
        parse(input)
    }

    /// Builds a current-form case number from its parts, checking each of them.
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

    /// Canonical text with half-width parentheses, e.g. `(2024)浙0225执1234号` or
    /// `(2014)朝执字第8765号`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The year the case was filed.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The court code, e.g. `浙0225`, `京01`, `沪` or `最高法`. In an old-form number, the court's
    /// abbreviation as written, e.g. `杭西` or `深中法`; empty for the Supreme People's Court, whose
    /// old numbers had none.
    pub fn court_code(&self) -> &str {
        &self.court_code
    }

    /// The case-type code, e.g. `执` or `执恢`; in an old-form number the code before 字, e.g.
    /// `执民` or `执行`.
    pub fn case_type(&self) -> &'static str {
        self.case_type
    }

    /// The serial number within year, court and type.
    pub fn serial(&self) -> u32 {
        self.serial
    }

    /// Whether the number is in the form used before 2016, `(2015)杭西执民字第1234号`.
    pub fn is_legacy(&self) -> bool {
        self.legacy
    }

    /// The province of the court; `None` for the Supreme People's Court. Courts of the Xinjiang
    /// Production and Construction Corps (兵) are placed in Xinjiang.
    ///
    /// An old-form number gives its province only when the court wrote a current-style code
    /// (`皖1202`). Old abbreviations were each court's own choice, and a first character that
    /// looks like a province may stand for a city elsewhere (青 for 青岛 in Shandong, 黔 for 黔江 in
    /// Chongqing), so it is not guessed from.
    pub fn province(&self) -> Option<&'static Province> {
        let first = self.court_code.chars().next()?;
        let digits = &self.court_code[first.len_utf8()..];
        if self.legacy && (digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        province_of_court_code(&self.court_code)
    }
}

/// The province a current-form court code (`浙0225`, `兵0101`) names by its first character.
pub(crate) fn province_of_court_code(court_code: &str) -> Option<&'static Province> {
    let first = court_code.chars().next()?;
    if first == CORPS_COURT_ABBR {
        province_by_code("65")
    } else {
        province_by_abbr(first)
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
pub(crate) mod tests;
