//! Hot statements on PostgreSQL, coalesced: the requests that arrive while earlier ones are at
//! the database go together as one statement over an array of keys (`$2`) — for the notices,
//! lookups by ID number (`id_number = ANY($2)`) and name lookups (one lateral lookup per name).
//! Any row type that says which key it answers ([`Keyed`]) can be coalesced; [`super::hot::Hot`]
//! starts one coalescer per row type on first use.
//!
//! Every statement costs PostgreSQL a round trip and a pass through its executor (≈ 70–85 µs of
//! wall time per statement on one connection here, whatever it returns), where the index probe
//! itself is a few microseconds. Verifications, exact lookups and partner checks all ask "the
//! public notices of these IDs": under load, one statement answers a group of them, so their
//! cost per request falls to the probe plus a share of one round trip. A lone request is sent at
//! once (no timer): coalescing only ever happens while statements are already in flight.

use std::{collections::HashMap, sync::Arc};

use sqlx::{PgPool, Postgres};
use tokio::sync::{mpsc, oneshot, Semaphore};

/// A row a coalesced statement returns, with the key (of `$2`) it answers.
pub trait Keyed: super::hot::HotRow + Clone {
    fn key(&self) -> &str;
}

/// The statement (`$1` a day, `$2` the array of keys), the day, the keys, and where the rows go.
type Request<T> = (
    Arc<str>,
    String,
    Vec<String>,
    oneshot::Sender<Result<Vec<T>, String>>,
);

/// Statements in flight at once; further requests wait and go together.
const IN_FLIGHT: usize = 4;
/// Keys per statement at most.
const GROUP_KEYS: usize = 1_000;

#[derive(Debug)]
pub struct Coalescer<T> {
    requests: mpsc::UnboundedSender<Request<T>>,
}

impl<T> Clone for Coalescer<T> {
    fn clone(&self) -> Self {
        Coalescer {
            requests: self.requests.clone(),
        }
    }
}

impl<T: Keyed> Coalescer<T> {
    pub fn start(pool: PgPool) -> Coalescer<T> {
        let (requests, queue) = mpsc::unbounded_channel();
        tokio::spawn(dispatch(pool, queue));
        Coalescer { requests }
    }

    /// The rows `sql` returns for `day` and these keys (`$1` and `$2`), as if run alone.
    pub async fn rows(
        &self,
        sql: Arc<str>,
        day: String,
        ids: Vec<String>,
    ) -> Result<Vec<T>, sqlx::Error> {
        let (done, wait) = oneshot::channel();
        self.requests
            .send((sql, day, ids, done))
            .map_err(|_| sqlx::Error::PoolClosed)?;
        wait.await
            .map_err(|_| sqlx::Error::WorkerCrashed)?
            .map_err(sqlx::Error::Protocol)
    }
}

async fn dispatch<T: Keyed>(pool: PgPool, mut queue: mpsc::UnboundedReceiver<Request<T>>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    while let Some(first) = queue.recv().await {
        // Waiting for a free slot is what lets requests gather.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let mut ids = first.2.len();
        let mut group = vec![first];
        while ids < GROUP_KEYS {
            match queue.try_recv() {
                Ok(next) => {
                    ids += next.2.len();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            answer(&pool, group).await;
            drop(slot);
        });
    }
}

/// Runs one statement per (statement, day) in the group and hands each request the rows of its
/// own IDs.
async fn answer<T: Keyed>(pool: &PgPool, group: Vec<Request<T>>) {
    let mut by_key: HashMap<(Arc<str>, String), Vec<Request<T>>> = HashMap::new();
    for request in group {
        by_key
            .entry((request.0.clone(), request.1.clone()))
            .or_default()
            .push(request);
    }
    for ((sql, day), requests) in by_key {
        let mut ids: Vec<&str> = requests
            .iter()
            .flat_map(|(_, _, ids, _)| ids.iter().map(String::as_str))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let rows = sqlx::query_as::<Postgres, T>(&sql)
            .bind(&day)
            .bind(&ids)
            .fetch_all(pool)
            .await;
        match rows {
            Ok(rows) => {
                for (_, _, wanted, done) in requests {
                    let mine = rows
                        .iter()
                        .filter(|r| wanted.iter().any(|w| w == r.key()))
                        .cloned()
                        .collect();
                    let _ = done.send(Ok(mine));
                }
            }
            Err(e) => {
                let e = e.to_string();
                for (_, _, _, done) in requests {
                    let _ = done.send(Err(e.clone()));
                }
            }
        }
    }
}
