use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    sync::atomic::AtomicU32,
};

use chrono::{Days, NaiveDate};
use portal_core::time::court_today;
use portal_core::{notice::NoticeRow, IdNumber};
use portal_server::{
    db::{Db, DbKind},
    frontend::Frontend,
    http,
    keys::Keys,
    ratelimit::{Limiter, RateLimitConfig},
    staff::Role,
    state::{AppState, HttpConfig},
    uploads::{S3Config, Store, UploadConfig, Uploads},
    wechat::WeChat,
};
use sqlx::{Connection, Executor};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test, and the temporary folder that holds it (SQLite) or the
/// name of the database created for it (PostgreSQL).
pub struct TestDb {
    pub url: String,
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database this test created, dropped with it (a second instance of the app
    /// on the same database owns none), so a run of every test leaves no disk behind.
    created: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.created.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot block on itself: a thread of its own.
        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?;
            rt.block_on(async {
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .map_err(|e| e.to_string())?;
                conn.execute(sql.as_str())
                    .await
                    .map_err(|e| e.to_string())?;
                Ok::<_, String>(())
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("test database {name} not dropped: {e}");
        }
    }
}

impl TestDb {
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut created = None;
        let url = match std::env::var("PORTAL_TEST_POSTGRES") {
            Ok(admin) => {
                sqlx::any::install_default_drivers();
                let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let name = format!(
                    "t_{}_{}_{}",
                    std::process::id(),
                    n,
                    chrono::Utc::now().timestamp_micros()
                );
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .expect("PostgreSQL answers");
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create database");
                let base = admin.rsplit_once('/').expect("URL has a database").0;
                let url = format!("{base}/{name}");
                created = Some((admin, name));
                url
            }
            Err(_) => format!("sqlite://{}", dir.path().join("test.db").display()),
        };
        TestDb { url, dir, created }
    }

    pub fn expected_kind(&self) -> DbKind {
        if self.url.starts_with("postgres") {
            DbKind::Postgres
        } else {
            DbKind::Sqlite
        }
    }
}

/// Rate limits no test reaches unless it means to.
fn test_limits() -> RateLimitConfig {
    RateLimitConfig {
        free: 10_000,
        max: 10_000,
        ..Default::default()
    }
}

