//! First-load bytes of every bundle (HTML + JS + wasm + CSS a first visit downloads), their
//! budgets, and the size check `cargo xtask test sizes` runs: bytes are deterministic, so a bundle
//! over its limit fails the run, naming the bundle and its files with their sizes.
//!
//! Each bundle has the budget the product set (#19: a citizen page ≤ 200 KB brotli, the widget's
//! frame ≤ 60 KB, verify ≤ 60 KB, publicity ≤ 90 KB) and a limit the check enforces. Where a bundle
//! is not yet within its budget, the limit is its present size with a little room (a ratchet: it
//! may shrink, never grow); lower a limit when a bundle shrinks, down to its budget.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use crate::{
    build::{brotli_bytes, build_frontend, gzip_bytes, services},
    util::{note, root, step},
};

/// One bundle's first load.
pub struct FirstLoad {
    pub name: String,
    /// The product's budget, brotli bytes; `None` for the staff console (no budget set).
    pub budget: Option<usize>,
    /// What the size check enforces, brotli bytes.
    pub limit: Option<usize>,
    pub files: Vec<PathBuf>,
}

/// Brotli-byte budgets and enforced limits, by bundle.
fn budget_and_limit(name: &str) -> (Option<usize>, Option<usize>) {
    let (budget, limit) = match name {
        "portal" => (200_000, 200_000),
        "certificates" => (200_000, 200_000),
        "rewards" => (200_000, 200_000),
        "tips" => (200_000, 200_000),
        "parties" => (200_000, 200_000),
        "payments" => (200_000, 200_000),
        "corrections" => (200_000, 200_000),
        "widget" => (60_000, 60_000),
        "verify" => (60_000, 60_000),
        "publicity" => (90_000, 90_000),
        _ => return (None, None),
    };
    (Some(budget), Some(limit))
}

/// The first-load files of the bundle built in `dir`: its page and its JS, wasm and CSS (not the
/// widget loader nor the verify page's service worker, which a first visit does not wait for).
fn bundle_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = vec![dir.join("index.html")];
    for entry in std::fs::read_dir(dir)
        .with_context(|| format!("{} is missing: run cargo xtask build", dir.display()))?
    {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !matches!(name, "widget.js" | "verify-sw.js")
            && matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("js" | "wasm" | "css")
            )
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Whether `page` (as Trunk minified it: attribute values quoted or not) links `href`.
fn links(page: &str, href: &str) -> bool {
    page.match_indices(href).any(|(at, _)| {
        let before = page[..at].chars().next_back();
        let after = page[at + href.len()..].chars().next();
        matches!(before, Some('=' | '"' | '\'')) && matches!(after, Some(' ' | '>' | '"' | '\''))
    })
}

/// Every bundle's first load, from `dist/`.
pub fn first_loads(dist: &Path) -> Result<Vec<FirstLoad>> {
    let mut loads = Vec::new();
    let mut add = |name: &str, files: Vec<PathBuf>| {
        let (budget, limit) = budget_and_limit(name);
        loads.push(FirstLoad {
            name: name.to_owned(),
            budget,
            limit,
            files,
        });
    };
    add("portal", bundle_files(dist)?);
    // The other bundles link the portal's stylesheets (one file each in the cache for all): the
    // ones a bundle's page links are part of its first load too.
    let css: Vec<PathBuf> = bundle_files(dist)?
        .into_iter()
        .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("css"))
        .collect();
    let with_css = |dir: &Path| -> Result<Vec<PathBuf>> {
        let mut files = bundle_files(dir)?;
        let page = std::fs::read_to_string(dir.join("index.html"))?;
        files.extend(
            css.iter()
                .filter(|f| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| links(&page, &format!("/{n}")))
                })
                .cloned(),
        );
        Ok(files)
    };
    for service in services() {
        add(service, with_css(&dist.join("bundles").join(service))?);
    }
    // The embedded check links the shared tokens (`/tokens-<hash>.css`) and has its own card
    // style.
    let mut widget = vec![dist.join("widget.js")];
    widget.extend(with_css(&dist.join("embed"))?);
    add("widget", widget);
    for lite in ["verify", "publicity", "staff"] {
        add(lite, with_css(&dist.join(lite))?);
    }
    Ok(loads)
}

