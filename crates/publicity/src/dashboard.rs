//! The statistics dashboard as HTML text: the filters, each indicator with its value, formula,
//! numerator and denominator, a trend chart and a by-court chart of the chosen indicator, each
//! with its table, and the CSV of exactly these figures. Pure functions, tested natively.

use portal_core::{
    numbers::group_digits,
    province_by_code,
    statistics::{Breakdown, CourtChoice, Indicator, IndicatorValue, Statistics, Unit},
    Lang,
};
use portal_lite::esc;

use crate::{
    charts::{self, Point},
    text::text,
};

/// What the visitor chose; each is empty for "all".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    pub province: String,
    pub court: String,
    pub from: String,
    pub to: String,
    pub indicator: Indicator,
}

impl Default for Filters {
    fn default() -> Self {
        Filters {
            province: String::new(),
            court: String::new(),
            from: String::new(),
            to: String::new(),
            indicator: Indicator::RecoveryRate,
        }
    }
}

impl Filters {
    /// From decoded `key=value` pairs of the address.
    pub fn from_pairs(pairs: &[(String, String)]) -> Filters {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        Filters {
            province: get("province"),
            court: get("court"),
            from: get("from"),
            to: get("to"),
            indicator: Indicator::parse(&get("indicator")).unwrap_or(Indicator::RecoveryRate),
        }
    }

    /// The API's filters (without the chart's indicator), as `key=value` pairs still to encode.
    pub fn api_pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("province", self.province.as_str()),
            ("court", self.court.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }
}

fn amount(v: f64, unit: Unit, lang: Lang) -> String {
    let t = text(lang);
    match unit {
        Unit::Yuan => {
            let fen = (v * 100.0).round() as i64;
            format!("{}.{:02} {}", group_digits(fen / 100), fen % 100, t.yuan)
        }
        Unit::Cases => format!("{} {}", group_digits(v.round() as i64), t.cases),
        Unit::Days => format!("{} {}", group_digits(v.round() as i64), t.days),
    }
}

fn value_of(b: &Breakdown, key: Indicator) -> Option<&IndicatorValue> {
    b.indicators.iter().find(|v| v.key == key)
}

fn select(id: &str, label: &str, options: &str) -> String {
    format!(
        "<div class=\"field\" id=\"{id}-field\"><label class=\"field__label\" for=\"{id}\">{label}</label>\
         <select class=\"field__input\" id=\"{id}\" name=\"{id}\">{options}</select>\
         <p class=\"field__error\" id=\"{id}-error\" hidden></p></div>"
    )
}

fn option(value: &str, label: &str, chosen: bool) -> String {
    format!(
        "<option value=\"{}\"{}>{}</option>",
        esc(value),
        if chosen { " selected" } else { "" },
        esc(label)
    )
}

/// The filter form: province, court (grouped by province), first and last month.
pub fn form(lang: Lang, f: &Filters, choices: &[CourtChoice]) -> String {
    let t = text(lang);
    let mut provinces: Vec<&str> = choices.iter().map(|c| c.province.as_str()).collect();
    provinces.dedup();
    let province_name =
        |code: &str| province_by_code(code).map_or(code.to_owned(), |p| p.name(lang).to_owned());
    let mut province_options = option("", t.all_provinces, f.province.is_empty());
    for p in &provinces {
        province_options.push_str(&option(p, &province_name(p), f.province == *p));
    }
    let mut court_options = option("", t.all_courts, f.court.is_empty());
    for p in &provinces {
        court_options.push_str(&format!("<optgroup label=\"{}\">", esc(&province_name(p))));
        for c in choices.iter().filter(|c| c.province == *p) {
            court_options.push_str(&option(&c.court, &c.court, f.court == c.court));
        }
        court_options.push_str("</optgroup>");
    }
    let month = |id: &str, label: &str, value: &str| {
        format!(
            "<div class=\"field\" id=\"{id}-field\"><label class=\"field__label\" for=\"{id}\">{label}</label>\
             <input class=\"field__input\" type=\"month\" id=\"{id}\" name=\"{id}\" value=\"{}\" min=\"2000-01\" max=\"2099-12\" aria-describedby=\"{id}-error\">\
             <p class=\"field__error\" id=\"{id}-error\" hidden></p></div>",
            esc(value)
        )
    };
    format!(
        "<form class=\"card filters\" id=\"filters\" novalidate><h2 class=\"filters__title\">{}</h2>\
         <div class=\"filters__grid\">{}{}{}{}</div>\
         <button class=\"button button--primary button--block\" type=\"submit\">{}</button></form>",
        t.filters,
        select("province", t.province, &province_options),
        select("court", t.court, &court_options),
        month("from", t.from, &f.from),
        month("to", t.to, &f.to),
        t.apply
    )
}

