//! Publicity articles (DESIGN §7.7): news, typical cases, campaign results and guides that court
//! staff write in Markdown. The server turns Markdown into HTML once, through an allowlist; these
//! are the kinds, the staff's input and its rules, and the public JSON shapes.

use serde::{Deserialize, Serialize};

use crate::{
    error::{ErrorCode, FieldError, Invalid},
    vocabulary::vocabulary,
};

vocabulary! {
    /// What an article is.
    pub enum ArticleKind {
        News => ("news", "执行动态", "News"),
        TypicalCase => ("typical_case", "典型案例", "Typical case"),
        Campaign => ("campaign", "专项行动", "Campaign results"),
        Guide => ("guide", "办事指南", "Guide"),
    }
}

vocabulary! {
    /// Where an article stands.
    pub enum ArticleStatus {
        Draft => ("draft", "草稿", "Draft"),
        /// Published at a set time, not yet reached.
        Scheduled => ("scheduled", "定时发布", "Scheduled"),
        Published => ("published", "已发布", "Published"),
        Unpublished => ("unpublished", "已撤下", "Unpublished"),
    }
}

/// Articles per page of the public list.
pub const ARTICLES_PAGE: i64 = 10;
pub const TITLE_MAX: usize = 80;
pub const SUMMARY_MAX: usize = 200;
/// Characters of Markdown an article may have.
pub const MARKDOWN_MAX: usize = 50_000;

/// `POST /api/v1/staff/articles` and `PUT …/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleInput {
    pub title: String,
    pub kind: String,
    pub markdown: String,
    pub summary: Option<String>,
    pub court: Option<String>,
    /// Two-digit province code.
    pub province: Option<String>,
}

/// A checked [`ArticleInput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidArticle {
    pub title: String,
    pub kind: ArticleKind,
    pub markdown: String,
    pub summary: Option<String>,
    pub court: Option<String>,
    pub province: Option<String>,
}

fn too_long(max: usize) -> Invalid {
    Invalid::new(
        ErrorCode::InvalidValue,
        format!("最多 {max} 个字"),
        format!("At most {max} characters"),
    )
}

impl ArticleInput {
    pub fn validate(&self) -> Result<ValidArticle, Vec<FieldError>> {
        let mut errors = Vec::new();
        let title = self.title.trim().to_owned();
        if title.is_empty() {
            errors.push(Invalid::missing().at("title"));
        } else if title.chars().count() > TITLE_MAX {
            errors.push(too_long(TITLE_MAX).at("title"));
        }
        let kind = ArticleKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "请选择文章类型",
                    "Choose the kind of article",
                )
                .at("kind"),
            );
        }
        let markdown = self.markdown.trim().replace("\r\n", "\n");
        if markdown.is_empty() {
            errors.push(Invalid::missing().at("markdown"));
        } else if markdown.chars().count() > MARKDOWN_MAX {
            errors.push(too_long(MARKDOWN_MAX).at("markdown"));
        }
        let text = crate::text::given;
        let summary = text(&self.summary);
        if summary
            .as_ref()
            .is_some_and(|s| s.chars().count() > SUMMARY_MAX)
        {
            errors.push(too_long(SUMMARY_MAX).at("summary"));
        }
        let province = text(&self.province);
        if province
            .as_deref()
            .is_some_and(|p| crate::province_by_code(p).is_none())
        {
            errors.push(
                Invalid::new(ErrorCode::InvalidValue, "未知的省份", "Unknown province")
                    .at("province"),
            );
        }
        let court = text(&self.court);
        if court.as_ref().is_some_and(|c| c.chars().count() > 60) {
            errors.push(too_long(60).at("court"));
        }
        match (errors.is_empty(), kind) {
            (true, Some(kind)) => Ok(ValidArticle {
                title,
                kind,
                markdown,
                summary,
                court,
                province,
            }),
            _ => Err(errors),
        }
    }
}

/// `GET /api/v1/articles` filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticlesQuery {
    pub kind: Option<String>,
    pub court: Option<String>,
    pub province: Option<String>,
    pub page: Option<i64>,
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub kind: ArticleKind,
    pub summary: String,
    /// RFC 3339.
    pub published_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
}

/// `GET /api/v1/articles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticlesResponse {
    pub total: i64,
    pub page: i64,
    pub articles: Vec<ArticleSummary>,
}

/// `GET /api/v1/articles/{slug}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDetail {
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// Sanitised HTML, made once from the Markdown on the server.
    pub html: String,
}

/// `POST /api/v1/staff/articles` → `{"id","slug"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleCreated {
    pub id: i64,
    pub slug: String,
}

/// An article as staff see it (`GET /api/v1/staff/articles`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub kind: ArticleKind,
    pub status: ArticleStatus,
    pub markdown: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub court: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// RFC 3339: when it went, or goes, public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_at: Option<String>,
    /// RFC 3339.
    pub updated_at: String,
}

/// `GET /api/v1/staff/articles`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffArticles {
    pub articles: Vec<StaffArticle>,
}

/// `POST …/{id}/publish`: now, or at `at` (RFC 3339) when given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PublishRequest {
    pub at: Option<String>,
}

/// `POST /api/v1/staff/articles/preview` `{"markdown"}` → `{"html"}`: the HTML exactly as it
/// would be published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreviewRequest {
    pub markdown: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub html: String,
}

/// The article as its page shows it: title, byline (kind · court · date), the sanitised body and
/// a link back. The server writes it into the page, so the text is on screen before the app
/// starts, and the publicity bundle draws the same from the API's answer. `date` is the court's
/// `YYYY-MM-DD`; `body_html` is the stored, sanitised HTML.
pub fn page_html(
    lang: crate::Lang,
    title: &str,
    kind: ArticleKind,
    court: Option<&str>,
    date: &str,
    body_html: &str,
) -> String {
    use crate::text::escape_html;
    let mut byline = vec![kind.label(lang)];
    if let Some(c) = court {
        byline.push(c);
    }
    byline.push(date);
    let back = match lang {
        crate::Lang::Zh => "返回执行公开",
        crate::Lang::En => "Back to publicity",
    };
    format!(
        "<article class=\"article\"><h1>{}</h1><p class=\"article__meta\">{}</p>\
         <div class=\"article__body\" lang=\"zh-CN\">{body_html}</div></article>\
         <p class=\"more\"><a href=\"/publicity\">{back}</a></p>",
        escape_html(title),
        escape_html(&byline.join(" · ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_checked_field_by_field() {
        let ok = ArticleInput {
            title: " 象山法院集中执行行动 ".into(),
            kind: "news".into(),
            markdown: "正文\r\n第二行".into(),
            province: Some("33".into()),
            ..Default::default()
        };
        let v = ok.validate().unwrap();
        assert_eq!(v.title, "象山法院集中执行行动");
        assert_eq!(v.markdown, "正文\n第二行");
        assert_eq!(v.kind, ArticleKind::News);
        let bad = ArticleInput {
            title: "长".repeat(81),
            kind: "gossip".into(),
            markdown: " ".into(),
            summary: Some("摘".repeat(201)),
            province: Some("99".into()),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["title", "kind", "markdown", "summary", "province"]);
    }
}
