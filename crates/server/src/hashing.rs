//! Slow hashes of the secrets people type: staff passwords, PINs (salted Argon2id, PHC strings)
//! and tracking codes (Argon2id keyed with the pepper, so that a code finds its row without being
//! stored). Argon2 takes 19 MiB and tens of milliseconds on purpose: the request path uses the
//! async forms, which run on the heavy-work pool ([`crate::heavy`]).

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};

use crate::{error::AppResult, heavy, state::AppState};

/// A salted Argon2id hash of `password`, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

/// Whether `password` is the one `hash` was made from; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// [`hash_password`] on the heavy-work pool.
pub async fn hash_secret(secret: String) -> AppResult<String> {
    Ok(heavy::blocking(move || hash_password(&secret)).await?)
}

/// [`verify_password`] on the heavy-work pool.
pub async fn verify_secret(secret: String, hash: String) -> AppResult<bool> {
    Ok(heavy::run(move || verify_password(&secret, &hash)).await?)
}

/// The peppered Argon2id hash under which a tracking code is found; the code itself is never
/// stored.
pub async fn tracking_hash(state: &AppState, code: &str) -> AppResult<String> {
    let (code, pepper) = (code.to_owned(), state.keys.get().pepper());
    Ok(heavy::blocking(move || {
        let mut out = [0u8; 32];
        Argon2::default()
            .hash_password_into(code.as_bytes(), &pepper, &mut out)
            .map_err(|e| anyhow::anyhow!("cannot hash the tracking code: {e}"))?;
        Ok(hex::encode(out))
    })
    .await?)
}

/// Plain SHA-256 in hex, for values that are random already (idempotency keys, tokens): a slow
/// or keyed hash adds nothing there.
pub fn sha256_hex(value: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(value.as_bytes()))
}
