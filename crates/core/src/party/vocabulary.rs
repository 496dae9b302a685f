//! The closed vocabularies of the parties' desk — roles, case statuses, payment methods, the
//! grounds of a correction request and of deletion, request and declaration statuses, listing
//! states and the channels of a check — and the messages that name a vocabulary's allowed values.
//!
//! Each has one spelling for imports, JSON and the database (`as_str`, equal to its serde name)
//! and a label per language (`label`). A stored spelling this build does not know is an error
//! (`parse` returns `None`), never a default: a request status read wrongly would show a party the
//! wrong legal clock.

use crate::error::{ErrorCode, Invalid, Lang};
use crate::vocabulary::vocabulary;

vocabulary! {
    /// The side a party is on in a case.
    pub enum PartyRole {
        /// The party owed the performance (申请执行人 once in enforcement).
        Creditor => ("creditor", "债权人（申请人）", "Creditor"),
        /// The party who must perform (被执行人 once in enforcement).
        Debtor => ("debtor", "债务人（义务人）", "Debtor"),
    }
}

vocabulary! {
    /// Where a case stands for the parties' desk, as the court's system says.
    pub enum CaseStatus {
        /// The obligation is not (fully) performed.
        Open => ("open", "未履行完毕", "Not yet fully performed"),
        /// The court has confirmed full performance.
        Performed => ("performed", "已履行完毕", "Fully performed"),
        /// Closed for another reason (settled, withdrawn, terminated …).
        Closed => ("closed", "已结案", "Closed"),
    }
}

vocabulary! {
    /// How a debtor says they paid.
    pub enum PaymentMethod {
        /// A bank transfer to the creditor.
        BankTransfer => ("bank_transfer", "银行转账给债权人", "Bank transfer to the creditor"),
        /// A payment into the court's account for case money (案款账户).
        CourtAccount => ("court_account", "交至法院案款账户", "Payment into the court's case account"),
        /// Cash handed to the creditor, with a receipt.
        CashToCreditor => ("cash_to_creditor", "当面交付现金给债权人", "Cash handed to the creditor"),
        /// Set-off against a debt the creditor owes the debtor (抵销).
        Offset => ("offset", "以对方所欠债务抵销", "Set-off against a debt the creditor owes"),
        Other => ("other", "其他方式", "Another way"),
    }
}

vocabulary! {
    /// Where a declared payment stands: the creditor's word, then the court's.
    pub enum DeclarationStatus {
        /// Declared; neither the creditor nor the court has answered.
        Received => ("received", "已提交，待核实", "Received, not yet checked"),
        /// The creditor confirmed receiving it; the court has not decided.
        CreditorConfirmed => ("creditor_confirmed", "债权人已确认，待法院确认", "Confirmed by the creditor; awaiting the court"),
        /// The creditor disputes it; the court will decide.
        CreditorDisputed => ("creditor_disputed", "债权人有异议，待法院审查", "Disputed by the creditor; the court will decide"),
        /// The court confirmed the payment: it counts towards the obligation.
        Confirmed => ("confirmed", "法院已确认", "Confirmed by the court"),
        /// The court did not accept the payment as performance.
        Rejected => ("rejected", "法院未予确认", "Not accepted by the court"),
    }
}

impl DeclarationStatus {
    /// Whether the court has yet to decide.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            DeclarationStatus::Received
                | DeclarationStatus::CreditorConfirmed
                | DeclarationStatus::CreditorDisputed
        )
    }
}

vocabulary! {
    /// What a party asks the court to do about a listing.
    pub enum RequestKind {
        /// 纠正申请 to the court that listed (SPC rules on publishing dishonest debtors, art. 11).
        Correction => ("correction", "纠正申请", "Request for correction"),
        /// 复议申请 to the court one level up, after a correction request was refused (art. 12).
        Reconsideration => ("reconsideration", "复议申请", "Request for reconsideration"),
    }
}

vocabulary! {
    /// The grounds of a correction request (SPC rules on publishing dishonest debtors, art. 11).
    pub enum RequestGround {
        /// The party should not have been listed at all.
        NotLiable => ("not_liable", "不应将本人纳入失信被执行人名单", "I should not have been listed"),
        /// The information recorded and published is wrong.
        Inaccurate => ("inaccurate", "记载和公布的失信信息不准确", "The published information is wrong"),
        /// The listing should have been deleted; which ground of deletion applies is the
        /// request's `deletion_ground`.
        ShouldBeDeleted => ("should_be_deleted", "失信信息应予删除", "The listing should have been deleted"),
    }
}

