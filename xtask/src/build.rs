//! `cargo xtask build` and `cargo xtask run`.

use std::{
    hash::{Hash, Hasher},
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, Result};

use crate::{
    server::Server,
    site, tools,
    util::{note, root, run, step, tool_path},
};

/// Builds the front end (when its sources changed) and the release server.
pub fn build_all() -> Result<PathBuf> {
    tools::ensure_build_tools()?;
    build_frontend()?;
    build_server(true)
}

/// Folders and files the front end is built from. A change in any of them triggers a rebuild.
const FRONTEND_INPUTS: &[&str] = &[
    "src",
    "style",
    "public",
    "crates/core/src",
    "index.html",
    "embed.html",
    "staff.html",
    "verify.html",
    "publicity.html",
    "service.html",
    "crates/verify",
    "crates/lite",
    "crates/publicity",
    "crates/embed",
    "Trunk.toml",
    "Cargo.toml",
    "Cargo.lock",
    "crates/core/Cargo.toml",
    "e2e/build",
    "e2e/package-lock.json",
];

fn hash_inputs() -> u64 {
    fn visit(path: &Path, h: &mut std::collections::hash_map::DefaultHasher) {
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .collect();
            entries.sort();
            for e in entries {
                visit(&e, h);
            }
        } else if let Ok(bytes) = std::fs::read(path) {
            path.hash(h);
            bytes.hash(h);
        }
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for input in FRONTEND_INPUTS {
        visit(&root().join(input), &mut h);
    }
    h.finish()
}

/// `trunk build --release` into dist/, then brotli and gzip copies of every text asset so the
/// server sends compressed bytes without compressing per request.
pub fn build_frontend() -> Result<()> {
    let dist = root().join("dist");
    let stamp_file = dist.join(".build-stamp");
    let stamp = format!("{:x}", hash_inputs());
    if std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(stamp.as_str()) {
        step("front end: up to date (dist/)");
        return Ok(());
    }
    step("building the front end (trunk build --release)");
    // Trunk builds offline (Trunk.toml), so dependencies must be downloaded first.
    run(Command::new("cargo").args(["fetch"]).current_dir(root()))?;
    let jobs = std::env::var("CARGO_BUILD_JOBS").unwrap_or_else(|_| "2".into());
    // The portal build empties dist/, so the other bundles go after it into their own folders:
    // the embedded check, the staff console, the certificate verification page, the publicity
    // pages, and the citizens' services other than the portal (`portal_core::bundle`), whose
    // files are under /bundles/{service}/.
    run(Command::new("trunk")
        .args(["build", "--release"])
        .current_dir(root())
        .env("PATH", tool_path())
        .env("CARGO_BUILD_JOBS", &jobs))?;
    let mut others: Vec<(String, String, String)> = [
        ("embed.html", "dist/embed", "/embed/"),
        ("staff.html", "dist/staff", "/staff/"),
        ("verify.html", "dist/verify", "/verify/"),
        ("publicity.html", "dist/publicity", "/publicity-files/"),
    ]
    .iter()
    .map(|(h, d, u)| (h.to_string(), d.to_string(), u.to_string()))
    .collect();
    for service in services() {
        others.push((
            service_page(service)?,
            format!("dist/bundles/{service}"),
            format!("/bundles/{service}/"),
        ));
    }
    for (html, out, url) in &others {
        run(Command::new("trunk")
            .args([
                "build",
                html,
                "--release",
                "--dist",
                out,
                "--public-url",
                url,
            ])
            .current_dir(root())
            .env("PATH", tool_path())
            .env("CARGO_BUILD_JOBS", &jobs))?;
    }
    for (_, out, url) in &others {
        share_stylesheets(&dist, &root().join(out), url)?;
    }
    // Trunk's minifier leaves wasm-bindgen's modules whole (it cannot parse their
    // `export { … as default }`): terser minifies them, and the pages' integrity hashes follow.
    run(Command::new("node")
        .arg("build/minify-js.mjs")
        .arg(&dist)
        .current_dir(root().join("e2e")))?;
    precompress(&dist)?;
    std::fs::write(&stamp_file, stamp)?;
    Ok(())
}

/// The citizens' bundles besides the portal (`portal_core::bundle::Bundle::dir`), each built from
/// `service.html` ([`service_page`]): also the name of its binary.
pub fn services() -> impl Iterator<Item = &'static str> {
    portal_core::bundle::Bundle::ALL
        .into_iter()
        .filter_map(|b| b.dir())
}

/// A service's page title and description (its share meta before the app runs).
fn service_meta(service: &str) -> Result<(&'static str, &'static str)> {
    Ok(match service {
        "rewards" => (
            "悬赏公告 · 执行公开",
            "悬赏公告：申请执行人通过法院发布悬赏，知情人可保密提交被执行人的财产线索，执行到位后按公告发放悬赏金。",
        ),
        "tips" => (
            "提供财产线索 · 执行公开",
            "提供财产线索：知情人可保密提交被执行人的财产线索并上传证据，凭查询码查看处理进度，执行到位后按公告领取悬赏金。",
        ),
        "payments" => (
            "申报履行 · 执行公开",
            "当事人服务：债务人申报已履行的付款并上传凭证，债权人确认是否收到，法院核实。",
        ),
        "corrections" => (
            "申请纠正失信信息 · 执行公开",
            "当事人服务：对有误的失信信息申请纠正、删除，或对驳回决定申请复议。",
        ),
        "certificates" => (
            "自动履行证明书 · 执行公开",
            "自动履行证明书：主动履行生效法律文书确定义务的当事人在线申请，法院电子签名，扫码核验真伪和当前状态。",
        ),
        "parties" => (
            "当事人服务 · 执行公开",
            "当事人服务：查看本人案件进展与履行期限，申报已履行付款，申请纠正有误的失信信息，查看谁查询过自己。",
        ),
        other => anyhow::bail!("no page title for the bundle {other}"),
    })
}

