//! `GET /api/v1/statistics.csv`: exactly what the dashboard shows — the totals, then month by
//! month, then court by court; one line per indicator, numerators and denominators beside each
//! value.

use portal_core::{
    statistics::{IndicatorValue, Statistics},
    Lang,
};

/// The CSV text of `s`, headers in `lang`.
pub fn write(s: &Statistics, lang: Lang) -> anyhow::Result<String> {
    let zh = lang == Lang::Zh;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(if zh {
        ["范围", "名称", "指标", "数值", "分子", "分母"]
    } else {
        [
            "scope",
            "label",
            "indicator",
            "value",
            "numerator",
            "denominator",
        ]
    })?;
    let mut line = |scope: &str, label: &str, v: &IndicatorValue| {
        let value = match v.value {
            Some(x) if v.key.is_rate() => format!("{x:.4}"),
            Some(x) => format!("{x:.1}"),
            None => String::new(),
        };
        out.write_record([
            scope,
            label,
            v.key.as_str(),
            &value,
            &v.numerator.to_string(),
            &v.denominator.to_string(),
        ])
    };
    let period = format!(
        "{}–{}",
        s.from.as_deref().unwrap_or(""),
        s.to.as_deref().unwrap_or("")
    );
    for i in &s.indicators {
        line(if zh { "合计" } else { "total" }, &period, &i.figure)?;
    }
    for b in &s.series {
        for v in &b.indicators {
            line(if zh { "月份" } else { "month" }, &b.label, v)?;
        }
    }
    for b in &s.courts {
        for v in &b.indicators {
            line(if zh { "法院" } else { "court" }, &b.label, v)?;
        }
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use portal_core::statistics::{parse_row, statistics, Month};

    use super::*;

    fn row(month: &str) -> portal_core::statistics::StatRow {
        let cells = [
            ("court", "宁波市象山县人民法院"),
            ("month", month),
            ("pending_start", "120"),
            ("received", "80"),
            ("closed", "90"),
            ("closed_actual", "50"),
            ("closed_terminated", "30"),
            ("voluntary", "20"),
            ("amount_applied", "1000000"),
            ("amount_recovered", "420000.50"),
            ("days_total", "8100"),
        ];
        let get = |c: &str| {
            cells
                .iter()
                .find(|(k, _)| *k == c)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        parse_row(
            get,
            Month {
                year: 2026,
                month: 11,
            },
        )
        .unwrap()
    }

    #[test]
    fn the_csv_holds_what_the_answer_holds() {
        let s = statistics(
            &[row("2026-10"), row("2026-09")],
            None,
            Vec::new(),
            Lang::Zh,
        );
        let csv = write(&s, Lang::Zh).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            vec!["范围", "名称", "指标", "数值", "分子", "分母"]
        );
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        // Six totals, six per month for two months, six for the one court.
        assert_eq!(records.len(), 6 + 12 + 6);
        let has = |cells: &[&str]| records.iter().any(|r| r == cells);
        assert!(
            has(&[
                "合计",
                "2026-09–2026-10",
                "recovery_rate",
                "0.4200",
                "840001",
                "2000000"
            ]),
            "{csv}"
        );
        assert!(
            has(&["月份", "2026-10", "average_days", "90.0", "8100", "90"]),
            "{csv}"
        );
    }

    #[test]
    fn a_label_with_a_comma_or_quote_stays_one_cell() {
        let mut s = statistics(&[row("2026-10")], None, Vec::new(), Lang::En);
        s.courts[0].label = "Court, \"East\"".to_owned();
        let csv = write(&s, Lang::En).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert!(reader
            .records()
            .any(|r| r.unwrap().get(1) == Some("Court, \"East\"")));
    }
}
