//! Self-performance certificates (自动履行证明书): the application a debtor sends, and the compact
//! payload a court signs and a QR code carries, so that a verifier can check it with no server
//! answer. `docs/certificates.md` documents the payload for verifiers outside this project.
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

use crate::{
    case_number::CaseNumber,
    error::{ErrorCode, FieldError, Invalid},
    name::PersonName,
    notice::{parse_date, SubjectId},
    tip::{damm_digit, parse_phone},
    vocabulary::vocabulary,
};

vocabulary! {
    /// When the debtor performed, relative to the case.
    pub enum Stage {
        BeforeJudgment => ("before_judgment", "判决前", "Before judgment"),
        DuringTrial => ("during_trial", "诉讼中", "During trial"),
        BeforeEnforcement => ("before_enforcement", "申请执行前", "Before an enforcement filing"),
        DuringEnforcement => ("during_enforcement", "执行中", "During enforcement"),
    }
}

impl Stage {
    fn code(self) -> u8 {
        match self {
            Stage::BeforeJudgment => 1,
            Stage::DuringTrial => 2,
            Stage::BeforeEnforcement => 3,
            Stage::DuringEnforcement => 4,
        }
    }

    fn from_code(code: u8) -> Option<Stage> {
        Stage::ALL.iter().copied().find(|s| s.code() == code)
    }
}

/// The payload format this module writes.
pub const PAYLOAD_VERSION: u8 = 1;
/// Largest amount, in yuan: 1,000 billion.
pub const MAX_AMOUNT_YUAN: u64 = 1_000_000_000_000;
/// Ed25519 signature bytes.
pub const SIGNATURE_BYTES: usize = 64;

/// Days from 2000-01-01, the payload's epoch.
fn epoch() -> NaiveDate {
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

/// The key id of a public key: the first 4 bytes of its SHA-256, as 8 hex digits.
pub fn key_id_of(public_key: &[u8; 32]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(public_key);
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The certificate number of a serial: 9 digits and a Damm check digit (`0000001237`).
pub fn certificate_number(serial: u32) -> String {
    let body = format!("{serial:09}");
    format!("{body}{}", damm_digit(&body))
}

/// Parses a typed certificate number (spaces and dashes allowed, full-width digits folded) back
/// to its serial; a wrong check digit is a typing error.
pub fn parse_certificate_number(input: &str) -> Result<u32, Invalid> {
    let digits: String = input
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if digits.is_empty() {
        return Err(Invalid::missing());
    }
    if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "证明书编号为10位数字",
            "A certificate number has 10 digits",
        ));
    }
    if damm_digit(&digits[..9]) != digits.as_bytes()[9] as char {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "证明书编号有误，请核对是否输错",
            "This certificate number is wrong; check it for a typing error",
        ));
    }
    digits[..9]
        .parse()
        .map_err(|_| Invalid::new(ErrorCode::InvalidValue, "编号过大", "Number too large"))
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

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

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

/// `POST /api/v1/certificates/applications`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationRequest {
    pub case_number: String,
    pub name: String,
    /// An ID number, or a credit code for an organisation.
    pub id_number: String,
    pub stage: String,
    /// In yuan, with up to two decimals (`12500` or `"12500.50"`).
    #[serde(deserialize_with = "number_or_text")]
    pub amount: String,
    pub performed_on: String,
    pub phone: String,
    pub honour_consent: bool,
}

fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Amount {
        Whole(u64),
        Decimal(f64),
        Text(String),
    }
    Ok(match Amount::deserialize(d)? {
        Amount::Whole(n) => n.to_string(),
        // The shortest text that reads back as the same number: 12500.5, never 12500.499999.
        Amount::Decimal(n) => n.to_string(),
        Amount::Text(t) => t,
    })
}

/// A checked [`ApplicationRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidApplication {
    pub case_number: CaseNumber,
    pub name: PersonName,
    pub subject: SubjectId,
    pub stage: Stage,
    pub amount_fen: u64,
    pub performed_on: NaiveDate,
    pub phone: String,
    pub honour_consent: bool,
}

