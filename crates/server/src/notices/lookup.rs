//! Public answers about notices: lookup by name (grouped by subject), one notice in full, and
//! exact verification, assembled from the rows [`super::store`] returns.

use portal_core::time::{court_today, now_rfc3339};
use std::collections::BTreeSet;

use portal_core::{
    api::{LookupResponse, NoticeDetail, NoticeSummary, SubjectResult, VerifyResponse},
    lookup::{LookupQuery, VerifyQuery, MAX_SUBJECTS, PAGE_SIZE},
    notice::{decode_stored_lists, ListKind, RestrictionCategory, SubjectType},
    IdNumber,
};

use super::store;
use crate::db::Db;

fn names(lists: &BTreeSet<ListKind>) -> Vec<String> {
    lists.iter().map(|k| k.as_str().to_owned()).collect()
}

/// The public form of a stored identifier: person IDs masked as the first 10 characters, `****`
/// and the last 4 (DESIGN §7.3), credit codes in full. Stored IDs were validated when imported;
/// they are masked as text, not parsed again, so a rule added since cannot hide a listing.
pub(crate) fn masked(subject_type: &str, id: &str) -> String {
    if subject_type == SubjectType::Organization.as_str() {
        id.to_owned()
    } else if id.len() == 18 && id.is_ascii() {
        format!("{}****{}", &id[..10], &id[14..])
    } else {
        "****".to_owned()
    }
}

/// The notices of one subject, as a lookup page: an exact lookup (name and ID) is a lookup by
/// ID ([`store::by_ids`], the statement verification and partner checks share) narrowed here.
async fn exact_page(
    db: &Db,
    q: &LookupQuery,
    id: &str,
) -> Result<(Vec<store::LookupRow>, i64), sqlx::Error> {
    let mut rows: Vec<store::LookupRow> = store::by_ids(db, &[id])
        .await?
        .into_iter()
        .filter(|r| {
            r.name_norm == q.name.normalized() && q.province.is_none_or(|p| r.province == p.code)
        })
        .map(|r| r.into_lookup_row(1))
        .collect();
    let count = i64::from(!rows.is_empty());
    if q.page > 1 {
        rows.clear();
    }
    rows.sort_by(|a, b| {
        b.published_on
            .cmp(&a.published_on)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok((rows, count))
}

pub async fn lookup(db: &Db, q: &LookupQuery) -> Result<LookupResponse, sqlx::Error> {
    let (rows, count) = match &q.subject_id {
        Some(id) => exact_page(db, q, id.as_str()).await?,
        None => {
            store::lookup_page(db, q.name.normalized(), q.province.map(|p| p.code), q.page).await?
        }
    };
    let too_many = count > i64::from(MAX_SUBJECTS);
    let total = (count as u32).min(MAX_SUBJECTS);

    let mut subjects: Vec<SubjectResult> = Vec::new();
    // The union of each subject's lists, in canonical order (dishonest, restricted, terminated).
    let mut all_lists: Vec<BTreeSet<ListKind>> = Vec::new();
    for row in rows {
        let lists = decode_stored_lists(&row.lists);
        let notice = NoticeSummary {
            id: row.id,
            case_number: row.case_number,
            court: row.court,
            lists: names(&lists),
            filed_on: row.filed_on,
            published_on: row.published_on,
        };
        let masked_id = masked(&row.subject_type, &row.id_number);
        match subjects.last_mut() {
            Some(s) if s.masked_id == masked_id && s.subject_type == row.subject_type => {
                s.notices.push(notice);
                all_lists
                    .last_mut()
                    .expect("one set per subject")
                    .extend(lists);
            }
            _ => {
                subjects.push(SubjectResult {
                    name: row.name,
                    subject_type: row.subject_type,
                    masked_id,
                    lists: Vec::new(),
                    notices: vec![notice],
                });
                all_lists.push(lists);
            }
        }
    }
    for (subject, lists) in subjects.iter_mut().zip(&all_lists) {
        subject.lists = names(lists);
    }
    Ok(LookupResponse {
        as_of: now_rfc3339(),
        total,
        page: q.page,
        page_size: PAGE_SIZE,
        too_many,
        subjects,
    })
}

pub async fn notice(db: &Db, id: i64) -> Result<Option<NoticeDetail>, sqlx::Error> {
    let Some(row) = store::detail(db, id).await? else {
        return Ok(None);
    };
    let person = if row.subject_type == SubjectType::Person.as_str() {
        IdNumber::parse(&row.id_number).ok()
    } else {
        None
    };
    let lists = decode_stored_lists(&row.lists);
    let restrictions = if lists.contains(&ListKind::Restricted) {
        RestrictionCategory::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(NoticeDetail {
        id: row.id,
        as_of: now_rfc3339(),
        masked_id: masked(&row.subject_type, &row.id_number),
        sex: person
            .as_ref()
            .map(|p| if p.is_male() { "male" } else { "female" }.to_owned()),
        age: person.as_ref().map(|p| p.age_on(court_today())),
        case_number: row.case_number,
        court: row.court,
        subject_type: row.subject_type,
        name: row.name,
        legal_representative: row.legal_representative,
        basis_number: row.basis_number,
        basis_issuer: row.basis_issuer,
        filed_on: row.filed_on,
        obligation: row.obligation,
        performance: row.performance,
        behaviour: row.behaviour,
        lists: names(&lists),
        published_on: row.published_on,
        restrictions,
    }))
}

pub async fn verify(db: &Db, q: &VerifyQuery) -> Result<VerifyResponse, sqlx::Error> {
    let rows: Vec<_> = store::by_ids(db, &[q.subject_id.as_str()])
        .await?
        .into_iter()
        .filter(|r| r.name_norm == q.name.normalized())
        .collect();
    let lists: BTreeSet<ListKind> = rows
        .iter()
        .flat_map(|r| decode_stored_lists(&r.lists))
        .collect();
    Ok(VerifyResponse {
        listed: !rows.is_empty(),
        lists: names(&lists),
        as_of: now_rfc3339(),
    })
}
