use chrono::NaiveDate;
use portal_core::{notice::NoticeRow, pow, IdNumber};
use portal_server::{notices::store::upsert_all, ratelimit::RateLimitConfig};
use serde_json::{json, Value};

use crate::helpers::{person_row, tomorrow, TestApp};

fn id(birth: (i32, u32, u32), seq: u16) -> String {
    IdNumber::from_parts(
        "330225",
        NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap(),
        seq,
    )
    .as_str()
    .to_owned()
}

async fn store(app: &TestApp, rows: &[NoticeRow]) {
    let notices: Vec<_> = rows
        .iter()
        .map(|r| r.validate().expect("valid test row"))
        .collect();
    upsert_all(&app.db, &notices).await.unwrap();
}

fn row(n: u32, name: &str, id_number: &str) -> NoticeRow {
    NoticeRow {
        name: name.into(),
        id_number: id_number.into(),
        ..person_row(n)
    }
}

async fn lookup(app: &TestApp, body: Value) -> (u16, Value) {
    let res = app.post_json("/api/v1/lookup", &body).await;
    (res.status().as_u16(), res.json().await.unwrap())
}

/// Two people called 陈小明 (one with two cases) and a company.
async fn with_subjects() -> (TestApp, String, String) {
    let app = TestApp::spawn().await;
    let (a, b) = (id((1985, 6, 12), 123), id((1990, 2, 3), 246));
    let mut second_case = row(2, "陈小明", &a);
    second_case.lists = "restricted;terminated".into();
    second_case.behaviour = String::new();
    second_case.published_on = "2025-01-10".into();
    let mut company = row(4, "宁波海丰贸易有限公司", "91350100M000100Y43");
    company.subject_type = "organization".into();
    company.legal_representative = "王海丰".into();
    store(
        &app,
        &[
            row(1, "陈小明", &a),
            second_case,
            row(3, "陈小明", &b),
            company,
        ],
    )
    .await;
    (app, a, b)
}

#[tokio::test]
async fn results_are_grouped_by_subject_with_masked_ids_and_no_full_id_anywhere() {
    let (app, a, b) = with_subjects().await;
    let (status, body) = lookup(&app, json!({"name": "陈小明"})).await;
    assert_eq!(status, 200);
    assert_eq!(body["total"], 2);
    assert_eq!(body["too_many"], false);
    assert!(body["as_of"].as_str().unwrap().ends_with('Z'));
    let subjects = body["subjects"].as_array().unwrap();
    assert_eq!(subjects.len(), 2);
    let first = subjects
        .iter()
        .find(|s| s["masked_id"] == format!("{}****{}", &a[..10], &a[14..]))
        .unwrap();
    assert_eq!(first["subject_type"], "person");
    assert_eq!(first["notices"].as_array().unwrap().len(), 2);
    assert_eq!(
        first["lists"],
        json!(["dishonest", "restricted", "terminated"])
    );
    // Newest publication first.
    assert_eq!(first["notices"][0]["published_on"], "2025-01-10");
    let text = body.to_string();
    assert!(
        !text.contains(&a) && !text.contains(&b),
        "full ID numbers never leave the server"
    );
}

#[tokio::test]
async fn names_match_after_normalisation() {
    let (app, _, _) = with_subjects().await;
    for name in ["陳小明", "陈 小明", "陈\u{3000}小明", " 陈小明 "] {
        let (_, body) = lookup(&app, json!({"name": name})).await;
        assert_eq!(body["total"], 2, "{name}");
    }
    store(&app, &[row(9, "阿依古丽·买买提", &id((1991, 3, 4), 8))]).await;
    for name in ["阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽‧买买提"]
    {
        let (_, body) = lookup(&app, json!({"name": name})).await;
        assert_eq!(body["total"], 1, "{name}");
        assert_eq!(body["subjects"][0]["name"], "阿依古丽·买买提");
    }
    // Organisations show their credit code in full; full-width input is folded.
    let (_, body) = lookup(&app, json!({"name": "宁波海丰贸易有限公司", "id_number": "９１３５０１００Ｍ０００１００Ｙ４３"})).await;
    assert_eq!(body["subjects"][0]["masked_id"], "91350100M000100Y43");
}

#[tokio::test]
async fn an_id_number_makes_the_match_exact_and_a_province_narrows_it() {
    let (app, a, _) = with_subjects().await;
    let (_, body) = lookup(&app, json!({"name": "陈小明", "id_number": a})).await;
    assert_eq!(body["total"], 1);
    let (_, body) = lookup(
        &app,
        json!({"name": "陈小明", "id_number": id((1970, 1, 1), 1)}),
    )
    .await;
    assert_eq!(body["total"], 0);
    assert_eq!(body["subjects"], json!([]));
    // All test rows are from a Zhejiang (浙, 33) court.
    let (_, body) = lookup(&app, json!({"name": "陈小明", "region": "33"})).await;
    assert_eq!(body["total"], 2);
    let (_, body) = lookup(&app, json!({"name": "陈小明", "region": "11"})).await;
    assert_eq!(body["total"], 0);
}

