//! Access codes (查询码): the third thing, after name and ID number, a party gives to sign in.
//!
//! A code is [`ACCESS_CODE_MIN_LEN`]..=[`ACCESS_CODE_MAX_LEN`] characters of
//! [`ACCESS_CODE_ALPHABET`]: digits and capital letters without the ones people misread — 0 and O,
//! 1 and I. Codes the portal makes are [`ACCESS_CODE_LEN`] characters (60 random bits); a court
//! may import its own codes of any allowed length. Codes are read by [`normalize_access_code`],
//! the same at import and at sign-in: case, spaces, hyphens and full-width forms do not matter, so
//! `abcd-efgh 2345` and `ＡＢＣＤ ＥＦＧＨ ２３４５` are one code. Only a hash of the normalised code
//! is stored; making one (randomness) is the server's job, with [`access_code_from_bytes`].

use crate::error::{ErrorCode, Invalid};
use crate::text::{fold_width, is_invisible};

/// The characters of an access code: 2–9 and A–Z without I and O. 32 of them, so a random byte
/// masked to 5 bits picks one uniformly.
pub const ACCESS_CODE_ALPHABET: &str = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// The length of a code the portal makes: 12 characters, 60 bits.
pub const ACCESS_CODE_LEN: usize = 12;
/// The shortest code a court may import.
pub const ACCESS_CODE_MIN_LEN: usize = 8;
/// The longest code a court may import.
pub const ACCESS_CODE_MAX_LEN: usize = 16;

/// Reads a typed or imported access code: full-width forms folded, letters upper-cased, spaces,
/// hyphens and invisible characters removed; then every character must be of
/// [`ACCESS_CODE_ALPHABET`] and the length within bounds.
pub fn normalize_access_code(input: &str) -> Result<String, Invalid> {
    let code: String = input
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && !is_invisible(*c) && !is_hyphen(*c))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            "请输入法院告知的查询码",
            "Enter the access code the court gave you",
        ));
    }
    let stray: Vec<char> = code
        .chars()
        .filter(|c| !ACCESS_CODE_ALPHABET.contains(*c))
        .collect();
    if !stray.is_empty() {
        let shown: String = stray.iter().take(5).map(|c| format!("“{c}”")).collect();
        let shown_en = stray
            .iter()
            .take(5)
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            format!(
                "查询码只含数字2–9和字母（不含 I、O），不会出现{shown}；请对照法院的通知核对"
            ),
            format!(
                "An access code has only the digits 2–9 and letters other than I and O, never {shown_en}; please compare it with the court's letter"
            ),
        ));
    }
    let n = code.chars().count();
    if !(ACCESS_CODE_MIN_LEN..=ACCESS_CODE_MAX_LEN).contains(&n) {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            format!(
                "查询码应为{ACCESS_CODE_MIN_LEN}至{ACCESS_CODE_MAX_LEN}位，当前为{n}位"
            ),
            format!(
                "An access code has {ACCESS_CODE_MIN_LEN} to {ACCESS_CODE_MAX_LEN} characters; this has {n}"
            ),
        ));
    }
    Ok(code)
}

