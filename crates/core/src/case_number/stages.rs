//! Case numbers of every stage a party's case can be in, and which form fits which stage.
//!
//! [`CaseNumber`] knows enforcement numbers only (执, 执恢, … in both the current and the pre-2016
//! form). A party's case before enforcement carries the number of the trial, or of the pre-suit
//! mediation, it comes from: the same shape — `(2024)浙0225民初1234号` — with a trial case-type
//! code ([`TRIAL_CASE_TYPES`]) instead. The court code is checked by the very rules of
//! [`CaseNumber`] (province abbreviation and up to four digits, 兵, 最高法).
//!
//! Which codes fit which stage ([`trial_types`]):
//! - `before_judgment` — nothing is decided yet: pre-suit mediation (民诉前调) and first-instance
//!   numbers (民初, 知民初, 行初, 刑初 for a civil claim in a criminal case).
//! - `during_trial` — first instance, appeal (民终, 知民终, 行终, 刑终) and retrial (民再, 行再).
//! - `before_enforcement` — the number of the effective document to be performed: any judgment's
//!   (first instance, appeal, retrial), a judicial confirmation of a mediation agreement (民特) or
//!   a payment order (民督). Pre-suit mediation numbers are not one: what it settles is
//!   performed, or confirmed under a 民特 number.
//! - `during_enforcement` — an enforcement number, in either form.
//!
//! Trial numbers are accepted in the current form only: a case from before 2016 that is still
//! before enforcement is long past the two years in which enforcement can be applied for (Civil
//! Procedure Law art. 250), so a 字第 number there is a mistake.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{province_of_court_code, CaseNumber, MAX_SERIAL, YEARS};
use crate::error::{ErrorCode, Invalid, Lang};
use crate::region::Province;
use crate::stage::Stage;
use crate::text::compact_folded;

/// Case-type codes of the trial-stage numbers a party's case may carry: civil first instance,
/// appeal, retrial, judicial confirmation, payment order and pre-suit mediation; the IP (知) and
/// administrative (行) counterparts; criminal cases (刑), whose civil claims and fines are
/// performed too.
pub const TRIAL_CASE_TYPES: &[&str] = &[
    "民诉前调",
    "民初",
    "民终",
    "民再",
    "民特",
    "民督",
    "知民初",
    "知民终",
    "行初",
    "行终",
    "行再",
    "刑初",
    "刑终",
];

const BEFORE_JUDGMENT: &[&str] = &["民诉前调", "民初", "知民初", "行初", "刑初"];
const DURING_TRIAL: &[&str] = &[
    "民初",
    "民终",
    "民再",
    "知民初",
    "知民终",
    "行初",
    "行终",
    "行再",
    "刑初",
    "刑终",
];
const BEFORE_ENFORCEMENT: &[&str] = &[
    "民初",
    "民终",
    "民再",
    "民特",
    "民督",
    "知民初",
    "知民终",
    "行初",
    "行终",
    "行再",
    "刑初",
    "刑终",
];

/// The trial case-type codes that fit `stage`; none for `during_enforcement`, whose numbers are
/// enforcement numbers.
pub fn trial_types(stage: Stage) -> &'static [&'static str] {
    match stage {
        Stage::BeforeJudgment => BEFORE_JUDGMENT,
        Stage::DuringTrial => DURING_TRIAL,
        Stage::BeforeEnforcement => BEFORE_ENFORCEMENT,
        Stage::DuringEnforcement => &[],
    }
}

const EXAMPLE: &str = "(2024)浙0225民初1234号";

/// A valid case number of a party's case: an enforcement number or a trial-stage one.
///
/// Serialised as its canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartyCaseNumber {
    /// 执, 执恢, …: the case is in enforcement, and its notices carry this number.
    Enforcement(CaseNumber),
    /// 民初, 民终, …: a trial-stage number.
    Trial(TrialCaseNumber),
}

/// A trial-stage case number in the current form, e.g. `(2024)浙0225民初1234号`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrialCaseNumber {
    text: String,
    year: u16,
    court_code: String,
    case_type: &'static str,
    serial: u32,
}