#[tokio::test]
async fn bad_lookups_get_field_errors_and_never_reach_the_database() {
    let app = TestApp::spawn().await;
    let cases = [
        (json!({"name": ""}), "missing_field", "name"),
        (
            json!({"name": "陈小明", "id_number": "33022519850612123"}),
            "invalid_id_number",
            "id_number",
        ),
        (
            json!({"name": "陈小明", "region": "99"}),
            "invalid_value",
            "region",
        ),
        (
            json!({"name": "陈小明", "page": 99}),
            "invalid_value",
            "page",
        ),
    ];
    for (body, code, field) in cases {
        let (status, e) = lookup(&app, body.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(e["error"]["code"], code, "{body}");
        assert_eq!(e["error"]["field"], field, "{body}");
    }
    let (status, e) = lookup(&app, json!({"name": 5})).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("invalid_json"))
    );
}

#[tokio::test]
async fn a_name_shared_by_too_many_subjects_is_capped_and_paged() {
    let app = TestApp::spawn().await;
    let rows: Vec<_> = (0..105u32)
        .map(|n| {
            row(
                n,
                "王伟",
                &id((1960 + (n % 40) as i32, 1 + n % 12, 1 + n % 28), n as u16),
            )
        })
        .collect();
    store(&app, &rows).await;
    let (_, body) = lookup(&app, json!({"name": "王伟"})).await;
    assert_eq!(body["total"], 100);
    assert_eq!(body["too_many"], true);
    assert_eq!(body["subjects"].as_array().unwrap().len(), 20);
    let (_, last) = lookup(&app, json!({"name": "王伟", "page": 5})).await;
    assert_eq!(last["subjects"].as_array().unwrap().len(), 20);
    assert_ne!(last["subjects"][0], body["subjects"][0]);
    assert_eq!(
        lookup(&app, json!({"name": "王伟", "page": 6})).await.0,
        422
    );
}