/// Parses an amount in yuan (`12500`, `12,500.5`, `１２５００`) into fen; it must be above zero.
pub fn parse_amount_fen(input: &str) -> Result<u64, Invalid> {
    let folded: String = input
        .trim()
        .chars()
        .map(crate::text::fold_width)
        .filter(|c| *c != ',')
        .collect();
    let folded = folded.trim_end_matches('元').trim();
    if folded.is_empty() {
        return Err(Invalid::missing());
    }
    let bad = || {
        Invalid::new(
            ErrorCode::InvalidValue,
            "金额格式不正确，应为大于0的数字，最多两位小数（如 12500.50）",
            "The amount must be a number above 0 with at most two decimals (such as 12500.50)",
        )
    };
    let (whole, fraction) = folded.split_once('.').unwrap_or((folded, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let yuan: u64 = whole.parse().map_err(|_| bad())?;
    if yuan > MAX_AMOUNT_YUAN {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "金额过大",
            "The amount is too large",
        ));
    }
    let fen = yuan * 100
        + format!("{fraction:0<2}")
            .parse::<u64>()
            .map_err(|_| bad())?;
    if fen == 0 {
        return Err(bad());
    }
    Ok(fen)
}

impl ApplicationRequest {
    /// Checks every field against `today`; reports every bad field in form order.
    pub fn validate_on(&self, today: NaiveDate) -> Result<ValidApplication, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut record = |field: &str, r: Result<(), Invalid>| {
            if let Err(e) = r {
                errors.push(e.at(field));
            }
        };
        let case_number = CaseNumber::parse(&self.case_number);
        record(
            "case_number",
            case_number.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let name = PersonName::parse(&self.name);
        record("name", name.as_ref().map(|_| ()).map_err(Clone::clone));
        let subject = SubjectId::parse_any(&self.id_number);
        record(
            "id_number",
            subject.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        if let Ok(SubjectId::Person(id)) = &subject {
            if id.birth_date() > today {
                record(
                    "id_number",
                    Err(Invalid::new(
                        ErrorCode::InvalidIdNumber,
                        "身份证号码中的出生日期晚于今天",
                        "The birth date in this ID number is after today",
                    )),
                );
            }
        }
        let stage = Stage::parse(&self.stage);
        if stage.is_none() {
            record(
                "stage",
                Err(if self.stage.trim().is_empty() {
                    Invalid::new(
                        ErrorCode::MissingField,
                        "请选择履行阶段",
                        "Choose when the obligation was performed",
                    )
                } else {
                    Invalid::new(ErrorCode::InvalidValue, "未知的履行阶段", "Unknown stage")
                }),
            );
        }
        let amount = parse_amount_fen(&self.amount);
        record("amount", amount.as_ref().map(|_| ()).map_err(Clone::clone));
        let performed_on = parse_date(&self.performed_on).and_then(|d| {
            if d > today {
                Err(Invalid::new(
                    ErrorCode::InvalidDate,
                    "履行日期不能晚于今天",
                    "The date performed cannot be after today",
                ))
            } else if d < epoch() {
                Err(Invalid::new(
                    ErrorCode::InvalidDate,
                    "履行日期不能早于2000年",
                    "The date performed cannot be before 2000",
                ))
            } else {
                Ok(d)
            }
        });
        record(
            "performed_on",
            performed_on.as_ref().map(|_| ()).map_err(Clone::clone),
        );
        let phone = parse_phone(&self.phone);
        record("phone", phone.as_ref().map(|_| ()).map_err(Clone::clone));
        if let Ok(n) = &name {
            // The QR code has room for about 60 bytes of name.
            if n.display().len() > 90 {
                record(
                    "name",
                    Err(Invalid::new(
                        ErrorCode::TooLong,
                        "名称过长（最多30个汉字）",
                        "The name is too long (at most 30 Chinese characters)",
                    )),
                );
            }
        }
        match (
            case_number,
            name,
            subject,
            stage,
            amount,
            performed_on,
            phone,
        ) {
            (
                Ok(case_number),
                Ok(name),
                Ok(subject),
                Some(stage),
                Ok(amount_fen),
                Ok(performed_on),
                Ok(phone),
            ) if errors.is_empty() => Ok(ValidApplication {
                case_number,
                name,
                subject,
                stage,
                amount_fen,
                performed_on,
                phone,
                honour_consent: self.honour_consent,
            }),
            _ => Err(errors),
        }
    }
}

/// `201` answer to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationAccepted {
    /// 16 digits with a Damm check digit, shown as 4×4 groups.
    pub application_code: String,
    pub pin: String,
    /// For the creditor (申请执行人): 16 digits like the application code, passed on by the
    /// applicant, with which the creditor confirms or disputes the performance.
    #[serde(default)]
    pub creditor_code: String,
    /// The last day the creditor can answer (`YYYY-MM-DD`, the court's calendar).
    #[serde(default)]
    pub creditor_deadline: String,
}