impl TrialCaseNumber {
    /// Canonical text with half-width parentheses.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    /// The court code, e.g. `浙0225` or `最高法`.
    pub fn court_code(&self) -> &str {
        &self.court_code
    }

    /// One of [`TRIAL_CASE_TYPES`].
    pub fn case_type(&self) -> &'static str {
        self.case_type
    }

    pub fn serial(&self) -> u32 {
        self.serial
    }
}

fn invalid(zh: &str, en: &str) -> Invalid {
    Invalid::new(
        ErrorCode::InvalidCaseNumber,
        format!("{zh}。审判阶段的案号格式如 {EXAMPLE}"),
        format!("{en}. A trial-stage case number looks like {EXAMPLE}"),
    )
}

fn bad_type() -> Invalid {
    invalid(
        &format!(
            "案号中的案件类型代字无效，应为执行案件的“执”等，或审判阶段的{}之一",
            TRIAL_CASE_TYPES
                .iter()
                .map(|t| format!("“{t}”"))
                .collect::<String>()
        ),
        &format!(
            "The case type is not valid: an enforcement case has 执 or a related code, a trial-stage case one of {}",
            TRIAL_CASE_TYPES.join(", ")
        ),
    )
}

impl PartyCaseNumber {
    /// Parses a case number of any stage. A number with 执 or 字 in it is read as an enforcement
    /// number ([`CaseNumber::parse`], with its messages); any other as a trial-stage number.
    /// Whitespace is ignored, full-width characters and the brackets 〔〕 [] are folded.
    pub fn parse(input: &str) -> Result<PartyCaseNumber, Invalid> {
        let text: String = compact_folded(input)
            .chars()
            .map(|c| match c {
                '〔' | '[' => '(',
                '〕' | ']' => ')',
                c => c,
            })
            .collect();
        if text.is_empty() || text.contains('执') {
            return CaseNumber::parse(input).map(PartyCaseNumber::Enforcement);
        }
        if text.contains('字') {
            return Err(invalid(
                "带“字第”的旧格式案号只接受执行案件的案号；尚未执行的案件请填写2016年起的新格式案号",
                "The old form with 字第 is accepted for enforcement cases only; a case not yet in enforcement has a number in the form used since 2016",
            ));
        }
        parse_trial(&text).map(PartyCaseNumber::Trial)
    }

    /// Parses a case number and checks that its form fits `stage` (see the module's table).
    pub fn parse_for(stage: Stage, input: &str) -> Result<PartyCaseNumber, Invalid> {
        let number = PartyCaseNumber::parse(input)?;
        number.check_stage(stage)?;
        Ok(number)
    }

    /// Whether the number's form fits `stage`, and if not, why, naming the forms that do.
    pub fn check_stage(&self, stage: Stage) -> Result<(), Invalid> {
        match (self, stage) {
            (PartyCaseNumber::Enforcement(_), Stage::DuringEnforcement) => Ok(()),
            (PartyCaseNumber::Enforcement(_), _) => Err(Invalid::new(
                ErrorCode::InvalidCaseNumber,
                format!(
                    "“{}”是执行案号，只用于“{}”阶段；{}阶段请填写审判或诉前调解的案号（如 {EXAMPLE}）",
                    self.as_str(),
                    Stage::DuringEnforcement.label(Lang::Zh),
                    stage.label(Lang::Zh)
                ),
                format!(
                    "{} is an enforcement number, used only at the stage {}; at the stage {} give the trial or pre-suit mediation number (such as {EXAMPLE})",
                    self.as_str(),
                    Stage::DuringEnforcement.as_str(),
                    stage.as_str()
                ),
            )),
            (PartyCaseNumber::Trial(_), Stage::DuringEnforcement) => Err(Invalid::new(
                ErrorCode::InvalidCaseNumber,
                format!(
                    "“{}”不是执行案号；“{}”阶段的案件请填写执行案号（如 (2024)浙0225执1234号）",
                    self.as_str(),
                    Stage::DuringEnforcement.label(Lang::Zh)
                ),
                format!(
                    "{} is not an enforcement number; a case at the stage {} has one (such as (2024)浙0225执1234号)",
                    self.as_str(),
                    Stage::DuringEnforcement.as_str()
                ),
            )),
            (PartyCaseNumber::Trial(t), stage) => {
                let fits = trial_types(stage);
                if fits.contains(&t.case_type) {
                    Ok(())
                } else {
                    Err(Invalid::new(
                        ErrorCode::InvalidCaseNumber,
                        format!(
                            "“{}”类案号不用于“{}”阶段，该阶段的案号类型为：{}",
                            t.case_type,
                            stage.label(Lang::Zh),
                            fits.join("、")
                        ),
                        format!(
                            "A {} number does not fit the stage {}; that stage's numbers are of the types {}",
                            t.case_type,
                            stage.as_str(),
                            fits.join(", ")
                        ),
                    ))
                }
            }
        }
    }

