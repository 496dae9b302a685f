//! The risk notice (履行风险告知) as data: for a debtor whose case is past judgment and not yet in
//! enforcement, what follows if the deadline passes unperformed, and what performing on time
//! brings — each point in plain words with the rule it comes from, in both languages.
//!
//! Articles of the Civil Procedure Law are those of the text as amended in 2023 (in force since
//! 2024-01-01), whose numbers differ from earlier texts'.

use serde::Serialize;

use super::vocabulary::{CaseStatus, PartyRole};
use crate::error::Lang;
use crate::stage::Stage;

/// One point of the risk notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RiskItem {
    /// A stable key, e.g. for an anchor or a test: `enforcement`, `crime`, `certificate` …
    pub key: &'static str,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub text_zh: &'static str,
    pub text_en: &'static str,
    /// The legal source, as cited in Chinese.
    pub source: &'static str,
    /// The legal source, in English.
    pub source_en: &'static str,
}

impl RiskItem {
    pub fn title(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.title_zh,
            Lang::En => self.title_en,
        }
    }

    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.text_zh,
            Lang::En => self.text_en,
        }
    }

    pub fn source(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.source,
            Lang::En => self.source_en,
        }
    }
}

/// Whether a party's case shows the risk notice: a debtor's open case, judged and not yet in
/// enforcement.
pub fn shows_risk_notice(stage: Stage, role: PartyRole, status: CaseStatus) -> bool {
    stage == Stage::BeforeEnforcement && role == PartyRole::Debtor && status == CaseStatus::Open
}

