//! The parties' desk (DESIGN §7.8): a party's sign-in, their cases with every listing about them,
//! who checked them, declared payments, correction and reconsideration requests — and the staff
//! console's queues of those requests and declarations. The requests are checked by
//! [`crate::party`]; field names are the contract's, and fields beyond it are additions (extend,
//! never rename).
//!
//! Dates are `YYYY-MM-DD` in the court's calendar, times RFC 3339, amounts yuan with two
//! decimals as text (`"12500.00"`, [`crate::party::format_yuan`]) so no float ever rounds one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::notice::ListKind;
use crate::party::{
    CaseStatus, CheckChannel, DeclarationStatus, DeletionGround, DeletionReason, ListingStatus,
    PartyRole, PaymentMethod, RequestGround, RequestKind, RequestStatus,
};
use crate::stage::Stage;

/// `POST /api/v1/party/session`. A mismatch of any of the three is one 401 `not_recognised`;
/// only malformed input gets field errors ([`crate::party::ValidSignIn`]).
///
/// `Debug` masks the ID number and hides the access code.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartySignIn {
    /// The party's name (a person's or an organisation's), as on the court's letter.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 100,
            format = "subject-name"
        )
    )]
    pub name: String,
    /// A resident ID number or a unified social credit code.
    #[cfg_attr(feature = "openapi", schema(required = true, format = "cn-subject-id"))]
    pub id_number: String,
    /// 查询码, as the court's letter shows it (groups, any case): 8 to 16 of the digits 2–9 and
    /// the letters but I and O; spaces and hyphens (and full-width forms) do not count.
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            format = "access-code",
            pattern = "^[ -]*([2-9A-HJ-NP-Za-hj-np-z][ -]*){8,16}$"
        )
    )]
    pub access_code: String,
}

impl fmt::Debug for PartySignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id_number = match crate::notice::SubjectId::parse_any(&self.id_number) {
            Ok(id) => id.masked(),
            Err(_) => "****".to_owned(),
        };
        f.debug_struct("PartySignIn")
            .field("name", &self.name)
            .field("id_number", &id_number)
            .field("access_code", &"********")
            .finish()
    }
}

/// The 200 answer to a sign-in, and `GET /api/v1/party/session`: who is signed in, until when.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartySession {
    pub name: String,
    /// Person IDs masked, credit codes in full.
    pub masked_id: String,
    /// RFC 3339: the session ends then, whatever happens.
    pub expires_at: String,
}

/// `GET /api/v1/party/cases`: the signed-in party's own cases.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyCases {
    pub cases: Vec<PartyCase>,
}

/// One case of the signed-in party.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyCase {
    pub case_number: String,
    pub court: String,
    pub stage: Stage,
    pub role: PartyRole,
    pub obligation: String,
    /// The obligation's amount, yuan.
    pub amount: String,
    /// The performance deadline.
    pub due_on: String,
    pub status: CaseStatus,
    /// Every notice about the party in this case: in the grace period, published and deleted.
    pub listings: Vec<PartyListing>,
    /// Paid so far, yuan: the payments the court confirmed. An addition to the contract.
    #[serde(default = "zero_yuan")]
    pub paid: String,
    /// Declared payments the court has not decided yet. An addition to the contract.
    #[serde(default)]
    pub pending_declarations: Vec<PartyDeclaration>,
}

fn zero_yuan() -> String {
    "0.00".to_owned()
}

/// A notice about the party, as the party sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyListing {
    pub notice_id: i64,
    pub lists: Vec<ListKind>,
    /// The publication date; in the future while `status` is `grace` ("will be published on …
    /// unless you perform before").
    pub published_on: String,
    pub status: ListingStatus,
    /// When it was deleted; with `status` `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_on: Option<String>,
    /// Why it was deleted; with `status` `deleted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_reason: Option<DeletionReason>,
    /// The last day for its deletion, once the court confirmed performance and until it is
    /// deleted ([`crate::party::delisting_due`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delisting_due: Option<String>,
}

/// A declared payment, as its party and the case's creditor see it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyDeclaration {
    pub id: i64,
    /// Yuan.
    pub amount: String,
    pub paid_on: String,
    pub method: PaymentMethod,
    pub status: DeclarationStatus,
    /// RFC 3339.
    pub received_at: String,
    /// Proof files attached.
    pub files: u32,
    /// Who declared it (the debtor's name), for the creditor. An addition to the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_by: Option<String>,
    /// The last day the creditor can confirm or dispute it. An addition to the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_deadline: Option<String>,
    /// The creditor's note with their answer. An addition to the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_note: Option<String>,
}