/// The table beside a chart: label, value, numerator, denominator.
fn table(lang: Lang, first: &str, rows: &[Breakdown], key: Indicator) -> String {
    let t = text(lang);
    let ((_, nu), (_, du)) = key.parts(lang);
    // Wider than a phone: the table scrolls, and the keyboard can scroll it too.
    let mut html = format!(
        "<details class=\"table-view\"><summary>{}</summary>\
         <div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{} · {first}\"><table>\
         <thead><tr><th scope=\"col\">{first}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t.table_view, key.label(lang), t.value, t.numerator, t.denominator
    );
    for b in rows {
        if let Some(v) = value_of(b, key) {
            html.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&b.label),
                esc(&v.shown(lang)),
                esc(&amount(v.numerator, nu, lang)),
                esc(&amount(v.denominator, du, lang)),
            ));
        }
    }
    html.push_str("</tbody></table></div></details>");
    html
}

fn points(rows: &[Breakdown], key: Indicator, lang: Lang) -> Vec<Point> {
    rows.iter()
        .map(|b| {
            let v = value_of(b, key);
            Point {
                label: b.label.clone(),
                value: v.and_then(|v| v.value),
                shown: v.map_or("—".to_owned(), |v| v.shown(lang)),
            }
        })
        .collect()
}

/// The chart's indicator chooser.
pub fn chooser(lang: Lang, chosen: Indicator) -> String {
    let t = text(lang);
    let options: String = Indicator::ALL
        .iter()
        .map(|i| option(i.as_str(), i.label(lang), *i == chosen))
        .collect();
    select("indicator", t.chart_indicator, &options)
}

