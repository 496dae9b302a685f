//! Serving the front end built by Trunk: precompressed files, immutable caching for hashed assets,
//! for every other path the `index.html` of the citizens' bundle it belongs to
//! ([`portal_core::bundle`]: the portal, rewards, tips, certificates, the parties' desk, payments
//! and corrections; their pages
//! route in the browser), and a CSP that allows exactly the inline start-up scripts Trunk writes
//! into those pages.

use std::{convert::Infallible, path::PathBuf};

use axum::{
    body::Body,
    http::{header, HeaderValue, Request, Response, StatusCode},
    response::IntoResponse,
    routing::{get_service, MethodRouter},
    Router,
};
use base64::{prelude::BASE64_STANDARD, Engine};
use portal_core::bundle::{bundle_of, Bundle, FILES_PREFIX};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

/// The built front end (`dist/`, with the embedded check in `dist/embed/`), or its absence.
#[derive(Clone, Debug)]
pub struct Frontend {
    dir: PathBuf,
    /// `'sha256-…'` sources for the inline scripts of the citizens' bundles' pages.
    script_hashes: Vec<String>,
    /// The embedded check's page and the hashes of its inline scripts.
    embed: Option<(String, Vec<String>)>,
    /// Each citizens' bundle's `index.html`, for pages whose share meta the server writes.
    pages: Vec<(Bundle, String)>,
    /// The certificate verification page (`dist/verify/index.html`, its own bundle) and the
    /// hashes of its inline scripts.
    verify: Option<(String, Vec<String>)>,
    /// The publicity pages (`dist/publicity/index.html`, their own bundle), likewise.
    publicity: Option<(String, Vec<String>)>,
}

/// A built page and the CSP hashes of its inline scripts, if it is built.
fn built_page(path: &std::path::Path) -> Option<(String, Vec<String>)> {
    std::fs::read_to_string(path).ok().map(|html| {
        let hashes = inline_script_hashes(&html);
        (html, hashes)
    })
}

/// WeChat's JS-SDK, which a page in WeChat's web view loads to set its share card (only when the
/// portal has a WeChat account: `serve --wechat-app-id`).
pub const WECHAT_SDK: &str = "https://res.wx.qq.com";

/// A Content-Security-Policy allowing this origin's files, the inline scripts with the given
/// hashes and WebAssembly compilation (`'wasm-unsafe-eval'`), framed only by `frame_ancestors`.
/// `hashes` may end with [`WECHAT_SDK`], the one other origin a page may load a script from.
fn csp(script_hashes: &[String], frame_ancestors: &str) -> HeaderValue {
    let hashes = script_hashes.join(" ");
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}; \
         manifest-src 'self'"
    );
    HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
}

impl Frontend {
    pub fn load(dir: PathBuf) -> Frontend {
        if !dir.join("index.html").is_file() {
            tracing::warn!(dir = %dir.display(), "no built front end; run `cargo xtask build`");
        }
        let mut pages = Vec::new();
        let mut script_hashes = Vec::new();
        for bundle in Bundle::ALL {
            if let Some((html, hashes)) = built_page(&bundle_index(&dir, bundle)) {
                script_hashes.extend(hashes);
                pages.push((bundle, html));
            }
        }
        let embed = built_page(&dir.join("embed/index.html"));
        let verify = built_page(&dir.join("verify/index.html"));
        let publicity = built_page(&dir.join("publicity/index.html"));
        Frontend {
            dir,
            script_hashes,
            embed,
            pages,
            verify,
            publicity,
        }
    }

    /// Lets the citizens' pages (the Leptos bundles, verify and publicity) load WeChat's JS-SDK
    /// for their share cards: for a portal with a WeChat account.
    pub fn with_wechat_sdk(mut self) -> Frontend {
        self.script_hashes.push(WECHAT_SDK.to_owned());
        for (_, hashes) in self.verify.iter_mut().chain(self.publicity.iter_mut()) {
            hashes.push(WECHAT_SDK.to_owned());
        }
        self
    }

    /// The policy of every answer that does not set its own: nothing may frame the portal.
    pub fn csp(&self) -> HeaderValue {
        csp(&self.script_hashes, "'none'")
    }

    /// The embedded check's page and its policy: framable by exactly the partner's origins.
    pub fn embed_page(&self, origins: &[String]) -> Option<(String, HeaderValue)> {
        let (html, hashes) = self.embed.as_ref()?;
        Some((html.clone(), csp(hashes, &origins.join(" "))))
    }

