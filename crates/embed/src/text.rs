//! The embedded check's strings, in zh-CN and English (one literal per language: a missing one
//! is a compile error). Those every bundle shares (loading, network errors) are
//! `portal_lite::chrome`'s.

use portal_core::Lang;
use portal_lite::words;

pub struct EmbedTr {
    pub(crate) title: &'static str,
    pub(crate) name: &'static str,
    pub(crate) id: &'static str,
    pub(crate) id_hint: &'static str,
    pub(crate) consent: fn(&str, &str) -> String,
    pub(crate) submit: &'static str,
    pub(crate) checking: &'static str,
    pub(crate) listed: &'static str,
    pub(crate) clear: &'static str,
    pub(crate) as_of: &'static str,
    pub(crate) details: &'static str,
    pub(crate) note: &'static str,
    pub(crate) powered: &'static str,
}

pub(crate) static ZH: EmbedTr = EmbedTr {
    title: "失信被执行人核查",
    name: "姓名或单位名称",
    id: words::ZH.id_or_credit_code,
    id_hint: "号码仅用于本次核查",
    consent: |partner, purpose| format!("被查询人已同意 {partner} 为“{purpose}”进行本次核查"),
    submit: "核查",
    checking: "正在核查…",
    listed: words::ZH.listed,
    clear: words::ZH.not_listed,
    as_of: words::ZH.data_as_of,
    details: "查看公开信息",
    note: "结果仅反映上述时间法院公开的信息；名单删除后即不再显示。如有异议，请联系执行法院。",
    powered: "数据来源：执行公开（法院执行信息公开平台）",
};

pub(crate) static EN: EmbedTr = EmbedTr {
    title: "Dishonest-debtor check",
    name: "Name of the person or organisation",
    id: words::EN.id_or_credit_code,
    id_hint: "Used for this check only",
    consent: |partner, purpose| format!("The person checked agreed that {partner} checks them for \"{purpose}\""),
    submit: "Check",
    checking: "Checking…",
    listed: words::EN.listed,
    clear: words::EN.not_listed,
    as_of: words::EN.data_as_of,
    details: "See the public notice",
    note: "The answer reflects what the courts publish at the time above; deleted listings are no longer shown. If you disagree, contact the enforcing court.",
    powered: "Source: the courts' enforcement transparency portal",
};

pub fn strings(lang: Lang) -> &'static EmbedTr {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
