//! `portal-server import notices FILE`: court data in CSV (header row) or JSON lines (DESIGN §7.2).
//!
//! A file imports all-or-nothing: every row is validated first with `core`'s rules and any bad row
//! (or a key repeated within the file) rejects the whole file with a report naming each row's line,
//! column and reason. Re-importing a row updates it; a row with `status = deleted` disappears from
//! every public answer as soon as the transaction commits.

use std::{collections::HashMap, fmt, path::Path};

use portal_core::{
    notice::{Notice, NoticeRow, NoticeStatus},
    ErrorCode, FieldError, Invalid,
};

use super::store as notices;
use crate::db::Db;

/// One problem in one row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// 1-based line in the file (the CSV header is line 1).
    pub line: u64,
    /// The column (import field) concerned; empty when the whole line is unreadable.
    pub column: String,
    pub code: ErrorCode,
    pub zh: String,
    pub en: String,
}

impl RowError {
    pub(crate) fn new(line: u64, e: FieldError) -> Self {
        RowError {
            line,
            column: e.field,
            code: e.invalid.code,
            zh: e.invalid.zh,
            en: e.invalid.en,
        }
    }

    pub(crate) fn whole_line(line: u64, invalid: Invalid) -> Self {
        RowError::new(line, invalid.at(""))
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let column = if self.column.is_empty() {
            "-"
        } else {
            &self.column
        };
        write!(
            f,
            "line {}, column {}: {} ({}) / {}",
            self.line,
            column,
            self.en,
            self.code.as_str(),
            self.zh
        )
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    /// Rows imported with `status = deleted` (now hidden from the public).
    pub deleted: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} invalid row(s); nothing was imported", .0.len())]
    Rejected(Vec<RowError>),
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

/// Reads, validates and stores one file.
pub async fn import_file(db: &Db, path: &Path) -> Result<ImportReport, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let is_jsonl = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
    let notices = parse_and_validate(&bytes, is_jsonl).map_err(ImportError::Rejected)?;
    let outcome = notices::upsert_all(db, &notices).await?;
    // Many new rows change the table's shape (autovacuum's threshold is a tenth of the table).
    if outcome.inserted >= 10_000 {
        notices::refresh_statistics(db).await?;
    }
    Ok(ImportReport {
        rows: notices.len(),
        inserted: outcome.inserted,
        updated: outcome.updated,
        deleted: notices
            .iter()
            .filter(|n| n.status == NoticeStatus::Deleted)
            .count(),
    })
}

/// Parses the whole file and validates every row; `Err` lists every problem found.
pub fn parse_and_validate(bytes: &[u8], is_jsonl: bool) -> Result<Vec<Notice>, Vec<RowError>> {
    let text = decode(bytes)?;
    let rows: Vec<(u64, NoticeRow)> = read_rows(text, is_jsonl)?;
    let mut errors = Vec::new();
    let mut notices = Vec::with_capacity(rows.len());
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for (line, row) in rows {
        match row.validate() {
            Ok(notice) => {
                let key = (
                    notice.case_number.as_str().to_owned(),
                    notice.subject_id.as_str().to_owned(),
                );
                if let Some(first) = seen.insert(key, line) {
                    errors.push(RowError::whole_line(
                        line,
                        Invalid::new(
                            ErrorCode::InvalidValue,
                            format!("与第 {first} 行的案号和证件号码重复"),
                            format!("same case number and ID as line {first}"),
                        ),
                    ));
                }
                notices.push(notice);
            }
            Err(field_errors) => {
                errors.extend(field_errors.into_iter().map(|e| RowError::new(line, e)))
            }
        }
    }
    if notices.is_empty() && errors.is_empty() {
        errors.push(RowError::whole_line(
            1,
            Invalid::new(
                ErrorCode::MissingField,
                "文件中没有数据行",
                "the file has no data rows",
            ),
        ));
    }
    if errors.is_empty() {
        Ok(notices)
    } else {
        Err(errors)
    }
}

/// The file's text: UTF-8 (a byte-order mark is dropped), else a report naming the line.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        vec![RowError::whole_line(
            line,
            Invalid::new(
                ErrorCode::InvalidValue,
                "文件不是 UTF-8 编码（请在 Excel 中另存为“CSV UTF-8”）",
                "the file is not UTF-8 (in Excel, save as \"CSV UTF-8\")",
            ),
        )]
    })
}

/// A row of an import file: text columns by name (notices, and the parties' cases).
pub(crate) trait ImportRow: Default {
    const COLUMNS: &'static [&'static str];
    /// Whether a JSON line may give a number (an amount) where the column is text.
    const NUMBERS_AS_TEXT: bool = false;
    fn field_mut(&mut self, column: &str) -> Option<&mut String>;
}

impl ImportRow for NoticeRow {
    const COLUMNS: &'static [&'static str] = &NoticeRow::COLUMNS;
    fn field_mut(&mut self, column: &str) -> Option<&mut String> {
        NoticeRow::field_mut(self, column)
    }
}