vocabulary! {
    /// The grounds on which a listing must be deleted within three working days (SPC rules on
    /// publishing dishonest debtors, art. 10; DESIGN §3).
    pub enum DeletionGround {
        /// Every obligation of the effective legal document was performed.
        Performed => ("performed", "已履行生效法律文书确定的全部义务", "Every obligation was performed"),
        /// A settlement agreement was reached and performed in full.
        SettlementPerformed => ("settlement_performed", "执行和解协议已履行完毕", "A settlement agreement was performed in full"),
        /// The creditor asked in writing for the deletion and the court agreed.
        CreditorRequest => ("creditor_request", "申请执行人书面申请删除，经法院审查同意", "The creditor asked in writing and the court agreed"),
        /// After enforcement was terminated for now, two searches found no assets and no one
        /// gave a usable lead.
        NoAssetsFound => ("no_assets_found", "终结本次执行后两次以上查询未发现可供执行的财产", "After enforcement was closed for now, two searches found no assets"),
        /// Enforcement was suspended for a retrial or a bankruptcy.
        Suspended => ("suspended", "因审判监督或破产程序裁定中止执行", "Enforcement was suspended for a retrial or bankruptcy"),
        /// The court ruled that the document is not to be enforced.
        NotEnforceable => ("not_enforceable", "人民法院裁定不予执行", "The court ruled not to enforce"),
        /// The court ruled to end enforcement (终结执行).
        EnforcementEnded => ("enforcement_ended", "人民法院裁定终结执行", "The court ruled to end enforcement"),
    }
}

vocabulary! {
    /// Why a listing left the public pages, as its party sees it: a ground of deletion, or a
    /// correction request upheld.
    pub enum DeletionReason {
        Performed => ("performed", "已履行全部义务", "Every obligation was performed"),
        SettlementPerformed => ("settlement_performed", "执行和解协议已履行完毕", "A settlement agreement was performed in full"),
        CreditorRequest => ("creditor_request", "申请执行人申请删除", "At the creditor's request"),
        NoAssetsFound => ("no_assets_found", "终本后两次查询未发现财产", "No assets found twice after enforcement was closed for now"),
        Suspended => ("suspended", "裁定中止执行", "Enforcement suspended"),
        NotEnforceable => ("not_enforceable", "裁定不予执行", "Ruled not to be enforced"),
        EnforcementEnded => ("enforcement_ended", "裁定终结执行", "Enforcement ended by ruling"),
        /// A correction or reconsideration request was upheld.
        Corrected => ("corrected", "纠正申请成立，予以删除", "Removed after a correction request was upheld"),
    }
}

impl From<DeletionGround> for DeletionReason {
    fn from(ground: DeletionGround) -> DeletionReason {
        match ground {
            DeletionGround::Performed => DeletionReason::Performed,
            DeletionGround::SettlementPerformed => DeletionReason::SettlementPerformed,
            DeletionGround::CreditorRequest => DeletionReason::CreditorRequest,
            DeletionGround::NoAssetsFound => DeletionReason::NoAssetsFound,
            DeletionGround::Suspended => DeletionReason::Suspended,
            DeletionGround::NotEnforceable => DeletionReason::NotEnforceable,
            DeletionGround::EnforcementEnded => DeletionReason::EnforcementEnded,
        }
    }
}

vocabulary! {
    /// Where a correction or reconsideration request stands. A correction moves from `received`
    /// to `upheld` or `refused`; a reconsideration, a request of its own filed after a refusal,
    /// from `reconsideration_received` to `reconsideration_upheld` or `reconsideration_refused`.
    pub enum RequestStatus {
        Received => ("received", "已受理，审查中", "Received, under review"),
        Upheld => ("upheld", "申请成立，予以纠正", "Upheld: the listing is corrected"),
        Refused => ("refused", "申请不成立，予以驳回", "Refused"),
        ReconsiderationReceived => ("reconsideration_received", "复议已受理，审查中", "Reconsideration received, under review"),
        ReconsiderationUpheld => ("reconsideration_upheld", "复议成立，予以纠正", "Reconsideration upheld: the listing is corrected"),
        ReconsiderationRefused => ("reconsideration_refused", "复议不成立，予以驳回", "Reconsideration refused"),
    }
}