/// `POST /api/v1/party/declarations/{id}/answer`: the creditor of the declaration's case, signed
/// in at the desk, confirms or disputes a declared payment (`confirmed` or `disputed`, a note
/// required when disputing); checked by [`crate::certificate::validate_answer`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditorAnswerBody {
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, value_type = crate::certificate::CreditorAnswer)
    )]
    pub answer: String,
    /// The creditor's note: at most 200 characters (surrounding spaces not counted), required
    /// when disputing.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: Option<String>,
}

/// `POST /api/v1/party/performance` with an `Idempotency-Key`; checked by
/// [`crate::party::ValidDeclaration`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerformanceDeclarationRequest {
    /// One of the signed-in party's cases, in which they owe the obligation.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, format = "party-case-number", max_length = 64)
    )]
    pub case_number: String,
    /// Yuan with up to two decimals, as a JSON number or text, above 0 and at most what is still
    /// owed on the case (text may also group thousands with commas and end in 元).
    #[serde(deserialize_with = "crate::party::number_or_text")]
    #[cfg_attr(feature = "openapi", schema(required = true, schema_with = schema::amount))]
    pub amount: String,
    /// `YYYY-MM-DD`: from the first day of the case number's year to today.
    #[cfg_attr(feature = "openapi", schema(required = true, format = "date"))]
    pub paid_on: String,
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = PaymentMethod))]
    pub method: String,
    /// Ids of finished tus uploads: the proof (a photo of the transfer, a receipt).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub uploads: Vec<String>,
}

/// The 201 answer to a declaration.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyDeclarationCreated {
    pub id: i64,
    /// RFC 3339.
    pub received_at: String,
    pub status: DeclarationStatus,
    /// The last day the case's creditor can confirm or dispute it, signed in at the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_deadline: Option<String>,
}

/// `POST /api/v1/party/requests` with an `Idempotency-Key`; checked by
/// [`crate::party::ValidPartyRequest`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartyRequestBody {
    /// `correction` or `reconsideration`.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = RequestKind))]
    pub kind: String,
    /// A listing about the signed-in party (`notice_id` of `GET /party/cases`).
    #[cfg_attr(feature = "openapi", schema(required = true, minimum = 1, value_type = i64))]
    #[serde(deserialize_with = "crate::numbers::whole_id")]
    pub notice_id: Option<i64>,
    /// `not_liable`, `inaccurate` or `should_be_deleted`.
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = RequestGround))]
    pub ground: String,
    /// With `ground` `should_be_deleted` only, and then required: which ground of deletion
    /// applies ([`DeletionGround`]). An addition to the contract.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DeletionGround>))]
    pub deletion_ground: Option<String>,
    /// What is wrong, and on what basis: 10 to 2,000 characters, surrounding spaces not counted.
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, pattern = r"^\s*\S[\s\S]{8,1998}\S\s*$")
    )]
    pub reason: String,
    /// Ids of finished tus uploads: the evidence.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub uploads: Vec<String>,
}

/// The 201 answer to a request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRequestCreated {
    pub id: i64,
    /// RFC 3339.
    pub received_at: String,
    /// The last day for the court's decision.
    pub review_due: String,
    /// The last day to correct the listing, once the request is upheld; absent before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct_due: Option<String>,
}

/// `GET /api/v1/party/requests`: the signed-in party's requests, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRequests {
    pub requests: Vec<PartyRequestItem>,
}

/// One request and every date of its clocks.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRequestItem {
    pub id: i64,
    pub kind: RequestKind,
    pub notice_id: i64,
    pub case_number: String,
    /// The court deciding: the listing court for a correction, the court one level up for a
    /// reconsideration.
    pub court: String,
    pub ground: RequestGround,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_ground: Option<DeletionGround>,
    pub reason: String,
    pub status: RequestStatus,
    /// RFC 3339.
    pub received_at: String,
    pub review_due: String,
    /// When decided (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    /// The reason served with a refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    /// Upheld: the last day to correct the listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct_due: Option<String>,
    /// Upheld: when the listing was corrected (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_at: Option<String>,
    /// A correction refused: the day the refusal was served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub served_on: Option<String>,
    /// A correction refused: the last day to ask for reconsideration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconsideration_window_end: Option<String>,
    /// A reconsideration: the correction request it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_id: Option<i64>,
    /// Evidence files attached.
    pub files: u32,
}

