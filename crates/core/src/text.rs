//! Small character-level helpers shared by the parsers: width folding and the middle dot.
//!
//! Chinese input methods switch between half-width and full-width forms, so the same ID number or
//! name often arrives as `４４０５…` or `Ｊｏｈｎ`. We cannot ship Unicode normalisation tables to the
//! browser, and only need the handful of foldings below.

/// The server reads times for people from here; [`crate::time`] owns them.
pub use crate::time::beijing_time;

/// Folds a full-width ASCII variant (U+FF01..=U+FF5E) to its ASCII character and the ideographic
/// space U+3000 to an ASCII space; every other character is returned unchanged.
pub(crate) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The canonical middle dot used between the parts of transliterated names (e.g. 阿卜杜·热合曼).
pub(crate) const MIDDLE_DOT: char = '\u{00B7}';

/// Whether `c` is one of the many look-alike dots people and input methods use for the name
/// separator `·`. The full stop (`.`, U+FF0E) is deliberately not one of them.
pub(crate) fn is_dot_variant(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}' // MIDDLE DOT
            | '\u{0387}' // GREEK ANO TELEIA
            | '\u{1427}' // CANADIAN SYLLABICS FINAL MIDDLE DOT
            | '\u{16EB}' // RUNIC SINGLE PUNCTUATION
            | '\u{2022}' // BULLET
            | '\u{2027}' // HYPHENATION POINT
            | '\u{2219}' // BULLET OPERATOR
            | '\u{22C5}' // DOT OPERATOR
            | '\u{2E31}' // WORD SEPARATOR MIDDLE DOT
            | '\u{30FB}' // KATAKANA MIDDLE DOT
            | '\u{A78F}' // LATIN LETTER SINOLOGICAL DOT
            | '\u{FF65}' // HALFWIDTH KATAKANA MIDDLE DOT
    )
}

/// Characters that are invisible and carry no meaning in a name or code pasted from a web page or
/// chat message (zero-width space and joiners, byte-order mark).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Removes every whitespace and invisible character and folds full-width forms: the shape in
/// which identifiers (ID numbers, credit codes, case numbers) are checked.
pub(crate) fn compact_folded(input: &str) -> String {
    input
        .chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect()
}

/// "1 character was entered" / "5 characters were entered", for length messages.
pub(crate) fn entered_en(n: usize) -> String {
    if n == 1 {
        "1 character was entered".to_owned()
    } else {
        format!("{n} characters were entered")
    }
}

/// An optional text field as given: trimmed, and `None` when empty.
pub fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Escapes text for an HTML attribute or element.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_ascii_only() {
        assert_eq!(fold_width('０'), '0');
        assert_eq!(fold_width('Ｘ'), 'X');
        assert_eq!(fold_width('ｘ'), 'x');
        assert_eq!(fold_width('（'), '(');
        assert_eq!(fold_width('～'), '~');
        assert_eq!(fold_width('\u{3000}'), ' ');
        assert_eq!(fold_width('浙'), '浙');
        assert_eq!(fold_width('·'), '·');
    }

    #[test]
    fn compacts() {
        assert_eq!(
            compact_folded(" ４４０５ 24\u{3000}19\u{200B}7３ \t"),
            "4405241973"
        );
    }
}
