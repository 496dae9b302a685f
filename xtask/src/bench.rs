//! `cargo xtask bench [--notices N]`: the numbers the quality bars are judged by (DESIGN §6).
//!
//! - first-load bytes of every bundle (HTML + JS + wasm + CSS), raw, gzip and brotli, with their
//!   budgets (`xtask/src/sizes.rs`; `--only sizes` just these);
//! - time to first render of the home page, the tip form and the certificate application in
//!   Chromium under slow 4G and 4× CPU throttling (cold cache, median of 5; `--only render` these
//!   and the bytes on a small demo database);
//! - at N notices (default 1,000,000) on SQLite and on PostgreSQL: name lookup, exact lookup
//!   (name + ID) and verify — latency p50/p99 and throughput under concurrent load from `oha`
//!   on the same machine — and the server's memory after seeding and after the load.
//!
//! - tips on SQLite: submissions per second with a 1 MB photo (tus upload + submission), and the
//!   server's memory while 50 tipsters upload 20 MB files at once (`--only tips` runs just this).
//! - certificates: signed payload bytes and QR version, the verify page's first-load bytes and
//!   time to verdict under slow 4G and 4× CPU, online verifications per second (`--only
//!   certificates`).
//! - publicity: the bundle's first-load bytes, an article's time to content and the statistics
//!   dashboard's time to its first chart under slow 4G and 4× CPU (`--only publicity`).
//! - the parties' desk on SQLite at N notices and N cases: `import cases` rows per second, and
//!   party sign-in and the cases page under load (`--only parties`).
//!
//! Results are printed and written to target/bench/bench.json.

use std::{path::Path, process::Command, time::Instant};

use anyhow::{bail, Context, Result};
use portal_core::id_number::check_digit;
use serde_json::{json, Value};

use crate::{
    build::build_all,
    pg::Cluster,
    server::{http_get, Server},
    util::{free_port, note, output, root, run, step, tool_path},
};

const OHA_VERSION: &str = "1.16.0";
/// The showcase subject every demo database has (crates/server/src/seed.rs).
const NAME: &str = "陈小明";
const ID: &str = "330225198506121231";
/// The demo's most frequent person name (crates/server/src/seed.rs `COMMONEST_NAME`).
const COMMONEST: &str = "王伟";

