//! Pages of services that are not open yet.

pub struct ComingSoonTr {
    pub(crate) badge: &'static str,
    pub(crate) text: &'static str,
    pub(crate) certificates_intro: &'static str,
    pub(crate) certificates_points: [&'static str; 3],
    pub(crate) publicity_intro: &'static str,
    pub(crate) publicity_points: [&'static str; 3],
}

pub(crate) static ZH: ComingSoonTr = ComingSoonTr {
    badge: "建设中",
    text: "此功能正在建设，尚未开放。上线后将提供：",
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
};

pub(crate) static EN: ComingSoonTr = ComingSoonTr {
    badge: "In progress",
    text: "This service is being built and is not open yet. When it opens it will offer:",
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
};
