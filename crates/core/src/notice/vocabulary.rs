//! The closed vocabularies of notices — subject types, performance, the six grounds for the
//! dishonest list, the lists, notice statuses and the nine consumption-restriction categories —
//! and the messages that name a vocabulary's allowed values when a value is not one of them.

use crate::error::{ErrorCode, Invalid, Lang};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// Whether the debtor is a natural person or an organisation.
    pub enum SubjectType {
        Person => ("person", "自然人", "Natural person"),
        Organization => ("organization", "法人或非法人组织", "Legal person or other organisation"),
    }
}

vocabulary! {
    /// How far the obligation set by the enforcement basis has been performed.
    pub enum Performance {
        None => ("none", "全部未履行", "Not performed at all"),
        Partial => ("partial", "部分未履行", "Partly performed"),
    }
}

vocabulary! {
    /// The six grounds for putting a debtor on the dishonest list (失信情形).
    pub enum Behaviour {
        /// Able to perform but refuses.
        RefusesWithAbility => (
            "refuses_with_ability",
            "有履行能力而拒不履行生效法律文书确定义务",
            "Able to perform but refuses to meet the obligation set by an effective legal document",
        ),
        /// Obstructs enforcement by forgery, violence or threats.
        Obstructs => (
            "obstructs",
            "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
            "Obstructs or resists enforcement by forging evidence, violence, threats or similar means",
        ),
        /// Evades enforcement by sham litigation or hiding assets.
        Evades => (
            "evades",
            "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            "Evades enforcement through sham litigation or arbitration, or by hiding or transferring assets",
        ),
        /// Violates the duty to report assets.
        ViolatesAssetReport => (
            "violates_asset_report",
            "违反财产报告制度",
            "Violates the duty to report assets",
        ),
        /// Violates a consumption-restriction order.
        ViolatesRestriction => (
            "violates_restriction",
            "违反限制消费令",
            "Violates a consumption-restriction order",
        ),
        /// Refuses without good reason to honour a settlement agreement.
        BreachesSettlement => (
            "breaches_settlement",
            "无正当理由拒不履行执行和解协议",
            "Refuses without good reason to honour an enforcement settlement agreement",
        ),
    }
}

vocabulary! {
    /// The public lists a notice can put a debtor on.
    pub enum ListKind {
        /// 失信被执行人名单.
        Dishonest => ("dishonest", "失信被执行人", "Dishonest judgment debtor"),
        /// 限制消费: the restrictions of [`RestrictionCategory`] apply.
        Restricted => ("restricted", "限制消费", "Consumption restricted"),
        /// 终本: the case was closed for now without full recovery.
        Terminated => ("terminated", "终结本次执行", "Enforcement terminated for now"),
    }
}

vocabulary! {
    /// Whether a notice is public. Deleted notices stay in the court's records but vanish from
    /// every public answer.
    pub enum NoticeStatus {
        Active => ("active", "有效", "Active"),
        Deleted => ("deleted", "已删除", "Deleted"),
    }
}

vocabulary! {
    /// The nine kinds of spending a consumption-restriction order forbids. For an organisation
    /// debtor they also bind its legal representative, principal officer, directly responsible
    /// person and actual controller.
    pub enum RestrictionCategory {
        FlightsSoftSleepers => (
            "flights_soft_sleepers",
            "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
            "Travelling by air, in train soft sleepers, or in second class or above on ships",
        ),
        StarHotelsGolf => (
            "star_hotels_golf",
            "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
            "High spending at star-rated hotels, nightclubs, golf courses and similar places",
        ),
        BuyingProperty => (
            "buying_property",
            "购买不动产或者新建、扩建、高档装修房屋",
            "Buying real estate, or building, extending or luxuriously renovating a house",
        ),
        HighEndOffices => (
            "high_end_offices",
            "租赁高档写字楼、宾馆、公寓等场所办公",
            "Renting high-end office buildings, hotels or apartments as offices",
        ),
        NonEssentialCars => (
            "non_essential_cars",
            "购买非经营必需车辆",
            "Buying vehicles not necessary for business",
        ),
        Travel => ("travel", "旅游、度假", "Travel and holidays"),
        PrivateSchools => (
            "private_schools",
            "子女就读高收费私立学校",
            "Sending children to high-fee private schools",
        ),
        HighPremiumInsurance => (
            "high_premium_insurance",
            "支付高额保费购买保险理财产品",
            "Paying high premiums for insurance or wealth-management products",
        ),
        HighSpeedRailSeats => (
            "high_speed_rail_seats",
            "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为",
            "Any seat on G-series high-speed trains, first class or above on other bullet trains, and other spending not needed for life or work",
        ),
    }
}

