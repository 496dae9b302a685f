use chrono::NaiveDate;
use portal_core::time::court_today;
use portal_core::{
    notice::{Notice, NoticeRow},
    partner::MAX_BATCH,
    IdNumber,
};
use portal_server::{
    hashing::sha256_hex,
    notices::store::{upsert_all, upsert_in},
    partners::store::{self as partners, id_hmac, Credentials},
};
use serde_json::{json, Value};

use crate::helpers::{person_row, TestApp};

const ORIGIN: &str = "https://bank.example";

fn id(seq: u16) -> String {
    IdNumber::from_parts("330225", NaiveDate::from_ymd_opt(1985, 6, 12).unwrap(), seq)
        .as_str()
        .to_owned()
}

async fn setup() -> (TestApp, Credentials, String) {
    let app = TestApp::spawn().await;
    let listed = id(123);
    let row = NoticeRow {
        id_number: listed.clone(),
        ..person_row(1)
    };
    upsert_all(&app.db, &[row.validate().unwrap()])
        .await
        .unwrap();
    let creds = partners::add(&app.db, "示例银行", &[ORIGIN.into()], "个人贷款审批")
        .await
        .unwrap();
    (app, creds, listed)
}

/// A `since` a day ago, within the feed's 90 days (RFC 3339).
fn day_ago() -> String {
    (chrono::Utc::now() - chrono::Duration::days(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

async fn call(app: &TestApp, key: Option<&str>, path: &str, body: Value) -> (u16, Value) {
    let mut req = app.client.post(app.url(path)).json(&body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    if path == "/api/v1/embed/check" {
        // As the embed page's own fetch: the browser says it is same-origin.
        req = req.header("sec-fetch-site", "same-origin");
    }
    let res = req.send().await.unwrap();
    (
        res.status().as_u16(),
        res.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn keys_are_required_and_rotation_and_revocation_take_effect_at_once() {
    let (app, creds, listed) = setup().await;
    let body = json!({"name": "陈小明", "id_number": listed, "purpose": "贷款"});
    let (status, e) = call(&app, None, "/api/v1/partner/check", body.clone()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (401, Some("invalid_api_key"))
    );
    assert_eq!(
        call(
            &app,
            Some("pk_wrong"),
            "/api/v1/partner/check",
            body.clone()
        )
        .await
        .0,
        401
    );
    assert_eq!(
        call(
            &app,
            Some(&creds.api_key),
            "/api/v1/partner/check",
            body.clone()
        )
        .await
        .0,
        200
    );

    let new_key = partners::rotate(&app.db, &creds.partner_id).await.unwrap();
    assert_eq!(
        call(
            &app,
            Some(&creds.api_key),
            "/api/v1/partner/check",
            body.clone()
        )
        .await
        .0,
        401
    );
    assert_eq!(
        call(&app, Some(&new_key), "/api/v1/partner/check", body.clone())
            .await
            .0,
        200
    );

    partners::revoke(&app.db, &creds.partner_id).await.unwrap();
    assert_eq!(
        call(&app, Some(&new_key), "/api/v1/partner/check", body)
            .await
            .0,
        401
    );
    // Keys are stored only as hashes.
    let stored: String = sqlx::query_scalar("SELECT key_hash FROM partners")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, sha256_hex(&new_key));
}

#[tokio::test]
async fn a_check_answers_listed_or_clear_explains_itself_and_is_audited() {
    let (app, creds, listed) = setup().await;
    let (status, body) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check",
        json!({"name": "陳 小明", "id_number": listed, "purpose": "贷款审批"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "listed");
    assert_eq!(body["lists"], json!(["dishonest", "restricted"]));
    assert!(body["explanation"].as_str().unwrap().contains("精确匹配"));
    let check_id = body["check_id"].as_str().unwrap().to_owned();

    let (_, clear) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check",
        json!({"name": "陈小明", "id_number": id(7), "purpose": "贷款审批"}),
    )
    .await;
    assert_eq!(clear["status"], "clear");
    assert_eq!(clear["lists"], json!([]));

    let audit: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, partner_id, channel, purpose, subject_hash, result FROM partner_checks ORDER BY created_at, id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(audit.len(), 2);
    let first = audit.iter().find(|a| a.0 == check_id).unwrap();
    assert_eq!(
        (first.1.as_str(), first.2.as_str(), first.3.as_str()),
        (creds.partner_id.as_str(), "api", "贷款审批")
    );
    // Who was checked is kept as a keyed hash, never a plain SHA-256 that reverses in minutes.
    assert_eq!(first.4, app.state.keys.get().subject_key(&listed));
    assert_ne!(first.4, sha256_hex(&listed));
    assert!(!first.4.contains(&sha256_hex(&listed)));
    assert_eq!(first.5, "listed");
    assert!(
        !format!("{audit:?}").contains(&listed),
        "no plain ID in the audit log"
    );

    let (status, e) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check",
        json!({"name": "陈小明", "id_number": listed}),
    )
    .await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (422, Some("purpose"))
    );
}

#[tokio::test]
async fn hashed_identifiers_match_only_with_the_partners_secret() {
    let (app, creds, listed) = setup().await;
    let hash = id_hmac(&creds.id_hmac_secret, &listed);
    let (_, body) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check",
        json!({"name": "陈小明", "id_hash": hash, "purpose": "p"}),
    )
    .await;
    assert_eq!(body["status"], "listed");
    assert!(body["explanation"].as_str().unwrap().contains("HMAC"));
    let wrong = id_hmac("another-secret", &listed);
    let (_, body) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check",
        json!({"name": "陈小明", "id_hash": wrong, "purpose": "p"}),
    )
    .await;
    assert_eq!(body["status"], "clear");
    let (status, e) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check",
        json!({"name": "陈小明", "id_hash": "abc", "purpose": "p"}),
    )
    .await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (422, Some("id_hash"))
    );
}

