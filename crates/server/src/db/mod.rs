//! The database handle: one `sqlx::Any` pool over SQLite (the zero-setup default) or PostgreSQL
//! (many stateless instances behind a load balancer). Queries are written once in the SQL both
//! engines accept; only the migrations differ per dialect. The hot read paths go through each
//! engine's native driver instead ([`hot`]).

pub mod coalesce;
pub mod hot;
pub mod jobs;
pub mod journal;

use std::{path::Path, str::FromStr, time::Duration};

use anyhow::Context;
use sqlx::{
    any::{AnyArguments, AnyConnectOptions, AnyPoolOptions},
    query::Query,
    Any, AnyPool, Executor,
};

/// Which engine the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }
}

/// PostgreSQL connections per instance by default: eight instances stay within PostgreSQL's
/// default `max_connections = 100` (less its 3 reserved for superusers), 12 × 8 = 96.
pub const PG_CONNECTIONS: u32 = 12;

#[derive(Clone, Debug)]
pub struct Db {
    /// Writes, migrations and the rarer reads.
    pub pool: AnyPool,
    /// The hot read paths (lookup, detail, verify, partner checks, the change feed).
    pub hot: hot::Hot,
    /// The partner check audit log's group-committing writer.
    pub journal: journal::Journal,
    pub kind: DbKind,
    /// PostgreSQL only: connections for state that decides admission and may lose its last
    /// moments in a crash (rate-limit counts, used proofs of work, the guess budget), with
    /// `synchronous_commit = off` — one upsert per request must not wait for a disk flush.
    pub volatile: Option<sqlx::PgPool>,
}

/// Connections of the volatile pool ([`Db::volatile`]).
const VOLATILE_CONNECTIONS: u32 = 2;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Db {
    /// Connects to `sqlite://PATH` (creating the file and its folder) or `postgres://…`, with the
    /// default connection budget ([`PG_CONNECTIONS`]).
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        Db::connect_with(url, PG_CONNECTIONS).await
    }

    /// Connects with at most `pg_connections` PostgreSQL connections for this instance, half
    /// for the hot read paths and half for the rest (SQLite's pools are fixed and local).
    pub async fn connect_with(url: &str, pg_connections: u32) -> anyhow::Result<Db> {
        if pg_connections < 8 {
            anyhow::bail!(
                "the connection budget is at least 8 (half for reads, 2 for admission state, the rest for writes)"
            );
        }
        sqlx::any::install_default_drivers();
        let (kind, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if path.is_empty() {
                anyhow::bail!("the SQLite URL has no file path: use sqlite://PATH");
            }
            if let Some(parent) = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create the folder {}", parent.display()))?;
            }
            (DbKind::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (DbKind::Postgres, url.to_owned())
        } else {
            anyhow::bail!("unsupported database URL: use sqlite://PATH or postgres://…");
        };
        let options = AnyConnectOptions::from_str(&url).context("invalid database URL")?;
        let pool = match kind {
            // A fixed pool. SQLite has one writer anyway; eight readers hide the driver's
            // per-connection thread hand-offs (measured: 2 → 4,353, 4 → 5,615, 8 → 5,943 name
            // lookups/s on two cores) while memory stays bounded (8 MB page cache each).
            DbKind::Sqlite => AnyPoolOptions::new()
                .min_connections(1)
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL lets readers run during writes; FULL sync makes an acknowledged
                        // write survive power loss, not only a crash of this process.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = FULL",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA foreign_keys = ON",
                            // Reads through a memory map of at most 256 MB (name lookups: 3,992 →
                            // 5,372/s at 1M notices) plus an 8 MB private page cache. Mapped pages
                            // are the OS's file cache, shared and reclaimable; resident-set figures
                            // count them once per connection, so the bench also reports the
                            // server's private (anonymous) memory.
                            "PRAGMA mmap_size = 268435456",
                            "PRAGMA cache_size = -8000",
                        ] {
                            conn.execute(pragma).await?;
                        }
                        Ok(())
                    })
                })
                .connect_with(options)
                .await
                .context("cannot open the SQLite database")?,
            DbKind::Postgres => AnyPoolOptions::new()
                .max_connections(pg_connections - pg_connections / 2 - VOLATILE_CONNECTIONS)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .context("cannot connect to PostgreSQL")?,
        };
        let hot = hot::Hot::connect(kind, &url, pg_connections / 2).await?;
        let journal = journal::Journal::start(
            pool.clone(),
            match &hot {
                hot::Hot::Sqlite(readers) => Some(readers.path()),
                hot::Hot::Postgres(..) => None,
            },
        )?;
        let volatile = match kind {
            DbKind::Sqlite => None,
            DbKind::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(VOLATILE_CONNECTIONS)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(
                        sqlx::postgres::PgConnectOptions::from_str(&url)
                            .context("invalid database URL")?
                            .options([("synchronous_commit", "off")]),
                    )
                    .await
                    .context("cannot connect to PostgreSQL")?,
            ),
        };
        Ok(Db {
            volatile,
            pool,
            hot,
            journal,
            kind,
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.kind {
            DbKind::Sqlite => &SQLITE_MIGRATIONS,
            DbKind::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&self.pool)
            .await
            .context("database migration failed")?;
        Ok(())
    }
}