/// The two charts of the chosen indicator, each with its table.
pub fn charts(lang: Lang, s: &Statistics, key: Indicator) -> String {
    let t = text(lang);
    let name = key.label(lang);
    let series = points(&s.series, key, lang);
    let valued: Vec<&Point> = series.iter().filter(|p| p.value.is_some()).collect();
    let trend_caption = match (valued.first(), valued.last()) {
        (Some(a), Some(b)) => (t.trend_caption)(name, &a.label, &a.shown, &b.label, &b.shown),
        _ => name.to_owned(),
    };
    let courts = points(&s.courts, key, lang);
    let top = courts.iter().filter(|p| p.value.is_some()).max_by(|a, b| {
        a.value
            .partial_cmp(&b.value)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let bars_caption = match top {
        Some(p) => (t.bars_caption)(name, &p.label, &p.shown),
        None => name.to_owned(),
    };
    format!(
        "<section class=\"section\" aria-labelledby=\"trend-heading\"><h2 id=\"trend-heading\">{}</h2>{}{}</section>\
         <section class=\"section\" aria-labelledby=\"courts-heading\"><h2 id=\"courts-heading\">{}</h2>{}{}</section>",
        t.trend,
        charts::line("trend", &trend_caption, &(t.trend_desc)(series.len(), name), &series, key.is_rate()),
        table(lang, t.month, &s.series, key),
        t.by_court,
        charts::bars("courts", &bars_caption, &(t.bars_desc)(courts.len(), name), &courts, key.is_rate()),
        table(lang, t.court, &s.courts, key),
    )
}

/// Every indicator: its value, then numerator ÷ denominator with their words, and its definition.
pub fn cards(lang: Lang, s: &Statistics) -> String {
    let t = text(lang);
    let mut html = String::from("<ul class=\"indicators\">");
    for i in &s.indicators {
        let f = &i.figure;
        let du = if f.key == Indicator::RecoveryRate {
            Unit::Yuan
        } else {
            Unit::Cases
        };
        html.push_str(&format!(
            "<li class=\"indicator\" data-indicator=\"{}\"><h3 class=\"indicator__name\">{}</h3>\
             <p class=\"indicator__value\">{}</p>\
             <p class=\"indicator__parts\"><span>{}：{} {}</span><span>{}：{} {}</span></p>\
             <details class=\"indicator__how\"><summary>{}</summary><p>{}</p></details></li>",
            f.key.as_str(),
            esc(&i.name),
            esc(&f.shown(lang)),
            t.numerator,
            esc(&i.numerator_label),
            esc(&amount(f.numerator, i.unit, lang)),
            t.denominator,
            esc(&i.denominator_label),
            esc(&amount(f.denominator, du, lang)),
            t.how,
            esc(&i.definition),
        ));
    }
    html.push_str("</ul>");
    html
}

/// A few indicators as big figures, each with its numerator and denominator in words.
pub fn headline(lang: Lang, s: &Statistics, keys: &[Indicator]) -> String {
    let t = text(lang);
    let (Some(from), Some(to)) = (&s.from, &s.to) else {
        return format!("<p class=\"status\">{}</p>", t.empty);
    };
    let mut html = String::from("<dl class=\"figures\">");
    for key in keys {
        if let Some(i) = s.indicators.iter().find(|i| i.figure.key == *key) {
            html.push_str(&format!(
                "<div class=\"figure\"><dt>{}</dt><dd class=\"figure__value\">{}</dd><dd class=\"figure__parts\">{} ÷ {}</dd></div>",
                esc(&i.name),
                esc(&i.figure.shown(lang)),
                esc(&i.numerator_label),
                esc(&i.denominator_label),
            ));
        }
    }
    html.push_str(&format!(
        "</dl><p class=\"period\">{}</p>",
        esc(&(t.period)(from, to))
    ));
    html
}

/// Everything below the form for one answer; `csv_href` is the CSV address of these filters.
pub fn results(lang: Lang, s: &Statistics, f: &Filters, csv_href: &str, as_of: &str) -> String {
    let t = text(lang);
    let (Some(from), Some(to)) = (&s.from, &s.to) else {
        return format!("<p class=\"status\" role=\"status\">{}</p>", t.empty);
    };
    format!(
        "<p class=\"period\" role=\"status\">{}<br>{}</p>{}{}<div id=\"charts\">{}</div>\
         <p class=\"csv\"><a href=\"{}\" download>{}</a></p><p class=\"hint\">{}</p>",
        esc(&(t.period)(from, to)),
        esc(&(t.data_as_of)(as_of)),
        cards(lang, s),
        chooser(lang, f.indicator),
        charts(lang, s, f.indicator),
        esc(csv_href),
        t.csv,
        t.csv_wechat
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;
    use portal_core::statistics::{statistics, Figures, Month, StatRow};

    fn answer() -> Statistics {
        let row = |court: &str, month: u8, closed: u64| StatRow {
            court: court.into(),
            month: Month { year: 2026, month },
            figures: Figures {
                pending_start: 100,
                received: 50,
                closed,
                closed_actual: closed / 2,
                closed_terminated: closed / 4,
                voluntary: closed / 8,
                amount_applied: 100_000_000,
                amount_recovered: 40_000_000,
                days_total: closed * 90,
            },
        };
        statistics(
            &[
                row("甲<法院>", 8, 60),
                row("甲<法院>", 9, 80),
                row("乙法院", 9, 40),
            ],
            Some("2026-10-05T02:00:00Z".into()),
            vec![CourtChoice {
                court: "甲<法院>".into(),
                province: "33".into(),
            }],
            Lang::Zh,
        )
    }

    #[test]
    fn every_indicator_shows_its_parts_and_definition() {
        let html = parse(&cards(Lang::Zh, &answer()));
        assert_eq!(html.classed("indicator").len(), 6);
        // 执行到位率 over the three rows: 1,200,000 of 3,000,000 yuan.
        let values: Vec<String> = html
            .classed("indicator__value")
            .iter()
            .map(|v| v.text())
            .collect();
        assert!(values.iter().any(|v| v == "40.0%"), "{values:?}");
        let text = html.text();
        for part in [
            "分子：执行到位金额 1,200,000.00 元",
            "分母：申请执行金额 3,000,000.00 元",
            "分子：结案天数之和 16,200 天",
        ] {
            assert!(text.contains(part), "{part} in {text}");
        }
    }

    #[test]
    fn charts_and_tables_hold_the_same_figures_escaped() {
        let s = answer();
        let raw = charts(Lang::Zh, &s, Indicator::AverageDays);
        assert!(!raw.contains("甲<法院>"), "{raw}");
        let html = parse(&raw);
        let text = html.text();
        assert!(
            text.contains("平均结案天数：2026-08 为 90.0 天，2026-09 为 90.0 天"),
            "{text}"
        );
        assert!(text.contains("甲<法院>"), "{text}");
        // One table row per month and per court.
        let row_heads = html.all(&|e| e.name == "th" && e.attr("scope") == Some("row"));
        assert_eq!(row_heads.len(), 2 + 2);
        let form = parse(&form(Lang::En, &Filters::default(), &s.court_choices));
        assert!(form
            .named("optgroup")
            .iter()
            .any(|g| g.attr("label") == Some("Zhejiang")));
        assert!(form
            .named("option")
            .iter()
            .any(|o| o.attr("value") == Some("甲<法院>")));
    }

    #[test]
    fn filters_read_back_from_the_address() {
        let pairs = vec![
            ("province".to_owned(), "33".to_owned()),
            ("indicator".to_owned(), "closure_rate".to_owned()),
            ("from".to_owned(), " ".to_owned()),
        ];
        let f = Filters::from_pairs(&pairs);
        assert_eq!(f.indicator, Indicator::ClosureRate);
        assert_eq!(f.api_pairs(), vec![("province", "33")]);
        assert_eq!(Filters::from_pairs(&[]).indicator, Indicator::RecoveryRate);
    }
}
