//! Group commit for audit logs whose every record must be stored before its answer leaves and
//! survive power loss (one `fsync` per commit on SQLite) — the partner check log, written on
//! every check. Rather than one transaction per request, one task writes whatever records are
//! waiting in one transaction and then answers all their requests: under load a commit carries
//! many requests' records, while a lone request waits for its own commit only.
//!
//! The journal knows no table: a feature's record type says where it goes ([`Record`]), and the
//! feature's own module defines it (`partners::store::CheckRecord`).
//!
//! On SQLite the writer is a thread owning a `rusqlite` connection and one prepared statement per
//! table (sqlx's SQLite driver looks every placeholder up by name: a multi-row INSERT of 700
//! values spent 40 % of the server's CPU in `sqlite3_bind_parameter_name`); on PostgreSQL a task
//! sending multi-row INSERTs.

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

/// A value of a journal record's column.
pub enum Val<'a> {
    Text(&'a str),
    Int(i64),
}

/// A row the journal writes: its table, its columns, and its values in the columns' order.
pub trait Record: Send + Sync + 'static {
    const TABLE: &'static str;
    const COLUMNS: &'static [&'static str];
    fn values(&self) -> Vec<Val<'_>>;
}

/// The records of one append, whatever their type.
trait Batch: Send + Sync {
    fn table(&self) -> &'static str;
    fn columns(&self) -> &'static [&'static str];
    fn len(&self) -> usize;
    fn row(&self, i: usize) -> Vec<Val<'_>>;
}

impl<R: Record> Batch for Vec<R> {
    fn table(&self) -> &'static str {
        R::TABLE
    }
    fn columns(&self) -> &'static [&'static str] {
        R::COLUMNS
    }
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn row(&self, i: usize) -> Vec<Val<'_>> {
        self[i].values()
    }
}

type Request = (Box<dyn Batch>, oneshot::Sender<Result<(), String>>);

/// Records per commit at most; a request's records are never split between commits.
const GROUP_ROWS: usize = 4_000;
/// Values per INSERT statement at most (well under SQLite's 32,766 bound values).
const STATEMENT_VALUES: usize = 7_000;

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
    pub async fn append<R: Record>(&self, records: Vec<R>) -> Result<(), sqlx::Error> {
        if records.is_empty() {
            return Ok(());
        }
        let (done, wait) = oneshot::channel();
        self.requests
            .send((Box::new(records), done))
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
        let outcome = write(&pool, &group).await.map_err(|e| e.to_string());
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

/// `INSERT INTO table (columns) VALUES ` and `rows` groups of placeholders, numbered from 1.
fn insert(batch: &dyn Batch, rows: usize, numbered: bool) -> String {
    let columns = batch.columns();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        batch.table(),
        columns.join(", ")
    );
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..columns.len() {
            if c > 0 {
                sql.push(',');
            }
            let n = r * columns.len() + c + 1;
            sql.push_str(&if numbered {
                format!("${n}")
            } else {
                format!("?{n}")
            });
        }
        sql.push(')');
    }
    sql
}

fn write_sqlite(conn: &mut rusqlite::Connection, group: &[Request]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for (batch, _) in group {
        let mut statement = tx.prepare_cached(&insert(batch.as_ref(), 1, false))?;
        for i in 0..batch.len() {
            let values = batch.row(i);
            let params: Vec<&dyn rusqlite::ToSql> = values
                .iter()
                .map(|v| match v {
                    Val::Text(s) => s as &dyn rusqlite::ToSql,
                    Val::Int(n) => n as &dyn rusqlite::ToSql,
                })
                .collect();
            statement.execute(params.as_slice())?;
        }
    }
    tx.commit()
}

async fn write(pool: &AnyPool, group: &[Request]) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for (batch, _) in group {
        let per_statement = (STATEMENT_VALUES / batch.columns().len()).max(1);
        let mut start = 0;
        while start < batch.len() {
            let rows = per_statement.min(batch.len() - start);
            let sql = insert(batch.as_ref(), rows, true);
            let mut query = sqlx::query(&sql);
            for i in start..start + rows {
                for v in batch.row(i) {
                    query = match v {
                        Val::Text(s) => query.bind(s),
                        Val::Int(n) => query.bind(n),
                    };
                }
            }
            query.execute(&mut *tx).await?;
            start += rows;
        }
    }
    tx.commit().await
}
