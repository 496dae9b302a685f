//! The one error type of the HTTP layer and how it becomes a JSON answer.
//!
//! Validation failures carry a field and messages in both languages; the answer uses the language
//! of the request (see [`lang`]). Database and internal errors are logged here and reach the client
//! only as a generic message, so no SQL, path or personal data leaks.

use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use portal_core::{api, ErrorCode, FieldError, Invalid, Lang};

tokio::task_local! {
    /// The language of the request being answered, set by [`crate::http::lang_layer`].
    static REQUEST_LANG: Lang;
}

/// Runs `fut` with `lang` as the language errors are written in.
pub async fn with_lang<F: std::future::Future>(lang: Lang, fut: F) -> F::Output {
    REQUEST_LANG.scope(lang, fut).await
}

/// The language of the request being answered (Chinese outside a request).
pub fn request_lang() -> Lang {
    REQUEST_LANG.try_with(|l| *l).unwrap_or_default()
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that failed a `core` rule: 422 with the field.
    #[error("invalid input: {0}")]
    Invalid(FieldError),
    /// A request that could not be understood at all (not JSON, wrong shape): 400.
    #[error("bad request: {code}")]
    BadRequest {
        code: ErrorCode,
        zh: String,
        en: String,
    },
    /// A request refused with a status of its own (404 for a wrong tracking code, 409 for a
    /// conflicting change …).
    #[error("refused: {code}")]
    Refused {
        status: StatusCode,
        code: ErrorCode,
        zh: String,
        en: String,
    },
    /// A refusal about one request field with a status and code of its own (an evidence upload
    /// that is gone, unfinished or of an unsupported type …).
    #[error("refused {field}: {code}")]
    FieldRefused {
        status: StatusCode,
        code: ErrorCode,
        field: &'static str,
        zh: String,
        en: String,
    },
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// Partner API without a valid key.
    #[error("missing or wrong API key")]
    BadKey,
    /// An unknown or revoked partner in the embed.
    #[error("partner not allowed")]
    PartnerNotAllowed,
    /// A body or batch over its limit.
    #[error("payload too large")]
    TooLarge {
        code: ErrorCode,
        zh: String,
        en: String,
    },
    #[error("not found")]
    NotFound,
    #[error("too many requests")]
    RateLimited { retry_after: u64 },
    /// The server's heavy-work queue is full (`heavy.rs`): 503 with `Retry-After`.
    #[error("busy")]
    Busy { retry_after: u64 },
    /// Past the guess budget of a masked ID (`guesses.rs`).
    #[error("too many guesses")]
    TooManyGuesses { retry_after: u64 },
    /// Staff sign-in throttled until `until` (court time, HH:MM).
    #[error("sign-in locked")]
    SigninLocked { retry_after: u64, until: String },
    /// Past the free allowance: solve this proof of work and retry.
    #[error("proof of work required")]
    Challenge(api::Challenge),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// A value of a closed vocabulary read back from the database: an unknown spelling means the row
/// was written by something else or is damaged, so it is an error, never read as a default
/// (an unknown certificate status must not become "valid").
pub fn stored<T>(parsed: Option<T>, column: &str, raw: &str) -> anyhow::Result<T> {
    parsed.ok_or_else(|| anyhow::anyhow!("unknown stored {column}: {raw:?}"))
}

impl From<crate::heavy::HeavyError> for AppError {
    fn from(e: crate::heavy::HeavyError) -> Self {
        match e {
            crate::heavy::HeavyError::Busy => AppError::Busy { retry_after: 5 },
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e)
    }
}

/// A request with several bad fields is answered with the first (in field order); the form shows
/// the others after it re-checks them in the browser with the same rules.
impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        match errors.into_iter().next() {
            Some(e) => AppError::Invalid(e),
            None => AppError::bad_request(ErrorCode::InvalidRequest, "请求无效", "Invalid request"),
        }
    }
}

