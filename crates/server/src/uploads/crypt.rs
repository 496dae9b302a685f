//! Evidence at rest. Every stored file has a random key of its own, kept in the file's header
//! sealed with the portal's current data key ([`Keys::seal`], bound to the file's storage key so a
//! header cannot be moved to another file). The content follows as the STREAM construction of
//! XChaCha20-Poly1305 in 64 KiB segments: memory stays at one segment whatever the file's size, a
//! changed, reordered or cut-off segment fails to decrypt, and rotating the data key only has to
//! re-seal headers.
//!
//! Layout: `PEV1` ‖ u16 (big-endian) length of the sealed key ‖ sealed key (ASCII) ‖ 19-byte nonce
//! prefix ‖ segments (each its plaintext + 16-byte tag; the last one may be shorter, or empty).

use anyhow::{bail, Context};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use bytes::{Buf, Bytes, BytesMut};
use chacha20poly1305::{
    aead::stream::{DecryptorBE32, EncryptorBE32},
    KeyInit, XChaCha20Poly1305,
};
use futures_util::{stream::BoxStream, StreamExt};
use sha2::{Digest, Sha256};

use crate::keys::Keys;
use crate::storage::{Store, Writer};

const MAGIC: &[u8; 4] = b"PEV1";
/// Plaintext bytes per segment.
const SEGMENT: usize = 64 * 1024;
const TAG: usize = 16;
/// XChaCha20's 24-byte nonce less the STREAM construction's 5-byte counter and flag.
const NONCE_PREFIX: usize = 19;

fn context(key: &str) -> String {
    format!("evidence:{key}")
}

/// What [`encrypt`] stored.
pub struct Sealed {
    /// SHA-256 (hex) of the plaintext.
    pub sha256: String,
    /// Plaintext bytes.
    pub bytes: u64,
}

/// Encrypts `plain` into the object `key` of `store`, durably; returns the plaintext's digest
/// and length. Nothing is left under `key` if it fails.
pub async fn encrypt(
    keys: &Keys,
    store: &Store,
    key: &str,
    plain: BoxStream<'_, anyhow::Result<Bytes>>,
) -> anyhow::Result<Sealed> {
    let mut writer = store.writer(key).await?;
    match write_sealed(keys, key, plain, &mut writer).await {
        Ok(sealed) => {
            writer.finish().await?;
            Ok(sealed)
        }
        Err(e) => {
            writer.abort().await;
            Err(e)
        }
    }
}

async fn write_sealed(
    keys: &Keys,
    key: &str,
    mut plain: BoxStream<'_, anyhow::Result<Bytes>>,
    writer: &mut Writer,
) -> anyhow::Result<Sealed> {
    let mut file_key = [0u8; 32];
    OsRng.fill_bytes(&mut file_key);
    let mut nonce = [0u8; NONCE_PREFIX];
    OsRng.fill_bytes(&mut nonce);
    let sealed_key = keys.seal(&context(key), &file_key);
    let mut header = MAGIC.to_vec();
    header.extend(u16::try_from(sealed_key.len())?.to_be_bytes());
    header.extend(sealed_key.as_bytes());
    header.extend(nonce);
    writer.write(header.into()).await?;

    let mut encryptor = EncryptorBE32::from_aead(
        XChaCha20Poly1305::new(&file_key.into()),
        nonce.as_ref().into(),
    );
    let mut digest = Sha256::new();
    let mut bytes = 0u64;
    let mut pending = BytesMut::with_capacity(2 * SEGMENT);
    while let Some(chunk) = plain.next().await {
        let chunk = chunk?;
        digest.update(&chunk);
        bytes += chunk.len() as u64;
        pending.extend_from_slice(&chunk);
        // A full segment is written once more data follows it: only the last may be `last`.
        while pending.len() > SEGMENT {
            let segment = pending.split_to(SEGMENT);
            let sealed = encryptor
                .encrypt_next(&segment[..])
                .map_err(|_| anyhow::anyhow!("encryption failed"))?;
            writer.write(sealed.into()).await?;
        }
    }
    let sealed = encryptor
        .encrypt_last(&pending[..])
        .map_err(|_| anyhow::anyhow!("encryption failed"))?;
    writer.write(sealed.into()).await?;
    Ok(Sealed {
        sha256: hex::encode(digest.finalize()),
        bytes,
    })
}

