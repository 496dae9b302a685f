use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use portal_core::time::court_today;
use portal_core::tip::parse_tracking_code;
use portal_server::staff::Role;
use serde_json::{json, Value};

use crate::helpers::{json_of, TestApp};

const COURT: &str = "宁波市象山县人民法院";

/// A demo database and the id of an open reward notice of the showcase subject's court.
async fn setup() -> (TestApp, i64) {
    TestApp::with_open_reward(COURT).await
}

fn tip(reward_id: i64) -> Value {
    json!({
        "reward_id": reward_id,
        "kind": "vessel",
        "description": "被执行人的渔船“浙象渔01234”停在石浦港三号码头，每天傍晚出海",
        "place": "象山县石浦港",
        "seen_on": court_today().to_string(),
        "uploads": [],
        "contact": {"name": "王女士", "phone": "13800138000"},
        "declaration": true,
    })
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_tip_gets_a_signed_receipt_at_once_and_nothing_readable_is_stored() {
    let (app, reward) = setup().await;
    let (status, answer) = app.submit_tip("key-1", &tip(reward)).await;
    assert_eq!(status, 201, "{answer}");
    let code = answer["tracking_code"].as_str().unwrap();
    assert_eq!(
        parse_tracking_code(code).unwrap(),
        code,
        "16 digits with a valid check digit"
    );
    assert_eq!(answer["pin"].as_str().unwrap().len(), 6);

    // The receipt verifies with the published portal key and names no one.
    let keys: Value = app
        .get("/.well-known/portal-keys.json")
        .await
        .json()
        .await
        .unwrap();
    let key = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key_id"] == answer["receipt"]["key_id"])
        .expect("the signing key is published");
    assert_eq!(key["algorithm"], "Ed25519");
    let vk = VerifyingKey::from_bytes(
        &B64.decode(key["public_key"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    )
    .unwrap();
    let payload = B64
        .decode(answer["receipt"]["payload"].as_str().unwrap())
        .unwrap();
    let signature = Signature::from_bytes(
        &B64.decode(answer["receipt"]["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    );
    assert!(vk.verify(&payload, &signature).is_ok());
    let mut forged = payload.clone();
    forged[20] ^= 1;
    assert!(vk.verify(&forged, &signature).is_err());
    let receipt: Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(receipt["type"], "tip-receipt");
    // The receipt names the tip by a keyed hash of its code, never the code: the server keeps
    // a copy of every receipt.
    assert!(receipt.get("tracking_code").is_none());
    assert_eq!(receipt["tip_ref"], app.state.keys.get().tip_ref(code));
    assert!(!String::from_utf8_lossy(&payload).contains(code));
    assert_eq!(receipt["received_at"], answer["received_at"]);
    assert_eq!(receipt["content_sha256"].as_str().unwrap().len(), 64);
    assert!(!String::from_utf8_lossy(&payload).contains("13800138000"));

    // At rest: no description, place, contact, tracking code or PIN in clear.
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT sealed, tracking_hash, pin_hash FROM tips")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    let stored = format!("{rows:?}");
    for secret in [
        "渔船",
        "石浦港",
        "王女士",
        "13800138000",
        code,
        answer["pin"].as_str().unwrap(),
    ] {
        assert!(!stored.contains(secret), "{secret} is stored in clear");
    }
    assert!(rows[0].2.starts_with("$argon2id$"));
}

#[tokio::test]
async fn a_retry_with_the_same_key_gets_the_same_answer_and_stores_one_tip() {
    let (app, reward) = setup().await;
    let (_, first) = app.submit_tip("same-key", &tip(reward)).await;
    let (status, again) = app.submit_tip("same-key", &tip(reward)).await;
    assert_eq!(status, 201);
    assert_eq!(first, again);
    // The key is bound to its request: another body with it is refused, nothing stored.
    let mut other = tip(reward);
    other["description"] = json!("另一条线索：被执行人的车辆停在县城汽车站停车场");
    let (status, body) = app.submit_tip("same-key", &other).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("idempotency_key_reused"))
    );
    assert_eq!(count(&app, "tips").await, 1);
    // Many at once with one key, as a flaky network's retries arrive.
    let answers = futures_join(&app, "burst-key", reward, 8).await;
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "one answer for one key"
    );
    assert_eq!(count(&app, "tips").await, 2);
    assert_eq!(count(&app, "tip_submissions").await, 2);
}

async fn futures_join(app: &TestApp, key: &str, reward: i64, n: usize) -> Vec<Value> {
    let mut handles = Vec::new();
    for _ in 0..n {
        let client = app.client.clone();
        let url = app.url("/api/v1/tips");
        let body = tip(reward);
        let key = key.to_owned();
        handles.push(tokio::spawn(async move {
            let res = client
                .post(url)
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 201);
            res.json::<Value>().await.unwrap()
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn bad_tips_get_clear_errors_and_store_nothing() {
    let (app, reward) = setup().await;
    let res = app.post_json("/api/v1/tips", &tip(reward)).await;
    let (status, body) = json_of(res).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("missing_idempotency_key"))
    );

    let cases: Vec<(Value, &str)> = vec![
        (json!({"declaration": false}), "declaration"),
        // 100 KB of text: reaches the validator, which names the field.
        (json!({"description": "船".repeat(34_000)}), "description"),
        (json!({"kind": "boat"}), "kind"),
        (json!({"seen_on": "2999-01-01"}), "seen_on"),
        (
            json!({"contact": {"name": "王", "phone": "123"}}),
            "contact.phone",
        ),
        (json!({"reward_id": 999999}), "reward_id"),
    ];
    for (i, (patch, field)) in cases.into_iter().enumerate() {
        let mut body = tip(reward);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, answer) = app.submit_tip(&format!("bad-{i}"), &body).await;
        assert_eq!(status, 422, "{field}: {answer}");
        assert_eq!(answer["error"]["field"], field);
    }
    // Past the route's body limit the answer is still clear, and still in the user's language.
    let mut huge = tip(reward);
    huge["description"] = json!("船".repeat(200_000));
    let (status, answer) = app.submit_tip("huge", &huge).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (413, Some("body_too_large"))
    );
    // English on request.
    let res = app
        .client
        .post(app.url("/api/v1/tips"))
        .header("idempotency-key", "bad-en")
        .header("accept-language", "en")
        .json(&json!({"reward_id": reward, "kind": "vessel", "description": "short", "declaration": true}))
        .send()
        .await
        .unwrap();
    let (_, answer) = json_of(res).await;
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("too short"));

    // A notice past its deadline or withdrawn takes no leads.
    let expired: i64 =
        sqlx::query_scalar("SELECT MIN(id) FROM rewards WHERE deadline < $1 AND status = 'active'")
            .bind(court_today().to_string())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (status, answer) = app.submit_tip("expired", &tip(expired)).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("reward_id"))
    );
    assert_eq!(count(&app, "tips").await, 0);
    assert_eq!(count(&app, "tip_submissions").await, 0);
}

