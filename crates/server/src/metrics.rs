//! Prometheus metrics (DESIGN §7.9): what the request path counts — requests and latency per
//! route, admission decisions — and the heavy-work queue. `http::metrics` serves them on the
//! address of `serve --metrics-addr ADDR`, with the figures it asks the features for.
//!
//! Written by hand in the text exposition format: a few counters and one histogram family do
//! not need a metrics framework in the request path.

use std::{
    collections::BTreeMap,
    fmt::Write,
    sync::{Mutex, OnceLock},
    time::Instant,
};

use axum::{
    extract::{MatchedPath, Request},
    middleware::Next,
    response::Response,
};

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Latency {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Registry {
    /// (method, route, status class) → requests.
    requests: BTreeMap<(String, String, &'static str), u64>,
    /// (method, route) → latency.
    latency: BTreeMap<(String, String), Latency>,
    /// decision → count.
    admissions: BTreeMap<&'static str, u64>,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(Mutex::default)
}

/// Counts an admission decision: `allow`, `challenge`, `limited` or `too_many_guesses`.
pub fn admission(decision: &'static str) {
    *registry()
        .lock()
        .expect("lock")
        .admissions
        .entry(decision)
        .or_default() += 1;
}

/// The layer that times every request under its route's pattern (`/api/v1/notices/{id}`, never
/// the path itself: ids are not labels).
pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let res = next.run(req).await;
    let class = match res.status().as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut r = registry().lock().expect("lock");
    *r.requests
        .entry((method.clone(), route.clone(), class))
        .or_default() += 1;
    let l = r.latency.entry((method, route)).or_default();
    l.count += 1;
    l.sum += seconds;
    for (bucket, bound) in l.buckets.iter_mut().zip(BUCKETS) {
        if seconds <= bound {
            *bucket += 1;
        }
    }
    res
}

fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Writes what this module counts — requests, latency, admission decisions and the heavy-work
/// queue — in the text exposition format.
pub fn render(out: &mut String) {
    {
        let r = registry().lock().expect("lock");
        out.push_str(
            "# HELP portal_http_requests_total HTTP requests by route and status class.\n",
        );
        out.push_str("# TYPE portal_http_requests_total counter\n");
        for ((method, route, class), n) in &r.requests {
            let _ = writeln!(
                out,
                "portal_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{class}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP portal_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE portal_http_request_duration_seconds histogram\n");
        for ((method, route), l) in &r.latency {
            let labels = format!("method=\"{method}\",route=\"{}\"", label(route));
            for (bound, n) in BUCKETS.iter().zip(l.buckets) {
                let _ = writeln!(
                    out,
                    "portal_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "portal_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                l.count
            );
            let _ = writeln!(
                out,
                "portal_http_request_duration_seconds_sum{{{labels}}} {}",
                l.sum
            );
            let _ = writeln!(
                out,
                "portal_http_request_duration_seconds_count{{{labels}}} {}",
                l.count
            );
        }
        out.push_str(
            "# HELP portal_admission_decisions_total Admission control: allowed, challenged, limited, refused guesses.\n",
        );
        out.push_str("# TYPE portal_admission_decisions_total counter\n");
        for (decision, n) in &r.admissions {
            let _ = writeln!(
                out,
                "portal_admission_decisions_total{{decision=\"{decision}\"}} {n}"
            );
        }
    }
    out.push_str("# HELP portal_heavy_queue_jobs Argon2 and photo jobs waiting or running.\n");
    out.push_str("# TYPE portal_heavy_queue_jobs gauge\n");
    let _ = writeln!(out, "portal_heavy_queue_jobs {}", crate::heavy::queued());
    let _ = writeln!(
        out,
        "# HELP portal_heavy_queue_capacity Jobs the heavy-work queue takes before answering 503.\n# TYPE portal_heavy_queue_capacity gauge\nportal_heavy_queue_capacity {}",
        crate::heavy::MAX_QUEUED
    );
}