/// Days a creditor has to answer.
pub const CREDITOR_DAYS: u64 = 7;

/// `POST /api/v1/certificates/confirmations/lookup` and `…/confirmations`: the creditor's code,
/// and (for the answer) `confirmed` or `disputed` with an optional note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditorRequest {
    pub creditor_code: String,
    pub answer: String,
    pub note: Option<String>,
}

vocabulary! {
    /// The creditor's answer to a declared performance.
    pub enum CreditorAnswer {
        Confirmed => ("confirmed", "已确认", "Confirmed"),
        Disputed => ("disputed", "有异议", "Disputed"),
    }
}

impl CreditorRequest {
    /// The canonical code, alone (a lookup).
    pub fn code(&self) -> Result<String, Vec<FieldError>> {
        crate::tip::parse_tracking_code(&self.creditor_code)
            .map_err(|e| vec![e.at("creditor_code")])
    }

    /// The code, the answer and the trimmed note (required when disputing, at most 200
    /// characters).
    pub fn validate(&self) -> Result<(String, CreditorAnswer, Option<String>), Vec<FieldError>> {
        let mut errors = Vec::new();
        let code = crate::tip::parse_tracking_code(&self.creditor_code);
        if let Err(e) = &code {
            errors.push(e.clone().at("creditor_code"));
        }
        let answer = match self.answer.trim() {
            "confirmed" => Some(CreditorAnswer::Confirmed),
            "disputed" => Some(CreditorAnswer::Disputed),
            _ => {
                errors.push(
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "请选择确认或提出异议",
                        "Confirm, or dispute",
                    )
                    .at("answer"),
                );
                None
            }
        };
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        let n = note.as_deref().map(|n| n.chars().count()).unwrap_or(0);
        if answer == Some(CreditorAnswer::Disputed) && note.is_none() {
            errors.push(
                Invalid::new(
                    ErrorCode::MissingField,
                    "提出异议时请说明理由",
                    "Say why you dispute it",
                )
                .at("note"),
            );
        } else if n > 200 {
            errors.push(
                Invalid::new(
                    ErrorCode::TooLong,
                    format!("说明最多200个字，当前为{n}个字"),
                    format!("At most 200 characters are allowed; this has {n}"),
                )
                .at("note"),
            );
        }
        match (code, answer) {
            (Ok(code), Some(answer)) if errors.is_empty() => Ok((code, answer, note)),
            _ => Err(errors),
        }
    }
}

/// What the creditor sees of an application before answering (no ID, no phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditorView {
    pub case_number: String,
    pub name: String,
    pub stage: Stage,
    /// In yuan, as shown (`12,500.00`).
    pub amount: String,
    pub performed_on: String,
    pub court: String,
    /// The last day to answer.
    pub deadline: String,
    /// The answer already given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<CreditorAnswer>,
}

/// The creditor's word as the court's reviewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditorState {
    /// The last day to answer.
    pub deadline: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<CreditorAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/v1/certificates/applications/status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationStatusRequest {
    pub application_code: String,
    pub pin: String,
}

impl ApplicationStatusRequest {
    /// The canonical code and PIN, or field errors.
    pub fn validate(&self) -> Result<(String, String), Vec<FieldError>> {
        crate::tip::TipStatusRequest {
            tracking_code: self.application_code.clone(),
            pin: self.pin.clone(),
        }
        .validate()
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|mut e| {
                    if e.field == "tracking_code" {
                        e.field = "application_code".into();
                    }
                    e
                })
                .collect()
        })
    }
}

vocabulary! {
    /// Where an application stands.
    pub enum ApplicationStatus {
        Pending => ("pending", "待审核", "Pending"),
        Issued => ("issued", "已出具", "Issued"),
        Refused => ("refused", "未通过", "Refused"),
    }
}

vocabulary! {
    /// Where a certificate stands.
    pub enum CertificateStatus {
        Valid => ("valid", "有效", "Valid"),
        Revoked => ("revoked", "已撤销", "Revoked"),
        Superseded => ("superseded", "已被替换", "Superseded"),
    }
}

/// A certificate as the public and verifiers get it (`GET /api/v1/certificates/{number}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateRecord {
    pub number: String,
    pub status: CertificateStatus,
    /// Base64url of the payload bytes.
    pub payload: String,
    /// Base64url of the court's Ed25519 signature over the payload bytes.
    pub signature: String,
    pub key_id: String,
    pub court: String,
    /// RFC 3339.
    pub issued_at: String,
    /// Why it was revoked or superseded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it was revoked or superseded (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<String>,
    /// The number of the certificate that replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
}

