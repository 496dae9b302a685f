//! The payload a court signs and a QR code carries, so that a verifier can check a certificate with
//! no server answer. `docs/certificates.md` documents it for verifiers outside this project.
//!
//! The payload is binary (version 1), big-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | version, `1` |
//! | 4 | key id: the first 4 bytes of SHA-256 of the court key's public key (shown as 8 hex digits) |
//! | 4 | serial (u32); the certificate number is the serial in 9 digits plus a Damm check digit |
//! | 4 | issued at (u32, Unix seconds) |
//! | 2 | performed on (u16, days since 2000-01-01) |
//! | 1 | stage: 1 before judgment, 2 during trial, 3 before an enforcement filing, 4 during enforcement |
//! | 1–10 | amount performed in fen (unsigned LEB128) |
//! | 1 + n | subject: `1` then the masked ID's 14 visible characters (first 10, last 4), or `2` then the 18-character credit code |
//! | 1 + n | name: length, then the text packed by [`pack_text`] (Chinese in two bytes) |
//! | 1 + n | case number: length, then packed the same way |
//!
//! The court's Ed25519 signature (64 bytes) is over exactly these bytes. A QR code carries
//! `{ORIGIN}/C/{BASE32(payload ‖ signature)}` in capitals (RFC 4648 base32 without padding), so the
//! whole text fits the QR alphanumeric mode.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    codec::{pack_text, unpack_text},
    number::certificate_number,
};
use crate::{notice::SubjectId, stage::Stage};

/// The payload format this module writes.
pub const PAYLOAD_VERSION: u8 = 1;

/// Days from 2000-01-01, the payload's epoch.
pub(super) fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

/// Who a certificate is about, as the payload carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum PayloadSubject {
    /// The 14 visible characters of a masked ID number: its first 10 and last 4.
    Person(String),
    /// The full unified social credit code.
    Organization(String),
}

impl PayloadSubject {
    /// From a full identifier: ID numbers lose their birth month and day.
    pub fn of(id: &SubjectId) -> PayloadSubject {
        match id {
            SubjectId::Person(id) => {
                let s = id.as_str();
                PayloadSubject::Person(format!("{}{}", &s[..10], &s[14..]))
            }
            SubjectId::Organization(code) => PayloadSubject::Organization(code.as_str().to_owned()),
        }
    }

    /// As shown on the certificate: `3302251985****1231`, or the credit code.
    pub fn shown(&self) -> String {
        match self {
            PayloadSubject::Person(v) if v.len() == 14 => format!("{}****{}", &v[..10], &v[10..]),
            PayloadSubject::Person(v) | PayloadSubject::Organization(v) => v.clone(),
        }
    }
}

/// What a court signs when it issues a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificatePayload {
    /// 8 hex digits naming the court key that signed it.
    pub key_id: String,
    pub serial: u32,
    /// Unix seconds.
    pub issued_at: u32,
    pub performed_on: NaiveDate,
    pub stage: Stage,
    /// In fen (0.01 yuan).
    pub amount_fen: u64,
    pub subject: PayloadSubject,
    pub name: String,
    pub case_number: String,
}

/// Why bytes are not a certificate payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// Cut short, too long, or not in the one canonical form.
    Malformed,
    /// A version this code does not know.
    Version(u8),
}

impl std::fmt::Display for PayloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PayloadError::Malformed => f.write_str("not a certificate payload"),
            PayloadError::Version(v) => write!(f, "payload version {v} is not known"),
        }
    }
}

