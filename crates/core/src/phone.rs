//! Phone numbers as people in mainland China type them, for tipsters' contact details and
//! certificate applications.

use crate::{
    error::{ErrorCode, Invalid},
    text::fold_width,
};

/// A mainland mobile number (11 digits, 1[3-9]…) or a landline with its area code (0…), with
/// spaces, dashes, a `+86` prefix and full-width digits allowed; returns the digits.
pub fn parse_phone(input: &str) -> Result<String, Invalid> {
    let folded: String = input.trim().chars().map(fold_width).collect();
    let rest = folded
        .strip_prefix("+86")
        .or_else(|| folded.strip_prefix("0086"))
        .unwrap_or(&folded);
    if rest.is_empty() {
        return Err(Invalid::missing());
    }
    let digits: String = rest
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let ok = digits.chars().all(|c| c.is_ascii_digit())
        && match digits.as_bytes() {
            [b'1', b'3'..=b'9', ..] => digits.len() == 11,
            [b'0', ..] => (10..=12).contains(&digits.len()),
            _ => false,
        };
    if ok {
        Ok(digits)
    } else {
        Err(Invalid::new(
            ErrorCode::InvalidValue,
            "电话号码格式不正确：手机号为11位（如 13800138000），座机请加区号（如 0574-12345678）",
            "The phone number is not valid: a mobile has 11 digits (such as 13800138000); a landline needs its area code (such as 0574-12345678)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for ok in [
            "13800138000",
            "+86 13800138000",
            "0574-12345678",
            "０５７４１２３４５６７８",
            "010 1234 5678",
        ] {
            assert!(parse_phone(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "12800138000",
            "1380013800",
            "138001380000",
            "574-1234567",
            "13800l38000",
        ] {
            assert!(parse_phone(bad).is_err(), "{bad}");
        }
    }
}
