//! Group commit for the partner check audit log: every check is recorded before its answer
//! leaves, and each record must survive power loss (one `fsync` per commit on SQLite). Rather than
//! one transaction per request, one task writes whatever records are waiting in one transaction
//! and then answers all their requests: under load a commit carries many requests' records,
//! while a lone request waits for its own commit only.
//!
//! On SQLite the writer is a thread owning a `rusqlite` connection and one prepared statement
//! (sqlx's SQLite driver looks every placeholder up by name: a multi-row INSERT of 700 values
//! spent 40 % of the server's CPU in `sqlite3_bind_parameter_name`); on PostgreSQL a task
//! sending multi-row INSERTs.

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

/// One audited check (the `partner_checks` table).
#[derive(Debug, Clone)]
pub struct CheckRecord {
    pub id: String,
    pub partner_id: String,
    pub channel: String,
    pub purpose: String,
    pub subject_hash: String,
    pub result: &'static str,
    pub created_at: i64,
}

type Request = (Vec<CheckRecord>, oneshot::Sender<Result<(), String>>);

/// Records per commit at most; a request's records are never split between commits.
const GROUP_ROWS: usize = 4_000;
/// Records per INSERT statement (7 values each, well under SQLite's 32,766 bound values).
const STATEMENT_ROWS: usize = 1_000;

/// The writer's queue. Cloning shares the one writer task, which ends with the last clone.
#[derive(Clone, Debug)]
pub struct Journal {
    requests: mpsc::UnboundedSender<Request>,
}

impl Journal {
    /// Starts the writer: a thread with its own connection for a SQLite file, else a task on
    /// the current Tokio runtime writing through `pool`.
    pub fn start(pool: AnyPool, sqlite_path: Option<&str>) -> anyhow::Result<Journal> {
        let (requests, queue) = mpsc::unbounded_channel();
        match sqlite_path {
            Some(path) => {
                let conn = super::hot::sqlite_writer(path, 8_000)?;
                std::thread::Builder::new()
                    .name("audit-writer".into())
                    .spawn(move || write_groups_sqlite(conn, queue))?;
            }
            None => {
                tokio::spawn(write_groups(pool, queue));
            }
        }
        Ok(Journal { requests })
    }

    /// Stores `records`; returns once they are committed.
    pub async fn append(&self, records: Vec<CheckRecord>) -> Result<(), sqlx::Error> {
        if records.is_empty() {
            return Ok(());
        }
        let (done, wait) = oneshot::channel();
        self.requests
            .send((records, done))
            .map_err(|_| sqlx::Error::PoolClosed)?;
        wait.await
            .map_err(|_| sqlx::Error::WorkerCrashed)?
            .map_err(sqlx::Error::Protocol)
    }
}

/// `first` and whatever else is waiting, up to [`GROUP_ROWS`] records.
fn gather(first: Request, queue: &mut mpsc::UnboundedReceiver<Request>) -> Vec<Request> {
    let mut rows = first.0.len();
    let mut group = vec![first];
    while rows < GROUP_ROWS {
        match queue.try_recv() {
            Ok(next) => {
                rows += next.0.len();
                group.push(next);
            }
            Err(_) => break,
        }
    }
    group
}

fn reply(group: Vec<Request>, outcome: Result<(), String>) {
    for (_, done) in group {
        let _ = done.send(outcome.clone());
    }
}

async fn write_groups(pool: AnyPool, mut queue: mpsc::UnboundedReceiver<Request>) {
    while let Some(first) = queue.recv().await {
        let group = gather(first, &mut queue);
        let records: Vec<&CheckRecord> = group.iter().flat_map(|(r, _)| r).collect();
        let outcome = write(&pool, &records).await.map_err(|e| e.to_string());
        reply(group, outcome);
    }
}

fn write_groups_sqlite(
    mut conn: rusqlite::Connection,
    mut queue: mpsc::UnboundedReceiver<Request>,
) {
    while let Some(first) = queue.blocking_recv() {
        let group = gather(first, &mut queue);
        let outcome = write_sqlite(&mut conn, &group).map_err(|e| e.to_string());
        reply(group, outcome);
    }
}

fn write_sqlite(conn: &mut rusqlite::Connection, group: &[Request]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO partner_checks (id, partner_id, channel, purpose, subject_hash, result, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for r in group.iter().flat_map(|(r, _)| r) {
            insert.execute(rusqlite::params![
                r.id,
                r.partner_id,
                r.channel,
                r.purpose,
                r.subject_hash,
                r.result,
                r.created_at
            ])?;
        }
    }
    tx.commit()
}

async fn write(pool: &AnyPool, records: &[&CheckRecord]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for chunk in records.chunks(STATEMENT_ROWS) {
        let mut sql = String::from(
            "INSERT INTO partner_checks (id, partner_id, channel, purpose, subject_hash, result, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 7;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},${},${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7
            ));
        }
        let mut query = sqlx::query(&sql);
        for r in chunk {
            query = query
                .bind(r.id.as_str())
                .bind(r.partner_id.as_str())
                .bind(r.channel.as_str())
                .bind(r.purpose.as_str())
                .bind(r.subject_hash.as_str())
                .bind(r.result)
                .bind(r.created_at);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await
}