    /// Canonical text, e.g. `(2024)浙0225执1234号` or `(2024)浙0225民初1234号`.
    pub fn as_str(&self) -> &str {
        match self {
            PartyCaseNumber::Enforcement(n) => n.as_str(),
            PartyCaseNumber::Trial(n) => n.as_str(),
        }
    }

    /// The enforcement number, by which the case's notices are found.
    pub fn enforcement(&self) -> Option<&CaseNumber> {
        match self {
            PartyCaseNumber::Enforcement(n) => Some(n),
            PartyCaseNumber::Trial(_) => None,
        }
    }

    /// The province of the court; `None` for the Supreme People's Court (and, for old-form
    /// enforcement numbers, where their court code does not say).
    pub fn province(&self) -> Option<&'static Province> {
        match self {
            PartyCaseNumber::Enforcement(n) => n.province(),
            PartyCaseNumber::Trial(n) => province_of_court_code(n.court_code()),
        }
    }

    pub fn year(&self) -> u16 {
        match self {
            PartyCaseNumber::Enforcement(n) => n.year(),
            PartyCaseNumber::Trial(n) => n.year(),
        }
    }

    pub fn case_type(&self) -> &'static str {
        match self {
            PartyCaseNumber::Enforcement(n) => n.case_type(),
            PartyCaseNumber::Trial(n) => n.case_type(),
        }
    }
}

/// Reads `(year)court type serial号` from compacted, folded text.
fn parse_trial(text: &str) -> Result<TrialCaseNumber, Invalid> {
    let rest = text.strip_prefix('(').ok_or_else(|| {
        invalid(
            "案号应以括号中的四位年份开头",
            "A case number starts with the year in parentheses",
        )
    })?;
    let (year, rest) = rest
        .split_once(')')
        .filter(|(y, _)| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            invalid(
                "案号开头的括号中应为四位数字的年份",
                "The parentheses at the start of a case number hold the four-digit year",
            )
        })?;
    let year: u16 = year.parse().unwrap_or(0);
    if !YEARS.contains(&year) {
        return Err(invalid(
            "案号中的年份应在1990年至2100年之间",
            "The year of a case number must be between 1990 and 2100",
        ));
    }
    // The court code: 最高法, or one character and its digits. Whether it is a court code at all is
    // the enforcement numbers' rule, asked through `CaseNumber::new`.
    let court_len = if rest.starts_with(crate::case_number::SUPREME_COURT_CODE) {
        crate::case_number::SUPREME_COURT_CODE.len()
    } else {
        let first = rest.chars().next().map_or(0, char::len_utf8);
        first
            + rest[first..]
                .bytes()
                .take_while(|b| b.is_ascii_digit())
                .count()
    };
    let (court, rest) = rest.split_at(court_len);
    let court_code = CaseNumber::new(year, court, "执", 1)
        .map(|n| n.court_code().to_owned())
        .map_err(|_| {
            invalid(
                "案号中的法院代字无效，应为省份简称加最多4位数字（如“浙0225”）或“最高法”",
                "The court code is not valid: it is a province abbreviation with up to 4 digits (such as 浙0225) or 最高法",
            )
        })?;
    let type_len = rest
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || *c == '号')
        .map_or(rest.len(), |(i, _)| i);
    let (kind, rest) = rest.split_at(type_len);
    let case_type = TRIAL_CASE_TYPES
        .iter()
        .copied()
        .find(|t| *t == kind)
        .ok_or_else(bad_type)?;
    let digits_len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
    let (digits, rest) = rest.split_at(digits_len);
    let serial: u32 = match digits.parse() {
        Ok(n) if (1..=MAX_SERIAL).contains(&n) && !digits.starts_with('0') => n,
        _ => {
            return Err(invalid(
                "案号中的顺序号应为1至999999之间的数字，且不以0开头",
                "The serial number must be a number from 1 to 999999 without leading zeros",
            ))
        }
    };
    if rest != "号" {
        return Err(invalid(
            "案号应以顺序号和“号”字结尾",
            "A case number ends with the serial number and 号",
        ));
    }
    Ok(TrialCaseNumber {
        text: format!("({year}){court_code}{case_type}{serial}号"),
        year,
        court_code,
        case_type,
        serial,
    })
}

