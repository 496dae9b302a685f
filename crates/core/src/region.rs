//! Provincial-level divisions of mainland China: their GB/T 2260 codes (the first two digits of
//! ID numbers and region codes) and the one-character abbreviations courts put in case numbers;
//! and every six-digit GB/T 2260 code ever assigned, which ID numbers and credit codes carry.

use std::ops::RangeInclusive;

use crate::error::Lang;

mod codes;

/// A provincial-level division (province, municipality or autonomous region) of the mainland.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Province {
    /// Two-digit GB/T 2260 code, e.g. `"33"`.
    pub code: &'static str,
    /// The abbreviation courts use as the first character of their court code in case numbers
    /// (`(2024)浙0225执1234号`). For Inner Mongolia and Guizhou this is 内 and 黔, as in the
    /// Supreme People's Court's list of court codes, not 蒙 and 贵 (which
    /// [`province_by_abbr`] accepts too).
    pub abbr: char,
    /// Official Chinese name, e.g. `浙江省`.
    pub zh: &'static str,
    /// English name, e.g. `Zhejiang`.
    pub en: &'static str,
}

impl Province {
    /// The province's name in the given language.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

const fn p(code: &'static str, abbr: char, zh: &'static str, en: &'static str) -> Province {
    Province { code, abbr, zh, en }
}

/// The 31 provincial-level divisions of the mainland, in GB/T 2260 code order.
pub const PROVINCES: &[Province] = &[
    p("11", '京', "北京市", "Beijing"),
    p("12", '津', "天津市", "Tianjin"),
    p("13", '冀', "河北省", "Hebei"),
    p("14", '晋', "山西省", "Shanxi"),
    p("15", '内', "内蒙古自治区", "Inner Mongolia"),
    p("21", '辽', "辽宁省", "Liaoning"),
    p("22", '吉', "吉林省", "Jilin"),
    p("23", '黑', "黑龙江省", "Heilongjiang"),
    p("31", '沪', "上海市", "Shanghai"),
    p("32", '苏', "江苏省", "Jiangsu"),
    p("33", '浙', "浙江省", "Zhejiang"),
    p("34", '皖', "安徽省", "Anhui"),
    p("35", '闽', "福建省", "Fujian"),
    p("36", '赣', "江西省", "Jiangxi"),
    p("37", '鲁', "山东省", "Shandong"),
    p("41", '豫', "河南省", "Henan"),
    p("42", '鄂', "湖北省", "Hubei"),
    p("43", '湘', "湖南省", "Hunan"),
    p("44", '粤', "广东省", "Guangdong"),
    p("45", '桂', "广西壮族自治区", "Guangxi"),
    p("46", '琼', "海南省", "Hainan"),
    p("50", '渝', "重庆市", "Chongqing"),
    p("51", '川', "四川省", "Sichuan"),
    p("52", '黔', "贵州省", "Guizhou"),
    p("53", '云', "云南省", "Yunnan"),
    p("54", '藏', "西藏自治区", "Tibet"),
    p("61", '陕', "陕西省", "Shaanxi"),
    p("62", '甘', "甘肃省", "Gansu"),
    p("63", '青', "青海省", "Qinghai"),
    p("64", '宁', "宁夏回族自治区", "Ningxia"),
    p("65", '新', "新疆维吾尔自治区", "Xinjiang"),
];

/// Other abbreviations in everyday use (licence plates, press) that people type into a case
/// number: 蒙 for Inner Mongolia, 贵 for Guizhou.
const ABBR_ALIASES: &[(char, &str)] = &[('蒙', "15"), ('贵', "52")];

/// The province with the given two-digit GB/T 2260 code.
pub fn province_by_code(code: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.code == code)
}

/// The province with the given one-character abbreviation (the case-number abbreviation, or one
/// of the everyday aliases 蒙 and 贵).
pub fn province_by_abbr(c: char) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.abbr == c).or_else(|| {
        ABBR_ALIASES
            .iter()
            .find(|(alias, _)| *alias == c)
            .and_then(|(_, code)| province_by_code(code))
    })
}

/// ID-number prefixes outside the 31 provinces: 71 Taiwan, 81 Hong Kong, 82 Macau (residence
/// permits for compatriots), 83 permit holders without a region.
const EXTRA_ID_PREFIXES: &[&str] = &["71", "81", "82", "83"];

/// Whether a resident ID number may start with these two digits: a mainland province code, or
/// 71/81/82/83 (residence permits of Taiwan, Hong Kong and Macau residents).
pub fn is_known_id_region_prefix(two: &str) -> bool {
    province_by_code(two).is_some() || EXTRA_ID_PREFIXES.contains(&two)
}