pub fn bench(args: &[String]) -> Result<()> {
    let notices: usize = args
        .windows(2)
        .find(|w| w[0] == "--notices")
        .map(|w| w[1].parse())
        .transpose()
        .context("--notices takes a number")?
        .unwrap_or(1_000_000);
    let bin = build_all()?;
    crate::tools::ensure_test_system_packages()?;
    let only = |part: &str| args.windows(2).any(|w| w[0] == "--only" && w[1] == part);
    let engine = |name: &str| {
        !args.iter().any(|a| a == "--engine")
            || args.windows(2).any(|w| w[0] == "--engine" && w[1] == name)
    };
    if only("sizes") {
        let result = crate::sizes::report(&root().join("dist"))?;
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    if only("render") {
        let result = render_only(&bin)?;
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    if only("tips") {
        let tips = tips_load(&bin)?;
        println!("{}", serde_json::to_string_pretty(&tips)?);
        return Ok(());
    }
    ensure_oha()?;
    if only("instances") {
        let result = instances_load(&bin, notices)?;
        let text = serde_json::to_string_pretty(&result)?;
        std::fs::write(root().join("target/bench/instances.json"), &text)?;
        println!("{text}");
        return Ok(());
    }
    if only("publicity") {
        let publicity = publicity_load(&bin)?;
        println!("{}", serde_json::to_string_pretty(&publicity)?);
        return Ok(());
    }
    if only("parties") {
        let parties = parties_load(&bin, notices)?;
        let text = serde_json::to_string_pretty(&parties)?;
        std::fs::write(root().join("target/bench/parties.json"), &text)?;
        println!("{text}");
        return Ok(());
    }
    if only("certificates") {
        let certificates = certificates_load(&bin)?;
        println!("{}", serde_json::to_string_pretty(&certificates)?);
        return Ok(());
    }

    step("first-load bytes of every bundle");
    let first_loads = crate::sizes::report(&root().join("dist"))?;
    for (name, v) in first_loads.as_object().into_iter().flatten() {
        note(&format!(
            "{name}: raw {} B, gzip {} B, brotli {} B (budget {})",
            v["total"]["raw"], v["total"]["gzip"], v["total"]["brotli"], v["budget_brotli"]
        ));
    }

    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;

    // SQLite: the seeded file is kept between runs (seeding millions of notices takes a while).
    let lookups_only = only("lookups");
    let mut sqlite = json!(null);
    let mut render = json!(null);
    let mut sqlite_seed = None;
    if engine("sqlite") {
        let db = dir.join(format!("bench-{notices}.db"));
        let sqlite_url = format!("sqlite://{}", db.display());
        let marker = dir.join(format!("bench-{notices}.seeded"));
        if marker.exists() {
            note(&format!("reusing {}", db.display()));
        } else {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
            sqlite_seed = Some(seed(&bin, &sqlite_url, notices)?);
            std::fs::write(&marker, "")?;
        }
        (sqlite, render) = measure(&bin, &sqlite_url, !lookups_only)?;
        let fresh = dir.join("import.db");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", fresh.display()));
        }
        sqlite["import"] = import_speed(&bin, &format!("sqlite://{}", fresh.display()))?;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", fresh.display()));
        }
    }

    let mut postgres = json!(null);
    let mut pg_seed = None;
    if engine("postgres") {
        step("PostgreSQL (throwaway cluster, fsync on, 2 GB of shared buffers)");
        let cluster = Cluster::start_for_bench()?;
        // Imported into the empty database first; seeding then skips those notices (the import
        // file is the first of the same demo notices) and adds the rest.
        let import = import_speed(&bin, &cluster.url)?;
        pg_seed = Some(seed(&bin, &cluster.url, notices)?);
        (postgres, _) = measure(&bin, &cluster.url, false)?;
        postgres["import"] = import;
        drop(cluster);
    }
    if !sqlite.is_null() {
        sqlite["seed_seconds"] = json!(sqlite_seed);
    }
    if !postgres.is_null() {
        postgres["seed_seconds"] = json!(pg_seed);
    }
    let table = lookup_table(notices, &sqlite, &postgres);
    println!("{table}");
    std::fs::write(dir.join(format!("lookups-{notices}.md")), &table)?;
    if lookups_only {
        let result = json!({
            "notices": notices,
            "sqlite": { "seed_seconds": sqlite_seed, "load": sqlite },
            "postgres": { "seed_seconds": pg_seed, "load": postgres },
        });
        let text = serde_json::to_string_pretty(&result)?;
        std::fs::write(dir.join(format!("lookups-{notices}.json")), &text)?;
        note(&format!(
            "written to {}",
            dir.join(format!("lookups-{notices}.json")).display()
        ));
        return Ok(());
    }
    let tips = tips_load(&bin)?;
    let certificates = certificates_load(&bin)?;
    let publicity = publicity_load(&bin)?;

    let result = json!({
        "notices": notices,
        "first_load_bytes": first_loads,
        // Static tables core carries into every bundle (raw bytes in the wasm data section).
        "core_table_bytes": {
            "traditional_to_simplified": portal_core::name::T2S_TABLE_BYTES,
            "region_codes": portal_core::region::REGION_TABLE_BYTES,
        },
        "home_first_render_ms": render,
        "sqlite": { "seed_seconds": sqlite_seed, "load": sqlite },
        "postgres": { "seed_seconds": pg_seed, "load": postgres },
        "tips": tips,
        "certificates": certificates,
        "publicity": publicity,
        "budgets": {
            "first_load_brotli_bytes": "per bundle, in first_load_bytes",
            "home_first_render_ms": 1500,
            "name_lookup_p99_ms": 10,
            "name_lookups_per_s": 10_000,
            "commonest_name_lookup_p99_ms": 20,
            "commonest_name_lookups_per_s": 5_000,
            "exact_lookup_and_verify_per_s": 25_000,
            "exact_lookup_and_verify_p99_ms": 5,
            "batch_subjects_per_s": 50_000,
            "server_private_memory_under_load_bytes": 100 * 1024 * 1024,
            "memory_during_50_uploads_of_20mb_bytes": 150 * 1024 * 1024,
            "verify_page_first_load_brotli_bytes": 60_000,
            "verify_time_to_verdict_ms": 1000,
            "qr_version_at_most": 10,
        },
        "machine": { "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0), "load_tool": format!("oha {OHA_VERSION}, same machine") },
    });
    let text = serde_json::to_string_pretty(&result)?;
    std::fs::write(dir.join("bench.json"), &text)?;
    println!("{text}");
    note(&format!("written to {}", dir.join("bench.json").display()));
    Ok(())
}

/// Tips on a small SQLite database of their own: submissions with a 1 MB photo, and memory
/// during 50 concurrent 20 MB uploads (e2e/bench/tips.mjs).
fn tips_load(bin: &Path) -> Result<Value> {
    step("tips: submissions with a 1 MB photo; memory during 50 concurrent 20 MB uploads");
    let dir = root().join("target/bench/tips");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("tips.db").display());
    seed(bin, &url, 2_000)?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let data = dir.join("data");
    let data = data
        .to_str()
        .context("the bench folder's path is not UTF-8")?;
    let server = Server::start(
        bin,
        &url,
        &addr,
        &root().join("dist"),
        &["--data-dir", data],
    )?;
    let out = output(
        Command::new("node")
            .arg("bench/tips.mjs")
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}"))
            .env("SERVER_PID", server.pid().to_string()),
    )?;
    drop(server);
    // A gigabyte of uploads: not worth keeping.
    let _ = std::fs::remove_dir_all(&dir);
    let result: Value = serde_json::from_str(out.trim().lines().last().unwrap_or_default())
        .context("tips.mjs printed no JSON")?;
    note(&format!("{result}"));
    Ok(result)
}