impl fmt::Display for PartyCaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PartyCaseNumber {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PartyCaseNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        PartyCaseNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn trial(s: &str) -> TrialCaseNumber {
        match PartyCaseNumber::parse(s).unwrap() {
            PartyCaseNumber::Trial(t) => t,
            other => panic!("{s} read as {other:?}"),
        }
    }

    #[test]
    fn trial_numbers() {
        let t = trial("（2024）浙0225民初1234号");
        assert_eq!(t.as_str(), "(2024)浙0225民初1234号");
        assert_eq!(
            (t.year(), t.court_code(), t.case_type(), t.serial()),
            (2024, "浙0225", "民初", 1234)
        );
        assert_eq!(
            trial(" ( 2023 ) 京 73 知民初 5 号 ").as_str(),
            "(2023)京73知民初5号"
        );
        assert_eq!(trial("(2023)最高法知民终12号").court_code(), "最高法");
        assert_eq!(trial("〔2024〕浙0106民诉前调88号").case_type(), "民诉前调");
        assert_eq!(trial("(２０２４)沪0115民督１号").serial(), 1);
        // The province alias is replaced as in enforcement numbers.
        let alias = PartyCaseNumber::parse("(2024)蒙0102民初3号").unwrap();
        let canonical = CaseNumber::new(2024, "蒙0102", "执", 3).unwrap();
        assert!(alias
            .as_str()
            .starts_with(&format!("(2024){}", canonical.court_code())));
    }

    #[test]
    fn enforcement_numbers_go_to_the_enforcement_parser() {
        let n = PartyCaseNumber::parse("(2024)浙0225执1234号").unwrap();
        assert_eq!(
            n.enforcement().map(CaseNumber::as_str),
            Some("(2024)浙0225执1234号")
        );
        assert_eq!(n.case_type(), "执");
        let old = PartyCaseNumber::parse("(2015)杭西执民字第01234号").unwrap();
        assert_eq!(old.as_str(), "(2015)杭西执民字第1234号");
        assert_eq!(
            PartyCaseNumber::parse("").unwrap_err().code,
            ErrorCode::MissingField
        );
    }

    #[test]
    fn bad_trial_numbers() {
        for (bad, part) in [
            ("2024浙0225民初1234号", "开头"),
            ("(24)浙0225民初1234号", "四位"),
            ("(1989)浙0225民初1234号", "1990"),
            ("(2024)美0225民初1234号", "法院代字"),
            ("(2024)浙02251民初1234号", "法院代字"),
            ("(2024)浙0225民一1234号", "类型"),
            ("(2024)浙0225刑执1234号", "类型"),
            ("(2024)浙0225民初01234号", "顺序号"),
            ("(2024)浙0225民初号", "顺序号"),
            ("(2024)浙0225民初1234567号", "顺序号"),
            ("(2024)浙0225民初1234", "结尾"),
            ("(2024)浙0225民初1234号之一", "结尾"),
            ("(2015)杭西民初字第1234号", "字第"),
        ] {
            let e = PartyCaseNumber::parse(bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCaseNumber, "{bad}");
            assert!(e.zh.contains(part), "{bad}: {}", e.zh);
            assert!(!e.en.is_empty());
        }
    }