/// What an evidence file's header holds.
struct Header {
    /// The file's own key, sealed with a data key.
    sealed_key: String,
    nonce: [u8; NONCE_PREFIX],
}

/// Opens the object `key` and reads its header; returns the stream, the header and the bytes
/// already read past it.
async fn read_header(
    store: &Store,
    key: &str,
) -> anyhow::Result<(BoxStream<'static, anyhow::Result<Bytes>>, Header, BytesMut)> {
    let mut source = store.read(key).await?;
    let mut pending = BytesMut::new();
    fill(&mut source, &mut pending, MAGIC.len() + 2).await?;
    if &pending[..MAGIC.len()] != MAGIC {
        bail!("{key} is not an evidence file");
    }
    let sealed_len = u16::from_be_bytes([pending[4], pending[5]]) as usize;
    let end = MAGIC.len() + 2 + sealed_len + NONCE_PREFIX;
    fill(&mut source, &mut pending, end).await?;
    let header = Header {
        sealed_key: std::str::from_utf8(&pending[6..6 + sealed_len])?.to_owned(),
        nonce: pending[end - NONCE_PREFIX..end].try_into()?,
    };
    pending.advance(end);
    Ok((source, header, pending))
}

/// Reads at least `n` bytes of `source` into `buf`.
async fn fill(
    source: &mut BoxStream<'static, anyhow::Result<Bytes>>,
    buf: &mut BytesMut,
    n: usize,
) -> anyhow::Result<()> {
    while buf.len() < n {
        match source.next().await {
            Some(chunk) => buf.extend_from_slice(&chunk?),
            None => bail!("the evidence file is cut short"),
        }
    }
    Ok(())
}

struct Decrypting {
    source: BoxStream<'static, anyhow::Result<Bytes>>,
    /// `None` once the last segment (or an error) was yielded.
    decryptor: Option<DecryptorBE32<XChaCha20Poly1305>>,
    pending: BytesMut,
}

/// The plaintext of the object `key`, decrypted as it streams. The header is checked (and the
/// file key unsealed) before this returns; a damaged segment ends the stream with an error.
pub async fn decrypt(
    keys: &Keys,
    store: &Store,
    key: &str,
) -> anyhow::Result<BoxStream<'static, anyhow::Result<Bytes>>> {
    let (source, header, pending) = read_header(store, key).await?;
    let file_key: [u8; 32] = keys
        .open(&context(key), &header.sealed_key)
        .with_context(|| format!("the key of {key} does not open"))?
        .try_into()
        .map_err(|_| anyhow::anyhow!("the key of {key} is not 32 bytes"))?;
    let decryptor = DecryptorBE32::from_aead(
        XChaCha20Poly1305::new(&file_key.into()),
        header.nonce.as_ref().into(),
    );
    let state = Decrypting {
        source,
        decryptor: Some(decryptor),
        pending,
    };
    Ok(futures_util::stream::unfold(state, |mut s| async move {
        let decryptor = s.decryptor.as_mut()?;
        loop {
            if s.pending.len() > SEGMENT + TAG {
                let segment = s.pending.split_to(SEGMENT + TAG);
                let plain = decryptor.decrypt_next(&segment[..]);
                if plain.is_err() {
                    s.decryptor = None;
                }
                let plain = plain
                    .map(Bytes::from)
                    .map_err(|_| anyhow::anyhow!("an evidence segment does not decrypt"));
                return Some((plain, s));
            }
            match s.source.next().await {
                Some(Ok(chunk)) => s.pending.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    s.decryptor = None;
                    return Some((Err(e), s));
                }
                None => {
                    let last = s.decryptor.take()?.decrypt_last(&s.pending[..]);
                    let plain = last.map(Bytes::from).map_err(|_| {
                        anyhow::anyhow!("the evidence file does not decrypt or is cut short")
                    });
                    return Some((plain, s));
                }
            }
        }
    })
    .boxed())
}

