//! A `portal-server serve` child process for runs, end-to-end tests and benchmarks.

use std::{
    io::{Read, Write},
    net::TcpStream,
    path::Path,
    process::{Child, Command},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

pub struct Server {
    child: Child,
}

impl Server {
    /// Starts the server and waits until `/api/v1/health` answers.
    pub fn start(
        bin: &Path,
        database_url: &str,
        addr: &str,
        dist: &Path,
        extra: &[&str],
    ) -> Result<Server> {
        let child = Command::new(bin)
            .args([
                "serve",
                "--database-url",
                database_url,
                "--addr",
                addr,
                "--dist",
            ])
            .arg(dist)
            .args(extra)
            // One instance on PostgreSQL with the local upload folder must say so.
            .args(
                (database_url.starts_with("postgres") && !extra.contains(&"--s3-bucket"))
                    .then_some("--single-instance"),
            )
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "portal_server=warn".into()),
            )
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let mut server = Server { child };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok((200, _)) = http_get(addr, "/api/v1/health") {
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("portal-server exited early ({status})");
            }
            if Instant::now() > deadline {
                bail!("portal-server did not answer on {addr} within 60 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process in bytes (Linux): all of it (`VmRSS`, which counts
    /// file pages SQLite maps once per connection) and the process's own (`RssAnon`).
    pub fn memory(&self) -> serde_json::Value {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| -> Option<u64> {
            let line = status.lines().find(|l| l.starts_with(name))?;
            Some(line.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024)
        };
        serde_json::json!({ "rss_bytes": field("VmRSS:"), "anon_bytes": field("RssAnon:") })
    }

    /// Waits for the server to stop by itself (Ctrl-C reaches it directly).
    pub fn wait(mut self) -> Result<()> {
        let status = self.child.wait()?;
        if !status.success() {
            bail!("portal-server stopped with {status}");
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            // SIGTERM first so the server shuts down gracefully; then make sure.
            let _ = Command::new("kill")
                .arg(self.child.id().to_string())
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A minimal HTTP/1.1 GET; returns the status code and body.
pub fn http_get(addr: &str, path: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .context("malformed HTTP response")?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
