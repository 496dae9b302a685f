use portal_server::notices::import::{import_file, ImportError};

use crate::helpers::{person_row, tomorrow, write_csv, TestApp};

async fn count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM notices")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_valid_csv_imports_and_reimporting_updates_instead_of_duplicating() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let rows: Vec<_> = (0..3).map(person_row).collect();
    let file = write_csv(dir, "a.csv", &rows);
    let report = import_file(&app.db, &file).await.unwrap();
    assert_eq!(
        (report.rows, report.inserted, report.updated, report.deleted),
        (3, 3, 0, 0)
    );
    assert_eq!(app.public_notices().await, 3);

    let mut changed = rows.clone();
    changed[0].obligation = "支付货款人民币1元".into();
    let report = import_file(&app.db, &write_csv(dir, "b.csv", &changed))
        .await
        .unwrap();
    assert_eq!((report.inserted, report.updated), (0, 3));
    assert_eq!(count(&app).await, 3);
    let obligation: String =
        sqlx::query_scalar("SELECT obligation FROM notices WHERE case_number = $1")
            .bind(&rows[0].case_number)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(obligation, "支付货款人民币1元");
}

#[tokio::test]
async fn a_deleted_row_leaves_the_public_at_once_but_stays_in_history() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let rows: Vec<_> = (0..2).map(person_row).collect();
    import_file(&app.db, &write_csv(dir, "a.csv", &rows))
        .await
        .unwrap();
    assert_eq!(app.public_notices().await, 2);
    let mut deleted = rows[1].clone();
    deleted.status = "deleted".into();
    let report = import_file(&app.db, &write_csv(dir, "b.csv", &[deleted]))
        .await
        .unwrap();
    assert_eq!(report.deleted, 1);
    assert_eq!(app.public_notices().await, 1);
    assert_eq!(count(&app).await, 2);
}

#[tokio::test]
async fn a_row_in_its_grace_period_is_stored_but_not_public() {
    let app = TestApp::spawn().await;
    let mut row = person_row(7);
    row.published_on = tomorrow();
    import_file(&app.db, &write_csv(app.test_db.dir.path(), "a.csv", &[row]))
        .await
        .unwrap();
    assert_eq!(count(&app).await, 1);
    assert_eq!(app.public_notices().await, 0);
}

#[tokio::test]
async fn a_file_with_any_bad_row_imports_nothing_and_reports_every_problem() {
    let app = TestApp::spawn().await;
    let mut rows: Vec<_> = (0..4).map(person_row).collect();
    let wrong_check = if rows[1].id_number.ends_with('1') {
        "2"
    } else {
        "1"
    };
    rows[1].id_number.replace_range(17..18, wrong_check);
    rows[2].case_number = "2024浙0225执1号".into();
    rows[2].filed_on = "2024-02-30".into();
    rows[3].behaviour = String::new();
    let file = write_csv(app.test_db.dir.path(), "bad.csv", &rows);
    let Err(ImportError::Rejected(errors)) = import_file(&app.db, &file).await else {
        panic!("the file must be rejected");
    };
    let found: Vec<(u64, &str, &str)> = errors
        .iter()
        .map(|e| (e.line, e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, "id_number", "invalid_id_number"),
            (4, "case_number", "invalid_case_number"),
            (4, "filed_on", "invalid_date"),
            (5, "behaviour", "missing_field"),
        ]
    );
    assert!(errors.iter().all(|e| !e.zh.is_empty() && !e.en.is_empty()));
    assert_eq!(count(&app).await, 0, "nothing was imported");
}