    /// The certificate verification page with `data` (JSON: the court keys as of now) in it, so
    /// the page checks a signature with no request of its own, and the certificate's `number`
    /// when the address names one, so the page asks for its live status at once; and the page's
    /// policy.
    pub fn verify_page(
        &self,
        data: &serde_json::Value,
        certificate: Option<(&str, &str)>,
    ) -> Option<(String, HeaderValue)> {
        let (html, hashes) = self.verify.as_ref()?;
        // Inside <script>, only "</" could end it early: JSON may escape '<' and '>' freely.
        let json = data
            .to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e");
        let mut tags =
            format!("<script type=\"application/json\" id=\"court-keys\">{json}</script>\n");
        // The certificate a QR address names: its number and the subject's name, with which the
        // early request may read the signed record.
        if let Some((number, name)) = certificate {
            tags.push_str(&format!(
                "<meta name=\"certificate-number\" content=\"{}\">\n\
                 <meta name=\"certificate-name\" content=\"{}\">\n",
                escape_html(number),
                escape_html(name)
            ));
        }
        let at = html.find("</head>")?;
        Some((
            format!("{}{tags}{}", &html[..at], &html[at..]),
            csp(hashes, "'none'"),
        ))
    }

    /// A publicity page (their own bundle, files under `/publicity-files/`), with an article's
    /// title and summary as its share meta when given, and `status`.
    pub fn publicity_page(&self, meta: Option<(&str, &str)>, status: StatusCode) -> Response<Body> {
        self.publicity_page_with(meta, None, status)
    }

    /// A publicity page whose content (`(lang, html)`, e.g. an article) is in the page as served:
    /// on screen before the app starts, and read by crawlers; the app keeps it.
    pub fn publicity_page_with(
        &self,
        meta: Option<(&str, &str)>,
        content: Option<(&str, &str)>,
        status: StatusCode,
    ) -> Response<Body> {
        let Some((html, hashes)) = &self.publicity else {
            return not_built();
        };
        let mut html = match meta {
            Some((title, description)) => {
                with_meta(html, &format!("{title} · 执行公开"), description)
                    .unwrap_or_else(|| html.clone())
            }
            None => html.clone(),
        };
        if let Some((lang, content)) = content {
            html = with_content(&html, lang, content).unwrap_or(html);
        }
        (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
                (header::CONTENT_SECURITY_POLICY, csp(hashes, "'none'")),
            ],
            html,
        )
            .into_response()
    }

    /// `/publicity` itself and the publicity bundle's files (its other pages are routed by the
    /// articles feature, which knows which addresses are articles).
    pub fn publicity_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let frontend = self.clone();
        let answer = move || {
            let frontend = frontend.clone();
            async move { frontend.publicity_page(None, StatusCode::OK) }
        };
        Router::new()
            .route("/publicity", axum::routing::get(answer.clone()))
            .route("/publicity/", axum::routing::get(answer))
            .nest_service("/publicity-files", spa(self.dir.join("publicity")))
    }

    /// The verification page's service worker script (`/C/sw.js`).
    pub fn verify_worker(&self) -> Option<String> {
        std::fs::read_to_string(self.dir.join("verify/verify-sw.js")).ok()
    }

    /// The verification page's files under `/verify/` (dist/verify).
    pub fn verify_files<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        Router::new().nest_service("/verify", spa(self.dir.join("verify")))
    }

    /// A citizens' bundle's `index.html` as built.
    pub fn bundle_page(&self, bundle: Bundle) -> Option<&str> {
        self.pages
            .iter()
            .find(|(b, _)| *b == bundle)
            .map(|(_, html)| html.as_str())
    }

    /// A bundle's page with its own title and description, also as Open Graph meta, so that a
    /// link forwarded in WeChat or read by a crawler shows them without running the app.
    pub fn page_with_meta(&self, bundle: Bundle, title: &str, description: &str) -> Option<String> {
        with_meta(self.bundle_page(bundle)?, title, description)
    }

    /// The portal's files (the service bundles' under `/bundles/`), and for every other address
    /// the page of the bundle it belongs to (routes live in the app).
    pub fn service<S: Clone + Send + Sync + 'static>(&self) -> MethodRouter<S> {
        let dir = self.dir.clone();
        let portal = spa(dir.clone());
        get_service(tower::service_fn(move |req: Request<Body>| {
            let (dir, portal) = (dir.clone(), portal.clone());
            async move {
                let path = req.uri().path();
                let page = match bundle_of(path) {
                    Some(bundle) if bundle != Bundle::Portal && !path.starts_with(FILES_PREFIX) => {
                        bundle_index(&dir, bundle)
                    }
                    _ => return portal.oneshot(req).await,
                };
                if !page.is_file() {
                    return Ok(not_built());
                }
                let res = ServeFile::new(page)
                    .precompressed_br()
                    .precompressed_gzip()
                    .oneshot(req)
                    .await;
                let mut res = match res {
                    Ok(r) => r.into_response(),
                    Err(e) => match e {},
                };
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                Ok::<_, Infallible>(res)
            }
        }))
    }

    /// The staff console, its own bundle under `/staff/` (dist/staff), with its own policy:
    /// never framed, and only its own inline start-up script allowed. Empty when the console is
    /// not built.
    pub fn staff_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        let dir = self.dir.join("staff");
        if !dir.join("index.html").is_file() {
            return Router::new();
        }
        let hashes = std::fs::read_to_string(dir.join("index.html"))
            .map(|html| inline_script_hashes(&html))
            .unwrap_or_default();
        Router::new().nest_service(
            "/staff",
            spa(dir).layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                csp(&hashes, "'none'"),
            )),
        )
    }
}

