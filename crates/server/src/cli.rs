//! The command line (DESIGN §7.1). Every command exits 0 on success and non-zero with a clear
//! message otherwise.

use portal_core::time::court_today;
use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};
use secrecy::ExposeSecret;
use tokio::io::AsyncReadExt;

use crate::{
    certificates,
    db::Db,
    http,
    keys::{
        court::{CourtKeys, KeyStatus},
        court_key_file, Keys,
    },
    notices::import::{self, ImportError},
    partners::store as partners,
    ratelimit::{Limiter, RateLimitConfig},
    seed,
    staff::{store as staff, Role},
    state::{AppState, HttpConfig},
    storage::{UploadConfig, Uploads},
    uploads::{self, S3Config, Store},
    wechat::WeChat,
};

#[derive(Parser, Debug)]
#[command(
    name = "portal-server",
    version,
    about = "执行公开 · enforcement transparency portal server"
)]
pub struct Cli {
    /// Database: sqlite://PATH (created if missing) or postgres://…
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://data/portal.db"
    )]
    pub database_url: String,
    /// Folder for the server's keys (`keys.json`, owner-only) and stored files. Instances behind
    /// a load balancer share its `keys.json` (or set PORTAL_KEYS to one shared file).
    #[arg(long, global = true, env = "PORTAL_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// The key file; default `DATA_DIR/keys.json`.
    #[arg(long, global = true, env = "PORTAL_KEYS")]
    pub keys: Option<PathBuf>,
    /// Keep uploads in this S3-compatible bucket instead of DATA_DIR/uploads (needed when
    /// several instances serve the portal). Credentials and region come from the standard
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION environment variables.
    #[arg(long, global = true, env = "PORTAL_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// URL of the S3-compatible service (MinIO, Ceph, a cloud's S3 endpoint); AWS when absent.
    #[arg(
        long,
        global = true,
        env = "PORTAL_S3_ENDPOINT",
        requires = "s3_bucket"
    )]
    pub s3_endpoint: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API and the built front end (migrations run first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PORTAL_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Folder of the built front end (Trunk's output).
        #[arg(long, env = "PORTAL_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Mark session cookies Secure; set this when the portal is reached over HTTPS.
        #[arg(long, env = "PORTAL_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Behind a reverse proxy: take client addresses from X-Forwarded-For.
        #[arg(long, env = "PORTAL_TRUST_PROXY")]
        trust_proxy: bool,
        /// The origin users reach the portal at (`https://zxgk.example.gov.cn`): addresses in QR
        /// codes and the feed, and the origin staff requests must come from. Default: http:// and
        /// the listening address. An https origin also makes the session cookie Secure and
        /// `__Host-`.
        #[arg(long, env = "PORTAL_PUBLIC_ORIGIN", value_parser = parse_origin)]
        public_origin: Option<String>,
        /// Lookups per client per 10 minutes without a proof of work.
        #[arg(long, env = "PORTAL_LOOKUP_FREE", default_value_t = 60)]
        lookup_free: u32,
        /// Lookups per client per 10 minutes in all.
        #[arg(long, env = "PORTAL_LOOKUP_MAX", default_value_t = 600)]
        lookup_max: u32,
        /// Requests one solved proof of work buys past the free allowance.
        #[arg(long, env = "PORTAL_POW_CREDITS", default_value_t = 20)]
        pow_credits: u32,
        /// Seconds between the instances' looks for scheduled work (tests shorten it).
        #[arg(long, env = "PORTAL_JOBS_TICK_SECS", default_value_t = 60, hide = true)]
        jobs_tick_secs: u64,
        /// Evidence files per tip.
        #[arg(long, env = "PORTAL_UPLOAD_MAX_FILES", default_value_t = 10)]
        upload_max_files: usize,
        /// Largest evidence file, in MB.
        #[arg(long, env = "PORTAL_UPLOAD_MAX_FILE_MB", default_value_t = 20)]
        upload_max_file_mb: u64,
        /// Largest total of a tip's files, in MB.
        #[arg(long, env = "PORTAL_UPLOAD_MAX_TIP_MB", default_value_t = 50)]
        upload_max_tip_mb: u64,
        /// Hours an unfinished upload is kept before it is deleted.
        #[arg(long, env = "PORTAL_UPLOAD_EXPIRE_HOURS", default_value_t = 24)]
        upload_expire_hours: u64,
        /// MB all unclaimed uploads together may take; past it new uploads get 507 with
        /// Retry-After. Keep it under the free space of the upload store.
        #[arg(long, env = "PORTAL_UPLOAD_STAGING_MAX_MB", default_value_t = 2048)]
        upload_staging_max_mb: u64,
        /// PostgreSQL connections this instance may open (half for the hot read paths). The
        /// default lets eight instances share PostgreSQL's default max_connections of 100.
        #[arg(long, env = "PORTAL_DB_CONNECTIONS", default_value_t = portal_server_db_default())]
        db_connections: u32,
        /// Serve Prometheus metrics at http://ADDR/metrics — an address of its own, never the
        /// public one (requests and latency per route, admission decisions, the heavy-work queue,
        /// the database pool, the age of the oldest unanswered tip and application).
        #[arg(long, env = "PORTAL_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
        /// On PostgreSQL with the local upload folder: promise that this is the only instance.
        /// Several instances must share uploads through --s3-bucket instead.
        #[arg(long, env = "PORTAL_SINGLE_INSTANCE")]
        single_instance: bool,
        /// Shared secret for proof-of-work challenges when several instances serve the portal.
        #[arg(long, env = "PORTAL_POW_SECRET", hide_env_values = true)]
        pow_secret: Option<secrecy::SecretString>,
        /// The WeChat official account whose JS-SDK signs share cards
        /// (`GET /api/v1/wechat/signature`); without it, pages keep their share meta and load no SDK.
        #[arg(long, env = "PORTAL_WECHAT_APP_ID", requires = "wechat_app_secret")]
        wechat_app_id: Option<String>,
        /// The official account's AppSecret.
        #[arg(
            long,
            env = "PORTAL_WECHAT_APP_SECRET",
            hide_env_values = true,
            requires = "wechat_app_id"
        )]
        wechat_app_secret: Option<secrecy::SecretString>,
        /// Where WeChat's API is (its token and ticket endpoints).
        #[arg(long, env = "PORTAL_WECHAT_API_BASE", default_value = crate::wechat::DEFAULT_API_BASE)]
        wechat_api_base: String,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Add deterministic demo data.
    Seed {
        /// Number of notices to generate.
        #[arg(long)]
        demo: usize,
        /// Also write the fixed showcase subjects (names, IDs, case numbers) as JSON to this
        /// file, for end-to-end tests and benchmarks that look them up.
        #[arg(long, value_name = "FILE")]
        showcase_out: Option<PathBuf>,
        /// Write the notices to this file as an import file (CSV, DESIGN §7.2) instead of
        /// storing them: a realistic file for trying and timing `import notices`.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Benchmark helper: the database's own speed for the hot paths' statements (no HTTP), as
    /// JSON. `cargo xtask bench` runs it on the data it loads.
    BenchFloor {
        /// A name (with --id, the exact lookup and verification).
        #[arg(long)]
        name: String,
        #[arg(long)]
        id: String,
        /// The name with the most notices.
        #[arg(long)]
        commonest: String,
        /// A partner batch body (JSON) whose plain IDs are checked in one query.
        #[arg(long, value_name = "FILE")]
        batch: PathBuf,
        /// Seconds per statement.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
    /// Import court data.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Manage staff accounts.
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
    /// Manage partners of the credit-check widget and API.
    Partner {
        #[command(subcommand)]
        action: PartnerAction,
    },
    /// Manage the portal's keys (`keys.json`): the receipt signing key and the data key.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Manage the courts' certificate signing keys (`court-keys.json` beside `keys.json`).
    CourtKey {
        #[command(subcommand)]
        action: CourtKeyAction,
    },
    /// Certificates of self-performance.
    Certificate {
        #[command(subcommand)]
        action: CertificateAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum CourtKeyAction {
    /// Make a new key the court's current signing key; its previous key is retired (it still
    /// verifies the certificates it signed). Prints the key id.
    Generate {
        #[arg(long)]
        court: String,
    },
    /// List the keys: id, court, status.
    List,
    /// Stop a key signing; what it signed stays valid.
    Retire {
        #[arg(long)]
        key_id: String,
    },
    /// Revoke a compromised key: nothing it signed verifies any more.
    Revoke {
        #[arg(long)]
        key_id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum CertificateAction {
    /// Check a certificate: PAYLOAD is its QR code's text (or the base32 after /C/). Checks the
    /// court's signature against the court keys, then the live status in the database. Exits
    /// non-zero unless the signature is valid and the certificate is neither revoked nor replaced.
    Verify { payload: String },
}

#[derive(Subcommand, Debug)]
pub enum KeysAction {
    /// List the keys by id, current last (never the secret halves).
    List,
    /// Make a new key current. `signing`: old keys stay published in
    /// /.well-known/portal-keys.json so earlier receipts still verify. `data`: new values are
    /// sealed with the new key; old keys still open what they sealed until `keys reseal
    /// --drop-old`. Running instances re-read the key file (within a minute).
    Rotate {
        /// signing or data
        which: String,
    },
    /// Re-seal every tip and evidence file that an older data key sealed with the current one.
    Reseal {
        /// Then forget the older data keys (refused if anything was still sealed with them
        /// after the re-seal, e.g. by an instance not restarted since `keys rotate data`).
        #[arg(long)]
        drop_old: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PartnerAction {
    /// Register a partner; prints its id, API key and hashing secret once.
    Add {
        #[arg(long)]
        name: String,
        /// An origin allowed to embed the check (repeat for several), e.g. https://bank.example
        #[arg(long = "origin", required = true)]
        origins: Vec<String>,
        /// The declared purpose of the partner's checks.
        #[arg(long)]
        purpose: String,
    },
    /// Issue a new API key; the old one stops working at once.
    Rotate {
        #[arg(long)]
        id: String,
    },
    /// Revoke a partner: key, embed and hashed identifiers stop working at once.
    Revoke {
        #[arg(long)]
        id: String,
    },
    /// List partners.
    List,
}

#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Import notices from CSV (header row) or JSON lines (FILE ending in .jsonl).
    Notices { file: PathBuf },
    /// Import courts' monthly figures from CSV (header row; DESIGN §7.7). Importing a court's
    /// month again replaces it.
    Statistics { file: PathBuf },
    /// Import cases and their parties for the parties' desk from CSV (header row) or JSON lines
    /// (DESIGN §7.8). Importing a party again updates it and keeps its access code.
    Cases {
        file: PathBuf,
        /// Write the access codes made for new parties without one in the file
        /// (`court,case_number,name,masked_id,access_code`) to this new file, once.
        #[arg(long, value_name = "FILE")]
        codes_out: Option<PathBuf>,
    },
    /// Import each court's court one level up (`court,parent`, CSV with a header row), which
    /// decides the reconsiderations of its refusals at the parties' desk.
    Courts { file: PathBuf },
    /// Import a State Council holiday arrangement from CSV (`date,kind`, header row; DESIGN
    /// §7.8), added to the years the portal ships. Days already known are left as they are.
    Holidays { file: PathBuf },
}

#[derive(Subcommand, Debug)]
pub enum StaffAction {
    /// Add an account; the password is read from standard input.
    Add {
        #[arg(long)]
        username: String,
        /// The court the account works for.
        #[arg(long)]
        court: String,
        /// admin, reviewer or editor.
        #[arg(long)]
        role: String,
    },
}

pub async fn run(cli: Cli) -> ExitCode {
    init_tracing();
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::{fmt, prelude::*, EnvFilter};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("portal_server=info,tower_http=info,sqlx=warn"));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .try_init();
}

impl Cli {
    fn key_file(&self) -> PathBuf {
        self.keys
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys.json"))
    }
}

/// Where evidence files live: the S3 bucket when one is configured, else DATA_DIR/uploads.
fn upload_store(
    s3_bucket: &Option<String>,
    s3_endpoint: &Option<String>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Store> {
    match s3_bucket {
        Some(bucket) => Store::s3(&S3Config {
            bucket: bucket.clone(),
            endpoint: s3_endpoint.clone(),
            ..Default::default()
        }),
        None => Store::local(data_dir.join("uploads")),
    }
}

const fn portal_server_db_default() -> u32 {
    crate::db::PG_CONNECTIONS
}

/// An origin as browsers send it: `http(s)://host[:port]`, nothing after.
fn parse_origin(s: &str) -> Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("the public origin starts with https:// or http://")?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty()
        || !rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        return Err("the public origin is a scheme and a host (and port), nothing else".into());
    }
    Ok(s.trim_end_matches('/').to_ascii_lowercase())
}

async fn open(url: &str) -> anyhow::Result<Db> {
    let db = Db::connect(url).await?;
    migrate(&db).await?;
    Ok(db)
}

/// The schema's migrations, then what they could not do in SQL: the province of applications
/// made before the honour list paged by province.
async fn migrate(db: &Db) -> anyhow::Result<()> {
    db.migrate().await?;
    crate::certificates::store::fill_provinces(db, crate::certificates::province_of).await?;
    Ok(())
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    let key_file = cli.key_file();
    let store = || upload_store(&cli.s3_bucket, &cli.s3_endpoint, &cli.data_dir);
    match cli.command {
        Command::Serve {
            addr,
            dist,
            secure_cookies,
            trust_proxy,
            public_origin,
            lookup_free,
            lookup_max,
            pow_credits,
            jobs_tick_secs,
            upload_max_files,
            upload_max_file_mb,
            upload_max_tip_mb,
            upload_expire_hours,
            upload_staging_max_mb,
            db_connections,
            single_instance,
            metrics_addr,
            pow_secret,
            wechat_app_id,
            wechat_app_secret,
            wechat_api_base,
        } => {
            if cli.database_url.starts_with("postgres")
                && cli.s3_bucket.is_none()
                && !single_instance
            {
                anyhow::bail!(
                    "on PostgreSQL the portal may run as several instances, and they must share \
                     uploads: give --s3-bucket (PORTAL_S3_BUCKET), or --single-instance if this \
                     is the only instance and the local upload folder is enough"
                );
            }
            if lookup_max < lookup_free {
                anyhow::bail!("--lookup-max must be at least --lookup-free");
            }
            let db = Db::connect_with(&cli.database_url, db_connections).await?;
            migrate(&db).await?;
            if pow_credits == 0 || jobs_tick_secs == 0 {
                anyhow::bail!("--pow-credits and --jobs-tick-secs are at least 1");
            }
            let limits = RateLimitConfig {
                free: lookup_free,
                max: lookup_max,
                credits_per_solution: pow_credits,
                ..Default::default()
            };
            let limiter = Limiter::for_db(
                limits,
                &db,
                pow_secret.as_ref().map(|s| s.expose_secret().as_bytes()),
            )
            .await?;
            if public_origin.is_none() && addr.ip().is_unspecified() {
                tracing::warn!(
                    "listening on {addr} without --public-origin: QR codes and the feed will name {addr}"
                );
            }
            let config = HttpConfig {
                secure_cookies,
                trust_proxy,
                public_origin: public_origin.unwrap_or_else(|| format!("http://{addr}")),
            };
            let keys = Keys::load_or_create(&key_file)?;
            keys.check_matches_database(&db).await?;
            // A damaged court key file stops the start, not the first certificate.
            CourtKeys::load(&keys.court_key_file())?;
            let store = store()?;
            tracing::info!(store = %store.describe(), "evidence uploads");
            let uploads = Uploads::new(
                UploadConfig {
                    max_files: upload_max_files,
                    max_file_bytes: upload_max_file_mb * 1024 * 1024,
                    max_tip_bytes: upload_max_tip_mb * 1024 * 1024,
                    expire_after: std::time::Duration::from_secs(upload_expire_hours * 3600),
                    max_staged_bytes: upload_staging_max_mb * 1024 * 1024,
                },
                store,
            );
            let mut state = AppState::new(db, config, limiter, keys, uploads);
            if let (Some(app_id), Some(secret)) = (wechat_app_id, wechat_app_secret) {
                state = state.with_wechat(WeChat::new(app_id, secret, &wechat_api_base)?);
            }
            serve(
                state,
                addr,
                metrics_addr,
                std::time::Duration::from_secs(jobs_tick_secs),
                dist,
            )
            .await
        }
        Command::Migrate => {
            open(&cli.database_url).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed {
            demo,
            showcase_out,
            csv,
        } => {
            if demo == 0 {
                anyhow::bail!("--demo must be at least 1");
            }
            if let Some(path) = csv {
                let file = std::fs::File::create(&path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                seed::write_demo_csv(demo, court_today(), std::io::BufWriter::new(file))?;
                println!("wrote {demo} demo notices to {}", path.display());
                return Ok(());
            }
            if let Some(path) = showcase_out {
                let json = serde_json::to_string_pretty(&seed::showcase_json(court_today()))?;
                std::fs::write(&path, json)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            let db = open(&cli.database_url).await?;
            let started = std::time::Instant::now();
            seed::seed_demo(&db, demo, court_today()).await?;
            // The demo access codes are stored as keyed hashes: seed with the keys the server
            // will use (the same --data-dir or --keys), or the demo codes will not sign in.
            let keys = Keys::load_or_create(&key_file)?;
            crate::parties::seed::seed_parties(&db, &keys, court_today()).await?;
            println!(
                "seeded {demo} demo notices in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::BenchFloor {
            name,
            id,
            commonest,
            batch,
            seconds,
        } => {
            let db = open(&cli.database_url).await?;
            let batch = std::fs::read_to_string(&batch)
                .with_context(|| format!("cannot read {}", batch.display()))?;
            let floor = crate::floor::floor(&db, &name, &id, &commonest, &batch, seconds).await?;
            println!("{}", serde_json::to_string(&floor)?);
            Ok(())
        }
        Command::Import {
            what: ImportWhat::Notices { file },
        } => {
            let db = open(&cli.database_url).await?;
            match import::import_file(&db, &file).await {
                Ok(r) => {
                    println!(
                        "imported {} rows from {}: {} new, {} updated, {} marked deleted",
                        r.rows,
                        file.display(),
                        r.inserted,
                        r.updated,
                        r.deleted
                    );
                    Ok(())
                }
                Err(ImportError::Rejected(errors)) => Err(rejected(&file, &errors)),
                Err(e) => Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Statistics { file },
        } => {
            let db = open(&cli.database_url).await?;
            match crate::statistics::import::import_file(&db, &file, court_today()).await {
                Ok((rows, stored)) => {
                    println!(
                        "imported {rows} rows of figures from {}: {} new, {} replaced",
                        file.display(),
                        stored.inserted,
                        stored.replaced
                    );
                    Ok(())
                }
                Err(ImportError::Rejected(errors)) => Err(rejected(&file, &errors)),
                Err(e) => Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Cases { file, codes_out },
        } => {
            let db = open(&cli.database_url).await?;
            let keys = Keys::load_or_create(&key_file)?;
            keys.check_matches_database(&db).await?;
            match crate::parties::import::import_file(&db, &keys, &file, codes_out.as_deref()).await
            {
                Ok(r) => {
                    println!(
                        "imported {} rows from {}: {} new cases, {} new parties, {} updated ({} with a new access code, signed out); {} access codes made",
                        r.rows,
                        file.display(),
                        r.stored.cases_inserted,
                        r.stored.parties_inserted,
                        r.stored.parties_updated,
                        r.stored.codes_changed,
                        r.codes_made
                    );
                    if let (Some(out), true) = (&codes_out, r.codes_made > 0) {
                        println!("the new access codes are in {} (shown once)", out.display());
                    }
                    Ok(())
                }
                Err(ImportError::Rejected(errors)) => Err(rejected(&file, &errors)),
                Err(e) => Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Courts { file },
        } => {
            let db = open(&cli.database_url).await?;
            match crate::parties::import::import_courts(&db, &file).await {
                Ok(n) => {
                    println!(
                        "imported {n} courts' court one level up from {}",
                        file.display()
                    );
                    Ok(())
                }
                Err(ImportError::Rejected(errors)) => Err(rejected(&file, &errors)),
                Err(e) => Err(e.into()),
            }
        }
        Command::Import {
            what: ImportWhat::Holidays { file },
        } => {
            let db = open(&cli.database_url).await?;
            match crate::calendar::import::import_file(&db, &file).await {
                Ok(stored) => {
                    println!(
                        "imported {} days from {}: {} added, {} unchanged",
                        stored.added + stored.unchanged,
                        file.display(),
                        stored.added,
                        stored.unchanged
                    );
                    eprintln!("Running instances count with the new days within a minute.");
                    Ok(())
                }
                Err(ImportError::Rejected(errors)) => Err(rejected(&file, &errors)),
                Err(e) => Err(e.into()),
            }
        }
        Command::Partner { action } => {
            let db = open(&cli.database_url).await?;
            match action {
                PartnerAction::Add {
                    name,
                    origins,
                    purpose,
                } => {
                    let c = partners::add(&db, &name, &origins, &purpose).await?;
                    println!("partner_id: {}", c.partner_id);
                    println!("api_key: {}", c.api_key);
                    println!("id_hmac_secret: {}", c.id_hmac_secret);
                    eprintln!(
                        "Keep the API key and the hashing secret now: they are not shown again."
                    );
                }
                PartnerAction::Rotate { id } => {
                    println!("api_key: {}", partners::rotate(&db, &id).await?);
                    eprintln!("The previous key no longer works.");
                }
                PartnerAction::Revoke { id } => {
                    partners::revoke(&db, &id).await?;
                    println!("partner {id} revoked");
                }
                PartnerAction::List => {
                    for (id, name, status, prefix) in partners::list(&db).await? {
                        println!("{id}\t{status}\t{prefix}…\t{name}");
                    }
                }
            }
            Ok(())
        }
        Command::Staff {
            action:
                StaffAction::Add {
                    username,
                    court,
                    role,
                },
        } => {
            let role = Role::parse(&role).context("--role must be admin, reviewer or editor")?;
            let mut password = String::new();
            tokio::io::stdin()
                .read_to_string(&mut password)
                .await
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let db = open(&cli.database_url).await?;
            staff::add(&db, &username, &court, role, password).await?;
            println!(
                "staff account {username} added ({}, {court})",
                role.as_str()
            );
            Ok(())
        }
        Command::Keys { action } => keys_command(action, &key_file, &cli.database_url, store).await,
        Command::CourtKey { action } => court_key_command(action, &court_key_file(&key_file)),
        Command::Certificate {
            action: CertificateAction::Verify { payload },
        } => verify_certificate(&payload, &court_key_file(&key_file), &cli.database_url).await,
    }
}

fn court_key_command(action: CourtKeyAction, file: &std::path::Path) -> anyhow::Result<()> {
    let mut keys = CourtKeys::load(file)?;
    match action {
        CourtKeyAction::Generate { court } => {
            let id = keys.generate(&court)?;
            println!("court key {id} is now the current key of {}", court.trim());
        }
        CourtKeyAction::List => {
            for k in keys.public_keys() {
                println!(
                    "{}\t{}\t{}\t{}",
                    k.key_id,
                    k.status.as_str(),
                    k.not_before,
                    k.court
                );
            }
        }
        CourtKeyAction::Retire { key_id } => {
            keys.set_status(&key_id, KeyStatus::Retired)?;
            println!(
                "court key {key_id} retired: it signs nothing more; what it signed stays valid"
            );
        }
        CourtKeyAction::Revoke { key_id } => {
            keys.set_status(&key_id, KeyStatus::Revoked)?;
            println!("court key {key_id} revoked: nothing it signed verifies any more");
        }
    }
    Ok(())
}

/// A rejected import file: every problem on standard error, and one line saying nothing changed.
fn rejected(file: &std::path::Path, errors: &[import::RowError]) -> anyhow::Error {
    for e in errors {
        eprintln!("{e}");
    }
    anyhow::anyhow!(
        "{} has {} problem(s); nothing was imported / 文件有 {} 处错误，未导入任何数据",
        file.display(),
        errors.len(),
        errors.len()
    )
}

/// `certificate verify`: the signature offline, then the live status.
async fn verify_certificate(
    text: &str,
    court_keys: &std::path::Path,
    database_url: &str,
) -> anyhow::Result<()> {
    use portal_core::certificate::{CertificatePayload, SignatureVerdict, SignedPayload};
    let signed = SignedPayload::parse(text)
        .context("this is not a certificate's QR text / 这不是证明书二维码的内容")?;
    let payload = CertificatePayload::from_bytes(&signed.payload)
        .map_err(|e| anyhow::anyhow!("{e} / 证明书内容无法识别"))?;
    let keys = CourtKeys::load(court_keys)?;
    match signed.check(&payload, &keys.published()) {
        SignatureVerdict::Valid { court } => {
            println!(
                "signature valid / 签名有效: {court} (key {})",
                payload.key_id
            )
        }
        SignatureVerdict::UnknownKey => anyhow::bail!(
            "signed with an unknown key {} / 签名密钥未知",
            payload.key_id
        ),
        SignatureVerdict::RevokedKey { .. } => anyhow::bail!(
            "signed with revoked key {} / 签名密钥已被吊销",
            payload.key_id
        ),
        SignatureVerdict::Invalid => {
            anyhow::bail!("the signature is not valid: the certificate was changed / 签名无效")
        }
    }
    println!("number / 编号: {}", payload.number());
    println!("name / 名称: {}", payload.name);
    println!("ID / 证件号码: {}", payload.subject.shown());
    println!("case / 案号: {}", payload.case_number);
    println!("stage / 履行阶段: {}", payload.stage.as_str());
    println!("amount / 金额: {} yuan", payload.amount_shown());
    println!("performed on / 履行日期: {}", payload.performed_on);
    let db = open(database_url).await?;
    let Some(row) = certificates::store::certificate(&db, i64::from(payload.serial)).await? else {
        anyhow::bail!("the portal has no record of this certificate / 平台没有此证明书的记录");
    };
    if row.payload
        != base64::Engine::encode(&base64::prelude::BASE64_URL_SAFE_NO_PAD, &signed.payload)
    {
        anyhow::bail!("the record under this number differs / 此编号的记录与二维码不一致");
    }
    match row.status.as_str() {
        "valid" => {
            println!("status / 状态: valid / 有效");
            Ok(())
        }
        other => anyhow::bail!(
            "status / 状态: {other}{}",
            row.reason.map(|r| format!(" ({r})")).unwrap_or_default()
        ),
    }
}

async fn keys_command(
    action: KeysAction,
    key_file: &std::path::Path,
    database_url: &str,
    store: impl Fn() -> anyhow::Result<Store>,
) -> anyhow::Result<()> {
    let mut keys = Keys::load_or_create(key_file)?;
    match action {
        KeysAction::List => {
            for (kind, id) in keys.ids() {
                println!("{kind}\t{id}");
            }
        }
        KeysAction::Rotate { which } => {
            let id = match which.as_str() {
                "signing" => keys.rotate_signing()?,
                "data" => keys.rotate_data()?,
                _ => anyhow::bail!("which key? `signing` or `data`"),
            };
            println!("{which} key {id} is now current");
            eprintln!(
                "Running instances re-read the key file within a minute; then `keys reseal --drop-old` retires the old key."
            );
        }
        KeysAction::Reseal { drop_old } => {
            let db = open(database_url).await?;
            let store = store()?;
            if drop_old {
                keys.check_no_instance_seals_with_old_keys(&db).await?;
            }
            let values = crate::tips::reseal(&db, &keys).await?;
            let files = uploads::reseal(&keys, &store).await?;
            println!("re-sealed {values} stored values and {files} evidence files");
            if drop_old {
                // A second pass finds what was sealed with an old key during the first.
                let late =
                    crate::tips::reseal(&db, &keys).await? + uploads::reseal(&keys, &store).await?;
                if late > 0 {
                    anyhow::bail!(
                        "{late} values were sealed with an old key during the re-seal: wait a minute for every instance to re-read the key file, then run this again; no key was dropped"
                    );
                }
                println!("dropped {} old data key(s)", keys.drop_old_data_keys()?);
            }
        }
    }
    Ok(())
}

async fn serve(
    state: AppState,
    addr: SocketAddr,
    metrics_addr: Option<SocketAddr>,
    jobs_tick: std::time::Duration,
    dist: PathBuf,
) -> anyhow::Result<()> {
    if let Some(metrics_addr) = metrics_addr {
        let listener = tokio::net::TcpListener::bind(metrics_addr)
            .await
            .with_context(|| format!("cannot listen on {metrics_addr} for metrics"))?;
        println!("metrics at http://{}/metrics", listener.local_addr()?);
        let metrics = crate::http::metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, metrics).await {
                tracing::error!(error = %e, "the metrics server stopped");
            }
        });
    }
    // Scheduled work (announcing notices whose grace period ended, expiring uploads, forgetting
    // old guesses) runs once per tick whichever instance claims it.
    tokio::spawn(crate::jobs::run_forever(state.clone(), jobs_tick));
    let app = http::app(state, crate::frontend::Frontend::load(dist));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!(%local, "listening");
    println!("portal listening on http://{local}/");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
