//! `cargo xtask bench [--notices N]`: the numbers the quality bars are judged by (DESIGN §6).
//!
//! - first-load bytes of the portal (HTML + JS + wasm + CSS), raw, gzip and brotli;
//! - time to first render of the home page in Chromium under slow 4G and 4× CPU throttling
//!   (cold cache, median of 5);
//! - at N notices (default 1,000,000) on SQLite and on PostgreSQL: name lookup, exact lookup
//!   (name + ID) and verify — latency p50/p99 and throughput under concurrent load from `oha`
//!   on the same machine — and the server's memory after seeding and after the load.
//!
//! - tips on SQLite: submissions per second with a 1 MB photo (tus upload + submission), and the
//!   server's memory while 50 tipsters upload 20 MB files at once (`--only tips` runs just this;
//!   `--only sizes` just the first-load bytes).
//! - certificates: signed payload bytes and QR version, the verify page's first-load bytes and
//!   time to verdict under slow 4G and 4× CPU, online verifications per second (`--only
//!   certificates`).
//! - publicity: the bundle's first-load bytes, an article's time to content and the statistics
//!   dashboard's time to its first chart under slow 4G and 4× CPU (`--only publicity`).
//!
//! Results are printed and written to target/bench/bench.json.

use std::{path::Path, process::Command, time::Instant};

use anyhow::{bail, Context, Result};
use portal_core::id_number::check_digit;
use serde_json::{json, Value};

use crate::{
    build::{brotli_bytes, build_all, gzip_bytes},
    pg::Cluster,
    server::{http_get, Server},
    util::{free_port, note, output, root, run, step, tool_path},
};

const OHA_VERSION: &str = "1.16.0";
/// The showcase subject every demo database has (crates/server/src/seed.rs).
const NAME: &str = "陈小明";
const ID: &str = "330225198506121231";

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
    if only("sizes") {
        let dist = root().join("dist");
        let mut widget_files = vec![dist.join("widget.js")];
        widget_files.extend(first_load_files(&dist.join("embed"))?);
        let result = json!({
            "portal_first_load_bytes": sizes(&first_load_files(&dist)?)?,
            "widget_first_load_bytes": sizes(&widget_files)?,
            "staff_first_load_bytes": sizes(&first_load_files(&dist.join("staff"))?)?,
            "verify_first_load_bytes": sizes(&first_load_files(&dist.join("verify"))?)?,
            "publicity_first_load_bytes": sizes(&first_load_files(&dist.join("publicity"))?)?,
        });
        println!("{}", serde_json::to_string_pretty(&result)?);
        return Ok(());
    }
    if only("tips") {
        let tips = tips_load(&bin)?;
        println!("{}", serde_json::to_string_pretty(&tips)?);
        return Ok(());
    }
    ensure_oha()?;
    if only("publicity") {
        let publicity = publicity_load(&bin)?;
        println!("{}", serde_json::to_string_pretty(&publicity)?);
        return Ok(());
    }
    if only("certificates") {
        let certificates = certificates_load(&bin)?;
        println!("{}", serde_json::to_string_pretty(&certificates)?);
        return Ok(());
    }

    step("first-load bytes of the portal");
    let dist = root().join("dist");
    let first_load = sizes(&first_load_files(&dist)?)?;
    let mut widget_files = vec![dist.join("widget.js")];
    widget_files.extend(first_load_files(&dist.join("embed"))?);
    let widget = sizes(&widget_files)?;
    for (what, v) in [
        ("portal", &first_load),
        ("widget (loader + embed page)", &widget),
    ] {
        note(&format!(
            "{what}: raw {} B, gzip {} B, brotli {} B",
            v["total"]["raw"], v["total"]["gzip"], v["total"]["brotli"]
        ));
    }

    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;

    // SQLite: the seeded file is kept between runs (seeding 1,000,000 notices takes a while).
    let db = dir.join(format!("bench-{notices}.db"));
    let sqlite_url = format!("sqlite://{}", db.display());
    let marker = dir.join(format!("bench-{notices}.seeded"));
    let sqlite_seed = if marker.exists() {
        note(&format!("reusing {}", db.display()));
        None
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
        let s = seed(&bin, &sqlite_url, notices)?;
        std::fs::write(&marker, "")?;
        Some(s)
    };
    let (sqlite, render) = measure(&bin, &sqlite_url, true)?;

    step("PostgreSQL (throwaway cluster)");
    let cluster = Cluster::start()?;
    let pg_seed = seed(&bin, &cluster.url, notices)?;
    let (postgres, _) = measure(&bin, &cluster.url, false)?;
    drop(cluster);
    let tips = tips_load(&bin)?;
    let certificates = certificates_load(&bin)?;
    let publicity = publicity_load(&bin)?;

    let result = json!({
        "notices": notices,
        "portal_first_load_bytes": first_load,
        "widget_first_load_bytes": widget,
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
            "portal_first_load_brotli_bytes": 200_000,
            "widget_first_load_brotli_bytes": 60_000,
            "home_first_render_ms": 1500,
            "name_lookup_p99_ms": 10,
            "name_lookups_per_s": 8000,
            "verify_per_s": 20000,
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
        sizes(&first_load_files(&root().join("dist/publicity"))?)?["total"].clone();
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
        sizes(&first_load_files(&root().join("dist/verify"))?)?["total"].clone();
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
        step("first render under slow 4G + 4x CPU throttling (median of 5)");
        let out = output(
            Command::new("node")
                .arg("bench/first-render.mjs")
                .current_dir(root().join("e2e"))
                .env("PATH", tool_path())
                .env("BASE_URL", format!("http://{addr}")),
        )?;
        serde_json::from_str(out.trim()).context("first-render.mjs printed no JSON")?
    } else {
        Value::Null
    };

    let (_, key) = crate::site::register_partner(bin, url, "基准测试", "https://bench.example")?;
    let mut load = serde_json::Map::new();
    for (label, path, body) in [
        (
            "name_lookup",
            "/api/v1/lookup",
            json!({ "name": NAME }).to_string(),
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
    Ok((Value::Object(load), render))
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
    if let Some(key) = bearer {
        cmd.args(["-H", &format!("authorization: Bearer {key}")]);
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

/// What a first visit to a built entry downloads: its index.html and every JS, wasm and CSS file
/// next to it.
fn first_load_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut files = vec![dir.join("index.html")];
    for entry in std::fs::read_dir(dir).context("dist/ is missing: run cargo xtask build")? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !matches!(name, "widget.js" | "verify-sw.js")
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("js" | "wasm" | "css")
            )
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Raw, gzip and brotli sizes of files, each and in total.
fn sizes(files: &[std::path::PathBuf]) -> Result<Value> {
    let mut per_file = serde_json::Map::new();
    let (mut raw, mut gz, mut br) = (0usize, 0usize, 0usize);
    for f in files {
        let bytes = std::fs::read(f)?;
        let (g, b) = (gzip_bytes(&bytes).len(), brotli_bytes(&bytes).len());
        raw += bytes.len();
        gz += g;
        br += b;
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        per_file.insert(name, json!({"raw": bytes.len(), "gzip": g, "brotli": b}));
    }
    Ok(json!({"files": per_file, "total": {"raw": raw, "gzip": gz, "brotli": br}}))
}
