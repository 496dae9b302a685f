//! Enforcement publicity (`/publicity`, `/publicity/statistics`): a bundle of its own with no
//! framework, like the certificate verification page, so the portal's first load does not grow
//! with it and a cheap phone draws the charts fast. Charts are SVG text drawn by our own code.

mod articles;
mod boards;
mod charts;
mod dashboard;
#[cfg(test)]
mod markup;
mod text;

use portal_core::{
    article::{ArticleDetail, ArticleKind, ArticlesResponse},
    publicity::{ExposurePage, HonourPage},
    statistics::{Indicator, Statistics},
    Lang,
};
use portal_lite::{by_id, field_error, focus, get, on, set_html, window};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use crate::{dashboard::Filters, text::text};

/// The address's query as decoded pairs.
fn query_pairs() -> Vec<(String, String)> {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| {
                js_sys::decode_uri_component(&s.replace('+', " "))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(v))))
        .collect::<Vec<_>>()
        .join("&")
}

fn value(id: &str) -> String {
    by_id(id)
        .and_then(|e| {
            e.clone()
                .dyn_into::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .or_else(|_| e.dyn_into::<web_sys::HtmlInputElement>().map(|i| i.value()))
                .ok()
        })
        .unwrap_or_default()
}

/// The filters as the form has them now.
fn form_filters() -> Filters {
    Filters::from_pairs(
        &["province", "court", "from", "to", "indicator"]
            .iter()
            .map(|k| (k.to_string(), value(k)))
            .collect::<Vec<_>>(),
    )
}

/// Keeps the filters in the address, so the view can be shared and reloaded.
fn remember(f: &Filters) {
    let mut pairs = f.api_pairs();
    pairs.push(("indicator", f.indicator.as_str()));
    let url = format!("/publicity/statistics?{}", encode(&pairs));
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Loads the figures for `f` and draws them.
async fn load(lang: Lang, f: Filters) {
    let t = text(lang);
    set_html(
        "results",
        &format!("<p class=\"status\" role=\"status\">{}</p>", t.loading),
    );
    let query = encode(&f.api_pairs());
    let answer = get(&format!("/api/v1/statistics?{query}"), lang).await;
    let (status, body) = match answer {
        Ok(a) => a,
        Err(()) => {
            set_html("results", &problem(t.load_failed));
            return;
        }
    };
    if status == 422 {
        // A filter the server refused: said at its field.
        let field = portal_lite::field(
            &js_sys::Reflect::get(&body, &"error".into()).unwrap_or_default(),
            "field",
        )
        .unwrap_or_default();
        let message = portal_lite::error_message(&body).unwrap_or_default();
        set_html("results", "");
        if field_error(&field, Some(&message)) {
            focus(&field);
        } else {
            set_html("results", &problem(&message));
        }
        return;
    }
    let Some(s) = parse::<Statistics>(&body).filter(|_| status == 200) else {
        set_html(
            "results",
            &problem(
                &portal_lite::error_message(&body).unwrap_or_else(|| t.load_failed.to_owned()),
            ),
        );
        return;
    };
    if by_id("filters").is_none() {
        set_html("form", &dashboard::form(lang, &f, &s.court_choices));
        bind_form(lang);
    }
    let as_of = s
        .data_as_of
        .as_deref()
        .map(portal_lite::beijing_rfc3339)
        .unwrap_or_default();
    let csv = format!("/api/v1/statistics.csv?{query}");
    set_html("results", &dashboard::results(lang, &s, &f, &csv, &as_of));
    // The charts follow the indicator chooser without asking the server again.
    if let Some(chooser) = by_id("indicator") {
        on(&chooser, "change", move |_| {
            let f = form_filters();
            remember(&f);
            set_html("charts", &dashboard::charts(lang, &s, f.indicator));
        });
    }
}

/// A JSON answer as one of core's types.
fn parse<T: serde::de::DeserializeOwned>(body: &wasm_bindgen::JsValue) -> Option<T> {
    js_sys::JSON::stringify(body)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str(&s).ok())
}