/// What can follow once the performance deadline has passed, in the order it tends to happen.
pub const CONSEQUENCES: &[RiskItem] = &[
    RiskItem {
        key: "enforcement",
        title_zh: "对方可以申请强制执行",
        title_en: "The creditor can ask the court to enforce",
        text_zh: "期限一过，对方可在两年内向法院申请执行。立案后法院会向您发出执行通知，并可以马上查询、冻结、划拨您的存款，扣留您的收入，查封、拍卖您的财产。执行申请费和执行中的实际费用也由您承担。",
        text_en: "Once the deadline has passed, the creditor has two years to ask the court for enforcement. The court then sends you an enforcement notice and may at once search, freeze and take your bank deposits, withhold your income, and seize and auction your property. You also bear the enforcement fee and its costs.",
        source: "《中华人民共和国民事诉讼法》第二百五十条、第二百五十一条、第二百五十三条至第二百五十五条；《诉讼费用交纳办法》第三十八条",
        source_en: "Civil Procedure Law arts. 250, 251 and 253–255; Measures on the Payment of Litigation Costs art. 38",
    },
    RiskItem {
        key: "late_interest",
        title_zh: "迟延履行要加倍付利息",
        title_en: "Late payment costs double interest",
        text_zh: "没有按期付钱的，从期限届满次日起，迟延期间的债务利息要加倍支付，欠得越久，要付的越多。",
        text_en: "If money is not paid on time, the interest on the debt for the period of delay is doubled from the day after the deadline: the longer you wait, the more you owe.",
        source: "《中华人民共和国民事诉讼法》第二百六十四条",
        source_en: "Civil Procedure Law art. 264",
    },
    RiskItem {
        key: "asset_report",
        title_zh: "必须如实报告财产",
        title_en: "You must report your assets truthfully",
        text_zh: "进入执行后仍未履行的，您必须向法院报告现在的财产以及收到执行通知前一年的财产情况。拒绝报告或者虚假报告的，法院可以罚款、拘留。",
        text_en: "If you still have not performed once enforcement starts, you must report to the court what you own now and what you owned in the year before the enforcement notice. Refusing to report, or reporting falsely, can be punished with a fine or detention.",
        source: "《中华人民共和国民事诉讼法》第二百五十二条",
        source_en: "Civil Procedure Law art. 252",
    },
    RiskItem {
        key: "restrictions",
        title_zh: "限制高消费和出境",
        title_en: "Restrictions on spending and on leaving the country",
        text_zh: "未按执行通知履行的，法院可以限制您坐飞机、坐G字头高铁和其他动车一等座以上、住星级酒店、买房、买非经营必需的车、旅游度假、让子女读高收费私立学校等九类消费，还可以限制出境、在征信系统记录并通过媒体公布。债务人是单位的，其法定代表人、主要负责人等也一同受限。",
        text_en: "If you do not perform as the enforcement notice requires, the court can bar nine kinds of spending — flights, G-series high-speed trains and first class on other bullet trains, star hotels, buying property or cars not needed for business, holidays, high-fee private schools for your children and more — and can also bar you from leaving the country, record the debt in the credit reporting system and publish it. For a company, its legal representative and principal officers are bound too.",
        source: "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条；《中华人民共和国民事诉讼法》第二百六十六条",
        source_en: "SPC Provisions on Restricting High Spending by Judgment Debtors arts. 1 and 3; Civil Procedure Law art. 266",
    },
    RiskItem {
        key: "dishonest_list",
        title_zh: "可能被列入失信被执行人名单",
        title_en: "You may be put on the list of dishonest debtors",
        text_zh: "有能力履行却不履行，或者有妨碍、规避执行、违反财产报告或限制消费令等情形的，法院会将您列入失信名单并向社会公布，贷款、招投标、担任企业高管、评先评优等都会受到限制。",
        text_en: "If you are able to perform and do not, or obstruct or evade enforcement, break the duty to report assets or a spending restriction, the court will put you on the public list of dishonest debtors. Loans, public tenders, holding a company post and public honours are then restricted.",
        source: "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条、第二条",
        source_en: "SPC Provisions on Publishing the List of Dishonest Judgment Debtors arts. 1 and 2",
    },
    RiskItem {
        key: "fines_detention",
        title_zh: "罚款和拘留",
        title_en: "Fines and detention",
        text_zh: "拒不履行已生效的判决、裁定，法院可以罚款、拘留：个人罚款最高十万元，单位罚款五万元至一百万元，拘留最长十五日。",
        text_en: "Refusing to comply with an effective judgment or ruling can be punished by a fine or detention: up to 100,000 yuan for a person, 50,000 to 1,000,000 yuan for an organisation, and detention for up to 15 days.",
        source: "《中华人民共和国民事诉讼法》第一百一十四条第一款第六项、第一百一十八条",
        source_en: "Civil Procedure Law art. 114(1)(vi) and art. 118",
    },
    RiskItem {
        key: "crime",
        title_zh: "可能构成拒不执行判决、裁定罪",
        title_en: "It may be the crime of refusing to comply with a judgment",
        text_zh: "有能力执行而拒不执行，情节严重的，是犯罪：可判三年以下有期徒刑、拘役或者罚金；情节特别严重的，判三年以上七年以下有期徒刑，并处罚金。单位犯罪的，单位被罚金，负责人也要受刑罚。",
        text_en: "Being able to comply and refusing to, when serious, is a crime: up to three years in prison, criminal detention or a fine; when especially serious, three to seven years in prison and a fine. For an organisation, it is fined and the people in charge are punished too.",
        source: "《中华人民共和国刑法》第三百一十三条",
        source_en: "Criminal Law art. 313",
    },
];

