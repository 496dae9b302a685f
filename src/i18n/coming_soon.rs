//! Pages of services that are not open yet.

pub struct ComingSoonTr {
    pub(crate) badge: &'static str,
    pub(crate) text: &'static str,
    pub(crate) publicity_intro: &'static str,
    pub(crate) publicity_points: [&'static str; 3],
}

pub(crate) static ZH: ComingSoonTr = ComingSoonTr {
    badge: "建设中",
    text: "此功能正在建设，尚未开放。上线后将提供：",
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
    publicity_intro: "Enforcement news, typical cases, campaign results and statistics.",
    publicity_points: [
        "Recovery, actual-enforcement and closing rates with their definitions",
        "Typical cases and news",
        "Honour list of voluntary performers (with consent)",
    ],
};
