//! The page for partners: embedding the check and the partner API.

use portal_lite::chrome;

pub struct PartnersTr {
    pub(crate) title: &'static str,
    pub(crate) intro: &'static str,
    pub(crate) register: &'static str,
    pub(crate) embed_heading: &'static str,
    pub(crate) embed_text: &'static str,
    pub(crate) id_placeholder: &'static str,
    pub(crate) snippet_label: &'static str,
    pub(crate) copy: &'static str,
    pub(crate) copied: &'static str,
    pub(crate) api_heading: &'static str,
    pub(crate) api_points: [&'static str; 4],
    pub(crate) openapi: &'static str,
    pub(crate) audit: &'static str,
}

pub(crate) static ZH: PartnersTr = PartnersTr {
    title: chrome::ZH.footer_partners,
    intro: "银行、招投标平台、用人单位等可在自己的页面或系统中嵌入官方失信核查：结果实时、可审计，名单删除后立即不再命中。",
    register: "合作方由法院登记：提供机构名称、允许嵌入的网站地址和核查用途，登记后获得合作方编号、API 密钥和哈希密钥（只显示一次）。",
    embed_heading: "两行代码嵌入核查",
    embed_text: "把下面两行放进页面，并把“合作方编号”换成您的编号。每次核查结果以 credit-check:result 事件通知您的页面，只包含结果和核查编号。",
    id_placeholder: "合作方编号",
    snippet_label: "嵌入代码",
    copy: "复制代码",
    copied: "已复制",
    api_heading: "服务端接口",
    api_points: ["单项核查：POST /api/v1/partner/check，请求头 Authorization: Bearer 密钥", "批量核查：POST /api/v1/partner/check/batch，每次最多 100 项", "哈希模式：以 id_hash（用哈希密钥对证件号码做 HMAC-SHA256）代替明文证件号码", "变更订阅：GET /api/v1/partner/changes?since=时间，及时清除已删除的名单"],
    openapi: "接口说明（OpenAPI）",
    audit: "每次核查都会记录合作方、用途、时间和结果，供法院审计。",
};

pub(crate) static EN: PartnersTr = PartnersTr {
    title: chrome::EN.footer_partners,
    intro: "Banks, bidding platforms and employers can embed the official check in their own pages and systems: always current, audited, and deleted listings stop matching at once.",
    register: "Partners are registered by the court with their name, the website origins allowed to embed the check and the purpose of their checks; they receive a partner id, an API key and a hashing secret (shown once).",
    embed_heading: "Embed the check with two lines",
    embed_text: "Put these two lines in your page and replace PARTNER_ID with your id. Each result reaches your page as a credit-check:result event carrying only the status and the check id.",
    id_placeholder: "PARTNER_ID",
    snippet_label: "Embed code",
    copy: "Copy code",
    copied: "Copied",
    api_heading: "Server API",
    api_points: ["Single check: POST /api/v1/partner/check with Authorization: Bearer KEY", "Batch check: POST /api/v1/partner/check/batch, up to 100 items per call", "Hashed mode: send id_hash (HMAC-SHA256 of the ID with your hashing secret) instead of the plain ID", "Change feed: GET /api/v1/partner/changes?since=TIME to purge deleted listings promptly"],
    openapi: "API reference (OpenAPI)",
    audit: "Every check is logged with the partner, purpose, time and result for the courts to audit.",
};
