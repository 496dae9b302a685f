//! What a finished upload becomes: its type decided by its bytes, an encrypted original kept as
//! evidence, and for images a display copy with every piece of metadata gone (GPS, make, model,
//! serial, capture time) but the orientation applied to the pixels.

use std::{
    fs::File,
    io::{BufReader, BufWriter, Read, Write},
    path::Path,
};

use anyhow::{bail, Context};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chacha20poly1305::{
    aead::stream::{DecryptorBE32, EncryptorBE32},
    KeyInit, XChaCha20Poly1305,
};
use sha2::{Digest, Sha256};

use crate::keys::Keys;

/// Plaintext bytes per encrypted segment.
const SEGMENT: usize = 64 * 1024;
/// XChaCha20's 24-byte nonce less the STREAM construction's 5-byte counter.
const NONCE_PREFIX: usize = 19;
/// The longest side of a display copy, in pixels: enough to read a number plate.
const DISPLAY_MAX_SIDE: u32 = 2048;

/// The file types evidence may have, recognised by their first bytes.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    let ftyp = |brands: &[&[u8]]| {
        head.len() >= 12 && &head[4..8] == b"ftyp" && brands.iter().any(|b| &head[8..12] == *b)
    };
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if ftyp(&[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
    ]) {
        Some("image/heic")
    } else if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if ftyp(&[
        b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash", b"3gp4", b"3gp5", b"qt  ",
    ]) {
        Some("video/mp4")
    } else {
        None
    }
}

/// Encrypts `plain` into `out` with the current data key: a header (key id, nonce prefix) then
/// STREAM segments of XChaCha20-Poly1305, bound to `context`. Returns the SHA-256 of the
/// plaintext. Memory stays at one segment whatever the file's size.
pub fn encrypt_file(
    keys: &Keys,
    context: &str,
    plain: &Path,
    out: &Path,
) -> anyhow::Result<String> {
    let (key_id, key) = keys.current_data_key();
    let mut nonce = [0u8; NONCE_PREFIX];
    OsRng.fill_bytes(&mut nonce);
    let mut encryptor =
        EncryptorBE32::from_aead(XChaCha20Poly1305::new(&key.into()), nonce.as_ref().into());
    let mut reader = BufReader::new(File::open(plain).context("staged upload missing")?);
    let tmp = out.with_extension("tmp");
    let mut writer = BufWriter::new(File::create(&tmp)?);
    writer.write_all(&[key_id.len() as u8])?;
    writer.write_all(key_id.as_bytes())?;
    writer.write_all(&nonce)?;
    let mut digest = Sha256::new();
    let mut buf = vec![0u8; SEGMENT];
    let mut filled = read_full(&mut reader, &mut buf)?;
    loop {
        let mut next = vec![0u8; SEGMENT];
        let next_filled = if filled == SEGMENT {
            read_full(&mut reader, &mut next)?
        } else {
            0
        };
        digest.update(&buf[..filled]);
        let aad = context.as_bytes();
        if next_filled == 0 {
            let ct = encryptor
                .encrypt_last(chacha20poly1305::aead::Payload {
                    msg: &buf[..filled],
                    aad,
                })
                .map_err(|_| anyhow::anyhow!("encryption failed"))?;
            writer.write_all(&ct)?;
            break;
        }
        let ct = encryptor
            .encrypt_next(chacha20poly1305::aead::Payload {
                msg: &buf[..filled],
                aad,
            })
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        writer.write_all(&ct)?;
        buf = next;
        filled = next_filled;
    }
    let file = writer.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&tmp, out)?;
    if let Some(dir) = out.parent() {
        File::open(dir)?.sync_all()?;
    }
    Ok(hex::encode(digest.finalize()))
}

fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Decrypts a file [`encrypt_file`] wrote for `context`.
pub fn decrypt_file(keys: &Keys, context: &str, path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut reader = BufReader::new(File::open(path).context("evidence file missing")?);
    let mut len = [0u8; 1];
    reader.read_exact(&mut len)?;
    let mut key_id = vec![0u8; len[0] as usize];
    reader.read_exact(&mut key_id)?;
    let key_id = String::from_utf8(key_id)?;
    let key = keys
        .data_key(&key_id)
        .with_context(|| format!("unknown data key {key_id}"))?;
    let mut nonce = [0u8; NONCE_PREFIX];
    reader.read_exact(&mut nonce)?;
    let mut decryptor =
        DecryptorBE32::from_aead(XChaCha20Poly1305::new(&key.into()), nonce.as_ref().into());
    let mut out = Vec::new();
    let segment = SEGMENT + 16;
    let mut buf = vec![0u8; segment];
    let mut filled = read_full(&mut reader, &mut buf)?;
    loop {
        let mut next = vec![0u8; segment];
        let next_filled = if filled == segment {
            read_full(&mut reader, &mut next)?
        } else {
            0
        };
        let aad = context.as_bytes();
        let payload = chacha20poly1305::aead::Payload {
            msg: &buf[..filled],
            aad,
        };
        if next_filled == 0 {
            out.extend(
                decryptor
                    .decrypt_last(payload)
                    .map_err(|_| anyhow::anyhow!("evidence file does not decrypt"))?,
            );
            return Ok(out);
        }
        out.extend(
            decryptor
                .decrypt_next(payload)
                .map_err(|_| anyhow::anyhow!("evidence file does not decrypt"))?,
        );
        buf = next;
        filled = next_filled;
    }
}

/// A JPEG of the image's pixels only, turned as its EXIF orientation says and at most
/// [`DISPLAY_MAX_SIDE`] on its longer side. Re-encoding from pixels carries no metadata over.
pub fn display_copy(original: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = std::fs::read(original)?;
    let orientation = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&bytes))
        .ok()
        .and_then(|e| {
            e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
        })
        .unwrap_or(1);
    let image = image::load_from_memory(&bytes).context("the image cannot be decoded")?;
    let image = match orientation {
        2 => image.fliph(),
        3 => image.rotate180(),
        4 => image.flipv(),
        5 => image.rotate90().fliph(),
        6 => image.rotate90(),
        7 => image.rotate270().fliph(),
        8 => image.rotate270(),
        _ => image,
    };
    let image = if image.width().max(image.height()) > DISPLAY_MAX_SIDE {
        image.resize(
            DISPLAY_MAX_SIDE,
            DISPLAY_MAX_SIDE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        image
    };
    let mut out = Vec::new();
    image.to_rgb8().write_to(
        &mut std::io::Cursor::new(&mut out),
        image::ImageFormat::Jpeg,
    )?;
    if out.is_empty() {
        bail!("empty display copy");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_decided_by_content() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0"), Some("image/heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Some("video/mp4"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"<!DOCTYPE html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"PK\x03\x04"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn files_round_trip_encrypted_and_bound_to_their_context() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keys::load_or_create(&dir.path().join("keys.json")).unwrap();
        for size in [
            0usize,
            1,
            SEGMENT - 1,
            SEGMENT,
            SEGMENT + 1,
            3 * SEGMENT + 17,
        ] {
            let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let (src, enc) = (dir.path().join("p"), dir.path().join("e"));
            std::fs::write(&src, &plain).unwrap();
            let digest = encrypt_file(&keys, "evidence:a", &src, &enc).unwrap();
            assert_eq!(digest, hex::encode(Sha256::digest(&plain)));
            let stored = std::fs::read(&enc).unwrap();
            if size > 64 {
                assert!(
                    !stored.windows(64).any(|w| w == &plain[..64]),
                    "no plaintext at rest"
                );
            }
            assert_eq!(
                decrypt_file(&keys, "evidence:a", &enc).unwrap(),
                plain,
                "{size}"
            );
            assert!(decrypt_file(&keys, "evidence:b", &enc).is_err());
        }
    }
}