/// What performing in full before the deadline brings.
pub const VOLUNTARY_BENEFITS: &[RiskItem] = &[
    RiskItem {
        key: "no_enforcement",
        title_zh: "案件不进入强制执行",
        title_en: "No enforcement case",
        text_zh: "按时履行完毕，对方就没有可申请执行的义务，您的财产不会被冻结、查封，也不用负担执行费用和加倍的迟延利息。",
        text_en: "Once you have performed in full on time, there is nothing left for the creditor to enforce: your property is not frozen or seized, and you pay no enforcement costs and no doubled interest.",
        source: "《中华人民共和国民事诉讼法》第二百五十条、第二百六十四条",
        source_en: "Civil Procedure Law arts. 250 and 264",
    },
    RiskItem {
        key: "no_listing",
        title_zh: "不会被列入失信名单或限制消费",
        title_en: "No listing, no spending restrictions",
        text_zh: "失信名单和限制消费只针对不履行的人。已在宽限期内、尚未公布的失信决定，履行后不再公布；已公布的，法院在确认履行后三个工作日内删除。",
        text_en: "The dishonest list and spending restrictions apply only to those who do not perform. A listing decided but still in its grace period is not published once you perform; one already published is deleted within three working days after the court confirms your performance.",
        source: "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条、第十条",
        source_en: "SPC Provisions on Publishing the List of Dishonest Judgment Debtors arts. 1 and 10",
    },
    RiskItem {
        key: "certificate",
        title_zh: "可申请自动履行证明书",
        title_en: "A certificate of voluntary performance",
        text_zh: "主动履行后，您可以在本平台申请法院出具的自动履行证明书。证明书带有法院签名和二维码，银行、招投标平台和审批部门可以当场核验，用于说明您的信用情况。",
        text_en: "After performing of your own accord you can apply here for a certificate of voluntary performance from the court. It carries the court's signature and a QR code that banks, tender platforms and approval offices can check on the spot, as evidence of your good credit.",
        source: "人民法院自动履行正向激励机制（各地法院实施办法）",
        source_en: "The courts' incentives for voluntary performance (each court's own rules)",
    },
    RiskItem {
        key: "honour_list",
        title_zh: "可进入诚信履行榜",
        title_en: "A place on the honour list",
        text_zh: "经您同意，法院可以把您列入诚信履行榜公开表扬；不同意的，不会公布。",
        text_en: "With your consent the court can name you on its public honour list of those who performed in good faith; without it, nothing is published.",
        source: "人民法院自动履行正向激励机制（各地法院实施办法）",
        source_en: "The courts' incentives for voluntary performance (each court's own rules)",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_point_is_complete_and_keyed_once() {
        let mut keys: Vec<&str> = CONSEQUENCES
            .iter()
            .chain(VOLUNTARY_BENEFITS)
            .map(|i| i.key)
            .collect();
        for item in CONSEQUENCES.iter().chain(VOLUNTARY_BENEFITS) {
            for lang in [Lang::Zh, Lang::En] {
                assert!(!item.title(lang).is_empty(), "{}", item.key);
                assert!(!item.text(lang).is_empty(), "{}", item.key);
                assert!(!item.source(lang).is_empty(), "{}", item.key);
            }
            assert!(
                item.text_zh.chars().count() <= 200,
                "{}: plain words, kept short",
                item.key
            );
        }
        let n = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }

    #[test]
    fn the_consequences_the_issue_names() {
        let keys: Vec<&str> = CONSEQUENCES.iter().map(|i| i.key).collect();
        for key in [
            "enforcement",
            "asset_report",
            "restrictions",
            "dishonest_list",
            "fines_detention",
            "crime",
        ] {
            assert!(keys.contains(&key), "{key}");
        }
        let crime = CONSEQUENCES.iter().find(|i| i.key == "crime").unwrap();
        assert!(crime.source.contains("第三百一十三条"));
        assert_eq!(crime.source_en, "Criminal Law art. 313");
        let keys: Vec<&str> = VOLUNTARY_BENEFITS.iter().map(|i| i.key).collect();
        assert_eq!(
            keys,
            ["no_enforcement", "no_listing", "certificate", "honour_list"]
        );
    }

    #[test]
    fn shown_to_open_debtors_before_enforcement_only() {
        for &stage in Stage::ALL {
            for &role in PartyRole::ALL {
                for &status in CaseStatus::ALL {
                    assert_eq!(
                        shows_risk_notice(stage, role, status),
                        (stage, role, status)
                            == (
                                Stage::BeforeEnforcement,
                                PartyRole::Debtor,
                                CaseStatus::Open
                            )
                    );
                }
            }
        }
    }

    #[test]
    fn serialises_for_an_api_answer() {
        let v = serde_json::to_value(CONSEQUENCES[0]).unwrap();
        assert_eq!(v["key"], "enforcement");
        assert!(v["source"].as_str().unwrap().contains("民事诉讼法"));
    }
}
