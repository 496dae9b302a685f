//! Case numbers end to end: the real shapes of new and old numbers, every kind of mistake with
//! its message, the canonical form, and round trips through text and serde.

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
        assert!(!n.is_legacy(), "{input}");
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
fn parses_old_form_shapes() {
    let cases: &[(&str, &str, u16, &str, &str, u32)] = &[
        (
            "(2015)杭西执民字第1234号",
            "(2015)杭西执民字第1234号",
            2015,
            "杭西",
            "执民",
            1234,
        ),
        (
            "（2013）浙甬执字第56号",
            "(2013)浙甬执字第56号",
            2013,
            "浙甬",
            "执",
            56,
        ),
        (
            "〔2012〕深中法执字第123号",
            "(2012)深中法执字第123号",
            2012,
            "深中法",
            "执",
            123,
        ),
        (
            "(2014)朝执字第08765号",
            "(2014)朝执字第8765号",
            2014,
            "朝",
            "执",
            8765,
        ),
        (
            "(2010)一中执字第1号",
            "(2010)一中执字第1号",
            2010,
            "一中",
            "执",
            1,
        ),
        (
            "[2014]穗天法执字第1234号",
            "(2014)穗天法执字第1234号",
            2014,
            "穗天法",
            "执",
            1234,
        ),
        (
            "［2009］沪一中执字第123号",
            "(2009)沪一中执字第123号",
            2009,
            "沪一中",
            "执",
            123,
        ),
        (
            "（2011）执复字第12号",
            "(2011)执复字第12号",
            2011,
            "",
            "执复",
            12,
        ),
        (
            "(2015)闽执异字第3号",
            "(2015)闽执异字第3号",
            2015,
            "闽",
            "执异",
            3,
        ),
        (
            "(2014)苏中执恢字第0012号",
            "(2014)苏中执恢字第12号",
            2014,
            "苏中",
            "执恢",
            12,
        ),
        (
            "(2014)厦执行字第44号",
            "(2014)厦执行字第44号",
            2014,
            "厦",
            "执行",
            44,
        ),
        (
            "(2014)潭执审字第30号",
            "(2014)潭执审字第30号",
            2014,
            "潭",
            "执审",
            30,
        ),
        (
            "(2010)眉执督字第4号",
            "(2010)眉执督字第4号",
            2010,
            "眉",
            "执督",
            4,
        ),
        (
            "（２０１５）绍虞执民字第０１９２１号",
            "(2015)绍虞执民字第1921号",
            2015,
            "绍虞",
            "执民",
            1921,
        ),
        (
            " ( 2016 ) 安 执字 第 00175 号 ",
            "(2016)安执字第175号",
            2016,
            "安",
            "执",
            175,
        ),
        (
            "(2003)皖1202执字第00174号",
            "(2003)皖1202执字第174号",
            2003,
            "皖1202",
            "执",
            174,
        ),
        (
            "(2016)阳法晋0122执字第00104号",
            "(2016)阳法晋0122执字第104号",
            2016,
            "阳法晋0122",
            "执",
            104,
        ),
        (
            "(1990)渝一中法执字第999999号",
            "(1990)渝一中法执字第999999号",
            1990,
            "渝一中法",
            "执",
            999_999,
        ),
    ];
    for (input, text, year, court, kind, serial) in cases {
        let n = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(n.as_str(), *text);
        assert_eq!(n.year(), *year);
        assert_eq!(n.court_code(), *court);
        assert_eq!(n.case_type(), *kind);
        assert_eq!(n.serial(), *serial);
        assert!(n.is_legacy(), "{input}");
        assert_eq!(parse(text).unwrap(), n);
    }
}

