//! `cargo xtask bench`: the numbers the quality bars are judged by (DESIGN §6).
//!
//! - first-load bytes of the portal (HTML + JS + wasm + CSS), raw, gzip and brotli;
//! - time to first render of the home page in Chromium under slow 4G and 4× CPU throttling
//!   (cold cache, median of 5);
//! - server memory after seeding N notices (default 1,000,000) and serving requests.
//!
//! Results are printed and written to target/bench/bench.json.

use std::{path::Path, process::Command, time::Instant};

use anyhow::{Context, Result};
use serde_json::json;

use crate::{
    build::{brotli_bytes, build_all, gzip_bytes},
    server::{http_get, Server},
    util::{free_port, note, output, root, run, step, tool_path},
};

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

    step("first-load bytes of the portal");
    let first_load = first_load_bytes(&root().join("dist"))?;
    note(&format!(
        "raw {} B, gzip {} B, brotli {} B",
        first_load["total"]["raw"], first_load["total"]["gzip"], first_load["total"]["brotli"]
    ));

    let dir = root().join("target/bench");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let url = format!("sqlite://{}", db.display());
    step(&format!("seeding {notices} notices"));
    let seeded = Instant::now();
    run(Command::new(&bin).args([
        "seed",
        "--demo",
        &notices.to_string(),
        "--database-url",
        &url,
    ]))?;
    let seed_seconds = seeded.elapsed().as_secs_f64();

    let addr = format!("127.0.0.1:{}", free_port()?);
    let server = Server::start(&bin, &url, &addr, &root().join("dist"), &[])?;
    for _ in 0..50 {
        http_get(&addr, "/api/v1/health")?;
        http_get(&addr, "/")?;
    }
    let rss = server.rss_bytes();

    step("first render under slow 4G + 4x CPU throttling (median of 5)");
    let render = output(
        Command::new("node")
            .arg("bench/first-render.mjs")
            .current_dir(root().join("e2e"))
            .env("PATH", tool_path())
            .env("BASE_URL", format!("http://{addr}")),
    )?;
    let render: serde_json::Value =
        serde_json::from_str(render.trim()).context("first-render.mjs printed no JSON")?;
    drop(server);

    let result = json!({
        "portal_first_load_bytes": first_load,
        "home_first_render_ms": render,
        "server": {
            "notices": notices,
            "seed_seconds": (seed_seconds * 10.0).round() / 10.0,
            "rss_bytes_after_seed_and_requests": rss,
        },
        "budgets": {
            "portal_first_load_brotli_bytes": 200_000,
            "home_first_render_ms": 1500,
        }
    });
    let text = serde_json::to_string_pretty(&result)?;
    std::fs::write(dir.join("bench.json"), &text)?;
    println!("{text}");
    note(&format!("written to {}", dir.join("bench.json").display()));
    Ok(())
}

/// Sizes of what a first visit downloads: index.html and every JS, wasm and CSS file it loads.
fn first_load_bytes(dist: &Path) -> Result<serde_json::Value> {
    let mut files = vec![dist.join("index.html")];
    for entry in std::fs::read_dir(dist).context("dist/ is missing: run cargo xtask build")? {
        let path = entry?.path();
        if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("js" | "wasm" | "css")
        ) {
            files.push(path);
        }
    }
    files.sort();
    let mut per_file = serde_json::Map::new();
    let (mut raw, mut gz, mut br) = (0usize, 0usize, 0usize);
    for f in &files {
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