/// Re-seals the file key in the header of the object `key` with the current data key when an
/// older one sealed it (after `portal-server keys rotate data`); the encrypted content is copied
/// unchanged, a stream at a time. Returns whether the object was rewritten.
pub async fn reseal(keys: &Keys, store: &Store, key: &str) -> anyhow::Result<bool> {
    let (mut source, header, pending) = read_header(store, key).await?;
    if !keys.is_stale(&header.sealed_key) {
        return Ok(false);
    }
    let file_key = keys
        .open(&context(key), &header.sealed_key)
        .with_context(|| format!("the key of {key} does not open"))?;
    let resealed = keys.seal(&context(key), &file_key);
    let mut head = MAGIC.to_vec();
    head.extend(u16::try_from(resealed.len())?.to_be_bytes());
    head.extend(resealed.as_bytes());
    head.extend(header.nonce);
    let mut writer = store.writer(key).await?;
    let copied: anyhow::Result<()> = async {
        writer.write(head.into()).await?;
        if !pending.is_empty() {
            writer.write(pending.freeze()).await?;
        }
        while let Some(chunk) = source.next().await {
            writer.write(chunk?).await?;
        }
        Ok(())
    }
    .await;
    match copied {
        Ok(()) => {
            writer.finish().await?;
            Ok(true)
        }
        Err(e) => {
            writer.abort().await;
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;

    fn chunks(data: &[u8], size: usize) -> BoxStream<'static, anyhow::Result<Bytes>> {
        let parts: Vec<anyhow::Result<Bytes>> = data
            .chunks(size.max(1))
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        futures_util::stream::iter(parts).boxed()
    }

    #[tokio::test]
    async fn files_round_trip_sealed_and_bound_to_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut keys = Keys::load_or_create(&dir.path().join("keys.json")).unwrap();
        let store = Store::local(dir.path().join("store")).unwrap();
        for (size, chunk) in [
            (0usize, 1usize),
            (1, 1),
            (SEGMENT - 1, 1000),
            (SEGMENT, 7),
            (SEGMENT + 1, SEGMENT),
            (3 * SEGMENT + 17, 5000),
        ] {
            let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let sealed = encrypt(&keys, &store, "evidence/a/original", chunks(&plain, chunk))
                .await
                .unwrap();
            assert_eq!(sealed.sha256, hex::encode(Sha256::digest(&plain)));
            assert_eq!(sealed.bytes, size as u64);
            let stored = std::fs::read(dir.path().join("store/evidence/a/original")).unwrap();
            if size > 64 {
                assert!(
                    !stored.windows(64).any(|w| w == &plain[..64]),
                    "no plaintext at rest"
                );
            }
            let back: Vec<Bytes> = decrypt(&keys, &store, "evidence/a/original")
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(back.concat(), plain, "{size}");

            // Moved to another key, the header no longer opens.
            std::fs::write(dir.path().join("store/evidence/b"), &stored).unwrap();
            assert!(decrypt(&keys, &store, "evidence/b").await.is_err());
            // Cut short or changed, the content no longer decrypts.
            for damaged in [&stored[..stored.len() - 1], &{
                let mut s = stored.clone();
                let last = s.len() - 1;
                s[last] ^= 1;
                s
            }] {
                std::fs::write(dir.path().join("store/evidence/a/original"), damaged).unwrap();
                let read: anyhow::Result<Vec<Bytes>> =
                    match decrypt(&keys, &store, "evidence/a/original").await {
                        Ok(s) => s.try_collect().await,
                        Err(e) => Err(e),
                    };
                assert!(read.is_err(), "{size}");
            }
        }
        // A rotated data key still opens what the old one sealed.
        let plain = b"%PDF-1.7 evidence".to_vec();
        encrypt(&keys, &store, "evidence/c", chunks(&plain, 4))
            .await
            .unwrap();
        keys.rotate_data().unwrap();
        let back: Vec<Bytes> = decrypt(&keys, &store, "evidence/c")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(back.concat(), plain);
        // Re-sealed once, the file opens after the old key is forgotten.
        assert!(reseal(&keys, &store, "evidence/c").await.unwrap());
        assert!(!reseal(&keys, &store, "evidence/c").await.unwrap());
        assert_eq!(keys.drop_old_data_keys().unwrap(), 1);
        let back: Vec<Bytes> = decrypt(&keys, &store, "evidence/c")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(back.concat(), plain);
    }
}
