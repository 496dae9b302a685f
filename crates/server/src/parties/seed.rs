//! The parties' desk's demo data (`seed --demo`): the courts one level up of the demo courts, and
//! cases of the showcase subjects in every stage — one listed, one whose listing is in its grace
//! period, one performed and delisted, one before enforcement with its deadline ten days away —
//! with fixed access codes ([`DEMO_CODES`]) so that the demo and the end-to-end tests can sign in.

use chrono::{Days, NaiveDate};
use portal_core::party::CaseRowInput;

use super::store::{self, NewParty};
use crate::{db::Db, keys::Keys, notices::seed::COURTS};

/// (subject's showcase key, access code): demo data only, printed in the README.
pub const DEMO_CODES: &[(&str, &str)] = &[
    ("listed", "CHEN2345XMZA"),
    ("grace", "ZHAN6789WQGR"),
    ("deleted", "LJGQ2345ABCD"),
    ("company", "HFMY2345TRDE"),
];

/// The creditor of every demo case: its name, the body of its credit code (the check character
/// is computed) and its access code (demo data only, printed in the README).
pub const CREDITOR: (&str, &str, &str) =
    ("宁波甬兴建材有限公司", "91330225MA2H4L8Q0", "YXJC6789CRED");

/// Stores the demo courts' parents and the showcase subjects' cases (idempotent).
pub async fn seed_parties(db: &Db, keys: &Keys, today: NaiveDate) -> anyhow::Result<()> {
    let parents: Vec<(String, String)> = COURTS
        .iter()
        .map(|c| (c.name.to_owned(), format!("{}市中级人民法院", c.city)))
        .collect();
    store::set_parents(db, &parents).await?;
    let showcase = crate::notices::seed::showcase_json(today);
    let subject = |key: &str| -> (String, String, String) {
        let s = &showcase[key];
        (
            s["name"].as_str().unwrap_or_default().to_owned(),
            s["id"].as_str().unwrap_or_default().to_owned(),
            s["case"].as_str().unwrap_or_default().to_owned(),
        )
    };
    let code = |key: &str| {
        DEMO_CODES
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| (*c).to_owned())
            .unwrap_or_default()
    };
    let ymd = |d: NaiveDate| d.to_string();
    let creditor_id = portal_core::CreditCode::from_body(CREDITOR.1);
    let mut rows: Vec<CaseRowInput> = Vec::new();
    let mut case = |court: &str,
                    case_number: &str,
                    stage: &str,
                    (name, id, access): (&str, &str, String),
                    obligation: &str,
                    amount: &str,
                    due_on: String,
                    status: &str| {
        for (role, name, id, access) in [
            ("debtor", name, id, access),
            (
                "creditor",
                CREDITOR.0,
                creditor_id.as_str(),
                CREDITOR.2.to_owned(),
            ),
        ] {
            rows.push(CaseRowInput {
                court: court.into(),
                case_number: case_number.into(),
                stage: stage.into(),
                role: role.into(),
                name: name.into(),
                id_number: id.into(),
                obligation: obligation.into(),
                amount: amount.into(),
                due_on: due_on.clone(),
                status: status.into(),
                access_code: access,
            });
        }
    };
    let (listed_name, listed_id, listed_case) = subject("listed");
    case(
        "宁波市象山县人民法院",
        &listed_case,
        "during_enforcement",
        (&listed_name, &listed_id, code("listed")),
        "支付货款人民币128,000元及逾期付款利息",
        "128000",
        "2024-03-31".into(),
        "open",
    );
    let before = format!("({})浙0225民初3456号", today.format("%Y"));
    case(
        "宁波市象山县人民法院",
        &before,
        "before_enforcement",
        (&listed_name, &listed_id, code("listed")),
        "支付工程款人民币56,000元",
        "56000",
        ymd(today + Days::new(10)),
        "open",
    );
    let trial = format!("({})浙0225民初789号", today.format("%Y"));
    let (company_name, company_id, company_case) = subject("company");
    case(
        "宁波市象山县人民法院",
        &trial,
        "during_trial",
        (&company_name, &company_id, code("company")),
        "支付租金人民币30,000元（审理中）",
        "30000",
        ymd(today + Days::new(60)),
        "open",
    );
    case(
        "宁波市象山县人民法院",
        &company_case,
        "during_enforcement",
        (&company_name, &company_id, code("company")),
        "支付货款人民币128,000元及逾期付款利息",
        "128000",
        "2023-03-31".into(),
        "open",
    );
    let (grace_name, grace_id, grace_case) = subject("grace");
    case(
        "北京市朝阳区人民法院",
        &grace_case,
        "during_enforcement",
        (&grace_name, &grace_id, code("grace")),
        "支付货款人民币128,000元及逾期付款利息",
        "128000",
        ymd(today - Days::new(20)),
        "open",
    );
    let (deleted_name, deleted_id, deleted_case) = subject("deleted");
    case(
        "杭州市西湖区人民法院",
        &deleted_case,
        "during_enforcement",
        (&deleted_name, &deleted_id, code("deleted")),
        "支付货款人民币128,000元及逾期付款利息",
        "128000",
        "2022-03-31".into(),
        "performed",
    );
    let mut parsed = Vec::with_capacity(rows.len());
    for row in &rows {
        parsed.push(
            row.validate()
                .map_err(|e| anyhow::anyhow!("a demo case row is invalid: {:?}", e))?,
        );
    }
    let hashes: Vec<(String, String)> = parsed
        .iter()
        .map(|r| {
            let code = r.access_code.as_deref().unwrap_or_default();
            (
                keys.access_code_key(r.subject_id.as_str(), code),
                keys.access_code_fingerprint(code),
            )
        })
        .collect();
    let texts: Vec<(String, String)> = parsed
        .iter()
        .map(|r| (r.stage.as_str().to_owned(), r.due_on.to_string()))
        .collect();
    let new: Vec<NewParty> = parsed
        .iter()
        .zip(&hashes)
        .zip(&texts)
        .map(|((r, (hash, print)), (stage, due_on))| NewParty {
            court: &r.court,
            case_number: r.case_number.as_str(),
            stage,
            obligation: &r.obligation,
            amount_fen: r.amount_fen,
            due_on,
            status: r.status.as_str(),
            role: r.role.as_str(),
            name: r.name.display(),
            name_norm: r.name.normalized(),
            subject_id: r.subject_id.as_str(),
            code_hash: Some(hash),
            code_fingerprint: Some(print),
        })
        .collect();
    store::upsert_all(db, &new, portal_core::time::now_ms(), || Ok(())).await?;
    Ok(())
}
