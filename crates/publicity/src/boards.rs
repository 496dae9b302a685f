//! The exposure board (曝光台) and the honour list (诚信履行榜) as HTML text (pure functions,
//! tested natively): a province filter, the entries, a pager.

use portal_core::{
    parse_lists,
    publicity::{ExposurePage, HonourPage, BOARD_PAGE},
    Lang, PROVINCES,
};
use portal_lite::esc;

use crate::text::text;

/// The province filter, a plain GET form so it works before and without the app.
pub fn province_form(lang: Lang, action: &str, chosen: &str) -> String {
    let t = text(lang);
    let mut options = format!(
        "<option value=\"\"{}>{}</option>",
        if chosen.is_empty() { " selected" } else { "" },
        t.all_provinces
    );
    for p in PROVINCES {
        options.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>",
            p.code,
            if p.code == chosen { " selected" } else { "" },
            p.name(lang)
        ));
    }
    format!(
        "<form class=\"card board-filter\" action=\"{action}\" method=\"get\">\
         <div class=\"field\"><label class=\"field__label\" for=\"province\">{}</label>\
         <select class=\"field__input\" id=\"province\" name=\"province\">{options}</select></div>\
         <button class=\"button button--primary\" type=\"submit\">{}</button></form>",
        t.province, t.apply
    )
}

fn pager(lang: Lang, base: &str, province: &str, page: i64, total: i64) -> String {
    let t = text(lang);
    let pages = (total + BOARD_PAGE - 1) / BOARD_PAGE;
    if pages <= 1 {
        return String::new();
    }
    let href = |p: i64| {
        if province.is_empty() {
            format!("{base}?page={p}")
        } else {
            format!("{base}?province={}&amp;page={p}", esc(province))
        }
    };
    let mut html = format!("<nav class=\"pager\" aria-label=\"{}\">", t.pages);
    if page > 1 {
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"prev\">{}</a>",
            href(page - 1),
            t.previous
        ));
    }
    html.push_str(&format!("<span>{}</span>", (t.page_of)(page, pages)));
    if page < pages {
        html.push_str(&format!(
            "<a href=\"{}\" rel=\"next\">{}</a>",
            href(page + 1),
            t.next
        ));
    }
    html.push_str("</nav>");
    html
}

/// The exposure board's entries, masked as the server gave them.
pub fn exposure(lang: Lang, p: &ExposurePage, province: &str) -> String {
    let t = text(lang);
    if p.entries.is_empty() {
        return format!("<p class=\"status\">{}</p>", t.board_empty);
    }
    let mut html = format!(
        "<p class=\"period\">{}</p><ul class=\"board\">",
        (t.board_total)(p.total)
    );
    for e in &p.entries {
        let lists = parse_lists(&e.lists)
            .map(|l| {
                l.iter()
                    .map(|k| k.label(lang))
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default();
        html.push_str(&format!(
            "<li class=\"board-item\"><h3 class=\"board-item__name\">{}</h3>\
             <dl class=\"facts\"><div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div>\
             <div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div>\
             <div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div></dl>{}\
             <p class=\"more\"><a href=\"/notices/{}\">{}</a></p></li>",
            esc(&e.name),
            t.id_number,
            esc(&e.masked_id),
            t.case_number,
            esc(&e.case_number),
            t.court,
            esc(&e.court),
            t.lists,
            esc(&lists),
            t.obligation,
            esc(&e.obligation),
            t.published_on,
            esc(&e.published_on),
            e.note
                .as_deref()
                .map(|n| format!(
                    "<p class=\"board-item__note\">{}{}</p>",
                    t.court_note,
                    esc(n)
                ))
                .unwrap_or_default(),
            e.notice_id,
            t.notice_details,
        ));
    }
    html.push_str("</ul>");
    html.push_str(&pager(
        lang,
        "/publicity/exposure",
        province,
        p.page,
        p.total,
    ));
    html
}

/// The honour list: who performed, where and when, and the certificate to verify.
pub fn honour(lang: Lang, p: &HonourPage, province: &str) -> String {
    let t = text(lang);
    if p.entries.is_empty() {
        return format!("<p class=\"status\">{}</p>", t.honour_empty);
    }
    let mut html = format!(
        "<p class=\"period\">{}</p><div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table>\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        (t.honour_total)(p.total),
        t.honour_title,
        t.name,
        t.court,
        t.performed_on,
        t.certificate_number
    );
    for e in &p.entries {
        html.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td><a href=\"/certificates/verify\">{}</a></td></tr>",
            esc(&e.name),
            esc(&e.court),
            esc(&e.performed_on),
            esc(&e.number)
        ));
    }
    html.push_str("</tbody></table></div>");
    html.push_str(&pager(lang, "/publicity/honour", province, p.page, p.total));
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_core::publicity::{ExposureEntry, HonourItem};

    #[test]
    fn the_board_shows_the_masked_entry_escaped_with_its_lists_and_note() {
        let page = ExposurePage {
            total: 41,
            page: 1,
            entries: vec![ExposureEntry {
                notice_id: 9,
                name: "陈<小明>".into(),
                subject_type: "person".into(),
                masked_id: "3302251985****1231".into(),
                case_number: "(2024)浙0225执101号".into(),
                court: "宁波市象山县人民法院".into(),
                province: "33".into(),
                lists: "dishonest;restricted".into(),
                obligation: "支付货款".into(),
                published_on: "2024-08-01".into(),
                note: Some("拒不履行".into()),
            }],
        };
        let html = exposure(Lang::Zh, &page, "33");
        assert!(html.contains("陈&lt;小明&gt;"));
        assert!(html.contains("3302251985****1231"));
        assert!(html.contains("失信被执行人、限制消费"), "{html}");
        assert!(html.contains("法院说明：拒不履行"), "{html}");
        assert!(html.contains("<a href=\"/notices/9\">"));
        assert!(
            html.contains("href=\"/publicity/exposure?province=33&amp;page=2\" rel=\"next\""),
            "{html}"
        );
    }

    #[test]
    fn the_honour_list_is_a_table() {
        let page = HonourPage {
            total: 1,
            page: 1,
            entries: vec![HonourItem {
                name: "某公司".into(),
                court: "宁波市象山县人民法院".into(),
                province: "33".into(),
                performed_on: "2026-11-20".into(),
                number: "0000000013".into(),
            }],
        };
        let html = honour(Lang::En, &page, "");
        assert!(
            html.contains(
                "<tr><th scope=\"row\">某公司</th><td>宁波市象山县人民法院</td><td>2026-11-20</td>"
            ),
            "{html}"
        );
        assert!(!html.contains("pager"));
    }
}