#[tokio::test]
async fn broken_files_are_rejected_with_clear_reasons() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let reject = |bytes: &[u8], name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    // Missing and unknown columns.
    let file = reject(b"case_number,court,colour\n", "header.csv");
    let Err(ImportError::Rejected(errors)) = import_file(&app.db, &file).await else {
        panic!()
    };
    assert!(errors
        .iter()
        .any(|e| e.en.contains("unknown column \"colour\"")));
    assert!(errors
        .iter()
        .any(|e| e.column == "id_number" && e.code.as_str() == "missing_field"));
    // Not UTF-8 (an Excel export in GBK).
    let file = reject(b"case_number\n\xb3\xc2\xd0\xa1\xc3\xf7\n", "gbk.csv");
    let Err(ImportError::Rejected(errors)) = import_file(&app.db, &file).await else {
        panic!()
    };
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].en.contains("UTF-8"));
    // The same key twice in one file.
    let row = person_row(1);
    let file = write_csv(dir, "dup.csv", &[row.clone(), row]);
    let Err(ImportError::Rejected(errors)) = import_file(&app.db, &file).await else {
        panic!()
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(errors[0].en.contains("line 2"));
    // Empty file.
    let file = reject(b"", "empty.csv");
    assert!(matches!(
        import_file(&app.db, &file).await,
        Err(ImportError::Rejected(_))
    ));
    // Missing file.
    assert!(matches!(
        import_file(&app.db, &dir.join("absent.csv")).await,
        Err(ImportError::Unreadable { .. })
    ));
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn json_lines_import_with_line_numbers_and_strict_keys() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let line = |n: u32| serde_json::to_string(&person_row(n)).unwrap();
    let good = format!("{}\n\n{}\n", line(1), line(2));
    std::fs::write(dir.join("ok.jsonl"), good).unwrap();
    let report = import_file(&app.db, &dir.join("ok.jsonl")).await.unwrap();
    assert_eq!(report.inserted, 2);

    let bad = format!(
        "{}\n[1,2]\n{{\"colour\":\"red\"}}\n{{\"name\": 5}}\n",
        line(3)
    );
    std::fs::write(dir.join("bad.jsonl"), bad).unwrap();
    let Err(ImportError::Rejected(errors)) = import_file(&app.db, &dir.join("bad.jsonl")).await
    else {
        panic!()
    };
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4]);
    assert_eq!(count(&app).await, 2, "the bad file changed nothing");
}

#[tokio::test]
async fn organisations_need_a_credit_code_and_a_legal_representative() {
    let app = TestApp::spawn().await;
    let mut row = person_row(1);
    row.subject_type = "organization".into();
    row.name = "宁波海丰贸易有限公司".into();
    let file = write_csv(app.test_db.dir.path(), "org.csv", &[row.clone()]);
    let Err(ImportError::Rejected(errors)) = import_file(&app.db, &file).await else {
        panic!()
    };
    let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, vec!["id_number", "legal_representative"]);

    row.id_number = "91350100M000100Y43".into();
    row.legal_representative = "王海丰".into();
    let file = write_csv(app.test_db.dir.path(), "org2.csv", &[row]);
    import_file(&app.db, &file).await.unwrap();
    assert_eq!(app.public_notices().await, 1);
}

/// Clerks fix files by the line numbers we report, so they must be the file's own lines: the
/// header is line 1, whatever the line ends (Excel writes CRLF) and even after a quoted field that
/// spans two lines.
#[tokio::test]
async fn reported_lines_are_the_files_own_lines() {
    let app = TestApp::spawn().await;
    let dir = app.test_db.dir.path();
    let mut rows: Vec<_> = (0..3).map(person_row).collect();
    let wrong = if rows[1].id_number.ends_with('1') {
        "2"
    } else {
        "1"
    };
    rows[1].id_number.replace_range(17..18, wrong);
    let lf = std::fs::read_to_string(write_csv(dir, "lf.csv", &rows)).unwrap();
    let crlf = lf.replace('\n', "\r\n");
    let reject = |name: &'static str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let app = &app;
        async move {
            let Err(ImportError::Rejected(errors)) = import_file(&app.db, &path).await else {
                panic!("{name} must be rejected");
            };
            errors
                .iter()
                .map(|e| (e.line, e.column.clone()))
                .collect::<Vec<_>>()
        }
    };
    let at_line_3 = vec![(3, "id_number".to_owned())];
    assert_eq!(reject("lf.csv", lf.clone()).await, at_line_3);
    assert_eq!(reject("crlf.csv", crlf).await, at_line_3);

    // A one-row file: the row is on line 2.
    let one = write_csv(dir, "one.csv", &rows[1..2]);
    let one = std::fs::read_to_string(one).unwrap().replace('\n', "\r\n");
    assert_eq!(
        reject("one.csv", one).await,
        vec![(2, "id_number".to_owned())]
    );

    // A quoted obligation with a line break pushes the bad row down to line 4.
    let mut spanning = rows.clone();
    spanning[0].obligation = "支付货款\n及利息".into();
    let text = std::fs::read_to_string(write_csv(dir, "span.csv", &spanning)).unwrap();
    assert_eq!(
        reject("span-crlf.csv", text.replace('\n', "\r\n")).await,
        vec![(4, "id_number".to_owned())]
    );

    // JSON lines: the line of the object, blank lines counted.
    let json = |r: &portal_core::NoticeRow| serde_json::to_string(r).unwrap();
    let jsonl = format!(
        "{}\r\n\r\n{}\r\n{}\r\n",
        json(&rows[0]),
        json(&rows[2]),
        json(&rows[1])
    );
    assert_eq!(
        reject("rows.jsonl", jsonl).await,
        vec![(4, "id_number".to_owned())]
    );
    assert_eq!(count(&app).await, 0, "nothing was imported");
}
