//! Evidence uploads over tus 1.0, and what becomes of them when a tip claims them. Every test runs
//! on the upload store of the run: a folder, or a bucket on a real S3-compatible server when
//! `PORTAL_TEST_S3` is set (`cargo xtask test s3`).

use std::{collections::HashMap, time::Duration};

use base64::{prelude::BASE64_STANDARD, Engine};
use futures_util::TryStreamExt;
use portal_server::{
    error::AppError,
    staff::Role,
    uploads::{self, UploadConfig},
};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

use crate::helpers::{json_of, TestApp};

const COURT: &str = "宁波市象山县人民法院";
const TUS: &str = "1.0.0";

async fn create(app: &TestApp, length: usize, name: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/uploads"))
        .header("tus-resumable", TUS)
        .header("upload-length", length.to_string())
        .header(
            "upload-metadata",
            format!(
                "filename {},filetype {}",
                BASE64_STANDARD.encode(name),
                BASE64_STANDARD.encode("image/jpeg")
            ),
        )
        .send()
        .await
        .unwrap()
}

async fn patch(app: &TestApp, location: &str, offset: usize, bytes: Vec<u8>) -> reqwest::Response {
    app.client
        .patch(app.url(location))
        .header("tus-resumable", TUS)
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn head(app: &TestApp, location: &str) -> reqwest::Response {
    app.client
        .head(app.url(location))
        .header("tus-resumable", TUS)
        .send()
        .await
        .unwrap()
}

async fn head_offset(app: &TestApp, location: &str) -> Option<usize> {
    let res = head(app, location).await;
    (res.status() == 200).then(|| header(&res, "upload-offset").parse().unwrap())
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), 201);
    header(res, "location").to_owned()
}

fn id_of(location: &str) -> String {
    location.rsplit('/').next().unwrap().to_owned()
}

/// Uploads `bytes` in two PATCHes; returns the upload id.
pub(crate) async fn upload(app: &TestApp, name: &str, bytes: &[u8]) -> String {
    let location = location(&create(app, bytes.len(), name).await);
    let half = bytes.len() / 2;
    assert_eq!(
        patch(app, &location, 0, bytes[..half].to_vec())
            .await
            .status(),
        204
    );
    let res = patch(app, &location, half, bytes[half..].to_vec()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(header(&res, "upload-offset"), bytes.len().to_string());
    id_of(&location)
}

/// The decrypted content of an evidence file.
async fn open(app: &TestApp, key: &str) -> Vec<u8> {
    let chunks: Vec<bytes::Bytes> = uploads::open_file(&app.state, key)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    chunks.concat()
}

/// The raw stored bytes of every object under `prefix` of the app's upload store.
async fn stored(app: &TestApp, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let store = app.state.uploads.store();
    let mut out = Vec::new();
    for key in store.list(prefix).await.unwrap() {
        let chunks: Vec<bytes::Bytes> =
            store.read(&key).await.unwrap().try_collect().await.unwrap();
        out.push((key, chunks.concat()));
    }
    out
}

/// The status, code, field and message of a refusal.
async fn refusal(e: AppError) -> (u16, Value) {
    let res = axum::response::IntoResponse::into_response(e);
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), 1 << 16)
        .await
        .unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

pub(crate) fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj << /Title ({marker}) >> endobj\ntrailer << >>\n%%EOF\n").into_bytes()
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
    let ascii = |tag, text: &[u8]| Field {
        tag,
        ifd_num: In::PRIMARY,
        value: V::Ascii(vec![text.to_vec()]),
    };
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: V::Short(vec![6]),
        },
        ascii(Tag::Make, b"Canon"),
        ascii(Tag::Model, b"EOS R6"),
        ascii(Tag::BodySerialNumber, b"SN-0042-7731"),
        ascii(Tag::DateTimeOriginal, b"2026:11:20 17:42:05"),
        ascii(Tag::GPSLatitudeRef, b"N"),
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
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff.into_inner());
    let mut out = jpeg[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(&app1);
    out.extend(&jpeg[2..]);
    let read = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(&out))
        .expect("the test photo carries EXIF");
    for tag in [
        Tag::GPSLatitude,
        Tag::Make,
        Tag::Model,
        Tag::DateTimeOriginal,
    ] {
        assert!(read.get_field(tag, In::PRIMARY).is_some());
    }
    out
}

