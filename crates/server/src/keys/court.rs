//! Court keys: each court signs its certificates with an Ed25519 key of its own. The private halves
//! live in `court-keys.json` in the data folder (owner-only; instances share it like `keys.json`),
//! made by `portal-server court-key generate --court C`; the public halves are published at
//! `/.well-known/court-keys.json` (DESIGN §7.6) with their status:
//!
//! - `current`: the court's key that signs new certificates (one per court);
//! - `retired`: no longer signs (replaced by a newer key, or retired by hand), still verifies;
//! - `revoked`: compromised — certificates it signed no longer verify.
//!
//! A running server notices changes the command line makes: it re-reads the file when its
//! modification time changes.

use portal_core::time::{now_ms, rfc3339};
use std::{
    path::{Path, PathBuf},
    sync::Mutex,
    time::SystemTime,
};

use anyhow::{bail, Context};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{prelude::BASE64_URL_SAFE_NO_PAD as B64, Engine};
use ed25519_dalek::{Signer, SigningKey};
use portal_core::certificate::{key_id_of, PublishedKey};
use serde::{Deserialize, Serialize};

use crate::keys::write_private_json;

pub use portal_core::certificate::KeyStatus;

#[derive(Clone, Serialize, Deserialize)]
struct CourtKey {
    key_id: String,
    court: String,
    /// Base64url of the 32 secret bytes.
    secret: String,
    created_at: i64,
    status: KeyStatus,
    /// When it stopped signing, or was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changed_at: Option<i64>,
}

impl CourtKey {
    fn signing_key(&self) -> anyhow::Result<SigningKey> {
        let bytes: [u8; 32] = B64
            .decode(&self.secret)
            .ok()
            .and_then(|b| b.try_into().ok())
            .with_context(|| format!("court key {} is not 32 base64url bytes", self.key_id))?;
        Ok(SigningKey::from_bytes(&bytes))
    }
}

#[derive(Clone, Default, Serialize, Deserialize)]
struct KeyFile {
    keys: Vec<CourtKey>,
}

/// A public court key as `/.well-known/court-keys.json` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCourtKey {
    pub key_id: String,
    pub court: String,
    pub algorithm: String,
    /// Base64url of the 32-byte Ed25519 public key.
    pub public_key: String,
    /// RFC 3339.
    pub not_before: String,
    pub status: KeyStatus,
}

/// The court keys in a file.
pub struct CourtKeys {
    path: PathBuf,
    file: KeyFile,
}

impl CourtKeys {
    /// The keys in `path`; none yet when the file does not exist.
    pub fn load(path: &Path) -> anyhow::Result<CourtKeys> {
        let file = if path.exists() {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the court key file {}", path.display()))?;
            let file: KeyFile = serde_json::from_str(&text)
                .with_context(|| format!("the court key file {} is not valid", path.display()))?;
            for k in &file.keys {
                k.signing_key()?;
            }
            file
        } else {
            KeyFile::default()
        };
        Ok(CourtKeys {
            path: path.to_owned(),
            file,
        })
    }

    /// Makes a new key the court's current one; its previous current key is retired (it still
    /// verifies what it signed). Returns the new key id.
    pub fn generate(&mut self, court: &str) -> anyhow::Result<String> {
        let court = court.trim();
        if court.is_empty() || court.chars().count() > 100 {
            bail!("--court must name the court (at most 100 characters)");
        }
        let now = now_ms();
        let key = loop {
            let mut secret = [0u8; 32];
            OsRng.fill_bytes(&mut secret);
            let key_id = key_id_of(&SigningKey::from_bytes(&secret).verifying_key().to_bytes());
            // Key ids are 4 bytes of a digest: make sure this one is new.
            if self.file.keys.iter().all(|k| k.key_id != key_id) {
                break CourtKey {
                    key_id,
                    court: court.to_owned(),
                    secret: B64.encode(secret),
                    created_at: now,
                    status: KeyStatus::Current,
                    changed_at: None,
                };
            }
        };
        for k in &mut self.file.keys {
            if k.court == court && k.status == KeyStatus::Current {
                k.status = KeyStatus::Retired;
                k.changed_at = Some(now);
            }
        }
        let id = key.key_id.clone();
        self.file.keys.push(key);
        write_private_json(&self.path, &self.file)?;
        Ok(id)
    }

    /// Sets a key's status: `retired` (stops signing, still verifies) or `revoked` (compromised:
    /// nothing it signed verifies any more). A revoked key stays revoked.
    pub fn set_status(&mut self, key_id: &str, status: KeyStatus) -> anyhow::Result<()> {
        let key = self
            .file
            .keys
            .iter_mut()
            .find(|k| k.key_id == key_id)
            .with_context(|| format!("there is no court key {key_id}"))?;
        if key.status == KeyStatus::Revoked {
            bail!("court key {key_id} is revoked already");
        }
        if status == KeyStatus::Current {
            bail!("a key becomes current only by `court-key generate`");
        }
        key.status = status;
        key.changed_at = Some(now_ms());
        write_private_json(&self.path, &self.file)
    }