impl AppError {
    pub fn bad_request(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::BadRequest {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A refusal with a status of its own (a conflict, a precondition, a quota …).
    pub fn refused(
        status: StatusCode,
        code: ErrorCode,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        AppError::Refused {
            status,
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// 404 with a message saying what was not found (or, for secrets, that the pair was wrong).
    pub fn not_found(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::refused(StatusCode::NOT_FOUND, code, zh, en)
    }

    /// 409: the request conflicts with what is stored now.
    pub fn conflict(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::refused(StatusCode::CONFLICT, code, zh, en)
    }

    /// A rejection from `core` for the named request field.
    pub fn invalid(field: &str, invalid: Invalid) -> Self {
        AppError::Invalid(invalid.at(field))
    }

    /// 422 on `field` for a rule only the server can check (against what is stored).
    pub fn invalid_value(field: &str, code: ErrorCode, zh: &str, en: &str) -> Self {
        AppError::invalid(field, Invalid::new(code, zh, en))
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Refused { status, .. } | AppError::FieldRefused { status, .. } => *status,
            AppError::Unauthorized | AppError::BadKey => StatusCode::UNAUTHORIZED,
            AppError::PartnerNotAllowed | AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::RateLimited { .. }
            | AppError::TooManyGuesses { .. }
            | AppError::SigninLocked { .. }
            | AppError::Challenge(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// An error body without field, retry time or challenge.
fn detail(code: ErrorCode, message: String) -> api::ErrorDetail {
    api::ErrorDetail {
        code,
        message,
        field: None,
        retry_after: None,
        challenge: None,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let lang = request_lang();
        let status = self.status();
        let detail = match &self {
            AppError::Invalid(e) => api::ErrorDetail {
                field: Some(e.field.clone()),
                ..detail(e.code(), e.message(lang).to_owned())
            },
            AppError::BadRequest { code, zh, en }
            | AppError::Refused { code, zh, en, .. }
            | AppError::TooLarge { code, zh, en } => detail(*code, pick(lang, zh, en)),
            AppError::FieldRefused {
                code,
                field,
                zh,
                en,
                ..
            } => api::ErrorDetail {
                field: Some((*field).to_owned()),
                ..detail(*code, pick(lang, zh, en))
            },
            AppError::Unauthorized => detail(
                ErrorCode::Unauthorized,
                pick(lang, "请先登录", "Please sign in first"),
            ),
            AppError::Forbidden => detail(
                ErrorCode::Forbidden,
                pick(
                    lang,
                    "您的角色无权进行此操作",
                    "Your role does not allow this",
                ),
            ),
            AppError::BadKey => detail(
                ErrorCode::InvalidApiKey,
                pick(
                    lang,
                    "缺少或错误的 API 密钥（Authorization: Bearer KEY）",
                    "Missing or wrong API key (Authorization: Bearer KEY)",
                ),
            ),
            AppError::PartnerNotAllowed => detail(
                ErrorCode::PartnerNotAllowed,
                pick(
                    lang,
                    "该合作方未登记或已停用",
                    "This partner is not registered or has been revoked",
                ),
            ),
            AppError::NotFound => {
                detail(ErrorCode::NotFound, pick(lang, "未找到该内容", "Not found"))
            }
            AppError::RateLimited { retry_after } => api::ErrorDetail {
                retry_after: Some(*retry_after),
                ..detail(
                    ErrorCode::RateLimited,
                    pick(
                        lang,
                        &format!("请求过于频繁，请 {retry_after} 秒后再试"),
                        &format!("Too many requests; please try again in {retry_after} s"),
                    ),
                )
            },
            AppError::Busy { retry_after } => api::ErrorDetail {
                retry_after: Some(*retry_after),
                ..detail(
                    ErrorCode::ServerBusy,
                    pick(
                        lang,
                        &format!("服务器正忙，请 {retry_after} 秒后重试"),
                        &format!("The server is busy; please try again in {retry_after} s"),
                    ),
                )
            },
            AppError::TooManyGuesses { retry_after } => api::ErrorDetail {
                retry_after: Some(*retry_after),
                ..detail(
                    ErrorCode::TooManyGuesses,
                    pick(
                        lang,
                        "今天已有人用多个不同的证件号码核对过这一姓名和号码，为保护当事人的信息，今天暂停用新的号码核对。本人核对请明天再试，或携带身份证件到法院办理",
                        "Several different ID numbers were already checked against this name and masked number today; to protect the person, checks with further numbers are paused until tomorrow. If this is your own ID, try again tomorrow or bring your ID card to the court",
                    ),
                )
            },
            AppError::SigninLocked { retry_after, until } => api::ErrorDetail {
                retry_after: Some(*retry_after),
                ..detail(
                    ErrorCode::SigninLocked,
                    pick(
                        lang,
                        &format!("登录失败次数过多，请于 {until}（北京时间）后再试"),
                        &format!("Too many failed sign-ins; try again at {until} (Beijing time)"),
                    ),
                )
            },
            AppError::Challenge(challenge) => api::ErrorDetail {
                challenge: Some(challenge.clone()),
                ..detail(
                    ErrorCode::ChallengeRequired,
                    pick(
                        lang,
                        "查询较多，需要完成一次自动安全验证后继续",
                        "Many searches: an automatic security check is needed to continue",
                    ),
                )
            },
            AppError::Database(e) => {
                tracing::error!(error = %e, "database error");
                internal(lang)
            }
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error");
                internal(lang)
            }
        };
        let retry_after = detail.retry_after;
        let mut response = (status, Json(api::ErrorBody { error: detail })).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, secs.into());
        }
        response
    }
}

/// The generic answer to a database or internal error: what failed stays in the log.
fn internal(lang: Lang) -> api::ErrorDetail {
    detail(
        ErrorCode::Internal,
        pick(
            lang,
            "服务器暂时出错，请稍后再试",
            "Server error; please try again later",
        ),
    )
}