#[tokio::test]
async fn batches_answer_in_order_with_per_item_errors_and_refuse_more_than_100() {
    let (app, creds, listed) = setup().await;
    let items = json!([
        {"name": "陈小明", "id_number": listed},
        {"name": "陈小明", "id_number": "123"},
        {"name": "李四", "id_number": id(9)},
    ]);
    let (status, body) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check/batch",
        json!({"items": items, "purpose": "招投标资格审查"}),
    )
    .await;
    assert_eq!(status, 200);
    let results = body["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["index"], 0);
    assert_eq!(results[0]["status"], "listed");
    assert_eq!(results[1]["error"]["code"], "invalid_id_number");
    assert_eq!(results[1]["error"]["field"], "id_number");
    assert_eq!(results[2]["status"], "clear");
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM partner_checks WHERE channel = 'batch'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, 2);

    let many: Vec<Value> = (0..101)
        .map(|_| json!({"name": "陈小明", "id_number": listed}))
        .collect();
    let (status, e) = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check/batch",
        json!({"items": many, "purpose": "p"}),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (413, Some("batch_too_large"))
    );
    let still: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partner_checks")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(still, 2, "a refused batch checks nothing");
}

#[tokio::test]
async fn the_change_feed_reports_deletions_with_hashed_ids_and_pages_by_cursor() {
    let (app, creds, listed) = setup().await;
    let get = |q: String| {
        let app = &app;
        let key = creds.api_key.clone();
        async move {
            let res = app
                .client
                .get(app.url(&format!("/api/v1/partner/changes?{q}")))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };
    let (status, first) = get(format!("since={}", day_ago())).await;
    assert_eq!(status, 200);
    assert_eq!(first["changes"].as_array().unwrap().len(), 1);
    assert_eq!(first["changes"][0]["status"], "listed");
    assert_eq!(
        first["changes"][0]["id_hash"],
        id_hmac(&creds.id_hmac_secret, &listed)
    );
    assert!(!first.to_string().contains(&listed));
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let (_, empty) = get(format!("cursor={cursor}")).await;
    assert_eq!(empty["changes"], json!([]));
    assert_eq!(empty["has_more"], false);

    let deleted = NoticeRow {
        id_number: listed.clone(),
        status: "deleted".into(),
        ..person_row(1)
    };
    upsert_all(&app.db, &[deleted.validate().unwrap()])
        .await
        .unwrap();
    let (_, next) = get(format!("cursor={cursor}")).await;
    assert_eq!(next["changes"].as_array().unwrap().len(), 1);
    assert_eq!(next["changes"][0]["status"], "deleted");
    assert_eq!(next["changes"][0]["lists"], json!([]));

    for bad in [
        "since=yesterday",
        "cursor=abc",
        "since=2000-01-01T00:00:00Z",
    ] {
        let (status, e) = get(bad.into()).await;
        assert_eq!(status, 422, "{bad}");
        assert!(e["error"]["field"].is_string());
    }
    let (status, e) = get("since=a&since=b".into()).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("invalid_request"))
    );
    // Neither: the feed starts now, with nothing behind and the cursor to follow.
    let (status, now) = get(String::new()).await;
    assert_eq!(status, 200);
    assert_eq!(now["changes"], json!([]));
    let (_, after) = get(format!("cursor={}", now["next_cursor"].as_str().unwrap())).await;
    assert_eq!(after["changes"], json!([]));
    let res = app
        .client
        .get(app.url(&format!("/api/v1/partner/changes?since={}", day_ago())))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

