//! Reading public notices: lookup by name (grouped by subject), one notice in full, and exact
//! verification. Every query carries the public-visibility rule of [`crate::notices::PUBLIC`].

use std::collections::BTreeSet;

use chrono::SecondsFormat;
use portal_core::{
    api::{LookupResponse, NoticeDetail, NoticeSummary, SubjectResult, VerifyResponse},
    lookup::{LookupQuery, VerifyQuery, MAX_SUBJECTS, PAGE_SIZE},
    notice::{ListKind, RestrictionCategory, SubjectType},
    IdNumber,
};
use sqlx::Row;

use crate::{
    db::{court_today, Db},
    notices::PUBLIC,
};

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn split_lists(lists: &str) -> Vec<String> {
    lists
        .split(';')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The public form of a stored identifier: person IDs masked, credit codes in full.
fn masked(subject_type: &str, id: &str) -> String {
    if subject_type == SubjectType::Organization.as_str() {
        id.to_owned()
    } else {
        IdNumber::parse(id)
            .map(|i| i.masked())
            .unwrap_or_else(|_| "****".into())
    }
}

pub async fn lookup(db: &Db, q: &LookupQuery) -> Result<LookupResponse, sqlx::Error> {
    let today = court_today().to_string();
    // $1 today, $2 name, then optional filters.
    let mut filter = format!("{PUBLIC} AND name_norm = $2");
    let mut next = 3;
    if q.subject_id.is_some() {
        filter.push_str(&format!(" AND id_number = ${next}"));
        next += 1;
    }
    if q.province.is_some() {
        filter.push_str(&format!(" AND province = ${next}"));
    }

    // One statement answers a lookup: the subjects (one more than can be shown, which tells
    // whether the name matches too many), their number on every row, and the notices of the
    // requested page. Rows cross a thread boundary one by one in the SQLite driver, so only the
    // page's notices come back.
    let offset = (q.page - 1) * PAGE_SIZE;
    let sql = format!(
        "WITH subjects AS (SELECT id_number FROM notices WHERE {filter} GROUP BY id_number \
         ORDER BY id_number LIMIT {limit}) \
         SELECT (SELECT COUNT(*) FROM subjects) AS subject_count, id, case_number, court, subject_type, \
         name, id_number, lists, filed_on, published_on FROM notices WHERE {filter} AND id_number IN \
         (SELECT id_number FROM subjects ORDER BY id_number LIMIT {PAGE_SIZE} OFFSET {offset}) \
         ORDER BY id_number, published_on DESC, id",
        limit = MAX_SUBJECTS + 1
    );
    let rows = bind_lookup_filters(&sql, &today, q)
        .fetch_all(&db.pool)
        .await?;
    let count: i64 = match rows.first() {
        Some(row) => row.get("subject_count"),
        // An empty first page means no subject at all; past the end, count them for the reply.
        None if q.page == 1 => 0,
        None => {
            let count_sql = format!(
                "SELECT COUNT(*) FROM (SELECT id_number FROM notices WHERE {filter} GROUP BY id_number LIMIT {}) s",
                MAX_SUBJECTS + 1
            );
            bind_lookup_filters(&count_sql, &today, q)
                .fetch_one(&db.pool)
                .await?
                .get(0)
        }
    };
    let too_many = count > i64::from(MAX_SUBJECTS);
    let total = (count as u32).min(MAX_SUBJECTS);

    let mut subjects: Vec<SubjectResult> = Vec::new();
    for row in rows {
        let id_number: String = row.get("id_number");
        let subject_type: String = row.get("subject_type");
        let lists = split_lists(&row.get::<String, _>("lists"));
        let notice = NoticeSummary {
            id: row.get("id"),
            case_number: row.get("case_number"),
            court: row.get("court"),
            lists: lists.clone(),
            filed_on: row.get("filed_on"),
            published_on: row.get("published_on"),
        };
        let masked_id = masked(&subject_type, &id_number);
        match subjects.last_mut() {
            Some(s) if s.masked_id == masked_id && s.subject_type == subject_type => {
                s.notices.push(notice);
                s.lists = merge(&s.lists, &lists);
            }
            _ => subjects.push(SubjectResult {
                name: row.get("name"),
                subject_type,
                masked_id,
                lists: merge(&[], &lists),
                notices: vec![notice],
            }),
        }
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

/// A query with the lookup's filter values bound in order: today, name, then the optional ID and
/// province.
fn bind_lookup_filters<'q>(
    sql: &'q str,
    today: &str,
    q: &LookupQuery,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut query = sqlx::query(sql)
        .bind(today.to_owned())
        .bind(q.name.normalized().to_owned());
    if let Some(id) = &q.subject_id {
        query = query.bind(id.as_str().to_owned());
    }
    if let Some(p) = q.province {
        query = query.bind(p.code);
    }
    query
}

/// Union of two list sets in the canonical order (dishonest, restricted, terminated).
fn merge(a: &[String], b: &[String]) -> Vec<String> {
    let set: BTreeSet<ListKind> = a
        .iter()
        .chain(b)
        .filter_map(|s| ListKind::parse(s))
        .collect();
    set.into_iter().map(|k| k.as_str().to_owned()).collect()
}

pub async fn notice(db: &Db, id: i64) -> Result<Option<NoticeDetail>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT id, case_number, court, subject_type, name, id_number, legal_representative, basis_number, \
         basis_issuer, filed_on, obligation, performance, behaviour, lists, published_on \
         FROM notices WHERE {PUBLIC} AND id = $2"
    ))
    .bind(court_today().to_string())
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let subject_type: String = row.get("subject_type");
    let id_number: String = row.get("id_number");
    let person = if subject_type == SubjectType::Person.as_str() {
        IdNumber::parse(&id_number).ok()
    } else {
        None
    };
    let lists = split_lists(&row.get::<String, _>("lists"));
    let restrictions = if lists.iter().any(|l| l == ListKind::Restricted.as_str()) {
        RestrictionCategory::ALL
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(NoticeDetail {
        id: row.get("id"),
        as_of: now_rfc3339(),
        case_number: row.get("case_number"),
        court: row.get("court"),
        masked_id: masked(&subject_type, &id_number),
        sex: person
            .as_ref()
            .map(|p| if p.is_male() { "male" } else { "female" }.to_owned()),
        age: person.as_ref().map(|p| p.age_on(court_today())),
        subject_type,
        name: row.get("name"),
        legal_representative: row.get("legal_representative"),
        basis_number: row.get("basis_number"),
        basis_issuer: row.get("basis_issuer"),
        filed_on: row.get("filed_on"),
        obligation: row.get("obligation"),
        performance: row.get("performance"),
        behaviour: row.get("behaviour"),
        lists,
        published_on: row.get("published_on"),
        restrictions,
    }))
}

pub async fn verify(db: &Db, q: &VerifyQuery) -> Result<VerifyResponse, sqlx::Error> {
    let rows: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT lists FROM notices WHERE {PUBLIC} AND id_number = $2 AND name_norm = $3"
    ))
    .bind(court_today().to_string())
    .bind(q.subject_id.as_str())
    .bind(q.name.normalized())
    .fetch_all(&db.pool)
    .await?;
    let lists = rows
        .iter()
        .fold(Vec::new(), |acc, l| merge(&acc, &split_lists(l)));
    Ok(VerifyResponse {
        listed: !rows.is_empty(),
        lists,
        as_of: now_rfc3339(),
    })
}
