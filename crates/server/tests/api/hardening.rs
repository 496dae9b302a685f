//! Tried as an attacker would: guessing a masked ID through every answer that takes a full one,
//! reading certificates by number, racing PIN and sign-in limits, forging staff requests, and
//! stored values nobody wrote.

use chrono::{Datelike, Days, NaiveDate};
use portal_core::time::court_today;
use portal_core::IdNumber;
use portal_server::{
    keys::court::CourtKeys,
    ratelimit::RateLimitConfig,
    seed,
    staff::{store as staff, Role},
};
use serde_json::{json, Value};

use crate::helpers::{json_of, TestApp};

const COURT: &str = "宁波市象山县人民法院";

/// Other IDs a guesser would try for `id`: the same masked form (region, birth year, sequence
/// and check digit shown), another birth month and day.
fn same_masked_form(id: &str, n: usize) -> Vec<String> {
    let real = IdNumber::parse(id).unwrap();
    let mut day = NaiveDate::from_ymd_opt(real.birth_date().year(), 1, 1).unwrap();
    let mut out = Vec::new();
    while out.len() < n {
        let candidate = format!("{}{}{}", &id[..6], day.format("%Y%m%d"), &id[14..17]);
        let full = format!(
            "{candidate}{}",
            portal_core::id_number::check_digit(&candidate)
        );
        if full != id && full[17..] == id[17..] {
            let parsed = IdNumber::parse(&full).unwrap();
            assert_eq!(parsed.masked(), real.masked());
            out.push(full);
        }
        day = day.checked_add_days(Days::new(1)).unwrap();
    }
    out
}

async fn demo() -> (TestApp, Value) {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 200, court_today()).await.unwrap();
    let listed = seed::showcase_json(court_today())["listed"].clone();
    (app, listed)
}

