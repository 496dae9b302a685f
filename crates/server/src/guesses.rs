//! The guess budget per masked ID (DESIGN §6, privacy by answer).
//!
//! Lookup shows a person's ID masked (`4405241973****2516`): only the birth month and day are
//! hidden, so about 33 IDs with a valid check digit remain for a name and masked form. Any answer
//! that takes a full ID — verify, an exact lookup, the embed's check, a certificate application, a
//! party's sign-in — would tell which of them is right. So each (name, masked form) may be asked
//! with at most [`DISTINCT_PER_DAY`] different full IDs within a day, counted over every client and
//! every instance; a further ID is refused (429 `too_many_guesses`), never answered. The same ID
//! again is always answered: a person checking their own ID is not affected unless someone else
//! is guessing. Organisation credit codes are published in full, so there is nothing to guess.
//!
//! The first IDs tried win: each ID's rank is its first time within the day, so concurrent
//! guesses on several instances agree on which ones are over the budget. Only keyed hashes (HMAC
//! with the server's pepper) are kept, on PostgreSQL in `id_guesses` (shared by every instance),
//! on SQLite — one instance by construction — in memory.

use portal_core::time::now_ms;
use std::{collections::HashMap, sync::Mutex};

use hmac::{Hmac, Mac};
use portal_core::{notice::SubjectId, PersonName};
use sha2::Sha256;

use crate::{
    db::{Db, DbKind},
    error::{AppError, AppResult},
};

/// Different full IDs per name and masked form per day.
pub const DISTINCT_PER_DAY: usize = 3;
const DAY_MS: i64 = 86_400_000;

/// Where the guesses of the last day are kept.
pub enum GuessBook {
    /// One instance (SQLite): a map in memory, scope → (guess, first time).
    Memory(Mutex<HashMap<String, Vec<(String, i64)>>>),
    /// Every instance on one PostgreSQL: the `id_guesses` table.
    Shared,
}

impl GuessBook {
    pub fn for_db(db: &Db) -> GuessBook {
        match db.kind {
            DbKind::Sqlite => GuessBook::Memory(Mutex::default()),
            DbKind::Postgres => GuessBook::Shared,
        }
    }
}

fn keyed(key: &[u8], parts: &[&str]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    for p in parts {
        mac.update(p.as_bytes());
        mac.update(b"\x1f");
    }
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// The rank of `guess` (1 = the first ID tried) among the guesses of one scope within the day,
/// given each guess's first time.
fn rank(guesses: &[(String, i64)], guess: &str, mine: i64) -> usize {
    guesses
        .iter()
        .filter(|(g, at)| *at < mine || (*at == mine && g.as_str() <= guess))
        .count()
}

fn too_many(retry_after: u64) -> AppError {
    AppError::TooManyGuesses { retry_after }
}

/// Counts one check of `subject` under `name` and refuses it when it is a further different ID of
/// the same masked form within the day. `key` is the server's secret for keyed hashes.
pub async fn spend(
    book: &GuessBook,
    db: &Db,
    key: &[u8],
    name: &PersonName,
    subject: &SubjectId,
) -> AppResult<()> {
    let SubjectId::Person(id) = subject else {
        return Ok(());
    };
    let scope = keyed(key, &["scope", name.normalized(), &id.masked()]);
    let guess = keyed(key, &["id", id.as_str()]);
    let now = now_ms();
    let since = now - DAY_MS;
    let (rank, oldest) = match book {
        GuessBook::Memory(map) => {
            let mut map = map.lock().expect("lock");
            if map.len() > 100_000 {
                map.retain(|_, v| v.iter().any(|(_, at)| *at > since));
            }
            let seen = map.entry(scope).or_default();
            seen.retain(|(_, at)| *at > since);
            let mine = match seen.iter().find(|(g, _)| *g == guess) {
                Some((_, at)) => *at,
                None => {
                    seen.push((guess.clone(), now));
                    now
                }
            };
            let oldest = seen.iter().map(|(_, at)| *at).min().unwrap_or(now);
            (rank(seen, &guess, mine), oldest)
        }
        GuessBook::Shared => {
            let mine: i64 = sqlx::query_scalar(
                "INSERT INTO id_guesses (scope, guess, first_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (scope, guess) DO UPDATE SET first_at = CASE \
                 WHEN id_guesses.first_at <= $4 THEN excluded.first_at ELSE id_guesses.first_at END \
                 RETURNING first_at",
            )
            .bind(&scope)
            .bind(&guess)
            .bind(now)
            .bind(since)
            .fetch_one(crate::ratelimit::volatile(db)?)
            .await?;
            let seen: Vec<(String, i64)> = sqlx::query_as(
                "SELECT guess, first_at FROM id_guesses WHERE scope = $1 AND first_at > $2",
            )
            .bind(&scope)
            .bind(since)
            .fetch_all(crate::ratelimit::volatile(db)?)
            .await?;
            let oldest = seen.iter().map(|(_, at)| *at).min().unwrap_or(now);
            (rank(&seen, &guess, mine), oldest)
        }
    };
    if rank > DISTINCT_PER_DAY {
        crate::metrics::admission("too_many_guesses");
        return Err(too_many(((oldest + DAY_MS - now) / 1000).max(1) as u64));
    }
    Ok(())
}

/// Forgets guesses older than a day (PostgreSQL; the in-memory book prunes itself).
pub async fn sweep(db: &Db) -> Result<u64, sqlx::Error> {
    if db.kind != DbKind::Postgres {
        return Ok(0);
    }
    Ok(sqlx::query("DELETE FROM id_guesses WHERE first_at <= $1")
        .bind(now_ms() - DAY_MS)
        .execute(&db.pool)
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn the_first_ids_tried_keep_their_rank_whatever_the_order_they_are_read_in() {
        let seen = vec![
            ("b".to_owned(), 10),
            ("a".to_owned(), 10),
            ("c".to_owned(), 5),
            ("d".to_owned(), 20),
        ];
        assert_eq!(rank(&seen, "c", 5), 1);
        assert_eq!(rank(&seen, "a", 10), 2);
        assert_eq!(rank(&seen, "b", 10), 3);
        assert_eq!(rank(&seen, "d", 20), 4);
    }
}
