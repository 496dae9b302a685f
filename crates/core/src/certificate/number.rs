//! Certificate numbers: the serial in 9 digits and a Damm check digit, as people type them.

use crate::{
    error::{ErrorCode, Invalid},
    tracking::damm_digit,
};

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
