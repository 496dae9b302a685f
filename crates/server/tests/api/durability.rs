//! Acknowledged tips are never lost: the real server process is killed with SIGKILL in the middle
//! of a burst of submissions, restarted on the same database, and every receipt it handed out
//! still finds its tip; retries of every submission store each tip once.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use serde_json::{json, Value};

use crate::helpers::TestDb;

const BURST: usize = 200;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(db: &TestDb, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_portal-server"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(["--database-url", &db.url])
        .arg("--data-dir")
        .arg(db.dir.path())
        .args(["--dist", "no-dist"])
        .args(["--lookup-free", "100000", "--lookup-max", "100000"])
        // One instance with the local upload folder, also on PostgreSQL.
        .arg("--single-instance")
        .env("RUST_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("portal-server starts")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    // Up to 30 s: a start on a busy machine (migrations, key checks) can take several.
    for _ in 0..600 {
        if let Ok(res) = client.get(format!("{base}/api/v1/health")).send().await {
            if res.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not start");
}

fn tip(reward: i64, i: usize) -> Value {
    json!({
        "reward_id": reward,
        "kind": "vehicle",
        "description": format!("被执行人的白色轿车（第{i}条线索）常停在小区地下车库B2层"),
        "declaration": true,
    })
}

async fn submit(client: &reqwest::Client, base: &str, reward: i64, i: usize) -> Option<Value> {
    let res = client
        .post(format!("{base}/api/v1/tips"))
        .header("idempotency-key", format!("burst-{i}"))
        .json(&tip(reward, i))
        .send()
        .await
        .ok()?;
    if res.status() != 201 {
        return None;
    }
    res.json().await.ok()
}

#[tokio::test]
async fn killing_the_server_mid_burst_loses_no_acknowledged_tip() {
    let db = TestDb::new().await;
    let seeded = Command::new(env!("CARGO_BIN_EXE_portal-server"))
        .args(["seed", "--demo", "100", "--database-url", &db.url])
        .output()
        .unwrap();
    assert!(seeded.status.success());
    let client = reqwest::Client::new();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&db, port);
    wait_ready(&client, &base).await;
    let rewards: Value = client
        .get(format!("{base}/api/v1/rewards"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reward = rewards["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "active")
        .expect("an open reward")["id"]
        .as_i64()
        .unwrap();

    // The burst; the server is killed once a quarter of it has been acknowledged.
    let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = Vec::new();
    for i in 0..BURST {
        let (client, base, acked_tx) = (client.clone(), base.clone(), acked_tx.clone());
        tasks.push(tokio::spawn(async move {
            if let Some(answer) = submit(&client, &base, reward, i).await {
                let _ = acked_tx.send((i, answer));
            }
        }));
    }
    drop(acked_tx);
    let mut acked = Vec::new();
    while let Some(a) = acked_rx.recv().await {
        acked.push(a);
        if acked.len() == BURST / 4 {
            server.kill().expect("SIGKILL");
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    server.wait().unwrap();
    assert!(acked.len() >= BURST / 4, "{} acknowledged", acked.len());
    assert!(acked.len() < BURST, "the kill interrupted the burst");

    let mut server = start(&db, port);
    wait_ready(&client, &base).await;
    // Every receipt handed out still opens its tip.
    for (i, answer) in &acked {
        let res = client
            .post(format!("{base}/api/v1/tips/status"))
            .json(&json!({"tracking_code": answer["tracking_code"], "pin": answer["pin"]}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "acknowledged tip {i} was lost");
    }
    // Retrying everything: acknowledged ones get their first answer, the rest are stored now,
    // and every submission is stored exactly once.
    for i in 0..BURST {
        let answer = submit(&client, &base, reward, i)
            .await
            .expect("retry accepted");
        if let Some((_, first)) = acked.iter().find(|(j, _)| *j == i) {
            assert_eq!(&answer, first, "retry of {i} answered differently");
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let db = portal_server::db::Db::connect(&db.url).await.unwrap();
    let (tips, keys): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM tips), (SELECT COUNT(*) FROM tip_submissions)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!((tips, keys), (BURST as i64, BURST as i64));
}
