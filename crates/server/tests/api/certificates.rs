//! Self-performance certificates: apply → issue → verify (offline signature, live status, who
//! verified) → supersede → revoke, and the bad input of each step.

use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use portal_core::certificate::{CertificatePayload, SignedPayload};
use portal_core::time::court_today;
use portal_server::{keys::court::CourtKeys, partners, seed, staff::Role};
use serde_json::{json, Value};

use crate::helpers::{json_of, TestApp};

/// The showcase subject's court (陈小明, listed in a 象山 case).
const COURT: &str = "宁波市象山县人民法院";

fn application(showcase: &Value) -> Value {
    json!({
        "case_number": showcase["case"],
        "name": showcase["name"],
        "id_number": showcase["id"],
        "stage": "during_enforcement",
        "amount": 12500.5,
        "performed_on": court_today().to_string(),
        "phone": "13800138000",
        "honour_consent": true,
    })
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The court key `key_id` as `/.well-known/court-keys.json` publishes it, and its status.
async fn published_key(app: &TestApp, key_id: &str) -> ([u8; 32], String) {
    let (status, keys) = json_of(app.get("/.well-known/court-keys.json").await).await;
    assert_eq!(status, 200);
    let key = keys["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key_id"] == key_id)
        .unwrap_or_else(|| panic!("{key_id} in {keys}"));
    assert_eq!(key["algorithm"], "Ed25519");
    assert_eq!(key["court"], COURT);
    let public: [u8; 32] = B64
        .decode(key["public_key"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    (public, key["status"].as_str().unwrap().to_owned())
}

/// `portal-server certificate verify TEXT` on the app's data folder and database.
fn cli_verify(app: &TestApp, text: &str) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal-server"))
        .args([
            "certificate",
            "verify",
            text,
            "--database-url",
            &app.test_db.url,
        ])
        .arg("--data-dir")
        .arg(app.test_db.dir.path())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The certificate numbers on the honour list.
async fn honour(app: &TestApp) -> Vec<String> {
    let (_, list) = json_of(app.get("/api/v1/honour").await).await;
    list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["number"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_certificate_is_applied_for_issued_verified_replaced_and_revoked() {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 200, court_today()).await.unwrap();
    let showcase = seed::showcase_json(court_today());
    let listed = &showcase["listed"];
    let apply = |body: Value| {
        let app = &app;
        async move {
            json_of(
                app.post_json("/api/v1/certificates/applications", &body)
                    .await,
            )
            .await
        }
    };

    // Bad input: a clear field error each, nothing stored.
    for (field, value, expected) in [
        ("name", json!("王某某"), "id_number"),
        ("id_number", json!("110105199003071234"), "id_number"),
        ("stage", json!("during_trial"), "stage"),
        ("amount", json!(0), "amount"),
        ("amount", json!("-3"), "amount"),
        ("performed_on", json!("2099-01-01"), "performed_on"),
        ("case_number", json!("(2024)浙0225执9999号"), "id_number"),
    ] {
        let mut body = application(listed);
        body[field] = value.clone();
        let (status, answer) = apply(body).await;
        assert_eq!(
            (status, answer["error"]["field"].as_str()),
            (422, Some(expected)),
            "{field} = {value}: {answer}"
        );
    }
    assert_eq!(count(&app, "certificate_applications").await, 0);

    let (status, accepted) = apply(application(listed)).await;
    assert_eq!(status, 201, "{accepted}");
    let code = accepted["application_code"].as_str().unwrap().to_owned();
    let pin = accepted["pin"].as_str().unwrap().to_owned();
    let application_status = || {
        let (app, code, pin) = (&app, code.clone(), pin.clone());
        async move {
            json_of(
                app.post_json(
                    "/api/v1/certificates/applications/status",
                    &json!({"application_code": code, "pin": pin}),
                )
                .await,
            )
            .await
        }
    };
    let (status, state) = application_status().await;
    assert_eq!((status, state["status"].as_str()), (200, Some("pending")));

    // The creditor, given the confirmation code, sees what to confirm and answers once.
    let creditor_code = accepted["creditor_code"].as_str().unwrap().to_owned();
    assert_ne!(creditor_code, code);
    let creditor = |path: &'static str, body: Value| {
        let app = &app;
        async move { json_of(app.post_json(path, &body).await).await }
    };
    let (status, view) = creditor(
        "/api/v1/certificates/confirmations/lookup",
        json!({"creditor_code": creditor_code}),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["amount"], "12,500.50");
    assert_eq!(view["deadline"], accepted["creditor_deadline"]);
    assert!(view.get("id_number").is_none() && view.get("phone").is_none());
    let (status, answer) = creditor(
        "/api/v1/certificates/confirmations",
        json!({"creditor_code": creditor_code, "answer": "disputed"}),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("note"))
    );
    let (status, _) = creditor(
        "/api/v1/certificates/confirmations",
        json!({"creditor_code": code, "answer": "confirmed"}),
    )
    .await;
    assert_eq!(
        status, 404,
        "the applicant's own code is not the creditor's"
    );
    let (status, _) = creditor(
        "/api/v1/certificates/confirmations",
        json!({"creditor_code": creditor_code, "answer": "confirmed"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = creditor(
        "/api/v1/certificates/confirmations",
        json!({"creditor_code": creditor_code, "answer": "disputed", "note": "改主意了"}),
    )
    .await;
    assert_eq!(status, 409, "one answer");

    // Another court's reviewer sees nothing of it.
    let other = app
        .staff_client("reviewer2", "杭州市西湖区人民法院", Role::Reviewer)
        .await;
    let id = {
        app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
        let (_, queue) = json_of(
            app.get("/api/v1/staff/certificates/applications?status=pending")
                .await,
        )
        .await;
        assert_eq!(queue["applications"][0]["subject_id"], "3302251985****1231");
        assert_eq!(queue["applications"][0]["amount"], "12,500.50");
        assert_eq!(queue["applications"][0]["creditor"]["answer"], "confirmed");
        queue["applications"][0]["id"].as_i64().unwrap()
    };
    let res = other
        .post(app.url(&format!(
            "/api/v1/staff/certificates/applications/{id}/issue"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Without a court key there is nothing to sign with: a clear conflict.
    let issue = || async {
        json_of(
            app.post_json(
                &format!("/api/v1/staff/certificates/applications/{id}/issue"),
                &json!({}),
            )
            .await,
        )
        .await
    };
    let (status, answer) = issue().await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("court-key generate"));

    // `portal-server court-key generate` writes the file; the running server picks it up.
    let key_file = app.test_db.dir.path().join("court-keys.json");
    let first_key = CourtKeys::load(&key_file).unwrap().generate(COURT).unwrap();
    let (status, issued) = issue().await;
    assert_eq!(status, 200, "{issued}");
    let number = issued["number"].as_str().unwrap().to_owned();
    let (status, again) = issue().await;
    assert_eq!(status, 409, "issued once: {again}");

    // The public record: its signature checks against the published court key, offline.
    let (status, record) = json_of(
        app.get(&format!(
            "/api/v1/certificates/{number}?channel=qr&name=陈小明"
        ))
        .await,
    )
    .await;
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["status"], "valid");
    assert_eq!(record["key_id"], first_key.as_str());
    let signed = SignedPayload {
        payload: B64.decode(record["payload"].as_str().unwrap()).unwrap(),
        signature: B64
            .decode(record["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    };
    let (public, key_status) = published_key(&app, &first_key).await;
    assert_eq!(key_status, "current");
    assert!(signed.verifies_with(&public));
    let payload = CertificatePayload::from_bytes(&signed.payload).unwrap();
    assert_eq!(payload.number(), number);
    assert_eq!(payload.name, "陈小明");
    assert_eq!(payload.subject.shown(), "3302251985****1231");
    assert_eq!(payload.amount_fen, 1_250_050);
    assert_eq!(payload.case_number, listed["case"].as_str().unwrap());
    // What a QR code carries reads back to the same signed bytes, and the command line checks it.
    let qr = signed.qr_text(&format!("http://{}", app.addr));
    assert_eq!(SignedPayload::parse(&qr).unwrap(), signed);
    let (ok, out) = cli_verify(&app, &qr);
    assert!(ok, "{out}");
    assert!(
        out.contains("signature valid") && out.contains("status / 状态: valid"),
        "{out}"
    );
    let mut forged = signed.clone();
    forged.payload[20] ^= 1;
    let (ok, out) = cli_verify(&app, &forged.qr_text("http://x"));
    assert!(
        !ok && (out.contains("not a certificate payload")
            || out.contains("signature is not valid")),
        "{out}"
    );

    // A partner checks it through the API; a typo in the number is a field error.
    let partner = partners::store::add(
        &app.db,
        "示例银行",
        &["https://bank.example".into()],
        "贷款审核",
    )
    .await
    .unwrap();
    let bank = reqwest::Client::new();
    let verify = |number: String| {
        let (bank, app, key) = (&bank, &app, partner.api_key.clone());
        async move {
            json_of(
                bank.post(app.url("/api/v1/partner/certificates/verify"))
                    .bearer_auth(key)
                    .json(&json!({ "number": number }))
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let (status, checked) = verify(number.clone()).await;
    assert_eq!((status, checked["status"].as_str()), (200, Some("valid")));
    let mut typo = number.clone().into_bytes();
    typo[2] = if typo[2] == b'9' { b'0' } else { typo[2] + 1 };
    let (status, answer) = verify(String::from_utf8(typo).unwrap()).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("number"))
    );

    // The subject sees who verified it.
    let (_, state) = application_status().await;
    assert_eq!(state["status"], "issued");
    let channels: Vec<&str> = state["verifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["partner", "qr"]);
    assert_eq!(state["verifications"][0]["partner"], "示例银行");

    // With consent, the honour list names the subject (until the certificate stops standing).
    assert_eq!(honour(&app).await, vec![number.clone()]);
    // The publicity honour list: by the case's province, a page at a time.
    let (_, by_province) = json_of(app.get("/api/v1/honour?province=33").await).await;
    assert_eq!(by_province["total"], 1);
    assert_eq!(by_province["entries"][0]["number"], number.as_str());
    assert_eq!(by_province["entries"][0]["province"], "33");
    let (_, elsewhere) = json_of(app.get("/api/v1/honour?province=11").await).await;
    assert_eq!(elsewhere["total"], 0);
    assert_eq!(app.get("/api/v1/honour?province=99").await.status(), 422);

    // The court rotates its key: the certificate still verifies with the retired key.
    let second_key = CourtKeys::load(&key_file).unwrap().generate(COURT).unwrap();
    let (public_again, key_status) = published_key(&app, &first_key).await;
    assert_eq!((public_again, key_status.as_str()), (public, "retired"));
    assert!(signed.verifies_with(&public));

    // Replaced by a new certificate (signed with the new key), then that one revoked.
    let (status, replaced) = json_of(
        app.post_json(
            &format!("/api/v1/staff/certificates/{number}/supersede"),
            &json!({"reason": "更正履行金额的书写格式"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{replaced}");
    let new_number = replaced["number"].as_str().unwrap().to_owned();
    let (_, old) = json_of(
        app.get(&format!("/api/v1/certificates/{number}?name=陈小明"))
            .await,
    )
    .await;
    assert_eq!(old["status"], "superseded");
    assert_eq!(old["superseded_by"], new_number.as_str());
    let (_, new) = json_of(
        app.get(&format!("/api/v1/certificates/{new_number}?name=陈小明"))
            .await,
    )
    .await;
    assert_eq!(new["key_id"], second_key.as_str());

    let revoke = |reason: &str| {
        let (app, url) = (
            &app,
            format!("/api/v1/staff/certificates/{new_number}/revoke"),
        );
        let body = json!({ "reason": reason });
        async move { json_of(app.post_json(&url, &body).await).await }
    };
    let (status, answer) = revoke("  ").await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("reason"))
    );
    let (status, _) = revoke("申请人提交的付款凭证系伪造").await;
    assert_eq!(status, 204);
    let (status, _) = revoke("再次撤销").await;
    assert_eq!(status, 409);
    let (_, revoked) = json_of(
        app.get(&format!("/api/v1/certificates/{new_number}?name=陈小明"))
            .await,
    )
    .await;
    assert_eq!(revoked["status"], "revoked");
    assert!(
        honour(&app).await.is_empty(),
        "revoked: off the honour list"
    );
    let revoked_signed = SignedPayload {
        payload: B64.decode(revoked["payload"].as_str().unwrap()).unwrap(),
        signature: B64
            .decode(revoked["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    };
    let (ok, out) = cli_verify(&app, &revoked_signed.qr_text("http://x"));
    assert!(
        !ok && out.contains("signature valid") && out.contains("revoked"),
        "{out}"
    );
    assert_eq!(revoked["reason"], "申请人提交的付款凭证系伪造");

    // Unknown numbers and wrong PINs get clear, generic answers.
    let (status, _) = json_of(app.get("/api/v1/certificates/0000009990").await).await;
    assert!(status == 404 || status == 422, "{status}");
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let (status, _) = json_of(
        app.post_json(
            "/api/v1/certificates/applications/status",
            &json!({"application_code": code, "pin": wrong}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_refused_application_says_why_and_cannot_be_issued() {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 50, court_today()).await.unwrap();
    let showcase = seed::showcase_json(court_today());
    let (status, accepted) = json_of(
        app.post_json(
            "/api/v1/certificates/applications",
            &application(&showcase["listed"]),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201);
    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(app.get("/api/v1/staff/certificates/applications").await).await;
    let id = queue["applications"][0]["id"].as_i64().unwrap();
    let url = format!("/api/v1/staff/certificates/applications/{id}/refuse");
    let (status, _) = json_of(app.post_json(&url, &json!({"reason": ""})).await).await;
    assert_eq!(status, 422);
    let res = app
        .post_json(&url, &json!({"reason": "未提交履行凭证"}))
        .await;
    assert_eq!(res.status(), 204);
    CourtKeys::load(&app.test_db.dir.path().join("court-keys.json"))
        .unwrap()
        .generate(COURT)
        .unwrap();
    let res = app
        .post_json(
            &format!("/api/v1/staff/certificates/applications/{id}/issue"),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 409);
    let (_, state) = json_of(
        app.post_json(
            "/api/v1/certificates/applications/status",
            &json!({"application_code": accepted["application_code"], "pin": accepted["pin"]}),
        )
        .await,
    )
    .await;
    assert_eq!(state["status"], "refused");
    assert_eq!(state["reason"], "未提交履行凭证");
    assert_eq!(state["certificates"], json!([]));
}
