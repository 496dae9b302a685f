//! Every user-visible string of the portal, in zh-CN (the source language) and English.
//!
//! Each language is one literal of [`Tr`], so a string missing in either language is a compile
//! error, and no translation data beyond these two tables reaches the wasm.

use leptos::prelude::*;
pub use portal_core::Lang;

pub struct Tr {
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_lookup: &'static str,
    pub nav_rewards: &'static str,
    pub nav_certificates: &'static str,
    pub nav_publicity: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub elder_mode: &'static str,
    pub elder_mode_label: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,

    pub home_title: &'static str,
    pub home_heading: &'static str,
    pub home_intro: &'static str,
    pub search_heading: &'static str,
    pub search_name: &'static str,
    pub search_name_hint: &'static str,
    pub search_id: &'static str,
    pub search_id_hint: &'static str,
    pub search_submit: &'static str,
    pub search_privacy: &'static str,
    pub services_heading: &'static str,
    pub service_lookup: &'static str,
    pub service_lookup_text: &'static str,
    pub service_rewards: &'static str,
    pub service_rewards_text: &'static str,
    pub service_certificates: &'static str,
    pub service_certificates_text: &'static str,
    pub service_publicity: &'static str,
    pub service_publicity_text: &'static str,
    pub stats_heading: &'static str,
    pub stats_public_notices: &'static str,
    pub stats_database: &'static str,
    pub stats_unavailable: &'static str,

