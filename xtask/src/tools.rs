//! Installing what the build and the tests need, only when it is missing.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{bail, Context, Result};

use crate::util::{has_program, is_root, note, output, root, run, step, tool_path};

pub const TRUNK_VERSION: &str = "0.21.14";

/// The `wasm-bindgen` version in Cargo.lock; the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock =
        std::fs::read_to_string(root().join("Cargo.lock")).context("cannot read Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen entry")
}

/// Everything needed to build the front end: wasm target, Trunk, wasm-bindgen-cli, npm packages.
pub fn ensure_build_tools() -> Result<()> {
    step("checking build tools");
    ensure_rust_components()?;
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    // The pinned version of the library (0.2.130) must match the CLI; see Cargo.toml.
    let wb = wasm_bindgen_version()?;
    // wasm-bindgen-cli's own lockfile pins a crate this registry lacks, so no --locked.
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &wb, false)?;
    ensure_npm_packages()?;
    Ok(())
}

/// Chromium and CJK fonts for the browser tests, PostgreSQL for the server tests.
pub fn ensure_test_system_packages() -> Result<()> {
    ensure_apt(&["chromium", "fonts-noto-cjk", "postgresql", "haproxy"])
}

/// Debian's HAProxy, the load balancer in front of the several-instances test.
pub fn haproxy() -> PathBuf {
    PathBuf::from("/usr/sbin/haproxy")
}

/// `moto_server`, a real S3-compatible server from PyPI, for the upload tests on object storage:
/// the one on PATH, else one in a virtualenv under target/ (made on first use).
pub fn ensure_moto() -> Result<PathBuf> {
    if has_program("moto_server") {
        note("moto_server: present");
        return Ok(PathBuf::from("moto_server"));
    }
    ensure_pypi_tool("moto", "moto[server]", "moto_server")
}

/// Schemathesis (PyPI), the outside fuzzer run against the OpenAPI documents.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    ensure_pypi_tool("schemathesis", "schemathesis==4.32.*", "st")
}

/// A program from a PyPI package, in a virtualenv of its own under target/tools/ (made on first
/// use): `target/tools/{name}/bin/{program}`.
fn ensure_pypi_tool(name: &str, requirement: &str, program: &str) -> Result<PathBuf> {
    let venv = root().join("target/tools").join(name);
    let bin = venv.join("bin").join(program);
    if bin.exists() {
        note(&format!("{name} (target/tools/{name}): present"));
        return Ok(bin);
    }
    let python_ready = Command::new("python3")
        .args(["-c", "import ensurepip, venv"])
        .status()
        .is_ok_and(|s| s.success());
    if !python_ready {
        ensure_apt(&["python3", "python3-venv"])?;
    }
    note(&format!(
        "installing {requirement} from PyPI into target/tools/{name}"
    ));
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        requirement,
    ]))?;
    Ok(bin)
}

/// rustfmt and clippy: the tests check formatting and lints, and a minimal rustup profile has
/// neither.
fn ensure_rust_components() -> Result<()> {
    let installed = output(Command::new("rustup").args(["component", "list", "--installed"]))?;
    let missing: Vec<&str> = ["rustfmt", "clippy"]
        .into_iter()
        .filter(|c| !installed.lines().any(|l| l.starts_with(&format!("{c}-"))))
        .collect();
    if missing.is_empty() {
        note("rustfmt and clippy: present");
        return Ok(());
    }
    note(&format!(
        "installing the Rust components {}",
        missing.join(", ")
    ));
    run(Command::new("rustup")
        .args(["component", "add"])
        .args(&missing))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        note("wasm32-unknown-unknown target: present");
        return Ok(());
    }
    note("installing the wasm32-unknown-unknown target");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn installed_version(bin: &str) -> Option<String> {
    let out = Command::new(bin)
        .arg("--version")
        .env("PATH", tool_path())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().nth(1).map(str::to_owned)
}

fn ensure_cargo_tool(krate: &str, bin: &str, version: &str, locked: bool) -> Result<()> {
    if installed_version(bin).as_deref() == Some(version) {
        note(&format!("{bin} {version}: present"));
        return Ok(());
    }
    note(&format!(
        "installing {krate} {version} (a few minutes on a fresh machine)"
    ));
    let mut cmd = Command::new("cargo");
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    // A build tool needs no fat LTO: this profile cuts Trunk's install from ~15 min to ~4 min on
    // two cores.
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false");
    run(&mut cmd)
}

fn ensure_npm_packages() -> Result<()> {
    let e2e = root().join("e2e");
    let marker = e2e.join("node_modules/.package-lock.json");
    if is_newer(&marker, &e2e.join("package-lock.json"))
        && is_newer(&marker, &e2e.join("package.json"))
    {
        note("npm packages (Playwright, axe-core, binaryen): present");
        return Ok(());
    }
    note("installing npm packages in e2e/");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&e2e))
}

fn is_newer(a: &Path, b: &Path) -> bool {
    match (
        a.metadata().and_then(|m| m.modified()),
        b.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(a), Ok(b)) => a >= b,
        _ => false,
    }
}

fn apt_installed(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .map(|s| s.contains("install ok installed"))
        .unwrap_or(false)
}

fn ensure_apt(packages: &[&str]) -> Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !apt_installed(p))
        .collect();
    if missing.is_empty() {
        note(&format!("Debian packages {}: present", packages.join(", ")));
        return Ok(());
    }
    note(&format!(
        "installing Debian packages: {}",
        missing.join(", ")
    ));
    let sudo = if is_root() {
        None
    } else if has_program("sudo") {
        Some("sudo")
    } else {
        bail!("need root or sudo to install {}", missing.join(", "));
    };
    let apt = |args: &[&str]| -> Result<()> {
        let mut cmd = match sudo {
            Some(s) => {
                let mut c = Command::new(s);
                c.arg("apt-get");
                c
            }
            None => Command::new("apt-get"),
        };
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut cmd)
    };
    apt(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q", "--no-install-recommends"];
    args.extend(&missing);
    apt(&args)
}
