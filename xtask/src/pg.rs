//! A throwaway PostgreSQL cluster for the server tests: made in a temporary folder on a free port,
//! stopped and deleted when dropped. It never touches a cluster that may already be running.

use std::{path::PathBuf, process::Command};

use anyhow::{bail, Context, Result};

use crate::util::{free_port, is_root, note, run};

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    pub url: String,
    as_postgres: bool,
}

/// The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin).
fn bin_dir() -> Result<PathBuf> {
    let mut majors: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (/usr/lib/postgresql is missing)")?
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    majors.sort();
    let major = majors
        .last()
        .context("no PostgreSQL version in /usr/lib/postgresql")?;
    Ok(PathBuf::from(format!("/usr/lib/postgresql/{major}/bin")))
}

impl Cluster {
    /// A cluster for tests: no fsync (a throwaway cluster need not survive power loss), and a
    /// small write-ahead log, recycled often (each test creates a database, which PostgreSQL 15
    /// writes to the log in full: hundreds of tests would otherwise fill a small disk).
    pub fn start() -> Result<Cluster> {
        Cluster::start_with(
            "-c fsync=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 \
             -c max_wal_size=96MB -c min_wal_size=32MB",
        )
    }

    /// A cluster for the benchmark, set up as production would be: commits are flushed to disk
    /// (as SQLite's FULL sync does) and the buffer cache is sized for a national table.
    pub fn start_for_bench() -> Result<Cluster> {
        Cluster::start_with(
            "-c fsync=on -c synchronous_commit=on -c shared_buffers=2GB -c effective_cache_size=8GB \
             -c max_wal_size=8GB -c maintenance_work_mem=512MB",
        )
    }

    fn start_with(settings: &str) -> Result<Cluster> {
        let bin = bin_dir()?;
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("portal-pg-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        // initdb refuses to run as root: the cluster then belongs to the `postgres` user.
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
        }
        let cluster = Cluster {
            dir: dir.clone(),
            bin,
            url: format!("postgres://portal@127.0.0.1:{port}/postgres"),
            as_postgres,
        };
        let data = dir.join("data");
        cluster.pg(
            "initdb",
            &[
                "-D",
                path(&data),
                "-A",
                "trust",
                "-U",
                "portal",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200 {settings}",
            dir.display()
        );
        let log = dir.join("log");
        cluster.pg(
            "pg_ctl",
            &[
                "-D",
                path(&data),
                "-o",
                &options,
                "-l",
                path(&log),
                "-w",
                "start",
            ],
        )?;
        note(&format!(
            "PostgreSQL test cluster on port {port} ({})",
            dir.display()
        ));
        Ok(cluster)
    }

    fn pg(&self, program: &str, args: &[&str]) -> Result<()> {
        let exe = self.bin.join(program);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir(&self.dir);
        let out = cmd
            .output()
            .with_context(|| format!("cannot run {}", exe.display()))?;
        if !out.status.success() {
            bail!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let _ = self.pg("pg_ctl", &["-D", path(&data), "-m", "fast", "-w", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
