//! Number formatting shared by the portal and the server's generated text.

/// Groups digits in threes as Chinese official documents write amounts: 1234567 → "1,234,567".
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_digits;

    #[test]
    fn groups_in_threes() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (128000, "128,000"),
            (1234567, "1,234,567"),
            (-4200, "-4,200"),
        ] {
            assert_eq!(group_digits(n), s);
        }
    }
}