/// The built page of a citizens' bundle: `dist/index.html` for the portal,
/// `dist/bundles/{service}/index.html` for the others.
fn bundle_index(dir: &std::path::Path, bundle: Bundle) -> PathBuf {
    match bundle.dir() {
        None => dir.join("index.html"),
        Some(service) => dir.join("bundles").join(service).join("index.html"),
    }
}

/// Files of a built single-page app in `dir`: hashed assets cached for a year, everything else
/// revalidated, and `index.html` for any address that is not a file.
fn spa<S: Clone + Send + Sync + 'static>(dir: PathBuf) -> MethodRouter<S> {
    let index = dir.join("index.html");
    let files = ServeDir::new(&dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(&index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    get_service(tower::service_fn(move |req: Request<Body>| {
        let files = files.clone();
        let index = index.clone();
        async move {
            if !index.is_file() {
                return Ok::<_, Infallible>(not_built());
            }
            let hashed = is_hashed_asset(req.uri().path());
            let res = files.oneshot(req).await.map(IntoResponse::into_response);
            let mut res = match res {
                Ok(r) => r,
                Err(e) => match e {},
            };
            let cache = if hashed && res.status().is_success() {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            };
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            Ok(res)
        }
    }))
}

/// `html` with its own title and description, also as Open Graph meta.
fn with_meta(html: &str, title: &str, description: &str) -> Option<String> {
    let (title, description) = (escape_html(title), escape_html(description));
    let head_start = html.find("<title>")?;
    let head_end = html[head_start..].find("</title>")? + head_start + "</title>".len();
    let mut out = String::with_capacity(html.len() + 512);
    out.push_str(&html[..head_start]);
    out.push_str(&format!(
        "<title>{title}</title>\n    <meta property=\"og:title\" content=\"{title}\">\n    \
         <meta property=\"og:description\" content=\"{description}\">\n    \
         <meta property=\"og:type\" content=\"article\">\n    \
         <meta property=\"og:image\" content=\"/icons/icon-512.png\">"
    ));
    let rest = &html[head_end..];
    // Replace the page's own description with this one (Trunk's minifier may reorder or unquote
    // the attributes).
    let mut found = None;
    let mut from = 0;
    while let Some(i) = rest[from..].find("<meta").map(|i| i + from) {
        let Some(len) = rest[i..].find('>') else {
            break;
        };
        let tag = &rest[i..i + len];
        if tag.contains("name=description") || tag.contains("name=\"description\"") {
            found = Some((i, i + len + 1));
            break;
        }
        from = i + len;
    }
    match found {
        Some((start, end)) => {
            out.push_str(&rest[..start]);
            out.push_str(&format!(
                "<meta name=\"description\" content=\"{description}\">"
            ));
            out.push_str(&rest[end..]);
        }
        None => out.push_str(rest),
    }
    Some(out)
}

/// `html` with the inside of its `<div id="content">` replaced by `content` (written in `lang`).
fn with_content(html: &str, lang: &str, content: &str) -> Option<String> {
    let open = html
        .find("<div id=content>")
        .map(|i| (i, "<div id=content>".len()))
        .or_else(|| {
            html.find("<div id=\"content\">")
                .map(|i| (i, "<div id=\"content\">".len()))
        })?;
    let inner_start = open.0 + open.1;
    let close = html[inner_start..].find("</div>")? + inner_start;
    Some(format!(
        "{}<div id=\"content\" data-content-lang=\"{}\">{content}{}",
        &html[..open.0],
        escape_html(lang),
        &html[close..]
    ))
}

pub use portal_core::text::escape_html;

/// What every page address answers while the front end is not built.
pub fn not_built() -> Response<Body> {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "前端尚未构建，请运行 cargo xtask build\nThe front end is not built; run `cargo xtask build`.\n",
    )
        .into_response()
}

