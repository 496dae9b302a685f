//! Import rows end to end: validation of whole rows (every column, in column order, with the
//! cross-column rules), the row ⇄ notice round trip, and the masking of raw IDs in `Debug`.

use chrono::NaiveDate;
use proptest::prelude::*;
use serde::de::value::{Error as DeError, MapDeserializer};
use serde::Deserialize;

use super::*;
use crate::case_number::tests::arb_case_number;
use crate::credit_code::tests::arb_credit_code;
use crate::error::{ErrorCode, FieldError};
use crate::id_number::tests::arb_id;
use crate::name::PersonName;

fn person_row() -> NoticeRow {
    NoticeRow {
        case_number: "(2024)浙0225执1234号".into(),
        court: "宁波市象山县人民法院".into(),
        subject_type: "person".into(),
        name: "张三".into(),
        id_number: "440524197302122516".into(),
        legal_representative: String::new(),
        basis_number: "(2023)浙0225民初567号".into(),
        basis_issuer: "宁波市象山县人民法院".into(),
        filed_on: "2024-01-15".into(),
        obligation: "支付货款人民币120000元及利息".into(),
        performance: "none".into(),
        behaviour: "refuses_with_ability".into(),
        lists: "dishonest;restricted".into(),
        published_on: "2024-03-01".into(),
        status: "active".into(),
    }
}

fn organisation_row() -> NoticeRow {
    NoticeRow {
        subject_type: "organization".into(),
        name: "象山某某水产有限公司".into(),
        id_number: "91350100M000100Y43".into(),
        legal_representative: "李四".into(),
        behaviour: String::new(),
        lists: "restricted;terminated".into(),
        performance: "partial".into(),
        ..person_row()
    }
}

fn fields(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
    errors
        .iter()
        .map(|e| (e.field.as_str(), e.code()))
        .collect()
}

#[test]
fn valid_rows() {
    let n = person_row().validate().unwrap();
    assert_eq!(n.case_number.as_str(), "(2024)浙0225执1234号");
    assert_eq!(n.subject_id.masked(), "4405241973****2516");
    assert_eq!(n.behaviour, Some(Behaviour::RefusesWithAbility));
    assert_eq!(n.lists, vec![ListKind::Dishonest, ListKind::Restricted]);
    assert_eq!(n.legal_representative, None);
    assert_eq!(n.to_row(), person_row());

    let o = organisation_row().validate().unwrap();
    assert_eq!(o.subject_type, SubjectType::Organization);
    assert_eq!(o.subject_id.masked(), "91350100M000100Y43");
    assert_eq!(o.legal_representative.as_deref(), Some("李四"));
    assert_eq!(o.behaviour, None);
    assert_eq!(o.to_row(), organisation_row());

    // Lenient spellings are accepted and canonicalised.
    let messy = NoticeRow {
        case_number: "（2024）浙0225执1234号".into(),
        court: "  宁波市象山县人民法院 ".into(),
        subject_type: "PERSON".into(),
        id_number: "44052419730212251６".into(),
        lists: "restricted;dishonest;".into(),
        ..person_row()
    };
    assert_eq!(messy.validate().unwrap(), n);
}