/// Size in bytes of the table behind [`is_known_region_code`], which ships in the browser bundle.
pub const REGION_TABLE_BYTES: usize = codes::RUNS.len();

// The citizen portal's first load carries this table: a regenerated list that outgrows the budget
// fails the build rather than slipping into the bundle.
const _: () = assert!(REGION_TABLE_BYTES <= 4 * 1024);

/// Number of codes in that table.
pub const REGION_CODE_COUNT: usize = codes::COUNT;

/// The code residence permits of Taiwan residents carry; GB/T 2260 has no such code (Taiwan's is
/// 710000), but GB 11643 numbers of permit holders start with it.
const TAIWAN_RESIDENT_PERMIT_CODE: &str = "830000";

/// The code national-level registration authorities put in credit codes, as in
/// 12100000470095016Q of a university registered with the central establishment office. It is no
/// GB/T 2260 code.
const NATIONAL_REGISTRATION_CODE: &str = "100000";

/// Whether a six-digit code was ever assigned by GB/T 2260 since the 1980 list, including codes
/// since abolished: people keep the ID number they were registered with, so today's list alone
/// would reject real numbers. The table is generated from public packages by
/// `crates/core/data/gen_regions.py` (sources in `crates/core/data/README-regions.md`).
///
/// A code any source has is in the table. Checked against one more list, python-stdnum 2.2's
/// `stdnum/cn/loc.dat` (PyPI; codes only, compiled from zh.wikipedia's 中华人民共和国行政区划代码
/// pages): it had three codes the three packages lack, all of 丽水地区 1982-2000, now in
/// `regions.tsv` with source `S` (`gen_regions.py` reads loc.dat as a fourth source that only
/// adds codes): 332801 丽水市, 332802 龙泉市, 332827 遂昌县.
pub fn is_known_region_code(six: &str) -> bool {
    let Some(code) = six_digits(six) else {
        return false;
    };
    runs()
        .find(|run| *run.end() >= code)
        .is_some_and(|run| run.contains(&code))
}

/// Whether a resident ID number may start with these six digits: a code GB/T 2260 ever assigned
/// (810000 and 820000 for Hong Kong and Macau residents' permits among them), or 830000.
pub fn is_id_region_code(six: &str) -> bool {
    six == TAIWAN_RESIDENT_PERMIT_CODE || is_known_region_code(six)
}

/// Whether characters 3-8 of a unified social credit code can be its registering authority's
/// region code: 100000 for national-level authorities, or six digits that start with a mainland
/// province's code.
///
/// GB 32100 asks for the authority's GB/T 2260 code, but market regulators carried over the
/// authority codes of the old 15-digit registration numbers, which give branch offices and
/// development zones codes of their province's own that GB/T 2260 never assigned: 110302 for
/// Beijing's Economic-Technological Development Area (91110302562134916R), 320594 for Suzhou
/// Industrial Park (91320594780268314T). Checking the full GB/T 2260 table would reject such
/// real codes, so only the province is checked.
pub fn is_credit_code_region(six: &str) -> bool {
    six_digits(six).is_some()
        && (six == NATIONAL_REGISTRATION_CODE || province_by_code(&six[..2]).is_some())
}

/// Every code of the GB/T 2260 table, in ascending order.
pub fn known_region_codes() -> impl Iterator<Item = u32> {
    runs().flatten()
}

