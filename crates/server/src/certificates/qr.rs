//! The QR code of a certificate: its text (`{ORIGIN}/C/{BASE32}`, see `portal_core::certificate`)
//! encoded at error-correction level M in the smallest version that holds it, handed to the
//! browser as modules so the page can draw it (and put it into the long-press image) without an
//! image request or a QR library in the wasm.

use qrcode::{types::Color, EcLevel, QrCode, Version};
use serde::Serialize;

/// The QR code of `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qr {
    pub text: String,
    /// 1–40.
    pub version: i16,
    /// Modules per side.
    pub width: usize,
    /// Row by row, `1` for a dark module, `0` for a light one.
    pub modules: String,
}

/// Encodes `text` at level M in the smallest version that holds it.
pub fn encode(text: &str) -> anyhow::Result<Qr> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    };
    Ok(Qr {
        text: text.to_owned(),
        version,
        width: code.width(),
        modules: code
            .to_colors()
            .into_iter()
            .map(|c| if c == Color::Dark { '1' } else { '0' })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use ed25519_dalek::{Signer, SigningKey};
    use portal_core::certificate::{CertificatePayload, PayloadSubject, SignedPayload, Stage};

    fn qr_of(subject: PayloadSubject, name: &str, origin: &str) -> (usize, Qr) {
        let payload = CertificatePayload {
            key_id: "c0ffee01".into(),
            serial: 123_456,
            issued_at: 1_795_000_000,
            performed_on: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            stage: Stage::DuringEnforcement,
            amount_fen: 123_456_789,
            subject,
            name: name.into(),
            case_number: "(2024)浙0225执恢12345号".into(),
        }
        .to_bytes();
        let key = SigningKey::from_bytes(&[9; 32]);
        let signed = SignedPayload {
            signature: key.sign(&payload).to_bytes(),
            payload,
        };
        let text = signed.qr_text(origin);
        let qr = encode(&text).unwrap();
        assert_eq!(qr.modules.len(), qr.width * qr.width);
        (signed.payload.len(), qr)
    }

    #[test]
    fn certificates_fit_version_10_at_level_m() {
        let origin = "https://zxgk.court.gov.cn";
        let (bytes, person) = qr_of(
            PayloadSubject::Person("33022519851231".into()),
            "阿卜杜热合曼·买买提",
            origin,
        );
        assert!(
            person.version <= 10,
            "{bytes} bytes: version {}",
            person.version
        );
        // An organisation with a long name (22 characters) still fits.
        let (bytes, company) = qr_of(
            PayloadSubject::Organization("91330225MA2AGXXX0L".into()),
            "宁波市象山县某某海洋渔业开发建设有限公司",
            origin,
        );
        assert!(
            company.version <= 10,
            "{bytes} bytes: version {}",
            company.version
        );
    }
}