#[test]
fn old_form_province_only_from_a_current_style_code() {
    let province = |s: &str| parse(s).unwrap().province().map(|p| p.code);
    assert_eq!(province("(2003)皖1202执字第174号"), Some("34"));
    assert_eq!(province("(2014)兵09执字第1号"), Some("65"));
    // 浙甬 is in Zhejiang, but 青 (青岛) or 黔 (黔江) would not be where they seem.
    for s in [
        "(2013)浙甬执字第56号",
        "(2013)青执字第5号",
        "(2013)黔执字第5号",
        "(2015)闽执异字第3号",
        "(2016)阳法晋0122执字第104号",
        "(2011)执复字第12号",
    ] {
        assert_eq!(province(s), None, "{s}");
    }
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
        (
            "(2015)执字第号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)abc执字第1号",
            ErrorCode::InvalidCaseNumber,
            "法院简称",
        ),
        (
            "(2015)中-法执字第08491号",
            ErrorCode::InvalidCaseNumber,
            "法院简称",
        ),
        (
            "(2015)1杭西执字第1号",
            ErrorCode::InvalidCaseNumber,
            "法院简称",
        ),
        (
            "(2015)杭1西执字第1号",
            ErrorCode::InvalidCaseNumber,
            "法院简称",
        ),
        (
            "(2015)杭西01234执字第1号",
            ErrorCode::InvalidCaseNumber,
            "法院简称",
        ),
        (
            "(2015)杭西杭西杭西杭执字第1号",
            ErrorCode::InvalidCaseNumber,
            "法院简称",
        ),
        (
            "(2015)杭西民字第1号",
            ErrorCode::InvalidCaseNumber,
            "执行案件",
        ),
        ("(2015)字第1号", ErrorCode::InvalidCaseNumber, "执行案件"),
        (
            "(2015)杭西执民初字第1号",
            ErrorCode::InvalidCaseNumber,
            "执行案件",
        ),
        (
            "(2015)杭西执执字第1号",
            ErrorCode::InvalidCaseNumber,
            "执行案件",
        ),
        (
            "2015杭西执字第1号",
            ErrorCode::InvalidCaseNumber,
            "括号中的四位年份开头",
        ),
        (
            "(2015)杭西执字1234号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)杭西执字第0号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)杭西执字第0000号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)杭西执字第一号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)杭西执字第1234567号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)杭西执字第0000001号",
            ErrorCode::InvalidCaseNumber,
            "“第”和1至999999",
        ),
        (
            "(2015)杭西执字第1",
            ErrorCode::InvalidCaseNumber,
            "“号”字结尾",
        ),
        (
            "(2015)杭西执字第1号号",
            ErrorCode::InvalidCaseNumber,
            "“号”字结尾",
        ),
        (
            "(2017)杭西执字第1号",
            ErrorCode::InvalidCaseNumber,
            "2016年及以前",
        ),
        (
            "(2024)浙0225执字第1234号",
            ErrorCode::InvalidCaseNumber,
            "2016年及以前",
        ),
        (
            "(1989)杭西执字第1号",
            ErrorCode::InvalidCaseNumber,
            "1990年至2100年",
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
    for kind in LEGACY_CASE_TYPES {
        let n = parse(&format!("(2015)杭西{kind}字第5号")).unwrap();
        assert_eq!(n.case_type(), *kind);
    }
}

#[test]
fn old_form_messages_show_both_forms() {
    let err = parse("(2015)abc执字第1号").unwrap_err();
    assert!(err.zh.contains(LEGACY_EXAMPLE) && err.en.contains(LEGACY_EXAMPLE));
    let err = parse("(2015)杭西民字第1号").unwrap_err();
    assert!(err.zh.contains("“执民字”") && err.en.contains("执民字"));
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

fn arb_current_case_number() -> impl Strategy<Value = CaseNumber> {
    (
        YEARS,
        arb_court_code(),
        proptest::sample::select(CASE_TYPES),
        1..=MAX_SERIAL,
    )
        .prop_map(|(y, c, t, s)| CaseNumber::new(y, &c, t, s).unwrap())
}

/// Old court abbreviations of the shapes found on the lists, with none for the Supreme
/// People's Court and the current-style codes some old numbers carry.
const LEGACY_COURTS: &[&str] = &[
    "",
    "杭西",
    "浙甬",
    "深中法",
    "朝",
    "一中",
    "穗天法",
    "沪一中",
    "闽",
    "苏中",
    "厦",
    "潭",
    "眉",
    "绍虞",
    "甬慈",
    "金义",
    "渝一中法",
    "鄂武汉中",
    "最高法",
    "皖1202",
    "阳法晋0122",
    "兵09",
];

/// The parts of an old-form number as written: year, court, type, serial and how many zeros
/// pad the serial.
fn arb_legacy_parts() -> impl Strategy<Value = (u16, &'static str, &'static str, u32, usize)> {
    (
        *YEARS.start()..=LAST_LEGACY_YEAR,
        proptest::sample::select(LEGACY_COURTS),
        proptest::sample::select(LEGACY_CASE_TYPES),
        1..=MAX_SERIAL,
        0..MAX_SERIAL_DIGITS,
    )
}

fn legacy_text(open: char, close: char, parts: (u16, &str, &str, u32, usize)) -> String {
    let (year, court, kind, serial, zeros) = parts;
    let width = (serial.to_string().len() + zeros).min(MAX_SERIAL_DIGITS);
    format!("{open}{year}{close}{court}{kind}字第{serial:0width$}号")
}

/// Current-form numbers and, less often, old-form ones.
pub(crate) fn arb_case_number() -> impl Strategy<Value = CaseNumber> {
    prop_oneof![
        4 => arb_current_case_number(),
        1 => arb_legacy_parts().prop_map(|p| parse(&legacy_text('(', ')', p)).unwrap()),
    ]
}

/// The brackets around the year that people and old documents use.
const BRACKETS: &[(char, char)] = &[
    ('(', ')'),
    ('（', '）'),
    ('〔', '〕'),
    ('[', ']'),
    ('［', '］'),
];

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
    fn current_form_in_any_brackets_round_trips(
        n in arb_current_case_number(),
        (open, close) in proptest::sample::select(BRACKETS),
    ) {
        let text = n.as_str().replacen('(', &open.to_string(), 1).replacen(')', &close.to_string(), 1);
        prop_assert_eq!(parse(&text).unwrap(), n);
    }

    #[test]
    fn old_form_parses_and_round_trips(
        parts in arb_legacy_parts(),
        (open, close) in proptest::sample::select(BRACKETS),
        full_width in any::<bool>(),
        spaced in any::<bool>(),
    ) {
        let (year, court, kind, serial, _) = parts;
        let mut input = legacy_text(open, close, parts);
        if full_width {
            input = to_full_width(&input);
        }
        if spaced {
            input = input.chars().flat_map(|c| [c, ' ']).collect();
        }
        let n = parse(&input).unwrap();
        prop_assert_eq!(n.as_str(), format!("({year}){court}{kind}字第{serial}号"));
        prop_assert_eq!((n.year(), n.court_code(), n.case_type(), n.serial()), (year, court, kind, serial));
        prop_assert!(n.is_legacy());
        prop_assert_eq!(parse(n.as_str()).unwrap(), n);
    }

    #[test]
    fn never_panics(input in ".{0,40}") {
        let _ = parse(&input);
    }

    #[test]
    fn never_panics_on_near_misses(input in "[（(]?[0-9]{0,5}[)）]?[浙最高法兵X]{0,3}[0-9]{0,6}[执恢保民]{0,2}[0-9]{0,8}号?") {
        let _ = parse(&input);
    }

    #[test]
    fn never_panics_on_old_form_near_misses(input in "[〔\\[(]?[0-9]{0,5}[〕\\])]?[杭西a1执字]{0,8}[0-9]{0,5}[执民恢字]{0,3}第?[0-9]{0,8}号?") {
        let _ = parse(&input);
    }
}