    #[test]
    fn forms_fit_stages() {
        use Stage::*;
        let ok = |stage, s: &str| PartyCaseNumber::parse_for(stage, s).unwrap();
        let no = |stage, s: &str| {
            let e = PartyCaseNumber::parse_for(stage, s).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCaseNumber, "{s}");
            e
        };
        ok(DuringEnforcement, "(2024)浙0225执1234号");
        ok(DuringEnforcement, "(2024)浙0225执恢12号");
        ok(DuringEnforcement, "(2014)朝执字第8765号");
        for stage in [BeforeJudgment, DuringTrial, BeforeEnforcement] {
            ok(stage, "(2024)浙0225民初1234号");
            let e = no(stage, "(2024)浙0225执1234号");
            assert!(e.zh.contains("执行案号"), "{}", e.zh);
            assert!(e.en.contains("during_enforcement"), "{}", e.en);
        }
        let e = no(DuringEnforcement, "(2024)浙0225民初1234号");
        assert!(e.en.contains("not an enforcement number"), "{}", e.en);
        ok(BeforeJudgment, "(2024)浙0106民诉前调88号");
        no(DuringTrial, "(2024)浙0106民诉前调88号");
        no(BeforeEnforcement, "(2024)浙0106民诉前调88号");
        ok(DuringTrial, "(2024)浙02民终77号");
        ok(BeforeEnforcement, "(2024)浙02民终77号");
        let e = no(BeforeJudgment, "(2024)浙02民终77号");
        assert!(
            e.zh.contains("民终") && e.zh.contains("民诉前调"),
            "{}",
            e.zh
        );
        ok(BeforeEnforcement, "(2024)浙0225民特9号");
        ok(BeforeEnforcement, "(2024)浙0225民督9号");
        no(DuringTrial, "(2024)浙0225民特9号");
        assert!(trial_types(DuringEnforcement).is_empty());
        for stage in [BeforeJudgment, DuringTrial, BeforeEnforcement] {
            assert!(trial_types(stage)
                .iter()
                .all(|t| TRIAL_CASE_TYPES.contains(t)));
        }
    }

    #[test]
    fn serde_is_the_canonical_text() {
        let n = PartyCaseNumber::parse("（2024）浙0225民初1234号").unwrap();
        let json = serde_json::to_string(&n).unwrap();
        assert_eq!(json, "\"(2024)浙0225民初1234号\"");
        assert_eq!(serde_json::from_str::<PartyCaseNumber>(&json).unwrap(), n);
        assert!(serde_json::from_str::<PartyCaseNumber>("\"(2024)浙0225民x1号\"").is_err());
        assert_eq!(n.to_string(), n.as_str());
    }

    fn arb_trial_number() -> impl Strategy<Value = String> {
        (
            1990u16..=2100,
            prop::sample::select(vec!["浙0225", "京73", "最高法", "沪", "兵0101", "粤03"]),
            prop::sample::select(TRIAL_CASE_TYPES.to_vec()),
            1u32..=MAX_SERIAL,
        )
            .prop_map(|(y, c, t, s)| format!("({y}){c}{t}{s}号"))
    }

    proptest! {
        #[test]
        fn canonical_trial_numbers_round_trip(s in arb_trial_number()) {
            let n = PartyCaseNumber::parse(&s).unwrap();
            prop_assert_eq!(n.as_str(), s.as_str());
            prop_assert_eq!(PartyCaseNumber::parse(n.as_str()).unwrap(), n);
        }

        #[test]
        fn spacing_and_width_do_not_matter(s in arb_trial_number()) {
            let wide: String = s
                .chars()
                .map(|c| match c {
                    '0'..='9' | '(' | ')' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                    c => c,
                })
                .flat_map(|c| [c, ' '])
                .collect();
            let n = PartyCaseNumber::parse(&wide).unwrap();
            prop_assert_eq!(n.as_str(), s.as_str());
        }
    }
}
