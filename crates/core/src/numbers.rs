//! Numbers: formatting shared by the portal and the server's generated text, and reading ids
//! from JSON.

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

/// An id that JSON may spell `5` or `5.0` (JSON Schema counts both as integers), exact up to
/// `i64::MAX` when spelt without a fraction; absent or `null` is `None`.
pub fn whole_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    use serde::{de::Error, Deserialize};
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Exact(i64),
        Number(f64),
    }
    match Option::<Id>::deserialize(d)? {
        None => Ok(None),
        Some(Id::Exact(n)) => Ok(Some(n)),
        Some(Id::Number(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(n as i64)),
        Some(Id::Number(_)) => Err(D::Error::custom("not a whole number")),
    }
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