fn problem(message: &str) -> String {
    format!(
        "<p class=\"status status--error\" role=\"alert\">{}</p>{}",
        portal_lite::esc(message),
        portal_lite::retry_button()
    )
}

fn bind_form(lang: Lang) {
    if let Some(form) = by_id("filters") {
        on(&form, "submit", move |ev| {
            ev.prevent_default();
            for id in ["province", "court", "from", "to"] {
                field_error(id, None);
            }
            let f = form_filters();
            remember(&f);
            spawn_local(load(lang, f));
        });
    }
}

fn statistics_page(lang: Lang) {
    let t = text(lang);
    set_html(
        "content",
        &format!(
            "<h1>{}</h1><p class=\"lead\">{}</p><div id=\"form\"></div><div id=\"results\"></div>",
            t.stats_title, t.stats_intro
        ),
    );
    spawn_local(load(lang, Filters::from_pairs(&query_pairs())));
}

/// `/publicity`: headline figures, the articles of a kind, a page at a time.
fn home_page(lang: Lang) {
    let t = text(lang);
    let pairs = query_pairs();
    let get_pair = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let kind = get_pair("kind").and_then(|k| ArticleKind::parse(&k));
    let page = get_pair("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    set_html(
        "content",
        &format!(
            "<h1>{}</h1><p class=\"lead\">{}</p>\
             <section class=\"section\" aria-labelledby=\"figures-heading\"><h2 id=\"figures-heading\">{}</h2>\
             <div id=\"figures\"><p class=\"status\" role=\"status\">{}</p></div>\
             <p><a href=\"/publicity/statistics\">{}</a></p></section>\
             <section class=\"section\" aria-labelledby=\"boards-heading\"><h2 id=\"boards-heading\">{}</h2>\
             <ul class=\"services\"><li><a class=\"service__link\" href=\"/publicity/exposure\"><span class=\"service__title\">{}</span>\
             <span class=\"service__text\">{}</span></a></li><li><a class=\"service__link\" href=\"/publicity/honour\">\
             <span class=\"service__title\">{}</span><span class=\"service__text\">{}</span></a></li></ul></section>\
             <section class=\"section\" aria-labelledby=\"articles-heading\"><h2 id=\"articles-heading\">{}</h2>{}\
             <div id=\"articles\"><p class=\"status\" role=\"status\">{}</p></div>\
             <p class=\"more\"><a href=\"/feed.xml\">{}</a></p></section>",
            t.publicity_title,
            t.publicity_intro,
            t.headline_figures,
            t.loading,
            t.all_statistics,
            t.boards_heading,
            t.exposure_title,
            t.exposure_intro,
            t.honour_title,
            t.honour_intro,
            t.articles_heading,
            articles::kinds(lang, kind),
            t.loading,
            t.feed,
        ),
    );
    spawn_local(async move {
        let mut url = format!("/api/v1/articles?page={page}");
        if let Some(k) = kind {
            url.push_str(&format!("&kind={}", k.as_str()));
        }
        let html = match get(&url, lang).await {
            Ok((200, body)) => parse::<ArticlesResponse>(&body)
                .map(|r| articles::list(lang, &r, kind, &portal_lite::read_time))
                .unwrap_or_else(|| problem(t.load_failed)),
            Ok((_, body)) => problem(
                &portal_lite::error_message(&body).unwrap_or_else(|| t.load_failed.to_owned()),
            ),
            Err(()) => problem(t.load_failed),
        };
        set_html("articles", &html);
    });
    spawn_local(async move {
        // Three headline indicators over every court's figures.
        let html = match get("/api/v1/statistics", lang).await {
            Ok((200, body)) => parse::<Statistics>(&body)
                .map(|s| {
                    dashboard::headline(
                        lang,
                        &s,
                        &[
                            Indicator::RecoveryRate,
                            Indicator::ActualEnforcementRate,
                            Indicator::ClosureRate,
                        ],
                    )
                })
                .unwrap_or_else(|| problem(t.load_failed)),
            _ => problem(t.load_failed),
        };
        set_html("figures", &html);
    });
}

