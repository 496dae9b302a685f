//! What a file is, decided by its bytes and never by its name, and the display copy of a photo:
//! its pixels only — no GPS position, camera make, model or serial, no capture time — turned
//! upright as its EXIF orientation says, so staff see it the way the phone showed it.

use std::io::Cursor;

use anyhow::Context;
use image::{codecs::jpeg::JpegEncoder, metadata::Orientation, ImageReader, Limits};

/// Bytes [`sniff`] needs to decide.
pub const SNIFF_BYTES: usize = 16;
/// The longest side of a display copy, in pixels: enough to read a number plate.
const DISPLAY_MAX_SIDE: u32 = 2048;
/// The largest photo decoded for a display copy, per side and in decoder memory: a
/// decompression bomb gets no display copy (its original is still kept as evidence).
const DECODE_MAX_SIDE: u32 = 20_000;
const DECODE_MAX_ALLOC: u64 = 256 * 1024 * 1024;
const DISPLAY_QUALITY: u8 = 85;

/// The evidence types, recognised by their first bytes: JPEG, PNG, WebP, HEIC/HEIF, PDF, MP4.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    let brand = |brands: &[&[u8; 4]]| {
        head.len() >= 12 && &head[4..8] == b"ftyp" && brands.iter().any(|b| &head[8..12] == *b)
    };
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if brand(&[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
    ]) {
        Some("image/heic")
    } else if head.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if brand(&[
        b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"dash",
        b"3gp4", b"3gp5", b"3gp6", b"qt  ",
    ]) {
        Some("video/mp4")
    } else {
        None
    }
}

/// Whether files of this (sniffed) type get a display copy: the photos the server can decode.
pub fn has_display_copy(content_type: &str) -> bool {
    matches!(content_type, "image/jpeg" | "image/png" | "image/webp")
}

/// A JPEG of the photo's pixels, turned upright and at most [`DISPLAY_MAX_SIDE`] on its longer
/// side. Encoding from pixels carries no metadata over: the copy has no EXIF, XMP or ICC data.
pub fn display_copy(photo: &[u8]) -> anyhow::Result<Vec<u8>> {
    let orientation = exif::Reader::new()
        .read_from_container(&mut Cursor::new(photo))
        .ok()
        .and_then(|e| {
            e.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
                .and_then(|f| f.value.get_uint(0))
        })
        .and_then(|v| u8::try_from(v).ok())
        .and_then(Orientation::from_exif)
        .unwrap_or(Orientation::NoTransforms);
    let mut limits = Limits::default();
    limits.max_image_width = Some(DECODE_MAX_SIDE);
    limits.max_image_height = Some(DECODE_MAX_SIDE);
    limits.max_alloc = Some(DECODE_MAX_ALLOC);
    let mut reader = ImageReader::new(Cursor::new(photo)).with_guessed_format()?;
    reader.limits(limits);
    let mut image = reader.decode().context("the photo cannot be decoded")?;
    image.apply_orientation(orientation);
    if image.width().max(image.height()) > DISPLAY_MAX_SIDE {
        image = image.resize(
            DISPLAY_MAX_SIDE,
            DISPLAY_MAX_SIDE,
            image::imageops::FilterType::Triangle,
        );
    }
    let mut out = Vec::new();
    image
        .to_rgb8()
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, DISPLAY_QUALITY))?;
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
        assert_eq!(sniff(b"\0\0\0\x18ftypmif1\0\0\0\0"), Some("image/heic"));
        assert_eq!(sniff(b"\0\0\0\x18ftypisom\0\0\0\0"), Some("video/mp4"));
        assert_eq!(sniff(b"\0\0\0\x18ftypmp42\0\0\0\0"), Some("video/mp4"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"<!DOCTYPE html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"PK\x03\x04"), None);
        assert_eq!(sniff(b"\0\0\0\x18ftypzzzz\0\0\0\0"), None);
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI "), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn display_copies_are_upright_jpegs_of_the_pixels() {
        let mut png = Vec::new();
        image::RgbImage::from_fn(30, 10, |x, _| image::Rgb([x as u8 * 8, 0, 0]))
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let copy = display_copy(&png).unwrap();
        assert_eq!(sniff(&copy), Some("image/jpeg"));
        let shown = image::load_from_memory(&copy).unwrap();
        assert_eq!((shown.width(), shown.height()), (30, 10));
        assert!(display_copy(b"<html></html>").is_err());
        assert!(has_display_copy("image/webp"));
        assert!(!has_display_copy("image/heic"));
        assert!(!has_display_copy("application/pdf"));
    }
}
