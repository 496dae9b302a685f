//! Rejections: a machine code plus a message in each language the portal speaks.

use serde::{Deserialize, Serialize};

/// The languages of the portal. zh-CN is the source language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// BCP 47 tag, as used in `<html lang>` and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks the language from an `Accept-Language` header or a stored preference; Chinese unless
    /// English is asked for first.
    pub fn from_accept_language(header: &str) -> Lang {
        let first = header
            .split(',')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if first.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
}

/// Declares [`ErrorCode`] from `Variant => "code"` pairs, so that the serde name and
/// [`ErrorCode::as_str`] are one spelling by construction.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )+) => {
        /// Machine-readable error codes of the API (DESIGN §5, §7.3): the `code` of every error
        /// body the server sends, and of every rejection by `core`'s rules. Stable: partners and
        /// the portal switch on them; new codes may be added, never renamed.
        ///
        /// Serialised as its snake_case spelling ([`ErrorCode::as_str`]). A code this build does
        /// not know — sent by a newer server — deserialises as [`ErrorCode::Unknown`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(
                $(#[$doc])*
                $variant,
            )+
            /// A code this build does not know; treat it like a generic error of its HTTP status.
            Unknown,
        }

        impl ErrorCode {
            /// Every code the server sends, in declaration order ([`ErrorCode::Unknown`] is not
            /// one of them).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            /// The spellings of [`ErrorCode::ALL`], in the same order.
            const SPELLINGS: &'static [&'static str] = &[$($code),+];

            /// The spelling on the wire, e.g. `invalid_id_number`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                    ErrorCode::Unknown => "unknown",
                }
            }
        }

        impl Serialize for ErrorCode {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// Through the reader every vocabulary shares ([`crate::vocabulary::spelling_index`]);
        /// a code this build does not know reads as [`ErrorCode::Unknown`].
        impl<'de> Deserialize<'de> for ErrorCode {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::vocabulary::spelling_index_or_other(deserializer, Self::SPELLINGS)
                    .map(|i| i.map_or(ErrorCode::Unknown, |i| Self::ALL[i]))
            }
        }
    };
}

error_codes! {
    // Rejections by `core`'s input rules: 422, with the field.
    InvalidIdNumber => "invalid_id_number",
    InvalidCreditCode => "invalid_credit_code",
    InvalidCaseNumber => "invalid_case_number",
    InvalidName => "invalid_name",
    InvalidDate => "invalid_date",
    InvalidValue => "invalid_value",
    MissingField => "missing_field",
    TooLong => "too_long",

    // Requests the server cannot read (400, 415).
    /// The body is not JSON, or a field has the wrong type.
    InvalidJson => "invalid_json",
    /// The body is not `Content-Type: application/json`.
    UnsupportedMediaType => "unsupported_media_type",
    /// A request rejected without a more precise reason.
    InvalidRequest => "invalid_request",
    /// A tip submission without its `Idempotency-Key` header.
    MissingIdempotencyKey => "missing_idempotency_key",
    /// An `Idempotency-Key` sent again with a different body (422).
    IdempotencyKeyReused => "idempotency_key_reused",

    // Who is asking (401, 403).
    /// A staff call without a valid session.
    Unauthorized => "unauthorized",
    /// The staff member's role does not allow the call.
    Forbidden => "forbidden",
    /// A partner call without a valid `Authorization: Bearer KEY`.
    InvalidApiKey => "invalid_api_key",
    /// The embed of an unknown or revoked partner.
    PartnerNotAllowed => "partner_not_allowed",
    /// A staff sign-in with a wrong username or password.
    InvalidCredentials => "invalid_credentials",
    /// A party sign-in (name, ID number, access code) that matches no party of any case: one
    /// answer (401) for every mismatch, whichever of the three is wrong.
    NotRecognised => "not_recognised",

    // Limits (413, 429).
    /// A request body over the route's limit.
    BodyTooLarge => "body_too_large",
    /// A partner batch of more than 100 items.
    BatchTooLarge => "batch_too_large",
    /// Too many requests: retry after `retry_after` seconds.
    RateLimited => "rate_limited",
    /// Past the free allowance: solve the `challenge` and retry.
    ChallengeRequired => "challenge_required",
    /// Too many different ID numbers were checked against one name and masked ID today; the
    /// check is refused until `retry_after`, never answered.
    TooManyGuesses => "too_many_guesses",
    /// Too many failed staff sign-ins for the account or from the client: try again later.
    SigninLocked => "signin_locked",

    // Missing or changed things (404, 409).
    NotFound => "not_found",
    /// A wrong tip tracking code or PIN (one answer for both).
    TipNotFound => "tip_not_found",
    /// A tip's status changed since the staff member loaded it.
    StatusChanged => "status_changed",

    // Evidence uploads (tus 1.0) and their claim by a tip.
    TusVersionUnsupported => "tus_version_unsupported",
    InvalidUploadLength => "invalid_upload_length",
    InvalidUploadOffset => "invalid_upload_offset",
    UploadOffsetMismatch => "upload_offset_mismatch",
    UploadContentType => "upload_content_type",
    UploadInterrupted => "upload_interrupted",
    UploadNotFound => "upload_not_found",
    UploadTooLarge => "upload_too_large",
    UploadUnfinished => "upload_unfinished",
    UploadClaimed => "upload_claimed",
    TooManyFiles => "too_many_files",
    UnsupportedFileType => "unsupported_file_type",

    /// The server is too busy for this now (503): retry after `retry_after` seconds.
    ServerBusy => "server_busy",
    /// The server has no room for more uploads now (507): retry after `retry_after` seconds.
    InsufficientStorage => "insufficient_storage",

    /// A server fault; the details are in the server's log only.
    Internal => "internal",
}

