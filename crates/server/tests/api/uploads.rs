//! Evidence uploads over tus 1.0, and what becomes of them when a tip claims them.

use base64::{prelude::BASE64_STANDARD, Engine};
use portal_server::{clock::court_today, seed, staff::Role, uploads};
use serde_json::{json, Value};

use crate::helpers::{json_of, TestApp};

const COURT: &str = "宁波市象山县人民法院";

async fn create(app: &TestApp, length: usize, name: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/uploads"))
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header(
            "upload-metadata",
            format!("filename {}", BASE64_STANDARD.encode(name)),
        )
        .send()
        .await
        .unwrap()
}

async fn patch(app: &TestApp, location: &str, offset: usize, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .patch(app.url(location))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn head_offset(app: &TestApp, location: &str) -> Option<usize> {
    let res = app
        .client
        .head(app.url(location))
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    (res.status() == 200).then(|| {
        res.headers()["upload-offset"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    })
}

/// Uploads `bytes` in two PATCHes; returns the upload id.
async fn upload(app: &TestApp, name: &str, bytes: &[u8]) -> String {
    let res = create(app, bytes.len(), name).await;
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let half = bytes.len() / 2;
    assert_eq!(
        patch(app, &location, 0, bytes[..half].to_vec())
            .await
            .status(),
        204
    );
    let res = patch(app, &location, half, bytes[half..].to_vec()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        res.headers()["upload-offset"],
        bytes.len().to_string().as_str()
    );
    location.rsplit('/').next().unwrap().to_owned()
}

/// A JPEG photo carrying what a phone writes: GPS position, make, model, serial, capture time,
/// and Orientation 6 (turn 90° clockwise to view). 40 × 20 pixels as stored.
fn phone_photo() -> Vec<u8> {
    use exif::{experimental::Writer, Field, In, Rational, Tag, Value as V};
    let mut jpeg = Vec::new();
    image::RgbImage::from_fn(40, 20, |x, _| image::Rgb([(x * 6) as u8, 90, 160]))
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: V::Short(vec![6]),
        },
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: V::Ascii(vec![b"Canon".to_vec()]),
        },
        Field {
            tag: Tag::Model,
            ifd_num: In::PRIMARY,
            value: V::Ascii(vec![b"EOS R6".to_vec()]),
        },
        Field {
            tag: Tag::BodySerialNumber,
            ifd_num: In::PRIMARY,
            value: V::Ascii(vec![b"SN-0042-7731".to_vec()]),
        },
        Field {
            tag: Tag::DateTimeOriginal,
            ifd_num: In::PRIMARY,
            value: V::Ascii(vec![b"2026:11:20 17:42:05".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: V::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: V::Rational(vec![
                Rational { num: 29, denom: 1 },
                Rational { num: 12, denom: 1 },
                Rational { num: 3, denom: 1 },
            ]),
        },
    ];
    let mut writer = Writer::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let tiff = tiff.into_inner();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(&app1);
    out.extend(&jpeg[2..]);
    let read = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&out))
        .expect("the test photo carries EXIF");
    assert!(read.get_field(Tag::GPSLatitude, In::PRIMARY).is_some());
    out
}

async fn reward(app: &TestApp) -> i64 {
    seed::seed_demo(&app.db, 200, court_today()).await.unwrap();
    sqlx::query_scalar(
        "SELECT MIN(id) FROM rewards WHERE court = $1 AND status = 'active' AND deadline >= $2",
    )
    .bind(COURT)
    .bind(court_today().to_string())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

fn tip(reward: i64, uploads: &[String]) -> Value {
    json!({
        "reward_id": reward,
        "kind": "vehicle",
        "description": "被执行人的白色轿车常停在小区地下车库B2层，车牌见照片",
        "uploads": uploads,
        "declaration": true,
    })
}

#[tokio::test]
async fn the_tus_protocol_creates_resumes_checks_and_terminates() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(res.headers()["tus-version"], "1.0.0");
    assert_eq!(res.headers()["tus-extension"], "creation,termination");
    assert_eq!(
        res.headers()["tus-max-size"],
        (20 * 1024 * 1024).to_string().as_str()
    );

    let res = create(&app, 1000, "a.pdf").await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.headers()["tus-resumable"], "1.0.0");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/api/v1/uploads/"));
    assert_eq!(head_offset(&app, &location).await, Some(0));

    // A wrong offset is a conflict that says where the upload stands.
    let res = patch(&app, &location, 10, vec![1; 10]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.headers()["upload-offset"], "0");
    // Wrong content type, wrong protocol version.
    let res = app
        .client
        .patch(app.url(&location))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    let res = app.client.head(app.url(&location)).send().await.unwrap();
    assert_eq!(res.status(), 412);
    assert_eq!(res.headers()["tus-version"], "1.0.0");
    // Too large for the limit.
    let (status, body) = json_of(create(&app, 21 * 1024 * 1024, "big.mp4").await).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("upload_too_large"))
    );

    // Termination.
    let res = app
        .client
        .delete(app.url(&location))
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(head_offset(&app, &location).await, None);
}