/// Raw, gzip and brotli sizes of files, each and in total.
pub fn sizes(files: &[PathBuf]) -> Result<Value> {
    let mut per_file = serde_json::Map::new();
    let (mut raw, mut gz, mut br) = (0usize, 0usize, 0usize);
    for f in files {
        let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
        let (g, b) = (gzip_bytes(&bytes).len(), brotli_bytes(&bytes).len());
        raw += bytes.len();
        gz += g;
        br += b;
        let name = f
            .strip_prefix(root().join("dist"))
            .unwrap_or(f)
            .display()
            .to_string();
        per_file.insert(name, json!({"raw": bytes.len(), "gzip": g, "brotli": b}));
    }
    Ok(json!({"files": per_file, "total": {"raw": raw, "gzip": gz, "brotli": br}}))
}

/// Every bundle's sizes with its budget and limit, as the bench prints them.
pub fn report(dist: &Path) -> Result<Value> {
    let mut out = serde_json::Map::new();
    for load in first_loads(dist)? {
        let mut v = sizes(&load.files)?;
        v["budget_brotli"] = json!(load.budget);
        v["limit_brotli"] = json!(load.limit);
        out.insert(load.name, v);
    }
    Ok(Value::Object(out))
}

/// `cargo xtask test sizes`: builds the front end and fails if a bundle's first load is over its
/// limit. Returns how many bundles were checked.
pub fn check() -> Result<usize> {
    build_frontend()?;
    step("first-load sizes of every bundle (brotli)");
    let report = report(&root().join("dist"))?;
    let mut over = Vec::new();
    let bundles = report.as_object().context("a report is an object")?;
    for (name, v) in bundles {
        let total = v["total"]["brotli"].as_u64().unwrap_or(0);
        let limit = v["limit_brotli"].as_u64();
        let budget = v["budget_brotli"].as_u64();
        let state = match (limit, budget) {
            (Some(l), _) if total > l => "OVER ITS LIMIT",
            (_, Some(b)) if total <= b => "within budget",
            (Some(_), Some(_)) => "within its limit, over budget",
            _ => "no budget",
        };
        note(&format!(
            "{name:<13} {total:>7} B   budget {:>7}   limit {:>7}   {state}",
            budget.map_or("-".into(), |b| b.to_string()),
            limit.map_or("-".into(), |l| l.to_string()),
        ));
        if limit.is_some_and(|l| total > l) {
            let mut files: Vec<(String, u64)> = v["files"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(f, s)| (f.clone(), s["brotli"].as_u64().unwrap_or(0)))
                .collect();
            files.sort_by_key(|f| std::cmp::Reverse(f.1));
            let list: Vec<String> = files.iter().map(|(f, s)| format!("{f} {s} B")).collect();
            over.push(format!(
                "{name}: {total} B brotli, over its limit of {} B by {} B ({})",
                limit.unwrap_or(0),
                total - limit.unwrap_or(0),
                list.join(", ")
            ));
        }
    }
    if !over.is_empty() {
        bail!("bundles grew past their limits:\n  {}", over.join("\n  "));
    }
    Ok(bundles.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_budgeted_bundle_has_a_budget_and_a_limit_at_or_above_it() {
        let citizens = std::iter::once("portal").chain(services());
        for name in citizens.chain(["widget", "verify", "publicity"]) {
            let (budget, limit) = budget_and_limit(name);
            let (budget, limit) = (budget.expect(name), limit.expect(name));
            assert!(limit >= budget, "{name}: a limit below the budget");
        }
        assert_eq!(budget_and_limit("staff"), (None, None));
    }

    #[test]
    fn a_page_links_a_stylesheet_quoted_or_not_and_only_that_one() {
        let page = "<link href=/main-0a.css rel=stylesheet><link href=\"/pages-0b.css\">";
        assert!(links(page, "/main-0a.css"));
        assert!(links(page, "/pages-0b.css"));
        assert!(!links(page, "/tokens-0c.css"));
        assert!(!links("<link href=/bundles/x/main-0a.css>", "/main-0a.css"));
        assert!(!links("<link href=/main-0a.css.map>", "/main-0a.css"));
    }
}