/// Why a value was rejected, in both languages. Not yet tied to a form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: ErrorCode,
    pub zh: String,
    pub en: String,
}

impl Invalid {
    pub fn new(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Invalid {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// "This field is required", in both languages.
    pub fn missing() -> Self {
        Invalid::new(
            ErrorCode::MissingField,
            "此项为必填项",
            "This field is required",
        )
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Ties the rejection to the field (form input, JSON key or import column) it concerns.
    pub fn at(self, field: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            invalid: self,
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for Invalid {}

/// A rejection tied to a named field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub invalid: Invalid,
}

impl FieldError {
    pub fn code(&self) -> ErrorCode {
        self.invalid.code
    }

    pub fn message(&self, lang: Lang) -> &str {
        self.invalid.message(lang)
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.invalid)
    }
}

impl std::error::Error for FieldError {}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string whose description lists the codes, not a closed `enum`: codes may be added, and a
/// client generated from the document must not refuse one it does not know.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ErrorCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "Stable machine code; treat one you do not know like a generic error of the \
                 HTTP status, as new codes may be added. Codes: {}.",
                codes.join(", ")
            )))
            .examples([ErrorCode::InvalidIdNumber.as_str()])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ErrorCode {}

#[cfg(test)]
mod tests {
    use serde::de::value::{Error as DeError, StrDeserializer};
    use serde::de::IntoDeserializer;

    use super::*;

    fn from_wire(code: &str) -> ErrorCode {
        let de: StrDeserializer<DeError> = code.into_deserializer();
        ErrorCode::deserialize(de).unwrap()
    }

    #[test]
    fn codes_read_back_from_their_spelling() {
        for &code in ErrorCode::ALL {
            assert_eq!(from_wire(code.as_str()), code);
        }
        let mut spellings: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(
            spellings.len(),
            ErrorCode::ALL.len(),
            "a spelling is used twice"
        );
    }

    #[test]
    fn a_newer_servers_code_is_unknown() {
        assert_eq!(from_wire("quota_exceeded"), ErrorCode::Unknown);
        assert_eq!(ErrorCode::Unknown.as_str(), "unknown");
    }
}