/// The publicity pages on a small demo database (its articles and statistics): their first-load
/// bytes, an article's time to content and the dashboard's time to its first chart under slow
/// 4G and 4× CPU (e2e/bench/publicity.mjs).
fn publicity_load(bin: &Path) -> Result<Value> {
    step("publicity: bundle bytes, article time to content, dashboard time to first chart");
    let dir = root().join("target/bench/publicity");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("publicity.db").display());
    seed(bin, &url, 2_000)?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let server = Server::start(bin, &url, &addr, &root().join("dist"), &[])?;
    let out = output(
        Command::new("node")
            .arg("bench/publicity.mjs")
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}")),
    )?;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    let mut result: Value = serde_json::from_str(out.trim().lines().last().unwrap_or_default())
        .context("publicity.mjs printed no JSON")?;
    result["publicity_first_load_bytes"] =
        crate::sizes::report(&root().join("dist"))?["publicity"]["total"].clone();
    note(&format!("{result}"));
    Ok(result)
}

/// Certificates on a small SQLite database of their own (e2e/bench/verify.mjs): one issued the
/// way a court does, its payload bytes and QR version, the verify page's first-load bytes and
/// time to verdict under slow 4G and 4× CPU, and online verifications per second (each one
/// logged for the certificate's subject, as in production).
fn certificates_load(bin: &Path) -> Result<Value> {
    step(
        "certificates: payload and QR size, verify page bytes and time to verdict, verifications/s",
    );
    let dir = root().join("target/bench/certificates");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("certificates.db").display());
    let showcase = dir.join("showcase.json");
    run(Command::new(bin)
        .args(["seed", "--demo", "2000", "--database-url", &url])
        .arg("--showcase-out")
        .arg(&showcase))?;
    let court = "宁波市象山县人民法院";
    let (user, password) = ("bench-reviewer", "bench-correct-horse-battery");
    crate::site::add_staff(bin, &url, user, court, "reviewer", password)?;
    let data = dir.join("data");
    let data = data
        .to_str()
        .context("the bench folder's path is not UTF-8")?;
    run(Command::new(bin)
        .args(["court-key", "generate", "--court", court])
        .args(["--data-dir", data]))?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let unlimited = ["--lookup-free", "1000000000", "--lookup-max", "1000000000"];
    let server = Server::start(
        bin,
        &url,
        &addr,
        &root().join("dist"),
        &[&unlimited[..], &["--data-dir", data]].concat(),
    )?;
    let out = output(
        Command::new("node")
            .arg("bench/verify.mjs")
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}"))
            .env("SHOWCASE_JSON", &showcase)
            .env("STAFF_USER", user)
            .env("STAFF_PASSWORD", password),
    )?;
    let mut result: Value = serde_json::from_str(out.trim().lines().last().unwrap_or_default())
        .context("verify.mjs printed no JSON")?;
    let number = result["number"].as_str().unwrap_or_default().to_owned();
    result["online_verifications"] = oha(
        &addr,
        &format!("/api/v1/certificates/{number}?channel=qr"),
        "",
        32,
        None,
    )?;
    drop(server);
    result["verify_page_first_load_bytes"] =
        crate::sizes::report(&root().join("dist"))?["verify"]["total"].clone();
    let _ = std::fs::remove_dir_all(&dir);
    note(&format!("{result}"));
    Ok(result)
}

