//! `portal-server bench-floor`: the database's own speed for the statements the hot paths run,
//! measured on the same data without HTTP (`cargo xtask bench` prints it beside each load figure,
//! so the cost of everything above the database is visible).

use anyhow::Context;
use portal_core::{
    partner::{parse_subject, Identifier},
    PersonName,
};
use serde_json::{json, Value};

use crate::{
    db::{hot::Floor, Db},
    notices::store::{self, IdRow, LookupRow, Visible},
};

fn key(name: &str) -> anyhow::Result<String> {
    Ok(PersonName::parse(name)
        .map_err(|_| anyhow::anyhow!("not a valid name: {name}"))?
        .normalized()
        .to_owned())
}

fn subject(name: &str, id: &str) -> anyhow::Result<(String, String)> {
    match parse_subject(name, Some(id), None) {
        Ok((name, Identifier::Plain(id))) => {
            Ok((name.normalized().to_owned(), id.as_str().to_owned()))
        }
        _ => anyhow::bail!("not a valid name and ID number: {name} {id}"),
    }
}

/// Measures, `seconds` each: a name lookup of `name` and of `commonest`, an exact lookup and a
/// verification of (`name`, `id`), and the one query a partner batch runs for the plain IDs of
/// the batch in `batch_json` (the body of `POST /partner/check/batch`).
pub async fn floor(
    db: &Db,
    name: &str,
    id_number: &str,
    commonest: &str,
    batch_json: &str,
    seconds: f64,
) -> anyhow::Result<Value> {
    let (name_key, id) = subject(name, id_number)?;
    let commonest_key = key(commonest)?;
    let batch: Value = serde_json::from_str(batch_json).context("the batch file is not JSON")?;
    let mut ids: Vec<String> = Vec::new();
    let items = batch["items"]
        .as_array()
        .context("the batch has no items")?;
    for item in items {
        let (_, identifier) = parse_subject(
            item["name"].as_str().unwrap_or_default(),
            item["id_number"].as_str(),
            None,
        )
        .map_err(|_| anyhow::anyhow!("an item of the batch is invalid: {item}"))?;
        if let Identifier::Plain(id) = identifier {
            ids.push(id.as_str().to_owned());
        }
    }
    ids.sort();
    ids.dedup();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();

    let lookup = |filter: Visible| store::lookup_statement(&filter, 1);
    let mut out = serde_json::Map::new();
    let measures: [(&str, Floor); 5] = [
        ("name_lookup", {
            let (sql, args) = lookup(Visible::today().name_key(&name_key));
            db.hot.floor::<LookupRow>(sql, args, seconds).await?
        }),
        ("name_lookup_commonest", {
            let (sql, args) = lookup(Visible::today().name_key(&commonest_key));
            db.hot.floor::<LookupRow>(sql, args, seconds).await?
        }),
        // Exact lookups, verifications and partner checks all run the lookup by ID (one
        // statement per request here; on PostgreSQL the server coalesces concurrent ones).
        ("exact_lookup", by_ids(db, &[&id], seconds).await?),
        ("verify", by_ids(db, &[&id], seconds).await?),
        ("batch_check_100", by_ids(db, &id_refs, seconds).await?),
    ];
    for (label, floor) in measures {
        out.insert(label.to_owned(), json!(floor));
    }
    // What admission control adds to every public request: one decision of the rate limiter
    // (on PostgreSQL one upsert, shared by every instance; in memory on SQLite) and, for answers
    // that take a full ID, one count against the guess budget of its masked form.
    let limiter = crate::ratelimit::Limiter::for_db(
        crate::ratelimit::RateLimitConfig {
            free: u32::MAX,
            max: u32::MAX,
            ..Default::default()
        },
        db,
        Some(b"bench-floor"),
    )
    .await?;
    let client = std::net::IpAddr::from([192, 0, 2, 1]);
    out.insert(
        "admission_decision".to_owned(),
        json!(
            timed(seconds, || async {
                limiter.check(client, None).await.map(|_| ())
            })
            .await?
        ),
    );
    let book = crate::guesses::GuessBook::for_db(db);
    let person = PersonName::parse(name).map_err(|_| anyhow::anyhow!("not a valid name"))?;
    let subject_id = portal_core::notice::SubjectId::parse_any(id_number)
        .map_err(|_| anyhow::anyhow!("not a valid ID"))?;
    out.insert(
        "guess_budget".to_owned(),
        json!(
            timed(seconds, || async {
                crate::guesses::spend(&book, db, b"bench-floor", &person, &subject_id)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))
            })
            .await?
        ),
    );
    // How many notices the two names have: what "typical" and "commonest" mean on this data.
    for (label, k) in [
        ("name_notices", &name_key),
        ("commonest_notices", &commonest_key),
    ] {
        let n = store::count_named(db, k).await?;
        out.insert(label.to_owned(), json!(n));
    }
    out.insert("engine".to_owned(), json!(db.kind.as_str()));
    Ok(Value::Object(out))
}

/// Runs `step` one after another for `seconds`: its speed and latency.
async fn timed<F, Fut>(seconds: f64, step: F) -> anyhow::Result<Floor>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let started = std::time::Instant::now();
    let mut micros = Vec::new();
    while started.elapsed().as_secs_f64() < seconds {
        let one = std::time::Instant::now();
        step().await?;
        micros.push(one.elapsed().as_secs_f64() * 1e6);
    }
    Ok(Floor::of(micros, started.elapsed().as_secs_f64(), 0))
}

/// The floor of [`store::by_ids`]'s statement for these IDs.
async fn by_ids(db: &Db, ids: &[&str], seconds: f64) -> anyhow::Result<Floor> {
    let (sql, args) = store::by_ids_list_statement(ids);
    db.hot.floor::<IdRow>(sql, args, seconds).await
}
