use std::path::Path;

use crate::helpers::TestApp;

const INDEX: &str = r#"<!DOCTYPE html><html><head><script type="module">import init from '/portal-0123456789abcdef.js';</script></head><body>portal</body></html>"#;

fn write_dist(dir: &Path) {
    std::fs::create_dir_all(dir.join("icons")).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join("portal-0123456789abcdef.js"), "export default 1;").unwrap();
    std::fs::write(dir.join("portal-0123456789abcdef.js.br"), b"brotli-bytes").unwrap();
    std::fs::write(dir.join("manifest.webmanifest"), "{}").unwrap();
    let rewards = dir.join("bundles/rewards");
    std::fs::create_dir_all(&rewards).unwrap();
    std::fs::write(
        rewards.join("index.html"),
        "<html><body>rewards</body></html>",
    )
    .unwrap();
}

#[tokio::test]
async fn the_front_end_is_served_with_spa_fallback_and_the_right_caching() {
    let dist = tempfile::tempdir().unwrap();
    write_dist(dist.path());
    let app = TestApp::spawn_with_dist(Some(dist.path().to_path_buf())).await;

    let res = app.get("/").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.text().await.unwrap().contains("portal"));

    // Deep links are routed in the browser: the server answers with index.html.
    let res = app.get("/lookup/deep/link").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert!(res.text().await.unwrap().contains("<body>portal</body>"));

    // Another service's addresses get that service's bundle (portal_core::bundle); its files are
    // under /bundles/.
    for path in ["/rewards", "/rewards/7"] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache");
        assert!(
            res.text().await.unwrap().contains("<body>rewards</body>"),
            "{path}"
        );
    }
    let res = app.get("/bundles/rewards/index.html").await;
    assert!(res.text().await.unwrap().contains("rewards"));
    // A bundle not built answers that the front end is not built.
    for path in ["/tips/new", "/parties", "/parties/declare"] {
        assert_eq!(app.get(path).await.status(), 503, "{path}");
    }

    // Hashed assets never change: cached for a year; precompressed brotli is used when accepted.
    let res = app
        .client
        .get(app.url("/portal-0123456789abcdef.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"brotli-bytes");

    let res = app.get("/manifest.webmanifest").await;
    assert_eq!(res.headers()["cache-control"], "no-cache");

    // The inline start-up script is allowed by hash, nothing else inline.
    let csp = app.get("/").await.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("'sha256-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[tokio::test]
async fn without_a_built_front_end_the_server_says_how_to_build_it() {
    let app = TestApp::spawn().await;
    let res = app.get("/").await;
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("cargo xtask build"));
    // The API still works.
    assert_eq!(app.get("/api/v1/health").await.status(), 200);
}
