//! Markdown to HTML, once, when staff save an article: `pulldown-cmark`, then `ammonia` with an
//! allowlist. Staff write Markdown, not HTML: raw HTML in the text (other than comments) and links
//! or images to anything but http(s), mailto and tel are refused with a clear message, so nothing
//! dangerous is ever stored; the allowlist is the second wall, in case a parser ever lets
//! something through.

use std::collections::HashSet;

use portal_core::{ErrorCode, Invalid};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// An article's HTML and its plain text (for a summary and the feed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Whether a link or image address is allowed: one of [`SCHEMES`], or a path on this site.
fn allowed_url(url: &str) -> bool {
    let url = url.trim();
    // A scheme is letters, digits, `+ - .` before the first `:`, with no `/ ? #` before it.
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => {
            let scheme = url[..colon].to_ascii_lowercase();
            SCHEMES.contains(&scheme.as_str())
        }
        _ => !url.starts_with("//"),
    }
}

fn line_of(markdown: &str, offset: usize) -> usize {
    markdown[..offset.min(markdown.len())].matches('\n').count() + 1
}

fn refused(zh: String, en: String) -> Invalid {
    Invalid::new(ErrorCode::InvalidValue, zh, en)
}

/// Renders `markdown`, or says what in it is not allowed (the first problem, with its line).
pub fn render(markdown: &str) -> Result<Rendered, Invalid> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events = Vec::new();
    let mut text = String::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        let line = line_of(markdown, range.start);
        match &event {
            Event::Html(html) | Event::InlineHtml(html) => {
                let html = html.trim();
                if !(html.starts_with("<!--") || html.is_empty()) {
                    let shown: String = html.chars().take(30).collect();
                    return Err(refused(
                        format!(
                            "第 {line} 行：正文中不能使用 HTML 标签（{shown}），请用 Markdown 写"
                        ),
                        format!("line {line}: HTML tags are not allowed ({shown}); write Markdown"),
                    ));
                }
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. })
                if !allowed_url(dest_url) =>
            {
                let shown: String = dest_url.chars().take(30).collect();
                return Err(refused(
                    format!("第 {line} 行：链接只能是 http、https、mailto 或 tel 地址（{shown}）"),
                    format!(
                        "line {line}: links must be http, https, mailto or tel addresses ({shown})"
                    ),
                ));
            }
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => text.push(' '),
            _ => {}
        }
        events.push(event);
    }
    let mut raw = String::new();
    pulldown_cmark::html::push_html(&mut raw, events.into_iter());
    Ok(Rendered {
        html: clean(&raw),
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

/// The allowlist: text structure, links, images, tables; no script, style, iframe, svg, math,
/// form, object or event handler; links get `rel="noopener noreferrer"`.
fn clean(html: &str) -> String {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ]
    .into_iter()
    .collect();
    ammonia::Builder::default()
        .tags(tags)
        .url_schemes(SCHEMES.iter().copied().collect())
        .link_rel(Some("noopener noreferrer"))
        .tag_attributes(
            [
                ("a", ["href", "title"].into_iter().collect()),
                ("img", ["src", "alt", "title"].into_iter().collect()),
                ("ol", ["start"].into_iter().collect()),
                ("th", ["align"].into_iter().collect()),
                ("td", ["align"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .generic_attributes(HashSet::new())
        .clean(html)
        .to_string()
}

/// A summary from the text: its first 100 characters, cut at a word or sentence if one is near.
pub fn summary_of(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 100 {
        return text.to_owned();
    }
    let cut = chars[..100]
        .iter()
        .rposition(|c| matches!(c, '。' | '；' | '，' | ' '))
        .filter(|&i| i > 60)
        .map_or(100, |i| i + 1);
    format!("{}…", chars[..cut].iter().collect::<String>().trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_plain_structure() {
        let r = render("## 怎样申请\n\n1. 带**身份证**\n2. 到[法院](https://example.gov.cn/a?b=1)\n\n| 项目 | 期限 |\n|---|---|\n| 删除 | 3 个工作日 |").unwrap();
        assert!(r.html.contains("<h2>怎样申请</h2>"), "{}", r.html);
        assert!(r.html.contains("<strong>身份证</strong>"));
        assert!(
            r.html.contains(
                "<a href=\"https://example.gov.cn/a?b=1\" rel=\"noopener noreferrer\">法院</a>"
            ),
            "{}",
            r.html
        );
        assert!(r.html.contains("<td>3 个工作日</td>"));
        assert!(
            r.text.starts_with("怎样申请 带身份证 到法院 项目 期限"),
            "{}",
            r.text
        );
    }

    /// Payloads in the manner of the OWASP XSS filter-evasion cheat sheet: each is refused with a
    /// message naming its line.
    #[test]
    fn script_and_its_disguises_are_refused() {
        let corpus = [
            "<script>alert(1)</script>",
            "text <SCRIPT SRC=//x.example/x.js></SCRIPT>",
            "<img src=x onerror=alert(1)>",
            "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
            "<svg onload=alert(1)>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<iframe src=\"https://x.example\"></iframe>",
            "<style>body{background:url(javascript:alert(1))}</style>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<form action=javascript:alert(1)><input type=submit></form>",
            "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
            "<embed src=\"https://x.example/x.swf\">",
            "<base href=\"javascript:alert(1)//\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
            "<details open ontoggle=alert(1)>",
            "<body onload=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](  javascript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![x](javascript:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "[x](//evil.example/path)",
            "<javascript:alert(1)>",
            "第一段\n\n<p onclick=\"alert(1)\">第二段</p>",
        ];
        for payload in corpus {
            match render(payload) {
                Err(e) => assert!(e.zh.starts_with("第 "), "{payload}: {}", e.zh),
                Ok(r) => assert_safe(payload, &r.html),
            }
        }
    }

    /// What is not refused (text that only looks like a tag) comes out as harmless text.
    fn assert_safe(payload: &str, html: &str) {
        let lower = html.to_ascii_lowercase();
        for bad in [
            "<script",
            "<svg",
            "<math",
            "<iframe",
            "<style",
            "<form",
            "<object",
            "<embed",
            "<base",
            "<meta",
            " on",
            "style=",
            "href=\"javascript",
            "href=\"data",
            "src=\"javascript",
            "src=\"data",
            "href=\"vbscript",
        ] {
            assert!(!lower.contains(bad), "{payload} → {html} has {bad}");
        }
    }

    #[test]
    fn the_allowlist_alone_strips_what_a_parser_might_let_through() {
        let dirty = "<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:alert(1)\">b</a>\
                     <img src=\"data:image/png;base64,AAAA\" onerror=\"x()\"><svg><circle/></svg><iframe></iframe></p>";
        let html = clean(dirty);
        assert_safe(dirty, &html);
        assert_eq!(html, "<p>a<a rel=\"noopener noreferrer\">b</a><img></p>");
    }

    #[test]
    fn plain_comparisons_and_autolinks_are_not_tags() {
        let r = render("金额 < 1 万元，期限 3<5 天。见 <https://example.gov.cn>").unwrap();
        assert!(r.html.contains("金额 &lt; 1 万元"), "{}", r.html);
        assert!(
            r.html
                .contains("<a href=\"https://example.gov.cn\" rel=\"noopener noreferrer\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn summaries_are_cut_near_a_sentence_end() {
        assert_eq!(summary_of("短文。"), "短文。");
        let long = format!("{}。{}", "甲".repeat(80), "乙".repeat(60));
        assert_eq!(summary_of(&long), format!("{}。…", "甲".repeat(80)));
    }
}