fn ensure_oha() -> Result<()> {
    let present = Command::new("oha")
        .arg("--version")
        .env("PATH", tool_path())
        .output();
    if present
        .map(|o| String::from_utf8_lossy(&o.stdout).contains(OHA_VERSION))
        .unwrap_or(false)
    {
        return Ok(());
    }
    note(&format!(
        "installing oha {OHA_VERSION} (the HTTP load generator; bench only)"
    ));
    run(Command::new("cargo")
        .args(["install", "oha", "--version", OHA_VERSION, "--locked"])
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))
}

/// Rows of the import file `import_speed` times.
const IMPORT_ROWS: usize = 200_000;

/// `portal-server import notices` of a 200,000-row demo file (DESIGN §7.2) into an empty
/// database, then of the same file again (every row an update): rows per second of each, the
/// whole command (reading, validating every row, one transaction).
fn import_speed(bin: &Path, url: &str) -> Result<Value> {
    let file = root().join(format!("target/bench/import-{IMPORT_ROWS}.csv"));
    if !file.exists() {
        run(Command::new(bin)
            .args([
                "seed",
                "--demo",
                &IMPORT_ROWS.to_string(),
                "--database-url",
                url,
            ])
            .arg("--csv")
            .arg(&file))?;
    }
    let mut timed = Vec::new();
    for pass in ["new rows", "the same rows again (updates)"] {
        step(&format!("import of {IMPORT_ROWS} notices: {pass}"));
        let started = Instant::now();
        run(Command::new(bin)
            .args(["import", "notices"])
            .arg(&file)
            .args(["--database-url", url]))?;
        timed.push((IMPORT_ROWS as f64 / started.elapsed().as_secs_f64()).round());
    }
    let result = json!({ "rows": IMPORT_ROWS, "insert_rows_per_s": timed[0], "update_rows_per_s": timed[1] });
    note(&format!("{result}"));
    Ok(result)
}

fn seed(bin: &Path, url: &str, notices: usize) -> Result<f64> {
    step(&format!("seeding {notices} notices"));
    let started = Instant::now();
    run(Command::new(bin).args([
        "seed",
        "--demo",
        &notices.to_string(),
        "--database-url",
        url,
    ]))?;
    Ok((started.elapsed().as_secs_f64() * 10.0).round() / 10.0)
}

/// Time to first render under slow 4G and 4× CPU (e2e/bench/first-render.mjs) of the server at
/// `addr`: the home page, the tip form and the certificate application.
fn first_render(addr: &str) -> Result<Value> {
    step("first render under slow 4G + 4x CPU throttling (median of 5)");
    let out = output(
        Command::new("node")
            .arg("bench/first-render.mjs")
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}")),
    )?;
    serde_json::from_str(out.trim()).context("first-render.mjs printed no JSON")
}

/// `--only render`: first-load bytes and first render on a small demo database.
fn render_only(bin: &Path) -> Result<Value> {
    let dir = root().join("target/bench/render");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("render.db").display());
    seed(bin, &url, 2_000)?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let server = Server::start(bin, &url, &addr, &root().join("dist"), &[])?;
    let render = first_render(&addr)?;
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(json!({
        "first_load_bytes": crate::sizes::report(&root().join("dist"))?,
        "first_render_ms": render,
    }))
}