/// `/publicity/exposure` and `/publicity/honour`: a board, by province, a page at a time.
fn board_page(lang: Lang, exposure: bool) {
    let t = text(lang);
    let pairs = query_pairs();
    let get_pair = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let province = get_pair("province").unwrap_or_default();
    let page = get_pair("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .max(1);
    let (title, intro, base) = if exposure {
        (t.exposure_title, t.exposure_intro, "/publicity/exposure")
    } else {
        (t.honour_title, t.honour_intro, "/publicity/honour")
    };
    set_html(
        "content",
        &format!(
            "<h1>{title}</h1><p class=\"lead\">{intro}</p>{}<div id=\"board\"><p class=\"status\" role=\"status\">{}</p></div>",
            boards::province_form(lang, base, &province),
            t.loading
        ),
    );
    spawn_local(async move {
        let mut pairs = vec![("page", page.to_string())];
        if !province.is_empty() {
            pairs.push(("province", province.clone()));
        }
        let query = encode(
            &pairs
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        );
        let api = if exposure {
            "/api/v1/exposure"
        } else {
            "/api/v1/honour"
        };
        let html = match get(&format!("{api}?{query}"), lang).await {
            Ok((200, body)) if exposure => {
                parse::<ExposurePage>(&body).map(|p| boards::exposure(lang, &p, &province))
            }
            Ok((200, body)) => {
                parse::<HonourPage>(&body).map(|p| boards::honour(lang, &p, &province))
            }
            Ok((_, body)) => Some(problem(
                &portal_lite::error_message(&body).unwrap_or_else(|| t.load_failed.to_owned()),
            )),
            Err(()) => None,
        };
        set_html("board", &html.unwrap_or_else(|| problem(t.load_failed)));
    });
}

/// `/publicity/{slug}`: one article.
fn article_page(lang: Lang, slug: String) {
    let t = text(lang);
    // The server wrote the article into the page in this language: nothing to fetch.
    let served = by_id("content").and_then(|c| c.get_attribute("data-content-lang"));
    if served.as_deref() == Some(lang.tag()) {
        if let Some(h1) = portal_lite::document()
            .query_selector("#content h1")
            .ok()
            .flatten()
        {
            portal_lite::document().set_title(&format!(
                "{} · {}",
                h1.text_content().unwrap_or_default(),
                t.site
            ));
        }
        return;
    }
    set_html(
        "content",
        &format!("<p class=\"status\" role=\"status\">{}</p>", t.loading),
    );
    spawn_local(async move {
        let url = format!(
            "/api/v1/articles/{}",
            String::from(js_sys::encode_uri_component(&slug))
        );
        match get(&url, lang).await {
            Ok((200, body)) => match parse::<ArticleDetail>(&body) {
                Some(a) => {
                    portal_lite::document().set_title(&format!("{} · {}", a.summary.title, t.site));
                    set_html(
                        "content",
                        &articles::article(lang, &a, &portal_lite::read_time),
                    );
                }
                None => set_html("content", &problem(t.load_failed)),
            },
            Ok((404, _)) => set_html(
                "content",
                &format!(
                    "<h1>{}</h1><p><a href=\"/publicity\">{}</a></p>",
                    t.article_missing, t.back_to_articles
                ),
            ),
            _ => set_html("content", &problem(t.load_failed)),
        }
    });
}

fn main() {
    let lang = portal_lite::start();
    let t = text(lang);
    let path = window().location().pathname().unwrap_or_default();
    let page = path
        .trim_start_matches("/publicity")
        .trim_matches('/')
        .to_owned();
    let title = match page.as_str() {
        "statistics" => {
            statistics_page(lang);
            t.stats_title
        }
        "" => {
            home_page(lang);
            t.publicity_title
        }
        "exposure" => {
            board_page(lang, true);
            t.exposure_title
        }
        "honour" => {
            board_page(lang, false);
            t.honour_title
        }
        _ => {
            // The article page sets its own title (the article's).
            article_page(lang, page);
            return;
        }
    };
    portal_lite::document().set_title(&format!("{title} · {}", t.site));
}
