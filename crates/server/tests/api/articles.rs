//! Articles (DESIGN §7.7): editors write Markdown, publish, schedule and unpublish; the public
//! list, the article, its page's share meta and the Atom feed follow at once; refused Markdown
//! stores nothing.

use portal_server::staff::Role;
use serde_json::json;

use crate::helpers::{json_of, TestApp};

const COURT: &str = "宁波市象山县人民法院";

fn article(title: &str) -> serde_json::Value {
    json!({
        "title": title,
        "kind": "typical_case",
        "markdown": "## 基本案情\n\n被执行人**主动履行**，见[指南](/publicity/guide)。\n\n金额 < 1 万元 & \"引号\"",
        "court": COURT,
        "province": "33"
    })
}

async fn editor(app: &TestApp) -> reqwest::Client {
    app.staff_client("editor", COURT, Role::Editor).await
}

async fn send(req: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    json_of(req.send().await.unwrap()).await
}

#[tokio::test]
async fn an_editor_writes_publishes_and_unpublishes_and_the_public_sees_each_at_once() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dist.path().join("publicity")).unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<html><head><title>执行公开</title></head></html>",
    )
    .unwrap();
    std::fs::write(
        dist.path().join("publicity/index.html"),
        "<!doctype html><html><head><title>执行公开 · 执行公开</title><meta content=\"site words\" name=description></head><body><main><div id=content><p>正在加载…</p></div></main></body></html>",
    )
    .unwrap();
    let app = TestApp::spawn_with_dist(Some(dist.path().to_path_buf())).await;
    let staff = editor(&app).await;

    let (status, created) = send(
        staff
            .post(app.url("/api/v1/staff/articles"))
            .json(&article("拒执被执行人主动履行 <案例>")),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let (id, slug) = (
        created["id"].as_i64().unwrap(),
        created["slug"].as_str().unwrap().to_owned(),
    );
    assert!(slug.ends_with(&format!("-{id}")), "{slug}");

    // A draft is nobody's business but the court's.
    assert_eq!(
        app.get(&format!("/api/v1/articles/{slug}")).await.status(),
        404
    );
    let (_, list) = json_of(app.get("/api/v1/articles").await).await;
    assert_eq!(list["total"], 0);
    assert_eq!(app.get(&format!("/publicity/{slug}")).await.status(), 404);

    let (status, _) = send(
        staff
            .post(app.url(&format!("/api/v1/staff/articles/{id}/publish")))
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 204);
    let (status, a) = json_of(app.get(&format!("/api/v1/articles/{slug}")).await).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["kind"], "typical_case");
    let html = a["html"].as_str().unwrap();
    assert!(html.contains("<h2>基本案情</h2>"), "{html}");
    assert!(
        html.contains("<a href=\"/publicity/guide\" rel=\"noopener noreferrer\">指南</a>"),
        "{html}"
    );
    assert!(html.contains("金额 &lt; 1 万元 &amp;"), "{html}");
    // Without a summary of its own, the summary is the text's beginning.
    assert!(a["summary"]
        .as_str()
        .unwrap()
        .starts_with("基本案情 被执行人主动履行"));
    let (_, list) = json_of(
        app.get("/api/v1/articles?kind=typical_case&province=33")
            .await,
    )
    .await;
    assert_eq!(list["total"], 1);
    let (_, list) = json_of(app.get("/api/v1/articles?kind=news").await).await;
    assert_eq!(list["total"], 0);

    // The page as served carries the article's share meta, escaped.
    let page = app.get(&format!("/publicity/{slug}")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains(
            "<meta property=\"og:title\" content=\"拒执被执行人主动履行 &lt;案例&gt; · 执行公开\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"基本案情"),
        "{page}"
    );
    assert!(!page.contains("site words"));
    // And the article itself, so a slow phone (or a crawler) reads it before any script runs.
    assert!(page.contains("<div id=\"content\" data-content-lang=\"zh-CN\"><article class=\"article\"><h1>拒执被执行人主动履行 &lt;案例&gt;</h1>"), "{page}");
    assert!(page.contains("<h2>基本案情</h2>"));
    assert!(!page.contains("正在加载"));

    // The feed has it, its HTML escaped once more inside the XML.
    let feed = app.get("/feed.xml").await;
    assert!(feed.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let feed = feed.text().await.unwrap();
    assert!(
        feed.contains("<title>拒执被执行人主动履行 &lt;案例&gt;</title>"),
        "{feed}"
    );
    assert!(feed.contains(&format!("/publicity/{slug}</id>")));
    assert!(feed.contains("&lt;h2&gt;基本案情&lt;/h2&gt;"));

    // Edited: the public sees the new words; unpublished: gone from list, page, feed.
    let mut changed = article("拒执被执行人主动履行");
    changed["summary"] = json!("一句话摘要");
    let (status, _) = send(
        staff
            .put(app.url(&format!("/api/v1/staff/articles/{id}")))
            .json(&changed),
    )
    .await;
    assert_eq!(status, 204);
    let (_, a) = json_of(app.get(&format!("/api/v1/articles/{slug}")).await).await;
    assert_eq!(a["summary"], "一句话摘要");
    let (status, _) =
        send(staff.post(app.url(&format!("/api/v1/staff/articles/{id}/unpublish")))).await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/articles/{slug}")).await.status(),
        404
    );
    assert!(!app
        .get("/feed.xml")
        .await
        .text()
        .await
        .unwrap()
        .contains(&slug));
    let (_, mine) = send(staff.get(app.url("/api/v1/staff/articles"))).await;
    assert_eq!(mine["articles"][0]["status"], "unpublished");
    // Every action is in the audit log.
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM staff_audit WHERE target = $1 ORDER BY id")
            .bind(format!("article:{id}"))
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "article.create",
            "article.publish",
            "article.update",
            "article.unpublish"
        ]
    );
}

