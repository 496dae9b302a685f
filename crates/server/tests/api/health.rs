use portal_server::seed;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/health").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.test_db.expected_kind().as_str());
}

#[tokio::test]
async fn stats_count_only_public_notices_and_are_cached_for_a_minute() {
    let app = TestApp::spawn().await;
    // The showcase has five notices: one deleted and one in its grace period are not public.
    portal_server::notices::store::upsert_all(
        &app.db,
        &seed::showcase(portal_core::time::court_today()),
    )
    .await
    .unwrap();
    let stats: serde_json::Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(stats["public_notices"], 3);
    assert!(stats["as_of"].as_str().unwrap().ends_with('Z'));
    seed::seed_demo(&app.db, 50, portal_core::time::court_today())
        .await
        .unwrap();
    let again: serde_json::Value = app.get("/api/v1/stats").await.json().await.unwrap();
    assert_eq!(again, stats, "served from the cache within the minute");
}

#[tokio::test]
async fn demo_seed_is_deterministic_and_hides_deleted_and_grace_rows() {
    let a = TestApp::spawn().await;
    let today = portal_core::time::court_today();
    seed::seed_demo(&a.db, 300, today).await.unwrap();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT case_number, id_number, status FROM notices ORDER BY case_number, id_number",
    )
    .fetch_all(&a.db.pool)
    .await
    .unwrap();
    assert_eq!(rows.len(), 300);
    let b = TestApp::spawn().await;
    seed::seed_demo(&b.db, 300, today).await.unwrap();
    let again: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT case_number, id_number, status FROM notices ORDER BY case_number, id_number",
    )
    .fetch_all(&b.db.pool)
    .await
    .unwrap();
    assert_eq!(rows, again, "same N and day give the same data");

    let deleted = rows.iter().filter(|r| r.2 == "deleted").count() as i64;
    let grace: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notices WHERE status = 'active' AND published_on > $1",
    )
    .bind(today.to_string())
    .fetch_one(&a.db.pool)
    .await
    .unwrap();
    assert!(
        deleted > 0 && grace > 0,
        "the demo has deleted ({deleted}) and grace-period ({grace}) rows"
    );
    assert_eq!(a.public_notices().await, 300 - deleted - grace);
    // Every list and every behaviour appears.
    for needle in ["dishonest", "restricted", "terminated"] {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE lists LIKE $1")
            .bind(format!("%{needle}%"))
            .fetch_one(&a.db.pool)
            .await
            .unwrap();
        assert!(n > 0, "{needle} appears");
    }
    let behaviours: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT behaviour) FROM notices")
        .fetch_one(&a.db.pool)
        .await
        .unwrap();
    assert_eq!(behaviours, 6);
}

#[tokio::test]
async fn unknown_api_routes_get_a_json_404() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/no-such-thing").await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert_eq!(body["error"]["message"], "未找到该内容");
}

#[tokio::test]
async fn every_answer_carries_security_headers_and_api_answers_are_not_stored() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/health").await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
}

#[tokio::test]
async fn api_answers_are_compressed_when_the_client_accepts_it() {
    let app = TestApp::spawn().await;
    let res = reqwest::Client::new()
        .get(app.url("/api/v1/no-such-thing-with-a-long-name-to-compress"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    // reqwest without the gzip feature leaves the body encoded, so the header is visible.
    assert_eq!(
        res.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
}

/// `ready` says whether this instance can serve, for the load balancer: database, keys and
/// upload store; a closed database takes it out of rotation.
#[tokio::test]
async fn ready_checks_the_database_keys_and_store() {
    let app = TestApp::spawn().await;
    let res = app.get("/api/v1/ready").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"status": "ready", "failed": []}));
    app.db.pool.close().await;
    let res = app.get("/api/v1/ready").await;
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["failed"], serde_json::json!(["database"]));
}

/// Metrics are on an address of their own, in the Prometheus text format, with routes as
/// patterns, admission decisions and the age of the oldest unanswered item per staff queue.
#[tokio::test]
async fn metrics_are_served_apart_from_the_portal() {
    let (app, reward) = TestApp::with_open_reward("宁波市象山县人民法院").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_addr = listener.local_addr().unwrap();
    let metrics = portal_server::http::metrics::router(app.state.clone());
    tokio::spawn(async move { axum::serve(listener, metrics).await });
    assert_eq!(
        app.post_json("/api/v1/lookup", &serde_json::json!({"name": "陈小明"}))
            .await
            .status(),
        200
    );
    assert_eq!(app.get("/api/v1/notices/1").await.status(), 200);
    let (status, _) = app
        .submit_tip(
            "metrics-tip",
            &serde_json::json!({"reward_id": reward, "kind": "vessel",
                "description": "渔船停在石浦港三号码头，每天傍晚出海", "uploads": [], "declaration": true}),
        )
        .await;
    assert_eq!(status, 201);
    let res = reqwest::get(format!("http://{metrics_addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    for expected in [
        "portal_http_requests_total{method=\"POST\",route=\"/api/v1/lookup\",status=\"2xx\"}",
        "portal_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/notices/{id}\",le=\"+Inf\"}",
        "portal_admission_decisions_total{decision=\"allow\"}",
        "portal_heavy_queue_jobs ",
        "portal_db_pool_connections{state=\"idle\"}",
        "portal_queue_oldest_unanswered_seconds{queue=\"tips\"}",
        "portal_queue_oldest_unanswered_seconds{queue=\"certificate_applications\"} 0",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert!(!text.contains("/api/v1/notices/1\""), "ids are not labels");
    // Not on the public address.
    let public = app.get("/metrics").await.text().await.unwrap();
    assert!(!public.contains("portal_http_requests_total"));
}