/// Shortens a user-supplied value before quoting it in a message.
pub(super) fn quote(value: &str) -> String {
    const MAX: usize = 20;
    let value = value.trim();
    if value.chars().count() > MAX {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    } else {
        value.to_owned()
    }
}

/// "`a`（甲）、`b`（乙）" and "a (A), b (B)": the allowed values of a vocabulary, for messages.
pub(super) fn allowed<T: Copy>(
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> (String, String) {
    let zh = all
        .iter()
        .map(|&v| format!("{}（{}）", as_str(v), label(v, Lang::Zh)))
        .collect::<Vec<_>>()
        .join("、");
    let en = all
        .iter()
        .map(|&v| as_str(v))
        .collect::<Vec<_>>()
        .join(", ");
    (zh, en)
}

/// "“x” is not a valid …; allowed values: …": the rejection of a value outside a vocabulary.
pub(super) fn invalid_choice<T: Copy>(
    value: &str,
    what_zh: &str,
    what_en: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> Invalid {
    let (zh, en) = allowed(all, as_str, label);
    let value = quote(value);
    Invalid::new(
        ErrorCode::InvalidValue,
        format!("“{value}”不是有效的{what_zh}，可选值为：{zh}"),
        format!("\"{value}\" is not a valid {what_en}; allowed values: {en}"),
    )
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;
    use serde::Deserialize;

    use super::*;

    #[test]
    fn serde_names_are_the_spellings() {
        fn check<T>(all: &[T], as_str: fn(T) -> &'static str)
        where
            T: Copy + PartialEq + fmt::Debug + for<'de> Deserialize<'de>,
        {
            for &v in all {
                let de: StrDeserializer<DeError> = as_str(v).into_deserializer();
                assert_eq!(T::deserialize(de).unwrap(), v);
            }
        }
        check(SubjectType::ALL, SubjectType::as_str);
        check(Performance::ALL, Performance::as_str);
        check(Behaviour::ALL, Behaviour::as_str);
        check(ListKind::ALL, ListKind::as_str);
        check(NoticeStatus::ALL, NoticeStatus::as_str);
        check(RestrictionCategory::ALL, RestrictionCategory::as_str);
        assert_eq!(Behaviour::ALL.len(), 6);
        assert_eq!(RestrictionCategory::ALL.len(), 9);
        assert_eq!(
            RestrictionCategory::FlightsSoftSleepers.as_str(),
            "flights_soft_sleepers"
        );
    }

    #[test]
    fn vocabulary_parse_and_labels() {
        assert_eq!(SubjectType::parse(" Person "), Some(SubjectType::Person));
        assert_eq!(Performance::parse("none"), Some(Performance::None));
        assert_eq!(
            Behaviour::parse("breaches_settlement"),
            Some(Behaviour::BreachesSettlement)
        );
        assert_eq!(ListKind::parse("terminated"), Some(ListKind::Terminated));
        assert_eq!(NoticeStatus::parse("deleted"), Some(NoticeStatus::Deleted));
        assert_eq!(ListKind::parse("失信"), None);
        assert_eq!(ListKind::Dishonest.label(Lang::Zh), "失信被执行人");
        assert_eq!(Performance::Partial.label(Lang::Zh), "部分未履行");
        assert_eq!(
            Behaviour::RefusesWithAbility.label(Lang::Zh),
            "有履行能力而拒不履行生效法律文书确定义务"
        );
        assert_eq!(
            SubjectType::Organization.label(Lang::Zh),
            "法人或非法人组织"
        );
        for v in RestrictionCategory::ALL {
            assert!(!v.label(Lang::Zh).is_empty() && !v.label(Lang::En).is_empty());
        }
        assert_eq!(ListKind::Restricted.to_string(), "restricted");
    }
}
