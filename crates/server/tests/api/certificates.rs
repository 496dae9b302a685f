//! Self-performance certificates: apply → issue → verify (offline signature, live status, who
//! verified) → supersede → revoke, and the bad input of each step. Each case starts from an app of
//! its own and reaches the state it checks through the helpers below (`applied`, `issued`,
//! `replaced`), the way a person would: through the API and `court-key generate`.

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

/// A fresh app on a demo database (the showcase subject is listed in a case of `COURT`).
async fn demo_app() -> TestApp {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 200, court_today()).await.unwrap();
    app
}

/// The showcase subject's listed case, name and ID number.
fn listed() -> Value {
    seed::showcase_json(court_today())["listed"].clone()
}

/// `POST path` with a JSON body: the status and the JSON answer.
async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    json_of(app.post_json(path, body).await).await
}

/// `GET path`: the status and the JSON answer.
async fn get(app: &TestApp, path: &str) -> (u16, Value) {
    json_of(app.get(path).await).await
}

/// `POST /api/v1/certificates/applications`.
async fn apply(app: &TestApp, body: &Value) -> (u16, Value) {
    post(app, "/api/v1/certificates/applications", body).await
}

/// The showcase subject's application, accepted: the answer with its codes and PIN.
async fn applied(app: &TestApp) -> Value {
    let (status, accepted) = apply(app, &application(&listed())).await;
    assert_eq!(status, 201, "{accepted}");
    accepted
}

/// `POST /api/v1/certificates/applications/status` with the application's code and `pin`.
async fn application_status(app: &TestApp, accepted: &Value, pin: &str) -> (u16, Value) {
    post(
        app,
        "/api/v1/certificates/applications/status",
        &json!({"application_code": accepted["application_code"], "pin": pin}),
    )
    .await
}

/// The creditor's answer `body` to `POST /api/v1/certificates/confirmations`.
async fn creditor_answers(app: &TestApp, body: Value) -> (u16, Value) {
    post(app, "/api/v1/certificates/confirmations", &body).await
}

/// Signs the app's client in as a reviewer of `COURT`; the first pending application of its
/// queue.
async fn first_pending(app: &TestApp) -> Value {
    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = get(
        app,
        "/api/v1/staff/certificates/applications?status=pending",
    )
    .await;
    queue["applications"][0].clone()
}

/// `POST /api/v1/staff/certificates/applications/{id}/issue` as the signed-in reviewer.
async fn issue(app: &TestApp, id: i64) -> (u16, Value) {
    post(
        app,
        &format!("/api/v1/staff/certificates/applications/{id}/issue"),
        &json!({}),
    )
    .await
}

fn key_file(app: &TestApp) -> std::path::PathBuf {
    app.test_db.dir.path().join("court-keys.json")
}

/// What `portal-server court-key generate --court COURT` does: a new current key in the data
/// folder's key file (the running server picks it up). Returns its id.
fn generate_court_key(app: &TestApp) -> String {
    CourtKeys::load(&key_file(app))
        .unwrap()
        .generate(COURT)
        .unwrap()
}

/// The court rotates its key (`court-key generate` again); returns the new key's id. The server
/// notices the file by its modification time, and two writes close together can get the same
/// time on a coarse file-system clock: first wait until a write gets a later time than the file
/// has now.
async fn rotate_court_key(app: &TestApp) -> String {
    let mtime = |path: &std::path::Path| std::fs::metadata(path).unwrap().modified().unwrap();
    let written = mtime(&key_file(app));
    let probe = app.test_db.dir.path().join("clock-probe");
    loop {
        std::fs::write(&probe, b"x").unwrap();
        if mtime(&probe) > written {
            break;
        }
        tokio::task::yield_now().await;
    }
    generate_court_key(app)
}

/// A certificate issued to the showcase subject, and what it came from.
struct Issued {
    /// The certificate number.
    number: String,
    /// The id of the court key that signed it.
    key: String,
    /// The accepted application (its code and PIN).
    accepted: Value,
}

/// Applies, generates the court's key and issues, signed in as a reviewer of `COURT`.
async fn issued(app: &TestApp) -> Issued {
    let accepted = applied(app).await;
    let id = first_pending(app).await["id"].as_i64().unwrap();
    let key = generate_court_key(app);
    let (status, issued) = issue(app, id).await;
    assert_eq!(status, 200, "{issued}");
    Issued {
        number: issued["number"].as_str().unwrap().to_owned(),
        key,
        accepted,
    }
}

