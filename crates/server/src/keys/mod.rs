//! The server's own secrets: the portal's Ed25519 signing keys (tip receipts; the public halves are
//! published at `/.well-known/portal-keys.json`), the data keys that encrypt tips at rest, and the
//! pepper that makes tracking codes findable without storing them.
//!
//! They live in one JSON file, `keys.json` in the data folder, written with owner-only permissions
//! on first start. Several instances behind a load balancer share it through configuration (the
//! same file mounted everywhere, or its path in `PORTAL_KEYS`). Rotation adds a key and makes it
//! current; older keys stay, so old receipts still verify and old rows still decrypt.

pub mod court;

use portal_core::time::now_ms;
use std::{
    io::Write,
    path::{Path, PathBuf},
};

use anyhow::{bail, Context};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use chacha20poly1305::{
    aead::{Aead, KeyInit, Payload},
    XChaCha20Poly1305, XNonce,
};
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};

/// One key of either kind: 32 random bytes with an id and its creation time.
#[derive(Clone, Serialize, Deserialize)]
struct KeyEntry {
    key_id: String,
    /// Base64url of the 32 secret bytes.
    secret: String,
    created_at: i64,
}

impl KeyEntry {
    fn generate(prefix: &str) -> KeyEntry {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let mut id = [0u8; 4];
        OsRng.fill_bytes(&mut id);
        KeyEntry {
            key_id: format!("{prefix}-{}", hex::encode(id)),
            secret: B64.encode(secret),
            created_at: now_ms(),
        }
    }

    fn bytes(&self) -> anyhow::Result<[u8; 32]> {
        B64.decode(&self.secret)
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .with_context(|| format!("key {} is not 32 base64url bytes", self.key_id))
    }
}

#[derive(Clone, Serialize, Deserialize)]
struct KeyFile {
    /// Oldest first; the last one signs.
    signing: Vec<KeyEntry>,
    /// Oldest first; the last one encrypts.
    data: Vec<KeyEntry>,
    /// Secret salt of the deterministic tracking-code hash.
    pepper: String,
}

/// A public signing key as published at `/.well-known/portal-keys.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKey {
    pub key_id: String,
    pub algorithm: String,
    /// Base64url of the 32-byte Ed25519 public key.
    pub public_key: String,
    /// When the key was made (RFC 3339).
    pub not_before: String,
    /// `current` for the key that signs now, `retired` for older ones (they still verify).
    pub status: String,
}

/// A detached signature with the key that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// Base64url of the 64-byte Ed25519 signature.
    pub signature: String,
    pub key_id: String,
}

/// The loaded secrets. Cheap to clone behind an `Arc`.
pub struct Keys {
    path: PathBuf,
    file: KeyFile,
}

