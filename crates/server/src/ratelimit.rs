//! Abuse control without captchas: per-client counting over a fixed window.
//!
//! - The first `free` requests of a window just work.
//! - After that each request spends a credit; a client without credits gets a proof-of-work
//!   challenge (`core::pow`), which the portal solves in the browser in well under a second. A
//!   solution buys `credits_per_solution` requests and can be used once.
//! - Past `max` requests in the window the client must wait: 429 with `Retry-After`.
//!
//! Clients are counted by network (an IPv4 address, an IPv6 /64: see `http::extract::Client`).
//! Challenges are stateless (an HMAC over expiry, randomness and the client network), so any
//! instance sharing the secret can check them. On PostgreSQL — several instances — the counts,
//! the used solutions and the secret itself live in the database (one upsert per decision), so
//! the limit is the configured one however many instances a load balancer spreads a client over,
//! and a solution found for one instance is accepted by every other, once. On SQLite — one
//! instance — they live in memory.

use portal_core::time::now_ms;
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use hmac::{Hmac, Mac};
use portal_core::{api::Challenge, pow};
use sha2::Sha256;

use crate::db::{Db, DbKind};

#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub window: Duration,
    /// Requests per window without any proof of work.
    pub free: u32,
    /// Requests per window in all, proof of work or not.
    pub max: u32,
    pub credits_per_solution: u32,
    /// Leading zero bits of the challenge.
    pub difficulty: u8,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            window: Duration::from_secs(600),
            free: 60,
            max: 600,
            credits_per_solution: 20,
            difficulty: 17,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Challenge(Challenge),
    Limited { retry_after: u64 },
}

struct Client {
    window_start: Instant,
    count: u32,
    credits: u32,
}

/// Where counts and used solutions are kept.
enum Counts {
    Memory {
        clients: Mutex<HashMap<IpAddr, Client>>,
        used: Mutex<HashMap<String, u64>>,
    },
    Shared(Db),
}

pub struct Limiter {
    config: RateLimitConfig,
    secret: [u8; 32],
    counts: Counts,
}

const CHALLENGE_TTL_SECS: u64 = 300;

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn key_of(secret: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    Sha256::digest(secret).into()
}

impl Limiter {
    /// An in-memory limiter (one instance). `secret` lets instances accept each other's
    /// challenges; random when absent.
    pub fn new(config: RateLimitConfig, secret: Option<&[u8]>) -> Limiter {
        let secret = match secret {
            Some(s) => key_of(s),
            None => {
                let mut key = [0u8; 32];
                OsRng.fill_bytes(&mut key);
                key
            }
        };
        Limiter {
            config,
            secret,
            counts: Counts::Memory {
                clients: Mutex::new(HashMap::new()),
                used: Mutex::new(HashMap::new()),
            },
        }
    }

    /// The limiter for `db`: in memory on SQLite; on PostgreSQL shared by every instance through
    /// the database, with the challenge secret given or else the one the database keeps (made
    /// once, by whichever instance starts first).
    pub async fn for_db(
        config: RateLimitConfig,
        db: &Db,
        secret: Option<&[u8]>,
    ) -> anyhow::Result<Limiter> {
        if db.kind != DbKind::Postgres {
            return Ok(Limiter::new(config, secret));
        }
        let secret = match secret {
            Some(s) => key_of(s),
            None => key_of(&shared_secret(db, "pow").await?),
        };
        Ok(Limiter {
            config,
            secret,
            counts: Counts::Shared(db.clone()),
        })
    }