#[tokio::test]
async fn scripts_and_bad_links_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let staff = editor(&app).await;
    for markdown in [
        "正文\n\n<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[点我](javascript:alert(1))",
        "![图](data:image/svg+xml;base64,PHN2Zz4=)",
        "<svg onload=alert(1)>",
    ] {
        let mut a = article("标题");
        a["markdown"] = json!(markdown);
        let (status, body) = send(staff.post(app.url("/api/v1/staff/articles")).json(&a)).await;
        assert_eq!(status, 422, "{markdown}: {body}");
        assert_eq!(body["error"]["field"], "markdown");
        let (status, body) = send(
            staff
                .post(app.url("/api/v1/staff/articles/preview"))
                .json(&json!({"markdown": markdown})),
        )
        .await;
        assert_eq!(status, 422, "{body}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    // A good preview is the HTML as it would be published.
    let (status, p) = send(
        staff
            .post(app.url("/api/v1/staff/articles/preview"))
            .json(&json!({"markdown": "**要点**"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(p["html"], "<p><strong>要点</strong></p>\n");
    // Another court's name is not the editor's to use.
    let mut a = article("标题");
    a["court"] = json!("杭州市西湖区人民法院");
    let (status, body) = send(staff.post(app.url("/api/v1/staff/articles")).json(&a)).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("court"))
    );
    // Field rules from core: an empty title, an unknown kind.
    let (status, body) = send(
        staff
            .post(app.url("/api/v1/staff/articles"))
            .json(&json!({"title": "", "kind": "news", "markdown": "x"})),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("title"))
    );
}

#[tokio::test]
async fn only_the_courts_editors_may_write_and_scheduled_articles_wait_for_their_time() {
    let app = TestApp::spawn().await;
    let staff = editor(&app).await;
    let reviewer = app.staff_client("reviewer", COURT, Role::Reviewer).await;
    let (status, _) = send(
        reviewer
            .post(app.url("/api/v1/staff/articles"))
            .json(&article("标题")),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        app.client
            .post(app.url("/api/v1/staff/articles"))
            .json(&article("标题"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );

    let (_, created) = send(
        staff
            .post(app.url("/api/v1/staff/articles"))
            .json(&article("定时发布的文章")),
    )
    .await;
    let (id, slug) = (
        created["id"].as_i64().unwrap(),
        created["slug"].as_str().unwrap().to_owned(),
    );
    // Another court's editor cannot touch it.
    let other = app
        .staff_client("other", "杭州市西湖区人民法院", Role::Editor)
        .await;
    let (status, _) = send(
        other
            .post(app.url(&format!("/api/v1/staff/articles/{id}/publish")))
            .json(&json!({})),
    )
    .await;
    assert_eq!(status, 404);

    let (status, _) = send(
        staff
            .post(app.url(&format!("/api/v1/staff/articles/{id}/publish")))
            .json(&json!({"at": "2099-01-01T09:00:00+08:00"})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/articles/{slug}")).await.status(),
        404
    );
    let (_, mine) = send(staff.get(app.url("/api/v1/staff/articles"))).await;
    assert_eq!(mine["articles"][0]["status"], "scheduled");
    let (status, body) = send(
        staff
            .post(app.url(&format!("/api/v1/staff/articles/{id}/publish")))
            .json(&json!({"at": "next week"})),
    )
    .await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("at")));
    // A time already past publishes now.
    let (status, _) = send(
        staff
            .post(app.url(&format!("/api/v1/staff/articles/{id}/publish")))
            .json(&json!({"at": "2020-01-01T00:00:00Z"})),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/articles/{slug}")).await.status(),
        200
    );
}

/// A PNG whose text chunk says `secret` (what a camera's metadata would be to a photo).
fn png_with_text() -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // A tEXt chunk after the header chunk (its CRC is not checked by decoders that skip it).
    let text = b"tEXtComment\0secret-gps-31.2,121.4";
    let mut chunk = (text.len() as u32 - 4).to_be_bytes().to_vec();
    chunk.extend_from_slice(text);
    chunk.extend_from_slice(&crc32(text).to_be_bytes());
    let at = 8 + 25; // signature + IHDR
    png.splice(at..at, chunk);
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[tokio::test]
async fn images_are_re_encoded_without_their_metadata_and_served_for_good() {
    let app = TestApp::spawn().await;
    let staff = editor(&app).await;
    let png = png_with_text();
    assert!(png.windows(10).any(|w| w == b"secret-gps"));
    let (status, body) = send(
        staff
            .post(app.url("/api/v1/staff/articles/images"))
            .body(png),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let url = body["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/media/") && url.ends_with(".jpg"), "{url}");
    assert_eq!(body["markdown"], format!("![图片说明]({url})"));
    let res = app.get(&url).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert!(res.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let jpeg = res.bytes().await.unwrap();
    assert!(jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(
        !jpeg.windows(10).any(|w| w == b"secret-gps"),
        "metadata survived"
    );
    assert!(!jpeg.windows(4).any(|w| w == b"Exif"));
    assert_eq!(image::load_from_memory(&jpeg).unwrap().width(), 40);
    // The image goes into an article as Markdown.
    let mut a = article("带图片的文章");
    a["markdown"] = json!(format!("正文\n\n![图片说明]({url})"));
    let (status, _) = send(staff.post(app.url("/api/v1/staff/articles")).json(&a)).await;
    assert_eq!(status, 201);

    // Not an image; damaged; not an editor; unknown.
    let (status, body) = send(
        staff
            .post(app.url("/api/v1/staff/articles/images"))
            .body("not an image"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (415, Some("unsupported_file_type"))
    );
    let (status, _) = send(
        staff
            .post(app.url("/api/v1/staff/articles/images"))
            .body(b"\x89PNG\r\n\x1a\n broken".to_vec()),
    )
    .await;
    assert_eq!(status, 422);
    let reviewer = app.staff_client("reviewer", COURT, Role::Reviewer).await;
    let (status, _) = send(
        reviewer
            .post(app.url("/api/v1/staff/articles/images"))
            .body(png_with_text()),
    )
    .await;
    assert_eq!(status, 403);
    // A photo of several MB (up to the 10 MB limit) is taken; past the limit, a clear 413.
    let mut big = Vec::new();
    let mut noise = 0x2545_F491_u32;
    image::RgbImage::from_fn(900, 700, |_, _| {
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let [r, g, b, _] = noise.to_le_bytes();
        image::Rgb([r, g, b])
    })
    .write_to(&mut std::io::Cursor::new(&mut big), image::ImageFormat::Png)
    .unwrap();
    assert!(big.len() > 1_500_000, "{}", big.len());
    let (status, body) = send(
        staff
            .post(app.url("/api/v1/staff/articles/images"))
            .body(big),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = send(
        staff
            .post(app.url("/api/v1/staff/articles/images"))
            .body(vec![0u8; 11 * 1024 * 1024]),
    )
    .await;
    assert_eq!(status, 413);
    assert_eq!(app.get("/media/0123.jpg").await.status(), 404);
    assert_eq!(
        app.get(&format!("/media/{}.jpg", "0".repeat(32)))
            .await
            .status(),
        404
    );
}