/// Starts the server on `url`, loads it with oha, and (once) measures the throttled first render.
fn measure(bin: &Path, url: &str, with_render: bool) -> Result<(Value, Value)> {
    let addr = format!("127.0.0.1:{}", free_port()?);
    let unlimited = ["--lookup-free", "1000000000", "--lookup-max", "1000000000"];
    let server = Server::start(bin, url, &addr, &root().join("dist"), &unlimited)?;
    for _ in 0..20 {
        http_get(&addr, "/api/v1/health")?;
    }
    let memory_idle = server.memory();

    let render = if with_render {
        first_render(&addr)?
    } else {
        Value::Null
    };

    let (_, key) = crate::site::register_partner(bin, url, "基准测试", "https://bench.example")?;
    let mut load = serde_json::Map::new();
    let peak = PeakMemory::watch(server.pid());
    for (label, path, body) in [
        (
            "name_lookup",
            "/api/v1/lookup",
            json!({ "name": NAME }).to_string(),
        ),
        (
            "name_lookup_commonest",
            "/api/v1/lookup",
            json!({ "name": COMMONEST }).to_string(),
        ),
        (
            "exact_lookup",
            "/api/v1/lookup",
            json!({ "name": NAME, "id_number": ID }).to_string(),
        ),
        (
            "verify",
            "/api/v1/verify",
            json!({ "name": NAME, "id_number": ID }).to_string(),
        ),
    ] {
        step(&format!(
            "load: {label} on {}",
            url.split(':').next().unwrap_or("")
        ));
        let r = oha(&addr, path, &body, 32, None)?;
        note(&format!("{r}"));
        load.insert(label.into(), r);
    }
    step("load: batch check (100 subjects per call)");
    let batch = oha(
        &addr,
        "/api/v1/partner/check/batch",
        &batch_body(),
        8,
        Some(&key),
    )?;
    let subjects_per_s = batch["requests_per_s"]
        .as_f64()
        .map(|r| (r * 100.0).round());
    note(&format!(
        "{batch} = {} subjects/s",
        subjects_per_s.unwrap_or(0.0)
    ));
    load.insert("batch_check_100".into(), batch);
    load.insert("batch_subjects_per_s".into(), json!(subjects_per_s));
    load.insert("memory_idle".into(), memory_idle);
    load.insert("memory_after_load".into(), server.memory());
    load.insert(
        "peak_private_memory_under_load_bytes".into(),
        json!(peak.stop()),
    );
    drop(server);

    let floor = bench_floor(bin, url)?;
    note(&format!("{floor}"));
    load.insert("floor".into(), floor);
    Ok((Value::Object(load), render))
}

/// `portal-server bench-floor` on `url`: the database's own speed for the hot statements and
/// admission control's, one thread, no HTTP.
fn bench_floor(bin: &Path, url: &str) -> Result<Value> {
    step("the database's own speed on the same data: one thread, no HTTP (bench-floor)");
    let batch_file = root().join("target/bench/batch.json");
    std::fs::write(&batch_file, batch_body())?;
    serde_json::from_str(
        output(
            Command::new(bin)
                .args([
                    "bench-floor",
                    "--database-url",
                    url,
                    "--name",
                    NAME,
                    "--id",
                    ID,
                ])
                .args(["--commonest", COMMONEST, "--seconds", "3", "--batch"])
                .arg(&batch_file),
        )?
        .trim(),
    )
    .context("bench-floor printed no JSON")
}