/// The network drops in the middle of a PATCH: the bytes that arrived are kept, the server says
/// where it stands, and the upload finishes from there.
#[tokio::test]
async fn an_upload_interrupted_mid_patch_resumes_where_it_broke() {
    let app = TestApp::spawn().await;
    let bytes: Vec<u8> = (0..3 * 1024 * 1024).map(|i| (i % 253) as u8).collect();
    let res = create(&app, bytes.len(), "video.mp4").await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let sent = 2 * 1024 * 1024 + 12_345;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
        Ok(bytes[..1024 * 1024].to_vec()),
        Ok(bytes[1024 * 1024..sent].to_vec()),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "signal lost",
        )),
    ];
    let broken = app
        .client
        .patch(app.url(&location))
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await;
    assert!(broken.is_err() || !broken.unwrap().status().is_success());
    let mut offset = None;
    for _ in 0..50 {
        offset = head_offset(&app, &location).await;
        if offset == Some(sent) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(offset, Some(sent), "everything that arrived was kept");
    let res = patch(&app, &location, sent, bytes[sent..].to_vec()).await;
    assert_eq!(res.status(), 204);
    let staged = std::fs::read(
        app.test_db
            .dir
            .path()
            .join("uploads/staging")
            .join(location.rsplit('/').next().unwrap()),
    )
    .unwrap();
    assert!(staged == bytes, "the resumed file is the original");
}

#[tokio::test]
async fn a_tip_claims_its_photos_encrypts_them_and_staff_see_a_copy_without_metadata() {
    let app = TestApp::spawn().await;
    let reward = reward(&app).await;
    let photo = phone_photo();
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let ids = vec![
        upload(&app, "车库.jpg", &photo).await,
        upload(&app, "行驶证.pdf", &pdf).await,
    ];
    let (status, answer) = app.submit_tip("with-files", &tip(reward, &ids)).await;
    assert_eq!(status, 201, "{answer}");
    use base64::prelude::BASE64_URL_SAFE_NO_PAD;
    let payload: Value = serde_json::from_slice(
        &BASE64_URL_SAFE_NO_PAD
            .decode(answer["receipt"]["payload"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    use sha2::Digest;
    assert_eq!(
        payload["files_sha256"],
        json!([
            hex::encode(sha2::Sha256::digest(&photo)),
            hex::encode(sha2::Sha256::digest(&pdf))
        ]),
        "the receipt proves which files were sent"
    );
    // At rest nothing is readable and nothing is left in staging.
    let evidence = app.test_db.dir.path().join("uploads/evidence");
    for entry in std::fs::read_dir(&evidence).unwrap() {
        let stored = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!stored.windows(6).any(|w| w == b"%PDF-1" || w == b"Canon\0"));
    }
    assert_eq!(
        std::fs::read_dir(app.test_db.dir.path().join("uploads/staging"))
            .unwrap()
            .count(),
        0
    );

    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(app.get("/api/v1/staff/tips").await).await;
    let id = queue["tips"][0]["id"].as_i64().unwrap();
    let (_, detail) = json_of(app.get(&format!("/api/v1/staff/tips/{id}")).await).await;
    assert_eq!(detail["files"][0]["content_type"], "image/jpeg");
    assert_eq!(detail["files"][0]["has_display"], true);
    assert_eq!(detail["files"][1]["content_type"], "application/pdf");
    assert_eq!(detail["files"][1]["has_display"], false);

    let res = app.get(&format!("/api/v1/staff/tips/{id}/files/1")).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let display = res.bytes().await.unwrap();
    assert!(
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&display))
            .is_err(),
        "the display copy carries no EXIF at all"
    );
    for tag in [&b"Canon"[..], b"EOS R6", b"SN-0042", b"2026:11:20"] {
        assert!(!display.windows(tag.len()).any(|w| w == tag));
    }
    let shown = image::load_from_memory(&display).unwrap();
    assert_eq!(
        (shown.width(), shown.height()),
        (20, 40),
        "turned upright as the phone meant"
    );

    let original = app
        .get(&format!("/api/v1/staff/tips/{id}/files/1?variant=original"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(original.to_vec(), photo, "the original is kept as evidence");
    assert_eq!(
        app.get(&format!("/api/v1/staff/tips/{id}/files/2"))
            .await
            .status(),
        404,
        "no display copy of a PDF"
    );
    let audited: Vec<String> = sqlx::query_scalar("SELECT action FROM staff_audit ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert!(audited.contains(&"tip.original".to_owned()));

    // A retry of the submission with the same key claims nothing twice and answers the same.
    let (status, again) = app.submit_tip("with-files", &tip(reward, &ids)).await;
    assert_eq!((status, &again), (201, &answer));
}

#[tokio::test]
async fn a_web_page_named_like_a_photo_is_refused_by_name_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let reward = reward(&app).await;
    let html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>".to_vec();
    let ids = vec![upload(&app, "photo.jpg", &html).await];
    let (status, answer) = app.submit_tip("html", &tip(reward, &ids)).await;
    assert_eq!(status, 415, "{answer}");
    assert_eq!(answer["error"]["code"], "unsupported_file_type");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("photo.jpg"));
    let tips: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(tips, 0);
    // Unknown and unfinished uploads are field errors.
    let (status, answer) = app
        .submit_tip("unknown", &tip(reward, &["nope".to_owned()]))
        .await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("uploads"))
    );
    let res = create(&app, 100, "half.jpg").await;
    let half = res.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let (status, answer) = app.submit_tip("half", &tip(reward, &[half])).await;
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("uploads"))
    );
}

#[tokio::test]
async fn unfinished_uploads_expire() {
    let app = TestApp::spawn().await;
    let res = create(&app, 100, "old.jpg").await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let id = location.rsplit('/').next().unwrap().to_owned();
    assert_eq!(uploads::sweep(&app.state).await.unwrap(), 0, "not yet");
    sqlx::query("UPDATE uploads SET expires_at = 0 WHERE id = $1")
        .bind(&id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        head_offset(&app, &location).await,
        None,
        "an expired upload is gone at once"
    );
    assert_eq!(uploads::sweep(&app.state).await.unwrap(), 1);
    assert!(!app
        .test_db
        .dir
        .path()
        .join("uploads/staging")
        .join(&id)
        .exists());
}