/// Trunk names built assets `name-<hash>.ext` with a 64-bit hash in hex (leading zeros dropped, so
/// up to 16 digits); those never change and can be cached for a year. Everything else (index.html, manifest, widget loader) must be revalidated.
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((_, hash)) => {
            (10..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// CSP hash sources of every inline `<script>` (ones without `src`).
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = &after[tag_end + 1..];
        let Some(close) = body_start.find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            let body = &body_start[..close];
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!("'sha256-{}'", BASE64_STANDARD.encode(digest)));
        }
        rest = &body_start[close..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_meta_replaces_title_and_description_and_is_escaped() {
        let frontend = Frontend {
            dir: PathBuf::new(),
            script_hashes: Vec::new(),
            embed: None,
            verify: None,
            publicity: None,
            pages: vec![(
                Bundle::Rewards,
                "<head><title>执行公开</title>\n<meta name=\"description\" content=\"site\"></head>".into(),
            )],
        };
        let html = frontend
            .page_with_meta(Bundle::Rewards, "悬赏 50,000 元 <b>", "找船\"线索\"")
            .unwrap();
        assert!(
            html.contains("<title>悬赏 50,000 元 &lt;b&gt;</title>"),
            "{html}"
        );
        assert!(html.contains("<meta property=\"og:title\" content=\"悬赏 50,000 元 &lt;b&gt;\">"));
        assert!(html.contains("<meta name=\"description\" content=\"找船&quot;线索&quot;\">"));
        assert!(!html.contains("content=\"site\""));
    }

    #[test]
    fn the_verify_page_carries_the_keys_and_the_number_and_nothing_can_close_its_script() {
        let frontend = Frontend {
            dir: PathBuf::new(),
            script_hashes: Vec::new(),
            embed: None,
            pages: Vec::new(),
            publicity: None,
            verify: Some((
                "<head><title>核验</title></head><body></body>".into(),
                vec!["'sha256-x'".into()],
            )),
        };
        let data = serde_json::json!({"keys": [{"court": "</script><script>alert(1)</script>"}], "as_of": 1});
        let (html, policy) = frontend
            .verify_page(&data, Some(("0000000013", "陈<小明>")))
            .unwrap();
        assert!(
            html.contains("<script type=\"application/json\" id=\"court-keys\">{"),
            "{html}"
        );
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        assert!(html.contains("\\u003c/script\\u003e"));
        assert!(html.contains(
            "<meta name=\"certificate-number\" content=\"0000000013\">\n\
             <meta name=\"certificate-name\" content=\"陈&lt;小明&gt;\">\n</head>"
        ));
        assert!(policy.to_str().unwrap().contains("'sha256-x'"));
        let (bare, _) = frontend.verify_page(&data, None).unwrap();
        assert!(!bare.contains("certificate-number"));
    }

    #[test]
    fn share_meta_finds_the_description_in_minified_html() {
        let html = "<head><title>执行公开</title><meta content=#1f3a68 name=theme-color><meta content=\"old words\" name=description></head>";
        let out = with_meta(html, "标题", "新的摘要").unwrap();
        assert!(
            out.contains("<meta content=#1f3a68 name=theme-color>"),
            "{out}"
        );
        assert!(
            out.contains("<meta name=\"description\" content=\"新的摘要\">"),
            "{out}"
        );
        assert!(!out.contains("old words"), "{out}");
    }

    #[test]
    fn content_goes_inside_the_content_element() {
        let html = "<main><div id=content><p class=status>正在加载…</p><noscript>x</noscript></div></main>";
        let out = with_content(html, "zh-CN", "<h1>标题</h1>").unwrap();
        assert_eq!(
            out,
            "<main><div id=\"content\" data-content-lang=\"zh-CN\"><h1>标题</h1></div></main>"
        );
        assert!(with_content("<main></main>", "zh-CN", "x").is_none());
    }

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed_asset("/portal-6b4f1e1a36a2f0c3.js"));
        assert!(is_hashed_asset("/portal-6b4f1e1a36a2f0c3_bg.wasm"));
        assert!(is_hashed_asset("/main-0123456789abcdef.css"));
        assert!(is_hashed_asset("/portal-846875d9f8a244b_bg.wasm"));
        assert!(!is_hashed_asset("/some-page"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/icon-192.png"));
        assert!(!is_hashed_asset("/lookup"));
    }

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let html = r#"<script src="/a.js"></script><script type="module">alert(1)</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes[0],
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