fn hex4(key_id: &str) -> Option<[u8; 4]> {
    if key_id.len() != 8 {
        return None;
    }
    let mut out = [0u8; 4];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(key_id.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl CertificatePayload {
    /// The certificate number.
    pub fn number(&self) -> String {
        certificate_number(self.serial)
    }

    /// The canonical bytes that are signed. Panics on values no validated certificate has (a key
    /// id that is not 8 hex digits, a date before 2000, a name or case number over 255 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![PAYLOAD_VERSION];
        out.extend(hex4(&self.key_id).expect("key ids are 8 hex digits"));
        out.extend(self.serial.to_be_bytes());
        out.extend(self.issued_at.to_be_bytes());
        let days = u16::try_from((self.performed_on - epoch()).num_days())
            .expect("performed between 2000 and 2179");
        out.extend(days.to_be_bytes());
        out.push(self.stage.code());
        let mut amount = self.amount_fen;
        loop {
            let low = (amount & 0x7f) as u8;
            amount >>= 7;
            if amount == 0 {
                out.push(low);
                break;
            }
            out.push(low | 0x80);
        }
        match &self.subject {
            PayloadSubject::Person(v) => {
                out.push(1);
                out.extend(v.as_bytes());
            }
            PayloadSubject::Organization(v) => {
                out.push(2);
                out.extend(v.as_bytes());
            }
        }
        for text in [&self.name, &self.case_number] {
            let packed = pack_text(text);
            out.push(u8::try_from(packed.len()).expect("at most 255 bytes"));
            out.extend(packed);
        }
        out
    }

    /// Reads the canonical bytes back; anything else (cut short, trailing bytes, a non-minimal
    /// amount, an unknown stage or subject kind, bad UTF-8) is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<CertificatePayload, PayloadError> {
        use PayloadError::Malformed;
        let mut r = Reader { bytes, at: 0 };
        let version = r.byte()?;
        if version != PAYLOAD_VERSION {
            return Err(PayloadError::Version(version));
        }
        let key_id: String = r.take(4)?.iter().map(|b| format!("{b:02x}")).collect();
        let serial = u32::from_be_bytes(r.take(4)?.try_into().map_err(|_| Malformed)?);
        let issued_at = u32::from_be_bytes(r.take(4)?.try_into().map_err(|_| Malformed)?);
        let days = u16::from_be_bytes(r.take(2)?.try_into().map_err(|_| Malformed)?);
        let performed_on = epoch() + chrono::Days::new(u64::from(days));
        let stage = Stage::from_code(r.byte()?).ok_or(Malformed)?;
        let mut amount_fen: u64 = 0;
        for shift in (0..70).step_by(7) {
            let b = r.byte()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(Malformed);
            }
            amount_fen |= bits << shift;
            if b & 0x80 == 0 {
                break;
            }
            if shift == 63 {
                return Err(Malformed);
            }
        }
        let subject = match r.byte()? {
            1 => PayloadSubject::Person(r.ascii(14)?),
            2 => PayloadSubject::Organization(r.ascii(18)?),
            _ => return Err(Malformed),
        };
        let name = r.text()?;
        let case_number = r.text()?;
        if r.at != bytes.len() {
            return Err(Malformed);
        }
        let payload = CertificatePayload {
            key_id,
            serial,
            issued_at,
            performed_on,
            stage,
            amount_fen,
            subject,
            name,
            case_number,
        };
        // One form only: a padded amount, say, is a different byte string for the same facts.
        if payload.to_bytes() != bytes {
            return Err(Malformed);
        }
        Ok(payload)
    }

    /// The amount as shown: `12,500.00`.
    pub fn amount_shown(&self) -> String {
        let yuan = self.amount_fen / 100;
        format!(
            "{}.{:02}",
            crate::numbers::group_digits(yuan as i64),
            self.amount_fen % 100
        )
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], PayloadError> {
        let end = self.at.checked_add(n).ok_or(PayloadError::Malformed)?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(PayloadError::Malformed)?;
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, PayloadError> {
        Ok(self.take(1)?[0])
    }

    fn ascii(&mut self, n: usize) -> Result<String, PayloadError> {
        let raw = self.take(n)?;
        if !raw.iter().all(|b| b.is_ascii_alphanumeric()) {
            return Err(PayloadError::Malformed);
        }
        String::from_utf8(raw.to_vec()).map_err(|_| PayloadError::Malformed)
    }

    fn text(&mut self) -> Result<String, PayloadError> {
        let n = self.byte()? as usize;
        unpack_text(self.take(n)?).ok_or(PayloadError::Malformed)
    }
}
