//! Court keys and signatures: the signed payload a QR code carries, the published keys, and the
//! verdict on a signature with no server answer.

use super::{
    codec::{base32_decode, base32_encode, base64url_decode},
    payload::CertificatePayload,
};
use crate::vocabulary::vocabulary;

/// Ed25519 signature bytes.
pub const SIGNATURE_BYTES: usize = 64;

/// The key id of a public key: the first 4 bytes of its SHA-256, as 8 hex digits.
pub fn key_id_of(public_key: &[u8; 32]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(public_key);
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// A payload and the court's signature over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedPayload {
    pub payload: Vec<u8>,
    pub signature: [u8; SIGNATURE_BYTES],
}

impl SignedPayload {
    /// The text of the certificate's QR code: the verify address on `origin`, all capitals.
    pub fn qr_text(&self, origin: &str) -> String {
        let mut blob = self.payload.clone();
        blob.extend(self.signature);
        format!(
            "{}/C/{}",
            origin.trim_end_matches('/').to_ascii_uppercase(),
            base32_encode(&blob)
        )
    }

    /// Reads what a QR code or a verifier gives: the QR text (any case), or the bare base32.
    pub fn parse(text: &str) -> Option<SignedPayload> {
        let text = text.trim();
        let blob = match text.rfind("/C/").or_else(|| text.rfind("/c/")) {
            Some(i) => &text[i + 3..],
            None => text,
        };
        let blob = base32_decode(blob.trim_end_matches('/'))?;
        if blob.len() <= SIGNATURE_BYTES {
            return None;
        }
        let (payload, signature) = blob.split_at(blob.len() - SIGNATURE_BYTES);
        Some(SignedPayload {
            payload: payload.to_vec(),
            signature: signature.try_into().ok()?,
        })
    }

    /// Whether `public_key` (Ed25519) signed the payload.
    pub fn verifies_with(&self, public_key: &[u8; 32]) -> bool {
        use ed25519_dalek::{Signature, VerifyingKey};
        let Ok(key) = VerifyingKey::from_bytes(public_key) else {
            return false;
        };
        key.verify_strict(&self.payload, &Signature::from_bytes(&self.signature))
            .is_ok()
    }
}

vocabulary! {
    /// A court key's standing, as `/.well-known/court-keys.json` gives it.
    pub enum KeyStatus {
        /// Signs new certificates.
        Current => ("current", "在用", "In use"),
        /// Signs no more; what it signed still verifies.
        Retired => ("retired", "已停用", "Retired"),
        /// Compromised: nothing it signed verifies any more.
        Revoked => ("revoked", "已吊销", "Revoked"),
    }
}

/// A court's public key as a verifier knows it (one entry of `/.well-known/court-keys.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedKey {
    pub key_id: String,
    pub court: String,
    pub public_key: [u8; 32],
    pub status: KeyStatus,
}

impl PublishedKey {
    /// From the document's text fields; `None` for a key that is not 32 base64url bytes or whose
    /// id is not its own (the id is derived from the key, so a mismatch is a broken document).
    pub fn from_fields(key_id: &str, court: &str, public_key: &str, status: &str) -> Option<Self> {
        let public_key: [u8; 32] = base64url_decode(public_key)?.try_into().ok()?;
        let status = KeyStatus::parse(status)?;
        (key_id_of(&public_key) == key_id).then(|| PublishedKey {
            key_id: key_id.to_owned(),
            court: court.to_owned(),
            public_key,
            status,
        })
    }
}

/// What a signature says, checked against the published court keys with no server answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureVerdict {
    /// The court's key signed exactly these bytes.
    Valid { court: String },
    /// The bytes were changed, or someone else signed them.
    Invalid,
    /// No published key has this id (a forgery, or keys older than the certificate).
    UnknownKey,
    /// The court revoked the key: nothing it signed can be relied on.
    RevokedKey { court: String },
}

impl SignedPayload {
    /// Checks the signature against `keys`, by the key id the payload names.
    pub fn check(&self, payload: &CertificatePayload, keys: &[PublishedKey]) -> SignatureVerdict {
        let Some(key) = keys.iter().find(|k| k.key_id == payload.key_id) else {
            return SignatureVerdict::UnknownKey;
        };
        if key.status == KeyStatus::Revoked {
            return SignatureVerdict::RevokedKey {
                court: key.court.clone(),
            };
        }
        if self.verifies_with(&key.public_key) {
            SignatureVerdict::Valid {
                court: key.court.clone(),
            }
        } else {
            SignatureVerdict::Invalid
        }
    }
}