#[test]
fn every_error_is_reported_in_column_order() {
    let row = NoticeRow {
        legal_representative: "王五".into(),
        ..NoticeRow::default()
    };
    let errors = row.validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![
            ("case_number", ErrorCode::MissingField),
            ("court", ErrorCode::MissingField),
            ("subject_type", ErrorCode::MissingField),
            ("name", ErrorCode::MissingField),
            ("id_number", ErrorCode::MissingField),
            ("basis_number", ErrorCode::MissingField),
            ("basis_issuer", ErrorCode::MissingField),
            ("filed_on", ErrorCode::MissingField),
            ("obligation", ErrorCode::MissingField),
            ("performance", ErrorCode::MissingField),
            ("lists", ErrorCode::MissingField),
            ("published_on", ErrorCode::MissingField),
            ("status", ErrorCode::MissingField),
        ]
    );
    assert!(
        errors[2].invalid.zh.contains("person（自然人）"),
        "{}",
        errors[2].invalid.zh
    );

    let row = NoticeRow {
        case_number: "2024浙0225执1234号".into(),
        court: "法".repeat(101),
        name: "张\n三".into(),
        id_number: "440524197302122517".into(),
        legal_representative: "李四".into(),
        basis_issuer: "院".repeat(101),
        filed_on: "2024-02-30".into(),
        obligation: "债".repeat(2001),
        performance: "all".into(),
        behaviour: "lazy".into(),
        published_on: "2024/03/01".into(),
        status: "gone".into(),
        ..person_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![
            ("case_number", ErrorCode::InvalidCaseNumber),
            ("court", ErrorCode::TooLong),
            ("name", ErrorCode::InvalidName),
            ("id_number", ErrorCode::InvalidIdNumber),
            ("legal_representative", ErrorCode::InvalidValue),
            ("basis_issuer", ErrorCode::TooLong),
            ("filed_on", ErrorCode::InvalidDate),
            ("obligation", ErrorCode::TooLong),
            ("performance", ErrorCode::InvalidValue),
            ("behaviour", ErrorCode::InvalidValue),
            ("published_on", ErrorCode::InvalidDate),
            ("status", ErrorCode::InvalidValue),
        ]
    );
}

#[test]
fn identifier_follows_subject_type() {
    let row = NoticeRow {
        id_number: "91350100M000100Y43".into(),
        ..person_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("id_number", ErrorCode::InvalidIdNumber)]
    );
    let row = NoticeRow {
        id_number: "440524197302122516".into(),
        ..organisation_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("id_number", ErrorCode::InvalidCreditCode)]
    );
    let row = NoticeRow {
        id_number: "91350100M000100Y44".into(),
        ..organisation_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("id_number", ErrorCode::InvalidCreditCode)]
    );
    // An unknown subject type is reported once; the identifier cannot be judged.
    let row = NoticeRow {
        subject_type: "company".into(),
        ..organisation_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("subject_type", ErrorCode::InvalidValue)]
    );
}

#[test]
fn legal_representative_rules() {
    let row = NoticeRow {
        legal_representative: " ".into(),
        ..organisation_row()
    };
    let errors = row.validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![("legal_representative", ErrorCode::MissingField)]
    );
    assert!(errors[0].invalid.zh.contains("法定代表人"));
    let row = NoticeRow {
        legal_representative: "张".repeat(101),
        ..organisation_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("legal_representative", ErrorCode::TooLong)]
    );
    let row = NoticeRow {
        legal_representative: "李四".into(),
        ..person_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("legal_representative", ErrorCode::InvalidValue)]
    );
}

#[test]
fn behaviour_goes_with_the_dishonest_list() {
    let row = NoticeRow {
        behaviour: String::new(),
        ..person_row()
    };
    let errors = row.validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![("behaviour", ErrorCode::MissingField)]
    );
    assert!(errors[0].invalid.zh.contains("失信情形"));
    let row = NoticeRow {
        lists: "restricted".into(),
        ..person_row()
    };
    let errors = row.validate().unwrap_err();
    assert_eq!(
        fields(&errors),
        vec![("behaviour", ErrorCode::InvalidValue)]
    );
    assert!(errors[0].invalid.en.contains("dishonest list"));
    let row = NoticeRow {
        behaviour: "evades".into(),
        lists: "dishonest".into(),
        ..organisation_row()
    };
    assert!(row.validate().is_ok());
    // No cross-check once the lists themselves are wrong.
    let row = NoticeRow {
        lists: "bogus".into(),
        ..person_row()
    };
    assert_eq!(
        fields(&row.validate().unwrap_err()),
        vec![("lists", ErrorCode::InvalidValue)]
    );
}

#[test]
fn filing_after_publication_is_allowed() {
    let row = NoticeRow {
        filed_on: "2025-01-01".into(),
        published_on: "2024-01-01".into(),
        ..person_row()
    };
    assert!(row.validate().is_ok());
}

