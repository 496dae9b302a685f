//! The page chrome every citizen page shares — skip link, header with the language and elder-mode
//! switches, main navigation, footer — and the words common to every bundle: one markup and one
//! string table, rendered by the Leptos bundles (`src/components/header.rs`, `footer.rs`) and
//! by the lite pages ([`crate::start`]) alike.
//!
//! The markup is HTML text built here with every value escaped; the switches are `#lang` and
//! `#elder`, which each kind of bundle binds its own way. A link to a page of another bundle than
//! the one shown carries `rel="external"`, so a bundle's router lets the browser load it.

use portal_core::{bundle::bundle_of, text::escape_html as esc, Lang};

/// The words every bundle shares, in one language.
pub struct ChromeText {
    pub site_name: &'static str,
    pub site_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_lookup: &'static str,
    pub nav_rewards: &'static str,
    pub nav_certificates: &'static str,
    pub nav_parties: &'static str,
    pub nav_publicity: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub elder_mode: &'static str,
    pub elder_mode_label: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    /// No answer from the server: offline, timed out, or the connection broke.
    pub network_error: &'static str,
    pub footer_about: &'static str,
    pub footer_data: &'static str,
    pub footer_partners: &'static str,
    pub footer_staff: &'static str,
}

pub static ZH: ChromeText = ChromeText {
    site_name: "执行公开",
    site_tagline: "失信被执行人 · 限制消费 · 终本案件 公开查询",
    skip_to_content: "跳到主要内容",
    nav_label: "主导航",
    nav_lookup: "查询",
    nav_rewards: "悬赏",
    nav_certificates: "自动履行证明",
    nav_parties: "当事人服务",
    nav_publicity: "执行公开",
    switch_language: "English",
    switch_language_label: "Switch to English",
    elder_mode: "长辈模式",
    elder_mode_label: "长辈模式：更大的字、更高的对比度",
    loading: "正在加载…",
    retry: "重试",
    network_error: "网络连接失败，请检查网络后重试",
    footer_about: "本网站公开的信息由各执行法院依法发布。信息被删除后将不再显示。",
    footer_data: "如认为信息有误，可向执行法院申请纠正。",
    footer_partners: "合作方接入",
    footer_staff: "工作人员入口",
};

pub static EN: ChromeText = ChromeText {
    site_name: "Enforcement Transparency",
    site_tagline: "Dishonest debtors · consumption restrictions · closed cases",
    skip_to_content: "Skip to main content",
    nav_label: "Main navigation",
    nav_lookup: "Lookup",
    nav_rewards: "Rewards",
    nav_certificates: "Certificates",
    nav_parties: "Parties",
    nav_publicity: "Publicity",
    switch_language: "中文",
    switch_language_label: "切换到中文",
    elder_mode: "Large text",
    elder_mode_label: "Large text and high contrast",
    loading: "Loading…",
    retry: "Retry",
    network_error: "Network error; check your connection and try again",
    footer_about: "Information on this site is published by the enforcing courts as the law requires. Deleted listings are no longer shown.",
    footer_data: "If you believe information is wrong, you can ask the enforcing court to correct it.",
    footer_partners: "For partners",
    footer_staff: "Staff sign-in",
};

pub fn text(lang: Lang) -> &'static ChromeText {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The main navigation's entries: address and words.
fn entries(t: &ChromeText) -> [(&'static str, &'static str); 5] {
    [
        ("/lookup", t.nav_lookup),
        ("/rewards", t.nav_rewards),
        ("/certificates", t.nav_certificates),
        ("/parties", t.nav_parties),
        ("/publicity", t.nav_publicity),
    ]
}

/// The entry of the navigation that `path` is under, of the entries `hrefs` (`/rewards/7` is
/// under 悬赏, and so is the tip form the rewards lead to; a notice is under 查询; a console's
/// `/staff/tips/9` under `/staff/tips`): the longest entry `path` is at or below.
fn current<'a>(path: &str, hrefs: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    if under("/certificates/verify") {
        return None;
    }
    let path_for = |href: &str| match href {
        "/rewards" => under("/rewards") || under("/tips"),
        "/lookup" => under("/lookup") || under("/notices"),
        _ => under(href),
    };
    hrefs
        .into_iter()
        .filter(|href| path_for(href))
        .max_by_key(|href| href.len())
}

/// Marks the navigation entry of `path` current (`aria-current="page"`) in the page's header, and
/// no other.
pub fn mark_current(path: &str) {
    let Ok(links) = crate::document().query_selector_all(".site-nav__link") else {
        return;
    };
    let links: Vec<web_sys::Element> = (0..links.length())
        .filter_map(|i| {
            links
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        })
        .collect();
    let hrefs: Vec<String> = links
        .iter()
        .map(|l| l.get_attribute("href").unwrap_or_default())
        .collect();
    let here = current(path, hrefs.iter().map(String::as_str));
    for (link, href) in links.iter().zip(&hrefs) {
        if Some(href.as_str()) == here {
            let _ = link.set_attribute("aria-current", "page");
        } else {
            let _ = link.remove_attribute("aria-current");
        }
    }
}