impl Keys {
    /// Loads the key file at `path`, creating it (and its folder) with fresh keys when absent.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Keys> {
        if path.exists() {
            return Keys::load(path);
        }
        let keys = Keys {
            path: path.to_owned(),
            file: KeyFile {
                signing: vec![KeyEntry::generate("portal")],
                data: vec![KeyEntry::generate("data")],
                pepper: KeyEntry::generate("pepper").secret,
            },
        };
        keys.save()?;
        tracing::info!(path = %path.display(), "created new keys");
        Ok(keys)
    }

    /// Loads the key file at `path`, which must exist and hold a whole key set.
    pub fn load(path: &Path) -> anyhow::Result<Keys> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?;
        let file: KeyFile = serde_json::from_str(&text)
            .with_context(|| format!("the key file {} is not valid", path.display()))?;
        if file.signing.is_empty() || file.data.is_empty() {
            bail!("the key file {} has no keys", path.display());
        }
        for k in file.signing.iter().chain(&file.data) {
            k.bytes()?;
        }
        if B64.decode(&file.pepper).map(|p| p.len()) != Ok(32) {
            bail!(
                "the key file {} has no valid pepper (32 base64url bytes)",
                path.display()
            );
        }
        Ok(Keys {
            path: path.to_owned(),
            file,
        })
    }

    fn save(&self) -> anyhow::Result<()> {
        write_private_json(&self.path, &self.file)
    }

    /// The courts' certificate keys live beside this file, in `court-keys.json`.
    pub fn court_key_file(&self) -> PathBuf {
        court_key_file(&self.path)
    }

    /// Makes a new signing key current; the old ones stay published for verification.
    pub fn rotate_signing(&mut self) -> anyhow::Result<String> {
        let key = KeyEntry::generate("portal");
        let id = key.key_id.clone();
        self.file.signing.push(key);
        self.save()?;
        Ok(id)
    }

    /// Makes a new data key current; older ones still decrypt what they encrypted.
    pub fn rotate_data(&mut self) -> anyhow::Result<String> {
        let key = KeyEntry::generate("data");
        let id = key.key_id.clone();
        self.file.data.push(key);
        self.save()?;
        Ok(id)
    }

    fn current_signing(&self) -> (&KeyEntry, SigningKey) {
        let entry = self.file.signing.last().expect("checked on load");
        let key = SigningKey::from_bytes(&entry.bytes().expect("checked on load"));
        (entry, key)
    }

    /// Signs `payload` with the current portal key.
    pub fn sign(&self, payload: &[u8]) -> Signature {
        let (entry, key) = self.current_signing();
        Signature {
            signature: B64.encode(key.sign(payload).to_bytes()),
            key_id: entry.key_id.clone(),
        }
    }

    /// Every signing key's public half, current last.
    pub fn public_keys(&self) -> Vec<PublicKey> {
        let n = self.file.signing.len();
        self.file
            .signing
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let key = SigningKey::from_bytes(&e.bytes().expect("checked on load"));
                PublicKey {
                    key_id: e.key_id.clone(),
                    algorithm: "Ed25519".into(),
                    public_key: B64.encode(key.verifying_key().to_bytes()),
                    not_before: portal_core::time::rfc3339(e.created_at),
                    status: if i + 1 == n { "current" } else { "retired" }.into(),
                }
            })
            .collect()
    }

    /// Encrypts `plain` with the current data key, bound to `context` (e.g. the row it belongs
    /// to, so a sealed value cannot be moved to another row): `key_id.base64url(nonce ‖ ct)`.
    pub fn seal(&self, context: &str, plain: &[u8]) -> String {
        let entry = self.file.data.last().expect("checked on load");
        let cipher = XChaCha20Poly1305::new(&entry.bytes().expect("checked on load").into());
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encryption does not fail for in-memory data");
        let mut out = nonce.to_vec();
        out.extend(ct);
        format!("{}.{}", entry.key_id, B64.encode(out))
    }

    /// Decrypts what [`Keys::seal`] made for the same `context`.
    pub fn open(&self, context: &str, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let (key_id, body) = sealed
            .split_once('.')
            .context("sealed value without key id")?;
        let entry = self
            .file
            .data
            .iter()
            .find(|k| k.key_id == key_id)
            .with_context(|| format!("unknown data key {key_id}"))?;
        let bytes = B64.decode(body).context("sealed value is not base64url")?;
        if bytes.len() < 24 {
            bail!("sealed value too short");
        }
        let (nonce, ct) = bytes.split_at(24);
        XChaCha20Poly1305::new(&entry.bytes()?.into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow::anyhow!("sealed value does not decrypt (wrong key or context)"))
    }

    /// Every key's kind (`signing` or `data`) and id, current last within each kind.
    pub fn ids(&self) -> Vec<(&'static str, String)> {
        let signing = self
            .file
            .signing
            .iter()
            .map(|k| ("signing", k.key_id.clone()));
        let data = self.file.data.iter().map(|k| ("data", k.key_id.clone()));
        signing.chain(data).collect()
    }

    /// Forgets every data key but the current one, once `portal-server keys reseal` re-sealed
    /// everything the old ones sealed; returns how many it forgot.
    pub fn drop_old_data_keys(&mut self) -> anyhow::Result<usize> {
        let current = self.file.data.pop().expect("checked on load");
        let dropped = self.file.data.len();
        self.file.data = vec![current];
        self.save()?;
        Ok(dropped)
    }

    /// The id of the data key that seals new values.
    pub fn current_data_key_id(&self) -> &str {
        &self.file.data.last().expect("checked on load").key_id
    }

    /// Whether `sealed` was made with an older data key (to re-encrypt after a rotation).
    pub fn is_stale(&self, sealed: &str) -> bool {
        let current = &self.file.data.last().expect("checked on load").key_id;
        sealed.split_once('.').map(|(id, _)| id) != Some(current.as_str())
    }

    /// The keyed hash under which an identifier (an ID number, a credit code) is stored for
    /// matching: HMAC-SHA256 with the pepper, `k1:` and hex. A plain SHA-256 of an 18-character
    /// ID reverses in minutes (a few hundred million candidates); this needs the key.
    pub fn subject_key(&self, canonical_id: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.pepper())
            .expect("HMAC takes any key length");
        mac.update(b"subject\x1f");
        mac.update(canonical_id.as_bytes());
        format!("k1:{}", hex::encode(mac.finalize().into_bytes()))
    }

    /// What is stored of a party's access code (查询码): HMAC-SHA256 with the pepper over the
    /// subject's identifier and the normalised code. Not Argon2 like tracking codes: a court
    /// imports a million parties' codes at once, and a portal-made code has 60 random bits, out
    /// of reach of a fast hash even with the pepper; sign-in attempts are throttled per subject.
    pub fn access_code_key(&self, canonical_id: &str, code: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.pepper())
            .expect("HMAC takes any key length");
        mac.update(b"access-code\x1f");
        mac.update(canonical_id.as_bytes());
        mac.update(b"\x1f");
        mac.update(code.as_bytes());
        format!("k1:{}", hex::encode(mac.finalize().into_bytes()))
    }

    /// An access code's keyed hash without its subject: how an import finds one code given to
    /// two parties ([`Keys::access_code_key`] is per subject, so it cannot).
    pub fn access_code_fingerprint(&self, code: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.pepper())
            .expect("HMAC takes any key length");
        mac.update(b"access-code-any\x1f");
        mac.update(code.as_bytes());
        format!("k1:{}", hex::encode(mac.finalize().into_bytes()))
    }

    /// The reference a receipt carries instead of its tracking code: HMAC of the code with the
    /// pepper, 32 hex digits. The court recomputes it from the code a tipster shows.
    pub fn tip_ref(&self, tracking_code: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.pepper())
            .expect("HMAC takes any key length");
        mac.update(b"tip-ref\x1f");
        mac.update(tracking_code.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// Refuses to serve with a key set other than the one the database was written with: an
    /// instance that made a keys.json of its own (none mounted, a wrong PORTAL_KEYS) would sign
    /// receipts nobody can check and hash codes nobody can find. The first instance to start
    /// records the key set's fingerprint (an HMAC of the pepper, which never rotates); two first
    /// starts racing on an empty database: one records, the other refuses.
    pub async fn check_matches_database(&self, db: &crate::db::Db) -> anyhow::Result<()> {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.pepper())
            .expect("HMAC takes any key length");
        mac.update(b"key-set fingerprint");
        let mine = hex::encode(&mac.finalize().into_bytes()[..16]);
        let recorded = agreed_value(db, "keys-fingerprint", &mine).await?;
        if recorded != mine {
            bail!(
                "{} is not the key set this database was written with (fingerprint {mine}, the \
                 database's {recorded}): give every instance the same keys.json (--keys or \
                 PORTAL_KEYS), restored from backup if need be",
                self.path.display()
            );
        }
        Ok(())
    }

    /// Records that `instance` seals with this key set's current data key (every scheduled
    /// tick, `jobs.rs`).
    pub async fn report_in_use(&self, db: &crate::db::Db, instance: &str) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO instance_keys (instance, data_key_id, seen_at) VALUES ($1, $2, $3) \
             ON CONFLICT (instance) DO UPDATE SET data_key_id = excluded.data_key_id, \
             seen_at = excluded.seen_at",
        )
        .bind(instance)
        .bind(self.current_data_key_id())
        .bind(now_ms())
        .execute(&db.pool)
        .await?;
        Ok(())
    }

    /// Refuses to drop old data keys while an instance seen in the last [`SEEN_LATELY_MS`]
    /// still seals with another key than this set's current one: it has not re-read the key
    /// file yet, and what it sealed next would be lost with the key.
    pub async fn check_no_instance_seals_with_old_keys(
        &self,
        db: &crate::db::Db,
    ) -> anyhow::Result<()> {
        let behind: Vec<(String, String)> = sqlx::query_as(
            "SELECT instance, data_key_id FROM instance_keys WHERE seen_at > $1 AND data_key_id <> $2",
        )
        .bind(now_ms() - SEEN_LATELY_MS)
        .bind(self.current_data_key_id())
        .fetch_all(&db.pool)
        .await?;
        if let Some((instance, key)) = behind.first() {
            bail!(
                "{} running instance(s) still seal with an old data key ({instance}: {key}); they \
                 re-read the key file within a minute — run this again then; no key was dropped",
                behind.len()
            );
        }
        Ok(())
    }

    /// The secret salt for deterministic hashes of values that must be found again (tracking
    /// codes) but never stored in clear.
    pub fn pepper(&self) -> Vec<u8> {
        B64.decode(&self.file.pepper)
            .expect("the pepper was checked when the key file was loaded")
    }
}