    fn mac(&self, expires: u64, nonce: &str, ip: IpAddr) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(format!("{expires}.{nonce}.{ip}").as_bytes());
        mac
    }

    fn new_challenge(&self, ip: IpAddr) -> Challenge {
        let mut bytes = [0u8; 12];
        OsRng.fill_bytes(&mut bytes);
        let nonce = hex::encode(bytes);
        let expires = unix_now() + CHALLENGE_TTL_SECS;
        let tag = hex::encode(&self.mac(expires, &nonce, ip).finalize().into_bytes()[..16]);
        Challenge {
            seed: format!("{expires}.{nonce}.{tag}"),
            difficulty: self.config.difficulty,
        }
    }

    /// The seed and expiry of a solution in `header` to a live challenge issued to `ip` (the MAC
    /// compared in constant time), not yet checked for reuse.
    fn valid_solution<'h>(&self, header: &'h str, ip: IpAddr) -> Option<(&'h str, u64)> {
        let (seed, answer) = pow::parse_header(header)?;
        let mut parts = seed.splitn(3, '.');
        let (expires, nonce, tag) = (parts.next()?, parts.next()?, parts.next()?);
        let expires = expires.parse::<u64>().ok()?;
        let tag = hex::decode(tag).ok().filter(|t| t.len() == 16)?;
        let fresh = expires >= unix_now();
        let signed = self
            .mac(expires, nonce, ip)
            .verify_truncated_left(&tag)
            .is_ok();
        (fresh && signed && pow::check(seed, answer, self.config.difficulty))
            .then_some((seed, expires))
    }

    /// Counts one request from `ip` and decides whether it may proceed.
    pub async fn check(&self, ip: IpAddr, pow_header: Option<&str>) -> anyhow::Result<Decision> {
        let solution = pow_header.and_then(|h| self.valid_solution(h, ip));
        match &self.counts {
            Counts::Memory { clients, used } => {
                let solved = solution.is_some_and(|(seed, expires)| {
                    let now = unix_now();
                    let mut used = used.lock().expect("lock");
                    if used.len() > 10_000 {
                        used.retain(|_, exp| *exp >= now);
                    }
                    used.insert(seed.to_owned(), expires).is_none()
                });
                Ok(self.check_in_memory(clients, ip, solved))
            }
            Counts::Shared(db) => {
                let solved = match solution {
                    Some((seed, expires)) => first_use(db, seed, expires).await?,
                    None => false,
                };
                self.check_shared(db, ip, solved).await
            }
        }
    }

    fn check_in_memory(
        &self,
        clients: &Mutex<HashMap<IpAddr, Client>>,
        ip: IpAddr,
        solved: bool,
    ) -> Decision {
        let now = Instant::now();
        let mut clients = clients.lock().expect("lock");
        if clients.len() > 100_000 {
            let window = self.config.window;
            clients.retain(|_, c| now.duration_since(c.window_start) < window);
        }
        let c = clients.entry(ip).or_insert(Client {
            window_start: now,
            count: 0,
            credits: 0,
        });
        let elapsed = now.duration_since(c.window_start);
        if elapsed >= self.config.window {
            *c = Client {
                window_start: now,
                count: 0,
                credits: 0,
            };
        }
        if c.count >= self.config.max {
            let left = self
                .config
                .window
                .saturating_sub(now.duration_since(c.window_start));
            return Decision::Limited {
                retry_after: left.as_secs().max(1),
            };
        }
        if solved {
            c.credits += self.config.credits_per_solution;
        }
        if c.count < self.config.free {
            c.count += 1;
            Decision::Allow
        } else if c.credits > 0 {
            c.credits -= 1;
            c.count += 1;
            Decision::Allow
        } else {
            drop(clients);
            Decision::Challenge(self.new_challenge(ip))
        }
    }

    /// One upsert decides: the request is counted only when it is allowed — within the free
    /// allowance, or paid for by the credits bought in this window — so challenged requests cost
    /// nothing, as in memory.
    async fn check_shared(&self, db: &Db, ip: IpAddr, solved: bool) -> anyhow::Result<Decision> {
        let now = now_ms();
        let window = self.config.window.as_millis() as i64;
        let bought = if solved {
            i64::from(self.config.credits_per_solution)
        } else {
            0
        };
        // With c the requests allowed so far in the window and k the credits bought in it (both
        // 0 when the window has run out): allowed = c < free or (c < max and c - free < k + bought).
        let allowed = |c: &str, k: &str| {
            format!("CASE WHEN {c} < $4 OR ({c} < $5 AND {c} - $4 < {k} + $3) THEN 1 ELSE 0 END")
        };
        let expired = "rate_limits.window_start <= $6";
        let c = format!("CASE WHEN {expired} THEN 0 ELSE rate_limits.count END");
        let k = format!("CASE WHEN {expired} THEN 0 ELSE rate_limits.credits END");
        let sql = format!(
            "INSERT INTO rate_limits (client, window_start, count, credits, allowed) \
             VALUES ($1, $2, {fresh}, $3, {fresh}) \
             ON CONFLICT (client) DO UPDATE SET \
               window_start = CASE WHEN {expired} THEN $2 ELSE rate_limits.window_start END, \
               count = {c} + {then}, \
               credits = {k} + $3, \
               allowed = {then} \
             RETURNING allowed, CAST(count AS BIGINT), window_start",
            fresh = allowed("0", "0"),
            then = allowed(&c, &k),
        );
        let (allowed, count, window_start): (i32, i64, i64) = sqlx::query_as(&sql)
            .bind(ip.to_string())
            .bind(now)
            .bind(bought)
            .bind(i64::from(self.config.free))
            .bind(i64::from(self.config.max))
            .bind(now - window)
            .fetch_one(&db.pool)
            .await?;
        Ok(if allowed != 0 {
            Decision::Allow
        } else if count >= i64::from(self.config.max) {
            Decision::Limited {
                retry_after: (((window_start + window - now) / 1000).max(1)) as u64,
            }
        } else {
            Decision::Challenge(self.new_challenge(ip))
        })
    }
}

