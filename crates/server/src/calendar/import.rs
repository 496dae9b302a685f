//! `portal-server import holidays FILE`: a State Council arrangement as `date,kind` rows (DESIGN
//! §7.8), read by `core`'s parser, the one the built-in years pass. All-or-nothing like the other
//! imports: a bad row, or a day the calendar already has with the other kind, rejects the file
//! with a report by line and column. A day already known with the same kind changes nothing, so
//! a file can be imported again.

use std::{collections::BTreeMap, path::Path};

use chrono::NaiveDate;
use portal_core::{calendar::parse_holidays, Invalid};

use super::store::{self, Stored};
use crate::{
    db::Db,
    notices::import::{decode, ImportError, RowError},
};

/// Reads, checks and stores one file.
pub async fn import_file(db: &Db, path: &Path) -> Result<Stored, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    import_bytes(db, &bytes).await
}

pub async fn import_bytes(db: &Db, bytes: &[u8]) -> Result<Stored, ImportError> {
    let text = decode(bytes).map_err(ImportError::Rejected)?;
    let entries = parse_holidays(text).map_err(|errors| {
        ImportError::Rejected(
            errors
                .into_iter()
                .map(|e| RowError::new(e.line, e.error))
                .collect(),
        )
    })?;
    match store::add_all(db, &entries).await? {
        Ok(stored) => Ok(stored),
        Err(conflicts) => {
            let lines = first_lines(text);
            Err(ImportError::Rejected(
                conflicts
                    .into_iter()
                    .map(|c| {
                        let line = lines.get(&c.date).copied().unwrap_or(1);
                        RowError::new(line, Invalid::from(c).at("date"))
                    })
                    .collect(),
            ))
        }
    }
}

/// The line each date of a valid file is first given on, for reporting a contradicted day where
/// the file says it: each data line is read by the same parser under the file's header.
fn first_lines(text: &str) -> BTreeMap<NaiveDate, u64> {
    let mut lines = (1u64..)
        .zip(text.lines())
        .filter(|(_, line)| !line.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return BTreeMap::new();
    };
    let mut first = BTreeMap::new();
    for (n, line) in lines {
        if let Ok(entries) = parse_holidays(&format!("{header}\n{line}")) {
            for entry in entries {
                first.entry(entry.date()).or_insert(n);
            }
        }
    }
    first
}