/// How recently an instance must have reported its data key to count as running (three of the
/// scheduler's default ticks).
pub const SEEN_LATELY_MS: i64 = 180_000;

/// The key file as a running instance sees it: read again whenever it changes on disk, so an
/// operator rotates keys (`keys rotate`, `keys reseal --drop-old`) while every instance keeps
/// running. A file that no longer loads, or holds another pepper (another key set altogether),
/// is refused and the keys in memory stay (the log says why).
pub struct SharedKeys {
    path: PathBuf,
    state: std::sync::Mutex<(std::sync::Arc<Keys>, Option<std::time::SystemTime>)>,
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl SharedKeys {
    pub fn new(keys: Keys) -> SharedKeys {
        let path = keys.path.clone();
        SharedKeys {
            path: path.clone(),
            state: std::sync::Mutex::new((std::sync::Arc::new(keys), modified(&path))),
        }
    }

    /// The keys as the file holds them now (one `stat` per call).
    pub fn get(&self) -> std::sync::Arc<Keys> {
        let mut state = self.state.lock().expect("keys lock");
        let now = modified(&self.path);
        if now != state.1 {
            state.1 = now;
            match Keys::load(&self.path) {
                Ok(keys) if keys.file.pepper == state.0.file.pepper => {
                    tracing::info!(data_key = keys.current_data_key_id(), "keys re-read");
                    state.0 = std::sync::Arc::new(keys);
                }
                Ok(_) => tracing::error!(
                    path = %self.path.display(),
                    "the key file now holds another key set; keeping the keys in memory"
                ),
                Err(e) => tracing::error!(error = %format!("{e:#}"), "keys not re-read"),
            }
        }
        state.0.clone()
    }
}

/// `court-keys.json` beside the key file `keys`.
pub fn court_key_file(keys: &Path) -> PathBuf {
    keys.with_file_name("court-keys.json")
}

/// Writes `value` as JSON to `path` atomically (a temporary file renamed over it), readable by the
/// owner only; the folder is created when missing.
pub fn write_private_json(path: &Path, value: &impl Serialize) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension("json.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(&tmp)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    f.write_all(serde_json::to_string_pretty(value)?.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// `n` uniformly random decimal digits (tracking codes, PINs).
pub fn random_digits(n: usize) -> String {
    (0..n)
        .map(|_| loop {
            // Rejection sampling keeps every digit equally likely.
            let b = (OsRng.next_u32() & 0xFF) as u8;
            if b < 250 {
                break char::from(b'0' + b % 10);
            }
        })
        .collect()
}

/// The value every instance on the database agrees on for `name` (the `shared_secrets` table):
/// the first instance to propose one records it, every later proposal reads it back.
pub async fn agreed_value(
    db: &crate::db::Db,
    name: &str,
    proposed: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query(
        "INSERT INTO shared_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(proposed)
    .bind(now_ms())
    .execute(&db.pool)
    .await?;
    sqlx::query_scalar("SELECT value FROM shared_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(&db.pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signature as EdSignature, Verifier, VerifyingKey};

    fn keys() -> (tempfile::TempDir, Keys) {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::load_or_create(&dir.path().join("keys/keys.json")).unwrap();
        (dir, keys)
    }

    #[test]
    fn keys_persist_with_owner_only_permissions() {
        let (dir, keys) = keys();
        let path = dir.path().join("keys/keys.json");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = Keys::load_or_create(&path).unwrap();
        assert_eq!(again.public_keys(), keys.public_keys());
        assert_eq!(again.pepper(), keys.pepper());
        assert_eq!(keys.pepper().len(), 32);
    }

    #[test]
    fn signatures_verify_with_the_published_key_and_survive_rotation() {
        let (_dir, mut keys) = keys();
        let payload = b"{\"received_at\":\"2026-11-22T10:00:00.000Z\"}";
        let sig = keys.sign(payload);
        keys.rotate_signing().unwrap();
        let published = keys.public_keys();
        assert_eq!(published.len(), 2);
        assert_eq!(published[1].status, "current");
        let old = published.iter().find(|k| k.key_id == sig.key_id).unwrap();
        assert_eq!(old.status, "retired");
        let vk =
            VerifyingKey::from_bytes(&B64.decode(&old.public_key).unwrap().try_into().unwrap())
                .unwrap();
        let s = EdSignature::from_bytes(&B64.decode(&sig.signature).unwrap().try_into().unwrap());
        assert!(vk.verify(payload, &s).is_ok());
        let mut tampered = payload.to_vec();
        tampered[3] ^= 1;
        assert!(vk.verify(&tampered, &s).is_err());
        assert_ne!(
            keys.sign(payload).key_id,
            sig.key_id,
            "new receipts use the new key"
        );
    }

    #[test]
    fn sealed_values_open_only_in_their_context_and_after_rotation() {
        let (_dir, mut keys) = keys();
        let sealed = keys.seal("tip:1", "联系人 13800138000".as_bytes());
        assert!(!sealed.contains("1380013"));
        assert_eq!(
            keys.open("tip:1", &sealed).unwrap(),
            "联系人 13800138000".as_bytes()
        );
        assert!(keys.open("tip:2", &sealed).is_err(), "bound to its row");
        keys.rotate_data().unwrap();
        assert!(keys.is_stale(&sealed));
        assert_eq!(
            keys.open("tip:1", &sealed).unwrap(),
            "联系人 13800138000".as_bytes()
        );
        assert!(!keys.is_stale(&keys.seal("tip:1", b"x")));
        let mut broken = sealed.clone();
        broken.pop();
        broken.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert!(keys.open("tip:1", &broken).is_err());
    }
}
