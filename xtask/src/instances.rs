//! `cargo xtask test instances`: three `portal-server serve` processes on one PostgreSQL and one
//! S3-compatible store (moto), behind a real load balancer (Debian's HAProxy, round robin), as a
//! province runs the portal; then the API tests of `crates/server/tests/instances.rs` through it.

use std::{
    io::{Read, Write},
    net::TcpStream,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};

use crate::{
    pg::Cluster,
    s3::S3Server,
    server::Server,
    site,
    util::{count_passed, free_port, note, root, run, run_tee},
};

const STAFF_USER: &str = "instances-admin";
const STAFF_PASSWORD: &str = "instances-correct-horse";
const COURT: &str = "宁波市象山县人民法院";
const BUCKET: &str = "portal-instances";

/// HAProxy in the foreground, stopped when dropped.
pub struct Balancer(Child);

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for_port(port: u16, what: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            bail!("{what} did not listen on port {port} within 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Creates the bucket on the S3 server (an S3 `PUT /BUCKET`).
fn create_bucket(s3_url: &str) -> Result<()> {
    let addr = s3_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "PUT /{BUCKET} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    if !answer.starts_with("HTTP/1.1 200") {
        bail!(
            "cannot create the bucket: {}",
            answer.lines().next().unwrap_or("")
        );
    }
    Ok(())
}

/// HAProxy on `port`, round robin over `backends`, its configuration in `dir`.
pub fn start_balancer(haproxy: &Path, dir: &Path, port: u16, backends: &[u16]) -> Result<Balancer> {
    let servers: String = backends
        .iter()
        .enumerate()
        .map(|(i, p)| format!("    server instance{i} 127.0.0.1:{p}\n"))
        .collect();
    let config = dir.join("haproxy.cfg");
    std::fs::write(
        &config,
        format!(
            "global\n    maxconn 512\n\ndefaults\n    mode http\n    timeout connect 5s\n    \
             timeout client 120s\n    timeout server 120s\n    option forwardfor\n    \
             option http-server-close\n\nfrontend portal\n    bind 127.0.0.1:{port}\n    \
             default_backend instances\n\nbackend instances\n    balance roundrobin\n{servers}"
        ),
    )?;
    let child = Command::new(haproxy)
        .arg("-db")
        .arg("-f")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", haproxy.display()))?;
    let balancer = Balancer(child);
    wait_for_port(port, "HAProxy")?;
    note(&format!(
        "HAProxy at http://127.0.0.1:{port}, round robin over {} instances",
        backends.len()
    ));
    Ok(balancer)
}

/// Runs the tier; returns how many tests passed.
pub fn instances(bin: &Path, haproxy: &Path, moto: &Path) -> Result<usize> {
    let dir = std::env::temp_dir().join(format!("portal-instances-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let cluster = Cluster::start()?;
    let s3 = S3Server::start(moto)?;
    create_bucket(&s3.url)?;
    run(Command::new(bin).args(["seed", "--demo", "200", "--database-url", &cluster.url]))?;
    site::add_staff(
        bin,
        &cluster.url,
        STAFF_USER,
        COURT,
        "admin",
        STAFF_PASSWORD,
    )?;
    let data = dir.join("data");
    let data = data
        .to_str()
        .context("temporary path is not UTF-8")?
        .to_owned();
    run(Command::new(bin)
        .args(["court-key", "generate", "--court", COURT])
        .args(["--data-dir", &data]))?;
    // The instances' S3 credentials (moto takes any).
    for (var, value) in [
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-east-1"),
    ] {
        std::env::set_var(var, value);
    }
    let lb_port = free_port()?;
    let public_origin = format!("http://127.0.0.1:{lb_port}");
    let dist = root().join("dist");
    let mut ports = Vec::new();
    let mut servers = Vec::new();
    for _ in 0..3 {
        let port = free_port()?;
        let addr = format!("127.0.0.1:{port}");
        servers.push(Server::start(
            bin,
            &cluster.url,
            &addr,
            &dist,
            &[
                "--s3-bucket",
                BUCKET,
                "--s3-endpoint",
                &s3.url,
                "--data-dir",
                &data,
                "--trust-proxy",
                "--public-origin",
                &public_origin,
                "--lookup-free",
                "3",
                "--lookup-max",
                "12",
                "--pow-credits",
                "1",
                "--jobs-tick-secs",
                "1",
            ],
        )?);
        ports.push(port);
    }
    let balancer = start_balancer(haproxy, &dir, lb_port, &ports)?;
    let config = serde_json::json!({
        "balancer": public_origin,
        "instances": ports.iter().map(|p| format!("http://127.0.0.1:{p}")).collect::<Vec<_>>(),
        "database_url": cluster.url,
        "staff": {"username": STAFF_USER, "password": STAFF_PASSWORD},
        "court": COURT,
        "bin": bin,
        "data_dir": data,
        "s3_endpoint": s3.url,
        "bucket": BUCKET,
    });
    let (ok, out) = run_tee(
        Command::new("cargo")
            .args([
                "test",
                "-p",
                "portal-server",
                "--test",
                "instances",
                "--",
                "--ignored",
            ])
            .current_dir(root())
            .env("PORTAL_TEST_INSTANCES", config.to_string()),
    )?;
    drop(balancer);
    drop(servers);
    drop(s3);
    drop(cluster);
    let _ = std::fs::remove_dir_all(&dir);
    if !ok {
        bail!("the several-instances tests failed");
    }
    Ok(count_passed(&out))
}
