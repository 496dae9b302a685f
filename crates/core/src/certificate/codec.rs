//! The byte and text codecs of certificates: the payload's dense text encoding, the QR code's
//! base32, and the API's base64url.

/// Where the two-byte form of [`pack_text`] starts: CJK symbols and punctuation, kana, CJK
/// extension A and the unified ideographs (U+3000..=U+9FFF) take two bytes instead of UTF-8's three.
const PACKED_BASE: u32 = 0x3000;
const PACKED_END: u32 = 0xA000;

/// The payload's text encoding, denser than UTF-8 for Chinese so that a certificate fits a small
/// QR code: ASCII as one byte (`0x00..=0x7F`); U+3000..=U+9FFF as two bytes, `0x80 + (c - 0x3000) / 256`
/// then `(c - 0x3000) % 256` (so a first byte `0x80..=0xEF`); any other character of the BMP as
/// `0xF0` and its two bytes; above the BMP as `0xF1` and three bytes.
pub fn pack_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let cp = c as u32;
        if cp < 0x80 {
            out.push(cp as u8);
        } else if (PACKED_BASE..PACKED_END).contains(&cp) {
            let v = cp - PACKED_BASE;
            out.extend([0x80 + (v >> 8) as u8, (v & 0xff) as u8]);
        } else if cp <= 0xffff {
            out.extend([0xf0, (cp >> 8) as u8, (cp & 0xff) as u8]);
        } else {
            out.extend([0xf1, (cp >> 16) as u8, (cp >> 8) as u8, cp as u8]);
        }
    }
    out
}

/// Reads [`pack_text`] back; `None` for bytes it cannot have written.
pub fn unpack_text(bytes: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (cp, n) = match b {
            0x00..=0x7f => (u32::from(b), 1),
            0x80..=0xef => (
                PACKED_BASE + (u32::from(b - 0x80) << 8 | u32::from(*bytes.get(i + 1)?)),
                2,
            ),
            0xf0 => (
                u32::from(*bytes.get(i + 1)?) << 8 | u32::from(*bytes.get(i + 2)?),
                3,
            ),
            0xf1 => (
                u32::from(*bytes.get(i + 1)?) << 16
                    | u32::from(*bytes.get(i + 2)?) << 8
                    | u32::from(*bytes.get(i + 3)?),
                4,
            ),
            _ => return None,
        };
        out.push(char::from_u32(cp)?);
        i += n;
    }
    // One form only (an ASCII letter written as three bytes is not this encoding).
    (pack_text(&out) == bytes).then_some(out)
}

pub(super) const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32, capitals, no padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes [`base32_encode`]'s output (either case); `None` for anything else.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = BASE32.iter().position(|&a| a == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    // Leftover bits must be padding zeros, fewer than a byte's worth.
    (bits < 5 && buffer & ((1 << bits) - 1) == 0).then_some(out)
}

/// Decodes base64url without padding (the API's encoding of payloads and signatures); `None` for
/// anything else.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        buffer = (buffer << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    (bits < 6 && buffer & ((1 << bits) - 1) == 0).then_some(out)
}
