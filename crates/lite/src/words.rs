//! The words that two or more areas' string tables use with one meaning — the portal's areas
//! (`src/i18n`), the lite bundles' tables (verify, publicity, embed) — written once here, so that
//! a label reads the same on every page that shows it and is translated in one place. The
//! tables take them field by field (`case_number: words::ZH.case_number`), which is why these
//! are constants. The chrome's own words (site name, navigation) are [`crate::chrome`]'s.
//!
//! A word is here only when its meaning and both its texts are the same in every area that uses
//! it; a zh-CN word that a table translates differently stays in that table.

/// The shared words, in one language.
pub struct Words {
    pub case_number: &'static str,
    /// A person's or organisation's name, as on a certificate.
    pub name: &'static str,
    /// The label of a person's or organisation's ID number.
    pub id_number: &'static str,
    /// The same label where the English is kept short (the certificate image, the staff's table).
    pub id_number_short: &'static str,
    /// The field asking for a person's ID number or an organisation's credit code.
    pub id_or_credit_code: &'static str,
    pub debtor: &'static str,
    pub court: &'static str,
    pub enforcing_court: &'static str,
    /// The currency after an amount.
    pub yuan: &'static str,

    pub certificate_number: &'static str,
    /// The court that issued a certificate.
    pub issuing_court: &'static str,
    pub issued_at: &'static str,
    /// When the debtor performed: before enforcement or during it.
    pub stage: &'static str,
    pub performed_on: &'static str,
    /// A certificate application's outcome: a certificate was issued.
    pub issued: &'static str,
    /// A certificate application's outcome: the court refused it.
    pub refused: &'static str,
    /// The court's reason for refusing (or revoking) a certificate.
    pub reason: &'static str,

    // The creditor's answer to what a debtor says was performed.
    pub dispute: &'static str,
    pub dispute_reason: &'static str,
    pub answer_received: &'static str,

    /// A lookup's answer: the subject is on a list.
    pub listed: &'static str,
    pub not_listed: &'static str,
    /// The label of the time the data shown is from.
    pub data_as_of: &'static str,
    pub all_provinces: &'static str,

    /// The empty first option of a select.
    pub choose: &'static str,
    /// A form's submit button while it is being sent.
    pub sending: &'static str,
    /// The filter option that leaves out nothing.
    pub all: &'static str,
    /// The button that applies filters.
    pub filter: &'static str,
    /// The label of a pager's navigation.
    pub pages: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    /// Where a pager is: page `p` of `n`.
    pub page_of: fn(i64, i64) -> String,
    /// The colon between a label and its value.
    pub colon: &'static str,
    pub status: &'static str,
    pub current_status: &'static str,
    /// When the court received a tip, a declaration or a request.
    pub received_at: &'static str,
    /// A time, marked as Beijing time.
    pub beijing_time: fn(&str) -> String,
    /// The secret that goes with a tracking or application code.
    pub pin: &'static str,

    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub sign_out: &'static str,

    /// What a tip says about the asset.
    pub tip_description: &'static str,
    /// What happened to a tip, in order.
    pub timeline: &'static str,
    /// The board of dishonest debtors the courts choose to expose.
    pub exposure_board: &'static str,
    /// The parties' service: their cases, declarations and requests.
    pub parties_desk: &'static str,
}

pub const ZH: Words = Words {
    case_number: "案号",
    name: "姓名或名称",
    id_number: "证件号码",
    id_number_short: "证件号码",
    id_or_credit_code: "身份证号码或统一社会信用代码",
    debtor: "被执行人",
    court: "法院",
    enforcing_court: "执行法院",
    yuan: "元",

    certificate_number: "证明书编号",
    issuing_court: "出具法院",
    issued_at: "出具时间",
    stage: "履行阶段",
    performed_on: "履行完毕日期",
    issued: "已出具",
    refused: "未予出具",
    reason: "理由",

    dispute: "不属实，提出异议",
    dispute_reason: "异议理由（提出异议时必填）",
    answer_received: "已收到您的答复，法院审核时会一并考虑。",

    listed: "在名单中",
    not_listed: "未在名单中",
    data_as_of: "数据截至",
    all_provinces: "全部省份",

    choose: "请选择",
    sending: "正在提交…",
    all: "全部",
    filter: "筛选",
    pages: "翻页",
    previous: "上一页",
    next: "下一页",
    page_of: |p, n| format!("第 {p} / {n} 页"),
    colon: "：",
    status: "状态",
    current_status: "当前状态",
    received_at: "收到时间",
    beijing_time: |t| format!("{t}（北京时间）"),
    pin: "查询密码",

    sign_in: "登录",
    signing_in: "正在登录…",
    sign_out: "退出登录",

    tip_description: "线索描述",
    timeline: "处理记录",
    exposure_board: "曝光台",
    parties_desk: "当事人服务",
};

pub const EN: Words = Words {
    case_number: "Case number",
    name: "Name",
    id_number: "ID number",
    id_number_short: "ID",
    id_or_credit_code: "ID number or unified social credit code",
    debtor: "Debtor",
    court: "Court",
    enforcing_court: "Enforcing court",
    yuan: "yuan",

    certificate_number: "Certificate number",
    issuing_court: "Issued by",
    issued_at: "Issued at",
    stage: "Stage",
    performed_on: "Performed in full on",
    issued: "Issued",
    refused: "Refused",
    reason: "Reason",

    dispute: "Not true: dispute",
    dispute_reason: "Why you dispute it (needed to dispute)",
    answer_received: "Your answer was received; the court takes it into account.",

    listed: "Listed",
    not_listed: "Not listed",
    data_as_of: "Data as of",
    all_provinces: "All provinces",

    choose: "Choose",
    sending: "Sending…",
    all: "All",
    filter: "Filter",
    pages: "Pages",
    previous: "Previous",
    next: "Next",
    page_of: |p, n| format!("Page {p} of {n}"),
    colon: ": ",
    status: "Status",
    current_status: "Status",
    received_at: "Received",
    beijing_time: |t| format!("{t} (Beijing time)"),
    pin: "PIN",

    sign_in: "Sign in",
    signing_in: "Signing in…",
    sign_out: "Sign out",

    tip_description: "Description",
    timeline: "History",
    exposure_board: "Exposure board",
    parties_desk: "Parties' desk",
};
