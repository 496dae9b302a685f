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

    /// Snapshot: the exact SVG of a small line chart, so any change to the drawing is seen.
    #[test]
    fn a_line_chart_draws_its_values_and_breaks_at_a_gap() {
        let svg = line(
            "t",
            "实际执行率<升>",
            "按月",
            &points(&[Some(0.5), None, Some(0.25), Some(1.0)]),
            true,
        );
        assert_eq!(
            svg,
            "<figure class=\"chart\"><figcaption id=\"t-caption\" class=\"chart__caption\">实际执行率&lt;升&gt;</figcaption>\
             <svg class=\"chart__svg\" viewBox=\"0 0 360 220\" role=\"group\" aria-labelledby=\"t-title\" aria-describedby=\"t-desc\">\
             <title id=\"t-title\">实际执行率&lt;升&gt;</title><desc id=\"t-desc\">按月</desc>\
             <line class=\"chart__grid\" x1=\"44\" x2=\"348\" y1=\"184.0\" y2=\"184.0\"/><text class=\"chart__tick\" x=\"38\" y=\"188.0\" text-anchor=\"end\">0%</text>\
             <line class=\"chart__grid\" x1=\"44\" x2=\"348\" y1=\"98.0\" y2=\"98.0\"/><text class=\"chart__tick\" x=\"38\" y=\"102.0\" text-anchor=\"end\">50%</text>\
             <line class=\"chart__grid\" x1=\"44\" x2=\"348\" y1=\"12.0\" y2=\"12.0\"/><text class=\"chart__tick\" x=\"38\" y=\"16.0\" text-anchor=\"end\">100%</text>\
             <path class=\"chart__line\" d=\"M44.0,98.0 M246.7,141.0 L348.0,12.0\" fill=\"none\"/>\
             <text class=\"chart__tick\" x=\"44.0\" y=\"208\" text-anchor=\"start\">2026-01</text>\
             <text class=\"chart__tick\" x=\"246.7\" y=\"208\" text-anchor=\"middle\">2026-03</text>\
             <text class=\"chart__tick\" x=\"348.0\" y=\"208\" text-anchor=\"end\">2026-04</text>\
             <g class=\"chart__point\" tabindex=\"0\" role=\"img\" aria-label=\"2026-01：50.0%\"><title>2026-01：50.0%</title><circle cx=\"44.0\" cy=\"98.0\" r=\"4\"/></g>\
             <g class=\"chart__point\" tabindex=\"0\" role=\"img\" aria-label=\"2026-03：25.0%\"><title>2026-03：25.0%</title><circle cx=\"246.7\" cy=\"141.0\" r=\"4\"/></g>\
             <g class=\"chart__point\" tabindex=\"0\" role=\"img\" aria-label=\"2026-04：100.0%\"><title>2026-04：100.0%</title><circle cx=\"348.0\" cy=\"12.0\" r=\"4\"/></g>\
             </svg></figure>"
        );
    }

    /// Snapshot: bars scale to the axis, an empty value draws no bar but keeps its row.
    #[test]
    fn a_bar_chart_scales_each_court_to_the_axis() {
        let svg = bars(
            "b",
            "平均结案天数",
            "按法院",
            &[
                Point {
                    label: "甲法院".into(),
                    value: Some(90.0),
                    shown: "90.0 天".into(),
                },
                Point {
                    label: "乙法院".into(),
                    value: None,
                    shown: "—".into(),
                },
            ],
            false,
        );
        assert_eq!(
            svg,
            "<figure class=\"chart\"><figcaption id=\"b-caption\" class=\"chart__caption\">平均结案天数</figcaption>\
             <svg class=\"chart__svg\" viewBox=\"0 0 360 96\" role=\"group\" aria-labelledby=\"b-title\" aria-describedby=\"b-desc\">\
             <title id=\"b-title\">平均结案天数</title><desc id=\"b-desc\">按法院</desc>\
             <g class=\"chart__bar\" tabindex=\"0\" role=\"img\" aria-label=\"甲法院：90.0 天\"><title>甲法院：90.0 天</title>\
             <text class=\"chart__label\" x=\"4\" y=\"18.0\">甲法院</text><rect x=\"4\" y=\"24.0\" width=\"262.8\" height=\"14\" rx=\"2\"/>\
             <text class=\"chart__value\" x=\"272.8\" y=\"36.0\">90.0 天</text></g>\
             <g class=\"chart__bar\" tabindex=\"0\" role=\"img\" aria-label=\"乙法院：—\"><title>乙法院：—</title>\
             <text class=\"chart__label\" x=\"4\" y=\"62.0\">乙法院</text><rect x=\"4\" y=\"68.0\" width=\"0.0\" height=\"14\" rx=\"2\"/>\
             <text class=\"chart__value\" x=\"10.0\" y=\"80.0\">—</text></g>\
             </svg></figure>"
        );
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(axis_max(0.42, true), 1.0);
        assert_eq!(axis_max(87.0, false), 100.0);
        assert_eq!(axis_max(130.0, false), 200.0);
        assert_eq!(axis_max(0.0, false), 1.0);
    }
}
