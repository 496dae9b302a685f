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

/// Machine-readable error codes of the API (DESIGN §7.3). Stable: partners switch on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    InvalidIdNumber,
    InvalidCreditCode,
    InvalidCaseNumber,
    InvalidName,
    InvalidDate,
    InvalidValue,
    MissingField,
    TooLong,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidIdNumber => "invalid_id_number",
            ErrorCode::InvalidCreditCode => "invalid_credit_code",
            ErrorCode::InvalidCaseNumber => "invalid_case_number",
            ErrorCode::InvalidName => "invalid_name",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidValue => "invalid_value",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::TooLong => "too_long",
        }
    }
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