/// Shows elder mode on or off on the header's `#elder` switch.
pub fn mark_elder(on: bool) {
    if let Some(button) = crate::by_id("elder") {
        let _ = button.set_attribute("aria-pressed", if on { "true" } else { "false" });
    }
}

/// ` rel="external"` for a link from the page at `path` to `href` in another bundle, else nothing.
fn elsewhere(path: &str, href: &str) -> &'static str {
    match bundle_of(path) {
        Some(here) if bundle_of(href) == Some(here) => "",
        _ => " rel=\"external\"",
    }
}

/// A header's brand and navigation.
struct Masthead<'a> {
    /// Where the brand links to.
    home: &'a str,
    name: &'a str,
    /// The line under the name: the citizens' tagline (shown on wider screens only) or the
    /// console's name (always shown).
    tagline: (&'a str, &'static str),
    nav_label: &'a str,
    /// Address, words and ` rel="external"` (another bundle's page) or nothing.
    entries: Vec<(&'a str, &'a str, &'static str)>,
}

/// The skip link and the header of `masthead` at `path` (its navigation entry marked current), in
/// `lang`, with elder mode shown `elder` (on or off).
fn masthead_html(lang: Lang, path: &str, elder: bool, masthead: &Masthead) -> String {
    let t = text(lang);
    let other = match lang {
        Lang::Zh => "en",
        Lang::En => "zh-CN",
    };
    let here = current(path, masthead.entries.iter().map(|(href, ..)| *href));
    let nav: String = masthead
        .entries
        .iter()
        .map(|(href, words, rel)| {
            let mark = if here == Some(*href) {
                " aria-current=\"page\""
            } else {
                ""
            };
            format!(
                "<a class=\"site-nav__link\" href=\"{href}\"{rel}{mark}>{}</a>",
                esc(words)
            )
        })
        .collect();
    format!(
        "<a class=\"skip-link\" href=\"#main\">{skip}</a>\
         <header class=\"site-header\"><div class=\"site-header__bar\">\
         <a class=\"brand\" href=\"{home}\"><img class=\"brand__emblem\" src=\"/icons/icon.svg\" alt=\"\" width=\"36\" height=\"36\">\
         <span class=\"brand__text\"><span class=\"brand__name\">{name}</span><span class=\"{under}\">{tagline}</span></span></a>\
         <div class=\"site-header__tools\">\
         <button type=\"button\" class=\"tool-button\" id=\"lang\" lang=\"{other}\" aria-label=\"{lang_label}\">{lang_words}</button>\
         <button type=\"button\" class=\"tool-button\" id=\"elder\" aria-pressed=\"{pressed}\" title=\"{elder_label}\">{elder_words}</button>\
         </div></div>\
         <div class=\"site-nav-band\"><nav class=\"site-nav\" aria-label=\"{nav_label}\">{nav}</nav></div></header>",
        skip = esc(t.skip_to_content),
        home = esc(masthead.home),
        name = esc(masthead.name),
        under = masthead.tagline.1,
        tagline = esc(masthead.tagline.0),
        lang_label = esc(t.switch_language_label),
        lang_words = esc(t.switch_language),
        pressed = if elder { "true" } else { "false" },
        elder_label = esc(t.elder_mode_label),
        elder_words = esc(t.elder_mode),
        nav_label = esc(masthead.nav_label),
    )
}

/// The skip link and the site header at `path` (its navigation entry marked current), in `lang`,
/// with elder mode shown `elder` (on or off).
pub fn header_html(lang: Lang, path: &str, elder: bool) -> String {
    let t = text(lang);
    let masthead = Masthead {
        home: "/",
        name: t.site_name,
        tagline: (t.site_tagline, "brand__tagline"),
        nav_label: t.nav_label,
        entries: entries(t)
            .into_iter()
            .map(|(href, words)| (href, words, elsewhere(path, href)))
            .collect(),
    };
    masthead_html(lang, path, elder, &masthead)
}

/// The staff console's header at `path`: the same markup as the citizens' ([`header_html`]),
/// with the console's name under the site's, its navigation `entries` (address and words, all pages of the
/// console) under `nav_label`, and the brand leading to `home`.
pub fn console_header_html(
    lang: Lang,
    path: &str,
    elder: bool,
    (home, console): (&str, &str),
    nav_label: &str,
    entries: &[(&str, &str)],
) -> String {
    let masthead = Masthead {
        home,
        name: text(lang).site_name,
        tagline: (console, "brand__console"),
        nav_label,
        entries: entries
            .iter()
            .map(|&(href, words)| (href, words, ""))
            .collect(),
    };
    masthead_html(lang, path, elder, &masthead)
}