#[tokio::test]
async fn the_tus_protocol_creates_reports_appends_and_terminates() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(header(&res, "tus-resumable"), TUS);
    assert_eq!(header(&res, "tus-version"), TUS);
    assert_eq!(header(&res, "tus-extension"), "creation,termination");
    assert_eq!(header(&res, "tus-max-size"), (20 * 1024 * 1024).to_string());

    let res = create(&app, 1000, "a.pdf").await;
    assert_eq!(header(&res, "tus-resumable"), TUS);
    let location = location(&res);
    let id = id_of(&location);
    assert_eq!(location, format!("/api/v1/uploads/{id}"));
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "128 random bits"
    );
    let res = head(&app, &location).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "upload-offset"), "0");
    assert_eq!(header(&res, "upload-length"), "1000");
    assert_eq!(header(&res, "cache-control"), "no-store");
    assert_eq!(header(&res, "tus-resumable"), TUS);

    let content = pdf("protocol");
    let content = [content.as_slice(), &vec![b' '; 1000 - content.len()]].concat();
    let res = patch(&app, &location, 0, content[..400].to_vec()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(header(&res, "upload-offset"), "400");
    assert_eq!(header(&res, "tus-resumable"), TUS);

    // A wrong offset is a conflict that says where the upload stands, in the client's language.
    let res = app
        .client
        .patch(app.url(&location))
        .header("tus-resumable", TUS)
        .header("upload-offset", "0")
        .header("content-type", "application/offset+octet-stream")
        .header("accept-language", "en")
        .body(vec![1; 10])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(header(&res, "upload-offset"), "400");
    assert_eq!(header(&res, "tus-resumable"), TUS);
    let (_, error) = json_of(res).await;
    assert_eq!(error["error"]["code"], "upload_offset_mismatch");
    assert!(error["error"]["message"]
        .as_str()
        .unwrap()
        .contains("offset"));
    // Wrong content type.
    let res = app
        .client
        .patch(app.url(&location))
        .header("tus-resumable", TUS)
        .header("upload-offset", "400")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    assert_eq!(json_of(res).await.1["error"]["code"], "upload_content_type");
    // Missing or unsupported protocol version.
    for version in [None, Some("0.2.2")] {
        let mut req = app.client.patch(app.url(&location));
        if let Some(v) = version {
            req = req.header("tus-resumable", v);
        }
        let res = req
            .header("upload-offset", "400")
            .header("content-type", "application/offset+octet-stream")
            .body(vec![1; 10])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 412);
        assert_eq!(header(&res, "tus-version"), TUS);
        assert_eq!(header(&res, "tus-resumable"), TUS);
        assert_eq!(
            json_of(res).await.1["error"]["code"],
            "tus_version_unsupported"
        );
    }
    // More bytes than the upload lacks, and an upload over the per-file limit.
    let res = patch(&app, &location, 400, vec![b' '; 601]).await;
    assert_eq!(res.status(), 413);
    assert_eq!(header(&res, "upload-offset"), "400");
    let res = create(&app, 20 * 1024 * 1024 + 1, "big.mp4").await;
    assert_eq!(header(&res, "tus-resumable"), TUS);
    let (status, body) = json_of(res).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("upload_too_large"))
    );
    let res = app
        .client
        .post(app.url("/api/v1/uploads"))
        .header("tus-resumable", TUS)
        .header("upload-length", "-5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);

    // The rest of the file, bigger than the API's 1 MB body limit elsewhere is no concern here.
    let res = patch(&app, &location, 400, content[400..].to_vec()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(header(&res, "upload-offset"), "1000");

    // Termination.
    let res = app
        .client
        .delete(app.url(&location))
        .header("tus-resumable", TUS)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(header(&res, "tus-resumable"), TUS);
    assert_eq!(head(&app, &location).await.status(), 404);
    assert!(stored(&app, &format!("staging/{id}")).await.is_empty());
    let res = app
        .client
        .delete(app.url(&location))
        .header("tus-resumable", TUS)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(json_of(res).await.1["error"]["code"], "upload_not_found");
    assert_eq!(head(&app, "/api/v1/uploads/not-an-id").await.status(), 404);
}

/// Drives the `tus_client` crate (a third-party tus 1.0 client) over reqwest.
struct TusHandler {
    client: reqwest::Client,
    base: String,
    runtime: tokio::runtime::Handle,
}

impl tus_client::http::HttpHandler for TusHandler {
    fn handle_request(
        &self,
        req: tus_client::http::HttpRequest,
    ) -> Result<tus_client::http::HttpResponse, tus_client::Error> {
        use tus_client::http::HttpMethod;
        let method = match req.method {
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Delete => reqwest::Method::DELETE,
        };
        let url = match req.url.starts_with('/') {
            true => format!("{}{}", self.base, req.url),
            false => req.url.clone(),
        };
        let mut request = self.client.request(method, url);
        for (k, v) in &req.headers {
            request = request.header(k, v);
        }
        if let Some(body) = req.body {
            request = request.body(body.to_vec());
        }
        self.runtime.block_on(async move {
            let res = request
                .send()
                .await
                .map_err(|e| tus_client::Error::IoError(std::io::Error::other(e)))?;
            let headers: HashMap<String, String> = res
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                .collect();
            Ok(tus_client::http::HttpResponse {
                headers,
                status_code: res.status().as_u16() as usize,
            })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standard_tus_client_uploads_and_resumes() {
    let app = TestApp::spawn().await;
    let bytes: Vec<u8> = [
        pdf("tus client"),
        (0..700_000).map(|i| (i % 241) as u8).collect(),
    ]
    .concat();
    let file = app.test_db.dir.path().join("evidence.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let handler = |app: &TestApp| TusHandler {
        client: reqwest::Client::new(),
        base: app.url(""),
        runtime: tokio::runtime::Handle::current(),
    };
    let (plain, overriding) = (handler(&app), handler(&app));
    let path = file.clone();
    let id = tokio::task::spawn_blocking(move || {
        let client = tus_client::Client::new(plain);
        let info = client.get_server_info("/api/v1/uploads").unwrap();
        assert_eq!(info.supported_versions, vec![TUS]);
        assert_eq!(
            info.extensions,
            vec![
                tus_client::TusExtension::Creation,
                tus_client::TusExtension::Termination
            ]
        );
        assert_eq!(info.max_upload_size, Some(20 * 1024 * 1024));
        let metadata = HashMap::from([("filename".to_owned(), "行驶证.pdf".to_owned())]);
        let location = client
            .create_with_metadata("/api/v1/uploads", &path, metadata)
            .unwrap();
        client
            .upload_with_chunk_size(&location, &path, 256 * 1024)
            .unwrap();
        let info = client.get_info(&location).unwrap();
        assert_eq!(info.bytes_uploaded, 700_000 + pdf("tus client").len());
        id_of(&location)
    })
    .await
    .unwrap();
    let files = uploads::claim(&app.state, "tip-a", &[id]).await.unwrap();
    assert_eq!(files[0].name, "行驶证.pdf");
    assert_eq!(files[0].content_type, "application/pdf");
    assert_eq!(open(&app, &files[0].original_key).await, bytes);

    // The same client through POST + X-HTTP-Method-Override, resuming what another sent half of.
    let location = location(&create(&app, bytes.len(), "b.pdf").await);
    assert_eq!(
        patch(&app, &location, 0, bytes[..300_000].to_vec())
            .await
            .status(),
        204
    );
    let (path, resumed) = (file.clone(), location.clone());
    tokio::task::spawn_blocking(move || {
        let client = tus_client::Client::with_method_override(overriding);
        assert_eq!(client.get_info(&resumed).unwrap().bytes_uploaded, 300_000);
        client
            .upload_with_chunk_size(&resumed, &path, 100_000)
            .unwrap();
        client.delete(&resumed).unwrap();
    })
    .await
    .unwrap();
    assert_eq!(head(&app, &location).await.status(), 404, "terminated");
}

/// The network drops in the middle of a PATCH: the bytes that arrived are kept, the server says
/// where it stands, and the upload finishes from there. (At 5.5 MiB the encrypted original is
/// also a multipart upload on S3.)
#[tokio::test]
async fn an_upload_interrupted_mid_patch_resumes_where_it_broke() {
    let app = TestApp::spawn().await;
    let bytes: Vec<u8> = [
        pdf("resumed"),
        (0..11 * 512 * 1024).map(|i| (i % 253) as u8).collect(),
    ]
    .concat();
    let location = location(&create(&app, bytes.len(), "video.pdf").await);
    let sent = 2 * 1024 * 1024 + 12_345;
    // A raw connection: headers promising the whole file, part of it, then the line goes dead.
    let mut socket = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "PATCH {location} HTTP/1.1\r\nHost: {}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
        app.addr,
        bytes.len()
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    socket.write_all(&bytes[..sent]).await.unwrap();
    socket.flush().await.unwrap();
    // The bytes written go before the close: the server reads them all, then the end.
    drop(socket);

    let mut offset = None;
    for _ in 0..100 {
        offset = head_offset(&app, &location).await;
        if offset == Some(sent) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(offset, Some(sent), "everything that arrived was kept");
    let res = patch(&app, &location, sent, bytes[sent..].to_vec()).await;
    assert_eq!(res.status(), 204);
    assert_eq!(header(&res, "upload-offset"), bytes.len().to_string());
    let files = uploads::claim(&app.state, "tip-a", &[id_of(&location)])
        .await
        .unwrap();
    assert_eq!(
        open(&app, &files[0].original_key).await,
        bytes,
        "the resumed file is the original"
    );
}

#[tokio::test]
async fn photos_lose_their_metadata_but_not_their_orientation() {
    let app = TestApp::spawn().await;
    let photo = phone_photo();
    let id = upload(&app, "车库.jpg", &photo).await;
    let files = uploads::claim(&app.state, "tip-a", std::slice::from_ref(&id))
        .await
        .unwrap();
    let file = &files[0];
    use sha2::Digest;
    assert_eq!(
        (
            file.upload_id.as_str(),
            file.name.as_str(),
            file.content_type.as_str(),
            file.bytes
        ),
        (id.as_str(), "车库.jpg", "image/jpeg", photo.len() as u64)
    );
    assert_eq!(file.sha256, hex::encode(sha2::Sha256::digest(&photo)));
    assert_eq!(
        open(&app, &file.original_key).await,
        photo,
        "the original is kept as evidence"
    );

    let display = open(&app, file.display_key.as_deref().expect("a display copy")).await;
    assert!(
        exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&display))
            .is_err(),
        "the display copy carries no EXIF at all"
    );
    for trace in [&b"Exif"[..], b"Canon", b"EOS R6", b"SN-0042", b"2026:11:20"] {
        assert!(!display.windows(trace.len()).any(|w| w == trace));
    }
    let shown = image::load_from_memory(&display).unwrap();
    assert_eq!(
        (shown.width(), shown.height()),
        (20, 40),
        "turned upright as the phone meant"
    );
}

#[tokio::test]
async fn stored_evidence_is_not_readable_at_rest() {
    let app = TestApp::spawn().await;
    let secret = "粤B12345 停在B2层";
    let files = uploads::claim(
        &app.state,
        "tip-a",
        &[
            upload(&app, "车库.jpg", &phone_photo()).await,
            upload(&app, "a.pdf", &pdf(secret)).await,
        ],
    )
    .await
    .unwrap();
    let objects = stored(&app, "evidence").await;
    let mut keys: Vec<&str> = objects.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort();
    let mut expected = vec![
        files[0].original_key.as_str(),
        files[0].display_key.as_deref().unwrap(),
        files[1].original_key.as_str(),
    ];
    expected.sort();
    assert_eq!(keys, expected);
    assert_eq!(files[1].display_key, None, "no display copy of a PDF");
    for (key, bytes) in &objects {
        for plain in [
            secret.as_bytes(),
            b"%PDF",
            b"Canon",
            b"JFIF",
            &[0xFF, 0xD8, 0xFF],
        ] {
            assert!(!bytes.windows(plain.len()).any(|w| w == plain), "{key}");
        }
    }
    if let portal_server::uploads::Store::Local(folder) = app.state.uploads.store() {
        let on_disk = std::fs::read(folder.root().join(&files[1].original_key)).unwrap();
        assert!(!on_disk.windows(4).any(|w| w == b"%PDF"));
    }
    assert!(
        stored(&app, "staging").await.is_empty(),
        "nothing staged is left"
    );
}

#[tokio::test]
async fn a_web_page_named_like_a_photo_is_refused_by_name() {
    let app = TestApp::spawn().await;
    let html = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>".to_vec();
    let page = upload(&app, "photo.jpg", &html).await;
    let zip = upload(&app, "scan.pdf", b"PK\x03\x04\x14\0\0\0\x08\0").await;
    let good = upload(&app, "a.pdf", &pdf("fine")).await;
    for (ids, name) in [
        (vec![good.clone(), page.clone()], "photo.jpg"),
        (vec![zip.clone()], "scan.pdf"),
    ] {
        let (status, body) =
            refusal(uploads::claim(&app.state, "tip-a", &ids).await.unwrap_err()).await;
        assert_eq!(status, 415);
        assert_eq!(body["error"]["code"], "unsupported_file_type");
        assert_eq!(body["error"]["field"], "uploads");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(name),
            "{body}"
        );
    }
    assert!(
        stored(&app, "evidence").await.is_empty(),
        "a refused claim stores nothing, not even the good file"
    );
    let files = uploads::claim(&app.state, "tip-b", &[good]).await.unwrap();
    assert_eq!(files[0].content_type, "application/pdf");
}

#[tokio::test]
async fn claims_are_idempotent_per_submission_and_exclusive() {
    let app = TestApp::spawn().await;
    let ids = vec![
        upload(&app, "车库.jpg", &phone_photo()).await,
        upload(&app, "a.pdf", &pdf("one")).await,
    ];
    // A submission and its retry at once, then the retry of a retry.
    let (first, racing) = tokio::join!(
        uploads::claim(&app.state, "tip-a", &ids),
        uploads::claim(&app.state, "tip-a", &ids)
    );
    let first = first.unwrap();
    assert_eq!(racing.unwrap(), first);
    assert_eq!(
        uploads::claim(&app.state, "tip-a", &ids).await.unwrap(),
        first
    );
    assert_eq!(open(&app, &first[1].original_key).await, pdf("one"));
    assert!(!open(&app, first[0].display_key.as_deref().unwrap())
        .await
        .is_empty());

    let (status, body) = refusal(
        uploads::claim(&app.state, "tip-b", &ids[1..])
            .await
            .unwrap_err(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("upload_claimed"))
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("a.pdf"));
    let res = app
        .client
        .delete(app.url(&format!("/api/v1/uploads/{}", ids[1])))
        .header("tus-resumable", TUS)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        409,
        "evidence cannot be deleted by its uploader"
    );

    let unknown = "0123456789abcdef0123456789abcdef".to_owned();
    let half = id_of(&location(&create(&app, 100, "half.jpg").await));
    for (ids, code) in [
        (vec![unknown], "upload_not_found"),
        (vec!["../../keys.json".to_owned()], "upload_not_found"),
        (vec![half], "upload_unfinished"),
    ] {
        let (status, body) =
            refusal(uploads::claim(&app.state, "tip-c", &ids).await.unwrap_err()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some(code)));
        assert_eq!(body["error"]["field"], "uploads");
    }
}

#[tokio::test]
async fn the_limits_of_files_and_tips_are_configurable() {
    let app = TestApp::spawn_with_uploads(UploadConfig {
        max_files: 2,
        max_file_bytes: 1000,
        max_tip_bytes: 1500,
        ..Default::default()
    })
    .await;
    let res = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/uploads"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "tus-max-size"), "1000");
    assert_eq!(create(&app, 1001, "big.pdf").await.status(), 413);
    let file = |n: usize| [pdf("x"), vec![b' '; n - pdf("x").len()]].concat();
    let ids = vec![
        upload(&app, "1.pdf", &file(1000)).await,
        upload(&app, "2.pdf", &file(600)).await,
        upload(&app, "3.pdf", &file(100)).await,
    ];
    let (status, body) =
        refusal(uploads::claim(&app.state, "tip-a", &ids).await.unwrap_err()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("too_many_files"))
    );
    let (status, body) = refusal(
        uploads::claim(&app.state, "tip-a", &ids[..2])
            .await
            .unwrap_err(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("upload_too_large"))
    );
    assert_eq!(
        uploads::claim(&app.state, "tip-a", &ids[1..])
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn unfinished_uploads_expire_and_are_swept() {
    let app = TestApp::spawn().await;
    let location = location(&create(&app, 100, "old.jpg").await);
    let id = id_of(&location);
    assert_eq!(
        patch(&app, &location, 0, vec![0xFF; 40]).await.status(),
        204
    );
    assert_eq!(uploads::sweep(&app.state).await.unwrap(), 0, "not yet");
    assert_eq!(stored(&app, &format!("staging/{id}")).await.len(), 1);
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
    assert_eq!(
        patch(&app, &location, 40, vec![0xFF; 60]).await.status(),
        404
    );
    // Bytes no upload owns (a crash between storing and recording) go too.
    let stray = "staging/fedcba9876543210fedcba9876543210/000000000000-00000000";
    app.state
        .uploads
        .store()
        .put(stray, bytes::Bytes::from_static(b"left behind"))
        .await
        .unwrap();
    assert_eq!(uploads::sweep(&app.state).await.unwrap(), 1);
    assert!(stored(&app, "staging").await.is_empty());
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM upload_parts")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

/// The whole path a tipster and a reviewer take: upload, submit the tip, open the files.
#[tokio::test]
async fn a_tip_takes_its_files_and_staff_download_them_safely() {
    let (app, reward) = TestApp::with_open_reward(COURT).await;
    let tip = |uploads: &[String]| {
        json!({
            "reward_id": reward,
            "kind": "vehicle",
            "description": "被执行人的白色轿车常停在小区地下车库B2层，车牌见照片",
            "uploads": uploads,
            "declaration": true,
        })
    };
    let page = upload(&app, "photo.jpg", b"<html><script>alert(1)</script></html>").await;
    let (status, answer) = app.submit_tip("html", &tip(&[page])).await;
    assert_eq!(status, 415, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("photo.jpg"));

    let photo = phone_photo();
    let ids = vec![upload(&app, "车库.jpg", &photo).await];
    let (status, answer) = app.submit_tip("with-files", &tip(&ids)).await;
    assert_eq!(status, 201, "{answer}");
    let (status, again) = app.submit_tip("with-files", &tip(&ids)).await;
    assert_eq!(
        (status, &again),
        (201, &answer),
        "a retry claims nothing twice"
    );
    let (status, other) = app.submit_tip("another", &tip(&ids)).await;
    assert_eq!(
        (status, other["error"]["code"].as_str()),
        (409, Some("upload_claimed"))
    );

    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(app.get("/api/v1/staff/tips").await).await;
    let id = queue["tips"][0]["id"].as_i64().unwrap();
    let res = app.get(&format!("/api/v1/staff/tips/{id}/files/1")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "content-disposition"),
        "attachment; filename=\"__.jpg\"; filename*=UTF-8''%E8%BD%A6%E5%BA%93.jpg"
    );
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&res, "content-security-policy"),
        "sandbox; default-src 'none'"
    );
    assert_eq!(header(&res, "cache-control"), "no-store");
    assert_eq!(header(&res, "content-type"), "image/jpeg");
    let display = res.bytes().await.unwrap();
    assert!(!display.windows(5).any(|w| w == b"Canon"));
    let original = app
        .get(&format!("/api/v1/staff/tips/{id}/files/1?variant=original"))
        .await;
    assert_eq!(original.bytes().await.unwrap().to_vec(), photo);
}