#[tokio::test]
async fn the_tipster_follows_the_status_and_wrong_pins_lock_the_code() {
    let (app, reward) = setup().await;
    let (_, answer) = app.submit_tip("k", &tip(reward)).await;
    let code = answer["tracking_code"].as_str().unwrap().to_owned();
    let pin = answer["pin"].as_str().unwrap().to_owned();
    let grouped = portal_core::tip::group_tracking_code(&code);
    let (status, page) = app.tip_status(&grouped, &pin).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["status"], "received");
    assert_eq!(page["timeline"].as_array().unwrap().len(), 1);

    // Staff move it on with a message; the tipster sees both.
    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(app.get("/api/v1/staff/tips").await).await;
    let id = queue["tips"][0]["id"].as_i64().unwrap();
    let (status, _) = json_of(
        app.post_json(
            &format!("/api/v1/staff/tips/{id}/status"),
            &json!({"status": "verifying", "message": "法院已派员前往石浦港核查"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = app.tip_status(&code, &pin).await;
    assert_eq!(page["status"], "verifying");
    assert_eq!(page["timeline"][1]["message"], "法院已派员前往石浦港核查");

    // A wrong PIN and an unknown code get the same answer.
    let wrong_pin = if pin == "000000" { "111111" } else { "000000" };
    let (s1, b1) = app.tip_status(&code, wrong_pin).await;
    let unknown = portal_core::tip::tracking_code_from("999999999999999");
    let (s2, b2) = app.tip_status(&unknown, &pin).await;
    assert_eq!((s1, s2), (404, 404));
    assert_eq!(b1, b2);
    // Malformed input is a field error, not a guess.
    let (status, body) = app.tip_status("1234", "12").await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("tracking_code"))
    );
    // Five wrong PINs in a row lock the code, even for the right PIN.
    for _ in 0..4 {
        app.tip_status(&code, wrong_pin).await;
    }
    let res = app
        .post_json(
            "/api/v1/tips/status",
            &json!({"tracking_code": code, "pin": pin}),
        )
        .await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn staff_see_their_courts_tips_first_come_first_and_every_contact_view_is_audited() {
    let (app, reward) = setup().await;
    let (_, first) = app.submit_tip("a", &tip(reward)).await;
    let mut second = tip(reward);
    second["contact"] = Value::Null;
    app.submit_tip("b", &second).await;

    let other = app
        .staff_client("reviewer2", "杭州市西湖区人民法院", Role::Reviewer)
        .await;
    let (_, theirs) = json_of(
        other
            .get(app.url("/api/v1/staff/tips"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(theirs["total"], 0, "another court sees none of them");

    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(app.get("/api/v1/staff/tips").await).await;
    assert_eq!(queue["total"], 2);
    let ids: Vec<i64> = queue["tips"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let res = other
        .get(app.url(&format!("/api/v1/staff/tips/{}", ids[0])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    let (status, detail) = json_of(app.get(&format!("/api/v1/staff/tips/{}", ids[1])).await).await;
    assert_eq!(status, 200);
    assert!(detail["description"].as_str().unwrap().contains("渔船"));
    assert!(
        detail.get("contact").is_none(),
        "contact is a separate, audited request"
    );
    let positions: Vec<(i64, bool)> = detail["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["position"].as_i64().unwrap(),
                d["this"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        positions,
        vec![(1, false), (2, true)],
        "the first tip has priority"
    );
    let (_, first_detail) = json_of(app.get(&format!("/api/v1/staff/tips/{}", ids[0])).await).await;
    assert_eq!(
        first_detail["receipt"], first["receipt"],
        "staff see the receipt the tipster holds"
    );

    let (_, contact) = json_of(
        app.get(&format!("/api/v1/staff/tips/{}/contact", ids[0]))
            .await,
    )
    .await;
    assert_eq!(contact["contact"]["phone"], "13800138000");
    let audited: Vec<String> =
        sqlx::query_scalar("SELECT action FROM staff_audit WHERE staff = 'reviewer1' ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(audited, vec!["tip.view", "tip.view", "tip.contact"]);
    // Staff see the log of the tip they open: this view first, then the contact view.
    let (_, again) = json_of(app.get(&format!("/api/v1/staff/tips/{}", ids[0])).await).await;
    let trail: Vec<(&str, &str)> = again["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["staff"].as_str().unwrap(), e["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        trail,
        vec![
            ("reviewer1", "tip.view"),
            ("reviewer1", "tip.contact"),
            ("reviewer1", "tip.view")
        ]
    );

    // Only forward moves.
    let (status, body) = json_of(
        app.post_json(
            &format!("/api/v1/staff/tips/{}/status", ids[0]),
            &json!({"status": "paid"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("status"))
    );
    let editor = app.staff_client("editor1", COURT, Role::Editor).await;
    let res = editor
        .get(app.url("/api/v1/staff/tips"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403, "editors publish; reviewers review tips");
}
