//! Tracking codes and PINs, which tips and certificate applications (and creditors' answers) hand
//! out: 16 digits with a Damm check digit, shown in groups of four, and a 6-digit PIN.

use crate::{
    error::{ErrorCode, FieldError, Invalid},
    text::fold_width,
};

/// Digits of a tracking code, the check digit included.
pub const TRACKING_DIGITS: usize = 16;
/// Digits of a PIN.
pub const PIN_DIGITS: usize = 6;

/// Damm's quasigroup (order 10): its check digit catches every single-digit error and every
/// swap of adjacent digits — the two mistakes people make copying a code from a screenshot.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm check digit of a string of ASCII digits.
pub fn damm_digit(digits: &str) -> char {
    let interim = digits
        .bytes()
        .fold(0u8, |i, d| DAMM[i as usize][(d - b'0') as usize]);
    char::from(b'0' + interim)
}

/// A tracking code from 15 random digits: the digits plus their check digit.
pub fn tracking_code_from(body15: &str) -> String {
    debug_assert!(
        body15.len() == TRACKING_DIGITS - 1 && body15.bytes().all(|b| b.is_ascii_digit())
    );
    format!("{body15}{}", damm_digit(body15))
}

/// `1234 5678 9012 3456`: how a tracking code is shown and read out.
pub fn group_tracking_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a typed tracking code (spaces, dashes and full-width digits allowed) and checks its
/// check digit; returns the 16 digits.
pub fn parse_tracking_code(input: &str) -> Result<String, Invalid> {
    let digits: String = input
        .chars()
        .map(fold_width)
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if digits.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            "请输入16位跟踪码",
            "Enter the 16-digit tracking code",
        ));
    }
    if digits.len() != TRACKING_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            format!("跟踪码应为16位数字，当前为{}位", digits.chars().count()),
            format!(
                "A tracking code has 16 digits; this has {}",
                digits.chars().count()
            ),
        ));
    }
    if damm_digit(&digits) != '0' {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "跟踪码有误（校验位不符），请对照回执逐位核对",
            "The tracking code has a typing error (its check digit does not match); compare it with your receipt digit by digit",
        ));
    }
    Ok(digits)
}

/// Reads a typed PIN: six digits.
pub fn parse_pin(input: &str) -> Result<String, Invalid> {
    let pin: String = input.trim().chars().map(fold_width).collect();
    if pin.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            "请输入6位查询密码",
            "Enter the 6-digit PIN",
        ));
    }
    if pin.len() != PIN_DIGITS || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::new(
            ErrorCode::InvalidValue,
            "查询密码为6位数字",
            "The PIN has 6 digits",
        ));
    }
    Ok(pin)
}

/// A code and its PIN as typed, checked together: the canonical digits of both, or an error for
/// each that is wrong (at `code_field`, then at `pin`).
pub fn parse_code_and_pin(
    code: &str,
    pin: &str,
    code_field: &str,
) -> Result<(String, String), Vec<FieldError>> {
    match (parse_tracking_code(code), parse_pin(pin)) {
        (Ok(code), Ok(pin)) => Ok((code, pin)),
        (code, pin) => Err(code
            .err()
            .map(|e| e.at(code_field))
            .into_iter()
            .chain(pin.err().map(|e| e.at("pin")))
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn tracking_codes_show_in_groups_and_parse_back() {
        let code = tracking_code_from("123456789012345");
        assert_eq!(code.len(), 16);
        let shown = group_tracking_code(&code);
        assert_eq!(shown.split(' ').count(), 4);
        assert_eq!(parse_tracking_code(&shown).unwrap(), code);
        assert_eq!(parse_tracking_code(&shown.replace(' ', "-")).unwrap(), code);
        assert!(parse_tracking_code("1234").is_err());
        assert!(parse_tracking_code("").is_err());
        assert!(parse_pin("12345").is_err());
        assert_eq!(parse_pin("０１２３４５").unwrap(), "012345");
    }

    #[test]
    fn a_code_and_pin_report_each_bad_field() {
        let code = tracking_code_from("123456789012345");
        assert_eq!(
            parse_code_and_pin(
                &group_tracking_code(&code),
                "０１２３４５",
                "application_code"
            ),
            Ok((code, "012345".to_owned()))
        );
        let errors = parse_code_and_pin("1234", "12", "application_code").unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["application_code", "pin"]
        );
    }

    proptest! {
        #[test]
        fn any_single_digit_error_or_adjacent_swap_is_caught(body in "[0-9]{15}", pos in 0usize..16, delta in 1u8..10) {
            let code = tracking_code_from(&body);
            prop_assert!(parse_tracking_code(&code).is_ok());
            let mut typo = code.clone().into_bytes();
            typo[pos] = b'0' + (typo[pos] - b'0' + delta) % 10;
            prop_assert!(parse_tracking_code(std::str::from_utf8(&typo).unwrap()).is_err());
            if pos < 15 && code.as_bytes()[pos] != code.as_bytes()[pos + 1] {
                let mut swapped = code.clone().into_bytes();
                swapped.swap(pos, pos + 1);
                prop_assert!(parse_tracking_code(std::str::from_utf8(&swapped).unwrap()).is_err());
            }
        }
    }
}