    pub coming_soon_badge: &'static str,
    pub coming_soon_text: &'static str,
    pub coming_soon_meanwhile: &'static str,
    pub lookup_intro: &'static str,
    pub lookup_points: [&'static str; 3],
    pub rewards_intro: &'static str,
    pub rewards_points: [&'static str; 3],
    pub certificates_intro: &'static str,
    pub certificates_points: [&'static str; 3],
    pub publicity_intro: &'static str,
    pub publicity_points: [&'static str; 3],
    pub back_home: &'static str,

    pub not_found_title: &'static str,
    pub not_found_text: &'static str,

    pub staff_title: &'static str,
    pub staff_heading: &'static str,
    pub staff_intro: &'static str,
    pub staff_username: &'static str,
    pub staff_password: &'static str,
    pub staff_sign_in: &'static str,
    pub staff_signing_in: &'static str,
    pub staff_signed_in_as: &'static str,
    pub staff_court: &'static str,
    pub staff_role: &'static str,
    pub staff_sign_out: &'static str,
    pub staff_console_pending: &'static str,
    pub role_admin: &'static str,
    pub role_reviewer: &'static str,
    pub role_editor: &'static str,

    pub footer_about: &'static str,
    pub footer_data: &'static str,
    pub footer_staff: &'static str,

    pub error_network: &'static str,
    pub error_server: &'static str,
    pub error_heading: &'static str,
}

pub static ZH: Tr = Tr {
    site_name: "执行公开",
    site_tagline: "失信被执行人 · 限制消费 · 终本案件 公开查询",
    skip_to_content: "跳到主要内容",
    nav_label: "主导航",
    nav_home: "首页",
    nav_lookup: "查询",
    nav_rewards: "悬赏",
    nav_certificates: "自动履行证明",
    nav_publicity: "执行公开",
    switch_language: "English",
    switch_language_label: "Switch to English",
    elder_mode: "长辈模式",
    elder_mode_label: "长辈模式：更大的字、更高的对比度",
    loading: "正在加载…",
    retry: "重试",

    home_title: "首页",
    home_heading: "查失信、查限消、查终本",
    home_intro: "交易、借款、招投标之前，先查一查对方是否被法院列入失信被执行人名单或限制消费。免验证码，手机上也能快速查询。",
    search_heading: "公开查询",
    search_name: "姓名或单位名称",
    search_name_hint: "例如：陈小明，或 宁波海丰贸易有限公司",
    search_id: "身份证号码或统一社会信用代码（选填）",
    search_id_hint: "填写后精确匹配；号码只在查询时发送，不会出现在网址中",
    search_submit: "查询",
    search_privacy: "查询内容不会出现在网址或日志中。",
    services_heading: "我们提供的服务",
    service_lookup: "名单查询",
    service_lookup_text: "失信被执行人、限制消费、终结本次执行案件，一次查清。",
    service_rewards: "悬赏与财产线索",
    service_rewards_text: "查看悬赏公告，保密提交被执行人财产线索，查询处理进度。",
    service_certificates: "自动履行证明",
    service_certificates_text: "主动履行义务后申请证明书，银行和招投标平台可在线核验。",
    service_publicity: "执行公开",
    service_publicity_text: "执行新闻、典型案例、执行工作数据与曝光台。",
    stats_heading: "数据概况",
    stats_public_notices: "当前公开的名单信息",
    stats_database: "数据来源：各执行法院",
    stats_unavailable: "暂时无法获取数据概况",

    coming_soon_badge: "建设中",
    coming_soon_text: "此功能正在建设，尚未开放。上线后将提供：",
    coming_soon_meanwhile: "现在可以：",
    lookup_intro: "按姓名或单位名称查询失信、限消和终本信息，并可用证件号码精确核验。",
    lookup_points: [
        "按名称查询，结果按当事人分组，展示案号、执行法院和所列名单",
        "输入完整证件号码精确核验：只回答“是否在名单中”",
        "名单删除后立即从所有页面消失",
    ],
    rewards_intro: "申请执行人发布悬赏，知情人保密举报财产线索，按规定获得奖励。",
    rewards_points: [
        "悬赏公告检索：金额、条件、期限、法院",
        "保密提交线索，即时获得查询码和回执",
        "线索处理进度随时可查",
    ],
    certificates_intro: "主动履行的被执行人可申请自动履行证明书，第三方可扫码核验真伪。",
    certificates_points: [
        "在线申请，法院审核后签发",
        "证明书带数字签名和二维码，可长按保存图片",
        "核验页面实时显示有效、撤销或已更新",
    ],
    publicity_intro: "执行新闻、典型案例、专项行动成果和执行工作数据。",
    publicity_points: [
        "执行到位率、实际执行率、结案率等数据及其口径",
        "典型案例与工作动态",
        "守信激励名单（经本人同意）",
    ],
    back_home: "返回首页",

    not_found_title: "页面不存在",
    not_found_text: "您访问的页面不存在或已被移除。请检查网址，或返回首页重新查询。",

    staff_title: "工作人员登录",
    staff_heading: "工作人员登录",
    staff_intro: "供法院工作人员审核线索、签发证明、发布信息使用。",
    staff_username: "用户名",
    staff_password: "密码",
    staff_sign_in: "登录",
    staff_signing_in: "正在登录…",
    staff_signed_in_as: "已登录：",
    staff_court: "所属法院",
    staff_role: "角色",
    staff_sign_out: "退出登录",
    staff_console_pending: "审核、签发和发布等工作台功能将陆续开放。",
    role_admin: "管理员",
    role_reviewer: "审核员",
    role_editor: "编辑",

    footer_about: "本网站公开的信息由各执行法院依法发布。信息被删除后将不再显示。",
    footer_data: "如认为信息有误，可向执行法院申请纠正。",
    footer_staff: "工作人员入口",

    error_network: "网络连接失败，请检查网络后重试",
    error_server: "服务器暂时出错，请稍后再试",
    error_heading: "出错了",
};

pub static EN: Tr = Tr {
    site_name: "Enforcement Transparency",
    site_tagline: "Dishonest debtors · consumption restrictions · closed cases",
    skip_to_content: "Skip to main content",
    nav_label: "Main navigation",
    nav_home: "Home",
    nav_lookup: "Lookup",
    nav_rewards: "Rewards",
    nav_certificates: "Certificates",
    nav_publicity: "Publicity",
    switch_language: "中文",
    switch_language_label: "切换到中文",
    elder_mode: "Large text",
    elder_mode_label: "Large text and high contrast",
    loading: "Loading…",
    retry: "Retry",

    home_title: "Home",
    home_heading: "Check before you deal",
    home_intro: "Before a sale, a loan or a tender, check whether the other party is on a court's list of dishonest debtors or under a consumption restriction. No captcha, fast on a phone.",
    search_heading: "Public lookup",
    search_name: "Name of a person or organisation",
    search_name_hint: "e.g. 陈小明 or 宁波海丰贸易有限公司",
    search_id: "ID number or unified social credit code (optional)",
    search_id_hint: "Gives an exact match; the number is sent only with the search, never in the address bar",
    search_submit: "Search",
    search_privacy: "What you search for never appears in addresses or logs.",
    services_heading: "What you can do here",
    service_lookup: "Lookup",
    service_lookup_text: "Dishonest-debtor list, consumption restrictions and cases closed without full recovery, in one search.",
    service_rewards: "Rewards and asset tips",
    service_rewards_text: "Read reward notices, report a debtor's assets confidentially and follow your tip.",
    service_certificates: "Self-performance certificates",
    service_certificates_text: "Debtors who paid voluntarily get a certificate that banks and bidding platforms verify online.",
    service_publicity: "Enforcement publicity",
    service_publicity_text: "News, typical cases, enforcement statistics and the exposure board.",
    stats_heading: "At a glance",
    stats_public_notices: "Notices currently public",
    stats_database: "Source: the enforcing courts",
    stats_unavailable: "The figures are unavailable right now",

    coming_soon_badge: "In progress",
    coming_soon_text: "This service is being built and is not open yet. When it opens it will offer:",
    coming_soon_meanwhile: "Meanwhile you can:",
    lookup_intro: "Search dishonest-debtor, restriction and closed-case notices by name, and verify exactly with an ID number.",
    lookup_points: [
        "Search by name, results grouped by subject with case number, court and lists",
        "Exact verification with a full ID number: answers only \"listed or not\"",
        "Deleted listings vanish from every page at once",
    ],
    rewards_intro: "Creditors offer rewards; people who know of a debtor's assets report them confidentially and are rewarded.",
    rewards_points: [
        "Search reward notices by amount, conditions, deadline and court",
        "Report a tip confidentially and get a tracking code and receipt at once",
        "Follow your tip's progress at any time",
    ],
    certificates_intro: "Debtors who performed voluntarily can apply for a certificate that anyone can verify by scanning it.",
    certificates_points: [
        "Apply online; the court reviews and issues it",
        "Signed certificate with a QR code, saved by long-pressing the image",
        "The verification page shows live status: valid, revoked or superseded",
    ],
    publicity_intro: "Enforcement news, typical cases, campaign results and statistics.",
    publicity_points: [
        "Recovery, actual-enforcement and closing rates with their definitions",
        "Typical cases and news",
        "Honour list of voluntary performers (with consent)",
    ],
    back_home: "Back to the home page",

    not_found_title: "Page not found",
    not_found_text: "The page you asked for does not exist or was removed. Check the address or go back to the home page.",

    staff_title: "Staff sign-in",
    staff_heading: "Staff sign-in",
    staff_intro: "For court staff who review tips, issue certificates and publish information.",
    staff_username: "Username",
    staff_password: "Password",
    staff_sign_in: "Sign in",
    staff_signing_in: "Signing in…",
    staff_signed_in_as: "Signed in as ",
    staff_court: "Court",
    staff_role: "Role",
    staff_sign_out: "Sign out",
    staff_console_pending: "Review, issuing and publishing screens will open step by step.",
    role_admin: "Administrator",
    role_reviewer: "Reviewer",
    role_editor: "Editor",

    footer_about: "Information on this site is published by the enforcing courts as the law requires. Deleted listings are no longer shown.",
    footer_data: "If you believe information is wrong, you can ask the enforcing court to correct it.",
    footer_staff: "Staff sign-in",

    error_network: "Network error; check your connection and try again",
    error_server: "Server error; please try again later",
    error_heading: "Something went wrong",
};

/// The portal's language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        I18n {
            lang: RwSignal::new(lang),
        }
    }

    /// The current language; reading it inside a closure makes the closure follow changes.
    pub fn lang(self) -> Lang {
        self.lang.get()
    }

    pub fn set(self, lang: Lang) {
        self.lang.set(lang);
    }

    pub fn signal(self) -> RwSignal<Lang> {
        self.lang
    }

    /// The strings of the current language.
    pub fn tr(self) -> &'static Tr {
        match self.lang.get() {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
