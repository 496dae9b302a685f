//! Provincial-level divisions of mainland China: their GB/T 2260 codes (the first two digits of
//! ID numbers and region codes) and the one-character abbreviations courts put in case numbers.

use crate::error::Lang;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
}