/// The site footer of the page at `path`, in `lang`.
pub fn footer_html(lang: Lang, path: &str) -> String {
    let t = text(lang);
    format!(
        "<footer class=\"site-footer\"><p>{}</p><p>{}</p><p class=\"site-footer__links\">\
         <a href=\"/partners\"{}>{}</a><a href=\"/staff/login\" rel=\"external\">{}</a></p></footer>",
        esc(t.footer_about),
        esc(t.footer_data),
        elsewhere(path, "/partners"),
        esc(t.footer_partners),
        esc(t.footer_staff)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_marks_the_service_of_the_page_and_speaks_its_language() {
        let html = header_html(Lang::Zh, "/rewards/7", false);
        // Other bundles' pages are loaded by the browser, not this bundle's router.
        assert!(
            html.contains("href=\"/lookup\" rel=\"external\">查询</a>"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/publicity\" rel=\"external\">"),
            "{html}"
        );
        let publicity = header_html(Lang::Zh, "/publicity", false);
        assert!(publicity.contains("href=\"/publicity\" rel=\"external\" aria-current=\"page\">"));
        assert!(
            html.contains(
                "<a class=\"site-nav__link\" href=\"/rewards\" aria-current=\"page\">悬赏</a>"
            ),
            "{html}"
        );
        assert_eq!(html.matches("aria-current").count(), 1);
        assert!(html.contains("id=\"lang\" lang=\"en\""));
        assert!(html.contains("aria-pressed=\"false\""));
        assert!(html.contains("aria-label=\"主导航\""));
        // Tips are a bundle of their own: the rewards entry is current, and loaded anew.
        let en = header_html(Lang::En, "/tips/new", true);
        assert!(
            en.contains("href=\"/rewards\" rel=\"external\" aria-current=\"page\">Rewards</a>"),
            "{en}"
        );
        assert!(en.contains("aria-pressed=\"true\""));
        assert!(en.contains(">中文</button>"));
        for (path, entry) in [
            ("/", None),
            ("/lookup", Some("/lookup")),
            ("/notices/3", Some("/lookup")),
            ("/certificates/apply", Some("/certificates")),
            ("/certificates/verify", None),
            ("/publicity/statistics", Some("/publicity")),
            ("/parties/cases", Some("/parties")),
            ("/partners", None),
            ("/rewardsx", None),
        ] {
            let hrefs = entries(&ZH).map(|(href, _)| href);
            assert_eq!(current(path, hrefs), entry, "{path}");
        }
    }

    #[test]
    fn the_console_header_is_the_same_markup_with_its_own_navigation() {
        let entries = [("/staff/tips", "线索审核"), ("/staff/articles", "文章发布")];
        let html = console_header_html(
            Lang::Zh,
            "/staff/tips/9",
            true,
            ("/staff/tips", "工作台"),
            "工作台导航",
            &entries,
        );
        // The console's pages are the console's own: no link is left to the browser.
        assert!(!html.contains("rel=\"external\""), "{html}");
        assert!(html.contains(
            "<a class=\"site-nav__link\" href=\"/staff/tips\" aria-current=\"page\">线索审核</a>"
        ));
        assert_eq!(html.matches("aria-current").count(), 1);
        assert!(html.contains("<a class=\"brand\" href=\"/staff/tips\">"));
        assert!(html.contains(
            "<span class=\"brand__name\">执行公开</span><span class=\"brand__console\">工作台</span>"
        ));
        assert!(html.contains("aria-label=\"工作台导航\""));
        assert!(html.contains("aria-pressed=\"true\""));
        // The same header as the citizens' pages, up to the brand's address and the navigation.
        let citizens = header_html(Lang::Zh, "/lookup", true);
        let head = |h: &str| h[..h.find("<a class=\"brand\"").unwrap()].to_owned();
        assert_eq!(head(&html), head(&citizens));
        // An entry below another is current under itself only.
        let nested = [("/staff/party", "A"), ("/staff/party/requests", "B")];
        assert_eq!(
            current("/staff/party/requests/3", nested.map(|(h, _)| h)),
            Some("/staff/party/requests")
        );
    }

    #[test]
    fn the_footer_lets_the_browser_load_the_staff_console() {
        let html = footer_html(Lang::En, "/lookup");
        assert!(footer_html(Lang::Zh, "/parties/cases")
            .contains("<a href=\"/partners\" rel=\"external\">"));
        assert!(html.contains("<a href=\"/staff/login\" rel=\"external\">Staff sign-in</a>"));
        assert!(html.contains("<a href=\"/partners\">For partners</a>"));
    }
}
