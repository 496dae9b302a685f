//! Amounts of the parties' desk: yuan as people and files write them, fen (1 yuan = 100 fen) as
//! the portal keeps them, so no float ever rounds an obligation.

use serde::Deserialize;

use crate::certificate::parse_amount_fen;
use crate::error::Invalid;
use crate::numbers::group_digits;

/// `12500.00`: fen as yuan with two decimals, the spelling of the import's `amount` column and of
/// amounts in the parties' API.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

/// `12,500.00`: fen as yuan for reading, digits grouped in threes.
pub fn display_yuan(fen: i64) -> String {
    let yuan = group_digits(fen / 100);
    let sign = if fen < 0 && fen > -100 { "-" } else { "" };
    format!("{sign}{yuan}.{:02}", (fen % 100).unsigned_abs())
}

/// An amount in yuan (`12500`, `12,500.50`, `１２５００元`) as fen: above zero, at most two
/// decimals and at most [`crate::certificate::MAX_AMOUNT_YUAN`] — the certificates' rule, so an
/// amount a party declares can be certified.
pub fn parse_yuan(input: &str) -> Result<i64, Invalid> {
    let fen = parse_amount_fen(input)?;
    // The certificates' bound (10^12 yuan) keeps every amount far inside i64.
    Ok(i64::try_from(fen).expect("bounded by MAX_AMOUNT_YUAN"))
}

/// An amount as text, whether JSON sent a number (`1500.5`) or a string (`"1,500.50"`).
pub(crate) fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Amount {
        Whole(u64),
        Decimal(f64),
        Text(String),
    }
    Ok(match Amount::deserialize(d)? {
        Amount::Whole(n) => n.to_string(),
        // The shortest text that reads back as the same number: 1500.5, never 1500.499999.
        Amount::Decimal(n) => n.to_string(),
        Amount::Text(t) => t,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn formats() {
        assert_eq!(format_yuan(12_000_000), "120000.00");
        assert_eq!(format_yuan(5), "0.05");
        assert_eq!(format_yuan(0), "0.00");
        assert_eq!(format_yuan(-150), "-1.50");
        assert_eq!(display_yuan(1_250_050), "12,500.50");
        assert_eq!(display_yuan(100_000_000_000), "1,000,000,000.00");
        assert_eq!(display_yuan(7), "0.07");
        assert_eq!(display_yuan(-7), "-0.07");
        assert_eq!(display_yuan(-123_456), "-1,234.56");
    }

    #[test]
    fn parses() {
        for (given, fen) in [
            ("1", 100),
            ("0.01", 1),
            ("12500.5", 1_250_050),
            ("１２,５００元", 1_250_000),
            ("1,000,000,000,000", 100_000_000_000_000),
        ] {
            assert_eq!(parse_yuan(given), Ok(fen), "{given}");
        }
        assert_eq!(parse_yuan("").unwrap_err().code, ErrorCode::MissingField);
        for bad in [
            "0",
            "0.00",
            "1.234",
            "abc",
            "1e5",
            "-5",
            "1,000,000,000,001",
        ] {
            assert_eq!(
                parse_yuan(bad).unwrap_err().code,
                ErrorCode::InvalidValue,
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn formatted_amounts_read_back(fen in 1i64..=100_000_000_000_000) {
            prop_assert_eq!(parse_yuan(&format_yuan(fen)), Ok(fen));
            prop_assert_eq!(parse_yuan(&display_yuan(fen)), Ok(fen));
        }
    }
}
