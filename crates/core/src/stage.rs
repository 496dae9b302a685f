//! The stage of a case at which a debtor performs: the parties' cases carry it, and a
//! self-performance certificate records it (in one byte of its signed payload).

use crate::vocabulary::vocabulary;

vocabulary! {
    /// When the debtor performed, relative to the case.
    pub enum Stage {
        BeforeJudgment => ("before_judgment", "判决前", "Before judgment"),
        DuringTrial => ("during_trial", "诉讼中", "During trial"),
        BeforeEnforcement => ("before_enforcement", "申请执行前", "Before an enforcement filing"),
        DuringEnforcement => ("during_enforcement", "执行中", "During enforcement"),
    }
}

impl Stage {
    /// The payload's byte for this stage.
    pub(crate) fn code(self) -> u8 {
        match self {
            Stage::BeforeJudgment => 1,
            Stage::DuringTrial => 2,
            Stage::BeforeEnforcement => 3,
            Stage::DuringEnforcement => 4,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<Stage> {
        Stage::ALL.iter().copied().find(|s| s.code() == code)
    }
}