#[tokio::test]
async fn a_masked_id_cannot_be_unmasked_by_guessing_through_any_answer() {
    let (app, listed) = demo().await;
    let (name, id) = (
        listed["name"].as_str().unwrap(),
        listed["id"].as_str().unwrap(),
    );
    let guesses = same_masked_form(id, 3);
    // A few different IDs of one masked form are answered (all "not listed") …
    for guess in &guesses {
        let (status, body) = json_of(
            app.post_json("/api/v1/verify", &json!({"name": name, "id_number": guess}))
                .await,
        )
        .await;
        assert_eq!((status, &body["listed"]), (200, &json!(false)), "{body}");
    }
    // … a further one — the right one — is refused, never answered, by every route that takes a
    // full ID: verify, an exact lookup, the embed's check, a certificate application.
    let refused = |status: u16, body: &Value| {
        assert_eq!(status, 429, "{body}");
        assert_eq!(body["error"]["code"], "too_many_guesses", "{body}");
        assert!(body.get("listed").is_none() && body.get("subjects").is_none());
    };
    let (status, body) = json_of(
        app.post_json("/api/v1/verify", &json!({"name": name, "id_number": id}))
            .await,
    )
    .await;
    refused(status, &body);
    let res = app
        .post_json("/api/v1/lookup", &json!({"name": name, "id_number": id}))
        .await;
    assert!(res.headers().get("retry-after").is_some());
    let (status, body) = json_of(res).await;
    refused(status, &body);
    let partner = portal_server::partners::store::add(
        &app.db,
        "示例银行",
        &["https://bank.example".into()],
        "贷款审核",
    )
    .await
    .unwrap();
    let (status, body) = json_of(
        app.client
            .post(app.url("/api/v1/embed/check"))
            .header("sec-fetch-site", "same-origin")
            .json(&json!({"partner": partner.partner_id, "name": name, "id_number": id, "consent": true}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    refused(status, &body);
    let mut application = json!({
        "case_number": listed["case"], "name": name, "id_number": id,
        "stage": "during_enforcement", "amount": 100, "performed_on": court_today().to_string(),
        "phone": "13800138000", "honour_consent": false,
    });
    let (status, body) = json_of(
        app.post_json("/api/v1/certificates/applications", &application)
            .await,
    )
    .await;
    refused(status, &body);
    // An ID already asked today is answered again; another name is another budget.
    let (status, _) = json_of(
        app.post_json(
            "/api/v1/verify",
            &json!({"name": name, "id_number": guesses[0]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    application["name"] = json!("王建国");
    let (status, body) = json_of(
        app.post_json("/api/v1/certificates/applications", &application)
            .await,
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("id_number"))
    );
    // Nothing was stored on the way.
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM certificate_applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn an_application_checks_the_stage_before_any_party_and_every_mismatch_is_one_answer() {
    let (app, listed) = demo().await;
    let body = |name: &Value, id: &Value, case: &Value, stage: &str| {
        json!({
            "case_number": case, "name": name, "id_number": id, "stage": stage, "amount": 100,
            "performed_on": court_today().to_string(), "phone": "13800138000",
            "honour_consent": false,
        })
    };
    let apply = |b: Value| {
        let app = &app;
        async move { json_of(app.post_json("/api/v1/certificates/applications", &b).await).await }
    };
    let wrong_id = json!(same_masked_form(listed["id"].as_str().unwrap(), 1)[0]);
    // A wrong stage for a 执 case number is refused the same whether the party matches or not.
    let (s1, right_party) = apply(body(
        &listed["name"],
        &listed["id"],
        &listed["case"],
        "during_trial",
    ))
    .await;
    let (s2, wrong_party) = apply(body(
        &listed["name"],
        &wrong_id,
        &listed["case"],
        "during_trial",
    ))
    .await;
    assert_eq!((s1, s2), (422, 422));
    assert_eq!(right_party, wrong_party);
    assert_eq!(right_party["error"]["field"], "stage");
    // Wrong name, wrong ID, wrong case: one answer.
    let stage = "during_enforcement";
    let answers = [
        apply(body(
            &json!("王建国"),
            &listed["id"],
            &listed["case"],
            stage,
        ))
        .await,
        apply(body(&listed["name"], &wrong_id, &listed["case"], stage)).await,
        apply(body(
            &listed["name"],
            &listed["id"],
            &json!("(2024)浙0225执9999号"),
            stage,
        ))
        .await,
    ];
    for answer in &answers {
        assert_eq!(answer, &answers[0]);
    }
    assert_eq!(answers[0].0, 422);
}

/// A debtor who has just performed is exactly who applies: a deleted listing, and one still in
/// its grace period, stay open to their real parties (and to nobody else).
#[tokio::test]
async fn deleted_and_grace_period_cases_stay_open_to_their_real_parties() {
    let (app, _) = demo().await;
    let showcase = seed::showcase_json(court_today());
    for who in ["deleted", "grace"] {
        let subject = &showcase[who];
        let mut application = json!({
            "case_number": subject["case"], "name": subject["name"], "id_number": subject["id"],
            "stage": "during_enforcement", "amount": 100,
            "performed_on": court_today().to_string(), "phone": "13800138000",
            "honour_consent": false,
        });
        let (status, body) = json_of(
            app.post_json("/api/v1/certificates/applications", &application)
                .await,
        )
        .await;
        assert_eq!(status, 201, "{who}: {body}");
        application["name"] = json!("王建国");
        let (status, _) = json_of(
            app.post_json("/api/v1/certificates/applications", &application)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{who}: another name");
    }
}

#[tokio::test]
async fn public_writes_pass_the_same_admission_control_as_lookups() {
    let limits = RateLimitConfig {
        free: 1,
        max: 3,
        ..Default::default()
    };
    let app = TestApp::spawn_with(None, limits).await;
    seed::seed_demo(&app.db, 50, court_today()).await.unwrap();
    let listed = seed::showcase_json(court_today())["listed"].clone();
    let application = json!({
        "case_number": listed["case"], "name": listed["name"], "id_number": listed["id"],
        "stage": "during_enforcement", "amount": 100, "performed_on": court_today().to_string(),
        "phone": "13800138000", "honour_consent": false,
    });
    let (status, _) = json_of(
        app.post_json("/api/v1/certificates/applications", &application)
            .await,
    )
    .await;
    assert_eq!(status, 201);
    let (status, body) = json_of(
        app.post_json("/api/v1/certificates/applications", &application)
            .await,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("challenge_required"))
    );
    let (status, body) = app
        .submit_tip(
            "k1",
            &json!({"notice_id": 1, "kind": "vessel", "description": "渔船停在石浦港三号码头，每天傍晚出海",
                    "uploads": [], "declaration": true}),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("challenge_required"))
    );
    let res = app
        .client
        .post(app.url("/api/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", "10")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM certificate_applications")
            .fetch_one(&app.db.pool)
            .await
            .unwrap(),
        1
    );
}

/// An issued certificate of the showcase subject: (app, number, application code, PIN).
async fn issued() -> (TestApp, String, String, String) {
    let (app, listed) = demo().await;
    let (status, accepted) = json_of(
        app.post_json(
            "/api/v1/certificates/applications",
            &json!({
                "case_number": listed["case"], "name": listed["name"], "id_number": listed["id"],
                "stage": "during_enforcement", "amount": 100,
                "performed_on": court_today().to_string(), "phone": "13800138000",
                "honour_consent": false,
            }),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{accepted}");
    CourtKeys::load(&app.test_db.dir.path().join("court-keys.json"))
        .unwrap()
        .generate(COURT)
        .unwrap();
    let reviewer = app.staff_client("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(
        reviewer
            .get(app.url("/api/v1/staff/certificates/applications"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = queue["applications"][0]["id"].as_i64().unwrap();
    let (status, issued) = json_of(
        reviewer
            .post(app.url(&format!(
                "/api/v1/staff/certificates/applications/{id}/issue"
            )))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{issued}");
    (
        app,
        issued["number"].as_str().unwrap().to_owned(),
        accepted["application_code"].as_str().unwrap().to_owned(),
        accepted["pin"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_certificate_number_alone_tells_its_status_and_nothing_that_identifies_anyone() {
    let (app, number, code, pin) = issued().await;
    for query in ["", "?channel=qr", "?name=王建国", "?name="] {
        let (status, body) = json_of(
            app.get(&format!("/api/v1/certificates/{number}{query}"))
                .await,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            body,
            json!({"number": number, "status": "valid"}),
            "{query}"
        );
    }
    // The QR code carries the signed certificate: the subject's own page names the subject.
    let res = app.get(&format!("/api/v1/certificates/{number}/qr")).await;
    assert_eq!(res.status(), 404);
    let res = app
        .get(&format!("/api/v1/certificates/{number}/qr?name=陈小明"))
        .await;
    assert_eq!(res.status(), 200);
    // With the subject's name (normalised as in lookups), the signed record; each client's looks
    // are logged once an hour, however often it asks.
    for name in ["陈小明", "陳小明", " 陈 小明 "] {
        let (status, body) = json_of(
            app.get(&format!(
                "/api/v1/certificates/{number}?channel=qr&name={name}"
            ))
            .await,
        )
        .await;
        assert_eq!(status, 200);
        assert!(body["payload"].is_string(), "{name}: {body}");
    }
    let (_, state) = json_of(
        app.post_json(
            "/api/v1/certificates/applications/status",
            &json!({"application_code": code, "pin": pin}),
        )
        .await,
    )
    .await;
    assert_eq!(
        state["verifications"].as_array().unwrap().len(),
        1,
        "{state}"
    );
}

#[tokio::test]
async fn fifty_pin_guesses_at_once_get_at_most_five_evaluations() {
    let (app, _number, code, pin) = issued().await;
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let guesses = (0..50).map(|_| {
        let app = &app;
        let body = json!({"application_code": code, "pin": wrong});
        async move {
            app.post_json("/api/v1/certificates/applications/status", &body)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(guesses).await;
    let evaluated = statuses.iter().filter(|s| **s == 404).count();
    let locked = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((evaluated, locked), (5, 45), "{statuses:?}");
    // Locked for the right PIN too.
    assert_eq!(application_status(&app, &code, &pin).await, 429);
    // Once the lock has run out, the right PIN opens it and a new series begins.
    execute(&app, "UPDATE certificate_applications SET locked_until = 1").await;
    assert_eq!(application_status(&app, &code, &pin).await, 200);
}

/// `POST /certificates/applications/status` with this code and PIN: the answer's status.
async fn application_status(app: &TestApp, code: &str, pin: &str) -> u16 {
    app.post_json(
        "/api/v1/certificates/applications/status",
        &json!({"application_code": code, "pin": pin}),
    )
    .await
    .status()
    .as_u16()
}

/// Runs a statement on the app's database: what an operator, a bug or an older release might
/// have left there.
async fn execute(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.db.pool).await.unwrap();
}

#[tokio::test]
async fn an_unknown_stored_status_is_an_error_never_good_news() {
    let (app, number, code, pin) = issued().await;
    execute(&app, "UPDATE certificates SET status = 'valid-ish'").await;
    let (status, body) = json_of(app.get(&format!("/api/v1/certificates/{number}")).await).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (500, Some("internal"))
    );
    execute(&app, "UPDATE certificates SET status = 'valid'").await;
    execute(
        &app,
        "UPDATE certificate_applications SET status = 'approved'",
    )
    .await;
    assert_eq!(application_status(&app, &code, &pin).await, 500);
}

async fn with_clerk() -> TestApp {
    let app = TestApp::spawn().await;
    staff::add(
        &app.db,
        "clerk",
        COURT,
        Role::Editor,
        "a-long-secret-password",
    )
    .await
    .unwrap();
    app
}

async fn login(app: &TestApp, password: &str) -> (u16, Value) {
    json_of(
        app.post_json(
            "/api/v1/staff/login",
            &json!({"username": "clerk", "password": password}),
        )
        .await,
    )
    .await
}

#[tokio::test]
async fn staff_sign_in_locks_after_five_failures_even_when_they_arrive_at_once() {
    let app = with_clerk().await;
    let attempts = (0..12).map(|i| {
        let app = &app;
        async move { login(app, &format!("wrong-password-{i}")).await.0 }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        5,
        "at most five passwords are checked: {statuses:?}"
    );
    // Locked, the right password included, with the time to try again.
    let res = app
        .client
        .post(app.url("/api/v1/staff/login"))
        .header("accept-language", "en")
        .json(&json!({"username": "CLERK", "password": "a-long-secret-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    let (_, body) = json_of(res).await;
    assert_eq!(body["error"]["code"], "signin_locked");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Too many failed sign-ins; try again at ") && message.contains(':'),
        "{message}"
    );
    // Every failure is in the audit log, under the account's court.
    let failed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_audit WHERE action = 'signin.failed' AND court = $1",
    )
    .bind(COURT)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(failed, 5);
    // When the lock has run out, the right password works and the count starts afresh.
    sqlx::query("UPDATE signin_failures SET locked_until = 1")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(login(&app, "a-long-secret-password").await.0, 200);
}

#[tokio::test]
async fn one_client_guessing_many_accounts_is_throttled_too() {
    let app = TestApp::spawn().await;
    let mut statuses = Vec::new();
    for i in 0..22 {
        let (status, _) = json_of(
            app.post_json(
                "/api/v1/staff/login",
                &json!({"username": format!("user{i}"), "password": "guess"}),
            )
            .await,
        )
        .await;
        statuses.push(status);
    }
    assert_eq!(&statuses[..20], &[400; 20]);
    assert_eq!(&statuses[20..], &[429, 429]);
}

#[tokio::test]
async fn staff_writes_from_another_site_are_refused_and_change_nothing() {
    let app = with_clerk().await;
    assert_eq!(login(&app, "a-long-secret-password").await.0, 200);
    let article = json!({"title": "测试", "kind": "news", "markdown": "正文"});
    let write = |headers: Vec<(&'static str, String)>| {
        let app = &app;
        let article = article.clone();
        async move {
            let mut req = app
                .client
                .post(app.url("/api/v1/staff/articles"))
                .json(&article);
            for (k, v) in headers {
                req = req.header(k, v);
            }
            req.send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(
        write(vec![("sec-fetch-site", "cross-site".into())]).await,
        403
    );
    assert_eq!(
        write(vec![("sec-fetch-site", "same-site".into())]).await,
        403
    );
    assert_eq!(
        write(vec![("origin", "http://evil.example".into())]).await,
        403
    );
    assert_eq!(write(vec![("origin", "null".into())]).await, 403);
    let articles = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM articles")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(articles().await, 0);
    assert_eq!(
        write(vec![("sec-fetch-site", "same-origin".into())]).await,
        201
    );
    assert_eq!(
        write(vec![("origin", format!("http://{}", app.addr))]).await,
        201
    );
    // Neither header: not a browser, nothing to forge.
    assert_eq!(write(vec![]).await, 201);
    assert_eq!(articles().await, 3);
    // Reads are not writes.
    let res = app
        .client
        .get(app.url("/api/v1/staff/me"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_staff_session_ends_after_thirty_idle_minutes() {
    let app = with_clerk().await;
    assert_eq!(login(&app, "a-long-secret-password").await.0, 200);
    assert_eq!(app.get("/api/v1/staff/me").await.status(), 200);
    sqlx::query("UPDATE staff_sessions SET last_seen = last_seen - $1")
        .bind(31 * 60 * 1000_i64)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(app.get("/api/v1/staff/me").await.status(), 401);
}

/// Several instances on one PostgreSQL: the limit is the configured one, not once per instance;
/// a proof of work solved for one instance is accepted by another, once; the PIN lock and the
/// guess budget hold across them. (On SQLite there is one instance by construction.)
#[tokio::test]
async fn instances_on_one_postgresql_share_limits_solutions_locks_and_budgets() {
    let limits = RateLimitConfig {
        free: 2,
        max: 4,
        credits_per_solution: 1,
        difficulty: 8,
        ..Default::default()
    };
    let first = TestApp::spawn_with(None, limits.clone()).await;
    if first.test_db.expected_kind() != portal_server::db::DbKind::Postgres {
        return;
    }
    seed::seed_demo(&first.db, 50, court_today()).await.unwrap();
    let second = first.another_instance(limits.clone()).await;
    let third = first.another_instance(limits).await;
    let lookup = |app: &TestApp, pow: Option<String>| {
        let mut req = app
            .client
            .post(app.url("/api/v1/lookup"))
            .json(&json!({"name": "陈小明"}));
        if let Some(pow) = pow {
            req = req.header("x-portal-pow", pow);
        }
        async move { json_of(req.send().await.unwrap()).await }
    };
    assert_eq!(lookup(&first, None).await.0, 200);
    assert_eq!(lookup(&second, None).await.0, 200);
    let (status, e) = lookup(&third, None).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (429, Some("challenge_required")),
        "the free allowance is two in all, not two per instance"
    );
    let seed = e["error"]["challenge"]["seed"].as_str().unwrap().to_owned();
    let solved = format!("{seed}:{}", portal_core::pow::solve(&seed, 8));
    assert_eq!(lookup(&first, Some(solved.clone())).await.0, 200);
    let (status, e) = lookup(&second, Some(solved)).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (429, Some("challenge_required")),
        "a solution is used once across instances"
    );
    let seed = e["error"]["challenge"]["seed"].as_str().unwrap().to_owned();
    let solved = format!("{seed}:{}", portal_core::pow::solve(&seed, 8));
    assert_eq!(lookup(&third, Some(solved)).await.0, 200);
    let (status, e) = lookup(&first, None).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );

    // The guess budget of a masked ID is one, whichever instance is asked.
    let listed = seed::showcase_json(court_today())["listed"].clone();
    let (name, id) = (
        listed["name"].as_str().unwrap(),
        listed["id"].as_str().unwrap(),
    );
    let open = RateLimitConfig {
        free: 10_000,
        max: 10_000,
        ..Default::default()
    };
    let instances = [
        first.another_instance(open.clone()).await,
        first.another_instance(open.clone()).await,
        first.another_instance(open).await,
    ];
    for (app, guess) in instances.iter().zip(same_masked_form(id, 3)) {
        let (status, _) = json_of(
            app.post_json("/api/v1/verify", &json!({"name": name, "id_number": guess}))
                .await,
        )
        .await;
        assert_eq!(status, 200);
    }
    let (status, body) = json_of(
        instances[0]
            .post_json("/api/v1/verify", &json!({"name": name, "id_number": id}))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("too_many_guesses"))
    );

    // Staff sign-in failures count across instances.
    staff::add(
        &first.db,
        "clerk",
        COURT,
        Role::Editor,
        "a-long-secret-password",
    )
    .await
    .unwrap();
    for (i, app) in instances.iter().cycle().take(5).enumerate() {
        let (status, _) = json_of(
            app.post_json(
                "/api/v1/staff/login",
                &json!({"username": "clerk", "password": format!("wrong-{i}")}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 400);
    }
    let (status, _) = json_of(
        instances[1]
            .post_json(
                "/api/v1/staff/login",
                &json!({"username": "clerk", "password": "a-long-secret-password"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 429);
}