/// Every row of a CSV file (header row, columns in any order) or of JSON lines, by line.
pub(crate) fn read_rows<R: ImportRow>(
    text: &str,
    is_jsonl: bool,
) -> Result<Vec<(u64, R)>, Vec<RowError>> {
    if is_jsonl {
        parse_jsonl(text)
    } else {
        parse_csv(text)
    }
}

fn parse_csv<R: ImportRow>(text: &str) -> Result<Vec<(u64, R)>, Vec<RowError>> {
    Ok(csv_table(text, R::COLUMNS)?
        .into_iter()
        .map(|(line, cells)| {
            let mut row = R::default();
            for (name, value) in R::COLUMNS.iter().zip(cells) {
                if let Some(slot) = row.field_mut(name) {
                    *slot = value;
                }
            }
            (line, row)
        })
        .collect())
}

/// Reads a CSV file whose header names exactly `columns` (in any order): each data row's line
/// and its cells in the order of `columns`. Blank rows are skipped; an unknown or missing
/// column, a malformed line or a row of the wrong width is reported by line.
pub(crate) fn csv_table(
    text: &str,
    columns: &[&str],
) -> Result<Vec<(u64, Vec<String>)>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| vec![csv_error(1, &e)])?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut errors = Vec::new();
    for h in &header {
        if !columns.contains(&h.as_str()) {
            errors.push(RowError::whole_line(1, unknown_column(h)));
        }
    }
    for c in columns {
        if !header.iter().any(|h| h == c) {
            errors.push(RowError::new(
                1,
                Invalid::new(
                    ErrorCode::MissingField,
                    "表头缺少此列",
                    "the header row lacks this column",
                )
                .at(*c),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let order: Vec<usize> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == c).unwrap_or(0))
        .collect();
    let lines = LineIndex::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                errors.push(csv_error(line, &e));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            errors.push(RowError::whole_line(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("本行有 {} 列，表头有 {} 列", record.len(), header.len()),
                    format!(
                        "the row has {} columns but the header has {}",
                        record.len(),
                        header.len()
                    ),
                ),
            ));
            continue;
        }
        rows.push((
            line,
            order
                .iter()
                .map(|&i| record.get(i).unwrap_or("").to_owned())
                .collect(),
        ));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Byte offsets where each line of the file starts, to turn a record's byte position into the
/// line a clerk sees in an editor or spreadsheet. The csv crate's own `Position::line` is one
/// short for files with CRLF line ends, which is what Excel writes: it counts the `\r` as the
/// record's end and the `\n` after it as the start of the next record.
struct LineIndex<'a> {
    text: &'a [u8],
    starts: Vec<u64>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u64 + 1))
            .collect();
        LineIndex {
            text: text.as_bytes(),
            starts,
        }
    }

    /// The 1-based line of the record starting at `offset`; an offset on a line end (where the
    /// csv crate puts CRLF records) belongs to the line after it.
    fn line_of(&self, offset: u64) -> u64 {
        let on_line_end =
            usize::try_from(offset).ok().and_then(|i| self.text.get(i)) == Some(&b'\n');
        let offset = offset + u64::from(on_line_end);
        self.starts.partition_point(|&start| start <= offset) as u64
    }
}

fn csv_error(line: u64, e: &csv::Error) -> RowError {
    RowError::whole_line(
        line,
        Invalid::new(
            ErrorCode::InvalidValue,
            format!("CSV 格式错误：{e}"),
            format!("malformed CSV: {e}"),
        ),
    )
}

fn unknown_column(name: &str) -> Invalid {
    Invalid::new(
        ErrorCode::InvalidValue,
        format!("未知的列“{name}”"),
        format!("unknown column \"{name}\""),
    )
}

fn parse_jsonl<R: ImportRow>(text: &str) -> Result<Vec<(u64, R)>, Vec<RowError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i as u64 + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let object = match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) | Err(_) => {
                errors.push(RowError::whole_line(
                    line,
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "本行不是一个 JSON 对象",
                        "the line is not a JSON object",
                    ),
                ));
                continue;
            }
        };
        let mut row = R::default();
        let mut ok = true;
        for (key, value) in object {
            if !R::COLUMNS.contains(&key.as_str()) {
                errors.push(RowError::whole_line(line, unknown_column(&key)));
                ok = false;
                continue;
            }
            match value {
                serde_json::Value::String(s) => {
                    if let Some(slot) = row.field_mut(&key) {
                        *slot = s;
                    }
                }
                serde_json::Value::Null => {}
                serde_json::Value::Number(n) if R::NUMBERS_AS_TEXT => {
                    if let Some(slot) = row.field_mut(&key) {
                        *slot = n.to_string();
                    }
                }
                _ => {
                    errors.push(RowError::new(
                        line,
                        Invalid::new(
                            ErrorCode::InvalidValue,
                            "值必须是字符串",
                            "the value must be a string",
                        )
                        .at(key),
                    ));
                    ok = false;
                }
            }
        }
        if ok {
            rows.push((line, row));
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}
