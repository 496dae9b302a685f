//! The hot read paths (lookup, detail, verify, partner checks, the change feed, partner keys):
//! each engine through its own native driver, behind one type the stores call.
//!
//! - **SQLite**: a fixed set of reader threads, each owning one `rusqlite` connection with its
//!   prepared statements cached. A query crosses threads twice (the job in, the finished rows
//!   out), where sqlx's SQLite driver hands every row across and its `Any` layer copies each one
//!   again (a third of the server's CPU went to context switches at 1 M notices).
//! - **PostgreSQL**: sqlx's native `PgPool` (statements prepared once per connection, rows
//!   decoded straight into their types, no `Any` copy).
//!
//! The SQL is the same text for both (`$n` placeholders, which SQLite reads as named
//! parameters numbered in order of first use). Writes and migrations stay on the shared `Any`
//! pool ([`super::Db::pool`]): one transaction model for both engines.

use std::{sync::Arc, time::Duration};

use anyhow::Context;
use rusqlite::{OpenFlags, ToSql};
use sqlx::{
    postgres::{PgPoolOptions, PgRow},
    PgPool, Postgres,
};

use super::{
    coalesce::{Coalescer, Keyed},
    Arg,
};

/// A row type the hot paths return: decoded from a SQLite row by column name, and from a
/// PostgreSQL row by sqlx's `FromRow`.
pub trait HotRow: for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin + 'static {
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

/// Declares a row struct (which derives `sqlx::FromRow`) and implements [`HotRow`] for it, so
/// its fields are named once; SQLite columns are read by name, so the SELECT's order does not
/// matter.
#[macro_export]
macro_rules! hot_row {
    (
        $(#[$meta:meta])*
        $vis:vis struct $ty:ident {
            $($(#[$field_meta:meta])* $field_vis:vis $field:ident : $field_ty:ty),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $ty {
            $($(#[$field_meta])* $field_vis $field: $field_ty),*
        }

        impl $crate::db::hot::HotRow for $ty {
            fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok($ty { $($field: row.get(stringify!($field))?),* })
            }
        }
    };
}

/// One value of a single-column answer (`SELECT … AS value`).
#[derive(Debug, sqlx::FromRow)]
pub struct Value<T> {
    pub value: T,
}

impl<T> HotRow for Value<T>
where
    T: rusqlite::types::FromSql
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
        + Send
        + Unpin
        + 'static,
{
    fn from_sqlite(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(Value {
            value: row.get("value")?,
        })
    }
}

/// The read side of the database for the hot paths.
#[derive(Clone, Debug)]
pub enum Hot {
    Sqlite(Arc<Readers>),
    Postgres(PgPool, Coalescers),
}

/// PostgreSQL's coalesced statements, one coalescer per row type, started on first use.
#[derive(Clone, Default)]
pub struct Coalescers(Arc<std::sync::RwLock<CoalescerMap>>);

type CoalescerMap =
    std::collections::HashMap<std::any::TypeId, Box<dyn std::any::Any + Send + Sync>>;

impl std::fmt::Debug for Coalescers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Coalescers")
    }
}

impl Coalescers {
    fn get<T: Keyed>(&self, pool: &PgPool) -> Coalescer<T> {
        let id = std::any::TypeId::of::<T>();
        let started = |map: &CoalescerMap| {
            map.get(&id)
                .and_then(|c| c.downcast_ref::<Coalescer<T>>())
                .cloned()
        };
        if let Some(c) = started(&self.0.read().expect("lock")) {
            return c;
        }
        let mut map = self.0.write().expect("lock");
        if let Some(c) = started(&map) {
            return c;
        }
        let c = Coalescer::<T>::start(pool.clone());
        map.insert(id, Box::new(c.clone()));
        c
    }
}

/// Work for a reader thread: runs with that thread's connection.
type Job = Box<dyn FnOnce(&mut rusqlite::Connection) + Send>;

/// SQLite reader threads and the queue they take jobs from.
#[derive(Debug)]
pub struct Readers {
    jobs: crossbeam_channel::Sender<Job>,
    threads: usize,
    path: String,
}

/// How many SQLite reader threads: queries are CPU-bound (the file is memory-mapped), so a
/// thread per core plus one keeps every core busy while a thread waits on a page fault.
pub fn sqlite_readers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) + 1
}