impl RequestStatus {
    /// The status of a new request of `kind`.
    pub fn received(kind: RequestKind) -> RequestStatus {
        match kind {
            RequestKind::Correction => RequestStatus::Received,
            RequestKind::Reconsideration => RequestStatus::ReconsiderationReceived,
        }
    }

    /// The status a decision gives a request of `kind`.
    pub fn decided(kind: RequestKind, decision: Decision) -> RequestStatus {
        match (kind, decision) {
            (RequestKind::Correction, Decision::Uphold) => RequestStatus::Upheld,
            (RequestKind::Correction, Decision::Refuse) => RequestStatus::Refused,
            (RequestKind::Reconsideration, Decision::Uphold) => {
                RequestStatus::ReconsiderationUpheld
            }
            (RequestKind::Reconsideration, Decision::Refuse) => {
                RequestStatus::ReconsiderationRefused
            }
        }
    }

    /// The kind of request the status belongs to.
    pub fn kind(self) -> RequestKind {
        match self {
            RequestStatus::Received | RequestStatus::Upheld | RequestStatus::Refused => {
                RequestKind::Correction
            }
            _ => RequestKind::Reconsideration,
        }
    }

    /// Waiting for the court's decision: the review clock runs.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            RequestStatus::Received | RequestStatus::ReconsiderationReceived
        )
    }

    /// Decided in the party's favour: the correction clock runs.
    pub fn is_upheld(self) -> bool {
        matches!(
            self,
            RequestStatus::Upheld | RequestStatus::ReconsiderationUpheld
        )
    }

    /// The statuses a reviewer may move a request in this status to: none once decided.
    pub fn next(self) -> &'static [RequestStatus] {
        match self {
            RequestStatus::Received => &[RequestStatus::Upheld, RequestStatus::Refused],
            RequestStatus::ReconsiderationReceived => &[
                RequestStatus::ReconsiderationUpheld,
                RequestStatus::ReconsiderationRefused,
            ],
            _ => &[],
        }
    }
}

vocabulary! {
    /// A reviewer's decision on a request or a declared payment.
    pub enum Decision {
        Uphold => ("uphold", "成立", "Uphold"),
        Refuse => ("refuse", "驳回", "Refuse"),
    }
}

vocabulary! {
    /// How a listing looks to its party. The public sees only `published`.
    pub enum ListingStatus {
        /// Decided, but in its grace period: published on `published_on` unless the debtor
        /// performs before.
        Grace => ("grace", "宽限期内，尚未公布", "In its grace period, not yet published"),
        Published => ("published", "已公布", "Published"),
        /// Deleted: gone from every public page; `deleted_on` and `deletion_reason` say when and
        /// why.
        Deleted => ("deleted", "已删除", "Deleted"),
    }
}

vocabulary! {
    /// How someone checked a party's identifier, for "who checked me". Stored logs spell the
    /// channel their own way; [`CheckChannel::from_partner_audit`] and
    /// [`CheckChannel::from_verification`] read them.
    pub enum CheckChannel {
        /// A partner's server through the single-check API.
        PartnerApi => ("partner_api", "合作机构接口查询", "Partner API check"),
        /// A partner's batch check.
        PartnerBatch => ("partner_batch", "合作机构批量查询", "Partner batch check"),
        /// The check widget embedded in a partner's page.
        Widget => ("widget", "合作机构网页嵌入查询", "Check widget on a partner's page"),
        /// A certificate verified by scanning its QR code.
        CertificateQr => ("certificate_qr", "扫码核验履行证明", "Certificate verified by QR code"),
        /// A certificate verified by its number.
        CertificateNumber => ("certificate_number", "按编号核验履行证明", "Certificate verified by number"),
    }
}

