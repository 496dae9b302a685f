//! Proof of work instead of an image captcha. Past a per-client threshold the server asks for a
//! nonce such that SHA-256(`seed:nonce`) starts with `difficulty` zero bits. A phone solves
//! 17 bits (about 131,000 hashes on average) in well under a second; a scraper pays that for
//! every few lookups. The same functions run in the browser (solve) and the server (check).

use sha2::{Digest, Sha256};

fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// Whether `nonce` solves the challenge.
pub fn check(seed: &str, nonce: u64, difficulty: u8) -> bool {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update(b":");
    hasher.update(nonce.to_string().as_bytes());
    leading_zero_bits(&hasher.finalize()) >= u32::from(difficulty)
}

/// Tries `count` nonces from `start`; returns the first that solves the challenge. The browser
/// calls this in slices so the page stays responsive.
pub fn solve_range(seed: &str, difficulty: u8, start: u64, count: u64) -> Option<u64> {
    (start..start.saturating_add(count)).find(|n| check(seed, *n, difficulty))
}

/// Solves the challenge (used by tests and non-browser clients).
pub fn solve(seed: &str, difficulty: u8) -> u64 {
    let mut start = 0;
    loop {
        if let Some(n) = solve_range(seed, difficulty, start, 1 << 16) {
            return n;
        }
        start += 1 << 16;
    }
}

/// Parses the `x-portal-pow` header value `seed:nonce`.
pub fn parse_header(value: &str) -> Option<(&str, u64)> {
    let (seed, nonce) = value.rsplit_once(':')?;
    Some((seed, nonce.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_leading_zero_bits() {
        assert_eq!(leading_zero_bits(&[0xff]), 0);
        assert_eq!(leading_zero_bits(&[0x00, 0x10]), 11);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }

    #[test]
    fn a_solution_has_the_difficulty_asked_and_is_the_first_one() {
        for difficulty in [1, 8, 12, 16] {
            let n = solve("abc", difficulty);
            let zeros = leading_zero_bits(&Sha256::digest(format!("abc:{n}")));
            assert!(
                zeros >= u32::from(difficulty),
                "{difficulty}: {zeros} zero bits"
            );
            assert!(check("abc", n, difficulty));
            assert!(!check("abc", n, zeros as u8 + 1), "one bit more is not met");
            assert_eq!(
                solve_range("abc", difficulty, 0, n),
                None,
                "no earlier solution"
            );
        }
        // The seed is part of what is hashed: a solution is for its own challenge.
        let n = solve("abc", 16);
        assert_ne!(solve("abd", 16), n);
    }

    #[test]
    fn header_round_trip() {
        assert_eq!(parse_header("1712.ab:c.d:42"), Some(("1712.ab:c.d", 42)));
        assert_eq!(parse_header("seed-without-nonce"), None);
        assert_eq!(parse_header("seed:x"), None);
    }
}
