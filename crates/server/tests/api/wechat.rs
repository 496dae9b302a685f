//! WeChat share signatures (DESIGN §7.9) against a local stand-in of WeChat's token and ticket
//! endpoints, as documented: the signature, the credentials kept in the database for every
//! instance, WeChat's refusals, and a portal without an account.

use std::net::SocketAddr;
use std::sync::{
    atomic::{AtomicU32, Ordering},
    Arc,
};

use axum::{extract::Query, routing::get, Json, Router};
use portal_server::wechat::sign;
use serde_json::{json, Value};

use crate::helpers::{json_of, TestApp, WeChatAccount};

const APP_ID: &str = "wx1234567890abcdef";
const SECRET: &str = "stand-in-secret";

/// What the stand-in has been asked, and whether it refuses the app id.
#[derive(Default)]
struct Calls {
    tokens: AtomicU32,
    tickets: AtomicU32,
    refuse: std::sync::atomic::AtomicBool,
}

/// WeChat's `/cgi-bin/token` and `/cgi-bin/ticket/getticket` as documented: the n-th token is
/// `TOKEN-n`, and a ticket is given only for the latest token.
async fn stand_in() -> (String, Arc<Calls>) {
    let calls = Arc::new(Calls::default());
    let (c1, c2) = (calls.clone(), calls.clone());
    let app = Router::new()
        .route(
            "/cgi-bin/token",
            get(
                move |Query(q): Query<std::collections::HashMap<String, String>>| {
                    let calls = c1.clone();
                    async move {
                        let right = q.get("grant_type").map(String::as_str)
                            == Some("client_credential")
                            && q.get("appid").map(String::as_str) == Some(APP_ID)
                            && q.get("secret").map(String::as_str) == Some(SECRET);
                        if !right || calls.refuse.load(Ordering::SeqCst) {
                            return Json(json!({"errcode": 40013, "errmsg": "invalid appid"}));
                        }
                        let n = calls.tokens.fetch_add(1, Ordering::SeqCst) + 1;
                        Json(json!({"access_token": format!("TOKEN-{n}"), "expires_in": 7200}))
                    }
                },
            ),
        )
        .route(
            "/cgi-bin/ticket/getticket",
            get(
                move |Query(q): Query<std::collections::HashMap<String, String>>| {
                    let calls = c2.clone();
                    async move {
                        let latest = format!("TOKEN-{}", calls.tokens.load(Ordering::SeqCst));
                        if q.get("access_token") != Some(&latest)
                            || q.get("type").map(String::as_str) != Some("jsapi")
                        {
                            return Json(json!({"errcode": 40001, "errmsg": "invalid credential"}));
                        }
                        let n = calls.tickets.fetch_add(1, Ordering::SeqCst) + 1;
                        Json(json!({
                            "errcode": 0, "errmsg": "ok",
                            "ticket": format!("TICKET-{n}"), "expires_in": 7200,
                        }))
                    }
                },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), calls)
}

fn account(api_base: &str) -> WeChatAccount {
    WeChatAccount {
        app_id: APP_ID.into(),
        secret: SECRET.into(),
        api_base: api_base.into(),
    }
}

async fn signature(app: &TestApp, url: &str) -> (u16, Value) {
    let res = app
        .client
        .get(app.url("/api/v1/wechat/signature"))
        .query(&[("url", url)])
        .send()
        .await
        .unwrap();
    json_of(res).await
}

/// The ticket a signature was made with, of the `tried` ones.
fn signed_with(answer: &Value, url: &str, tried: &[&str]) -> Option<String> {
    tried
        .iter()
        .find(|t| {
            sign(
                t,
                answer["nonce_str"].as_str().unwrap(),
                answer["timestamp"].as_u64().unwrap(),
                url,
            ) == answer["signature"]
        })
        .map(|t| (*t).to_owned())
}

#[tokio::test]
async fn without_an_account_the_route_is_not_found() {
    let app = TestApp::spawn().await;
    let (status, answer) = signature(&app, "https://portal.example/n/1").await;
    assert_eq!(status, 404);
    assert_eq!(answer["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_page_is_signed_without_its_fragment_and_every_instance_shares_one_ticket() {
    let (base, calls) = stand_in().await;
    let first = TestApp::spawn_with_wechat(&account(&base)).await;
    let second = first.another_instance_with_wechat(&account(&base)).await;
    let page = "https://portal.example/n/12?from=timeline";
    let (status, answer) = signature(&first, &format!("{page}#top")).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["app_id"], APP_ID);
    assert_eq!(answer["nonce_str"].as_str().unwrap().len(), 16);
    let now = portal_core::time::now_ms() / 1000;
    assert!(answer["timestamp"].as_i64().unwrap().abs_diff(now) < 60);
    assert_eq!(
        signed_with(&answer, page, &["TICKET-1"]).as_deref(),
        Some("TICKET-1")
    );
    for app in [&first, &second, &second] {
        let (status, again) = signature(app, page).await;
        assert_eq!(status, 200);
        assert_eq!(
            signed_with(&again, page, &["TICKET-1"]).as_deref(),
            Some("TICKET-1")
        );
        assert_ne!(again["nonce_str"], answer["nonce_str"]);
    }
    assert_eq!(calls.tokens.load(Ordering::SeqCst), 1);
    assert_eq!(calls.tickets.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_ticket_near_its_expiry_is_fetched_again_with_the_stored_token() {
    let (base, calls) = stand_in().await;
    let app = TestApp::spawn_with_wechat(&account(&base)).await;
    let page = "https://portal.example/";
    assert_eq!(signature(&app, page).await.0, 200);
    // Two minutes left: inside the five-minute margin.
    sqlx::query("UPDATE wechat_credentials SET expires_at = $1 WHERE kind = 'jsapi_ticket'")
        .bind(portal_core::time::now_ms() + 120_000)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, answer) = signature(&app, page).await;
    assert_eq!(status, 200);
    assert_eq!(
        signed_with(&answer, page, &["TICKET-1", "TICKET-2"]).as_deref(),
        Some("TICKET-2")
    );
    assert_eq!(calls.tokens.load(Ordering::SeqCst), 1);
    assert_eq!(calls.tickets.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_refusal_by_wechat_is_a_503_and_the_next_request_tries_again() {
    let (base, calls) = stand_in().await;
    let app = TestApp::spawn_with_wechat(&account(&base)).await;
    calls.refuse.store(true, Ordering::SeqCst);
    let (status, answer) = signature(&app, "https://portal.example/").await;
    assert_eq!(status, 503, "{answer}");
    assert_eq!(answer["error"]["code"], "server_busy");
    calls.refuse.store(false, Ordering::SeqCst);
    let (status, answer) = signature(&app, "https://portal.example/").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(calls.tickets.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_bad_page_address_is_a_field_error_and_wechat_is_not_asked() {
    let (base, calls) = stand_in().await;
    let app = TestApp::spawn_with_wechat(&account(&base)).await;
    for url in ["", "javascript:alert(1)", "/n/12"] {
        let (status, answer) = signature(&app, url).await;
        assert_eq!(status, 422, "{url}: {answer}");
        assert_eq!(answer["error"]["field"], "url");
    }
    assert_eq!(calls.tokens.load(Ordering::SeqCst), 0);
}
