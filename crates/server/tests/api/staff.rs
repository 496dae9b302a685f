use portal_server::staff::{store as staff, Role};
use serde_json::json;

use crate::helpers::TestApp;

const PASSWORD: &str = "a-long-secret-password";

async fn with_account() -> TestApp {
    let app = TestApp::spawn().await;
    staff::add(
        &app.db,
        "clerk",
        "宁波市象山县人民法院",
        Role::Reviewer,
        PASSWORD,
    )
    .await
    .unwrap();
    app
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_the_session() {
    let app = with_account().await;
    assert_eq!(app.get("/api/v1/staff/me").await.status(), 401);

    let res = app
        .post_json(
            "/api/v1/staff/login",
            &json!({"username": "clerk", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/api"] {
        assert!(cookie.contains(attr), "{attr} in {cookie}");
    }
    let who: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        who,
        json!({"username": "clerk", "court": "宁波市象山县人民法院", "role": "reviewer"})
    );

    let me: serde_json::Value = app.get("/api/v1/staff/me").await.json().await.unwrap();
    assert_eq!(me["username"], "clerk");

    // Only a hash of the token is stored.
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("portal_session=")
        .to_owned();
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM staff_sessions")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    assert_eq!(
        app.client
            .post(app.url("/api/v1/staff/logout"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(app.get("/api/v1/staff/me").await.status(), 401);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff_sessions")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_get_the_same_answer() {
    let app = with_account().await;
    for body in [
        json!({"username": "clerk", "password": "wrong-password"}),
        json!({"username": "nobody", "password": PASSWORD}),
    ] {
        let res = app.post_json("/api/v1/staff/login", &body).await;
        assert_eq!(res.status(), 400);
        assert!(res.headers().get("set-cookie").is_none());
        let e: serde_json::Value = res.json().await.unwrap();
        assert_eq!(e["error"]["code"], "invalid_credentials");
        assert_eq!(e["error"]["message"], "用户名或密码不正确");
    }
}

#[tokio::test]
async fn bad_login_requests_get_field_errors_in_the_requested_language() {
    let app = with_account().await;
    let res = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .json(&json!({"username": " ", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        e["error"],
        json!({"code": "missing_field", "message": "This field is required", "field": "username"})
    );

    let res = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!(e["error"]["code"], "invalid_json");

    let res = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .body("username=clerk")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let e: serde_json::Value = res.json().await.unwrap();
    assert_eq!(e["error"]["code"], "unsupported_media_type");
}

#[tokio::test]
async fn accounts_need_a_valid_username_a_long_password_and_a_free_name() {
    let app = TestApp::spawn().await;
    let court = "宁波市象山县人民法院";
    assert!(staff::add(&app.db, "ab", court, Role::Admin, PASSWORD)
        .await
        .is_err());
    assert!(
        staff::add(&app.db, "has space", court, Role::Admin, PASSWORD)
            .await
            .is_err()
    );
    assert!(staff::add(&app.db, "clerk", court, Role::Admin, "short")
        .await
        .is_err());
    assert!(staff::add(&app.db, "clerk", " ", Role::Admin, PASSWORD)
        .await
        .is_err());
    staff::add(&app.db, "clerk", court, Role::Admin, PASSWORD)
        .await
        .unwrap();
    let dup = staff::add(&app.db, "clerk", court, Role::Editor, PASSWORD)
        .await
        .unwrap_err();
    assert!(dup.to_string().contains("already taken"), "{dup}");
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(n, 1);
}