fn six_digits(s: &str) -> Option<u32> {
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Decodes the table's runs of consecutive codes. A lookup walks at most the table's 3 KB, which
/// costs microseconds once per parsed number; an index would cost bundle bytes instead.
fn runs() -> impl Iterator<Item = RangeInclusive<u32>> {
    let mut bytes = codes::RUNS.iter().copied();
    let mut following = 0u32;
    std::iter::from_fn(move || {
        let mut gap = 0u32;
        let mut shift = 0;
        loop {
            let byte = bytes.next()?;
            gap |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        let start = following + gap;
        let end = start + u32::from(bytes.next()?);
        following = end + 1;
        Some(start..=end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;
    use std::sync::LazyLock;

    #[test]
    fn thirty_one_distinct_provinces() {
        assert_eq!(PROVINCES.len(), 31);
        let codes: HashSet<_> = PROVINCES.iter().map(|p| p.code).collect();
        let abbrs: HashSet<_> = PROVINCES.iter().map(|p| p.abbr).collect();
        assert_eq!(codes.len(), 31);
        assert_eq!(abbrs.len(), 31);
        for p in PROVINCES {
            assert_eq!(p.code.len(), 2);
            assert!(p.code.bytes().all(|b| b.is_ascii_digit()));
            assert!(!p.zh.is_empty() && !p.en.is_empty());
        }
        // Aliases must not collide with a real abbreviation.
        for (alias, _) in ABBR_ALIASES {
            assert!(!abbrs.contains(alias));
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(province_by_code("33").unwrap().abbr, '浙');
        assert_eq!(province_by_abbr('浙').unwrap().code, "33");
        assert_eq!(province_by_abbr('京').unwrap().name(Lang::En), "Beijing");
        assert_eq!(province_by_abbr('粤').unwrap().name(Lang::Zh), "广东省");
        assert_eq!(province_by_abbr('蒙').unwrap().code, "15");
        assert_eq!(province_by_abbr('内').unwrap().code, "15");
        assert_eq!(province_by_abbr('贵').unwrap().code, "52");
        assert_eq!(province_by_abbr('黔').unwrap().code, "52");
        assert!(province_by_abbr('X').is_none());
        assert!(province_by_code("99").is_none());
        assert!(province_by_code("3").is_none());
    }

    #[test]
    fn id_prefixes() {
        for ok in ["11", "33", "65", "71", "81", "82", "83"] {
            assert!(is_known_id_region_prefix(ok), "{ok}");
        }
        for bad in ["00", "10", "16", "66", "80", "84", "99", "", "1", "111"] {
            assert!(!is_known_id_region_prefix(bad), "{bad}");
        }
    }

    /// The codes of the list the table is generated from, to check the encoding end to end.
    static VENDORED: LazyLock<Vec<u32>> = LazyLock::new(|| {
        include_str!("../data/regions.tsv")
            .lines()
            .skip(1)
            .map(|line| line[..6].parse().unwrap())
            .collect()
    });

    #[test]
    fn table_decodes_to_the_vendored_list() {
        let codes: Vec<u32> = known_region_codes().collect();
        assert_eq!(codes, *VENDORED);
        assert_eq!(codes.len(), REGION_CODE_COUNT);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn region_codes() {
        // In use, abolished in 1997 (通县, now 通州区 110112), abolished in 2010 (崇文区), the
        // special administrative regions and Taiwan.
        for ok in [
            "110105", "110223", "110103", "440524", "810000", "820000", "710000",
        ] {
            assert!(is_known_region_code(ok), "{ok}");
            assert!(is_id_region_code(ok), "{ok}");
        }
        // Never assigned; a statistics-only code (石家庄高新技术产业开发区); not GB/T 2260.
        for bad in ["110199", "130171", "830000", "100000", "000000", "999999"] {
            assert!(!is_known_region_code(bad), "{bad}");
        }
        assert!(is_id_region_code("830000"));
        assert!(!is_id_region_code("100000"));
        for malformed in ["", "11010", "1101050", "11010A", "１１０１０５"] {
            assert!(!is_known_region_code(malformed), "{malformed}");
            assert!(!is_id_region_code(malformed), "{malformed}");
            assert!(!is_credit_code_region(malformed), "{malformed}");
        }
    }

    #[test]
    fn lishui_codes_of_1982_to_2000() {
        // 丽水地区 was numbered 3328 from 1982 until 丽水市 (3311) replaced it in 2000; of its
        // of its codes these three are in python-stdnum's loc.dat alone.
        for ok in ["332801", "332802", "332827"] {
            assert!(is_known_region_code(ok), "{ok}");
            assert!(is_id_region_code(ok), "{ok}");
            assert!(
                known_region_codes().any(|code| format!("{code:06}") == ok),
                "{ok}"
            );
        }
        // Neighbours never assigned stay rejected.
        for bad in ["332803", "332820", "332830"] {
            assert!(!is_known_region_code(bad), "{bad}");
        }
    }

    #[test]
    fn credit_code_regions() {
        for ok in ["100000", "350100", "110302", "320594", "330225"] {
            assert!(is_credit_code_region(ok), "{ok}");
        }
        for bad in ["101000", "000000", "990000", "710000", "810000", "830000"] {
            assert!(!is_credit_code_region(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn lookup_agrees_with_the_list(code in 0u32..1_000_000) {
            let listed = VENDORED.binary_search(&code).is_ok();
            prop_assert_eq!(is_known_region_code(&format!("{code:06}")), listed);
        }
    }
}