#[test]
fn rows_deserialize_with_missing_columns() {
    let de = MapDeserializer::<_, DeError>::new(
        vec![
            ("case_number", "(2024)浙0225执1234号"),
            ("name", "张三"),
            ("extra", "x"),
        ]
        .into_iter(),
    );
    let row = NoticeRow::deserialize(de).unwrap();
    assert_eq!(row.case_number, "(2024)浙0225执1234号");
    assert_eq!(row.name, "张三");
    assert_eq!(row.status, "");
}

#[test]
fn columns_and_values_agree() {
    // Each column gets a value of its own, so a column wired to the wrong field, or listed
    // out of order in `values`, shows up as a mismatch.
    let mut row = NoticeRow::default();
    for column in COLUMNS {
        *row.field_mut(column).unwrap() = format!("value of {column}");
    }
    let expected: Vec<String> = COLUMNS.iter().map(|c| format!("value of {c}")).collect();
    assert_eq!(row.values().to_vec(), expected);
    assert!(row.field_mut("nope").is_none());
}

#[test]
fn debug_masks_person_ids() {
    let row = person_row();
    let debug = format!("{row:?}");
    assert!(!debug.contains("440524197302122516"), "{debug}");
    assert!(debug.contains("4405241973****2516"));
    let debug = format!("{:?}", row.validate().unwrap());
    assert!(!debug.contains("440524197302122516"), "{debug}");
    let debug = format!(
        "{:?}",
        NoticeRow {
            id_number: "4405241973".into(),
            ..person_row()
        }
    );
    assert!(!debug.contains("4405241973"), "{debug}");
    assert!(format!("{:?}", organisation_row()).contains("91350100M000100Y43"));
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..=2100, 1u32..=366)
        .prop_filter_map("day exists", |(y, d)| NaiveDate::from_yo_opt(y, d))
}

fn arb_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[一-龥A-Za-z0-9（）()《》]([一-龥A-Za-z0-9 ,.，。（）()]{{0,{}}}[一-龥0-9])?",
        max - 2
    ))
    .unwrap()
}

fn arb_name() -> impl Strategy<Value = PersonName> {
    "[一-龥]{1,4}(·[一-龥]{1,4})?|[A-Z][a-z]{1,8} [A-Z][a-z]{1,8}"
        .prop_map(|s| PersonName::parse(&s).unwrap())
}

prop_compose! {
    fn arb_notice()(
        case_number in arb_case_number(),
        court in arb_text(30),
        subject in prop_oneof![arb_id().prop_map(SubjectId::Person), arb_credit_code().prop_map(SubjectId::Organization)],
        name in arb_name(),
        representative in arb_name(),
        basis_number in arb_text(100),
        basis_issuer in arb_text(40),
        filed_on in arb_date(),
        obligation in arb_text(400),
        performance in proptest::sample::select(Performance::ALL),
        behaviour in proptest::sample::select(Behaviour::ALL),
        lists in proptest::sample::subsequence(ListKind::ALL, 1..=3),
        published_on in arb_date(),
        status in proptest::sample::select(NoticeStatus::ALL),
    ) -> Notice {
        let subject_type = subject.subject_type();
        Notice {
            case_number,
            court,
            subject_type,
            name,
            subject_id: subject,
            legal_representative: (subject_type == SubjectType::Organization)
                .then(|| representative.display().to_owned()),
            basis_number,
            basis_issuer,
            filed_on,
            obligation,
            performance,
            behaviour: lists.contains(&ListKind::Dishonest).then_some(behaviour),
            lists,
            published_on,
            status,
        }
    }
}

proptest! {
    #[test]
    fn notice_to_row_validate_round_trips(notice in arb_notice()) {
        let row = notice.to_row();
        prop_assert_eq!(row.validate(), Ok(notice.clone()));
        prop_assert_eq!(row.validate().unwrap().to_row(), row);
    }

    #[test]
    fn validate_never_panics(
        values in proptest::collection::vec("\\PC{0,24}|person|organization|dishonest|none", 15)
    ) {
        let mut row = NoticeRow::default();
        for (column, value) in COLUMNS.iter().zip(values) {
            *row.field_mut(column).unwrap() = value;
        }
        if let Err(errors) = row.validate() {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.iter().all(|e| COLUMNS.contains(&e.field.as_str())));
        }
    }
}