/// Several instances on PostgreSQL (`--only instances`): the typical name lookup on one
/// instance, then through HAProxy over three instances on the same database, and what admission
/// control costs per request (the rate limiter's upsert, the guess budget) from bench-floor.
fn instances_load(bin: &Path, notices: usize) -> Result<Value> {
    std::fs::create_dir_all(root().join("target/bench"))?;
    let cluster = Cluster::start_for_bench()?;
    seed(bin, &cluster.url, notices)?;
    let floor = bench_floor(bin, &cluster.url)?;
    note(&format!(
        "admission decision {} · guess budget {}",
        floor["admission_decision"], floor["guess_budget"]
    ));
    let unlimited = ["--lookup-free", "1000000000", "--lookup-max", "1000000000"];
    let body = json!({ "name": NAME }).to_string();
    let start =
        |addr: &str| Server::start(bin, &cluster.url, addr, &root().join("dist"), &unlimited);
    step("load: typical name lookup on one instance (PostgreSQL)");
    let addr = format!("127.0.0.1:{}", free_port()?);
    let one = start(&addr)?;
    let single = oha(&addr, "/api/v1/lookup", &body, 32, None)?;
    note(&format!("{single}"));
    drop(one);
    step("load: the same through HAProxy, round robin over three instances");
    let mut ports = Vec::new();
    let mut servers = Vec::new();
    for _ in 0..3 {
        let port = free_port()?;
        servers.push(start(&format!("127.0.0.1:{port}"))?);
        ports.push(port);
    }
    let dir = std::env::temp_dir().join(format!("portal-bench-lb-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let lb_port = free_port()?;
    let balancer =
        crate::instances::start_balancer(&crate::tools::haproxy(), &dir, lb_port, &ports)?;
    let behind = oha(
        &format!("127.0.0.1:{lb_port}"),
        "/api/v1/lookup",
        &body,
        32,
        None,
    )?;
    note(&format!("{behind}"));
    drop(balancer);
    drop(servers);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(json!({
        "notices": notices,
        "one_instance": single,
        "three_instances_behind_haproxy": behind,
        "admission_decision": floor["admission_decision"],
        "guess_budget": floor["guess_budget"],
        "floor_name_lookup": floor["name_lookup"],
    }))
}

/// The access code of every party the parties' bench imports (each hashed with its subject).
const BENCH_ACCESS_CODE: &str = "BNCH2345KDEF";

/// The parties' desk on SQLite with `notices` notices and as many cases, one party each
/// (`--only parties`): how fast `import cases` takes them, and sign-in and the cases page under
/// load, one subject (a party of three cases) signing in and reading its cases over and over.
fn parties_load(bin: &Path, notices: usize) -> Result<Value> {
    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join(format!("bench-parties-{notices}.db"));
    let url = format!("sqlite://{}", db.display());
    let marker = dir.join(format!("bench-parties-{notices}.seeded"));
    let mut import = json!(null);
    if marker.exists() {
        note(&format!("reusing {}", db.display()));
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        seed(bin, &url, notices)?;
        let file = dir.join(format!("cases-{notices}.csv"));
        write_cases(&file, notices)?;
        step(&format!("importing {notices} cases"));
        let started = Instant::now();
        run(Command::new(bin)
            .args(["import", "cases"])
            .arg(&file)
            .args(["--database-url", &url]))?;
        let seconds = started.elapsed().as_secs_f64();
        import = json!({
            "cases": notices,
            "seconds": (seconds * 10.0).round() / 10.0,
            "rows_per_s": (notices as f64 / seconds).round(),
        });
        let _ = std::fs::remove_file(&file);
        std::fs::write(&marker, "")?;
    }
    // Sign-ins leave state behind (sessions, attempt counts of the one client address): each run
    // loads a copy of the seeded file.
    let run_db = dir.join(format!("bench-parties-{notices}.run.db"));
    for suffix in ["", "-wal", "-shm"] {
        let from = format!("{}{suffix}", db.display());
        let to = format!("{}{suffix}", run_db.display());
        let _ = std::fs::remove_file(&to);
        if Path::new(&from).exists() {
            std::fs::copy(&from, &to)?;
        }
    }
    let url = format!("sqlite://{}", run_db.display());
    let addr = format!("127.0.0.1:{}", free_port()?);
    let unlimited = ["--lookup-free", "1000000000", "--lookup-max", "1000000000"];
    let _server = Server::start(bin, &url, &addr, &root().join("dist"), &unlimited)?;
    let body = |i: usize| {
        let (name, id) = bench_party(i);
        json!({"name": name, "id_number": id, "access_code": BENCH_ACCESS_CODE}).to_string()
    };
    // One subject signing in from 32 connections at once is what the throttle stops (parallel
    // attempts are counted before the code is checked): 16 parties sign in side by side, each
    // again and again on a connection of its own.
    step("load: party sign-in, 16 parties at once (SQLite)");
    let runs: Vec<Result<Value>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (3..19)
            .map(|i| {
                let (addr, body) = (&addr, body(i));
                scope.spawn(move || oha_with(addr, "/api/v1/party/session", &body, 1, &[]))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a load thread"))
            .collect()
    });
    let runs = runs.into_iter().collect::<Result<Vec<_>>>()?;
    let field = |key: &str| {
        runs.iter()
            .filter_map(|r| r[key].as_f64())
            .collect::<Vec<_>>()
    };
    let sign_in = json!({
        "parties": runs.len(),
        "requests_per_s": field("requests_per_s").iter().sum::<f64>().round(),
        "p50_ms_median": median(field("p50_ms")),
        "p99_ms_worst": field("p99_ms").into_iter().fold(0.0, f64::max),
        "requests": runs.iter().filter_map(|r| r["requests"].as_u64()).sum::<u64>(),
    });
    note(&format!("{sign_in}"));
    let cookie = party_cookie(&addr, &body(0))?;
    step("load: the signed-in party's cases page (SQLite)");
    let cases = oha_with(
        &addr,
        "/api/v1/party/cases",
        "",
        32,
        &[format!("cookie: {cookie}")],
    )?;
    note(&format!("{cases}"));
    Ok(json!({
        "notices": notices,
        "cases": notices,
        "import_cases": import,
        "sign_in": sign_in,
        "cases_page": cases,
    }))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The bench's party `i`: a name and a valid resident ID (unique for every `i`).
fn bench_party(i: usize) -> (String, String) {
    use portal_core::IdNumber;
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"];
    let birth = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).expect("a date")
        + chrono::Days::new((i / 999) as u64);
    let id = IdNumber::from_parts("330225", birth, (i % 999) as u16 + 1);
    (
        format!("{}{}", SURNAMES[i % 10], GIVEN[(i / 10) % 10]),
        id.as_str().to_owned(),
    )
}

/// `count` cases of the parties' desk as an import file: party 0 is a debtor in three cases, every
/// other case has a party of its own; every party has [`BENCH_ACCESS_CODE`]. The cases spread
/// over ten years, so that a million of them keep their serials within a case number's 999,999.
fn write_cases(path: &Path, count: usize) -> Result<()> {
    use std::io::Write;
    anyhow::ensure!(
        count <= 9_999_990,
        "at most 9,999,990 cases: ten years of serials up to 999,999"
    );
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "court,case_number,stage,role,name,id_number,obligation,amount,due_on,status,access_code"
    )?;
    for i in 0..count {
        let (name, id) = bench_party(if i < 3 { 0 } else { i });
        writeln!(
            out,
            "宁波市象山县人民法院,({})浙0225民初{}号,before_enforcement,debtor,{name},{id},支付货款,{}.00,2026-12-31,open,{BENCH_ACCESS_CODE}",
            2016 + i % 10,
            i / 10 + 1,
            1000 + i % 90_000
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Signs in once and returns the party's session cookie (`name=value`), over plain HTTP/1.1.
fn party_cookie(addr: &str, body: &str) -> Result<String> {
    use std::io::{Read, Write};
    let mut socket = std::net::TcpStream::connect(addr)?;
    write!(
        socket,
        "POST /api/v1/party/session HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    socket.read_to_string(&mut answer)?;
    answer
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie").then(|| {
                value
                    .trim()
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        })
        .with_context(|| {
            format!(
                "the sign-in set no cookie: {}",
                answer.lines().next().unwrap_or("")
            )
        })
}

/// The peak private (anonymous) memory of a process, sampled every 100 ms on a thread of its
/// own until [`PeakMemory::stop`].
struct PeakMemory {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl PeakMemory {
    fn watch(pid: u32) -> PeakMemory {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                let anon = status
                    .lines()
                    .find(|l| l.starts_with("RssAnon:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .unwrap_or(0)
                    * 1024;
                peak = peak.max(anon);
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            peak
        });
        PeakMemory { stop, thread }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

/// The lookup figures as a Markdown table: per engine, throughput and latency over HTTP beside
/// the database's single-thread floor on the same data, and the budget (issue #10).
fn lookup_table(notices: usize, sqlite: &Value, postgres: &Value) -> String {
    let rows: [(&str, &str, &str, f64, f64); 5] = [
        (
            "name lookup, typical name",
            "name_lookup",
            "name_lookup",
            10_000.0,
            10.0,
        ),
        (
            "name lookup, commonest name (capped)",
            "name_lookup_commonest",
            "name_lookup_commonest",
            5_000.0,
            20.0,
        ),
        (
            "exact lookup",
            "exact_lookup",
            "exact_lookup",
            25_000.0,
            5.0,
        ),
        ("verify", "verify", "verify", 25_000.0, 5.0),
        (
            "partner batch, subjects/s",
            "batch_check_100",
            "batch_check_100",
            50_000.0,
            f64::INFINITY,
        ),
    ];
    let mut out = format!(
        "\n### {notices} notices (2 cores, load generator on the same machine)\n\n\
         | figure | engine | per s | p50 ms | p99 ms | floor per s (1 thread, no HTTP) | floor p50 µs | HTTP ÷ floor | budget |\n\
         |---|---|---|---|---|---|---|---|---|\n"
    );
    for (label, key, floor_key, per_s_budget, p99_budget) in rows {
        for (engine, v) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
            if v.is_null() {
                continue;
            }
            let load = &v[key];
            let scale = if key == "batch_check_100" { 100.0 } else { 1.0 };
            let per_s = load["requests_per_s"].as_f64().unwrap_or(0.0) * scale;
            let p99 = load["p99_ms"].as_f64().unwrap_or(f64::NAN);
            let floor = &v["floor"][floor_key];
            let floor_per_s = floor["per_s"].as_f64().unwrap_or(0.0) * scale;
            let ok = per_s >= per_s_budget && p99 < p99_budget;
            let budget = if p99_budget.is_finite() {
                format!("≥ {per_s_budget:.0}, p99 < {p99_budget} ms")
            } else {
                format!("≥ {per_s_budget:.0}")
            };
            out.push_str(&format!(
                "| {label} | {engine} | {per_s:.0} | {} | {p99} | {floor_per_s:.0} | {} | {:.2} | {budget} {} |\n",
                load["p50_ms"],
                floor["p50_us"],
                if floor_per_s > 0.0 { per_s / floor_per_s } else { f64::NAN },
                if ok { "✓" } else { "✗" },
            ));
        }
    }
    for (engine, v) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
        if let Some(seconds) = v["seed_seconds"].as_f64() {
            out.push_str(&format!(
                "| seeding {notices} demo notices, s | {engine} | {seconds} ({:.0} rows/s) | | | | | | SQLite 1 M < 60 s |\n",
                notices as f64 / seconds
            ));
        }
        if let Some(rate) = v["import"]["insert_rows_per_s"].as_f64() {
            out.push_str(&format!(
                "| import notices ({} rows, new / updates), rows/s | {engine} | {rate:.0} / {} | | | | | | ≥ 50000 {} |\n",
                v["import"]["rows"],
                v["import"]["update_rows_per_s"],
                if rate >= 50_000.0 && v["import"]["update_rows_per_s"].as_f64().unwrap_or(0.0) >= 50_000.0 { "✓" } else { "✗" },
            ));
        }
    }
    for (engine, v) in [("SQLite", sqlite), ("PostgreSQL", postgres)] {
        if let Some(peak) = v["peak_private_memory_under_load_bytes"].as_u64() {
            out.push_str(&format!(
                "\n{engine}: server private memory under load (peak) {:.1} MB (budget < 100 MB {}); \
                 typical name \"{NAME}\" has {} notices, commonest \"{COMMONEST}\" {}.",
                peak as f64 / 1_048_576.0,
                if peak < 100 * 1_048_576 { "✓" } else { "✗" },
                v["floor"]["name_notices"],
                v["floor"]["commonest_notices"],
            ));
        }
    }
    out.push('\n');
    out
}

/// A batch of 100 subjects: the listed showcase subject ten times and 90 people who are not on
/// any list.
fn batch_body() -> String {
    let mut items = Vec::new();
    for i in 0..100u32 {
        if i % 10 == 0 {
            items.push(json!({ "name": NAME, "id_number": ID }));
        } else {
            let first17 = format!("11010519900101{:03}", 100 + i);
            let id = format!("{first17}{}", check_digit(&first17));
            items.push(json!({ "name": "王建华", "id_number": id }));
        }
    }
    json!({ "items": items, "purpose": "基准测试" }).to_string()
}

/// 10 seconds of load at `connections` (a GET when `body` is empty, else a POST of it); returns
/// throughput and latency percentiles in ms.
fn oha(
    addr: &str,
    path: &str,
    body: &str,
    connections: u32,
    bearer: Option<&str>,
) -> Result<Value> {
    let headers: Vec<String> = bearer
        .map(|key| format!("authorization: Bearer {key}"))
        .into_iter()
        .collect();
    oha_with(addr, path, body, connections, &headers)
}

/// [`oha`] with any request headers (`name: value`).
fn oha_with(
    addr: &str,
    path: &str,
    body: &str,
    connections: u32,
    headers: &[String],
) -> Result<Value> {
    let mut cmd = Command::new("oha");
    cmd.args([
        "-z",
        "10s",
        "-c",
        &connections.to_string(),
        "--no-tui",
        "--output-format",
        "json",
    ]);
    if !body.is_empty() {
        cmd.args([
            "-m",
            "POST",
            "-H",
            "content-type: application/json",
            "-d",
            body,
        ]);
    }
    for header in headers {
        cmd.args(["-H", header]);
    }
    let out = output(
        cmd.arg(format!("http://{addr}{path}"))
            .env("PATH", tool_path()),
    )?;
    let v: Value = serde_json::from_str(&out).context("oha printed no JSON")?;
    let ms = |key: &str| {
        v["latencyPercentiles"][key]
            .as_f64()
            .map(|s| (s * 100_000.0).round() / 100.0)
    };
    let ok = v["statusCodeDistribution"]["200"].as_u64().unwrap_or(0);
    let total: u64 = v["statusCodeDistribution"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    if ok == 0 || ok != total {
        bail!(
            "load test got non-200 answers: {}",
            v["statusCodeDistribution"]
        );
    }
    Ok(json!({
        "requests_per_s": v["summary"]["requestsPerSec"].as_f64().map(f64::round),
        "p50_ms": ms("p50"),
        "p99_ms": ms("p99"),
        "requests": total,
    }))
}
