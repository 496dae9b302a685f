//! The holiday import file (`portal-server import holidays FILE`, DESIGN §7.8): CSV with a header
//! naming `date` and `kind` in any order, one day a row. The built-in data is read by the same
//! parser, so it is held to the same rules.
//!
//! A file is accepted whole or not at all: every bad row is reported with its line and column,
//! the way notice imports are. The file is parsed here rather than by the server's CSV reader so
//! that the built-in calendar needs no CSV dependency in the browser; its two columns never need
//! quoting, though a quoted cell (as spreadsheets sometimes write) is read.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;

use super::{DayKind, Entry};
use crate::error::{ErrorCode, FieldError, Invalid, Lang};
use crate::notice::parse_date;

/// The import columns.
pub const COLUMNS: [&str; 2] = ["date", "kind"];

/// One problem in one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file (the header is line 1).
    pub line: u64,
    /// The column concerned as the error's `field`; empty when the whole line is wrong.
    pub error: FieldError,
}

impl RowError {
    fn new(line: u64, error: FieldError) -> Self {
        RowError { line, error }
    }

    fn whole_line(line: u64, invalid: Invalid) -> Self {
        RowError::new(line, invalid.at(""))
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = match self.error.field.as_str() {
            "" => "-",
            column => column,
        };
        write!(
            f,
            "line {}, column {column}: {} ({}) / {}",
            self.line,
            self.error.message(Lang::En),
            self.error.code(),
            self.error.message(Lang::Zh),
        )
    }
}

impl std::error::Error for RowError {}

/// Every entry of the file, or every problem in it: a header lacking a column, a malformed date,
/// an unknown kind, a `workday` that is not a Saturday or Sunday, or a date given twice with
/// different kinds. A date given twice with the same kind counts once. A UTF-8 byte-order mark,
/// CRLF line ends and blank lines are accepted.
pub fn parse_holidays(text: &str) -> Result<Vec<Entry>, Vec<RowError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = (1u64..)
        .zip(text.lines())
        .filter(|(_, line)| !line.trim().is_empty());
    let (header_line, header) = lines.next().unwrap_or((1, ""));
    let (width, order) = read_header(header).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| RowError::new(header_line, e))
            .collect::<Vec<_>>()
    })?;

    let mut errors = Vec::new();
    let mut entries = Vec::new();
    let mut first_line_of: BTreeMap<NaiveDate, (DayKind, u64)> = BTreeMap::new();
    for (line, text) in lines {
        let Some(cells) = split_cells(text) else {
            errors.push(RowError::whole_line(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "CSV 格式错误：引号不成对",
                    "malformed CSV: unbalanced quotes",
                ),
            ));
            continue;
        };
        if cells.len() != width {
            errors.push(RowError::whole_line(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("本行有 {} 列，表头有 {width} 列", cells.len()),
                    format!(
                        "the row has {} columns but the header has {width}",
                        cells.len()
                    ),
                ),
            ));
            continue;
        }
        let [date, kind] = order.map(|i| cells[i].as_str());
        let date = parse_date(date).map_err(|e| e.at("date"));
        let kind = parse_kind(kind).map_err(|e| e.at("kind"));
        let (date, kind) = match (date, kind) {
            (Ok(date), Ok(kind)) => (date, kind),
            (date, kind) => {
                let bad = date.err().into_iter().chain(kind.err());
                errors.extend(bad.map(|e| RowError::new(line, e)));
                continue;
            }
        };
        let entry = match Entry::new(date, kind) {
            Ok(entry) => entry,
            Err(e) => {
                errors.push(RowError::new(line, e.at("date")));
                continue;
            }
        };
        match first_line_of.get(&date) {
            None => {
                first_line_of.insert(date, (kind, line));
                entries.push(entry);
            }
            Some(&(first_kind, first)) if first_kind != kind => errors.push(RowError::new(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("与第 {first} 行日期相同而类型不同"),
                    format!("the same date as line {first} with a different kind"),
                )
                .at("date"),
            )),
            Some(_) => {}
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(RowError::whole_line(
            header_line,
            Invalid::new(
                ErrorCode::MissingField,
                "文件中没有数据行",
                "the file has no data rows",
            ),
        ));
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// The header's width and where each of [`COLUMNS`] sits in it, or every problem with it.
fn read_header(header: &str) -> Result<(usize, [usize; 2]), Vec<FieldError>> {
    let names: Vec<String> = split_cells(header)
        .unwrap_or_default()
        .into_iter()
        .map(|name| name.trim().to_owned())
        .collect();
    let mut errors = Vec::new();
    for (i, name) in names.iter().enumerate() {
        // Spreadsheets append unnamed empty columns; their cells are ignored.
        if name.is_empty() {
            continue;
        }
        if !COLUMNS.contains(&name.as_str()) {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("未知的列“{}”", quote(name)),
                    format!("unknown column \"{}\"", quote(name)),
                )
                .at(""),
            );
        } else if names[..i].contains(name) {
            errors.push(
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "表头中此列出现了不止一次",
                    "the header names this column more than once",
                )
                .at(name.as_str()),
            );
        }
    }
    let order = COLUMNS.map(|column| names.iter().position(|name| name == column));
    for (column, position) in COLUMNS.iter().zip(order) {
        if position.is_none() {
            errors.push(
                Invalid::new(
                    ErrorCode::MissingField,
                    "表头缺少此列",
                    "the header row lacks this column",
                )
                .at(*column),
            );
        }
    }
    match order {
        [Some(date), Some(kind)] if errors.is_empty() => Ok((names.len(), [date, kind])),
        _ => Err(errors),
    }
}

fn parse_kind(value: &str) -> Result<DayKind, Invalid> {
    if value.trim().is_empty() {
        return Err(Invalid::missing());
    }
    DayKind::parse(value).ok_or_else(|| {
        let zh: Vec<String> = DayKind::ALL
            .iter()
            .map(|k| format!("{}（{}）", k.as_str(), k.label(Lang::Zh)))
            .collect();
        let en: Vec<&str> = DayKind::ALL.iter().map(|k| k.as_str()).collect();
        Invalid::new(
            ErrorCode::InvalidValue,
            format!(
                "“{}”不是有效的类型，可选值为：{}",
                quote(value),
                zh.join("、")
            ),
            format!(
                "\"{}\" is not a valid kind; allowed values: {}",
                quote(value),
                en.join(", ")
            ),
        )
    })
}

/// The cells of one CSV line, quotes (RFC 4180) removed; `None` when a quote is left open or text
/// follows a closing quote. A quoted cell spanning lines is not supported: no value here needs one.
fn split_cells(line: &str) -> Option<Vec<String>> {
    let mut cells = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut cell = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        cell.push('"');
                    }
                    '"' => break,
                    c => cell.push(c),
                }
            }
            cells.push(cell);
            match chars.next() {
                None => return Some(cells),
                Some(',') => continue,
                Some(_) => return None,
            }
        }
        loop {
            match chars.next() {
                None => {
                    cells.push(cell);
                    return Some(cells);
                }
                Some(',') => break,
                Some(c) => cell.push(c),
            }
        }
        cells.push(cell);
    }
}

/// Shortens a value from the file before quoting it in a message.
fn quote(value: &str) -> String {
    const MAX: usize = 20;
    let value = value.trim();
    if value.chars().count() > MAX {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    } else {
        value.to_owned()
    }
}
