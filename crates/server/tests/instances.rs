//! Several instances behind a real load balancer, as a province runs the portal: three
//! `portal-server serve` processes on one PostgreSQL and one S3 store behind HAProxy (round
//! robin). `cargo xtask test instances` starts them and passes where they are in
//! `PORTAL_TEST_INSTANCES`; without it these tests are ignored.
//!
//! The instances run with a free allowance of 3 lookups, 12 in all, and one request per solved
//! proof of work. Each test speaks from a loopback address of its own (127.0.0.x), which HAProxy
//! forwards in `X-Forwarded-For`, so each has an allowance of its own.

use portal_core::time::court_today;
use std::net::IpAddr;

use chrono::Days;
use portal_core::{notice::NoticeRow, pow, IdNumber};
use portal_server::{db::Db, notices::store::upsert_all, partners};
use serde_json::{json, Value};

struct Setup {
    balancer: String,
    instances: Vec<String>,
    database_url: String,
    staff: Value,
    config: Value,
}

fn setup() -> Setup {
    let config: Value = serde_json::from_str(
        &std::env::var("PORTAL_TEST_INSTANCES")
            .expect("run by `cargo xtask test instances` (PORTAL_TEST_INSTANCES)"),
    )
    .expect("PORTAL_TEST_INSTANCES is JSON");
    Setup {
        balancer: config["balancer"].as_str().unwrap().to_owned(),
        instances: config["instances"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect(),
        database_url: config["database_url"].as_str().unwrap().to_owned(),
        staff: config["staff"].clone(),
        config,
    }
}

impl Setup {
    /// `portal-server ARGS` on the instances' database, key file and bucket.
    fn command(&self, args: &[&str]) -> std::process::Output {
        let c = &self.config;
        std::process::Command::new(c["bin"].as_str().unwrap())
            .args(args)
            .args(["--database-url", &self.database_url])
            .args(["--data-dir", c["data_dir"].as_str().unwrap()])
            .args(["--s3-bucket", c["bucket"].as_str().unwrap()])
            .args(["--s3-endpoint", c["s3_endpoint"].as_str().unwrap()])
            .env("RUST_LOG", "off")
            .output()
            .unwrap()
    }
}

/// An open reward notice of the 象山 court.
async fn open_reward(db: &Db) -> i64 {
    sqlx::query_scalar(
        "SELECT MIN(id) FROM rewards WHERE court = '宁波市象山县人民法院' AND status = 'active' \
         AND deadline >= $1",
    )
    .bind(court_today().to_string())
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

/// A client speaking from `127.0.0.{n}`, keeping cookies.
fn client(n: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(Some(IpAddr::from([127, 0, 0, n])))
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn json_of(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Sends `build(solution)`, solving a proof of work whenever one is asked for.
async fn admitted(build: impl Fn(Option<String>) -> reqwest::RequestBuilder) -> (u16, Value) {
    let mut solution = None;
    loop {
        let (status, body) = json_of(build(solution.take()).send().await.unwrap()).await;
        match body["error"]["challenge"]["seed"].as_str() {
            Some(seed) if status == 429 => {
                let difficulty = body["error"]["challenge"]["difficulty"].as_u64().unwrap() as u8;
                solution = Some(format!("{seed}:{}", pow::solve(seed, difficulty)));
            }
            _ => return (status, body),
        }
    }
}

#[tokio::test]
#[ignore = "needs three instances behind a load balancer: cargo xtask test instances"]
async fn the_rate_limit_is_the_configured_one_and_a_solution_counts_once_across_instances() {
    let s = setup();
    let c = client(2);
    let lookup = |pow: Option<String>| {
        let mut req = c
            .post(format!("{}/api/v1/lookup", s.balancer))
            .json(&json!({"name": "陈小明"}));
        if let Some(pow) = pow {
            req = req.header("x-portal-pow", pow);
        }
        req
    };
    // Three free lookups in all, though round robin gave each instance only one.
    for _ in 0..3 {
        assert_eq!(json_of(lookup(None).send().await.unwrap()).await.0, 200);
    }
    let (status, body) = json_of(lookup(None).send().await.unwrap()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("challenge_required"))
    );
    // Solved for the instance that asked, accepted by the next one, once.
    let seed = body["error"]["challenge"]["seed"].as_str().unwrap();
    let difficulty = body["error"]["challenge"]["difficulty"].as_u64().unwrap() as u8;
    let solution = format!("{seed}:{}", pow::solve(seed, difficulty));
    let (status, _) = json_of(lookup(Some(solution.clone())).send().await.unwrap()).await;
    assert_eq!(status, 200);
    for _ in 0..2 {
        let (status, body) = json_of(lookup(Some(solution.clone())).send().await.unwrap()).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (429, Some("challenge_required")),
            "a solution is used once, on whichever instance"
        );
    }
    // Twelve in all, not twelve per instance.
    let mut allowed = 4;
    loop {
        let (status, body) = admitted(lookup).await;
        if status == 200 {
            allowed += 1;
            continue;
        }
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (429, Some("rate_limited"))
        );
        break;
    }
    assert_eq!(allowed, 12);
}

#[tokio::test]
#[ignore = "needs three instances behind a load balancer: cargo xtask test instances"]
async fn a_tip_moves_between_instances_and_its_pin_locks_across_them() {
    let s = setup();
    let db = Db::connect(&s.database_url).await.unwrap();
    let reward = open_reward(&db).await;
    let tipster = client(3);
    // Uploaded through the first instance …
    let bytes = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let created = tipster
        .post(format!("{}/api/v1/uploads", s.instances[0]))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", bytes.len().to_string())
        .header("upload-metadata", "filename ZXZpZGVuY2UucGRm")
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    let patched = tipster
        .patch(format!("{}{location}", s.instances[0]))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 204);
    let upload_id = location.rsplit('/').next().unwrap().to_owned();
    // … submitted through the second …
    let (status, accepted) = json_of(
        tipster
            .post(format!("{}/api/v1/tips", s.instances[1]))
            .header("idempotency-key", "instances-tip-1")
            .json(&json!({
                "reward_id": reward, "kind": "vessel",
                "description": "渔船停在石浦港三号码头，每天傍晚出海，船上有被执行人的名字",
                "uploads": [upload_id], "declaration": true,
            }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 201, "{accepted}");
    // … read with its file by staff through the third.
    let staff = client(4);
    let (status, _) = json_of(
        staff
            .post(format!("{}/api/v1/staff/login", s.instances[2]))
            .json(&s.staff)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (_, queue) = json_of(
        staff
            .get(format!("{}/api/v1/staff/tips", s.instances[2]))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let mut found = None;
    for tip in queue["tips"].as_array().unwrap() {
        let id = tip["id"].as_i64().unwrap();
        let (_, detail) = json_of(
            staff
                .get(format!("{}/api/v1/staff/tips/{id}", s.instances[2]))
                .send()
                .await
                .unwrap(),
        )
        .await;
        if detail.to_string().contains("船上有被执行人的名字") {
            found = Some(id);
        }
    }
    let id = found.expect("staff see the tip through another instance");
    let file = staff
        .get(format!(
            "{}/api/v1/staff/tips/{id}/files/1?variant=original",
            s.instances[2]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    assert!(file.bytes().await.unwrap().starts_with(b"%PDF"));

    // Five wrong PINs spread over the instances by the balancer lock the code everywhere.
    let code = accepted["tracking_code"].as_str().unwrap();
    let pin = accepted["pin"].as_str().unwrap();
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let guesser = client(5);
    let status_of = |pin: &str| {
        let body = json!({"tracking_code": code, "pin": pin});
        let (c, url) = (&guesser, format!("{}/api/v1/tips/status", s.balancer));
        async move {
            admitted(|pow| {
                let mut req = c.post(&url).json(&body);
                if let Some(pow) = pow {
                    req = req.header("x-portal-pow", pow);
                }
                req
            })
            .await
        }
    };
    for _ in 0..5 {
        assert_eq!(status_of(wrong).await.0, 404);
    }
    let (status, body) = status_of(pin).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited")),
        "locked on every instance, the right PIN too"
    );
}

#[tokio::test]
#[ignore = "needs three instances behind a load balancer: cargo xtask test instances"]
async fn a_notice_leaving_its_grace_period_is_announced_once_by_one_instance() {
    let s = setup();
    let db = Db::connect(&s.database_url).await.unwrap();
    let partner = partners::store::add(
        &db,
        "多实例测试银行",
        &["https://bank.example".into()],
        "贷款审核",
    )
    .await
    .unwrap();
    let feed = |query: String| {
        let (url, key) = (
            format!("{}/api/v1/partner/changes?{query}", s.balancer),
            partner.api_key.clone(),
        );
        async move {
            let page: Value = reqwest::Client::new()
                .get(url)
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
    let since = (chrono::Utc::now() - chrono::Duration::minutes(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let start = feed(format!("since={since}")).await;
    let cursor = format!("cursor={}", start["next_cursor"].as_str().unwrap());
    let birth = chrono::NaiveDate::from_ymd_opt(1979, 4, 2).unwrap();
    let row = NoticeRow {
        case_number: "(2025)浙0225执777号".into(),
        court: "宁波市象山县人民法院".into(),
        subject_type: "person".into(),
        name: "宽限期".into(),
        id_number: IdNumber::from_parts("330225", birth, 777)
            .as_str()
            .to_owned(),
        legal_representative: String::new(),
        basis_number: "(2024)浙0225民初77号".into(),
        basis_issuer: "宁波市象山县人民法院".into(),
        filed_on: "2025-01-15".into(),
        obligation: "支付货款人民币50,000元".into(),
        performance: "none".into(),
        behaviour: "refuses_with_ability".into(),
        lists: "dishonest".into(),
        published_on: (court_today() + Days::new(1)).to_string(),
        status: "active".into(),
    };
    upsert_all(&db, &[row.validate().unwrap()]).await.unwrap();
    let page = feed(cursor.clone()).await;
    assert!(!page.to_string().contains("宽限期"), "hidden: {page}");
    // Its publication day comes (as if it had been imported yesterday for today).
    sqlx::query(
        "UPDATE notices SET published_on = $1, updated_at = updated_at - 86400000 WHERE name = '宽限期'",
    )
    .bind(court_today().to_string())
    .execute(&db.pool)
    .await
    .unwrap();
    let mut announced = 0;
    for _ in 0..100 {
        announced = feed(cursor.clone()).await["changes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["name"] == "宽限期")
            .count();
        if announced > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(announced, 1, "announced by the scheduled work");
    // Three instances keep ticking (a tick a second here): a few more ticks, and still once. A
    // duplicate can only be seen by letting ticks pass, so this waits for time, not a condition.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let page = feed(cursor).await;
    let times = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "宽限期")
        .count();
    assert_eq!(times, 1, "{page}");
    let claims: Vec<(i64,)> = sqlx::query_as(
        "SELECT COUNT(*) FROM job_runs WHERE job = 'announce-published' GROUP BY tick HAVING COUNT(*) > 1",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(claims.is_empty(), "one run per tick");
}

#[tokio::test]
#[ignore = "needs three instances behind a load balancer: cargo xtask test instances"]
async fn keys_rotate_and_retire_while_every_instance_runs_and_every_tip_still_opens() {
    let s = setup();
    let db = Db::connect(&s.database_url).await.unwrap();
    let reward = open_reward(&db).await;
    let tipster = client(6);
    let submit = |key: &'static str, description: &'static str| {
        let (c, url) = (&tipster, format!("{}/api/v1/tips", s.balancer));
        let body = json!({"reward_id": reward, "kind": "vehicle", "description": description,
            "uploads": [], "declaration": true});
        async move {
            admitted(|pow| {
                let mut req = c.post(&url).header("idempotency-key", key).json(&body);
                if let Some(pow) = pow {
                    req = req.header("x-portal-pow", pow);
                }
                req
            })
            .await
        }
    };
    let (status, _) = submit(
        "rotation-before",
        "轮换密钥之前：被执行人的货车停在县城物流园",
    )
    .await;
    assert_eq!(status, 201);
    let rotated = s.command(&["keys", "rotate", "data"]);
    assert!(rotated.status.success(), "{rotated:?}");
    // Every instance re-reads the key file within a tick and reports the new key; until then
    // the old key is not dropped.
    let mut dropped = None;
    for _ in 0..50 {
        let out = s.command(&["keys", "reseal", "--drop-old"]);
        if out.status.success() {
            dropped = Some(String::from_utf8_lossy(&out.stdout).into_owned());
            break;
        }
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("old data key"),
            "{out:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let dropped = dropped.expect("the old key is dropped once every instance uses the new one");
    assert!(dropped.contains("dropped 1 old data key"), "{dropped}");
    let (status, _) = submit(
        "rotation-after",
        "轮换密钥之后：被执行人的货车改停在港区停车场",
    )
    .await;
    assert_eq!(status, 201);
    // Every instance opens both tips with the keys it holds now.
    let staff = client(7);
    for instance in &s.instances {
        let (status, _) = json_of(
            staff
                .post(format!("{instance}/api/v1/staff/login"))
                .json(&s.staff)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 200);
        let (_, queue) = json_of(
            staff
                .get(format!("{instance}/api/v1/staff/tips"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        let mut opened = String::new();
        for tip in queue["tips"].as_array().unwrap() {
            let (status, detail) = json_of(
                staff
                    .get(format!("{instance}/api/v1/staff/tips/{}", tip["id"]))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(status, 200, "{instance}: {detail}");
            opened.push_str(&detail.to_string());
        }
        assert!(
            opened.contains("轮换密钥之前") && opened.contains("轮换密钥之后"),
            "{instance}"
        );
    }
}
