//! The command line as court systems and operators use it: real processes, exit codes, messages.

use std::process::{Command, Output, Stdio};

use crate::helpers::{person_row, write_csv, TestDb};

pub fn server(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_portal-server"))
        .args(args)
        .args(["--database-url", &db.url])
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("portal-server starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn import_reports_bad_rows_with_line_and_column_and_exits_non_zero() {
    let db = TestDb::new().await;
    let mut rows = vec![person_row(1), person_row(2)];
    rows[1].performance = "most".into();
    let file = write_csv(db.dir.path(), "bad.csv", &rows);
    let out = server(&db, &["import", "notices", file.to_str().unwrap()], None);
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("line 3, column performance"), "{t}");
    assert!(t.contains("nothing was imported"), "{t}");

    let file = write_csv(db.dir.path(), "good.csv", &rows[..1]);
    let out = server(&db, &["import", "notices", file.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("imported 1 rows"), "{}", text(&out));
}

#[tokio::test]
async fn seed_and_staff_commands_validate_their_arguments() {
    let db = TestDb::new().await;
    let out = server(&db, &["seed", "--demo", "0"], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("--demo must be at least 1"));

    let out = server(&db, &["seed", "--demo", "25"], None);
    assert!(out.status.success(), "{}", text(&out));

    let add = [
        "staff",
        "add",
        "--username",
        "judge",
        "--court",
        "杭州市西湖区人民法院",
        "--role",
    ];
    let out = server(
        &db,
        &[&add[..], &["boss"]].concat(),
        Some("a-long-password\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("--role must be admin, reviewer or editor"));
    let out = server(&db, &[&add[..], &["admin"]].concat(), Some("short\n"));
    assert!(!out.status.success());
    assert!(
        text(&out).contains("at least 10 characters"),
        "{}",
        text(&out)
    );
    let out = server(
        &db,
        &[&add[..], &["admin"]].concat(),
        Some("a-long-password\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
}

#[tokio::test]
async fn an_unsupported_database_url_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_portal-server"))
        .args(["migrate", "--database-url", "mysql://localhost/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("unsupported database URL"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn partner_add_prints_credentials_once_and_rejects_bad_origins() {
    let db = TestDb::new().await;
    let add = [
        "partner",
        "add",
        "--name",
        "示例银行",
        "--purpose",
        "贷款审批",
        "--origin",
    ];
    let out = server(&db, &[&add[..], &["bank.example"]].concat(), None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("https://bank.example"),
        "{}",
        text(&out)
    );
    let out = server(&db, &[&add[..], &["https://bank.example"]].concat(), None);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("partner_id: pt_")
            && stdout.contains("api_key: pk_")
            && stdout.contains("id_hmac_secret: hs_"),
        "{stdout}"
    );
    let list = server(&db, &["partner", "list"], None);
    assert!(String::from_utf8_lossy(&list.stdout).contains("示例银行"));
}

#[tokio::test]
async fn court_keys_are_generated_listed_retired_and_revoked() {
    let db = TestDb::new().await;
    let dir = db.dir.path().to_str().unwrap().to_owned();
    let run = |args: &[&str]| server(&db, &[args, &["--data-dir", &dir]].concat(), None);
    let out = run(&["court-key", "generate", "--court", "  "]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--court must name the court"),
        "{}",
        text(&out)
    );

    let out = run(&["court-key", "generate", "--court", "宁波市象山县人民法院"]);
    assert!(out.status.success(), "{}", text(&out));
    let id = text(&out).split_whitespace().nth(2).unwrap().to_owned();
    assert_eq!(id.len(), 8, "{id}");
    let out = run(&["court-key", "list"]);
    assert!(
        text(&out).contains(&format!("{id}\tcurrent")),
        "{}",
        text(&out)
    );
    assert!(run(&["court-key", "retire", "--key-id", &id])
        .status
        .success());
    assert!(run(&["court-key", "revoke", "--key-id", &id])
        .status
        .success());
    let out = run(&["court-key", "revoke", "--key-id", &id]);
    assert!(!out.status.success());
    assert!(text(&out).contains("revoked already"), "{}", text(&out));
    let out = run(&["court-key", "list"]);
    assert!(
        text(&out).contains(&format!("{id}\trevoked")),
        "{}",
        text(&out)
    );

    let out = run(&["certificate", "verify", "HTTP://X/C/NOTACERTIFICATE"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("not a certificate"), "{}", text(&out));
}

/// Several instances on PostgreSQL must share uploads and keys: `serve` with the local upload
/// folder says to use a bucket (unless told this is the only instance), and an instance whose
/// keys.json is not the one the database was written with refuses to start.
#[tokio::test]
async fn serve_refuses_what_would_split_several_instances() {
    let db = TestDb::new().await;
    let data = db.dir.path().to_str().unwrap().to_owned();
    if db.url.starts_with("postgres") {
        let out = server(
            &db,
            &["serve", "--addr", "127.0.0.1:0", "--data-dir", &data],
            None,
        );
        assert!(!out.status.success());
        assert!(text(&out).contains("--s3-bucket"), "{}", text(&out));
    }
    // The first start records its key set; another keys.json on the same database is refused.
    let portal = portal_server::db::Db::connect(&db.url).await.unwrap();
    portal.migrate().await.unwrap();
    let keys = portal_server::keys::Keys::load_or_create(&db.dir.path().join("keys.json")).unwrap();
    keys.check_matches_database(&portal).await.unwrap();
    keys.check_matches_database(&portal).await.unwrap();
    let other = tempfile::tempdir().unwrap();
    let stranger =
        portal_server::keys::Keys::load_or_create(&other.path().join("keys.json")).unwrap();
    let refused = stranger
        .check_matches_database(&portal)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("not the key set"), "{refused}");
}

/// Keys rotate while every instance keeps running: each re-reads the key file and reports the
/// data key it seals with, and `keys reseal --drop-old` refuses while one still reports an old
/// key.
#[tokio::test]
async fn old_data_keys_are_dropped_only_once_every_instance_seals_with_the_new_one() {
    let app = crate::helpers::TestApp::spawn().await;
    let data = app.test_db.dir.path().to_str().unwrap().to_owned();
    let tick = portal_core::time::now_ms() / 60_000;
    portal_server::jobs::run_once(&app.state, tick).await;
    let rotated = server(
        &app.test_db,
        &["keys", "rotate", "data", "--data-dir", &data],
        None,
    );
    assert!(rotated.status.success(), "{}", text(&rotated));
    let reseal = || {
        server(
            &app.test_db,
            &["keys", "reseal", "--drop-old", "--data-dir", &data],
            None,
        )
    };
    let refused = reseal();
    assert!(!refused.status.success());
    assert!(
        text(&refused).contains("still seal with an old data key"),
        "{}",
        text(&refused)
    );
    // The next tick: the instance re-reads the file and reports the new key.
    portal_server::jobs::run_once(&app.state, tick + 1).await;
    let dropped = reseal();
    assert!(dropped.status.success(), "{}", text(&dropped));
    assert!(
        text(&dropped).contains("dropped 1 old data key"),
        "{}",
        text(&dropped)
    );
}