/// Checks `value` against the object shape of the document's schema `name`: every key it has is
/// documented, and every key the schema requires is there.
fn assert_fits(doc: &Value, name: &str, value: &Value) {
    let schema = &doc["components"]["schemas"][name];
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name} has no properties: {schema}"));
    let object = value.as_object().unwrap();
    for key in object.keys() {
        assert!(
            properties.contains_key(key),
            "{name} does not document `{key}`"
        );
    }
    for key in schema["required"].as_array().into_iter().flatten() {
        let key = key.as_str().unwrap();
        assert!(object.contains_key(key), "{name} requires `{key}`: {value}");
    }
}

#[tokio::test]
async fn the_openapi_document_describes_the_partner_api() {
    let (app, creds, listed) = setup().await;
    let res = app.get("/api/v1/partner/openapi.json").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    let scheme = &doc["components"]["securitySchemes"]["partnerKey"];
    assert_eq!(
        (&scheme["type"], &scheme["scheme"]),
        (&json!("http"), &json!("bearer"))
    );

    // The documented operations are the partner API, each served under the document's server URL
    // and each refusing a call without a key.
    let paths = doc["paths"].as_object().unwrap();
    let mut operations: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.clone(), path.clone()))
        })
        .collect();
    operations.sort();
    assert_eq!(
        operations,
        [
            ("get", "/partner/changes"),
            ("post", "/partner/check"),
            ("post", "/partner/check/batch"),
        ]
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
    );
    for (method, path) in &operations {
        let operation = &paths[path][method];
        assert_eq!(operation["security"], json!([{"partnerKey": []}]), "{path}");
        let mut documented: Vec<&str> = operation["responses"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        documented.sort_unstable();
        let expected: &[&str] = if method == "post" {
            &["200", "400", "401", "413", "422"]
        } else {
            &["200", "400", "401", "422"]
        };
        assert_eq!(documented, expected, "{method} {path}");
        let res = app
            .client
            .request(
                method.to_uppercase().parse().unwrap(),
                app.url(&format!("/api/v1{path}")),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401, "{method} {path}");
        assert_fits(&doc, "Error", &res.json().await.unwrap());
    }

    let schemas = &doc["components"]["schemas"];
    let mut fields: Vec<&str> = schemas["CheckRequest"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["id_hash", "id_number", "name", "purpose"]);
    assert_eq!(
        schemas["CheckRequest"]["required"],
        json!(["name", "purpose"])
    );
    assert_eq!(
        schemas["CheckRequest"]["properties"]["purpose"]["maxLength"],
        200
    );
    assert_eq!(
        schemas["BatchRequest"]["properties"]["items"]["maxItems"],
        MAX_BATCH
    );
    let params: Vec<&Value> = paths["/partner/changes"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["name"])
        .collect();
    assert_eq!(params, [&json!("since"), &json!("cursor")]);

    // Real answers have the documented shapes.
    let key = Some(creds.api_key.as_str());
    let (status, answer) = call(
        &app,
        key,
        "/api/v1/partner/check",
        json!({"name": "陈小明", "id_number": listed, "purpose": "贷款"}),
    )
    .await;
    assert_eq!((status, &answer["status"]), (200, &json!("listed")));
    assert_fits(&doc, "CheckResponse", &answer);
    let (status, e) = call(
        &app,
        key,
        "/api/v1/partner/check",
        json!({"name": "陈小明", "purpose": "贷款"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_fits(&doc, "Error", &e);
    assert_fits(&doc, "ErrorDetail", &e["error"]);

    let (status, batch) = call(
        &app,
        key,
        "/api/v1/partner/check/batch",
        json!({"items": [{"name": "陈小明", "id_number": listed}, {"name": "陈小明"}], "purpose": "贷款"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_fits(&doc, "BatchResponse", &batch);
    let outcomes = schemas["BatchOutcome"]["oneOf"].as_array().unwrap();
    assert_eq!(
        outcomes[0]["$ref"], "#/components/schemas/CheckResponse",
        "{outcomes:?}"
    );
    for (n, result) in batch["results"].as_array().unwrap().iter().enumerate() {
        let mut rest = result.as_object().unwrap().clone();
        assert_eq!(rest.remove("index"), Some(json!(n)));
        let rest = Value::Object(rest);
        if n == 0 {
            assert_fits(&doc, "CheckResponse", &rest);
        } else {
            assert_fits(&doc, "ErrorDetail", &rest["error"]);
            assert_eq!(rest.as_object().unwrap().len(), 1, "{rest}");
        }
    }

    let changes: Value = app
        .client
        .get(app.url(&format!("/api/v1/partner/changes?since={}", day_ago())))
        .bearer_auth(&creds.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_fits(&doc, "ChangesResponse", &changes);
    assert_fits(&doc, "Change", &changes["changes"][0]);
}

fn write_embed_dist(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("embed")).unwrap();
    std::fs::write(dir.join("index.html"), "<html>portal</html>").unwrap();
    std::fs::write(
        dir.join("embed/index.html"),
        "<html><script type=\"module\">start()</script>embed</html>",
    )
    .unwrap();
}

#[tokio::test]
async fn the_embed_is_framable_only_by_the_partners_origins_and_refuses_others() {
    let dist = tempfile::tempdir().unwrap();
    write_embed_dist(dist.path());
    let app = TestApp::spawn_with_dist(Some(dist.path().to_path_buf())).await;
    let creds = partners::add(
        &app.db,
        "示例银行",
        &[ORIGIN.into(), "http://127.0.0.1:9000".into()],
        "贷款",
    )
    .await
    .unwrap();

    let res = app
        .get(&format!("/embed/check?partner={}", creds.partner_id))
        .await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-ancestors http://127.0.0.1:9000 https://bank.example"),
        "{csp}"
    );
    assert!(csp.contains("'sha256-"), "{csp}");
    assert!(res.headers().get("x-frame-options").is_none());
    assert!(res.text().await.unwrap().contains("embed"));

    for partner in ["pt_unknown", ""] {
        let res = app.get(&format!("/embed/check?partner={partner}")).await;
        assert_eq!(res.status(), 403);
        assert!(res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors *"));
        assert!(res.text().await.unwrap().contains("无法在此网站提供核查"));
    }
    partners::revoke(&app.db, &creds.partner_id).await.unwrap();
    assert_eq!(
        app.get(&format!("/embed/check?partner={}", creds.partner_id))
            .await
            .status(),
        403
    );
    // Everything else stays unframable.
    assert_eq!(app.get("/").await.headers()["x-frame-options"], "DENY");
}

#[tokio::test]
async fn the_embeds_check_needs_consent_and_an_active_partner_and_is_audited() {
    let (app, creds, listed) = setup().await;
    let info: Value = app
        .get(&format!("/api/v1/embed/partner/{}", creds.partner_id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        info,
        json!({"name": "示例银行", "purpose": "个人贷款审批", "origins": [ORIGIN]})
    );

    let body = |consent: bool| json!({"partner": creds.partner_id, "name": "陈小明", "id_number": listed, "consent": consent});
    let (status, e) = call(&app, None, "/api/v1/embed/check", body(false)).await;
    assert_eq!(
        (status, e["error"]["field"].as_str()),
        (422, Some("consent"))
    );
    let (status, answer) = call(&app, None, "/api/v1/embed/check", body(true)).await;
    assert_eq!(status, 200);
    assert_eq!(answer["status"], "listed");
    assert_eq!(answer["notice_ids"].as_array().unwrap().len(), 1);
    let channel: String = sqlx::query_scalar("SELECT channel FROM partner_checks")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(channel, "embed");
    // Only the embed page itself may check in a partner's name: not a page of another site, not
    // a script elsewhere (each would write checks the partner never made into its audit log).
    for (name, value) in [
        ("sec-fetch-site", "cross-site".to_owned()),
        ("sec-fetch-site", "same-site".to_owned()),
        ("origin", "https://elsewhere.example".to_owned()),
        ("x-none", String::new()),
    ] {
        let res = reqwest::Client::new()
            .post(app.url("/api/v1/embed/check"))
            .header(name, value)
            .json(&body(true))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{name}");
    }
    let res = reqwest::Client::new()
        .post(app.url("/api/v1/embed/check"))
        .header("origin", format!("http://{}", app.addr))
        .json(&body(true))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let checks: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partner_checks")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(checks, 2);

    partners::revoke(&app.db, &creds.partner_id).await.unwrap();
    let (status, e) = call(&app, None, "/api/v1/embed/check", body(true)).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (403, Some("partner_not_allowed"))
    );
}

/// Two imports overlap: the first has written its rows but not committed when the second starts
/// and a partner reads the feed. Whatever order they commit in, the partner following its cursor
/// receives every row of both, so a deletion is never skipped.
#[tokio::test]
async fn overlapping_imports_never_commit_behind_a_partners_cursor() {
    let (app, creds, _) = setup().await;
    let read = |cursor: String| {
        let app = &app;
        let key = creds.api_key.clone();
        async move {
            let page: Value = app
                .client
                .get(app.url(&format!("/api/v1/partner/changes?cursor={cursor}")))
                .bearer_auth(key)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let hashes: Vec<String> = page["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id_hash"].as_str().unwrap().to_owned())
                .collect();
            (page["next_cursor"].as_str().unwrap().to_owned(), hashes)
        }
    };
    let start: Value = app
        .client
        .get(app.url(&format!("/api/v1/partner/changes?since={}", day_ago())))
        .bearer_auth(&creds.api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut cursor = start["next_cursor"].as_str().unwrap().to_owned();

    let rows = |from: u32| -> Vec<Notice> {
        (from..from + 3)
            .map(|n| person_row(n).validate().unwrap())
            .collect()
    };
    let (slow, fast) = (rows(100), rows(200));
    let mut slow_tx = app.db.pool.begin().await.unwrap();
    upsert_in(&mut slow_tx, &slow).await.unwrap();
    let fast_import = tokio::spawn({
        let db = app.db.clone();
        async move { upsert_all(&db, &fast).await.unwrap() }
    });
    // Give the second import the chance to commit first, as it could if writers were not
    // ordered; the partner reads in the meantime.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(300), async {
        while !fast_import.is_finished() {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    })
    .await;
    let mut seen = Vec::new();
    let (next, hashes) = read(cursor.clone()).await;
    seen.extend(hashes);
    cursor = next;

    slow_tx.commit().await.unwrap();
    fast_import.await.unwrap();
    let (_, hashes) = read(cursor).await;
    seen.extend(hashes);

    let mut expected: Vec<String> = rows(100)
        .iter()
        .chain(&rows(200))
        .map(|n| id_hmac(&creds.id_hmac_secret, n.subject_id.as_str()))
        .collect();
    expected.sort();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen, expected,
        "every row of both imports reaches the partner"
    );
}

/// Checks and verifications arriving together (which PostgreSQL answers with shared statements
/// and whose audit records are committed in groups) each get the answer for their own subject,
/// and every check is audited once.
#[tokio::test]
async fn concurrent_checks_and_verifications_each_get_their_own_answer_and_are_all_audited() {
    let (app, creds, _) = setup().await;
    let listed: Vec<Notice> = (1..=20)
        .map(|n| person_row(n).validate().unwrap())
        .collect();
    upsert_all(&app.db, &listed).await.unwrap();
    // Subject n is listed when n ≤ 20; 21…40 have IDs no notice has.
    let subject = |n: u32| -> String {
        if n <= 20 {
            person_row(n).id_number
        } else {
            id(500 + n as u16)
        }
    };
    let checks = (1..=40).map(|n| {
        let body = json!({"name": "陈小明", "id_number": subject(n), "purpose": "并发核查"});
        let app = &app;
        let key = creds.api_key.clone();
        async move {
            let (status, body) = call(app, Some(&key), "/api/v1/partner/check", body).await;
            (n, status, body)
        }
    });
    let verifications = (1..=40).step_by(2).map(|n| {
        let body = json!({"name": "陈小明", "id_number": subject(n)});
        let app = &app;
        async move {
            let (status, body) = call(app, None, "/api/v1/verify", body).await;
            (n, status, body)
        }
    });
    let batch_items: Vec<Value> = (1..=40)
        .map(|n| json!({"name": "陈小明", "id_number": subject(n)}))
        .collect();
    let batch = call(
        &app,
        Some(&creds.api_key),
        "/api/v1/partner/check/batch",
        json!({"items": batch_items, "purpose": "并发核查"}),
    );
    let (checked, verified, (batch_status, batch_body)) = tokio::join!(
        futures_util::future::join_all(checks),
        futures_util::future::join_all(verifications),
        batch
    );
    for (n, status, body) in checked {
        assert_eq!(status, 200, "check {n}: {body}");
        assert_eq!(
            body["status"],
            if n <= 20 { "listed" } else { "clear" },
            "check {n}"
        );
    }
    for (n, status, body) in verified {
        assert_eq!(status, 200, "verify {n}: {body}");
        assert_eq!(body["listed"], n <= 20, "verify {n}");
    }
    assert_eq!(batch_status, 200);
    for (i, result) in batch_body["results"].as_array().unwrap().iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(
            result["status"],
            if n <= 20 { "listed" } else { "clear" },
            "batch item {n}"
        );
    }
    let (audited, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT id) FROM partner_checks")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((audited, distinct), (80, 80));
}

/// The feed says only what partners could have seen: a notice deleted during its grace period
/// never appears; one whose grace period ends appears on that day, once, however many instances
/// run the scheduled work.
#[tokio::test]
async fn the_feed_announces_a_notice_when_it_becomes_public_and_never_one_that_was_not() {
    let (app, creds, _) = setup().await;
    let feed = |cursor: String| {
        let (app, key) = (&app, creds.api_key.clone());
        async move {
            let page: Value = app
                .client
                .get(app.url(&format!("/api/v1/partner/changes?{cursor}")))
                .bearer_auth(key)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            page
        }
    };
    let start = feed(format!("since={}", day_ago())).await;
    let cursor = format!("cursor={}", start["next_cursor"].as_str().unwrap());

    // Two notices in their grace period; one is deleted before it is ever public.
    let tomorrow = crate::helpers::tomorrow();
    let hidden = NoticeRow {
        published_on: tomorrow.clone(),
        name: "李秘密".into(),
        ..person_row(2)
    };
    let withdrawn = NoticeRow {
        published_on: tomorrow.clone(),
        name: "赵撤回".into(),
        ..person_row(3)
    };
    upsert_all(
        &app.db,
        &[hidden.validate().unwrap(), withdrawn.validate().unwrap()],
    )
    .await
    .unwrap();
    let deleted = NoticeRow {
        status: "deleted".into(),
        ..withdrawn.clone()
    };
    upsert_all(&app.db, &[deleted.validate().unwrap()])
        .await
        .unwrap();
    let page = feed(cursor.clone()).await;
    assert_eq!(
        page["changes"],
        json!([]),
        "nothing public happened: {page}"
    );
    assert!(!page.to_string().contains("赵撤回"));

    // The publication day comes: as if imported yesterday to be published today.
    sqlx::query(
        "UPDATE notices SET published_on = $1, updated_at = updated_at - $2 WHERE name = '李秘密'",
    )
    .bind(court_today().to_string())
    .bind(86_400_000_i64)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let second = app.another_instance(Default::default()).await;
    let third = app.another_instance(Default::default()).await;
    let tick = portal_core::time::now_ms() / 60_000;
    futures_util::future::join3(
        portal_server::jobs::run_once(&app.state, tick),
        portal_server::jobs::run_once(&second.state, tick),
        portal_server::jobs::run_once(&third.state, tick),
    )
    .await;
    // A later tick finds nothing more to announce.
    portal_server::jobs::run_once(&second.state, tick + 1).await;
    let page = feed(cursor).await;
    let changes = page["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{page}");
    assert_eq!(changes[0]["name"], "李秘密");
    assert_eq!(changes[0]["status"], "listed");
    assert!(!page.to_string().contains("赵撤回"));
    let runs: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM job_runs WHERE job = 'announce-published'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        runs, 2,
        "one run per tick, whatever the number of instances"
    );
}
