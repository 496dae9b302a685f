//! `portal-server import cases FILE [--codes-out FILE]` (DESIGN §7.8): the court's cases and
//! their parties, CSV (header row, columns in any order) or JSON lines, all-or-nothing with a
//! report by line and column, idempotent. A party the file gives no access code gets one made
//! here (60 random bits); `--codes-out` writes the new codes once, for the court's mail merge, to
//! a file only its owner can read — only keyed hashes of any code are stored, so they cannot be
//! shown again. A code given to two parties (in the file, or one stored) refuses the file.

use std::{collections::HashMap, io::Write, path::Path};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use portal_core::{
    party::{access_code_from_bytes, format_access_code, CaseRow, CaseRowInput, ACCESS_CODE_LEN},
    time::now_ms,
    ErrorCode, Invalid,
};

use super::store::{self, Imported, NewParty, NotImported};
use crate::{
    db::Db,
    keys::Keys,
    notices::import::{csv_table, decode, read_rows, ImportError, ImportRow, RowError},
};

impl ImportRow for CaseRowInput {
    const COLUMNS: &'static [&'static str] = &CaseRowInput::COLUMNS;
    const NUMBERS_AS_TEXT: bool = true;
    fn field_mut(&mut self, column: &str) -> Option<&mut String> {
        CaseRowInput::field_mut(self, column)
    }
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CasesReport {
    pub rows: usize,
    pub stored: Imported,
    /// Access codes made for parties the file gave none.
    pub codes_made: usize,
}

/// Every row checked by `core`'s rules, with its line; a party twice in one case, one case whose
/// rows disagree on what the case is, or one access code given to two parties, is reported by
/// line.
pub fn parse_and_validate(
    bytes: &[u8],
    is_jsonl: bool,
) -> Result<Vec<(u64, CaseRow)>, Vec<RowError>> {
    let text = decode(bytes)?;
    let rows: Vec<(u64, CaseRowInput)> = read_rows(text, is_jsonl)?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut parties: HashMap<(String, String, String), u64> = HashMap::new();
    let mut cases: HashMap<(String, String), (u64, String)> = HashMap::new();
    // One party may hold one code in each of their cases; two parties never share one.
    let mut codes: HashMap<String, (String, u64)> = HashMap::new();
    for (line, input) in rows {
        let row = match input.validate() {
            Ok(row) => row,
            Err(field_errors) => {
                errors.extend(field_errors.into_iter().map(|e| RowError::new(line, e)));
                continue;
            }
        };
        let case_key = (row.court.clone(), row.case_number.as_str().to_owned());
        let party_key = (
            case_key.0.clone(),
            case_key.1.clone(),
            row.subject_id.as_str().to_owned(),
        );
        if let Some(first) = parties.insert(party_key, line) {
            errors.push(RowError::whole_line(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("与第 {first} 行是同一案件的同一当事人"),
                    format!("the same party of the same case as line {first}"),
                ),
            ));
        }
        let facts = format!(
            "{}|{}|{}|{}|{}",
            row.stage.as_str(),
            row.obligation,
            row.amount_fen,
            row.due_on,
            row.status.as_str()
        );
        match cases.get(&case_key) {
            Some((first, seen)) if *seen != facts => errors.push(RowError::whole_line(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("与第 {first} 行同一案件，但阶段、义务、金额、期限或状态不同"),
                    format!(
                        "the same case as line {first}, but with another stage, obligation, amount, deadline or status"
                    ),
                ),
            )),
            Some(_) => {}
            None => {
                cases.insert(case_key, (line, facts));
            }
        }
        if let Some(code) = &row.access_code {
            match codes.get(code) {
                Some((holder, first)) if holder != row.subject_id.as_str() => {
                    errors.push(RowError::new(
                        line,
                        code_taken(&format!("第 {first} 行"), &format!("line {first}")),
                    ));
                }
                Some(_) => {}
                None => {
                    codes.insert(code.clone(), (row.subject_id.as_str().to_owned(), line));
                }
            }
        }
        out.push((line, row));
    }
    if out.is_empty() && errors.is_empty() {
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
        Ok(out)
    } else {
        Err(errors)
    }
}

/// An access code another party holds (`zh`/`en` say where: a line of the file, or stored).
fn code_taken(zh: &str, en: &str) -> portal_core::FieldError {
    Invalid::new(
        ErrorCode::InvalidValue,
        format!("查询码与{zh}的另一当事人相同：每位当事人的查询码必须不同"),
        format!(
            "the access code is the same as another party's ({en}): each party needs their own"
        ),
    )
    .at("access_code")
}

/// A new access code: 12 characters of the unambiguous alphabet from the OS's randomness.
fn new_code() -> String {
    let mut random = [0u8; ACCESS_CODE_LEN];
    OsRng.fill_bytes(&mut random);
    access_code_from_bytes(&random)
}

