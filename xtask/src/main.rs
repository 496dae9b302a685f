//! `cargo xtask run|test|build|bench` — the project's one entry point.
//!
//! Every command first installs what it needs and is missing (and says so), and skips what is
//! already present, so it works on a fresh machine and is quick on a warm one.

mod bench;
mod build;
mod fuzz;
mod instances;
mod pg;
mod s3;
mod server;
mod site;
mod sizes;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => build::run_portal(&args[1..]),
        Some("build") => build::build_all().map(|_| ()),
        Some("test") => test::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n  run     build everything, seed demo data on first start, serve the portal\n  build   build the front end into dist/ and target/server/portal-server\n  test    unit, API (SQLite + PostgreSQL + S3 storage) and end-to-end tests (Chromium)\n  bench   first-load bytes, first render under throttling, lookup load, memory"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