    /// Every key's public half, oldest first.
    pub fn public_keys(&self) -> Vec<PublicCourtKey> {
        self.file
            .keys
            .iter()
            .filter_map(|k| {
                Some(PublicCourtKey {
                    key_id: k.key_id.clone(),
                    court: k.court.clone(),
                    algorithm: "Ed25519".into(),
                    public_key: B64.encode(k.signing_key().ok()?.verifying_key().to_bytes()),
                    not_before: rfc3339(k.created_at),
                    status: k.status,
                })
            })
            .collect()
    }

    /// Every key as a verifier knows it.
    pub fn published(&self) -> Vec<PublishedKey> {
        self.file
            .keys
            .iter()
            .filter_map(|k| {
                Some(PublishedKey {
                    key_id: k.key_id.clone(),
                    court: k.court.clone(),
                    public_key: k.signing_key().ok()?.verifying_key().to_bytes(),
                    status: k.status,
                })
            })
            .collect()
    }

    /// Signs `payload` with `court`'s current key; `None` when the court has none. The payload
    /// names the key, so the caller asks for the key id first ([`CourtKeys::current_key_id`]).
    pub fn sign(&self, key_id: &str, payload: &[u8]) -> Option<[u8; 64]> {
        let k = self
            .file
            .keys
            .iter()
            .find(|k| k.key_id == key_id && k.status == KeyStatus::Current)?;
        Some(k.signing_key().ok()?.sign(payload).to_bytes())
    }

    /// The id of `court`'s current key.
    pub fn current_key_id(&self, court: &str) -> Option<String> {
        self.file
            .keys
            .iter()
            .find(|k| k.court == court && k.status == KeyStatus::Current)
            .map(|k| k.key_id.clone())
    }
}

/// The court keys of a running server: re-read when the file changes.
pub struct SharedCourtKeys {
    path: PathBuf,
    state: Mutex<Loaded>,
}

struct Loaded {
    keys: std::sync::Arc<CourtKeys>,
    modified: Option<SystemTime>,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl SharedCourtKeys {
    /// The keys in `path`. A file that does not load leaves the server without court keys (and
    /// says so in the log); `serve` checks the file before it starts.
    pub fn new(path: &Path) -> SharedCourtKeys {
        let keys = CourtKeys::load(path).unwrap_or_else(|e| {
            tracing::error!(error = %e, "court keys not loaded");
            CourtKeys {
                path: path.to_owned(),
                file: KeyFile::default(),
            }
        });
        SharedCourtKeys {
            path: path.to_owned(),
            state: Mutex::new(Loaded {
                keys: std::sync::Arc::new(keys),
                modified: modified(path),
            }),
        }
    }

    /// The keys as the file holds them now (one `stat` per call; a changed file is read again).
    pub fn get(&self) -> std::sync::Arc<CourtKeys> {
        let mut state = self.state.lock().expect("court keys lock");
        {
            let now = modified(&self.path);
            if now != state.modified {
                match CourtKeys::load(&self.path) {
                    Ok(keys) => {
                        state.keys = std::sync::Arc::new(keys);
                        state.modified = now;
                    }
                    Err(e) => tracing::error!(error = %e, "court keys not reloaded"),
                }
            }
        }
        state.keys.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_retires_the_old_key_and_revocation_sticks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("court-keys.json");
        let mut keys = CourtKeys::load(&path).unwrap();
        let court = "宁波市象山县人民法院";
        let first = keys.generate(court).unwrap();
        let other = keys.generate("杭州市西湖区人民法院").unwrap();
        assert_eq!(keys.current_key_id(court).as_deref(), Some(first.as_str()));
        let second = keys.generate(court).unwrap();
        assert_eq!(keys.current_key_id(court).as_deref(), Some(second.as_str()));

        let keys = CourtKeys::load(&path).unwrap();
        let status = |id: &str| {
            keys.published()
                .into_iter()
                .find(|k| k.key_id == id)
                .unwrap()
                .status
        };
        assert_eq!(status(&first), KeyStatus::Retired);
        assert_eq!(status(&second), KeyStatus::Current);
        assert_eq!(status(&other), KeyStatus::Current);
        assert!(
            keys.sign(&first, b"x").is_none(),
            "a retired key signs nothing"
        );
        assert!(keys.sign(&second, b"x").is_some());
        assert_eq!(keys.public_keys().len(), 3);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let mut keys = CourtKeys::load(&path).unwrap();
        keys.set_status(&second, KeyStatus::Revoked).unwrap();
        assert!(keys.set_status(&second, KeyStatus::Retired).is_err());
        assert!(keys.set_status("00000000", KeyStatus::Retired).is_err());
        assert_eq!(keys.current_key_id(court), None);
    }
}
