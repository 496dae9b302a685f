//! `cargo xtask test [core|sqlite|postgres|e2e …]`: every test tier against real parts.
//!
//! With no arguments everything runs: formatting and lints, unit and property tests, the server's
//! API tests on SQLite and on a throwaway PostgreSQL cluster, and the Playwright suite in Debian's
//! Chromium against the real server and database. The summary says how many tests ran per part.

use std::{io::Write, process::Command, time::Instant};

use anyhow::{bail, Result};

use crate::{
    build::{build_frontend, build_server},
    pg::Cluster,
    server::Server,
    site, tools,
    util::{count_passed, free_port, root, run, run_tee, step, tool_path},
};

pub const E2E_STAFF_USER: &str = "e2e-admin";
pub const E2E_STAFF_PASSWORD: &str = "e2e-correct-horse-battery";

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
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ])
            .current_dir(root()))?;
    }
    if wants("core") {
        step("unit and property tests (core, xtask)");
        let n = cargo_test(&["-p", "portal-core", "-p", "xtask"], None)?;
        summary.push(("core + xtask unit/property tests".into(), n));
    }
    if wants("sqlite") {
        step("server tests on SQLite");
        let n = cargo_test(&["-p", "portal-server"], None)?;
        summary.push(("server tests on SQLite".into(), n));
    }
    if wants("postgres") {
        step("server tests on PostgreSQL (throwaway cluster)");
        let cluster = Cluster::start()?;
        let n = cargo_test(&["-p", "portal-server"], Some(&cluster.url))?;
        drop(cluster);
        summary.push(("server tests on PostgreSQL".into(), n));
    }
    if wants("e2e") {
        let n = e2e()?;
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

/// Runs `cargo test` and returns how many tests passed.
fn cargo_test(packages: &[&str], postgres_url: Option<&str>) -> Result<usize> {
    let mut cmd = Command::new("cargo");
    cmd.arg("test").args(packages).current_dir(root());
    match postgres_url {
        Some(url) => cmd.env("PORTAL_TEST_POSTGRES", url),
        None => cmd.env_remove("PORTAL_TEST_POSTGRES"),
    };
    let (ok, out) = run_tee(&mut cmd)?;
    if !ok {
        bail!("cargo test {} failed", packages.join(" "));
    }
    Ok(count_passed(&out))
}

fn e2e() -> Result<usize> {
    build_frontend()?;
    let bin = build_server(false)?;
    step("end-to-end tests (Playwright, Chromium)");
    let dir = std::env::temp_dir().join(format!("portal-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("e2e.db").display());
    let showcase = dir.join("showcase.json");
    run(Command::new(&bin)
        .args(["seed", "--demo", "400", "--database-url", &url])
        .arg("--showcase-out")
        .arg(&showcase))?;
    let mut staff = Command::new(&bin)
        .args([
            "staff",
            "add",
            "--username",
            E2E_STAFF_USER,
            "--court",
            "宁波市象山县人民法院",
            "--role",
            "admin",
        ])
        .args(["--database-url", &url])
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    staff
        .stdin
        .take()
        .expect("piped")
        .write_all(E2E_STAFF_PASSWORD.as_bytes())?;
    if !staff.wait()?.success() {
        bail!("could not add the e2e staff account");
    }
    let dist = root().join("dist");
    // Many tests share one client address: the main server gets a large allowance, and a second
    // server on the same database a tiny one for the rate-limit test.
    let addr = format!("127.0.0.1:{}", free_port()?);
    let server = Server::start(
        &bin,
        &url,
        &addr,
        &dist,
        &["--lookup-free", "100000", "--lookup-max", "100000"],
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
        &["--lookup-free", "2", "--lookup-max", "4"],
    )?;
    let (ok, out) = run_tee(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}"))
            .env("BASE_URL_LIMITED", format!("http://{limited_addr}"))
            .env("PARTNER_URL", format!("http://127.0.0.1:{partner_port}/"))
            .env("ROGUE_URL", format!("http://127.0.0.1:{rogue_port}/"))
            .env("PARTNER_ID", &partner_id)
            .env("SHOWCASE_JSON", &showcase)
            .env("E2E_STAFF_USER", E2E_STAFF_USER)
            .env("E2E_STAFF_PASSWORD", E2E_STAFF_PASSWORD),
    )?;
    drop(server);
    drop(limited);
    let _ = std::fs::remove_dir_all(&dir);
    if !ok {
        bail!("end-to-end tests failed (screenshots and traces: e2e/test-results/)");
    }
    Ok(count_passed(&out))
}
