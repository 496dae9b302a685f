//! Checks for partners and the embed: one subject, listed or clear, audited.
//!
//! A subject is listed when a public notice has both its normalised name and its ID. In hashed
//! mode the partner sends HMAC(secret, ID) instead of the ID: the candidates sharing the name
//! (an indexed lookup) are hashed with the partner's secret and compared.

use std::collections::BTreeSet;

use portal_core::{
    notice::{decode_stored_lists, ListKind},
    partner::Identifier,
    PersonName,
};

use super::store::{id_hmac, Partner};
use crate::{
    db::Db,
    notices::store::{self, Visible},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub listed: bool,
    pub lists: Vec<String>,
    pub notice_ids: Vec<i64>,
    /// Who was checked, for the audit log: the canonical ID when known, else the hash sent. Only
    /// its keyed hash is stored ([`crate::keys::Keys::subject_key`]).
    pub subject: String,
    pub hashed: bool,
}

impl Outcome {
    pub fn status(&self) -> &'static str {
        if self.listed {
            "listed"
        } else {
            "clear"
        }
    }

    /// A short human-readable account of how the answer was reached.
    pub fn explanation(&self, lang: portal_core::Lang) -> String {
        let (zh, en) = match (self.listed, self.hashed) {
            (true, false) => (
                "证件号码精确匹配，名称经规范化（繁简、全半角、空格、间隔号）后一致",
                "Exact match on the ID number; the name matched after normalisation (script, width, spaces, middle dots)",
            ),
            (true, true) => (
                "证件号码的 HMAC 精确匹配，名称经规范化后一致",
                "Exact match on the ID number's HMAC; the name matched after normalisation",
            ),
            (false, _) => (
                "没有同时匹配该名称与证件号码的公开信息（已删除或宽限期内的信息不公开）",
                "No public notice matches both this name and this ID (deleted and grace-period notices are not public)",
            ),
        };
        match lang {
            portal_core::Lang::Zh => zh.to_owned(),
            portal_core::Lang::En => en.to_owned(),
        }
    }
}

pub async fn check(
    db: &Db,
    partner: &Partner,
    name: &PersonName,
    identifier: &Identifier,
) -> Result<Outcome, sqlx::Error> {
    let subject = [(name.clone(), identifier.clone())];
    Ok(check_many(db, partner, &subject)
        .await?
        .pop()
        .expect("one outcome per subject"))
}

/// Checks many subjects with at most two queries (the plain IDs in one, the names of hashed IDs
/// in the other): a batch of 100 costs about what one check does. Outcomes are in input order.
pub async fn check_many(
    db: &Db,
    partner: &Partner,
    subjects: &[(PersonName, Identifier)],
) -> Result<Vec<Outcome>, sqlx::Error> {
    let mut plain: Vec<&str> = Vec::new();
    let mut hashed_names: Vec<&str> = Vec::new();
    for (name, identifier) in subjects {
        match identifier {
            Identifier::Plain(id) => plain.push(id.as_str()),
            Identifier::Hashed(_) => hashed_names.push(name.normalized()),
        }
    }
    for list in [&mut plain, &mut hashed_names] {
        list.sort_unstable();
        list.dedup();
    }
    let mut rows: Vec<store::MatchRow> = Vec::new();
    if !plain.is_empty() {
        rows.extend(
            store::by_ids(db, &plain)
                .await?
                .into_iter()
                .map(|r| store::MatchRow {
                    id: r.id,
                    id_number: r.id_number,
                    name_norm: r.name_norm,
                    lists: r.lists,
                }),
        );
    }
    if !hashed_names.is_empty() {
        rows.extend(store::matches(db, &Visible::today().name_keys(&hashed_names)).await?);
    }
    Ok(subjects
        .iter()
        .map(|(name, identifier)| {
            let key = name.normalized();
            let mine: Vec<&store::MatchRow> = rows
                .iter()
                .filter(|row| {
                    row.name_norm == key
                        && match identifier {
                            Identifier::Plain(id) => row.id_number == id.as_str(),
                            Identifier::Hashed(hash) => {
                                id_hmac(&partner.id_hmac_secret, &row.id_number) == *hash
                            }
                        }
                })
                .collect();
            outcome(identifier, &mine)
        })
        .collect())
}

fn outcome(identifier: &Identifier, rows: &[&store::MatchRow]) -> Outcome {
    let lists: BTreeSet<ListKind> = rows
        .iter()
        .flat_map(|r| decode_stored_lists(&r.lists))
        .collect();
    let subject = match (identifier, rows.first()) {
        (Identifier::Plain(id), _) => id.as_str().to_owned(),
        (Identifier::Hashed(_), Some(row)) => row.id_number.clone(),
        (Identifier::Hashed(hash), None) => hash.clone(),
    };
    Outcome {
        listed: !rows.is_empty(),
        lists: lists.into_iter().map(|k| k.as_str().to_owned()).collect(),
        notice_ids: rows.iter().map(|r| r.id).collect(),
        subject,
        hashed: matches!(identifier, Identifier::Hashed(_)),
    }
}