/// `GET /api/v1/certificates/{number}` without the subject's name, or with another name: the
/// status and nothing that identifies anyone (DESIGN §7.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CertificateStatusOnly {
    pub number: String,
    pub status: CertificateStatus,
}

/// One online verification of a certificate, as its subject sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationEntry {
    pub number: String,
    /// RFC 3339.
    pub at: String,
    /// `qr`, `number` or `partner`.
    pub channel: String,
    /// The partner's name, when a partner verified through the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<String>,
}

/// The applicant's status page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationState {
    pub status: ApplicationStatus,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Its certificates, newest first.
    pub certificates: Vec<CertificateRecord>,
    /// Who verified them, newest first.
    pub verifications: Vec<VerificationEntry>,
}

/// An application in a court's queue (`GET /api/v1/staff/certificates/applications`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffApplication {
    pub id: i64,
    /// RFC 3339.
    pub created_at: String,
    pub case_number: String,
    pub name: String,
    /// Masked ID number, or the credit code.
    pub subject_id: String,
    pub stage: Stage,
    /// In yuan, as shown (`12,500.00`).
    pub amount: String,
    pub performed_on: String,
    pub honour_consent: bool,
    pub status: ApplicationStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Numbers of its certificates, newest first.
    pub certificates: Vec<String>,
    /// The creditor's answer, if the application asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor: Option<CreditorState>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffApplications {
    pub applications: Vec<StaffApplication>,
}

/// `POST …/issue` answers with the new certificate's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub number: String,
}

/// `{"reason"}` of a refusal, revocation or replacement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReasonRequest {
    pub reason: String,
}

impl ReasonRequest {
    /// The trimmed reason: required, at most 200 characters.
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        let reason = self.reason.trim();
        let n = reason.chars().count();
        if reason.is_empty() {
            return Err(vec![Invalid::new(
                ErrorCode::MissingField,
                "请填写理由",
                "Give the reason",
            )
            .at("reason")]);
        }
        if n > 200 {
            return Err(vec![Invalid::new(
                ErrorCode::TooLong,
                format!("理由最多200个字，当前为{n}个字"),
                format!("At most 200 characters are allowed; this has {n}"),
            )
            .at("reason")]);
        }
        Ok(reason.to_owned())
    }
}

/// One entry of the honour list (`GET /api/v1/honour-list`): a debtor who performed and agreed
/// to be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HonourEntry {
    pub name: String,
    pub court: String,
    pub performed_on: String,
    /// RFC 3339.
    pub issued_at: String,
    /// The certificate's number, to verify it.
    pub number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HonourList {
    pub entries: Vec<HonourEntry>,
}