/// Reads, checks and stores one file; with `codes_out`, writes the codes made for new parties
/// (`court,case_number,name,masked_id,access_code`) before anything is stored — inside the
/// store's transaction, once it has found no code of the file held by another party — so a code
/// the database holds is never one nobody can hand out, and a refused file leaves no codes.
pub async fn import_file(
    db: &Db,
    keys: &Keys,
    path: &Path,
    codes_out: Option<&Path>,
) -> Result<CasesReport, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let is_jsonl = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
    let lines = parse_and_validate(&bytes, is_jsonl).map_err(ImportError::Rejected)?;
    let (line_of, rows): (Vec<u64>, Vec<CaseRow>) = lines.into_iter().unzip();
    let mut codes: Vec<Option<String>> = Vec::with_capacity(rows.len());
    let mut made: Vec<(usize, String)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let code = match &r.access_code {
            Some(code) => Some(code.clone()),
            None if store::party_exists(
                db,
                &r.court,
                r.case_number.as_str(),
                r.subject_id.as_str(),
            )
            .await
            .map_err(anyhow::Error::from)? =>
            {
                None
            }
            None => {
                let code = new_code();
                made.push((i, code.clone()));
                Some(code)
            }
        };
        codes.push(code);
    }
    // Written once the store has found no code held by another party, before it writes.
    let made_count = made.len();
    let codes_file = (!made.is_empty())
        .then(|| codes_csv(&rows, &made))
        .transpose()
        .map_err(ImportError::Store)?;
    let codes_out = codes_out.map(Path::to_owned);
    let write_made = move || match (codes_file, codes_out) {
        (None, _) => Ok(()),
        (Some(csv), Some(out)) => write_codes(&out, &csv),
        (Some(_), None) => Err(anyhow::anyhow!(
            "{made_count} new parties have no access code in the file: give --codes-out FILE to \
             receive the codes made for them (nothing was imported)"
        )),
    };
    let hashes: Vec<Option<(String, String)>> = rows
        .iter()
        .zip(&codes)
        .map(|(r, c)| {
            c.as_ref().map(|c| {
                (
                    keys.access_code_key(r.subject_id.as_str(), c),
                    keys.access_code_fingerprint(c),
                )
            })
        })
        .collect();
    let stage: Vec<String> = rows.iter().map(|r| r.stage.as_str().to_owned()).collect();
    let due: Vec<String> = rows.iter().map(|r| r.due_on.to_string()).collect();
    let new: Vec<NewParty> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| NewParty {
            court: &r.court,
            case_number: r.case_number.as_str(),
            stage: &stage[i],
            obligation: &r.obligation,
            amount_fen: r.amount_fen,
            due_on: &due[i],
            status: r.status.as_str(),
            role: r.role.as_str(),
            name: r.name.display(),
            name_norm: r.name.normalized(),
            subject_id: r.subject_id.as_str(),
            code_hash: hashes[i].as_ref().map(|(hash, _)| hash.as_str()),
            code_fingerprint: hashes[i].as_ref().map(|(_, print)| print.as_str()),
        })
        .collect();
    let stored = match store::upsert_all(db, &new, now_ms(), write_made).await {
        Ok(stored) => stored,
        Err(NotImported::CodesHeld(taken)) => {
            return Err(ImportError::Rejected(
                taken
                    .into_iter()
                    .map(|i| RowError::new(line_of[i], code_taken("已导入", "one imported before")))
                    .collect(),
            ))
        }
        Err(NotImported::Failed(e)) => return Err(ImportError::Store(e)),
    };
    Ok(CasesReport {
        rows: rows.len(),
        stored,
        codes_made: made_count,
    })
}

/// The codes made for new parties, as the court's mail merge reads them:
/// `court,case_number,name,masked_id,access_code`.
fn codes_csv(rows: &[CaseRow], made: &[(usize, String)]) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["court", "case_number", "name", "masked_id", "access_code"])?;
    for (i, code) in made {
        let r = &rows[*i];
        out.write_record([
            r.court.as_str(),
            r.case_number.as_str(),
            r.name.display(),
            &r.subject_id.masked(),
            &format_access_code(code),
        ])?;
    }
    Ok(out.into_inner()?)
}

fn write_codes(path: &Path, csv: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // The codes sign their parties in: readable by the operator alone, from its first byte.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        anyhow::anyhow!(
            "cannot create {} (it must not exist yet: codes are written once): {e}",
            path.display()
        )
    })?;
    file.write_all(csv)?;
    file.sync_all()?;
    Ok(())
}

/// `portal-server import courts FILE`: each court and the court one level up (`court,parent`,
/// CSV with a header row), which decides the reconsiderations of its refusals. All or nothing;
/// a court given again gets the new parent. Returns how many courts were stored.
pub async fn import_courts(db: &Db, path: &Path) -> Result<usize, ImportError> {
    let bytes = std::fs::read(path).map_err(|e| ImportError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let rows = csv_table(
        decode(&bytes).map_err(ImportError::Rejected)?,
        &["court", "parent"],
    )
    .map_err(ImportError::Rejected)?;
    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut pairs = Vec::with_capacity(rows.len());
    for (line, cells) in rows {
        let (court, parent) = (cells[0].trim().to_owned(), cells[1].trim().to_owned());
        for (column, value) in [("court", &court), ("parent", &parent)] {
            if value.is_empty() || value.chars().count() > 100 {
                errors.push(RowError::new(
                    line,
                    Invalid::new(
                        ErrorCode::InvalidValue,
                        "请填写法院全称（最多100个字）",
                        "give the court's full name (at most 100 characters)",
                    )
                    .at(column),
                ));
            }
        }
        if !court.is_empty() && court == parent {
            errors.push(RowError::new(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    "上一级法院不能是本院",
                    "a court is not its own court one level up",
                )
                .at("parent"),
            ));
        }
        if let Some(first) = seen.insert(court.clone(), line) {
            errors.push(RowError::whole_line(
                line,
                Invalid::new(
                    ErrorCode::InvalidValue,
                    format!("与第 {first} 行是同一法院"),
                    format!("the same court as line {first}"),
                ),
            ));
        }
        pairs.push((court, parent));
    }
    if pairs.is_empty() && errors.is_empty() {
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
        return Err(ImportError::Rejected(errors));
    }
    store::set_parents(db, &pairs)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(pairs.len())
}
