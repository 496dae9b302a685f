//! The parties' desk (DESIGN §7.8) through real HTTP: a party signs in with the access code from
//! the court's letter and sees their own cases and every listing about them; declares a payment
//! that the creditor confirms and the court confirms; asks for a correction, is refused, asks the
//! court one level up to reconsider and is upheld — the listing leaves the public lists at once;
//! and sees who checked them.

use portal_core::time::court_today;
use portal_server::{
    parties, partners::store as partners, ratelimit::RateLimitConfig, seed, staff::Role,
};
use serde_json::{json, Value};

use super::helpers::{json_of, TestApp};
use super::uploads::{pdf, upload};

/// A demo app with the showcase subjects' cases.
async fn desk() -> (TestApp, Value) {
    seeded(TestApp::spawn().await).await
}

/// `app` with the demo data and the showcase subjects' cases.
async fn seeded(app: TestApp) -> (TestApp, Value) {
    seed::seed_demo(&app.db, 50, court_today()).await.unwrap();
    parties::seed::seed_parties(&app.db, &app.state.keys.get(), court_today())
        .await
        .unwrap();
    (app, seed::showcase_json(court_today()))
}

fn code(key: &str) -> &'static str {
    parties::seed::DEMO_CODES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| *c)
        .unwrap()
}

