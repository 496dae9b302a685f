//! Correction and reconsideration requests (`POST /api/v1/party/requests`), and the reviewer's
//! decision on a request or a declared payment.
//!
//! The grounds are those of the SPC rules on publishing dishonest debtors (art. 11). A request on
//! the ground `should_be_deleted` must also say which ground of deletion applies
//! (`deletion_ground`, one of the seven of art. 10): an addition to the contract, required for that
//! ground and refused with any other. Whether a reconsideration may be asked for at all — only
//! after a refusal was served, within its window — depends on stored facts and is
//! [`super::check_reconsideration`]'s to say.

use super::api::{PartyRequestBody, StaffDecisionRequest};
use super::uploads::evidence;
use super::vocabulary::{choice, Decision, DeletionGround, RequestGround, RequestKind};
use crate::error::{ErrorCode, FieldError, Invalid};

/// Fewest characters of a request's reasons: enough to say what is wrong.
pub const MIN_REASON: usize = 10;
/// Most characters of a request's reasons, and of a decision's.
pub const MAX_REASON: usize = 2000;

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPartyRequest {
    pub kind: RequestKind,
    pub notice_id: i64,
    pub ground: RequestGround,
    /// Present exactly when `ground` is [`RequestGround::ShouldBeDeleted`].
    pub deletion_ground: Option<DeletionGround>,
    pub reason: String,
    pub uploads: Vec<String>,
}

/// A checked decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDecision {
    pub decision: Decision,
    /// Required to refuse: it is served to the party.
    pub reason: Option<String>,
}

fn reason_length(count: usize) -> Result<(), Invalid> {
    if count > MAX_REASON {
        Err(Invalid::new(
            ErrorCode::TooLong,
            format!("理由最多{MAX_REASON}个字，当前为{count}个字"),
            format!("At most {MAX_REASON} characters are allowed; this has {count}"),
        ))
    } else {
        Ok(())
    }
}

impl PartyRequestBody {
    /// Checks every field; reports every bad one, in form order.
    pub fn validate(&self, max_files: usize) -> Result<ValidPartyRequest, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut record = |field: &str, e: Invalid| errors.push(e.at(field));
        let kind = choice(
            &self.kind,
            ("申请类型", "kind of request"),
            RequestKind::ALL,
            RequestKind::as_str,
            RequestKind::label,
        )
        .map_err(|e| record("kind", e));
        let notice_id = match self.notice_id {
            Some(id) if id > 0 => Ok(id),
            given => Err(Invalid::new(
                if given.is_none() {
                    ErrorCode::MissingField
                } else {
                    ErrorCode::InvalidValue
                },
                "请选择申请所针对的失信信息",
                "Choose the listing the request is about",
            )),
        }
        .map_err(|e| record("notice_id", e));
        let ground = choice(
            &self.ground,
            ("申请理由类型", "ground"),
            RequestGround::ALL,
            RequestGround::as_str,
            RequestGround::label,
        )
        .map_err(|e| record("ground", e));
        let given = self
            .deletion_ground
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let deletion_ground = match (&ground, given) {
            (Ok(RequestGround::ShouldBeDeleted), given) => choice(
                given.unwrap_or(""),
                ("应予删除的情形", "ground of deletion"),
                DeletionGround::ALL,
                DeletionGround::as_str,
                DeletionGround::label,
            )
            .map(Some)
            .map_err(|e| record("deletion_ground", e)),
            (Ok(_), Some(_)) => Err(Invalid::new(
                ErrorCode::InvalidValue,
                "只有以“失信信息应予删除”为由申请时，才需填写应予删除的情形",
                "A ground of deletion goes only with the ground should_be_deleted",
            ))
            .map_err(|e| record("deletion_ground", e)),
            (Ok(_), None) => Ok(None),
            // Which it should be depends on the ground, reported above.
            (Err(()), _) => Err(()),
        };
        let reason = self.reason.trim();
        let count = reason.chars().count();
        let reason = if reason.is_empty() {
            Err(Invalid::new(
                ErrorCode::MissingField,
                "请说明理由：哪里不对，依据是什么",
                "Give your reasons: what is wrong, and on what basis",
            ))
        } else if count < MIN_REASON {
            Err(Invalid::new(
                ErrorCode::InvalidValue,
                format!("理由太短，请至少写{MIN_REASON}个字，便于法院审查"),
                format!("The reasons are too short: write at least {MIN_REASON} characters so the court can review them"),
            ))
        } else {
            reason_length(count).map(|()| reason.to_owned())
        }
        .map_err(|e| record("reason", e));
        let uploads = evidence(&self.uploads, max_files).map_err(|e| record("uploads", e));
        match (kind, notice_id, ground, deletion_ground, reason, uploads) {
            (Ok(kind), Ok(notice_id), Ok(ground), Ok(deletion_ground), Ok(reason), Ok(uploads)) => {
                Ok(ValidPartyRequest {
                    kind,
                    notice_id,
                    ground,
                    deletion_ground,
                    reason,
                    uploads,
                })
            }
            _ => Err(errors),
        }
    }
}

