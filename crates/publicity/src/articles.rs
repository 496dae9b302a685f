//! The article list and the article page as HTML text (pure functions, tested natively). An
//! article's body is the HTML the server made from Markdown through its allowlist; everything
//! else is escaped here.

use portal_core::{
    article::{ArticleDetail, ArticleKind, ArticleSummary, ArticlesResponse, ARTICLES_PAGE},
    time::court_ymd,
    Lang,
};
use portal_lite::esc;

use crate::text::text;

/// Reads an RFC 3339 time as Unix milliseconds: the browser's parser on the page (the bundle
/// carries none of its own), chrono's in tests.
pub type ReadTime<'a> = &'a dyn Fn(&str) -> i64;

fn byline(a: &ArticleSummary, lang: Lang, read_time: ReadTime) -> String {
    let mut parts = vec![a.kind.label(lang).to_owned()];
    if let Some(c) = &a.court {
        parts.push(c.clone());
    }
    parts.push(court_ymd(read_time(&a.published_at)));
    esc(&parts.join(" · "))
}

/// The kind tabs: links, the current one marked.
pub fn kinds(lang: Lang, current: Option<ArticleKind>) -> String {
    let t = text(lang);
    let mut html = format!(
        "<nav class=\"kinds\" aria-label=\"{}\"><a class=\"kinds__link\" href=\"/publicity\"{}>{}</a>",
        t.article_kinds,
        if current.is_none() { " aria-current=\"page\"" } else { "" },
        t.all_articles
    );
    for k in ArticleKind::ALL {
        html.push_str(&format!(
            "<a class=\"kinds__link\" href=\"/publicity?kind={}\"{}>{}</a>",
            k.as_str(),
            if current == Some(*k) {
                " aria-current=\"page\""
            } else {
                ""
            },
            k.label(lang)
        ));
    }
    html.push_str("</nav>");
    html
}

/// A page of the list, with its pager.
pub fn list(
    lang: Lang,
    r: &ArticlesResponse,
    kind: Option<ArticleKind>,
    read_time: ReadTime,
) -> String {
    let t = text(lang);
    if r.articles.is_empty() {
        return format!("<p class=\"status\">{}</p>", t.no_articles);
    }
    let mut html = String::from("<ul class=\"articles\">");
    for a in &r.articles {
        html.push_str(&format!(
            "<li class=\"article-item\"><a class=\"article-item__link\" href=\"/publicity/{}\">\
             <span class=\"article-item__title\">{}</span></a>\
             <p class=\"article-item__meta\">{}</p><p class=\"article-item__summary\">{}</p></li>",
            esc(&a.slug),
            esc(&a.title),
            byline(a, lang, read_time),
            esc(&a.summary)
        ));
    }
    html.push_str("</ul>");
    let pages = (r.total + ARTICLES_PAGE - 1) / ARTICLES_PAGE;
    if pages > 1 {
        let href = |p: i64| match kind {
            Some(k) => format!("/publicity?kind={}&amp;page={p}", k.as_str()),
            None => format!("/publicity?page={p}"),
        };
        html.push_str(&format!("<nav class=\"pager\" aria-label=\"{}\">", t.pages));
        if r.page > 1 {
            html.push_str(&format!(
                "<a href=\"{}\" rel=\"prev\">{}</a>",
                href(r.page - 1),
                t.previous
            ));
        }
        html.push_str(&format!("<span>{}</span>", (t.page_of)(r.page, pages)));
        if r.page < pages {
            html.push_str(&format!(
                "<a href=\"{}\" rel=\"next\">{}</a>",
                href(r.page + 1),
                t.next
            ));
        }
        html.push_str("</nav>");
    }
    html
}

/// The article page's content.
pub fn article(lang: Lang, a: &ArticleDetail, read_time: ReadTime) -> String {
    portal_core::article::page_html(
        lang,
        &a.summary.title,
        a.summary.kind,
        a.summary.court.as_deref(),
        &court_ymd(read_time(&a.summary.published_at)),
        &a.html,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(n: i64) -> ArticleSummary {
        ArticleSummary {
            slug: format!("20261126-{n}"),
            title: format!("标题<{n}>"),
            kind: ArticleKind::TypicalCase,
            summary: "摘要 & 说明".into(),
            published_at: "2026-11-25T16:30:00Z".into(),
            court: Some("宁波市象山县人民法院".into()),
            province: Some("33".into()),
        }
    }

    fn read_time(at: &str) -> i64 {
        portal_core::time::parse_rfc3339(at).unwrap()
    }

    #[test]
    fn the_list_escapes_everything_and_pages_by_kind() {
        let r = ArticlesResponse {
            total: 23,
            page: 2,
            articles: vec![item(1)],
        };
        let html = list(Lang::Zh, &r, Some(ArticleKind::TypicalCase), &read_time);
        assert!(
            html.contains("<a class=\"article-item__link\" href=\"/publicity/20261126-1\">"),
            "{html}"
        );
        assert!(html.contains("标题&lt;1&gt;"));
        assert!(
            html.contains("典型案例 · 宁波市象山县人民法院 · 2026-11-26"),
            "{html}"
        );
        assert!(html.contains("摘要 &amp; 说明"));
        assert!(
            html.contains("href=\"/publicity?kind=typical_case&amp;page=1\" rel=\"prev\""),
            "{html}"
        );
        assert!(html.contains("第 2 / 3 页"), "{html}");
        assert!(html.contains("page=3\" rel=\"next\""));
    }

    #[test]
    fn the_article_keeps_the_servers_html_and_escapes_its_title() {
        let a = ArticleDetail {
            summary: item(7),
            html: "<p><strong>正文</strong></p>".into(),
        };
        let html = article(Lang::En, &a, &read_time);
        assert!(html.contains("<h1>标题&lt;7&gt;</h1>"));
        assert!(html.contains("<p><strong>正文</strong></p>"));
        assert!(
            html.contains("Typical case · 宁波市象山县人民法院 · 2026-11-26"),
            "{html}"
        );
    }

    #[test]
    fn the_current_kind_is_marked() {
        let html = kinds(Lang::Zh, Some(ArticleKind::Guide));
        assert!(html.contains("<a class=\"kinds__link\" href=\"/publicity?kind=guide\" aria-current=\"page\">办事指南</a>"), "{html}");
        assert_eq!(html.matches("aria-current").count(), 1);
    }
}