/// `GET /api/v1/party/checks`: every check of the party's identifier in the last 6 months,
/// newest first. Never who at a partner, never an address.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyChecks {
    pub checks: Vec<PartyCheck>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyCheck {
    /// RFC 3339.
    pub at: String,
    pub channel: CheckChannel,
    /// The partner's name; none for a certificate verified on the portal.
    pub partner: Option<String>,
    /// The partner's declared purpose.
    pub purpose: Option<String>,
}

/// A correction or reconsideration request in a court's queue (`GET
/// /api/v1/staff/party/requests`), ordered by `review_due` (or `correct_due` once upheld and not
/// yet corrected). A higher court's reviewers see the reconsiderations of the courts below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPartyRequest {
    pub id: i64,
    pub kind: RequestKind,
    pub status: RequestStatus,
    /// The court that listed.
    pub court: String,
    pub case_number: String,
    pub notice_id: i64,
    pub party_name: String,
    /// Person IDs masked, credit codes in full.
    pub masked_id: String,
    pub ground: RequestGround,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_ground: Option<DeletionGround>,
    pub reason: String,
    /// RFC 3339.
    pub received_at: String,
    pub review_due: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct_due: Option<String>,
    /// The running clock's due date has passed ([`crate::party::is_overdue`]).
    pub overdue: bool,
    pub files: u32,
    /// A reconsideration: the refused correction request, with its refusal reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
}

/// `GET /api/v1/staff/party/requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffPartyRequests {
    pub requests: Vec<StaffPartyRequest>,
    pub total: u32,
}

/// `POST /api/v1/staff/party/requests/{id}/decision` and
/// `POST /api/v1/staff/party/declarations/{id}/decision`: `uphold` (a request: the listing is
/// corrected or deleted at once; a declaration: the payment counts) or `refuse` with the reason
/// served to the party. Checked by [`crate::party::ValidDecision`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffDecisionRequest {
    pub decision: String,
    pub reason: Option<String>,
}

/// A declared payment in a court's queue (`GET /api/v1/staff/party/declarations`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDeclaration {
    pub id: i64,
    pub court: String,
    pub case_number: String,
    pub party_name: String,
    pub masked_id: String,
    /// Yuan.
    pub amount: String,
    /// The obligation still outstanding before this payment, yuan.
    pub outstanding: String,
    pub paid_on: String,
    pub method: PaymentMethod,
    pub status: DeclarationStatus,
    /// RFC 3339.
    pub received_at: String,
    /// The creditor's note when disputing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_note: Option<String>,
    pub files: u32,
}

/// `GET /api/v1/staff/party/declarations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDeclarations {
    pub declarations: Vec<StaffDeclaration>,
    pub total: u32,
}

