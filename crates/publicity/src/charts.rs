//! Charts drawn as SVG text by our own code (no charting library): a trend line over months and
//! bars by court. Each is a `<figure>` whose caption states the headline in words; the SVG has
//! `<title>` and `<desc>`, and every value is a focusable point with its own label, so a screen
//! reader or a keyboard reaches each figure. The table view sits beside each chart.

use portal_lite::esc;

/// One value of a chart: its label (a month or a court), the value and how it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
    pub shown: String,
}

const WIDTH: f64 = 360.0;

/// A round upper bound for the axis: 100 % for rates, else the next 1/2/5 × 10ⁿ above `max`.
fn axis_max(max: f64, is_rate: bool) -> f64 {
    if is_rate {
        return 1.0;
    }
    if max <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&v| v >= max)
        .unwrap_or(10.0 * magnitude)
}

fn tick(v: f64, is_rate: bool) -> String {
    if is_rate {
        format!("{:.0}%", v * 100.0)
    } else {
        format!("{v:.0}")
    }
}

/// A line over months. `id` makes the element ids unique on the page.
pub fn line(id: &str, caption: &str, desc: &str, points: &[Point], is_rate: bool) -> String {
    let (height, left, right, top, bottom) = (220.0, 44.0, 12.0, 12.0, 36.0);
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let max = axis_max(
        points.iter().filter_map(|p| p.value).fold(0.0, f64::max),
        is_rate,
    );
    let n = points.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            left + plot_w / 2.0
        } else {
            left + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + plot_h * (1.0 - v / max);
    let mut svg = format!(
        "<figure class=\"chart\"><figcaption id=\"{id}-caption\" class=\"chart__caption\">{}</figcaption>\
         <svg class=\"chart__svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(caption),
        esc(caption),
        esc(desc)
    );
    // Grid lines and their values: 0, half and the top.
    for frac in [0.0, 0.5, 1.0] {
        let v = max * frac;
        svg.push_str(&format!(
            "<line class=\"chart__grid\" x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"chart__tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - right,
            left - 6.0,
            y(v) + 4.0,
            tick(v, is_rate),
            y = y(v),
        ));
    }
    // The line, broken where a month has no value.
    let mut path = String::new();
    let mut pen_down = false;
    for (i, p) in points.iter().enumerate() {
        match p.value {
            Some(v) => {
                path.push_str(&format!(
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(i),
                    y(v)
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        svg.push_str(&format!(
            "<path class=\"chart__line\" d=\"{}\" fill=\"none\"/>",
            path.trim_end()
        ));
    }
    // Month labels: the first, the middle and the last.
    let mut labelled = vec![0, n / 2, n - 1];
    labelled.dedup();
    for &i in &labelled {
        if let Some(p) = points.get(i) {
            let anchor = if i == 0 {
                "start"
            } else if i == n - 1 {
                "end"
            } else {
                "middle"
            };
            svg.push_str(&format!(
                "<text class=\"chart__tick\" x=\"{:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                x(i),
                height - 12.0,
                esc(&p.label)
            ));
        }
    }
    // Every value a focusable point with its label.
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.value {
            let label = format!("{}：{}", p.label, p.shown);
            svg.push_str(&format!(
                "<g class=\"chart__point\" tabindex=\"0\" role=\"img\" aria-label=\"{label}\">\
                 <title>{label}</title><circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"/></g>",
                x(i),
                y(v),
                label = esc(&label)
            ));
        }
    }
    svg.push_str("</svg></figure>");
    svg
}

/// Horizontal bars, one per court, the court's name above its bar.
pub fn bars(id: &str, caption: &str, desc: &str, points: &[Point], is_rate: bool) -> String {
    let row = 44.0;
    let (left, right) = (4.0, 64.0);
    let height = row * points.len().max(1) as f64 + 8.0;
    let max = axis_max(
        points.iter().filter_map(|p| p.value).fold(0.0, f64::max),
        is_rate,
    );
    let plot_w = WIDTH - left - right;
    let mut svg = format!(
        "<figure class=\"chart\"><figcaption id=\"{id}-caption\" class=\"chart__caption\">{}</figcaption>\
         <svg class=\"chart__svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"group\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(caption),
        esc(caption),
        esc(desc)
    );
    for (i, p) in points.iter().enumerate() {
        let top = 4.0 + row * i as f64;
        let w = p.value.map_or(0.0, |v| plot_w * v / max);
        let label = format!("{}：{}", p.label, p.shown);
        svg.push_str(&format!(
            "<g class=\"chart__bar\" tabindex=\"0\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>\
             <text class=\"chart__label\" x=\"{left}\" y=\"{:.1}\">{}</text>\
             <rect x=\"{left}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"14\" rx=\"2\"/>\
             <text class=\"chart__value\" x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            top + 14.0,
            esc(&p.label),
            top + 20.0,
            left + w + 6.0,
            top + 32.0,
            esc(&p.shown),
            label = esc(&label),
        ));
    }
    svg.push_str("</svg></figure>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{parse, Node};

    fn points(values: &[Option<f64>]) -> Vec<Point> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| Point {
                label: format!("2026-{:02}", i + 1),
                value: *v,
                shown: v.map_or("—".into(), |v| format!("{:.1}%", v * 100.0)),
            })
            .collect()
    }

    /// The caption, the SVG's title and description, each named by the ids the SVG points at.
    fn assert_named(chart: &Node, id: &str, caption: &str, desc: &str) {
        assert_eq!(chart.named("figcaption")[0].text(), caption);
        let svg = chart.named("svg")[0];
        let title = svg.attr("aria-labelledby").expect("a title");
        assert_eq!(chart.by_id(title).text(), caption);
        let described = svg.attr("aria-describedby").expect("a description");
        assert_eq!(chart.by_id(described).text(), desc);
        assert!(
            title.starts_with(id) && described.starts_with(id),
            "ids unique to {id}"
        );
    }

    /// Each value as a keyboard and a screen reader reach it: focusable, labelled, titled.
    fn reachable(marks: &[&Node]) -> Vec<String> {
        marks
            .iter()
            .map(|m| {
                assert_eq!(m.attr("tabindex"), Some("0"));
                assert_eq!(m.attr("role"), Some("img"));
                let label = m.attr("aria-label").expect("a label").to_owned();
                assert_eq!(m.named("title")[0].text(), label);
                label
            })
            .collect()
    }

    #[test]
    fn a_line_chart_draws_its_values_and_breaks_at_a_gap() {
        let chart = parse(&line(
            "t",
            "实际执行率<升>",
            "按月",
            &points(&[Some(0.5), None, Some(0.25), Some(1.0)]),
            true,
        ));
        assert_named(&chart, "t", "实际执行率<升>", "按月");
        // A point for every month with a value; the gap has none.
        let marks = chart.classed("chart__point");
        assert_eq!(
            reachable(&marks),
            ["2026-01：50.0%", "2026-03：25.0%", "2026-04：100.0%"]
        );
        // One line, lifted at the gap: two strokes.
        let lines = chart.classed("chart__line");
        assert_eq!(lines.len(), 1);
        let d = lines[0].attr("d").expect("a path");
        assert_eq!(d.matches('M').count(), 2, "{d}");
        // The axis reads 0 to 100 %; the months at both ends are named.
        let ticks: Vec<String> = chart
            .classed("chart__tick")
            .iter()
            .map(|t| t.text())
            .collect();
        for tick in ["0%", "50%", "100%", "2026-01", "2026-04"] {
            assert!(ticks.iter().any(|t| t == tick), "{tick} in {ticks:?}");
        }
        // Each point sits on its value: 100 % on the top grid line, 50 % on the middle one,
        // 25 % halfway between the middle and the bottom.
        let grid: Vec<f64> = chart
            .classed("chart__grid")
            .iter()
            .map(|g| g.number("y1"))
            .collect();
        let (bottom, middle, top) = (grid[0], grid[1], grid[2]);
        let y: Vec<f64> = marks
            .iter()
            .map(|m| m.named("circle")[0].number("cy"))
            .collect();
        assert_eq!((y[0], y[2]), (middle, top));
        assert!((y[1] - (middle + bottom) / 2.0).abs() < 0.1, "{y:?}");
    }

    #[test]
    fn a_bar_chart_scales_each_court_to_the_axis() {
        let point = |label: &str, value: Option<f64>, shown: &str| Point {
            label: label.into(),
            value,
            shown: shown.into(),
        };
        let chart = parse(&bars(
            "b",
            "平均结案天数",
            "按法院",
            &[
                point("甲法院", Some(90.0), "90.0 天"),
                point("乙法院", None, "—"),
                point("丙法院", Some(100.0), "100.0 天"),
            ],
            false,
        ));
        assert_named(&chart, "b", "平均结案天数", "按法院");
        // A bar for every court, an empty value too (it keeps its row), its name and value as text.
        let marks = chart.classed("chart__bar");
        assert_eq!(
            reachable(&marks),
            ["甲法院：90.0 天", "乙法院：—", "丙法院：100.0 天"]
        );
        for (mark, (court, shown)) in marks.iter().zip([
            ("甲法院", "90.0 天"),
            ("乙法院", "—"),
            ("丙法院", "100.0 天"),
        ]) {
            assert_eq!(mark.classed("chart__label")[0].text(), court);
            assert_eq!(mark.classed("chart__value")[0].text(), shown);
        }
        // The axis ends at 100: 90 draws nine tenths of the full bar, no value none.
        let w: Vec<f64> = marks
            .iter()
            .map(|m| m.named("rect")[0].number("width"))
            .collect();
        assert_eq!(w[1], 0.0);
        assert!((w[0] / w[2] - 0.9).abs() < 0.001, "{w:?}");
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(axis_max(0.42, true), 1.0);
        assert_eq!(axis_max(87.0, false), 100.0);
        assert_eq!(axis_max(130.0, false), 200.0);
        assert_eq!(axis_max(0.0, false), 1.0);
    }
}
