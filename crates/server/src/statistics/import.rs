//! `portal-server import statistics FILE`: courts' monthly figures, CSV with a header row
//! (DESIGN §7.7). All-or-nothing like the notice import: every row is checked with `core`'s rules,
//! every court must be one the portal knows, and a court's month may appear once; any problem
//! rejects the whole file with a report by line and column. Importing a court's month again
//! replaces it, so a corrected file can simply be imported again.

use std::{collections::HashMap, path::Path};

use portal_core::{
    statistics::{parse_row, Month, StatRow, COLUMNS},
    ErrorCode, Invalid,
};

use super::store::{self, Stored};
use crate::{
    db::Db,
    notices::import::{csv_table, decode, ImportError, RowError},
};

/// Reads, checks and stores one file; `today` bounds the months (none after the current one).
pub async fn import_file(
    db: &Db,
    path: &Path,
    today: chrono::NaiveDate,
) -> Result<(usize, Stored), ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    import_bytes(db, &bytes, today).await
}

pub async fn import_bytes(
    db: &Db,
    bytes: &[u8],
    today: chrono::NaiveDate,
) -> Result<(usize, Stored), ImportError> {
    let text = decode(bytes).map_err(ImportError::Rejected)?;
    let table = csv_table(text, &COLUMNS).map_err(ImportError::Rejected)?;
    let latest = Month::of(today);
    let mut errors = Vec::new();
    let mut rows: Vec<(u64, StatRow)> = Vec::new();
    let mut seen: HashMap<(String, Month), u64> = HashMap::new();
    for (line, cells) in table {
        let cell = |c: &str| {
            COLUMNS
                .iter()
                .position(|k| *k == c)
                .and_then(|i| cells.get(i).cloned())
                .unwrap_or_default()
        };
        match parse_row(cell, latest) {
            Ok(row) => {
                if let Some(first) = seen.insert((row.court.clone(), row.month), line) {
                    errors.push(RowError::whole_line(
                        line,
                        Invalid::new(
                            ErrorCode::InvalidValue,
                            format!("与第 {first} 行的法院和月份重复"),
                            format!("same court and month as line {first}"),
                        ),
                    ));
                }
                rows.push((line, row));
            }
            Err(field_errors) => {
                errors.extend(field_errors.into_iter().map(|e| RowError::new(line, e)))
            }
        }
    }
    // Every court must be one the portal knows (from its notices, reward notices or figures).
    let mut provinces: HashMap<String, Option<String>> = HashMap::new();
    for (line, row) in &rows {
        if !provinces.contains_key(&row.court) {
            let p = store::province_of(db, &row.court)
                .await
                .map_err(anyhow::Error::from)?;
            provinces.insert(row.court.clone(), p);
        }
        if provinces[&row.court].is_none() {
            errors.push(RowError::new(
                *line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("未知的法院“{}”：本平台没有这家法院的公开信息", row.court),
                    format!(
                        "unknown court \"{}\": the portal has nothing of this court",
                        row.court
                    ),
                )
                .at("court"),
            ));
        }
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError::whole_line(
            1,
            Invalid::new(
                ErrorCode::MissingField,
                "文件中没有数据行",
                "the file has no data rows",
            ),
        ));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ImportError::Rejected(errors));
    }
    let with_province: Vec<(StatRow, String)> = rows
        .into_iter()
        .map(|(_, r)| {
            let p = provinces[&r.court].clone().unwrap_or_default();
            (r, p)
        })
        .collect();
    let stored = store::upsert_all(db, &with_province).await?;
    Ok((with_province.len(), stored))
}