impl StaffDecisionRequest {
    /// Checks the decision; a refusal needs its reason, which is served to the party.
    pub fn validate(&self) -> Result<ValidDecision, Vec<FieldError>> {
        let mut errors = Vec::new();
        let decision = choice(
            &self.decision,
            ("决定", "decision"),
            Decision::ALL,
            Decision::as_str,
            Decision::label,
        )
        .map_err(|e| errors.push(e.at("decision")));
        let reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if let Some(r) = reason {
            if let Err(e) = reason_length(r.chars().count()) {
                errors.push(e.at("reason"));
            }
        } else if decision == Ok(Decision::Refuse) {
            errors.push(
                Invalid::new(
                    ErrorCode::MissingField,
                    "驳回时请写明理由，理由将送达申请人",
                    "Give the reason for refusing; it is served to the party",
                )
                .at("reason"),
            );
        }
        match decision {
            Ok(decision) if errors.is_empty() => Ok(ValidDecision {
                decision,
                reason: reason.map(str::to_owned),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> PartyRequestBody {
        PartyRequestBody {
            kind: "correction".into(),
            notice_id: Some(42),
            ground: "inaccurate".into(),
            deletion_ground: None,
            reason: "公布的履行情况有误：已履行6万元，公布为全部未履行。".into(),
            uploads: vec!["u1".into()],
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, ErrorCode)> {
        errors
            .iter()
            .map(|e| (e.field.as_str(), e.code()))
            .collect()
    }

    #[test]
    fn a_valid_request() {
        let v = body().validate(3).unwrap();
        assert_eq!(v.kind, RequestKind::Correction);
        assert_eq!(v.notice_id, 42);
        assert_eq!(v.ground, RequestGround::Inaccurate);
        assert_eq!(v.deletion_ground, None);
        assert_eq!(v.uploads, vec!["u1".to_owned()]);
        let r = PartyRequestBody {
            kind: "reconsideration".into(),
            ground: "not_liable".into(),
            deletion_ground: Some("  ".into()),
            ..body()
        };
        assert_eq!(r.validate(3).unwrap().kind, RequestKind::Reconsideration);
    }

    #[test]
    fn should_be_deleted_needs_its_ground_of_deletion() {
        let with = PartyRequestBody {
            ground: "should_be_deleted".into(),
            deletion_ground: Some("settlement_performed".into()),
            ..body()
        };
        assert_eq!(
            with.validate(3).unwrap().deletion_ground,
            Some(DeletionGround::SettlementPerformed)
        );
        let without = PartyRequestBody {
            deletion_ground: None,
            ..with.clone()
        };
        let errors = without.validate(3).unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![("deletion_ground", ErrorCode::MissingField)]
        );
        assert!(
            errors[0].invalid.zh.contains("performed（"),
            "{}",
            errors[0].invalid.zh
        );
        let unknown = PartyRequestBody {
            deletion_ground: Some("paid".into()),
            ..with
        };
        assert_eq!(
            fields(&unknown.validate(3).unwrap_err()),
            vec![("deletion_ground", ErrorCode::InvalidValue)]
        );
        let misplaced = PartyRequestBody {
            deletion_ground: Some("performed".into()),
            ..body()
        };
        assert_eq!(
            fields(&misplaced.validate(3).unwrap_err()),
            vec![("deletion_ground", ErrorCode::InvalidValue)]
        );
    }

    #[test]
    fn every_field_wrong() {
        let errors = PartyRequestBody::default().validate(3).unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("kind", ErrorCode::MissingField),
                ("notice_id", ErrorCode::MissingField),
                ("ground", ErrorCode::MissingField),
                ("reason", ErrorCode::MissingField),
            ]
        );
        let errors = PartyRequestBody {
            kind: "appeal".into(),
            notice_id: Some(0),
            ground: "unfair".into(),
            deletion_ground: Some("performed".into()),
            reason: "太短了".into(),
            uploads: vec!["a".into(), "b".into()],
        }
        .validate(1)
        .unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("kind", ErrorCode::InvalidValue),
                ("notice_id", ErrorCode::InvalidValue),
                ("ground", ErrorCode::InvalidValue),
                ("reason", ErrorCode::InvalidValue),
                ("uploads", ErrorCode::TooManyFiles),
            ]
        );
    }

    #[test]
    fn reason_bounds() {
        let with = |reason: String| PartyRequestBody { reason, ..body() }.validate(3);
        assert!(with("字".repeat(MIN_REASON)).is_ok());
        assert!(with(format!("  {}  ", "字".repeat(MAX_REASON))).is_ok());
        assert_eq!(
            fields(&with("字".repeat(MIN_REASON - 1)).unwrap_err()),
            vec![("reason", ErrorCode::InvalidValue)]
        );
        assert_eq!(
            fields(&with("字".repeat(MAX_REASON + 1)).unwrap_err()),
            vec![("reason", ErrorCode::TooLong)]
        );
    }

    #[test]
    fn decisions() {
        let decide = |decision: &str, reason: Option<&str>| {
            StaffDecisionRequest {
                decision: decision.into(),
                reason: reason.map(str::to_owned),
            }
            .validate()
        };
        assert_eq!(
            decide("uphold", None),
            Ok(ValidDecision {
                decision: Decision::Uphold,
                reason: None
            })
        );
        assert_eq!(
            decide("refuse", Some(" 经审查，列入时被执行人确有履行能力。 "))
                .unwrap()
                .reason
                .as_deref(),
            Some("经审查，列入时被执行人确有履行能力。")
        );
        let errors = decide("refuse", Some("  ")).unwrap_err();
        assert_eq!(fields(&errors), vec![("reason", ErrorCode::MissingField)]);
        let errors = decide("maybe", Some(&"字".repeat(MAX_REASON + 1))).unwrap_err();
        assert_eq!(
            fields(&errors),
            vec![
                ("decision", ErrorCode::InvalidValue),
                ("reason", ErrorCode::TooLong)
            ]
        );
        assert_eq!(
            fields(&decide("", None).unwrap_err()),
            vec![("decision", ErrorCode::MissingField)]
        );
    }
}