/// A WeChat official account as `serve --wechat-app-id … --wechat-app-secret … --wechat-api-base …`
/// takes it.
#[derive(Clone)]
pub struct WeChatAccount {
    pub app_id: String,
    pub secret: String,
    pub api_base: String,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: Db,
    pub test_db: TestDb,
    /// The application's state, for calling what the server does on a timer (upload sweeps).
    pub state: AppState,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with_dist(None).await
    }

    pub async fn spawn_with_dist(dist: Option<PathBuf>) -> TestApp {
        Self::spawn_with(dist, test_limits()).await
    }

    /// Starts the real application on a free port with the given front end and rate limits.
    pub async fn spawn_with(dist: Option<PathBuf>, limits: RateLimitConfig) -> TestApp {
        Self::spawn_full(dist, limits, UploadConfig::default()).await
    }

    /// Starts the real application with the given upload limits.
    pub async fn spawn_with_uploads(uploads: UploadConfig) -> TestApp {
        let limits = RateLimitConfig {
            free: 10_000,
            max: 10_000,
            ..Default::default()
        };
        Self::spawn_full(None, limits, uploads).await
    }

    async fn spawn_full(
        dist: Option<PathBuf>,
        limits: RateLimitConfig,
        uploads: UploadConfig,
    ) -> TestApp {
        let test_db = TestDb::new().await;
        let keys = test_db.dir.path().join("keys.json");
        Self::start(test_db, &keys, dist, limits, uploads, None).await
    }

    /// An app whose WeChat official account is `wechat` (its API a local stand-in).
    pub async fn spawn_with_wechat(wechat: &WeChatAccount) -> TestApp {
        let test_db = TestDb::new().await;
        let keys = test_db.dir.path().join("keys.json");
        Self::start_with_wechat(test_db, &keys, wechat).await
    }

    /// Another instance on this app's database and keys with the WeChat account `wechat`.
    pub async fn another_instance_with_wechat(&self, wechat: &WeChatAccount) -> TestApp {
        let test_db = TestDb {
            url: self.test_db.url.clone(),
            dir: tempfile::tempdir().expect("temporary folder"),
            created: None,
        };
        Self::start_with_wechat(test_db, &self.test_db.dir.path().join("keys.json"), wechat).await
    }

    async fn start_with_wechat(test_db: TestDb, keys: &Path, wechat: &WeChatAccount) -> TestApp {
        let (limits, uploads) = (test_limits(), UploadConfig::default());
        Self::start(test_db, keys, None, limits, uploads, Some(wechat)).await
    }

    /// A second instance of the application on this one's database and keys (its own memory,
    /// port and cookies), as a load balancer would spread clients over several.
    pub async fn another_instance(&self, limits: RateLimitConfig) -> TestApp {
        let test_db = TestDb {
            url: self.test_db.url.clone(),
            dir: tempfile::tempdir().expect("temporary folder"),
            created: None,
        };
        let keys = self.test_db.dir.path().join("keys.json");
        Self::start(test_db, &keys, None, limits, UploadConfig::default(), None).await
    }

    async fn start(
        test_db: TestDb,
        keys: &Path,
        dist: Option<PathBuf>,
        limits: RateLimitConfig,
        uploads: UploadConfig,
        wechat: Option<&WeChatAccount>,
    ) -> TestApp {
        let db = Db::connect(&test_db.url).await.expect("database opens");
        db.migrate().await.expect("migrations run");
        let dist = dist.unwrap_or_else(|| test_db.dir.path().join("no-dist"));
        let keys = Keys::load_or_create(keys).expect("keys");
        keys.check_matches_database(&db)
            .await
            .expect("every instance has the same keys");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let state = AppState::new(
            db.clone(),
            HttpConfig {
                secure_cookies: false,
                trust_proxy: false,
                public_origin: format!("http://{addr}"),
            },
            Limiter::for_db(limits, &db, None).await.expect("limiter"),
            keys,
            Uploads::new(uploads, test_store(test_db.dir.path()).await),
        );
        let state = match wechat {
            Some(w) => state.with_wechat(
                WeChat::new(w.app_id.clone(), w.secret.clone().into(), &w.api_base)
                    .expect("WeChat account"),
            ),
            None => state,
        };
        let app = http::app(state.clone(), Frontend::load(dist));
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .expect("server runs");
        });
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        TestApp {
            addr,
            client,
            db,
            test_db,
            state,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Creates a staff account of `court` with `role` and signs this app's client in as it.
    pub async fn sign_in_staff(&self, username: &str, court: &str, role: Role) {
        self.sign_in(&self.client, username, court, role).await;
    }

    /// A separate client (its own cookies) signed in as a new staff account.
    pub async fn staff_client(&self, username: &str, court: &str, role: Role) -> reqwest::Client {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        self.sign_in(&client, username, court, role).await;
        client
    }

    async fn sign_in(&self, client: &reqwest::Client, username: &str, court: &str, role: Role) {
        const PASSWORD: &str = "correct-horse-battery-staple";
        portal_server::staff::store::add(&self.db, username, court, role, PASSWORD)
            .await
            .expect("account");
        let res = client
            .post(self.url("/api/v1/staff/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), 200, "sign-in");
    }

    /// A new app on a demo database, and the id of an open reward notice of `court`.
    pub async fn with_open_reward(court: &str) -> (TestApp, i64) {
        let app = TestApp::spawn().await;
        portal_server::seed::seed_demo(&app.db, 200, portal_core::time::court_today())
            .await
            .expect("demo data");
        let id: i64 = sqlx::query_scalar(
            "SELECT MIN(id) FROM rewards WHERE court = $1 AND status = 'active' AND deadline >= $2",
        )
        .bind(court)
        .bind(portal_core::time::court_today().to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("an open reward notice");
        (app, id)
    }

    /// `GET /api/v1/rewards?{query}`.
    pub async fn rewards(&self, query: &str) -> (u16, serde_json::Value) {
        json_of(self.get(&format!("/api/v1/rewards?{query}")).await).await
    }

    /// `POST /api/v1/tips` with an `Idempotency-Key`.
    pub async fn submit_tip(
        &self,
        key: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        json_of(
            self.client
                .post(self.url("/api/v1/tips"))
                .header("idempotency-key", key)
                .json(body)
                .send()
                .await
                .expect("request"),
        )
        .await
    }

    /// `POST /api/v1/tips/status`.
    pub async fn tip_status(&self, code: &str, pin: &str) -> (u16, serde_json::Value) {
        json_of(
            self.post_json(
                "/api/v1/tips/status",
                &serde_json::json!({"tracking_code": code, "pin": pin}),
            )
            .await,
        )
        .await
    }

    /// Notices the public can see now, counted directly (the home page's figure is cached).
    pub async fn public_notices(&self) -> i64 {
        portal_server::notices::store::count_public(&self.db)
            .await
            .expect("count")
    }
}

/// The upload store of one test: a folder of its own, or a bucket of its own on the
/// S3-compatible server that `PORTAL_TEST_S3` names (xtask starts one), so the same tests run on
/// both stores.
pub async fn test_store(dir: &Path) -> Store {
    let Ok(endpoint) = std::env::var("PORTAL_TEST_S3") else {
        return Store::local(dir.join("uploads")).expect("upload folder");
    };
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let bucket = format!(
        "t-{}-{}-{}",
        std::process::id(),
        n,
        chrono::Utc::now().timestamp_micros()
    );
    let created = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(
        created.status().is_success(),
        "bucket: {}",
        created.status()
    );
    Store::s3(&S3Config {
        bucket,
        endpoint: Some(endpoint),
        region: Some("us-east-1".into()),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".to_owned().into()),
    })
    .expect("S3 store")
}

/// The status and JSON body of an answer (`null` when the body is empty).
pub async fn json_of(res: reqwest::Response) -> (u16, serde_json::Value) {
    let status = res.status().as_u16();
    let text = res.text().await.expect("body");
    let json = if text.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    (status, json)
}

/// A valid import row for a person, varied by `n`.
pub fn person_row(n: u32) -> NoticeRow {
    let birth = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + Days::new(n as u64 * 37);
    NoticeRow {
        case_number: format!("(2024)浙0225执{}号", 100 + n),
        court: "宁波市象山县人民法院".into(),
        subject_type: "person".into(),
        name: "陈小明".into(),
        id_number: IdNumber::from_parts("330225", birth, (n % 1000) as u16)
            .as_str()
            .to_owned(),
        legal_representative: String::new(),
        basis_number: "(2023)浙0225民初88号".into(),
        basis_issuer: "宁波市象山县人民法院".into(),
        filed_on: "2024-03-15".into(),
        obligation: "支付货款人民币128,000元".into(),
        performance: "none".into(),
        behaviour: "refuses_with_ability".into(),
        lists: "dishonest;restricted".into(),
        published_on: "2024-08-01".into(),
        status: "active".into(),
    }
}

pub fn tomorrow() -> String {
    (court_today() + Days::new(1)).to_string()
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// Writes rows as a CSV file with the standard header; returns its path.
pub fn write_csv(dir: &Path, name: &str, rows: &[NoticeRow]) -> PathBuf {
    let mut text = NoticeRow::COLUMNS.join(",");
    text.push('\n');
    for row in rows {
        let line: Vec<String> = row.values().iter().map(|v| csv_field(v)).collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write CSV");
    path
}