/// `ABCD EFGH JKLM`: a normalised code in groups of four, as a letter or a screen shows it.
pub fn format_access_code(code: &str) -> String {
    code.chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A code of [`ACCESS_CODE_LEN`] characters from as many random bytes (each masked to 5 bits,
/// which keeps the choice uniform). The caller supplies the randomness.
pub fn access_code_from_bytes(random: &[u8; ACCESS_CODE_LEN]) -> String {
    let alphabet = ACCESS_CODE_ALPHABET.as_bytes();
    random
        .iter()
        .map(|b| char::from(alphabet[usize::from(b & 0x1F)]))
        .collect()
}

/// Hyphens and dashes people type between groups, in either width.
fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}')
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn alphabet() {
        assert_eq!(ACCESS_CODE_ALPHABET.len(), 32);
        for c in ['0', '1', 'I', 'O'] {
            assert!(!ACCESS_CODE_ALPHABET.contains(c));
        }
        let mut chars: Vec<char> = ACCESS_CODE_ALPHABET.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        assert_eq!(chars.len(), 32);
    }

    #[test]
    fn normalises() {
        assert_eq!(
            normalize_access_code(" abcd-efgh 2345 ").unwrap(),
            "ABCDEFGH2345"
        );
        assert_eq!(
            normalize_access_code("ＡＢＣＤ－ＥＦＧＨ\u{3000}２３４５").unwrap(),
            "ABCDEFGH2345"
        );
        assert_eq!(
            normalize_access_code("abcd\u{200B}efgh—2345").unwrap(),
            "ABCDEFGH2345"
        );
        // Lower-case l is the letter L, which the alphabet has.
        assert_eq!(normalize_access_code("llll2222").unwrap(), "LLLL2222");
    }

    #[test]
    fn rejects() {
        let e = normalize_access_code("   ").unwrap_err();
        assert_eq!(e.code, ErrorCode::MissingField);
        let e = normalize_access_code("ABCD0FGH1234").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidValue);
        assert!(e.zh.contains("“0”“1”"), "{}", e.zh);
        assert!(e.en.contains("never 0 1"), "{}", e.en);
        let e = normalize_access_code("abcd_efgh").unwrap_err();
        assert!(e.zh.contains("“_”"), "{}", e.zh);
        let e = normalize_access_code("查询码ABCDEFGH").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidValue);
        let e = normalize_access_code("ABCD234").unwrap_err();
        assert!(e.zh.contains("当前为7位"), "{}", e.zh);
        let e = normalize_access_code(&"A".repeat(17)).unwrap_err();
        assert!(e.en.contains("this has 17"), "{}", e.en);
        assert!(normalize_access_code(&"A".repeat(8)).is_ok());
        assert!(normalize_access_code(&"A".repeat(16)).is_ok());
    }

    #[test]
    fn formats_in_fours() {
        assert_eq!(format_access_code("ABCDEFGH2345"), "ABCD EFGH 2345");
        assert_eq!(format_access_code("ABCDEFGHJK"), "ABCD EFGH JK");
        assert_eq!(format_access_code(""), "");
    }

    #[test]
    fn codes_from_bytes() {
        assert_eq!(
            access_code_from_bytes(&[0; ACCESS_CODE_LEN]),
            "222222222222"
        );
        assert_eq!(
            access_code_from_bytes(&[0xFF; ACCESS_CODE_LEN]),
            "ZZZZZZZZZZZZ"
        );
        let bytes: [u8; ACCESS_CODE_LEN] = core::array::from_fn(|i| i as u8 + 32);
        assert_eq!(access_code_from_bytes(&bytes), "23456789ABCD");
    }

    fn arb_code() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::sample::select(ACCESS_CODE_ALPHABET.chars().collect::<Vec<_>>()),
            ACCESS_CODE_MIN_LEN..=ACCESS_CODE_MAX_LEN,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn formatted_codes_read_back(code in arb_code()) {
            prop_assert_eq!(normalize_access_code(&format_access_code(&code)), Ok(code.clone()));
            prop_assert_eq!(normalize_access_code(&code), Ok(code));
        }

        #[test]
        fn case_separators_and_width_do_not_matter(
            code in arb_code(),
            seps in prop::collection::vec(prop::sample::select(vec!["", " ", "-", "－", "\u{3000}", " - "]), 16),
            lower in prop::collection::vec(any::<bool>(), 16),
            wide in prop::collection::vec(any::<bool>(), 16),
        ) {
            let typed: String = code
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    let c = if lower[i] { c.to_ascii_lowercase() } else { c };
                    let c = if wide[i] { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c };
                    format!("{c}{}", seps[i])
                })
                .collect();
            prop_assert_eq!(normalize_access_code(&typed), Ok(code));
        }

        #[test]
        fn made_codes_are_valid(bytes in any::<[u8; ACCESS_CODE_LEN]>()) {
            let code = access_code_from_bytes(&bytes);
            prop_assert_eq!(code.len(), ACCESS_CODE_LEN);
            prop_assert_eq!(normalize_access_code(&code), Ok(code));
        }
    }
}