#[tokio::test]
async fn a_rotated_data_key_reseals_tips_and_files_and_the_old_key_can_go() {
    let (app, reward) = TestApp::with_open_reward(COURT).await;
    let photo = phone_photo();
    let ids = vec![
        upload(&app, "车库.jpg", &photo).await,
        upload(&app, "a.pdf", &pdf("房产证复印件")).await,
    ];
    let body = json!({
        "reward_id": reward,
        "kind": "real_estate",
        "description": "被执行人在石浦镇有一套房产，房产证复印件见附件",
        "uploads": ids,
        "contact": {"name": "李先生", "phone": "13900139000"},
        "declaration": true,
    });
    let (status, receipt) = app.submit_tip("rotate", &body).await;
    assert_eq!(status, 201, "{receipt}");

    // An operator rotates the data key (as `portal-server keys rotate data` does) and re-seals.
    let key_file = app.test_db.dir.path().join("keys.json");
    let mut keys = portal_server::keys::Keys::load_or_create(&key_file).unwrap();
    keys.rotate_data().unwrap();
    let store = app.state.uploads.store();
    assert_eq!(
        portal_server::tips::reseal(&app.db, &keys).await.unwrap(),
        2
    );
    assert_eq!(uploads::reseal(&keys, store).await.unwrap(), 3);
    assert_eq!(
        portal_server::tips::reseal(&app.db, &keys).await.unwrap(),
        0
    );
    assert_eq!(uploads::reseal(&keys, store).await.unwrap(), 0);
    assert_eq!(keys.drop_old_data_keys().unwrap(), 1);

    // With only the new key, the tip and its files still open, byte for byte.
    let keys = portal_server::keys::Keys::load_or_create(&key_file).unwrap();
    assert_eq!(keys.ids().iter().filter(|(k, _)| *k == "data").count(), 1);
    for v in portal_server::tips::store::sealed_values(&app.db)
        .await
        .unwrap()
    {
        assert!(!keys.is_stale(&v.sealed));
        let plain = String::from_utf8(keys.open(&v.context, &v.sealed).unwrap()).unwrap();
        assert!(
            plain.contains("石浦镇") || plain.contains("tracking_code"),
            "{plain}"
        );
    }
    // The running server re-reads the key file: it too has only the new key now, and opens the
    // files with it.
    let state = app.state.clone();
    assert_eq!(
        state
            .keys
            .get()
            .ids()
            .iter()
            .filter(|(k, _)| *k == "data")
            .count(),
        1
    );
    let key: String =
        sqlx::query_scalar("SELECT original_key FROM tip_files WHERE content_type = 'image/jpeg'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let chunks: Vec<bytes::Bytes> = uploads::open_file(&state, &key)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(chunks.concat(), photo);
}

#[tokio::test]
async fn the_tipster_adds_text_and_files_later_with_a_receipt_of_its_own() {
    let (app, reward) = TestApp::with_open_reward(COURT).await;
    let (status, receipt) = app
        .submit_tip(
            "first",
            &json!({
                "reward_id": reward,
                "kind": "vessel",
                "description": "被执行人的渔船停在石浦港三号码头，每天傍晚出海",
                "declaration": true,
            }),
        )
        .await;
    assert_eq!(status, 201, "{receipt}");
    let (code, pin) = (
        receipt["tracking_code"].as_str().unwrap().to_owned(),
        receipt["pin"].as_str().unwrap().to_owned(),
    );
    let add = |key: &'static str, body: Value| {
        let app = &app;
        async move {
            json_of(
                app.client
                    .post(app.url("/api/v1/tips/additions"))
                    .header("idempotency-key", key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM tip_additions")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };

    // Nothing to add, or a wrong PIN: clear answers, nothing stored.
    let (status, body) = add(
        "empty",
        json!({"tracking_code": code, "pin": pin, "description": "  "}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("description"))
    );
    let wrong = if pin == "000000" { "111111" } else { "000000" };
    let (status, _) = add(
        "wrong",
        json!({"tracking_code": code, "pin": wrong, "description": "船今天开走了"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(count().await, 0);

    let document = pdf("渔船登记证书");
    let ids = vec![upload(&app, "登记证书.pdf", &document).await];
    let body = json!({
        "tracking_code": code,
        "pin": pin,
        "description": "船今天开到了四号码头，附上渔船登记证书",
        "uploads": ids,
    });
    let (status, added) = add("second", body.clone()).await;
    assert_eq!(status, 201, "{added}");
    let payload: Value = serde_json::from_slice(
        &base64::prelude::BASE64_URL_SAFE_NO_PAD
            .decode(added["receipt"]["payload"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(payload["type"], "tip-addition");
    assert_eq!(
        payload["tip_ref"],
        app.state
            .keys
            .get()
            .tip_ref(&portal_core::tip::parse_tracking_code(&code).unwrap())
    );
    assert_eq!(
        payload["files_sha256"][0],
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&document)).as_str()
    );
    let (status, again) = add("second", body).await;
    assert_eq!(
        (status, &again),
        (201, &added),
        "a retry stores nothing new"
    );
    assert_eq!(count().await, 1);

    let (_, page) = app.tip_status(&code, &pin).await;
    assert_eq!(page["additions"][0]["files"], 1);
    assert_eq!(page["additions"][0]["at"], added["received_at"]);

    app.sign_in_staff("reviewer1", COURT, Role::Reviewer).await;
    let (_, queue) = json_of(app.get("/api/v1/staff/tips").await).await;
    let id = queue["tips"][0]["id"].as_i64().unwrap();
    let (_, detail) = json_of(app.get(&format!("/api/v1/staff/tips/{id}")).await).await;
    assert_eq!(
        detail["additions"][0]["description"],
        "船今天开到了四号码头，附上渔船登记证书"
    );
    assert_eq!(detail["additions"][0]["files"], json!([1]));
    let res = app
        .get(&format!("/api/v1/staff/tips/{id}/files/1?variant=original"))
        .await;
    assert_eq!(res.bytes().await.unwrap().to_vec(), document);
}

/// Unclaimed uploads may not fill the store: past the configured total, a new upload is
/// refused with 507 and a time to come back, and one claimed by a submission that never stored
/// its tip is deleted a day later with its evidence.
#[tokio::test]
async fn staged_uploads_have_a_total_quota_and_unused_claims_expire() {
    let app = TestApp::spawn_with_uploads(UploadConfig {
        max_staged_bytes: 1000,
        ..Default::default()
    })
    .await;
    let first = upload(&app, "1.pdf", &[pdf("x"), vec![b' '; 600]].concat()).await;
    let res = create(&app, 600, "2.pdf").await;
    assert_eq!(res.status(), 507);
    let wait: u64 = header(&res, "retry-after").parse().unwrap();
    assert!((60..=3600).contains(&wait), "{wait}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "insufficient_storage");
    assert_eq!(create(&app, 300, "3.pdf").await.status(), 201);

    // Claimed (the quota is free again) by a submission that never committed its tip.
    let claimed = uploads::claim(&app.state, "lost-submission", std::slice::from_ref(&first))
        .await
        .unwrap();
    assert_eq!(create(&app, 600, "2.pdf").await.status(), 201);
    let evidence = stored(&app, "evidence").await;
    assert!(!evidence.is_empty());
    assert_eq!(uploads::sweep(&app.state).await.unwrap(), 0, "not yet");
    sqlx::query("UPDATE uploads SET claimed_at = 1 WHERE id = $1")
        .bind(&claimed[0].upload_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(uploads::sweep(&app.state).await.unwrap(), 1);
    assert!(stored(&app, "evidence").await.is_empty());
}