/// Schemas the Rust types do not spell.
#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};

    /// An amount in yuan: a number with at most two decimals, or the same as text.
    pub fn amount() -> Schema {
        let max = crate::certificate::MAX_AMOUNT_YUAN as f64;
        let number = ObjectBuilder::new()
            .schema_type(Type::Number)
            .exclusive_minimum(Some(0.0))
            .maximum(Some(max))
            .multiple_of(Some(0.01));
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^[1-9][0-9]{0,11}(\.[0-9]{1,2})?$"));
        Schema::AnyOf(AnyOfBuilder::new().item(number).item(text).build())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn cases_carry_the_contracts_names() {
        let cases = PartyCases {
            cases: vec![PartyCase {
                case_number: "(2024)浙0225执1234号".into(),
                court: "宁波市象山县人民法院".into(),
                stage: Stage::DuringEnforcement,
                role: PartyRole::Debtor,
                obligation: "支付货款".into(),
                amount: "120000.00".into(),
                due_on: "2024-06-30".into(),
                status: CaseStatus::Open,
                listings: vec![
                    PartyListing {
                        notice_id: 7,
                        lists: vec![ListKind::Dishonest],
                        published_on: "2025-12-01".into(),
                        status: ListingStatus::Grace,
                        deleted_on: None,
                        deletion_reason: None,
                        delisting_due: None,
                    },
                    PartyListing {
                        notice_id: 8,
                        lists: vec![ListKind::Restricted],
                        published_on: "2024-08-01".into(),
                        status: ListingStatus::Deleted,
                        deleted_on: Some("2025-03-05".into()),
                        deletion_reason: Some(DeletionReason::Performed),
                        delisting_due: None,
                    },
                ],
                paid: "20000.00".into(),
                pending_declarations: vec![],
            }],
        };
        let v = serde_json::to_value(&cases).unwrap();
        let case = &v["cases"][0];
        for key in [
            "case_number",
            "court",
            "stage",
            "role",
            "obligation",
            "amount",
            "due_on",
            "status",
            "listings",
            "paid",
            "pending_declarations",
        ] {
            assert!(case.get(key).is_some(), "{key}");
        }
        assert_eq!(case["stage"], "during_enforcement");
        assert_eq!(
            case["listings"][0],
            json!({"notice_id":7,"lists":["dishonest"],"published_on":"2025-12-01","status":"grace"})
        );
        assert_eq!(case["listings"][1]["deletion_reason"], "performed");
        assert_eq!(serde_json::from_value::<PartyCases>(v).unwrap(), cases);
    }

    #[test]
    fn a_contract_only_case_reads_with_the_additions_defaulted() {
        let case: PartyCase = serde_json::from_value(json!({
            "case_number":"(2025)浙0225民初1号","court":"象山法院","stage":"before_enforcement",
            "role":"debtor","obligation":"付款","amount":"10.00","due_on":"2025-10-15",
            "status":"open","listings":[]
        }))
        .unwrap();
        assert_eq!(case.paid, "0.00");
        assert!(case.pending_declarations.is_empty());
    }

    #[test]
    fn unknown_stored_values_do_not_read() {
        let bad = json!({"notice_id":7,"lists":["dishonest"],"published_on":"2025-12-01","status":"hidden"});
        assert!(serde_json::from_value::<PartyListing>(bad).is_err());
    }

    #[test]
    fn request_bodies() {
        let body: PartyRequestBody = serde_json::from_value(json!({
            "kind":"correction","notice_id":7,"ground":"should_be_deleted",
            "deletion_ground":"performed","reason":"我已于2025年3月全部履行","uploads":["u1"]
        }))
        .unwrap();
        assert_eq!(body.notice_id, Some(7));
        // JSON Schema counts 7.0 as an integer; a fraction is no id.
        let spelt: PartyRequestBody =
            serde_json::from_value(json!({"notice_id": 7.0, "kind": "correction"})).unwrap();
        assert_eq!(spelt.notice_id, Some(7));
        let exact: PartyRequestBody =
            serde_json::from_value(json!({"notice_id": i64::MAX})).unwrap();
        assert_eq!(exact.notice_id, Some(i64::MAX));
        assert_eq!(
            serde_json::from_value::<PartyRequestBody>(json!({"notice_id": null}))
                .unwrap()
                .notice_id,
            None
        );
        assert!(serde_json::from_value::<PartyRequestBody>(json!({"notice_id": 7.5})).is_err());
        assert_eq!(body.deletion_ground.as_deref(), Some("performed"));
        let created = PartyRequestCreated {
            id: 3,
            received_at: "2025-09-20T02:00:00Z".into(),
            review_due: "2025-10-09".into(),
            correct_due: None,
        };
        assert_eq!(
            serde_json::to_value(&created).unwrap(),
            json!({"id":3,"received_at":"2025-09-20T02:00:00Z","review_due":"2025-10-09"})
        );
        let decl: PerformanceDeclarationRequest = serde_json::from_value(json!({
            "case_number":"(2025)浙0225民初1号","amount":1500.5,"paid_on":"2025-09-01",
            "method":"bank_transfer","uploads":[]
        }))
        .unwrap();
        assert_eq!(decl.amount, "1500.5");
    }

    #[test]
    fn checks_and_debug() {
        let checks = PartyChecks {
            checks: vec![PartyCheck {
                at: "2025-09-01T08:00:00Z".into(),
                channel: CheckChannel::Widget,
                partner: Some("某银行".into()),
                purpose: Some("贷款审查".into()),
            }],
        };
        assert_eq!(
            serde_json::to_value(&checks).unwrap(),
            json!({"checks":[{"at":"2025-09-01T08:00:00Z","channel":"widget","partner":"某银行","purpose":"贷款审查"}]})
        );
        let sign_in = PartySignIn {
            name: "张三".into(),
            id_number: "440524197302122516".into(),
            access_code: "ABCDEFGH2345".into(),
        };
        let shown = format!("{sign_in:?}");
        assert!(shown.contains("4405241973****2516"), "{shown}");
        assert!(!shown.contains("ABCDEFGH2345") && !shown.contains("197302122516"));
    }
}
