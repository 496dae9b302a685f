//! A party's sign-in: name, ID number (or credit code) and access code, each read by the rule of
//! its kind. Only malformed input is answered field by field; whether the three belong together
//! is the server's question, and every mismatch gets the one answer `not_recognised` (401), so the
//! answer never tells which of the three was wrong.

use std::fmt;

use super::api::PartySignIn;
use crate::error::{FieldError, Invalid};
use crate::name::PersonName;
use crate::notice::SubjectId;

use super::access_code::normalize_access_code;

/// A well-formed sign-in, ready to be matched.
///
/// `Debug` masks the ID number and hides the access code.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidSignIn {
    pub name: PersonName,
    pub subject_id: SubjectId,
    /// Normalised ([`normalize_access_code`]): the form whose hash is stored.
    pub access_code: String,
}

impl PartySignIn {
    /// Checks every field; reports every malformed one, in form order.
    pub fn validate(&self) -> Result<ValidSignIn, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut record = |field: &str, e: Invalid| errors.push(e.at(field));
        let name = PersonName::parse(&self.name).map_err(|e| record("name", e));
        let subject_id = SubjectId::parse_any(&self.id_number).map_err(|e| record("id_number", e));
        let access_code =
            normalize_access_code(&self.access_code).map_err(|e| record("access_code", e));
        match (name, subject_id, access_code) {
            (Ok(name), Ok(subject_id), Ok(access_code)) => Ok(ValidSignIn {
                name,
                subject_id,
                access_code,
            }),
            _ => Err(errors),
        }
    }
}

impl fmt::Debug for ValidSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidSignIn")
            .field("name", &self.name.display())
            .field("subject_id", &self.subject_id.masked())
            .field("access_code", &"********")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorCode, Lang};

    fn sign_in(name: &str, id: &str, code: &str) -> PartySignIn {
        PartySignIn {
            name: name.into(),
            id_number: id.into(),
            access_code: code.into(),
        }
    }

    #[test]
    fn well_formed() {
        let v = sign_in(" 张三 ", "44052419730212251６", "abcd efgh 2345")
            .validate()
            .unwrap();
        assert_eq!(v.name.display(), "张三");
        assert_eq!(v.subject_id.as_str(), "440524197302122516");
        assert_eq!(v.access_code, "ABCDEFGH2345");
        let org = sign_in("象山某某水产有限公司", "91350100M000100Y43", "ABCD-EFGH")
            .validate()
            .unwrap();
        assert_eq!(org.subject_id.masked(), "91350100M000100Y43");
        let shown = format!("{v:?}");
        assert!(!shown.contains("ABCDEFGH2345") && shown.contains("4405241973****2516"));
    }

    #[test]
    fn malformed_fields_in_both_languages() {
        let errors = sign_in("", "", "").validate().unwrap_err();
        let fields: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("name", ErrorCode::MissingField),
                ("id_number", ErrorCode::MissingField),
                ("access_code", ErrorCode::MissingField),
            ]
        );
        let errors = sign_in("张三", "440524197302122517", "ABCD0EFGH")
            .validate()
            .unwrap_err();
        let fields: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("id_number", ErrorCode::InvalidIdNumber),
                ("access_code", ErrorCode::InvalidValue),
            ]
        );
        for e in &errors {
            assert!(!e.message(Lang::Zh).is_empty() && !e.message(Lang::En).is_empty());
            assert_ne!(e.message(Lang::Zh), e.message(Lang::En));
        }
    }
}
