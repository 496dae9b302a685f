//! `cargo xtask test schemathesis`: Schemathesis, a fuzzer nobody here wrote, against the
//! portal's OpenAPI documents served by the real server on a seeded database, with all its checks
//! (answers within the document, schema-valid requests accepted, schema-violating ones refused,
//! no 5xx). Generators for the formats a JSON Schema cannot spell out (a valid ID number, a name,
//! a time within the change feed's 90 days) and the settings are in `xtask/schemathesis/`; the
//! parties' desk is fuzzed signed in as a demo party of the seed.

use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::{
    server::Server,
    site,
    util::{free_port, note, root, run, run_tee},
};

/// Examples per operation and phase: a few minutes in all.
const MAX_EXAMPLES: &str = "100";

/// Runs the fuzzer against each document; returns how many test cases it generated.
pub fn schemathesis(bin: &std::path::Path, st: &std::path::Path) -> Result<usize> {
    let dir = std::env::temp_dir().join(format!("portal-schemathesis-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("fuzz.db").display());
    let data = dir.join("data");
    let data = data
        .to_str()
        .context("temporary path is not UTF-8")?
        .to_owned();
    // The server's keys: the demo parties' access codes are stored hashed with them.
    run(Command::new(bin).args([
        "seed",
        "--demo",
        "200",
        "--database-url",
        &url,
        "--data-dir",
        &data,
    ]))?;
    let (_, key) = site::register_partner(bin, &url, "模糊测试银行", "https://bank.example")?;
    let addr = format!("127.0.0.1:{}", free_port()?);
    let server = Server::start(
        bin,
        &url,
        &addr,
        &root().join("dist"),
        &[
            "--lookup-free",
            "1000000000",
            "--lookup-max",
            "1000000000",
            "--data-dir",
            &data,
        ],
    )?;
    let hooks = root().join("xtask/schemathesis");
    let mut generated = 0;
    let documents = [
        ("partner/openapi.json", Some(format!("Bearer {key}"))),
        ("openapi.json", None),
    ];
    for (document, auth) in documents {
        note(&format!("Schemathesis against /api/v1/{document}"));
        let mut cmd = Command::new(st);
        cmd.arg("--config-file")
            .arg(hooks.join("schemathesis.toml"))
            .args(["run", &format!("http://{addr}/api/v1/{document}")])
            .args(["--url", &format!("http://{addr}/api/v1")])
            .args(["--checks", "all", "--max-examples", MAX_EXAMPLES])
            .args(["--seed", "20261201", "--no-color"])
            .env("PYTHONPATH", &hooks)
            // The hooks sign in as a demo party there (`portal_hooks.py`).
            .env("PORTAL_FUZZ_API", format!("http://{addr}/api/v1"))
            .env("SCHEMATHESIS_HOOKS", "portal_hooks");
        if let Some(auth) = &auth {
            cmd.args(["-H", &format!("Authorization: {auth}")]);
        }
        let (ok, out) = run_tee(&mut cmd)?;
        if !ok || out.contains("== FAILURES ==") || out.contains("== ERRORS ==") {
            bail!("Schemathesis found problems with /api/v1/{document}");
        }
        // "  762 generated, 762 passed, 6 skipped"
        generated += out
            .lines()
            .find_map(|l| {
                l.trim()
                    .split_once(" generated,")
                    .map(|(n, _)| n.to_owned())
            })
            .and_then(|n| n.trim().parse::<usize>().ok())
            .unwrap_or(0);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(generated)
}
