//! The exposure board (DESIGN §7.7): a court's editors put their public notices on it; the board
//! shows them masked as in lookup, and a notice deleted or no longer public leaves it at once.

use portal_server::{notices::import::import_file, staff::Role};
use serde_json::json;

use crate::helpers::{json_of, person_row, write_csv, TestApp};

const COURT: &str = "宁波市象山县人民法院";

async fn notice_id(app: &TestApp, case: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM notices WHERE case_number = $1")
        .bind(case)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_board_shows_a_courts_chosen_notices_masked_and_drops_a_deleted_one_at_once() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let rows = vec![person_row(1), person_row(2)];
    import_file(&app.db, &write_csv(dir, "a.csv", &rows))
        .await
        .unwrap();
    let (first, second) = (
        notice_id(&app, &rows[0].case_number).await,
        notice_id(&app, &rows[1].case_number).await,
    );
    let editor = app.staff_client("editor", COURT, Role::Editor).await;

    // By number, or by pasting the notice's page address; with a note.
    for (notice, note) in [
        (first.to_string(), "有能力履行而拒不履行"),
        (format!("https://zxgk.example/notices/{second}"), ""),
    ] {
        let res = editor
            .post(app.url("/api/v1/staff/exposure"))
            .json(&json!({"notice": notice, "note": note}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
    }
    let (status, board) = json_of(app.get("/api/v1/exposure?province=33").await).await;
    assert_eq!(status, 200, "{board}");
    assert_eq!(board["total"], 2);
    let entry = board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["notice_id"] == first)
        .unwrap()
        .clone();
    assert_eq!(entry["note"], "有能力履行而拒不履行");
    assert_eq!(entry["name"], "陈小明");
    let masked = entry["masked_id"].as_str().unwrap();
    assert!(
        masked.contains("****")
            && masked.len() == 18
            && !masked.contains(&rows[0].id_number[10..14]),
        "{masked}"
    );
    assert!(
        !board.to_string().contains(&rows[0].id_number),
        "no full ID anywhere"
    );
    let (_, elsewhere) = json_of(app.get("/api/v1/exposure?province=11").await).await;
    assert_eq!(elsewhere["total"], 0);

    // The court deletes the listing: off the board with the same import, nothing else to do.
    let mut deleted = rows[0].clone();
    deleted.status = "deleted".into();
    import_file(&app.db, &write_csv(dir, "b.csv", &[deleted]))
        .await
        .unwrap();
    let (_, board) = json_of(app.get("/api/v1/exposure").await).await;
    assert_eq!(board["total"], 1);
    assert_eq!(board["entries"][0]["notice_id"], second);

    // Taken off by the court; audited.
    let res = editor
        .delete(app.url(&format!("/api/v1/staff/exposure/{second}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let (_, board) = json_of(app.get("/api/v1/exposure").await).await;
    assert_eq!(board["total"], 0);
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM staff_audit WHERE action LIKE 'exposure.%' ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(actions, ["exposure.add", "exposure.add", "exposure.remove"]);
}

#[tokio::test]
async fn only_a_courts_own_public_notices_can_go_on_its_board() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let row = person_row(3);
    import_file(
        &app.db,
        &write_csv(dir, "a.csv", std::slice::from_ref(&row)),
    )
    .await
    .unwrap();
    let id = notice_id(&app, &row.case_number).await;
    let other = app
        .staff_client("other", "杭州市西湖区人民法院", Role::Editor)
        .await;
    let (status, body) = json_of(
        other
            .post(app.url("/api/v1/staff/exposure"))
            .json(&json!({"notice": id.to_string()}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("notice"))
    );
    let editor = app.staff_client("editor", COURT, Role::Editor).await;
    for bad in ["", "abc", "999999"] {
        let (status, body) = json_of(
            editor
                .post(app.url("/api/v1/staff/exposure"))
                .json(&json!({"notice": bad}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (422, Some("notice")),
            "{bad}"
        );
    }
    let reviewer = app.staff_client("reviewer", COURT, Role::Reviewer).await;
    let res = reviewer
        .post(app.url("/api/v1/staff/exposure"))
        .json(&json!({"notice": id.to_string()}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let (_, board) = json_of(app.get("/api/v1/exposure").await).await;
    assert_eq!(board["total"], 0);
    assert_eq!(app.get("/api/v1/exposure?page=0").await.status(), 422);
}