impl CheckChannel {
    /// The channel of a partner audit row (`api`, `batch`, `embed`); `None` for a spelling this
    /// build does not know.
    pub fn from_partner_audit(stored: &str) -> Option<CheckChannel> {
        match stored {
            "api" => Some(CheckChannel::PartnerApi),
            "batch" => Some(CheckChannel::PartnerBatch),
            "embed" => Some(CheckChannel::Widget),
            _ => None,
        }
    }

    /// The channel of a certificate verification row (`qr`, `number`, `partner`); a partner's
    /// verification counts as a partner API check. `None` for a spelling this build does not
    /// know.
    pub fn from_verification(stored: &str) -> Option<CheckChannel> {
        match stored {
            "qr" => Some(CheckChannel::CertificateQr),
            "number" => Some(CheckChannel::CertificateNumber),
            "partner" => Some(CheckChannel::PartnerApi),
            _ => None,
        }
    }
}

/// Shortens a user-supplied value before quoting it in a message.
fn quote(value: &str) -> String {
    const MAX: usize = 20;
    let value = value.trim();
    if value.chars().count() > MAX {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    } else {
        value.to_owned()
    }
}

/// Reads a required value of a vocabulary; the messages name the allowed values, as the notice
/// import's do: "`a`（甲）、`b`（乙）" and "a, b".
pub(crate) fn choice<T: Copy>(
    value: &str,
    what: (&str, &str),
    all: &[T],
    as_str: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
) -> Result<T, Invalid> {
    let zh = all
        .iter()
        .map(|&v| format!("{}（{}）", as_str(v), label(v, Lang::Zh)))
        .collect::<Vec<_>>()
        .join("、");
    let en = all
        .iter()
        .map(|&v| as_str(v))
        .collect::<Vec<_>>()
        .join(", ");
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::new(
            ErrorCode::MissingField,
            format!("请选择{}，可选值为：{zh}", what.0),
            format!("Choose the {}; allowed values: {en}", what.1),
        ));
    }
    all.iter()
        .copied()
        .find(|v| as_str(*v).eq_ignore_ascii_case(value))
        .ok_or_else(|| {
            let value = quote(value);
            Invalid::new(
                ErrorCode::InvalidValue,
                format!("“{value}”不是有效的{}，可选值为：{zh}", what.0),
                format!(
                    "\"{value}\" is not a valid {}; allowed values: {en}",
                    what.1
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;
    use serde::Deserialize;

    use super::*;

    fn check<T>(all: &[T], as_str: fn(T) -> &'static str, label: fn(T, Lang) -> &'static str)
    where
        T: Copy + PartialEq + fmt::Debug + for<'de> Deserialize<'de>,
    {
        let mut spellings: Vec<&str> = all.iter().map(|&v| as_str(v)).collect();
        for &v in all {
            let de: StrDeserializer<DeError> = as_str(v).into_deserializer();
            assert_eq!(T::deserialize(de).unwrap(), v);
            assert!(!label(v, Lang::Zh).is_empty() && !label(v, Lang::En).is_empty());
            assert!(label(v, Lang::Zh) != label(v, Lang::En), "{v:?}");
        }
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(spellings.len(), all.len());
        let de: StrDeserializer<DeError> = "someday_a_new_value".into_deserializer();
        assert!(
            T::deserialize(de).is_err(),
            "an unknown spelling is an error"
        );
    }

    #[test]
    fn serde_names_are_the_spellings_and_unknown_ones_fail() {
        check(PartyRole::ALL, PartyRole::as_str, PartyRole::label);
        check(CaseStatus::ALL, CaseStatus::as_str, CaseStatus::label);
        check(
            PaymentMethod::ALL,
            PaymentMethod::as_str,
            PaymentMethod::label,
        );
        check(
            DeclarationStatus::ALL,
            DeclarationStatus::as_str,
            DeclarationStatus::label,
        );
        check(RequestKind::ALL, RequestKind::as_str, RequestKind::label);
        check(
            RequestGround::ALL,
            RequestGround::as_str,
            RequestGround::label,
        );
        check(
            DeletionGround::ALL,
            DeletionGround::as_str,
            DeletionGround::label,
        );
        check(
            DeletionReason::ALL,
            DeletionReason::as_str,
            DeletionReason::label,
        );
        check(
            RequestStatus::ALL,
            RequestStatus::as_str,
            RequestStatus::label,
        );
        check(Decision::ALL, Decision::as_str, Decision::label);
        check(
            ListingStatus::ALL,
            ListingStatus::as_str,
            ListingStatus::label,
        );
        check(CheckChannel::ALL, CheckChannel::as_str, CheckChannel::label);
        assert_eq!(DeletionGround::ALL.len(), 7, "SPC rules art. 10 has seven");
        assert_eq!(RequestGround::ALL.len(), 3, "SPC rules art. 11 has three");
    }

    #[test]
    fn parse_is_strict_about_words_and_lenient_about_case() {
        assert_eq!(PartyRole::parse(" Debtor "), Some(PartyRole::Debtor));
        assert_eq!(CaseStatus::parse("performed"), Some(CaseStatus::Performed));
        assert_eq!(CaseStatus::parse("done"), None);
        assert_eq!(CaseStatus::parse(""), None);
        assert_eq!(
            RequestStatus::parse("reconsideration_refused"),
            Some(RequestStatus::ReconsiderationRefused)
        );
        assert_eq!(RequestStatus::parse("pending"), None);
        assert_eq!(PaymentMethod::parse("cash"), None);
        assert_eq!(DeletionReason::Corrected.to_string(), "corrected");
    }

    #[test]
    fn every_deletion_ground_is_a_deletion_reason_of_the_same_spelling() {
        for &g in DeletionGround::ALL {
            assert_eq!(DeletionReason::from(g).as_str(), g.as_str());
        }
    }

    #[test]
    fn request_statuses_follow_their_kind() {
        use RequestStatus::*;
        for &kind in RequestKind::ALL {
            let received = RequestStatus::received(kind);
            assert_eq!(received.kind(), kind);
            assert!(received.is_open());
            for &d in Decision::ALL {
                let decided = RequestStatus::decided(kind, d);
                assert_eq!(decided.kind(), kind);
                assert!(received.next().contains(&decided));
                assert!(!decided.is_open() && decided.next().is_empty());
                assert_eq!(decided.is_upheld(), d == Decision::Uphold);
            }
        }
        assert_eq!(Received.next(), &[Upheld, Refused]);
    }

    #[test]
    fn declaration_statuses_pending_until_the_court_decides() {
        let pending: Vec<_> = DeclarationStatus::ALL
            .iter()
            .filter(|s| s.is_pending())
            .collect();
        assert_eq!(pending.len(), 3);
        assert!(!DeclarationStatus::Confirmed.is_pending());
        assert!(!DeclarationStatus::Rejected.is_pending());
    }

    #[test]
    fn stored_channels_read_back() {
        assert_eq!(
            CheckChannel::from_partner_audit("embed"),
            Some(CheckChannel::Widget)
        );
        assert_eq!(
            CheckChannel::from_partner_audit("batch"),
            Some(CheckChannel::PartnerBatch)
        );
        assert_eq!(CheckChannel::from_partner_audit("qr"), None);
        assert_eq!(
            CheckChannel::from_verification("qr"),
            Some(CheckChannel::CertificateQr)
        );
        assert_eq!(
            CheckChannel::from_verification("partner"),
            Some(CheckChannel::PartnerApi)
        );
        assert_eq!(CheckChannel::from_verification("fax"), None);
    }

    #[test]
    fn choices_name_the_allowed_values() {
        let all = PartyRole::ALL;
        assert_eq!(
            choice(
                " CREDITOR ",
                ("角色", "role"),
                all,
                PartyRole::as_str,
                PartyRole::label
            ),
            Ok(PartyRole::Creditor)
        );
        let missing = choice(
            "",
            ("角色", "role"),
            all,
            PartyRole::as_str,
            PartyRole::label,
        )
        .unwrap_err();
        assert_eq!(missing.code, ErrorCode::MissingField);
        assert!(missing.en.contains("creditor, debtor"), "{}", missing.en);
        let wrong = choice(
            "被告",
            ("角色", "role"),
            all,
            PartyRole::as_str,
            PartyRole::label,
        )
        .unwrap_err();
        assert_eq!(wrong.code, ErrorCode::InvalidValue);
        assert!(
            wrong.zh.contains("“被告”") && wrong.zh.contains("debtor（"),
            "{}",
            wrong.zh
        );
    }
}
