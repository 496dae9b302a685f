//! Certificates end to end: payload round trips and canonical form, the codecs, numbers, the
//! application's validation, signatures and the verdicts on them.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{codec::BASE32, payload::epoch, *};

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

#[test]
fn applications_take_a_case_number_of_every_stage_that_fits_it() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let with = |case_number: &str, stage: &str| ApplicationRequest {
        case_number: case_number.into(),
        stage: stage.into(),
        ..application()
    };
    let trial = with("（2026）浙0225民初3456号", "before_enforcement")
        .validate_on(today)
        .unwrap();
    assert_eq!(trial.case_number.as_str(), "(2026)浙0225民初3456号");
    assert_eq!(trial.case_number.province().unwrap().code, "33");
    assert!(with("(2026)浙0225民初3456号", "during_trial")
        .validate_on(today)
        .is_ok());
    for (case_number, stage) in [
        ("(2026)浙0225民初3456号", "during_enforcement"),
        ("(2024)浙0225执1234号", "before_enforcement"),
        ("(2026)浙02民终12号", "before_judgment"),
    ] {
        let fields: Vec<String> = with(case_number, stage)
            .validate_on(today)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["stage"], "{case_number} at {stage}");
    }
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
    let published =
        |status: &str| PublishedKey::from_fields(&id, court, &base64url(&public), status).unwrap();
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
    assert!(PublishedKey::from_fields(&id, court, &base64url(&public[..31]), "current").is_none());
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

#[test]
fn qr_modules_read_the_servers_answer() {
    // The shape of `GET /api/v1/certificates/{number}/qr`, field for field.
    let json = r#"{"text":"HTTPS://PORTAL.EXAMPLE/C/AB","version":3,"width":29,"modules":"10"}"#;
    let qr: QrModules = serde_json::from_str(json).unwrap();
    assert_eq!((qr.version, qr.width, qr.modules.as_str()), (3, 29, "10"));
    assert_eq!(serde_json::to_string(&qr).unwrap(), json);
}
