//! Abuse control without captchas: per-client counting over a fixed window.
//!
//! - The first `free` requests of a window just work.
//! - After that each request spends a credit; a client without credits gets a proof-of-work
//!   challenge (`core::pow`), which the portal solves in the browser in well under a second. A
//!   solution buys `credits_per_solution` requests and can be used once.
//! - Past `max` requests in the window the client must wait: 429 with `Retry-After`.
//!
//! Challenges are stateless (an HMAC over expiry, randomness and the client address), so any
//! instance sharing the secret can check them; used seeds are remembered until they expire.

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

pub struct Limiter {
    config: RateLimitConfig,
    secret: [u8; 32],
    clients: Mutex<HashMap<IpAddr, Client>>,
    used: Mutex<HashMap<String, u64>>,
}

const CHALLENGE_TTL_SECS: u64 = 300;

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Limiter {
    /// `secret` lets several instances accept each other's challenges; random when absent.
    pub fn new(config: RateLimitConfig, secret: Option<&[u8]>) -> Limiter {
        let mut key = [0u8; 32];
        match secret {
            Some(s) => {
                use sha2::Digest;
                key.copy_from_slice(&Sha256::digest(s));
            }
            None => OsRng.fill_bytes(&mut key),
        }
        Limiter {
            config,
            secret: key,
            clients: Mutex::new(HashMap::new()),
            used: Mutex::new(HashMap::new()),
        }
    }

    fn mac(&self, expires: u64, nonce: &str, ip: IpAddr) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.secret).expect("HMAC takes any key length");
        mac.update(format!("{expires}.{nonce}.{ip}").as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    fn new_challenge(&self, ip: IpAddr) -> Challenge {
        let mut bytes = [0u8; 12];
        OsRng.fill_bytes(&mut bytes);
        let nonce = hex::encode(bytes);
        let expires = unix_now() + CHALLENGE_TTL_SECS;
        Challenge {
            seed: format!("{expires}.{nonce}.{}", self.mac(expires, &nonce, ip)),
            difficulty: self.config.difficulty,
        }
    }

    /// Whether `header` carries a fresh, unused solution of a challenge issued to `ip`.
    fn accept_solution(&self, header: &str, ip: IpAddr) -> bool {
        let Some((seed, answer)) = pow::parse_header(header) else {
            return false;
        };
        let mut parts = seed.splitn(3, '.');
        let (Some(expires), Some(nonce), Some(mac)) = (parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Ok(expires) = expires.parse::<u64>() else {
            return false;
        };
        let now = unix_now();
        if expires < now
            || mac != self.mac(expires, nonce, ip)
            || !pow::check(seed, answer, self.config.difficulty)
        {
            return false;
        }
        let mut used = self.used.lock().expect("lock");
        if used.len() > 10_000 {
            used.retain(|_, exp| *exp >= now);
        }
        used.insert(seed.to_owned(), expires).is_none()
    }

    /// Counts one request from `ip` and decides whether it may proceed.
    pub fn check(&self, ip: IpAddr, pow_header: Option<&str>) -> Decision {
        let now = Instant::now();
        let solved = pow_header.is_some_and(|h| self.accept_solution(h, ip));
        let mut clients = self.clients.lock().expect("lock");
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

    #[test]
    fn free_requests_then_a_challenge_then_credits_then_a_hard_limit() {
        let l = limiter(2, 5);
        assert_eq!(l.check(IP, None), Decision::Allow);
        assert_eq!(l.check(IP, None), Decision::Allow);
        let Decision::Challenge(ch) = l.check(IP, None) else {
            panic!("challenge expected")
        };
        let header = format!("{}:{}", ch.seed, pow::solve(&ch.seed, ch.difficulty));
        assert_eq!(l.check(IP, Some(&header)), Decision::Allow);
        // The same solution cannot be used twice; the credit it bought still can.
        assert_eq!(l.check(IP, Some(&header)), Decision::Allow);
        assert!(matches!(l.check(IP, Some(&header)), Decision::Challenge(_)));
        let Decision::Challenge(ch) = l.check(IP, None) else {
            panic!()
        };
        let header = format!("{}:{}", ch.seed, pow::solve(&ch.seed, ch.difficulty));
        assert_eq!(l.check(IP, Some(&header)), Decision::Allow);
        let Decision::Limited { retry_after } = l.check(IP, None) else {
            panic!("limit expected")
        };
        assert!((1..=600).contains(&retry_after));
    }

    #[test]
    fn a_solution_is_bound_to_the_client_and_to_this_server() {
        let l = limiter(0, 10);
        let Decision::Challenge(ch) = l.check(IP, None) else {
            panic!()
        };
        let header = format!("{}:{}", ch.seed, pow::solve(&ch.seed, ch.difficulty));
        let other: IpAddr = "10.0.0.9".parse().unwrap();
        assert!(matches!(
            l.check(other, Some(&header)),
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
            elsewhere.check(IP, Some(&header)),
            Decision::Challenge(_)
        ));
        assert!(matches!(
            l.check(IP, Some("garbage")),
            Decision::Challenge(_)
        ));
        assert_eq!(l.check(IP, Some(&header)), Decision::Allow);
    }
}
