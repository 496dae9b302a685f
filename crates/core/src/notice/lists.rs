//! The one codec of the `lists` column (`dishonest;restricted`): written by [`format_lists`], read
//! strictly from import files by [`parse_lists`] and leniently from stored rows by
//! [`decode_stored_lists`].

use std::collections::BTreeSet;

use super::vocabulary::{allowed, invalid_choice, ListKind};
use crate::error::{ErrorCode, Invalid};
use crate::text::fold_width;

/// `dishonest;restricted`: the `lists` column spelling.
pub fn format_lists(lists: &[ListKind]) -> String {
    lists
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Parses the `lists` column: values separated by `;` (a full-width `；` works too), in any order,
/// duplicates ignored. The result is sorted and non-empty.
pub fn parse_lists(s: &str) -> Result<Vec<ListKind>, Invalid> {
    let mut lists = Vec::new();
    for part in s.split(|c| fold_width(c) == ';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let kind = ListKind::parse(part).ok_or_else(|| {
            invalid_choice(
                part,
                "名单类型",
                "list",
                ListKind::ALL,
                ListKind::as_str,
                ListKind::label,
            )
        })?;
        lists.push(kind);
    }
    if lists.is_empty() {
        let (zh, en) = allowed(ListKind::ALL, ListKind::as_str, ListKind::label);
        return Err(Invalid::new(
            ErrorCode::MissingField,
            format!("请填写所列入的名单，多个用分号“;”分隔，可选值为：{zh}"),
            format!("Please give the lists, separated by \";\"; allowed values: {en}"),
        ));
    }
    lists.sort();
    lists.dedup();
    Ok(lists)
}

/// The lists a stored `lists` column names, in canonical order; unknown words are ignored (the
/// column is written only by [`format_lists`] from validated notices, so nothing is refused here).
pub fn decode_stored_lists(column: &str) -> BTreeSet<ListKind> {
    column.split(';').filter_map(ListKind::parse).collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn lists_column() {
        use ListKind::*;
        assert_eq!(parse_lists("dishonest").unwrap(), vec![Dishonest]);
        assert_eq!(
            parse_lists("terminated; dishonest;;").unwrap(),
            vec![Dishonest, Terminated]
        );
        assert_eq!(
            parse_lists("restricted；dishonest;restricted").unwrap(),
            vec![Dishonest, Restricted]
        );
        assert_eq!(parse_lists("").unwrap_err().code, ErrorCode::MissingField);
        assert_eq!(
            parse_lists(" ; ").unwrap_err().code,
            ErrorCode::MissingField
        );
        let err = parse_lists("dishonest;blacklist").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidValue);
        assert!(
            err.zh.contains("blacklist") && err.zh.contains("terminated"),
            "{}",
            err.zh
        );
        assert!(
            err.en.contains("dishonest, restricted, terminated"),
            "{}",
            err.en
        );
        assert_eq!(
            format_lists(&[Dishonest, Terminated]),
            "dishonest;terminated"
        );
    }

    #[test]
    fn stored_columns_decode_leniently() {
        use ListKind::*;
        assert_eq!(
            decode_stored_lists("terminated;dishonest"),
            BTreeSet::from([Dishonest, Terminated])
        );
        assert_eq!(
            decode_stored_lists("dishonest;someday_a_new_list"),
            BTreeSet::from([Dishonest])
        );
        assert!(decode_stored_lists("").is_empty());
    }

    proptest! {
        #[test]
        fn format_then_parse_or_decode_round_trips(
            lists in proptest::sample::subsequence(ListKind::ALL, 1..=3)
        ) {
            let column = format_lists(&lists);
            prop_assert_eq!(parse_lists(&column), Ok(lists.clone()));
            prop_assert_eq!(
                decode_stored_lists(&column),
                lists.into_iter().collect::<BTreeSet<_>>()
            );
        }
    }
}