/// A client of its own (its own cookies), signed in as the showcase subject `key`.
async fn party(app: &TestApp, showcase: &Value, key: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let s = &showcase[key];
    let res = client
        .post(app.url("/api/v1/party/session"))
        .json(&json!({"name": s["name"], "id_number": s["id"], "access_code": code(key)}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{key} signs in");
    client
}

/// A client of its own signed in as the creditor of every demo case.
async fn creditor(app: &TestApp) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let (name, body, code) = parties::seed::CREDITOR;
    let res = client
        .post(app.url("/api/v1/party/session"))
        .json(
            &json!({"name": name, "id_number": portal_core::CreditCode::from_body(body).as_str(),
            "access_code": code}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the creditor signs in");
    client
}

/// The notice id of the showcase subject's listing in their enforcement case, as the signed-in
/// `client` sees it on their cases page.
async fn listed_notice_id(app: &TestApp, showcase: &Value, client: &reqwest::Client) -> i64 {
    let (_, cases) = get(client, app, "/api/v1/party/cases").await;
    cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case_number"] == showcase["listed"]["case"])
        .unwrap()["listings"][0]["notice_id"]
        .as_i64()
        .unwrap()
}

/// The status the public gets for notice `notice_id` (404 once it has left the lists).
async fn public_status(app: &TestApp, notice_id: i64) -> reqwest::StatusCode {
    app.get(&format!("/api/v1/notices/{notice_id}"))
        .await
        .status()
}

/// A correction request of listing `notice_id` on the ground that the published facts are wrong.
fn correction(notice_id: i64) -> Value {
    json!({"kind": "correction", "notice_id": notice_id,
        "ground": "inaccurate", "reason": "公布的信息有误，请核实更正", "uploads": []})
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    json_of(client.get(app.url(path)).send().await.unwrap()).await
}

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    key: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut req = client.post(app.url(path)).json(&body);
    if let Some(key) = key {
        req = req.header("idempotency-key", key);
    }
    json_of(req.send().await.unwrap()).await
}

#[tokio::test]
async fn every_mismatch_gets_one_answer_and_the_code_cannot_be_guessed() {
    let (app, showcase) = desk().await;
    let listed = &showcase["listed"];
    let sign_in = |name: &Value, id: &Value, code: &str| {
        let body = json!({"name": name, "id_number": id, "access_code": code});
        let app = &app;
        async move { app.post_json("/api/v1/party/session", &body).await }
    };
    let wrong_code = json_of(sign_in(&listed["name"], &listed["id"], "ABCD2345EFGH").await).await;
    let wrong_name = json_of(sign_in(&json!("陈大明"), &listed["id"], code("listed")).await).await;
    let others_code = json_of(sign_in(&listed["name"], &listed["id"], code("grace")).await).await;
    assert_eq!(wrong_code.0, 401);
    assert_eq!(wrong_code.1["error"]["code"], "not_recognised");
    assert_eq!(wrong_code, wrong_name, "one answer for every mismatch");
    assert_eq!(wrong_code, others_code);
    // Malformed input is a field error in the request's language, and counts nothing.
    let (status, body) = json_of(sign_in(&listed["name"], &listed["id"], "0O1I").await).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "access_code");
    // Five wrong codes for one subject, then even the right one waits.
    for _ in 0..2 {
        assert_eq!(
            sign_in(&listed["name"], &listed["id"], "WXYZ2345WXYZ")
                .await
                .status(),
            401
        );
    }
    let locked = sign_in(&listed["name"], &listed["id"], code("listed")).await;
    assert_eq!(locked.status(), 429, "the subject's attempts are counted");
    assert_eq!(json_of(locked).await.1["error"]["code"], "signin_locked");
    // Without a session nothing is told.
    assert_eq!(app.get("/api/v1/party/cases").await.status(), 401);
}

/// A client of its own (its own cookies) speaking from the loopback network `127.0.0.{n}`.
fn from_network(n: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(Some(std::net::IpAddr::from([127, 0, 0, n])))
        .cookie_store(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn someone_guessing_from_another_network_cannot_lock_the_party_out() {
    let (app, showcase) = desk().await;
    let listed = &showcase["listed"];
    let attempt = |client: reqwest::Client, code: &'static str| {
        let body = json!({"name": listed["name"], "id_number": listed["id"], "access_code": code});
        let url = app.url("/api/v1/party/session");
        async move { client.post(url).json(&body).send().await.unwrap().status() }
    };
    let guesser = from_network(2);
    for _ in 0..5 {
        assert_eq!(attempt(guesser.clone(), "WXYZ2345WXYZ").await, 401);
    }
    // The guesser's network is locked for this subject, even with the right code...
    assert_eq!(attempt(guesser.clone(), code("listed")).await, 429);
    // ...while the party, signing in from their own network, is not.
    assert_eq!(attempt(from_network(3), code("listed")).await, 200);
}

#[tokio::test]
async fn a_party_sees_their_own_cases_and_every_listing_about_them() {
    let (app, showcase) = desk().await;
    let listed = party(&app, &showcase, "listed").await;
    let (status, session) = get(&listed, &app, "/api/v1/party/session").await;
    assert_eq!(status, 200);
    assert_eq!(session["name"], showcase["listed"]["name"]);
    assert!(!session["masked_id"]
        .as_str()
        .unwrap()
        .contains(&showcase["listed"]["id"].as_str().unwrap()[6..14]));
    let (_, cases) = get(&listed, &app, "/api/v1/party/cases").await;
    let cases = cases["cases"].as_array().unwrap().clone();
    let numbers: Vec<&str> = cases
        .iter()
        .map(|c| c["case_number"].as_str().unwrap())
        .collect();
    assert_eq!(cases.len(), 2, "{numbers:?}");
    let enforcement = cases
        .iter()
        .find(|c| c["case_number"] == showcase["listed"]["case"])
        .unwrap();
    assert_eq!(enforcement["stage"], "during_enforcement");
    assert_eq!(enforcement["role"], "debtor");
    assert_eq!(enforcement["amount"], "128000.00");
    assert_eq!(enforcement["listings"][0]["status"], "published");
    let before = cases
        .iter()
        .find(|c| c["stage"] == "before_enforcement")
        .unwrap();
    assert!(before["listings"].as_array().unwrap().is_empty());
    assert!(
        !numbers.contains(&showcase["grace"]["case"].as_str().unwrap()),
        "nobody else's cases"
    );

    // A listing in its grace period is shown to its subject, with its date.
    let grace = party(&app, &showcase, "grace").await;
    let (_, cases) = get(&grace, &app, "/api/v1/party/cases").await;
    let listing = &cases["cases"][0]["listings"][0];
    assert_eq!(listing["status"], "grace");
    assert!(listing["published_on"].as_str().unwrap() > court_today().to_string().as_str());
    // A deleted one too.
    let deleted = party(&app, &showcase, "deleted").await;
    let (_, cases) = get(&deleted, &app, "/api/v1/party/cases").await;
    assert_eq!(cases["cases"][0]["listings"][0]["status"], "deleted");
    assert_eq!(cases["cases"][0]["status"], "performed");

    // The hourly sweep deletes ended sessions only: one used a moment ago lives on.
    let now = portal_core::time::now_ms();
    parties::store::sweep_sessions(&app.db, now, now - parties::IDLE_MS)
        .await
        .unwrap();
    assert_eq!(get(&grace, &app, "/api/v1/party/cases").await.0, 200);
    // Signing out ends the session.
    let res = grace
        .delete(app.url("/api/v1/party/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(get(&grace, &app, "/api/v1/party/cases").await.0, 401);
}

#[tokio::test]
async fn a_declared_payment_confirmed_by_creditor_and_court_performs_the_case() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let (_, cases) = get(&debtor, &app, "/api/v1/party/cases").await;
    let case = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"] == "before_enforcement")
        .unwrap()
        .clone();
    let proof = upload(&app, "转账凭证.pdf", &pdf("transfer")).await;
    let today = court_today().to_string();
    let body = json!({
        "case_number": case["case_number"], "amount": "56000", "paid_on": today,
        "method": "bank_transfer", "uploads": [proof]
    });
    // More than is owed is refused, and nothing is stored.
    let mut too_much = body.clone();
    too_much["amount"] = json!("56000.01");
    let (status, refused) = post(
        &debtor,
        &app,
        "/api/v1/party/performance",
        Some("k0"),
        too_much,
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["field"], "amount");
    // No key, no write.
    assert_eq!(
        post(
            &debtor,
            &app,
            "/api/v1/party/performance",
            None,
            body.clone()
        )
        .await
        .0,
        400
    );
    let (status, first) = post(
        &debtor,
        &app,
        "/api/v1/party/performance",
        Some("k1"),
        body.clone(),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    assert!(first["creditor_deadline"].is_string());
    assert!(
        first.get("creditor_code").is_none(),
        "nothing for the debtor to pass on"
    );
    // A retry with the same key is the same declaration.
    let (status, again) = post(
        &debtor,
        &app,
        "/api/v1/party/performance",
        Some("k1"),
        body.clone(),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(again["id"], first["id"]);
    let (_, cases) = get(&debtor, &app, "/api/v1/party/cases").await;
    let pending = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"] == "before_enforcement")
        .unwrap()["pending_declarations"]
        .clone();
    assert_eq!(pending.as_array().unwrap().len(), 1);
    assert_eq!(pending[0]["files"], 1);

    // The creditor, signed in with their own access code, sees it on the case and confirms it.
    let creditor = creditor(&app).await;
    let (_, cases) = get(&creditor, &app, "/api/v1/party/cases").await;
    let case = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case_number"] == body["case_number"])
        .unwrap()
        .clone();
    assert_eq!(case["role"], "creditor");
    let waiting = &case["pending_declarations"][0];
    assert_eq!(waiting["id"], first["id"]);
    assert_eq!(waiting["amount"], "56000.00");
    assert_eq!(waiting["declared_by"], showcase["listed"]["name"]);
    let id = first["id"].as_i64().unwrap();
    let answer = format!("/api/v1/party/declarations/{id}/answer");
    let (status, view) = post(
        &creditor,
        &app,
        &answer,
        None,
        json!({"answer": "confirmed"}),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "creditor_confirmed");
    // The same answer again (a lost reply) is the declaration as it stands; another is refused.
    let (status, _) = post(
        &creditor,
        &app,
        &answer,
        None,
        json!({"answer": "confirmed"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &creditor,
        &app,
        &answer,
        None,
        json!({"answer": "disputed", "note": "未收到"}),
    )
    .await;
    assert_eq!(status, 409);

    // Another court's reviewer sees nothing of it; the case's court confirms.
    let elsewhere = app
        .staff_client("xh-reviewer", "杭州市西湖区人民法院", Role::Reviewer)
        .await;
    let (_, queue) = get(&elsewhere, &app, "/api/v1/staff/party/declarations").await;
    assert_eq!(queue["total"], 0);
    let court = app
        .staff_client("xs-reviewer", "宁波市象山县人民法院", Role::Reviewer)
        .await;
    let (_, queue) = get(&court, &app, "/api/v1/staff/party/declarations").await;
    assert_eq!(queue["total"], 1);
    let id = queue["declarations"][0]["id"].as_i64().unwrap();
    let (status, decided) = post(
        &court,
        &app,
        &format!("/api/v1/staff/party/declarations/{id}/decision"),
        None,
        json!({"decision": "uphold"}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "confirmed");
    let (_, cases) = get(&debtor, &app, "/api/v1/party/cases").await;
    let case = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"] == "before_enforcement")
        .unwrap()
        .clone();
    assert_eq!(case["status"], "performed");
    assert_eq!(case["paid"], "56000.00");
    // A second decision on it is refused.
    let (status, _) = post(
        &court,
        &app,
        &format!("/api/v1/staff/party/declarations/{id}/decision"),
        None,
        json!({"decision": "refuse", "reason": "重复提交"}),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_refused_correction_reconsidered_by_the_higher_court_takes_the_listing_down() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let notice_id = listed_notice_id(&app, &showcase, &debtor).await;
    assert_eq!(public_status(&app, notice_id).await, 200);
    // Reconsideration before any refusal is refused.
    let reconsider = json!({"kind": "reconsideration", "notice_id": notice_id,
        "ground": "not_liable", "reason": "本人已在判决前全部清偿，不应纳入名单", "uploads": []});
    let (status, body) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("r0"),
        reconsider.clone(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let correction = json!({"kind": "correction", "notice_id": notice_id,
        "ground": "not_liable", "reason": "本人已在判决前全部清偿，不应纳入名单", "uploads": []});
    let (status, created) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("r1"),
        correction.clone(),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert!(created["review_due"].as_str().unwrap() > court_today().to_string().as_str());
    // A second open request on the same listing waits for the first.
    let (status, _) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("r2"),
        correction.clone(),
    )
    .await;
    assert_eq!(status, 409);

    let lower = app
        .staff_client("xs-judge", "宁波市象山县人民法院", Role::Reviewer)
        .await;
    let (_, queue) = get(&lower, &app, "/api/v1/staff/party/requests").await;
    assert_eq!(queue["total"], 1);
    let id = queue["requests"][0]["id"].as_i64().unwrap();
    // A refusal needs its reason.
    let (status, _) = post(
        &lower,
        &app,
        &format!("/api/v1/staff/party/requests/{id}/decision"),
        None,
        json!({"decision": "refuse"}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, refused) = post(
        &lower,
        &app,
        &format!("/api/v1/staff/party/requests/{id}/decision"),
        None,
        json!({"decision": "refuse", "reason": "经审查，纳入名单时符合条件"}),
    )
    .await;
    assert_eq!(status, 200, "{refused}");
    assert_eq!(refused["status"], "refused");
    assert!(refused["reconsideration_window_end"].is_string());
    assert_eq!(public_status(&app, notice_id).await, 200);

    // The party asks the court one level up, whose reviewers — not the lower court's — see it.
    let (status, created) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("r3"),
        reconsider,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let (_, queue) = get(&lower, &app, "/api/v1/staff/party/requests").await;
    assert_eq!(queue["total"], 0);
    let higher = app
        .staff_client("nb-judge", "宁波市中级人民法院", Role::Reviewer)
        .await;
    let (_, queue) = get(&higher, &app, "/api/v1/staff/party/requests").await;
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["requests"][0]["kind"], "reconsideration");
    assert_eq!(
        queue["requests"][0]["refusal_reason"],
        "经审查，纳入名单时符合条件"
    );
    let id = queue["requests"][0]["id"].as_i64().unwrap();
    let (status, upheld) = post(
        &higher,
        &app,
        &format!("/api/v1/staff/party/requests/{id}/decision"),
        None,
        json!({"decision": "uphold"}),
    )
    .await;
    assert_eq!(status, 200, "{upheld}");
    assert_eq!(upheld["status"], "reconsideration_upheld");
    assert!(upheld["corrected_at"].is_string());

    // At once: gone from public lookup, and the party sees why.
    assert_eq!(public_status(&app, notice_id).await, 404);
    let (_, cases) = get(&debtor, &app, "/api/v1/party/cases").await;
    let listing = &cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case_number"] == showcase["listed"]["case"])
        .unwrap()["listings"][0];
    assert_eq!(listing["status"], "deleted");
    assert_eq!(listing["deletion_reason"], "corrected");
    let (_, requests) = get(&debtor, &app, "/api/v1/party/requests").await;
    assert_eq!(requests["requests"].as_array().unwrap().len(), 2);
    // One reconsideration of a refusal.
    let again = json!({"kind": "reconsideration", "notice_id": notice_id,
        "ground": "inaccurate", "reason": "再次申请复议，请重新审查公布的信息", "uploads": []});
    assert_eq!(
        post(&debtor, &app, "/api/v1/party/requests", Some("r4"), again)
            .await
            .0,
        409
    );
    // The court's next import carries the notice as active again: it stays withdrawn.
    let row: (String, String) =
        sqlx::query_as("SELECT case_number, id_number FROM notices WHERE id = $1")
            .bind(notice_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let notice = seed::showcase(court_today())
        .into_iter()
        .find(|n| n.case_number.as_str() == row.0 && n.subject_id.as_str() == row.1)
        .unwrap();
    portal_server::notices::store::upsert_all(&app.db, &[notice])
        .await
        .unwrap();
    assert_eq!(public_status(&app, notice_id).await, 404);
}

#[tokio::test]
async fn who_checked_me_lists_partner_checks_of_my_id_and_nobody_elses() {
    let (app, showcase) = desk().await;
    let creds = partners::add(
        &app.db,
        "示例银行",
        &["https://bank.example".into()],
        "个人贷款审批",
    )
    .await
    .unwrap();
    let partner = partners::by_id(&app.db, &creds.partner_id)
        .await
        .unwrap()
        .unwrap();
    let keys = app.state.keys.get();
    let mine = keys.subject_key(showcase["listed"]["id"].as_str().unwrap());
    let theirs = keys.subject_key(showcase["grace"]["id"].as_str().unwrap());
    partners::audit(&app.db, &partner, "embed", "个人贷款审批", &mine, "listed")
        .await
        .unwrap();
    partners::audit(&app.db, &partner, "api", "个人贷款审批", &theirs, "listed")
        .await
        .unwrap();
    let listed = party(&app, &showcase, "listed").await;
    let (status, checks) = get(&listed, &app, "/api/v1/party/checks").await;
    assert_eq!(status, 200);
    assert_eq!(checks["checks"].as_array().unwrap().len(), 1, "{checks}");
    assert_eq!(checks["checks"][0]["channel"], "widget");
    assert_eq!(checks["checks"][0]["partner"], "示例银行");
    assert_eq!(checks["checks"][0]["purpose"], "个人贷款审批");
    // Six months on, the daily job deletes it.
    sqlx::query("UPDATE partner_checks SET created_at = created_at - $1")
        .bind(portal_server::checks::CHECKS_KEPT_MS + 1)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(portal_server::jobs::purge_checks(&app.db).await.unwrap() >= 2);
    let (_, checks) = get(&listed, &app, "/api/v1/party/checks").await;
    assert!(checks["checks"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn party_writes_from_another_site_are_refused() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let res = debtor
        .post(app.url("/api/v1/party/requests"))
        .header("sec-fetch-site", "cross-site")
        .header("idempotency-key", "x1")
        .json(
            &json!({"kind": "correction", "notice_id": 1, "ground": "inaccurate",
            "reason": "公布的信息有误，请核实更正", "uploads": []}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let (_, requests) = get(&debtor, &app, "/api/v1/party/requests").await;
    assert!(requests["requests"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_cases_file_imports_all_or_nothing_and_makes_codes_once() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let keys = app.state.keys.get();
    let file = dir.path().join("cases.csv");
    let id = portal_core::IdNumber::from_parts(
        "330225",
        chrono::NaiveDate::from_ymd_opt(1985, 6, 12).unwrap(),
        123,
    );
    let id = id.as_str();
    let header =
        "court,case_number,stage,role,name,id_number,obligation,amount,due_on,status,access_code\n";
    let good = format!("宁波市象山县人民法院,(2025)浙0225民初12号,before_enforcement,debtor,陈小明,{id},支付货款,1500.50,2025-12-31,open,\n");
    std::fs::write(&file, format!("{header}{good}")).unwrap();
    // A new party without a code needs somewhere to write the code made for it.
    assert!(parties::import::import_file(&app.db, &keys, &file, None)
        .await
        .is_err());
    let codes = dir.path().join("codes.csv");
    let report = parties::import::import_file(&app.db, &keys, &file, Some(&codes))
        .await
        .unwrap();
    assert_eq!((report.rows, report.codes_made), (1, 1));
    assert_eq!(report.stored.cases_inserted, 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&codes).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the codes file is the operator's alone"
        );
    }
    let written = std::fs::read_to_string(&codes).unwrap();
    assert!(written.starts_with("court,case_number,name,masked_id,access_code\n"));
    assert!(!written.contains(id), "IDs masked");
    let code = written
        .lines()
        .nth(1)
        .unwrap()
        .rsplit(',')
        .next()
        .unwrap()
        .to_owned();
    // The code signs in.
    let res = app
        .post_json(
            "/api/v1/party/session",
            &json!({"name": "陈小明", "id_number": id, "access_code": code}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Again: nothing new, the code kept, no codes file needed.
    let again = parties::import::import_file(&app.db, &keys, &file, None)
        .await
        .unwrap();
    assert_eq!(again.stored.parties_updated, 1);
    assert_eq!(again.codes_made, 0);
    // A bad row rejects the whole file, by line and column.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}{}宁波市象山县人民法院,(2025)浙0225执9号,before_enforcement,debtor,王五,{id},x,abc,2025-13-01,open,\n",
            good.replace("12号", "13号")),
    )
    .unwrap();
    match parties::import::import_file(&app.db, &keys, &bad, Some(&dir.path().join("c2.csv"))).await
    {
        Err(portal_server::notices::import::ImportError::Rejected(errors)) => {
            let columns: Vec<(u64, &str)> =
                errors.iter().map(|e| (e.line, e.column.as_str())).collect();
            assert!(columns.contains(&(3, "amount")), "{columns:?}");
            assert!(columns.contains(&(3, "due_on")), "{columns:?}");
        }
        other => panic!("{other:?}"),
    }
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(cases, 1, "nothing of the bad file stored");
}

#[tokio::test]
async fn the_courts_one_level_up_import_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("courts.csv");
    std::fs::write(
        &good,
        "parent,court\n宁波市中级人民法院,宁波市象山县人民法院\n浙江省高级人民法院,宁波市中级人民法院\n",
    )
    .unwrap();
    assert_eq!(
        parties::import::import_courts(&app.db, &good)
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        parties::store::parent_of(&app.db, "宁波市象山县人民法院")
            .await
            .unwrap()
            .as_deref(),
        Some("宁波市中级人民法院")
    );
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "court,parent\n宁波市象山县人民法院,台州市中级人民法院\n杭州市西湖区人民法院,杭州市西湖区人民法院\n宁波市象山县人民法院,宁波市中级人民法院\n",
    )
    .unwrap();
    match parties::import::import_courts(&app.db, &bad).await {
        Err(portal_server::notices::import::ImportError::Rejected(errors)) => {
            let lines: Vec<(u64, &str)> =
                errors.iter().map(|e| (e.line, e.column.as_str())).collect();
            assert!(lines.contains(&(3, "parent")), "{lines:?}");
            assert!(lines.iter().any(|(l, _)| *l == 4), "{lines:?}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        parties::store::parent_of(&app.db, "宁波市象山县人民法院")
            .await
            .unwrap()
            .as_deref(),
        Some("宁波市中级人民法院"),
        "nothing of the bad file stored"
    );
}

#[tokio::test]
async fn a_stored_value_this_build_does_not_know_is_an_error_never_a_default() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let notice_id = listed_notice_id(&app, &showcase, &debtor).await;
    let correction = correction(notice_id);
    let (status, created) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("u1"),
        correction,
    )
    .await;
    assert_eq!(status, 201, "{created}");
    // A request status written by something else is not "decided already" (409).
    sqlx::query("UPDATE party_requests SET status = 'pending_review' WHERE id = $1")
        .bind(created["id"].as_i64().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let court = app
        .staff_client("xs-reviewer", "宁波市象山县人民法院", Role::Reviewer)
        .await;
    let (status, _) = post(
        &court,
        &app,
        &format!(
            "/api/v1/staff/party/requests/{}/decision",
            created["id"].as_i64().unwrap()
        ),
        None,
        json!({"decision": "uphold"}),
    )
    .await;
    assert_eq!(status, 500);
    // An unknown role is not "not the debtor" (422).
    sqlx::query("UPDATE case_parties SET role = 'guarantor' WHERE subject_id = $1")
        .bind(showcase["listed"]["id"].as_str().unwrap())
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, _) = post(
        &debtor,
        &app,
        "/api/v1/party/performance",
        Some("u2"),
        json!({"case_number": showcase["listed"]["case"], "amount": "100", "paid_on": court_today().to_string(),
            "method": "bank_transfer", "uploads": []}),
    )
    .await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn the_desks_writes_admit_the_client_before_reading_anything() {
    // Two requests in all: the sign-in and one write.
    let limits = RateLimitConfig {
        free: 2,
        max: 2,
        ..Default::default()
    };
    let (app, showcase) = seeded(TestApp::spawn_with(None, limits).await).await;
    let debtor = party(&app, &showcase, "listed").await;
    let notice_id = listed_notice_id(&app, &showcase, &debtor).await;
    let correction = correction(notice_id);
    let (status, _) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("a1"),
        correction.clone(),
    )
    .await;
    assert_eq!(status, 201);
    // Past the allowance nothing is read: not a stored key, not whether a listing or case is theirs.
    let (status, _) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("a1"),
        correction,
    )
    .await;
    assert_eq!(status, 429, "a stored key's answer is not read");
    let unknown = json!({"kind": "correction", "notice_id": 999_999,
        "ground": "inaccurate", "reason": "公布的信息有误，请核实更正", "uploads": []});
    let (status, _) = post(&debtor, &app, "/api/v1/party/requests", Some("a2"), unknown).await;
    assert_eq!(status, 429, "no listing is looked up");
    let (status, _) = post(
        &debtor,
        &app,
        "/api/v1/party/performance",
        Some("a3"),
        json!({"case_number": "(2020)浙0225执1号", "amount": "100",
            "paid_on": court_today().to_string(), "method": "bank_transfer", "uploads": []}),
    )
    .await;
    assert_eq!(status, 429, "no case is looked up");
}

/// The listed showcase debtor's enforcement case (128,000 yuan, one published listing): its id
/// and the listing's notice id.
async fn enforcement_case(app: &TestApp, showcase: &Value, debtor: &reqwest::Client) -> (i64, i64) {
    let notice_id = listed_notice_id(app, showcase, debtor).await;
    let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE case_number = $1")
        .bind(showcase["listed"]["case"].as_str().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    (case_id, notice_id)
}

/// The debtor declares `amount` yuan paid today on the listed enforcement case; its id.
async fn declare(
    app: &TestApp,
    showcase: &Value,
    debtor: &reqwest::Client,
    key: &str,
    amount: &str,
) -> i64 {
    let (status, created) = post(
        debtor,
        app,
        "/api/v1/party/performance",
        Some(key),
        json!({"case_number": showcase["listed"]["case"], "amount": amount,
            "paid_on": court_today().to_string(), "method": "bank_transfer", "uploads": []}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

async fn case_status(app: &TestApp, case_id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM cases WHERE id = $1")
        .bind(case_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_confirmation_that_performs_the_case_and_the_listings_withdrawal_commit_together() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let (case_id, notice_id) = enforcement_case(&app, &showcase, &debtor).await;
    let id = declare(&app, &showcase, &debtor, "t1", "128000").await;
    let court = app
        .staff_client("xs-reviewer", "宁波市象山县人民法院", Role::Reviewer)
        .await;
    let path = format!("/api/v1/staff/party/declarations/{id}/decision");
    let decide = || post(&court, &app, &path, None, json!({"decision": "uphold"}));
    // The listing's withdrawal fails (the change feed's clock is gone): nothing of the decision
    // is kept.
    let clock: i64 = sqlx::query_scalar("SELECT value FROM change_clock WHERE id = 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM change_clock")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(decide().await.0, 500);
    let status: String = sqlx::query_scalar("SELECT status FROM declarations WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "received", "the declaration waits still");
    assert_eq!(case_status(&app, case_id).await, "open");
    assert_eq!(public_status(&app, notice_id).await, 200);
    // Decided again once the clock is back: all of it at once.
    sqlx::query("INSERT INTO change_clock (id, value) VALUES (1, $1)")
        .bind(clock)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, decided) = decide().await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(case_status(&app, case_id).await, "performed");
    assert_eq!(public_status(&app, notice_id).await, 404);
}

#[tokio::test]
async fn two_confirmations_of_one_case_at_once_perform_it() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let (case_id, notice_id) = enforcement_case(&app, &showcase, &debtor).await;
    let first = declare(&app, &showcase, &debtor, "h1", "64000").await;
    let second = declare(&app, &showcase, &debtor, "h2", "64000").await;
    let court = app
        .staff_client("xs-reviewer", "宁波市象山县人民法院", Role::Reviewer)
        .await;
    // One reviewer's confirmation of the first half, midway: decided and holding the case
    // (as the decision does), not committed yet.
    let mut other = app.db.pool.begin().await.unwrap();
    sqlx::query(
        "UPDATE declarations SET status = 'confirmed', decided_at = 1, decided_by = 'other' \
         WHERE id = $1",
    )
    .bind(first)
    .execute(&mut *other)
    .await
    .unwrap();
    let lock = match app.db.kind {
        portal_server::db::DbKind::Postgres => " FOR UPDATE",
        portal_server::db::DbKind::Sqlite => "",
    };
    sqlx::query(&format!("SELECT id FROM cases WHERE id = $1{lock}"))
        .bind(case_id)
        .fetch_one(&mut *other)
        .await
        .unwrap();
    // Another reviewer confirms the second half meanwhile.
    let url = app.url(&format!(
        "/api/v1/staff/party/declarations/{second}/decision"
    ));
    let decision = tokio::spawn(async move {
        court
            .post(url)
            .json(&json!({"decision": "uphold"}))
            .send()
            .await
            .unwrap()
            .status()
    });
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    other.commit().await.unwrap();
    assert_eq!(decision.await.unwrap(), 200);
    assert_eq!(
        case_status(&app, case_id).await,
        "performed",
        "the later confirmation counts the earlier one"
    );
    assert_eq!(public_status(&app, notice_id).await, 404);
}

const CASES_HEADER: &str =
    "court,case_number,stage,role,name,id_number,obligation,amount,due_on,status,access_code\n";

/// A row of `import cases` for the listed showcase debtor's case before enforcement.
fn before_enforcement_row(showcase: &Value, code: &str) -> String {
    let due = court_today() + chrono::Days::new(10);
    format!(
        "宁波市象山县人民法院,({})浙0225民初3456号,before_enforcement,debtor,{},{},支付工程款,56000,{due},open,{code}\n",
        court_today().format("%Y"),
        showcase["listed"]["name"].as_str().unwrap(),
        showcase["listed"]["id"].as_str().unwrap(),
    )
}

#[tokio::test]
async fn a_new_access_code_ends_the_partys_sessions() {
    let (app, showcase) = desk().await;
    let listed = party(&app, &showcase, "listed").await;
    let grace = party(&app, &showcase, "grace").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.csv");
    // Imported again with the same code: the session lives on.
    std::fs::write(
        &file,
        format!(
            "{CASES_HEADER}{}",
            before_enforcement_row(&showcase, code("listed"))
        ),
    )
    .unwrap();
    let keys = app.state.keys.get();
    let report = parties::import::import_file(&app.db, &keys, &file, None)
        .await
        .unwrap();
    assert_eq!(report.stored.codes_changed, 0);
    assert_eq!(get(&listed, &app, "/api/v1/party/cases").await.0, 200);
    // A new code (the old letter was lost, say): whoever signed in with the old one is out.
    std::fs::write(
        &file,
        format!(
            "{CASES_HEADER}{}",
            before_enforcement_row(&showcase, "WXYZ2345WXYZ")
        ),
    )
    .unwrap();
    let report = parties::import::import_file(&app.db, &keys, &file, None)
        .await
        .unwrap();
    assert_eq!(report.stored.codes_changed, 1);
    assert_eq!(get(&listed, &app, "/api/v1/party/cases").await.0, 401);
    assert_eq!(
        get(&grace, &app, "/api/v1/party/cases").await.0,
        200,
        "another party's session lives on"
    );
}

#[tokio::test]
async fn one_access_code_for_two_parties_refuses_the_file() {
    let (app, showcase) = desk().await;
    let keys = app.state.keys.get();
    let dir = tempfile::tempdir().unwrap();
    let id = |seq| {
        portal_core::IdNumber::from_parts(
            "330225",
            chrono::NaiveDate::from_ymd_opt(1985, 6, 12).unwrap(),
            seq,
        )
        .as_str()
        .to_owned()
    };
    let row = |case: u32, name: &str, id: &str, code: &str| {
        format!("宁波市象山县人民法院,(2025)浙0225民初{case}号,before_enforcement,debtor,{name},{id},支付货款,1500,2025-12-31,open,{code}\n")
    };
    let cases = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cases")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let before = cases().await;
    let rejected = |result| match result {
        Err(portal_server::notices::import::ImportError::Rejected(errors)) => errors
            .iter()
            .map(|e| (e.line, e.column.clone()))
            .collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    // Within the file: two people, one code. One person's code in two of their cases is theirs.
    let file = dir.path().join("twice.csv");
    std::fs::write(
        &file,
        format!(
            "{CASES_HEADER}{}{}{}",
            row(21, "陈小明", &id(201), "WXYZ2345WXYZ"),
            row(22, "陈小明", &id(201), "WXYZ2345WXYZ"),
            row(23, "王小红", &id(202), "WXYZ2345WXYZ"),
        ),
    )
    .unwrap();
    let errors = rejected(parties::import::import_file(&app.db, &keys, &file, None).await);
    assert_eq!(errors, vec![(4, "access_code".to_owned())]);
    // Against the stored parties: the showcase debtor's code for somebody else.
    let file = dir.path().join("stored.csv");
    std::fs::write(
        &file,
        format!(
            "{CASES_HEADER}{}{}",
            row(24, "王小红", &id(202), "QRST6789QRST"),
            row(25, "陈小明", &id(201), code("listed")),
        ),
    )
    .unwrap();
    let errors = rejected(parties::import::import_file(&app.db, &keys, &file, None).await);
    assert_eq!(errors, vec![(3, "access_code".to_owned())]);
    assert_eq!(cases().await, before, "nothing stored");
    // The showcase debtor's own code in a new case of theirs is fine.
    let file = dir.path().join("own.csv");
    std::fs::write(
        &file,
        format!(
            "{CASES_HEADER}{}",
            row(
                26,
                showcase["listed"]["name"].as_str().unwrap(),
                showcase["listed"]["id"].as_str().unwrap(),
                code("listed")
            ),
        ),
    )
    .unwrap();
    parties::import::import_file(&app.db, &keys, &file, None)
        .await
        .unwrap();
}

#[tokio::test]
async fn only_the_cases_creditor_answers_a_declared_payment() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let id = declare(&app, &showcase, &debtor, "c1", "1000").await;
    let answer = |id: i64| format!("/api/v1/party/declarations/{id}/answer");
    let confirm = json!({"answer": "confirmed"});
    // The debtor cannot confirm their own payment, nor can another party or nobody; and a
    // declaration that does not exist is the same answer.
    let (status, own) = post(&debtor, &app, &answer(id), None, confirm.clone()).await;
    assert_eq!(status, 404, "{own}");
    let stranger = party(&app, &showcase, "grace").await;
    let theirs = post(&stranger, &app, &answer(id), None, confirm.clone()).await;
    assert_eq!(theirs, (404, own.clone()), "one answer, no oracle");
    let missing = post(
        &creditor(&app).await,
        &app,
        &answer(id + 1000),
        None,
        confirm.clone(),
    )
    .await;
    assert_eq!(missing, (404, own.clone()));
    assert_eq!(
        post(
            &reqwest::Client::new(),
            &app,
            &answer(id),
            None,
            confirm.clone()
        )
        .await
        .0,
        401
    );
    // The code flow through the debtor is gone.
    assert_eq!(
        post(
            &debtor,
            &app,
            "/api/v1/party/confirmations",
            None,
            json!({"creditor_code": "1234-5678-9012-3456", "answer": "confirmed"}),
        )
        .await
        .0,
        404
    );
    let status: String = sqlx::query_scalar("SELECT status FROM declarations WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "received");
    // A dispute needs its reason; the creditor's disputed payment goes to the court so.
    let creditor = creditor(&app).await;
    let (status, body) = post(
        &creditor,
        &app,
        &answer(id),
        None,
        json!({"answer": "disputed"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("note"))
    );
    let (status, view) = post(
        &creditor,
        &app,
        &answer(id),
        None,
        json!({"answer": "disputed", "note": "未收到这笔款项"}),
    )
    .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "creditor_disputed");
    assert_eq!(view["creditor_note"], "未收到这笔款项");
}

#[tokio::test]
async fn a_court_sees_and_decides_only_what_names_it_exactly() {
    let (app, showcase) = desk().await;
    let debtor = party(&app, &showcase, "listed").await;
    let (_, notice_id) = enforcement_case(&app, &showcase, &debtor).await;
    let declaration = declare(&app, &showcase, &debtor, "m1", "1000").await;
    let correction = correction(notice_id);
    let (status, request) = post(
        &debtor,
        &app,
        "/api/v1/party/requests",
        Some("m2"),
        correction,
    )
    .await;
    assert_eq!(status, 201);
    // A prefix of the case's court, and the court with more after it, are other courts.
    for (n, court) in ["宁波市象山县", "宁波市象山县人民法院执行局"]
        .into_iter()
        .enumerate()
    {
        let other = app
            .staff_client(&format!("near-{n}"), court, Role::Reviewer)
            .await;
        let (_, queue) = get(&other, &app, "/api/v1/staff/party/declarations").await;
        assert_eq!(queue["total"], 0, "{court}");
        let (_, queue) = get(&other, &app, "/api/v1/staff/party/requests").await;
        assert_eq!(queue["total"], 0, "{court}");
        let decide = json!({"decision": "uphold"});
        let paths = [
            format!("/api/v1/staff/party/declarations/{declaration}/decision"),
            format!("/api/v1/staff/party/requests/{}/decision", request["id"]),
        ];
        for path in paths {
            assert_eq!(post(&other, &app, &path, None, decide.clone()).await.0, 404);
        }
    }
}