/// The signed bytes of a public certificate record.
fn signed_of(record: &Value) -> SignedPayload {
    SignedPayload {
        payload: B64.decode(record["payload"].as_str().unwrap()).unwrap(),
        signature: B64
            .decode(record["signature"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap(),
    }
}

/// The public record of certificate `number` as the showcase subject's name opens it.
async fn record(app: &TestApp, number: &str) -> Value {
    let (status, record) = get(app, &format!("/api/v1/certificates/{number}?name=陈小明")).await;
    assert_eq!(status, 200, "{record}");
    record
}

/// Adds the partner 示例银行; its API key.
async fn partner_key(app: &TestApp) -> String {
    partners::store::add(
        &app.db,
        "示例银行",
        &["https://bank.example".into()],
        "贷款审核",
    )
    .await
    .unwrap()
    .api_key
}

/// `POST /api/v1/partner/certificates/verify` as the partner with `key`, from a client of its own.
async fn partner_verifies(app: &TestApp, key: &str, number: &str) -> (u16, Value) {
    json_of(
        reqwest::Client::new()
            .post(app.url("/api/v1/partner/certificates/verify"))
            .bearer_auth(key)
            .json(&json!({ "number": number }))
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// `POST /api/v1/staff/certificates/{number}/{action}` with a reason, as the signed-in reviewer.
async fn with_reason(app: &TestApp, number: &str, action: &str, reason: &str) -> (u16, Value) {
    post(
        app,
        &format!("/api/v1/staff/certificates/{number}/{action}"),
        &json!({ "reason": reason }),
    )
    .await
}

/// An issued certificate replaced, after the court rotated its key, by one signed with the new key.
struct Replaced {
    /// The first certificate's number.
    old: String,
    /// The replacement's number.
    new: String,
    /// The id of the court's new key.
    new_key: String,
}

/// Issues, rotates the court's key, and replaces the certificate with a new one.
async fn replaced(app: &TestApp) -> Replaced {
    let Issued { number, .. } = issued(app).await;
    let new_key = rotate_court_key(app).await;
    let (status, replaced) = with_reason(app, &number, "supersede", "更正履行金额的书写格式").await;
    assert_eq!(status, 200, "{replaced}");
    Replaced {
        old: number,
        new: replaced["number"].as_str().unwrap().to_owned(),
        new_key,
    }
}

/// Why the replacement is revoked.
const REVOKED_BECAUSE: &str = "申请人提交的付款凭证系伪造";

#[tokio::test]
async fn bad_application_input_is_a_field_error_each_and_nothing_is_stored() {
    let app = demo_app().await;
    let listed = listed();
    for (field, value, expected) in [
        ("name", json!("王某某"), "id_number"),
        ("id_number", json!("110105199003071234"), "id_number"),
        ("stage", json!("during_trial"), "stage"),
        ("amount", json!(0), "amount"),
        ("amount", json!("-3"), "amount"),
        ("performed_on", json!("2099-01-01"), "performed_on"),
        ("case_number", json!("(2024)浙0225执9999号"), "id_number"),
    ] {
        let mut body = application(&listed);
        body[field] = value.clone();
        let (status, answer) = apply(&app, &body).await;
        assert_eq!(
            (status, answer["error"]["field"].as_str()),
            (422, Some(expected)),
            "{field} = {value}: {answer}"
        );
    }
    assert_eq!(count(&app, "certificate_applications").await, 0);
}

#[tokio::test]
async fn an_accepted_application_is_pending_under_its_code_and_pin() {
    let app = demo_app().await;
    let accepted = applied(&app).await;
    let (status, state) =
        application_status(&app, &accepted, accepted["pin"].as_str().unwrap()).await;
    assert_eq!((status, state["status"].as_str()), (200, Some("pending")));
}

#[tokio::test]
async fn a_wrong_pin_gets_a_generic_not_found() {
    let app = demo_app().await;
    let accepted = applied(&app).await;
    let wrong = if accepted["pin"] == "000000" {
        "111111"
    } else {
        "000000"
    };
    let (status, _) = application_status(&app, &accepted, wrong).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_unknown_certificate_number_gets_a_generic_answer() {
    let app = demo_app().await;
    let (status, _) = get(&app, "/api/v1/certificates/0000009990").await;
    assert!(status == 404 || status == 422, "{status}");
}

#[tokio::test]
async fn the_creditor_sees_the_amount_and_deadline_to_confirm_but_no_id_number_or_phone() {
    let app = demo_app().await;
    let accepted = applied(&app).await;
    let (status, view) = post(
        &app,
        "/api/v1/certificates/confirmations/lookup",
        &json!({"creditor_code": accepted["creditor_code"]}),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["amount"], "12,500.50");
    assert_eq!(view["deadline"], accepted["creditor_deadline"]);
    assert!(view.get("id_number").is_none() && view.get("phone").is_none());
}

#[tokio::test]
async fn the_creditor_answers_once_with_their_own_code_and_a_dispute_needs_a_note() {
    let app = demo_app().await;
    let accepted = applied(&app).await;
    let code = accepted["application_code"].as_str().unwrap();
    let creditor_code = accepted["creditor_code"].as_str().unwrap();
    assert_ne!(creditor_code, code);
    let (status, answer) = creditor_answers(
        &app,
        json!({"creditor_code": creditor_code, "answer": "disputed"}),
    )
    .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("note"))
    );
    let (status, _) =
        creditor_answers(&app, json!({"creditor_code": code, "answer": "confirmed"})).await;
    assert_eq!(
        status, 404,
        "the applicant's own code is not the creditor's"
    );
    let (status, _) = creditor_answers(
        &app,
        json!({"creditor_code": creditor_code, "answer": "confirmed"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = creditor_answers(
        &app,
        json!({"creditor_code": creditor_code, "answer": "disputed", "note": "改主意了"}),
    )
    .await;
    assert_eq!(status, 409, "one answer");
}

#[tokio::test]
async fn the_courts_reviewer_sees_the_masked_subject_the_amount_and_the_creditors_answer() {
    let app = demo_app().await;
    let accepted = applied(&app).await;
    let (status, _) = creditor_answers(
        &app,
        json!({"creditor_code": accepted["creditor_code"], "answer": "confirmed"}),
    )
    .await;
    assert_eq!(status, 204);
    let pending = first_pending(&app).await;
    assert_eq!(pending["subject_id"], "3302251985****1231");
    assert_eq!(pending["amount"], "12,500.50");
    assert_eq!(pending["creditor"]["answer"], "confirmed");
}

#[tokio::test]
async fn another_courts_reviewer_cannot_issue_the_application() {
    let app = demo_app().await;
    applied(&app).await;
    let id = first_pending(&app).await["id"].as_i64().unwrap();
    let other = app
        .staff_client("reviewer2", "杭州市西湖区人民法院", Role::Reviewer)
        .await;
    let res = other
        .post(app.url(&format!(
            "/api/v1/staff/certificates/applications/{id}/issue"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn without_a_court_key_issuing_is_a_conflict_that_names_court_key_generate() {
    let app = demo_app().await;
    applied(&app).await;
    let id = first_pending(&app).await["id"].as_i64().unwrap();
    let (status, answer) = issue(&app, id).await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("court-key generate"));
}

#[tokio::test]
async fn once_court_key_generate_has_run_the_application_is_issued_once() {
    let app = demo_app().await;
    applied(&app).await;
    let id = first_pending(&app).await["id"].as_i64().unwrap();
    generate_court_key(&app);
    let (status, issued) = issue(&app, id).await;
    assert_eq!(status, 200, "{issued}");
    let (status, again) = issue(&app, id).await;
    assert_eq!(status, 409, "issued once: {again}");
}

#[tokio::test]
async fn the_public_record_is_signed_by_the_published_court_key_and_checks_offline() {
    let app = demo_app().await;
    let Issued { number, key, .. } = issued(&app).await;
    let (status, record) = get(
        &app,
        &format!("/api/v1/certificates/{number}?channel=qr&name=陈小明"),
    )
    .await;
    assert_eq!(status, 200, "{record}");
    assert_eq!(record["status"], "valid");
    assert_eq!(record["key_id"], key.as_str());
    let signed = signed_of(&record);
    let (public, key_status) = published_key(&app, &key).await;
    assert_eq!(key_status, "current");
    assert!(signed.verifies_with(&public));
    let payload = CertificatePayload::from_bytes(&signed.payload).unwrap();
    assert_eq!(payload.number(), number);
    assert_eq!(payload.name, "陈小明");
    assert_eq!(payload.subject.shown(), "3302251985****1231");
    assert_eq!(payload.amount_fen, 1_250_050);
    assert_eq!(payload.case_number, listed()["case"].as_str().unwrap());
}

#[tokio::test]
async fn the_qr_text_reads_back_to_the_same_signed_bytes() {
    let app = demo_app().await;
    let Issued { number, .. } = issued(&app).await;
    let signed = signed_of(&record(&app, &number).await);
    let qr = signed.qr_text(&format!("http://{}", app.addr));
    assert_eq!(SignedPayload::parse(&qr).unwrap(), signed);
}

#[tokio::test]
async fn the_verify_page_fetches_the_table_names_are_matched_with_compressed_and_cacheable() {
    let app = TestApp::spawn().await;
    let res = reqwest::Client::new()
        .get(app.url("/C/simplified-forms.txt"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["cache-control"], "public, max-age=86400");
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = app
        .get("/C/simplified-forms.txt")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(text, portal_core::name::simplified_forms());
    let forms = portal_core::SimplifiedForms::parse(&text).unwrap();
    assert_eq!(
        portal_core::normalize_name_with("陳 小明", |c| forms.simplify(c)),
        portal_core::normalize_name("陈小明")
    );
}

#[tokio::test]
async fn the_cli_verifies_the_qr_text_and_rejects_a_forged_one() {
    let app = demo_app().await;
    let Issued { number, .. } = issued(&app).await;
    let signed = signed_of(&record(&app, &number).await);
    let (ok, out) = cli_verify(&app, &signed.qr_text(&format!("http://{}", app.addr)));
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
}

#[tokio::test]
async fn a_partner_verifies_a_certificate_and_a_typo_in_the_number_is_a_field_error() {
    let app = demo_app().await;
    let Issued { number, .. } = issued(&app).await;
    let key = partner_key(&app).await;
    let (status, checked) = partner_verifies(&app, &key, &number).await;
    assert_eq!((status, checked["status"].as_str()), (200, Some("valid")));
    let mut typo = number.into_bytes();
    typo[2] = if typo[2] == b'9' { b'0' } else { typo[2] + 1 };
    let (status, answer) = partner_verifies(&app, &key, &String::from_utf8(typo).unwrap()).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("number"))
    );
}

#[tokio::test]
async fn the_subject_sees_who_verified_the_certificate_newest_first() {
    let app = demo_app().await;
    let Issued {
        number, accepted, ..
    } = issued(&app).await;
    let (status, _) = get(
        &app,
        &format!("/api/v1/certificates/{number}?channel=qr&name=陈小明"),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = partner_verifies(&app, &partner_key(&app).await, &number).await;
    assert_eq!(status, 200);
    let (_, state) = application_status(&app, &accepted, accepted["pin"].as_str().unwrap()).await;
    assert_eq!(state["status"], "issued");
    let channels: Vec<&str> = state["verifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["partner", "qr"]);
    assert_eq!(state["verifications"][0]["partner"], "示例银行");
}

#[tokio::test]
async fn with_consent_the_honour_list_names_the_subject() {
    let app = demo_app().await;
    let Issued { number, .. } = issued(&app).await;
    assert_eq!(honour(&app).await, vec![number]);
}

#[tokio::test]
async fn the_honour_list_is_by_the_cases_province_and_an_unknown_province_is_refused() {
    let app = demo_app().await;
    let Issued { number, .. } = issued(&app).await;
    let (_, by_province) = get(&app, "/api/v1/honour?province=33").await;
    assert_eq!(by_province["total"], 1);
    assert_eq!(by_province["entries"][0]["number"], number.as_str());
    assert_eq!(by_province["entries"][0]["province"], "33");
    let (_, elsewhere) = get(&app, "/api/v1/honour?province=11").await;
    assert_eq!(elsewhere["total"], 0);
    assert_eq!(app.get("/api/v1/honour?province=99").await.status(), 422);
}

#[tokio::test]
async fn after_the_court_rotates_its_key_the_certificate_verifies_with_the_retired_key() {
    let app = demo_app().await;
    let Issued { number, key, .. } = issued(&app).await;
    let signed = signed_of(&record(&app, &number).await);
    let (public, _) = published_key(&app, &key).await;
    rotate_court_key(&app).await;
    let (public_again, key_status) = published_key(&app, &key).await;
    assert_eq!((public_again, key_status.as_str()), (public, "retired"));
    assert!(signed.verifies_with(&public));
}

#[tokio::test]
async fn a_replaced_certificate_names_its_replacement_signed_with_the_new_key() {
    let app = demo_app().await;
    let Replaced { old, new, new_key } = replaced(&app).await;
    let old_record = record(&app, &old).await;
    assert_eq!(old_record["status"], "superseded");
    assert_eq!(old_record["superseded_by"], new.as_str());
    let new_record = record(&app, &new).await;
    assert_eq!(new_record["key_id"], new_key.as_str());
}

#[tokio::test]
async fn a_revocation_needs_a_reason_happens_once_and_takes_the_certificate_off_the_honour_list() {
    let app = demo_app().await;
    let Replaced { new, .. } = replaced(&app).await;
    let revoke = |reason| with_reason(&app, &new, "revoke", reason);
    let (status, answer) = revoke("  ").await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("reason"))
    );
    let (status, _) = revoke(REVOKED_BECAUSE).await;
    assert_eq!(status, 204);
    let (status, _) = revoke("再次撤销").await;
    assert_eq!(status, 409);
    let revoked = record(&app, &new).await;
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["reason"], REVOKED_BECAUSE);
    assert!(
        honour(&app).await.is_empty(),
        "revoked: off the honour list"
    );
}

#[tokio::test]
async fn the_cli_says_a_revoked_certificate_is_revoked_though_its_signature_is_valid() {
    let app = demo_app().await;
    let Replaced { new, .. } = replaced(&app).await;
    let (status, _) = with_reason(&app, &new, "revoke", REVOKED_BECAUSE).await;
    assert_eq!(status, 204);
    let revoked = signed_of(&record(&app, &new).await);
    let (ok, out) = cli_verify(&app, &revoked.qr_text("http://x"));
    assert!(
        !ok && out.contains("signature valid") && out.contains("revoked"),
        "{out}"
    );
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

/// A demo app with the parties' cases, and the showcase subject's case before enforcement (a
/// 民初 case of `COURT`: no notice, only the court's system knows it).
async fn desk_app() -> (TestApp, String) {
    let app = demo_app().await;
    portal_server::parties::seed::seed_parties(&app.db, &app.state.keys.get(), court_today())
        .await
        .unwrap();
    let before = format!("({})浙0225民初3456号", court_today().format("%Y"));
    (app, before)
}

fn before_enforcement(case: &str) -> Value {
    let mut body = application(&listed());
    body["case_number"] = json!(case);
    body["stage"] = json!("before_enforcement");
    body["amount"] = json!(56000);
    body
}

#[tokio::test]
async fn a_debtor_who_performs_before_enforcement_is_certified_under_the_trial_case_number() {
    let (app, before) = desk_app().await;
    let (status, accepted) = apply(&app, &before_enforcement(&before)).await;
    assert_eq!(status, 201, "{accepted}");
    let pending = first_pending(&app).await;
    assert_eq!(pending["case_number"], before.as_str());
    generate_court_key(&app);
    let (status, issued) = issue(&app, pending["id"].as_i64().unwrap()).await;
    assert_eq!(status, 200, "{issued}");
    let number = issued["number"].as_str().unwrap();
    let record = record(&app, number).await;
    let payload = CertificatePayload::from_bytes(&signed_of(&record).payload).unwrap();
    assert_eq!(payload.case_number, before);
    assert_eq!(payload.stage.as_str(), "before_enforcement");
    assert_eq!(payload.amount_fen, 5_600_000);
    // The look at the certificate is the subject's to see on the parties' desk.
    let party = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let s = listed();
    let code = portal_server::parties::seed::DEMO_CODES[0].1;
    let res = party
        .post(app.url("/api/v1/party/session"))
        .json(&json!({"name": s["name"], "id_number": s["id"], "access_code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, checks) = json_of(
        party
            .get(app.url("/api/v1/party/checks"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let channels: Vec<&str> = checks["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["channel"].as_str().unwrap())
        .collect();
    assert_eq!(channels, ["certificate_number"], "{checks}");
}

#[tokio::test]
async fn a_trial_case_number_needs_a_stage_before_enforcement_and_a_debtor_of_that_case() {
    let (app, before) = desk_app().await;
    // The form of the number decides the stages it fits, before any party is looked at.
    let mut enforcement_stage = before_enforcement(&before);
    enforcement_stage["stage"] = json!("during_enforcement");
    let (status, answer) = apply(&app, &enforcement_stage).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("stage"))
    );
    let mut judgment = before_enforcement(&before);
    judgment["case_number"] = json!(format!("({})浙0225执恢12号", court_today().format("%Y")));
    let (status, answer) = apply(&app, &judgment).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("stage"))
    );
    // A wrong name, an unknown case, and the creditor of the case: one answer.
    let mut wrong_name = before_enforcement(&before);
    wrong_name["name"] = json!("王建国");
    let mut unknown_case = before_enforcement(&before);
    unknown_case["case_number"] =
        json!(format!("({})浙0225民初3457号", court_today().format("%Y")));
    let mut creditor = before_enforcement(&before);
    creditor["name"] = json!("宁波甬兴建材有限公司");
    creditor["id_number"] = json!(portal_core::CreditCode::from_body("91330225MA2H4L8Q0").as_str());
    let mut answers = Vec::new();
    for body in [wrong_name, unknown_case, creditor] {
        answers.push(apply(&app, &body).await);
    }
    assert_eq!(answers[0].0, 422, "{}", answers[0].1);
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0], answers[2]);
    assert_eq!(count(&app, "certificate_applications").await, 0);
}
