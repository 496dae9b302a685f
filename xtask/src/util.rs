//! Small helpers for running commands and finding paths.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use anyhow::{bail, Context, Result};

/// The repository root (the folder above xtask/).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the repository")
        .to_path_buf()
}

pub fn step(message: &str) {
    eprintln!("\n==> {message}");
}

pub fn note(message: &str) {
    eprintln!("    {message}");
}

/// Runs a command, streaming its output; fails if it exits non-zero.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    if !status.success() {
        bail!("command failed ({status}): {cmd:?}");
    }
    Ok(())
}

/// Runs a command and returns its standard output (standard error passes through).
pub fn output(cmd: &mut Command) -> Result<String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    if !out.status.success() {
        bail!("command failed ({}): {cmd:?}", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs a command, printing its output as it comes and also returning it.
pub fn run_tee(cmd: &mut Command) -> Result<(bool, String)> {
    use std::io::{BufRead, BufReader};
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    let stderr = child.stderr.take().expect("piped");
    let err_thread = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let mut text = String::new();
    for line in BufReader::new(child.stdout.take().expect("piped"))
        .lines()
        .map_while(Result::ok)
    {
        println!("{line}");
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&err_thread.join().unwrap_or_default());
    Ok((child.wait()?.success(), text))
}

/// Whether a program answers on PATH.
pub fn has_program(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

pub fn is_root() -> bool {
    output(Command::new("id").arg("-u"))
        .map(|s| s.trim() == "0")
        .unwrap_or(false)
}

/// A free TCP port on the loopback interface.
pub fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// PATH with the project's tool folders first: cargo's bin folder (Trunk, wasm-bindgen) and
/// e2e/node_modules/.bin (wasm-opt from binaryen, Playwright).
pub fn tool_path() -> String {
    let mut parts = vec![root().join("e2e/node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        parts.push(home.join("bin"));
    }
    let mut path = std::env::join_paths(parts)
        .expect("paths are valid")
        .into_string()
        .unwrap_or_default();
    if let Ok(old) = std::env::var("PATH") {
        path.push(':');
        path.push_str(&old);
    }
    path
}

/// Sums "N passed" style counts from test output: cargo's `test result: ok. N passed` lines and
/// Playwright's `N passed` summary.
pub fn count_passed(text: &str) -> usize {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let idx = line.find(" passed")?;
            let before = &line[..idx];
            let number = before.rsplit(|c: char| !c.is_ascii_digit()).next()?;
            if line.starts_with("test result:") || line.ends_with(')') || line.starts_with(number) {
                number.parse::<usize>().ok()
            } else {
                None
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::count_passed;

    #[test]
    fn counts_cargo_and_playwright_summaries() {
        let cargo = "test result: ok. 12 passed; 0 failed; 0 ignored\nfoo\ntest result: ok. 3 passed; 0 failed";
        assert_eq!(count_passed(cargo), 15);
        assert_eq!(count_passed("  24 passed (31.2s)"), 24);
        assert_eq!(count_passed("nothing here"), 0);
    }
}