/// A read-only connection with the readers' settings and statement cache.
fn open_reader(path: &str) -> anyhow::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open the SQLite database {path}"))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // Readers never write (query_only), read through the same memory map as the writers' pool,
    // and keep a small private page cache each.
    conn.execute_batch(
        "PRAGMA query_only = ON; PRAGMA mmap_size = 268435456; PRAGMA cache_size = -8000;",
    )?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// What [`Hot::floor`] measured: one statement run back to back on one connection.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Floor {
    pub per_s: f64,
    pub p50_us: f64,
    pub p99_us: f64,
    pub runs: usize,
    pub rows: usize,
}

impl Floor {
    pub fn of(mut micros: Vec<f64>, elapsed: f64, rows: usize) -> Floor {
        micros.sort_by(f64::total_cmp);
        let at = |q: f64| micros[((micros.len() as f64 - 1.0) * q).round() as usize];
        Floor {
            per_s: (micros.len() as f64 / elapsed).round(),
            p50_us: (at(0.5) * 10.0).round() / 10.0,
            p99_us: (at(0.99) * 10.0).round() / 10.0,
            runs: micros.len(),
            rows,
        }
    }
}

impl Readers {
    /// Opens `threads` read-only connections to the SQLite file at `path`, each on its own thread.
    pub fn open(path: &str, threads: usize) -> anyhow::Result<Readers> {
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        for i in 0..threads {
            let mut conn = open_reader(path)?;
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("sqlite-read-{i}"))
                .spawn(move || {
                    for job in queue {
                        job(&mut conn);
                    }
                })
                .context("cannot start a SQLite reader thread")?;
        }
        Ok(Readers {
            jobs,
            threads,
            path: path.to_owned(),
        })
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The database file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Runs `f` on a reader thread and waits (asynchronously) for its answer.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, sqlx::Error> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                let _ = tx.send(f(conn));
            }))
            .map_err(|_| sqlx::Error::PoolClosed)?;
        rx.await
            .map_err(|_| sqlx::Error::WorkerCrashed)?
            .map_err(sqlite_error)
    }
}

/// A writing connection with the pool's durability settings (WAL, FULL sync: an acknowledged
/// write survives power loss) and a page cache of `cache_kib`.
pub fn sqlite_writer(path: &str, cache_kib: u32) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA mmap_size = 268435456; PRAGMA cache_size = -{cache_kib};"
    ))?;
    Ok(conn)
}

/// A connection for a bulk write on a thread of its own (seeding, import), with a large page
/// cache: index pages of a ten-million-row table stay in memory while it writes.
pub fn sqlite_bulk_writer(path: &str) -> rusqlite::Result<rusqlite::Connection> {
    sqlite_writer(path, 262_144)
}

/// rusqlite's errors in sqlx's type, which the handlers already turn into a 500 answer.
fn sqlite_error(e: rusqlite::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("SQLite: {e}"))
}

fn bind_sqlite(args: &[Arg]) -> Vec<&dyn ToSql> {
    args.iter()
        .map(|a| match a {
            Arg::Text(s) => s as &dyn ToSql,
            Arg::Int(i) => i as &dyn ToSql,
        })
        .collect()
}

/// Every row `sql` returns on one SQLite connection, through its statement cache.
pub fn sqlite_all<T: HotRow>(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[Arg],
) -> rusqlite::Result<Vec<T>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map(&*bind_sqlite(args), T::from_sqlite)?;
    rows.collect()
}

/// `sql` with `args` bound to `$1…`, for sqlx's PostgreSQL driver.
fn pg_query<'q, T: HotRow>(
    sql: &'q str,
    args: &'q [Arg],
) -> sqlx::query::QueryAs<'q, Postgres, T, sqlx::postgres::PgArguments> {
    args.iter()
        .fold(sqlx::query_as::<Postgres, T>(sql), |q, a| match a {
            Arg::Text(s) => q.bind(s.as_str()),
            Arg::Int(i) => q.bind(*i),
        })
}

