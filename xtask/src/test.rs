//! `cargo xtask test [core|sizes|sqlite|postgres|s3|instances|schemathesis|e2e [spec …]]`: every test
//! tier against real parts.
//!
//! With no arguments everything runs: formatting and lints, unit and property tests, the server's
//! API tests on SQLite and on a throwaway PostgreSQL cluster, the upload and tip API tests once
//! more on a throwaway S3-compatible server (moto), and the Playwright suite in Debian's
//! Chromium against the real server and database. The summary says how many tests ran per part.

use std::{process::Command, time::Instant};

use anyhow::{bail, Context, Result};

use crate::{
    build::{build_frontend, build_server},
    pg::Cluster,
    s3::S3Server,
    server::Server,
    site, tools,
    util::{count_passed, free_port, root, run, run_tee, step, tool_path},
};

pub const E2E_STAFF_USER: &str = "e2e-admin";
pub const E2E_STAFF_PASSWORD: &str = "e2e-correct-horse-battery";
/// A reviewer of the court one level up of the e2e court.
pub const E2E_HIGHER_USER: &str = "e2e-higher";
/// The e2e server's WeChat account (its API is `site::serve_wechat_standin`).
pub const E2E_WECHAT_APP_ID: &str = "wxe2e0000000000001";

pub fn test(args: &[String]) -> Result<()> {
    let started = Instant::now();
    let wants = |part: &str| args.is_empty() || args.iter().any(|a| a == part);
    tools::ensure_build_tools()?;
    tools::ensure_test_system_packages()?;

    let mut summary: Vec<(String, usize)> = Vec::new();
    if args.is_empty() {
        step("formatting and lints");
        run(Command::new("cargo")
            .args(["fmt", "--all", "--check"])
            .current_dir(root()))?;
        run(Command::new("cargo")
            .args([
                "clippy",
                "--workspace",
                "--exclude",
                "portal",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()))?;
        run(Command::new("cargo")
            .args([
                "clippy",
                "-p",
                "portal",
                "-p",
                "verify",
                "-p",
                "publicity",
                "-p",
                "portal-lite",
                "-p",
                "embed",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()))?;
    }
    if wants("core") {
        step("unit and property tests (core, the bundles' router and views, charts, xtask)");
        let n = cargo_test(
            &[
                "-p",
                "portal-core",
                "-p",
                "portal",
                "-p",
                "portal-lite",
                "-p",
                "verify",
                "-p",
                "publicity",
                "-p",
                "xtask",
            ],
            &[],
        )?;
        summary.push(("core, bundle views + xtask unit/property tests".into(), n));
    }
    if wants("sizes") {
        let n = crate::sizes::check()?;
        summary.push(("bundles within their first-load limits".into(), n));
    }
    if wants("sqlite") {
        step("server tests on SQLite");
        let n = cargo_test(&["-p", "portal-server"], &[])?;
        summary.push(("server tests on SQLite".into(), n));
    }
    if wants("postgres") {
        step("server tests on PostgreSQL (throwaway cluster)");
        let cluster = Cluster::start()?;
        let n = cargo_test(
            &["-p", "portal-server"],
            &[("PORTAL_TEST_POSTGRES", &cluster.url)],
        )?;
        drop(cluster);
        summary.push(("server tests on PostgreSQL".into(), n));
    }
    if wants("s3") {
        step("upload and tip API tests on S3-compatible storage (moto)");
        let s3 = S3Server::start(&tools::ensure_moto()?)?;
        // Only these tests touch the upload store; the rest ran above.
        let n = cargo_test(
            &[
                "-p",
                "portal-server",
                "--test",
                "api",
                "--",
                "uploads::",
                "tips::",
            ],
            &[("PORTAL_TEST_S3", &s3.url)],
        )?;
        drop(s3);
        summary.push(("upload and tip tests on S3 storage".into(), n));
    }
    if wants("instances") {
        step("three instances behind HAProxy on one PostgreSQL and one S3 store");
        let n = crate::instances::instances(
            &build_server(false)?,
            &tools::haproxy(),
            &tools::ensure_moto()?,
        )?;
        summary.push((
            "tests through three instances behind a load balancer".into(),
            n,
        ));
    }
    if wants("schemathesis") {
        step("Schemathesis against the OpenAPI documents");
        let n = crate::fuzz::schemathesis(&build_server(false)?, &tools::ensure_schemathesis()?)?;
        summary.push((
            "requests generated by Schemathesis, no issue found".into(),
            n,
        ));
    }
    if wants("e2e") {
        // Anything else after `e2e` picks spec files: `cargo xtask test e2e certificates`.
        let tiers = [
            "core",
            "sizes",
            "sqlite",
            "postgres",
            "s3",
            "instances",
            "schemathesis",
            "e2e",
        ];
        let files: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !tiers.contains(a))
            .collect();
        let n = e2e(&files)?;
        summary.push(("end-to-end tests in Chromium".into(), n));
    }

    step("summary");
    for (part, n) in &summary {
        eprintln!("    {n:>5}  {part}");
    }
    eprintln!("    total time {:.0} s", started.elapsed().as_secs_f64());
    if summary.iter().any(|(_, n)| *n == 0) {
        bail!("a test part ran no tests");
    }
    Ok(())
}

/// Runs `cargo test ARGS` with the given test servers (`PORTAL_TEST_POSTGRES`, `PORTAL_TEST_S3`;
/// those not given are unset) and returns how many tests passed.
fn cargo_test(args: &[&str], servers: &[(&str, &str)]) -> Result<usize> {
    let mut cmd = Command::new("cargo");
    cmd.arg("test").args(args).current_dir(root());
    for var in ["PORTAL_TEST_POSTGRES", "PORTAL_TEST_S3"] {
        cmd.env_remove(var);
    }
    for (var, url) in servers {
        cmd.env(var, url);
    }
    let (ok, out) = run_tee(&mut cmd)?;
    if !ok {
        bail!("cargo test {} failed", args.join(" "));
    }
    Ok(count_passed(&out))
}

fn e2e(files: &[&str]) -> Result<usize> {
    build_frontend()?;
    let bin = build_server(false)?;
    step("end-to-end tests (Playwright, Chromium)");
    let dir = std::env::temp_dir().join(format!("portal-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("e2e.db").display());
    let showcase = dir.join("showcase.json");
    // Keys and uploads of this run only; the e2e court can sign certificates. The demo's party
    // access codes are hashed with these keys, so the seed uses them too.
    let data = dir.join("data");
    let data = data
        .to_str()
        .context("the temporary folder's path is not UTF-8")?
        .to_owned();
    run(Command::new(&bin)
        .args([
            "seed",
            "--demo",
            "400",
            "--database-url",
            &url,
            "--data-dir",
            &data,
        ])
        .arg("--showcase-out")
        .arg(&showcase))?;
    site::add_staff(
        &bin,
        &url,
        E2E_STAFF_USER,
        "宁波市象山县人民法院",
        "admin",
        E2E_STAFF_PASSWORD,
    )?;
    // The court one level up, which decides reconsiderations (the parties' desk).
    site::add_staff(
        &bin,
        &url,
        E2E_HIGHER_USER,
        "宁波市中级人民法院",
        "reviewer",
        E2E_STAFF_PASSWORD,
    )?;
    run(Command::new(&bin)
        .args(["court-key", "generate", "--court", "宁波市象山县人民法院"])
        .args(["--data-dir", &data]))?;
    let dist = root().join("dist");
    // Many tests share one client address: the main server gets a large allowance, and a second
    // server on the same database a tiny one for the rate-limit test.
    let addr = format!("127.0.0.1:{}", free_port()?);
    // The main server has a WeChat account whose API is a local stand-in (share cards).
    let wechat_port = free_port()?;
    site::serve_wechat_standin(wechat_port)?;
    let wechat_base = format!("http://127.0.0.1:{wechat_port}");
    let server = Server::start(
        &bin,
        &url,
        &addr,
        &dist,
        &[
            "--lookup-free",
            "100000",
            "--lookup-max",
            "100000",
            "--data-dir",
            &data,
            "--wechat-app-id",
            E2E_WECHAT_APP_ID,
            "--wechat-app-secret",
            "e2e-wechat-secret",
            "--wechat-api-base",
            &wechat_base,
        ],
    )?;
    // A partner page on another origin that embeds the check, and one on an origin no partner
    // registered.
    let partner_port = free_port()?;
    let rogue_port = free_port()?;
    let (partner_id, _) = site::register_partner(
        &bin,
        &url,
        "示例银行",
        &format!("http://127.0.0.1:{partner_port}"),
    )?;
    site::serve_partner_page(partner_port, &format!("http://{addr}"), &partner_id)?;
    site::serve_partner_page(rogue_port, &format!("http://{addr}"), &partner_id)?;
    let limited_addr = format!("127.0.0.1:{}", free_port()?);
    let limited = Server::start(
        &bin,
        &url,
        &limited_addr,
        &dist,
        &[
            "--lookup-free",
            "2",
            "--lookup-max",
            "4",
            "--data-dir",
            &data,
        ],
    )?;
    let (ok, out) = run_tee(
        Command::new("npx")
            .args(["playwright", "test"])
            .args(files)
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}"))
            .env("BASE_URL_LIMITED", format!("http://{limited_addr}"))
            .env("PARTNER_URL", format!("http://127.0.0.1:{partner_port}/"))
            .env("ROGUE_URL", format!("http://127.0.0.1:{rogue_port}/"))
            .env("PARTNER_ID", &partner_id)
            .env("SHOWCASE_JSON", &showcase)
            .env("E2E_STAFF_USER", E2E_STAFF_USER)
            .env("E2E_STAFF_PASSWORD", E2E_STAFF_PASSWORD)
            .env("E2E_HIGHER_USER", E2E_HIGHER_USER)
            .env("WECHAT_APP_ID", E2E_WECHAT_APP_ID)
            .env("WECHAT_TICKET", site::WECHAT_TICKET),
    )?;
    drop(server);
    drop(limited);
    let _ = std::fs::remove_dir_all(&dir);
    if !ok {
        bail!("end-to-end tests failed (screenshots and traces: e2e/test-results/)");
    }
    Ok(count_passed(&out))
}
