//! Who a notice is about: a person's resident ID number or an organisation's unified social credit
//! code, parsed for a known subject type or — in forms that do not ask — for either.

use serde::{Serialize, Serializer};

use super::vocabulary::SubjectType;
use crate::credit_code::CreditCode;
use crate::error::{ErrorCode, Invalid};
use crate::id_number::IdNumber;

/// The identifier of a debtor: a resident ID number for a person, a unified social credit code
/// for an organisation.
///
/// `Debug` masks ID numbers (through [`IdNumber`]'s `Debug`); serialisation writes the full value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SubjectId {
    Person(IdNumber),
    Organization(CreditCode),
}

impl SubjectId {
    /// The full canonical identifier.
    pub fn as_str(&self) -> &str {
        match self {
            SubjectId::Person(id) => id.as_str(),
            SubjectId::Organization(code) => code.as_str(),
        }
    }

    /// The public form: ID numbers masked, credit codes in full.
    pub fn masked(&self) -> String {
        match self {
            SubjectId::Person(id) => id.masked(),
            SubjectId::Organization(code) => code.as_str().to_owned(),
        }
    }

    /// The kind of subject the identifier belongs to.
    pub fn subject_type(&self) -> SubjectType {
        match self {
            SubjectId::Person(_) => SubjectType::Person,
            SubjectId::Organization(_) => SubjectType::Organization,
        }
    }
}

impl SubjectId {
    /// Parses an identifier of either kind, for forms where the user does not say which: a
    /// resident ID number if it is one, else a unified social credit code. When neither fits, the
    /// message is the one for the kind the input most resembles (17 leading digits: an ID number).
    pub fn parse_any(input: &str) -> Result<SubjectId, Invalid> {
        let id_error = match IdNumber::parse(input) {
            Ok(id) => return Ok(SubjectId::Person(id)),
            Err(e) => e,
        };
        if id_error.code == ErrorCode::MissingField {
            return Err(id_error);
        }
        match CreditCode::parse(input) {
            Ok(code) => Ok(SubjectId::Organization(code)),
            Err(code_error) => {
                let looks_like_id = input
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .take(17)
                    .all(|c| c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c));
                Err(if looks_like_id { id_error } else { code_error })
            }
        }
    }
}

impl Serialize for SubjectId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Parses the identifier of a subject of the given type: an ID number for a person, a credit code
/// for an organisation.
pub fn parse_subject_id(subject_type: SubjectType, input: &str) -> Result<SubjectId, Invalid> {
    match subject_type {
        SubjectType::Person => IdNumber::parse(input).map(SubjectId::Person),
        SubjectType::Organization => CreditCode::parse(input).map(SubjectId::Organization),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_any_tells_ids_from_credit_codes() {
        let id = SubjectId::parse_any("11010519491231002x").unwrap();
        assert_eq!(id.subject_type(), SubjectType::Person);
        assert_eq!(id.as_str(), "11010519491231002X");
        let code = SubjectId::parse_any(" 91350100M000100Y43 ").unwrap();
        assert_eq!(code.subject_type(), SubjectType::Organization);
        assert_eq!(
            SubjectId::parse_any("").unwrap_err().code,
            ErrorCode::MissingField
        );
        // 17 digits then a wrong check digit: the ID number's message, not the credit code's.
        assert_eq!(
            SubjectId::parse_any("110105194912310021").unwrap_err().code,
            ErrorCode::InvalidIdNumber
        );
        assert_eq!(
            SubjectId::parse_any("91350100M000100Y44").unwrap_err().code,
            ErrorCode::InvalidCreditCode
        );
    }
}