impl Hot {
    /// Opens the hot-path connections for a database URL [`super::Db::connect`] accepted.
    pub async fn connect(
        kind: super::DbKind,
        url: &str,
        pg_connections: u32,
    ) -> anyhow::Result<Hot> {
        Ok(match kind {
            super::DbKind::Sqlite => {
                let path = url
                    .strip_prefix("sqlite://")
                    .and_then(|p| p.split('?').next())
                    .context("not a SQLite URL")?;
                Hot::Sqlite(Arc::new(Readers::open(path, sqlite_readers())?))
            }
            super::DbKind::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(pg_connections)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await
                    .context("cannot connect to PostgreSQL")?;
                Hot::Postgres(pool, Coalescers::default())
            }
        })
    }

    /// On PostgreSQL, the coalescer of statements returning `T` ([`super::coalesce`]); on SQLite
    /// none (its reader threads answer in microseconds, with no round trip to share).
    pub fn coalescer<T: Keyed>(&self) -> Option<Coalescer<T>> {
        match self {
            Hot::Postgres(pool, coalescers) => Some(coalescers.get(pool)),
            Hot::Sqlite(_) => None,
        }
    }

    /// Every row of `sql` with `args` bound to `$1…` in order.
    pub async fn all<T: HotRow>(&self, sql: String, args: Vec<Arg>) -> Result<Vec<T>, sqlx::Error> {
        match self {
            Hot::Sqlite(readers) => readers.run(move |conn| sqlite_all(conn, &sql, &args)).await,
            Hot::Postgres(pool, _) => pg_query::<T>(&sql, &args).fetch_all(pool).await,
        }
    }

    /// The database's own speed for one statement: run back to back for `seconds` on a single
    /// connection of this process's thread (SQLite in-process; PostgreSQL over one loopback
    /// connection), after one unmeasured run that prepares it. No HTTP, no JSON, no pool.
    pub async fn floor<T: HotRow>(
        &self,
        sql: String,
        args: Vec<Arg>,
        seconds: f64,
    ) -> anyhow::Result<Floor> {
        let budget = Duration::from_secs_f64(seconds);
        match self {
            Hot::Sqlite(readers) => {
                let path = readers.path().to_owned();
                tokio::task::spawn_blocking(move || -> anyhow::Result<Floor> {
                    let conn = open_reader(&path)?;
                    let rows = sqlite_all::<T>(&conn, &sql, &args)?.len();
                    let mut micros = Vec::new();
                    let started = std::time::Instant::now();
                    while started.elapsed() < budget {
                        let t = std::time::Instant::now();
                        std::hint::black_box(sqlite_all::<T>(&conn, &sql, &args)?);
                        micros.push(t.elapsed().as_secs_f64() * 1e6);
                    }
                    Ok(Floor::of(micros, started.elapsed().as_secs_f64(), rows))
                })
                .await?
            }
            Hot::Postgres(pool, _) => {
                let mut conn = pool.acquire().await?;
                let rows = pg_query::<T>(&sql, &args)
                    .fetch_all(&mut *conn)
                    .await?
                    .len();
                let mut micros = Vec::new();
                let started = std::time::Instant::now();
                while started.elapsed() < budget {
                    let t = std::time::Instant::now();
                    std::hint::black_box(pg_query::<T>(&sql, &args).fetch_all(&mut *conn).await?);
                    micros.push(t.elapsed().as_secs_f64() * 1e6);
                }
                Ok(Floor::of(micros, started.elapsed().as_secs_f64(), rows))
            }
        }
    }

    /// The first row of `sql`, if any.
    pub async fn first<T: HotRow>(
        &self,
        sql: String,
        args: Vec<Arg>,
    ) -> Result<Option<T>, sqlx::Error> {
        Ok(self.all(sql, args).await?.into_iter().next())
    }

    /// The single value of a query that always returns one row (`SELECT COUNT(*) AS value …`).
    pub async fn value<T>(&self, sql: String, args: Vec<Arg>) -> Result<T, sqlx::Error>
    where
        Value<T>: HotRow,
    {
        self.first::<Value<T>>(sql, args)
            .await?
            .map(|v| v.value)
            .ok_or(sqlx::Error::RowNotFound)
    }
}