#[tokio::test]
async fn the_detail_has_every_published_field_and_the_restrictions() {
    let (app, a, _) = with_subjects().await;
    let (_, body) = lookup(&app, json!({"name": "陈小明", "id_number": a})).await;
    let notice_id = body["subjects"][0]["notices"][1]["id"].as_i64().unwrap();
    let detail: Value = app
        .get(&format!("/api/v1/notices/{notice_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["case_number"], "(2024)浙0225执101号");
    assert_eq!(detail["court"], "宁波市象山县人民法院");
    assert_eq!(detail["name"], "陈小明");
    assert_eq!(detail["masked_id"], format!("{}****{}", &a[..10], &a[14..]));
    assert_eq!(detail["sex"], "male");
    assert!(detail["age"].as_u64().unwrap() >= 40);
    assert_eq!(detail["basis_number"], "(2023)浙0225民初88号");
    assert_eq!(detail["behaviour"], "refuses_with_ability");
    assert_eq!(detail["performance"], "none");
    assert_eq!(detail["lists"], json!(["dishonest", "restricted"]));
    assert_eq!(detail["restrictions"].as_array().unwrap().len(), 9);
    assert!(!detail.to_string().contains(&a));

    let (_, body) = lookup(&app, json!({"name": "宁波海丰贸易有限公司"})).await;
    let company_id = body["subjects"][0]["notices"][0]["id"].as_i64().unwrap();
    let detail: Value = app
        .get(&format!("/api/v1/notices/{company_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["legal_representative"], "王海丰");
    assert_eq!(detail["sex"], Value::Null);

    for missing in ["/api/v1/notices/999999", "/api/v1/notices/abc"] {
        assert_eq!(app.get(missing).await.status(), 404);
    }
}

#[tokio::test]
async fn verify_answers_listed_or_not_and_nothing_more() {
    let (app, a, _) = with_subjects().await;
    let res = app
        .post_json("/api/v1/verify", &json!({"name": "陳小明", "id_number": a}))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["as_of", "listed", "lists"]);
    assert_eq!(body["listed"], true);
    assert_eq!(
        body["lists"],
        json!(["dishonest", "restricted", "terminated"])
    );

    let body: Value = app
        .post_json("/api/v1/verify", &json!({"name": "陈大明", "id_number": a}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["listed"], false);
    assert_eq!(body["lists"], json!([]));

    let res = app
        .post_json("/api/v1/verify", &json!({"name": "陈小明"}))
        .await;
    assert_eq!(res.status(), 422);
    let e: Value = res.json().await.unwrap();
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["field"].as_str()),
        (Some("missing_field"), Some("id_number"))
    );
}

#[tokio::test]
async fn deleted_and_grace_period_notices_never_show_and_deletion_is_immediate() {
    let app = TestApp::spawn().await;
    let a = id((1985, 6, 12), 123);
    let b = id((1979, 9, 9), 77);
    let mut grace = row(2, "张伟强", &b);
    grace.published_on = tomorrow();
    store(&app, &[row(1, "陈小明", &a), grace]).await;

    let (_, body) = lookup(&app, json!({"name": "张伟强"})).await;
    assert_eq!(body["total"], 0, "grace period");
    let v: Value = app
        .post_json("/api/v1/verify", &json!({"name": "张伟强", "id_number": b}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["listed"], false);

    let (_, body) = lookup(&app, json!({"name": "陈小明"})).await;
    let notice_id = body["subjects"][0]["notices"][0]["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/notices/{notice_id}"))
            .await
            .status(),
        200
    );

    let mut deleted = row(1, "陈小明", &a);
    deleted.status = "deleted".into();
    store(&app, &[deleted]).await;
    let (_, body) = lookup(&app, json!({"name": "陈小明"})).await;
    assert_eq!(body["total"], 0);
    assert_eq!(
        app.get(&format!("/api/v1/notices/{notice_id}"))
            .await
            .status(),
        404
    );
    let v: Value = app
        .post_json("/api/v1/verify", &json!({"name": "陈小明", "id_number": a}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["listed"], false);
}

#[tokio::test]
async fn past_the_free_allowance_a_proof_of_work_is_required_then_a_hard_limit() {
    let limits = RateLimitConfig {
        free: 2,
        max: 4,
        credits_per_solution: 1,
        difficulty: 10,
        ..Default::default()
    };
    let app = TestApp::spawn_with(None, limits).await;
    let body = json!({"name": "陈小明"});
    assert_eq!(lookup(&app, body.clone()).await.0, 200);
    assert_eq!(
        app.post_json(
            "/api/v1/verify",
            &json!({"name": "陈小明", "id_number": id((1985, 6, 12), 123)})
        )
        .await
        .status(),
        200
    );

    let (status, e) = lookup(&app, body.clone()).await;
    assert_eq!(status, 429);
    assert_eq!(e["error"]["code"], "challenge_required");
    let seed = e["error"]["challenge"]["seed"].as_str().unwrap().to_owned();
    assert_eq!(e["error"]["challenge"]["difficulty"], 10);

    let solved = format!("{seed}:{}", pow::solve(&seed, 10));
    let send = |header: String| {
        app.client
            .post(app.url("/api/v1/lookup"))
            .header("x-portal-pow", header)
            .json(&body)
            .send()
    };
    assert_eq!(send(solved.clone()).await.unwrap().status(), 200);
    // A solution works once.
    assert_eq!(send(solved).await.unwrap().status(), 429);
    let wrong = format!("{seed}:{}", pow::solve(&seed, 10) + 1);
    assert_eq!(send(wrong).await.unwrap().status(), 429);

    let (_, e) = lookup(&app, body.clone()).await;
    let seed = e["error"]["challenge"]["seed"].as_str().unwrap().to_owned();
    assert_eq!(
        send(format!("{seed}:{}", pow::solve(&seed, 10)))
            .await
            .unwrap()
            .status(),
        200
    );

    let res = app
        .client
        .post(app.url("/api/v1/lookup"))
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&retry));
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["error"]["code"], "rate_limited");
    assert_eq!(e["error"]["retry_after"], retry);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("Too many requests"));
}

/// Name lookups arriving together (which PostgreSQL answers with one shared statement) each get
/// the subjects of their own name, in order, with their own count, page by page.
#[tokio::test]
async fn concurrent_lookups_of_different_names_each_get_their_own_subjects() {
    let app = TestApp::spawn().await;
    // 王芳: 25 subjects (two pages); 李娜: 3 subjects; 赵敏: none.
    let mut rows: Vec<NoticeRow> = (0..25)
        .map(|n| NoticeRow {
            name: "王芳".into(),
            ..person_row(n)
        })
        .collect();
    rows.extend((100..103).map(|n| NoticeRow {
        name: "李娜".into(),
        ..person_row(n)
    }));
    store(&app, &rows).await;
    let asks = [("王芳", 1), ("李娜", 1), ("赵敏", 1), ("王芳", 2)].repeat(4);
    let answers = futures_util::future::join_all(
        asks.iter()
            .map(|(name, page)| lookup(&app, json!({"name": name, "page": page}))),
    )
    .await;
    for ((name, page), (status, body)) in asks.iter().zip(answers) {
        assert_eq!(status, 200, "{name} page {page}: {body}");
        let subjects = body["subjects"].as_array().unwrap();
        let expected = match (*name, *page) {
            ("王芳", 1) => (25, 20),
            ("王芳", _) => (25, 5),
            ("李娜", _) => (3, 3),
            _ => (0, 0),
        };
        assert_eq!(
            (body["total"].as_u64().unwrap(), subjects.len()),
            expected,
            "{name} page {page}"
        );
        assert!(
            subjects.iter().all(|s| s["name"] == *name),
            "{name}: {body}"
        );
        let ids: Vec<&str> = subjects
            .iter()
            .map(|s| s["masked_id"].as_str().unwrap())
            .collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted, "subjects in order of their ID");
    }
}