/// Writes `target/pages/{service}.html` from `service.html` (its title, description and binary)
/// and returns its path, for Trunk.
fn service_page(service: &str) -> Result<String> {
    let template = std::fs::read_to_string(root().join("service.html")).context("service.html")?;
    let (title, description) = service_meta(service)?;
    let page = template
        .replace("{{TITLE}}", title)
        .replace("{{DESCRIPTION}}", description)
        .replace("{{BIN}}", service);
    let dir = root().join("target/pages");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{service}.html"));
    std::fs::write(&path, page)?;
    Ok(format!("target/pages/{service}.html"))
}

/// A bundle built into `bundle` (its files at `url`) links the portal's stylesheets
/// (`/tokens-<hash>.css`, `/main-<hash>.css`, `/pages-<hash>.css`: the same files, same content,
/// same hash) instead of copies of its own, so a visitor's cache has them once, whichever page
/// came first.
fn share_stylesheets(dist: &Path, bundle: &Path, url: &str) -> Result<()> {
    let index = bundle.join("index.html");
    let mut html = std::fs::read_to_string(&index)?;
    for entry in std::fs::read_dir(bundle)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let shared = ["main-", "tokens-", "pages-"]
            .iter()
            .any(|prefix| name.starts_with(prefix));
        if !(shared && name.ends_with(".css")) {
            continue;
        }
        anyhow::ensure!(
            dist.join(&name).is_file(),
            "{name} of {} is not one of the portal's stylesheets",
            bundle.display()
        );
        let local = format!("{url}{name}");
        anyhow::ensure!(
            html.contains(&local),
            "{} does not link {local}",
            index.display()
        );
        html = html.replace(&local, &format!("/{name}"));
        std::fs::remove_file(&path)?;
    }
    std::fs::write(&index, html)?;
    Ok(())
}

fn precompress(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            precompress(&path)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(
            ext,
            "html" | "js" | "wasm" | "css" | "svg" | "webmanifest" | "json"
        ) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        std::fs::write(with_suffix(&path, "br"), brotli_bytes(&bytes))?;
        std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&bytes))?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

pub fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("writing to memory");
    }
    out
}

pub fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes).expect("writing to memory");
    w.finish().expect("writing to memory")
}

/// Builds `portal-server`; returns the binary's path. `optimized` uses the `server` profile
/// (speed); otherwise the debug build the tests share.
pub fn build_server(optimized: bool) -> Result<PathBuf> {
    let profile = if optimized { "server" } else { "dev" };
    step(&format!("building portal-server (profile {profile})"));
    run(Command::new("cargo")
        .args(["build", "-p", "portal-server", "--profile", profile])
        .current_dir(root()))?;
    Ok(root()
        .join("target")
        .join(if optimized { "server" } else { "debug" })
        .join("portal-server"))
}

/// Port of the demo partner page `cargo xtask run` serves (registered as the demo partner's origin).
const DEMO_PARTNER_PORT: u16 = 8090;

/// `cargo xtask run [--addr HOST:PORT]`: build, seed demo data on first start, serve.
/// Courts of the demo data whose reviewers can issue certificates in `cargo xtask run`.
const DEMO_COURTS: &[&str] = &["宁波市象山县人民法院", "杭州市西湖区人民法院"];

pub fn run_portal(args: &[String]) -> Result<()> {
    let addr = args
        .windows(2)
        .find(|w| w[0] == "--addr")
        .map(|w| w[1].clone())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let bin = build_all()?;
    let db_path = root().join("data/portal.db");
    let url = format!("sqlite://{}", db_path.display());
    // The demo partner's page is served on another port: another origin, as a real partner's.
    let partner_origin = format!("http://127.0.0.1:{DEMO_PARTNER_PORT}");
    let partner_file = root().join("data/demo-partner-id");
    if !db_path.exists() {
        step("first start: seeding demo data (5,000 notices) and a demo partner");
        run(Command::new(&bin).args(["seed", "--demo", "5000", "--database-url", &url]))?;
        let (id, _) = site::register_partner(&bin, &url, "示例银行（演示）", &partner_origin)?;
        std::fs::write(&partner_file, id)?;
    }
    // The demo courts sign certificates with keys of their own (data/court-keys.json).
    if !root().join("data/court-keys.json").exists() {
        step("first start: certificate signing keys for the demo courts");
        for court in DEMO_COURTS {
            run(Command::new(&bin)
                .args(["court-key", "generate", "--court", court])
                .args(["--data-dir", &root().join("data").display().to_string()]))?;
        }
    }
    step("starting the portal");
    note(&format!("database: {}", db_path.display()));
    note("add a staff account: echo 'a-long-password' | target/server/portal-server staff add --username admin --court 宁波市象山县人民法院 --role admin");
    let data = root().join("data").display().to_string();
    let server = Server::start(
        &bin,
        &url,
        &addr,
        &root().join("dist"),
        &["--data-dir", &data],
    )
    .context("the server did not start")?;
    eprintln!("\n    执行公开 is running at http://{addr}/  (Ctrl-C stops it)");
    if let Ok(id) = std::fs::read_to_string(&partner_file) {
        match site::serve_partner_page(DEMO_PARTNER_PORT, &format!("http://{addr}"), id.trim()) {
            Ok(()) => eprintln!("    a partner page embedding the check: {partner_origin}/"),
            Err(e) => note(&format!("demo partner page not started: {e:#}")),
        }
    }
    eprintln!();
    server.wait()
}
