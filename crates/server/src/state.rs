//! The application state every handler takes: the database, the keys, the limiter, the upload
//! store, the WeChat account and the settings of the HTTP layer. It names each share by a type from a lower layer
//! (never a feature's), so every feature depends on this module and it on none of them.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};

use crate::{
    db::Db,
    guesses::{self, GuessBook},
    keys::{court::SharedCourtKeys, Keys, SharedKeys},
    ratelimit::Limiter,
    storage::Uploads,
};

/// Settings of the HTTP layer that come from the command line.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Mark the session cookie `Secure` (set when the portal is served over HTTPS).
    pub secure_cookies: bool,
    /// The portal's public origin (`https://zxgk.example.gov.cn`), as users reach it: addresses
    /// in QR codes and feeds, and the origin staff writes must come from.
    pub public_origin: String,
    /// Take the client address from `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
}

impl HttpConfig {
    /// Whether the portal is served over HTTPS: cookies are then `Secure` and `__Host-`.
    pub fn https(&self) -> bool {
        self.secure_cookies || self.public_origin.starts_with("https://")
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<HttpConfig>,
    pub limiter: Arc<Limiter>,
    /// The home page's figures, counted at most once a minute.
    pub stats: Arc<Cached<portal_core::api::Stats>>,
    /// The portal's keys, re-read when an operator rotates them.
    pub keys: Arc<SharedKeys>,
    pub uploads: Arc<Uploads>,
    /// The courts' certificate keys, re-read when `court-key` commands change them.
    pub court_keys: Arc<SharedCourtKeys>,
    /// The guess budget per masked ID.
    pub guesses: Arc<GuessBook>,
    /// The holiday calendar deadlines are counted with (built-in and imported years), read again
    /// once a minute so that an import reaches every instance (`calendar::current`).
    pub calendar: Arc<Cached<Arc<portal_core::calendar::Calendar>>>,
    /// The WeChat official account that signs share cards; `None` when not configured.
    pub wechat: Option<Arc<WeChat>>,
}

impl AppState {
    pub fn new(
        db: Db,
        config: HttpConfig,
        limiter: Limiter,
        keys: Keys,
        uploads: Uploads,
    ) -> AppState {
        AppState {
            guesses: Arc::new(GuessBook::for_db(&db)),
            db,
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            stats: Arc::default(),
            calendar: Arc::default(),
            court_keys: Arc::new(SharedCourtKeys::new(&keys.court_key_file())),
            keys: Arc::new(SharedKeys::new(keys)),
            uploads: Arc::new(uploads),
            wechat: None,
        }
    }

    /// Signs WeChat share cards with this account (`--wechat-app-id`).
    pub fn with_wechat(mut self, wechat: WeChat) -> AppState {
        self.wechat = Some(Arc::new(wechat));
        self
    }
}

impl AppState {
    /// Counts a check of `subject` under `name` against the guess budget of its masked form
    /// ([`guesses`]); call it once the request is admitted and before anything is looked up.
    pub async fn spend_guess(
        &self,
        name: &portal_core::PersonName,
        subject: &portal_core::notice::SubjectId,
    ) -> crate::error::AppResult<()> {
        guesses::spend(
            &self.guesses,
            &self.db,
            &self.keys.get().pepper(),
            name,
            subject,
        )
        .await
    }
}

/// The address the portal is reached at, for QR codes and feeds: the configured public origin,
/// never the request's `Host` header (which the client chooses).
pub fn public_origin(state: &AppState) -> &str {
    &state.config.public_origin
}

/// A value computed now and then and served in between, per application (tests run many).
pub struct Cached<T>(Mutex<Option<(Instant, T)>>);

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached(Mutex::new(None))
    }
}

impl<T: Clone> Cached<T> {
    /// The value, if it was stored less than `ttl` ago.
    pub fn fresh(&self, ttl: Duration) -> Option<T> {
        match self.0.lock().expect("lock").as_ref() {
            Some((at, value)) if at.elapsed() < ttl => Some(value.clone()),
            _ => None,
        }
    }

    pub fn store(&self, value: T) {
        *self.0.lock().expect("lock") = Some((Instant::now(), value));
    }
}

/// The official account's credentials (`--wechat-app-id`, `--wechat-app-secret`) and where its
/// API is (`--wechat-api-base`; tests give a local stand-in).
pub struct WeChat {
    pub app_id: String,
    pub(crate) secret: SecretString,
    pub(crate) api_base: String,
    pub(crate) http: reqwest::Client,
}

impl WeChat {
    pub fn new(app_id: String, secret: SecretString, api_base: &str) -> anyhow::Result<WeChat> {
        if app_id.trim().is_empty() || secret.expose_secret().trim().is_empty() {
            anyhow::bail!("--wechat-app-id and --wechat-app-secret must not be empty");
        }
        let api_base = api_base.trim_end_matches('/').to_owned();
        if !api_base.starts_with("https://") && !api_base.starts_with("http://") {
            anyhow::bail!("--wechat-api-base must start with https:// or http://");
        }
        Ok(WeChat {
            app_id,
            secret,
            api_base,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()?,
        })
    }
}