/// The pool for admission state on PostgreSQL ([`Db::volatile`]).
pub fn volatile(db: &Db) -> anyhow::Result<&sqlx::PgPool> {
    db.volatile
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("shared admission state needs PostgreSQL"))
}

/// Whether this is the first use of a solution's seed, across every instance.
async fn first_use(db: &Db, seed: &str, expires: u64) -> anyhow::Result<bool> {
    let expires = expires as i64;
    if OsRng.next_u32().is_multiple_of(256) {
        sqlx::query("DELETE FROM pow_used WHERE expires < $1")
            .bind(unix_now() as i64)
            .execute(volatile(db)?)
            .await?;
    }
    let inserted =
        sqlx::query("INSERT INTO pow_used (seed, expires) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(seed)
            .bind(expires)
            .execute(volatile(db)?)
            .await?
            .rows_affected();
    Ok(inserted == 1)
}

/// A secret every instance on the database shares: made by the first that asks, read by all.
pub async fn shared_secret(db: &Db, name: &str) -> anyhow::Result<Vec<u8>> {
    let mut fresh = [0u8; 32];
    OsRng.fill_bytes(&mut fresh);
    let value = crate::keys::agreed_value(db, name, &hex::encode(fresh)).await?;
    hex::decode(&value)
        .ok()
        .filter(|v| v.len() == 32)
        .ok_or_else(|| anyhow::anyhow!("the shared secret {name} is not 32 hex bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(free: u32, max: u32) -> Limiter {
        Limiter::new(
            RateLimitConfig {
                free,
                max,
                credits_per_solution: 2,
                difficulty: 8,
                ..Default::default()
            },
            Some(b"test"),
        )
    }

    const IP: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[tokio::test]
    async fn free_requests_then_a_challenge_then_credits_then_a_hard_limit() {
        let l = limiter(2, 5);
        assert_eq!(l.check(IP, None).await.unwrap(), Decision::Allow);
        assert_eq!(l.check(IP, None).await.unwrap(), Decision::Allow);
        let Decision::Challenge(ch) = l.check(IP, None).await.unwrap() else {
            panic!("challenge expected")
        };
        let header = format!("{}:{}", ch.seed, pow::solve(&ch.seed, ch.difficulty));
        assert_eq!(l.check(IP, Some(&header)).await.unwrap(), Decision::Allow);
        // The same solution cannot be used twice; the credit it bought still can.
        assert_eq!(l.check(IP, Some(&header)).await.unwrap(), Decision::Allow);
        assert!(matches!(
            l.check(IP, Some(&header)).await.unwrap(),
            Decision::Challenge(_)
        ));
        let Decision::Challenge(ch) = l.check(IP, None).await.unwrap() else {
            panic!()
        };
        let header = format!("{}:{}", ch.seed, pow::solve(&ch.seed, ch.difficulty));
        assert_eq!(l.check(IP, Some(&header)).await.unwrap(), Decision::Allow);
        let Decision::Limited { retry_after } = l.check(IP, None).await.unwrap() else {
            panic!("limit expected")
        };
        assert!((1..=600).contains(&retry_after));
    }

    #[tokio::test]
    async fn a_solution_is_bound_to_the_client_and_to_this_server() {
        let l = limiter(0, 10);
        let Decision::Challenge(ch) = l.check(IP, None).await.unwrap() else {
            panic!()
        };
        let header = format!("{}:{}", ch.seed, pow::solve(&ch.seed, ch.difficulty));
        let other: IpAddr = "10.0.0.9".parse().unwrap();
        assert!(matches!(
            l.check(other, Some(&header)).await.unwrap(),
            Decision::Challenge(_)
        ));
        let elsewhere = Limiter::new(
            RateLimitConfig {
                free: 0,
                difficulty: 8,
                ..Default::default()
            },
            Some(b"other"),
        );
        assert!(matches!(
            elsewhere.check(IP, Some(&header)).await.unwrap(),
            Decision::Challenge(_)
        ));
        assert!(matches!(
            l.check(IP, Some("garbage")).await.unwrap(),
            Decision::Challenge(_)
        ));
        assert_eq!(l.check(IP, Some(&header)).await.unwrap(), Decision::Allow);
    }
}