/// A value bound to a [`Where`] condition.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Int(i64),
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_owned())
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}

/// A `WHERE` condition built from fixed SQL fragments and numbered placeholders, with its values
/// kept aside and bound in order: callers compose filters without ever splicing a value into SQL.
#[derive(Default)]
pub struct Where {
    condition: String,
    args: Vec<Arg>,
}

impl Where {
    pub fn new() -> Where {
        Where::default()
    }

    fn push(&mut self, fragment: &str) {
        if !self.condition.is_empty() {
            self.condition.push_str(" AND ");
        }
        self.condition.push_str(fragment);
    }

    /// A condition without values, e.g. `status = 'active'`.
    pub fn fixed(mut self, sql: &'static str) -> Where {
        self.push(sql);
        self
    }

    /// `expr op $n`, e.g. `cmp("deadline", ">=", today)`; `expr` and `op` are fixed SQL.
    pub fn cmp(mut self, expr: &'static str, op: &'static str, value: impl Into<Arg>) -> Where {
        self.args.push(value.into());
        let n = self.args.len();
        self.push(&format!("{expr} {op} ${n}"));
        self
    }

    /// `expr IN (…)` over integers (written into the SQL as numbers: nothing a user typed);
    /// an empty list matches nothing.
    pub fn in_ints(mut self, expr: &'static str, values: &[i64]) -> Where {
        if values.is_empty() {
            self.push("1 = 0");
        } else {
            let list: Vec<String> = values.iter().map(i64::to_string).collect();
            self.push(&format!("{expr} IN ({})", list.join(", ")));
        }
        self
    }

    /// `expr IN ($n, …)` over text values, each bound; an empty list matches nothing.
    pub fn in_texts(mut self, expr: &'static str, values: &[&str]) -> Where {
        if values.is_empty() {
            self.push("1 = 0");
            return self;
        }
        let first = self.args.len() + 1;
        let list: Vec<String> = (first..first + values.len())
            .map(|n| format!("${n}"))
            .collect();
        self.args.extend(values.iter().map(|v| Arg::from(*v)));
        self.push(&format!("{expr} IN ({})", list.join(", ")));
        self
    }

    /// The condition's SQL (`TRUE` when empty), to put after `WHERE`.
    pub fn condition(&self) -> &str {
        if self.condition.is_empty() {
            "1 = 1"
        } else {
            &self.condition
        }
    }

    /// The number of the next placeholder, for a value a caller binds after this condition's.
    pub fn next_placeholder(&self) -> usize {
        self.args.len() + 1
    }

    /// The condition's values, in placeholder order.
    pub fn args(&self) -> Vec<Arg> {
        self.args.clone()
    }

    /// `sql`, which uses this condition's placeholders, with its values bound in order.
    pub fn bind<'q>(&'q self, sql: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        self.args.iter().fold(sqlx::query(sql), |q, arg| match arg {
            Arg::Text(s) => q.bind(s.as_str()),
            Arg::Int(i) => q.bind(*i),
        })
    }
}
