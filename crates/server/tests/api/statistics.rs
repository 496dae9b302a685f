//! Court statistics: `import statistics` (all-or-nothing, idempotent per court and month) and
//! `GET /api/v1/statistics` / `.csv` (DESIGN §7.7).

use portal_core::time::court_today;
use portal_server::{
    notices::import::{import_file, ImportError},
    statistics::import::import_bytes,
};

use crate::helpers::{json_of, person_row, write_csv, TestApp};

const HEADER: &str = "court,month,pending_start,received,closed,closed_actual,closed_terminated,voluntary,amount_applied,amount_recovered,days_total";
const COURT: &str = "宁波市象山县人民法院";

/// An app whose notices make 宁波市象山县人民法院 (province 33) a known court.
async fn app_with_court() -> TestApp {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    import_file(&app.db, &write_csv(dir, "n.csv", &[person_row(1)]))
        .await
        .unwrap();
    app
}

fn file(lines: &[&str]) -> Vec<u8> {
    format!("{HEADER}\n{}\n", lines.join("\n")).into_bytes()
}

async fn rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM court_statistics")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

fn indicator<'a>(v: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("no {key} in {v}"))
}

#[tokio::test]
async fn figures_import_once_per_court_and_month_and_rates_sum_their_parts() {
    let app = app_with_court().await;
    let today = court_today();
    let data = file(&[
        &format!("{COURT},2026-08,100,50,60,30,20,10,1000000,400000,5400"),
        &format!("{COURT},2026-09,90,40,70,40,20,12,2000000,1300000.50,6300"),
    ]);
    let (n, stored) = import_bytes(&app.db, &data, today).await.unwrap();
    assert_eq!((n, stored.inserted, stored.replaced), (2, 2, 0));
    // The same file again changes nothing but says it replaced both months.
    let (_, stored) = import_bytes(&app.db, &data, today).await.unwrap();
    assert_eq!((stored.inserted, stored.replaced), (0, 2));
    assert_eq!(rows(&app).await, 2);

    let (status, v) = json_of(app.get("/api/v1/statistics?province=33").await).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-08"), Some("2026-09"))
    );
    assert!(v["data_as_of"].as_str().unwrap().ends_with('Z'));
    // 结案率: closed over the first month's pending cases plus everything received.
    let closure = indicator(&v, "closure_rate");
    assert_eq!(
        (
            closure["numerator"].as_f64(),
            closure["denominator"].as_f64()
        ),
        (Some(130.0), Some(190.0))
    );
    assert!((closure["value"].as_f64().unwrap() - 130.0 / 190.0).abs() < 1e-12);
    // 执行到位率: summed amounts, in yuan — not the average of 40 % and 65 %.
    let recovery = indicator(&v, "recovery_rate");
    assert_eq!(recovery["numerator"].as_f64(), Some(1_700_000.5));
    assert_eq!(recovery["denominator"].as_f64(), Some(3_000_000.0));
    assert!(recovery["definition"]
        .as_str()
        .unwrap()
        .contains("执行到位金额"));
    assert_eq!(indicator(&v, "average_days")["value"].as_f64(), Some(90.0));
    assert_eq!(v["series"].as_array().unwrap().len(), 2);
    assert_eq!(v["courts"][0]["label"], COURT);
    assert_eq!(v["court_choices"][0]["province"], "33");

    // The CSV holds the same figures.
    let res = app.get("/api/v1/statistics.csv?province=33").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = res.text().await.unwrap();
    assert!(
        csv.contains("合计,2026-08–2026-09,recovery_rate,0.5667,1700000.5,3000000"),
        "{csv}"
    );
    assert!(
        csv.contains("月份,2026-09,closure_rate,0.5385,70,130"),
        "{csv}"
    );

    // A corrected month replaces the old one; a period of one month shows only it.
    let fix = file(&[&format!(
        "{COURT},2026-09,90,40,80,40,20,12,2000000,1300000.50,7200"
    )]);
    import_bytes(&app.db, &fix, today).await.unwrap();
    let (_, v) = json_of(app.get("/api/v1/statistics?from=2026-09&to=2026-09").await).await;
    assert_eq!(
        indicator(&v, "closure_rate")["numerator"].as_f64(),
        Some(80.0)
    );
    assert_eq!(v["series"].as_array().unwrap().len(), 1);
    // Another province has nothing: values are null, never a division by zero.
    let (_, v) = json_of(app.get("/api/v1/statistics?province=11").await).await;
    assert!(indicator(&v, "closure_rate")["value"].is_null());
}

#[tokio::test]
async fn a_bad_file_is_refused_whole_with_every_problem_by_line() {
    let app = app_with_court().await;
    let data = file(&[
        &format!("{COURT},2026-08,100,50,60,30,20,10,1000000,400000,5400"),
        &format!("{COURT},2026-09,100,-5,60,30,20,10,1000000,400000,5400"),
        &format!("{COURT},2026-10,100,50,160,30,20,10,1000000,400000,5400"),
        "不存在的人民法院,2026-08,100,50,60,30,20,10,1000000,400000,5400",
        &format!("{COURT},2026-08,100,50,60,30,20,10,1000000,400000,5400"),
        &format!("{COURT},2026-7,100,50,60,30,20,10,1000000,1400000,5400"),
        &format!("{COURT},2099-01,100,50,60,30,20,10,1000000,400000,5400"),
    ]);
    let Err(ImportError::Rejected(errors)) = import_bytes(&app.db, &data, court_today()).await
    else {
        panic!("a bad file imported");
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    for expected in [
        (3, "received"),
        (4, "closed"),
        (5, "court"),
        (6, ""),
        (7, "month"),
        (8, "month"),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}"
        );
    }
    assert_eq!(rows(&app).await, 0, "nothing of a bad file is stored");

    // A header without the columns, an empty file.
    let Err(ImportError::Rejected(errors)) =
        import_bytes(&app.db, b"court,month\n", court_today()).await
    else {
        panic!("a file without the columns imported");
    };
    assert!(errors.iter().any(|e| e.column == "closed"));
    assert!(
        import_bytes(&app.db, format!("{HEADER}\n").as_bytes(), court_today())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn bad_filters_get_a_field_error() {
    let app = TestApp::spawn().await;
    let (status, v) = json_of(app.get("/api/v1/statistics?from=2026-10&to=2026-01").await).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["field"], "from");
    let (status, v) = json_of(app.get("/api/v1/statistics?to=2026-13").await).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["field"], "to");
    // No figures at all: an empty answer, not an error.
    let (status, v) = json_of(app.get("/api/v1/statistics").await).await;
    assert_eq!(status, 200);
    assert!(v["series"].as_array().unwrap().is_empty());
    assert!(v["from"].is_null());
}