/// `POST /api/v1/partner/certificates/verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerVerifyRequest {
    pub number: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn payload() -> CertificatePayload {
        CertificatePayload {
            key_id: "c0ffee01".into(),
            serial: 123,
            issued_at: 1_795_000_000,
            performed_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            stage: Stage::DuringEnforcement,
            amount_fen: 1_250_000,
            subject: PayloadSubject::Person("33022519851231".into()),
            name: "陈小明".into(),
            case_number: "(2024)浙0225执1234号".into(),
        }
    }

    #[test]
    fn a_payload_round_trips_and_is_small() {
        let p = payload();
        let bytes = p.to_bytes();
        assert_eq!(CertificatePayload::from_bytes(&bytes).unwrap(), p);
        assert!(bytes.len() < 70, "{} bytes", bytes.len());
        assert_eq!(p.number(), certificate_number(123));
        assert_eq!(parse_certificate_number(&p.number()).unwrap(), 123);
        assert_eq!(p.subject.shown(), "3302251985****1231");
        assert_eq!(p.amount_shown(), "12,500.00");
    }

    #[test]
    fn bad_payloads_are_refused() {
        let bytes = payload().to_bytes();
        assert_eq!(
            CertificatePayload::from_bytes(&bytes[..bytes.len() - 1]),
            Err(PayloadError::Malformed)
        );
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            CertificatePayload::from_bytes(&longer),
            Err(PayloadError::Malformed)
        );
        let mut v2 = bytes.clone();
        v2[0] = 2;
        assert_eq!(
            CertificatePayload::from_bytes(&v2),
            Err(PayloadError::Version(2))
        );
        // A padded amount (0x80 0x00 for 0) is not the canonical form.
        let mut p = payload();
        p.amount_fen = 5;
        let mut padded = p.to_bytes();
        let at = 16;
        assert_eq!(padded[at], 5);
        padded.splice(at..=at, [0x85, 0x00]);
        assert_eq!(
            CertificatePayload::from_bytes(&padded),
            Err(PayloadError::Malformed)
        );
    }

    #[test]
    fn text_packs_chinese_in_two_bytes_and_reads_back() {
        for text in [
            "陈小明",
            "(2024)浙0225执1234号",
            "阿卜杜热合曼·买买提",
            "宁波（象山）渔业有限公司",
            "𠀀𪚥",
            "Ab 1",
        ] {
            let packed = pack_text(text);
            assert_eq!(unpack_text(&packed).as_deref(), Some(text));
        }
        assert_eq!(pack_text("陈小明").len(), 6);
        assert_eq!(pack_text("(2024)浙0225执1234号").len(), 20);
        assert_eq!(
            unpack_text(&[0xf0, 0x00, 0x41]),
            None,
            "an ASCII letter in three bytes"
        );
        assert_eq!(unpack_text(&[0x80]), None, "cut short");
        assert_eq!(unpack_text(&[0xf5, 0, 0]), None);
    }

    #[test]
    fn base32_round_trips() {
        for n in 0..40usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            let text = base32_encode(&bytes);
            assert!(text.bytes().all(|b| BASE32.contains(&b)));
            assert_eq!(base32_decode(&text).unwrap(), bytes);
            assert_eq!(base32_decode(&text.to_lowercase()).unwrap(), bytes);
        }
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBO1"), None);
        assert_eq!(base64url_decode("Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("Zm9v+"), None);
    }

    #[test]
    fn numbers_catch_typing_errors() {
        let n = certificate_number(4_567);
        assert_eq!(n.len(), 10);
        assert_eq!(
            parse_certificate_number(&format!(" {}-{} ", &n[..5], &n[5..])).unwrap(),
            4_567
        );
        let mut typo = n.clone().into_bytes();
        typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
        assert!(parse_certificate_number(std::str::from_utf8(&typo).unwrap()).is_err());
        assert!(parse_certificate_number("").is_err());
        assert!(parse_certificate_number("12345").is_err());
    }

    fn application() -> ApplicationRequest {
        ApplicationRequest {
            case_number: "(2024)浙0225执1234号".into(),
            name: "陈小明".into(),
            id_number: "330225198506121231".into(),
            stage: "during_enforcement".into(),
            amount: "12,500.5".into(),
            performed_on: "2026-11-20".into(),
            phone: "13800138000".into(),
            honour_consent: true,
        }
    }

    #[test]
    fn applications_are_checked_field_by_field() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let ok = application().validate_on(today).unwrap();
        assert_eq!(ok.amount_fen, 1_250_050);
        assert_eq!(ok.stage, Stage::DuringEnforcement);
        let json: ApplicationRequest =
            serde_json::from_str(r#"{"amount": 12500, "stage": "during_trial"}"#).unwrap();
        assert_eq!(json.amount, "12500");

        let bad = ApplicationRequest {
            case_number: "nonsense".into(),
            name: String::new(),
            id_number: "330225198506121232".into(),
            stage: "someday".into(),
            amount: "0".into(),
            performed_on: "2026-11-23".into(),
            phone: "12345".into(),
            honour_consent: false,
        };
        let fields: Vec<String> = bad
            .validate_on(today)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "case_number",
                "name",
                "id_number",
                "stage",
                "amount",
                "performed_on",
                "phone"
            ]
        );
        for amount in ["-5", "1.234", "abc", "0.00", "", "1e3"] {
            assert!(parse_amount_fen(amount).is_err(), "{amount}");
        }
        assert_eq!(parse_amount_fen("１２元").unwrap(), 1200);
        assert_eq!(parse_amount_fen("0.01").unwrap(), 1);
    }

    fn signed(key: &ed25519_dalek::SigningKey) -> SignedPayload {
        use ed25519_dalek::Signer;
        let payload = payload().to_bytes();
        SignedPayload {
            signature: key.sign(&payload).to_bytes(),
            payload,
        }
    }

    #[test]
    fn signatures_verify_and_the_qr_text_reads_back() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let public = key.verifying_key().to_bytes();
        let s = signed(&key);
        assert!(s.verifies_with(&public));
        assert!(!s.verifies_with(
            &ed25519_dalek::SigningKey::from_bytes(&[8; 32])
                .verifying_key()
                .to_bytes()
        ));
        assert_eq!(key_id_of(&public).len(), 8);

        let text = s.qr_text("http://127.0.0.1:8080/");
        assert!(text.starts_with("HTTP://127.0.0.1:8080/C/"), "{text}");
        // Every character is in the QR alphanumeric set.
        assert!(text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || " $%*+-./:".contains(c)));
        assert_eq!(SignedPayload::parse(&text).unwrap(), s);
        assert_eq!(SignedPayload::parse(&text.to_lowercase()).unwrap(), s);
        assert!(SignedPayload::parse("HTTP://X/C/AAAA").is_none());

        // Any one changed byte, of the payload or of the signature, fails the check.
        for i in 0..s.payload.len() {
            let mut t = s.clone();
            t.payload[i] ^= 0x01;
            assert!(!t.verifies_with(&public), "payload byte {i}");
        }
        for i in 0..SIGNATURE_BYTES {
            let mut t = s.clone();
            t.signature[i] ^= 0x80;
            assert!(!t.verifies_with(&public), "signature byte {i}");
        }
    }

    /// Base64url without padding, as the key document writes public keys.
    fn base64url(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        let (mut buffer, mut bits) = (0u32, 0u32);
        for &b in bytes {
            buffer = (buffer << 8) | u32::from(b);
            bits += 8;
            while bits >= 6 {
                bits -= 6;
                out.push(ALPHABET[((buffer >> bits) & 63) as usize] as char);
            }
        }
        if bits > 0 {
            out.push(ALPHABET[((buffer << (6 - bits)) & 63) as usize] as char);
        }
        out
    }

    #[test]
    fn verdicts_follow_the_published_keys() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let public = key.verifying_key().to_bytes();
        let id = key_id_of(&public);
        let mut p = payload();
        p.key_id = id.clone();
        let bytes = p.to_bytes();
        let s = SignedPayload {
            signature: ed25519_dalek::Signer::sign(&key, &bytes).to_bytes(),
            payload: bytes,
        };
        let court = "宁波市象山县人民法院";
        let published = |status: &str| {
            PublishedKey::from_fields(&id, court, &base64url(&public), status).unwrap()
        };
        let valid = SignatureVerdict::Valid {
            court: court.into(),
        };
        // A current key and, after rotation, the retired key both verify what they signed.
        assert_eq!(s.check(&p, &[published("current")]), valid);
        assert_eq!(s.check(&p, &[published("retired")]), valid);
        assert_eq!(
            s.check(&p, &[published("revoked")]),
            SignatureVerdict::RevokedKey {
                court: court.into()
            }
        );
        assert_eq!(s.check(&p, &[]), SignatureVerdict::UnknownKey);
        let mut changed = s.clone();
        changed.payload[10] ^= 1;
        assert_eq!(
            changed.check(&p, &[published("current")]),
            SignatureVerdict::Invalid
        );
        // Another court's key under this id, a key id that is not the key's own, bad fields.
        let other = ed25519_dalek::SigningKey::from_bytes(&[8; 32])
            .verifying_key()
            .to_bytes();
        assert!(PublishedKey::from_fields(&id, court, &base64url(&other), "current").is_none());
        assert!(PublishedKey::from_fields(&id, court, "not base64!", "current").is_none());
        assert!(PublishedKey::from_fields(&id, court, &base64url(&public), "lost").is_none());
        assert!(
            PublishedKey::from_fields(&id, court, &base64url(&public[..31]), "current").is_none()
        );
    }

    proptest! {
        #[test]
        fn any_one_byte_change_breaks_the_payload_or_changes_its_facts(at in 0usize..60, delta in 1u8..=255) {
            let p = payload();
            let mut bytes = p.to_bytes();
            prop_assume!(at < bytes.len());
            bytes[at] = bytes[at].wrapping_add(delta);
            // Either refused, or a different payload: never the same facts from other bytes.
            if let Ok(other) = CertificatePayload::from_bytes(&bytes) {
                prop_assert_ne!(other, p);
            }
        }

        #[test]
        fn payloads_round_trip(serial in any::<u32>(), issued in any::<u32>(), days in 0u16..60000,
                               amount in 1u64..100_000_000_000_000, name in "[\\p{Han}]{1,30}") {
            let p = CertificatePayload {
                serial,
                issued_at: issued,
                performed_on: epoch() + chrono::Days::new(u64::from(days)),
                amount_fen: amount,
                name,
                ..payload()
            };
            prop_assert_eq!(CertificatePayload::from_bytes(&p.to_bytes()).unwrap(), p);
        }
    }
}
