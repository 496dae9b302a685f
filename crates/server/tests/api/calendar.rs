//! Legal deadlines: `GET /api/v1/calendar/deadline` on the built-in years and on years added with
//! `import holidays` (all-or-nothing, idempotent, seen by every instance) (DESIGN §7.8).

use std::path::PathBuf;

use portal_server::{
    calendar::{self, import::import_bytes},
    notices::import::ImportError,
};

use crate::cli::{server, text};
use crate::helpers::{json_of, TestApp};

/// A 2027 arrangement (invented for the tests: the State Council has not published it): New
/// Year's Day, a spring festival week from Saturday to Saturday, and a Sunday and a Saturday
/// made working days.
const Y2027: &str = "\
kind,date
holiday,2027-01-01
workday,2027-01-31
holiday,2027-02-06
holiday,2027-02-07
holiday,2027-02-08
holiday,2027-02-09
holiday,2027-02-10
holiday,2027-02-11
holiday,2027-02-12
holiday,2027-02-13
workday,2027-02-20
";

impl TestApp {
    /// `GET /api/v1/calendar/deadline?{query}`, in `lang`.
    async fn deadline(&self, query: &str, lang: &str) -> (u16, serde_json::Value) {
        json_of(
            self.client
                .get(self.url(&format!("/api/v1/calendar/deadline?{query}")))
                .header("accept-language", lang)
                .send()
                .await
                .expect("request"),
        )
        .await
    }

    /// The due date, asserting a 200.
    async fn due(&self, query: &str) -> String {
        let (status, v) = self.deadline(query, "zh-CN").await;
        assert_eq!(status, 200, "{query}: {v}");
        v["due"].as_str().expect("due").to_owned()
    }

    /// `portal-server import holidays` on this app's database, as the operator runs it.
    fn import_holidays(&self, name: &str, contents: &str) -> std::process::Output {
        let path = self.holiday_file(name, contents);
        server(
            &self.test_db,
            &["import", "holidays", path.to_str().unwrap()],
            None,
        )
    }

    fn holiday_file(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.test_db.dir.path().join(name);
        std::fs::write(&path, contents).expect("write holidays");
        path
    }

    async fn stored_days(&self) -> Vec<(String, String)> {
        sqlx::query_as("SELECT date, kind FROM holidays ORDER BY date")
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_period_ending_on_a_rest_day_moves_to_the_next_working_day() {
    let app = TestApp::spawn().await;
    // 2025-09-25 + 10 days is Sunday 2025-10-05, inside the National Day holiday (Oct 1–8).
    assert_eq!(app.due("from=2025-09-25&days=10").await, "2025-10-09");
    // An ordinary weekday is the last day itself; an ordinary Saturday moves to Monday.
    assert_eq!(app.due("from=2025-03-03&days=15").await, "2025-03-18");
    assert_eq!(app.due("from=2025-03-07&days=15").await, "2025-03-24");
    // A period ending on a make-up working day (Sunday 2025-09-28) ends on it.
    assert_eq!(app.due("from=2025-09-18&days=10").await, "2025-09-28");
    // Full-width digits, as a Chinese keyboard types them, and a blank other period.
    assert_eq!(
        app.due("from=２０２５-０９-２５&days=１０&working_days=")
            .await,
        "2025-10-09"
    );
}

#[tokio::test]
async fn working_days_skip_holidays_and_count_make_up_weekends() {
    let app = TestApp::spawn().await;
    // Fri 26th, Sun 28th (a make-up working day; Sat 27th is not), Mon 29th.
    assert_eq!(
        app.due("from=2025-09-25&working_days=3").await,
        "2025-09-29"
    );
    // Over the holiday: Tue 30th, then Thu 9 October.
    assert_eq!(
        app.due("from=2025-09-29&working_days=2").await,
        "2025-10-09"
    );
    // Fri 10th, then Saturday 11 October, a make-up working day.
    assert_eq!(
        app.due("from=2025-10-09&working_days=2").await,
        "2025-10-11"
    );
}

#[tokio::test]
async fn bad_input_is_a_422_on_its_parameter_in_the_request_language() {
    let app = TestApp::spawn().await;
    for (query, field, code) in [
        ("days=10", "from", "missing_field"),
        ("from=2025-02-30&days=10", "from", "invalid_date"),
        ("from=25-9-2025&days=10", "from", "invalid_date"),
        ("from=2025-09-25", "days", "missing_field"),
        (
            "from=2025-09-25&days=&working_days=",
            "days",
            "missing_field",
        ),
        ("from=2025-09-25&days=0", "days", "invalid_value"),
        ("from=2025-09-25&days=-3", "days", "invalid_value"),
        ("from=2025-09-25&days=1.5", "days", "invalid_value"),
        ("from=2025-09-25&days=ten", "days", "invalid_value"),
        ("from=2025-09-25&days=3651", "days", "invalid_value"),
        (
            "from=2025-09-25&days=99999999999999999999",
            "days",
            "invalid_value",
        ),
        (
            "from=2025-09-25&working_days=0",
            "working_days",
            "invalid_value",
        ),
        (
            "from=2025-09-25&working_days=1001",
            "working_days",
            "invalid_value",
        ),
        (
            "from=2025-09-25&days=3&working_days=3",
            "working_days",
            "invalid_value",
        ),
    ] {
        let (status, v) = app.deadline(query, "zh-CN").await;
        assert_eq!(status, 422, "{query}: {v}");
        assert_eq!(v["error"]["field"], field, "{query}: {v}");
        assert_eq!(v["error"]["code"], code, "{query}: {v}");
    }
    let (_, zh) = app.deadline("from=2025-09-25&days=0", "zh-CN").await;
    assert!(
        zh["error"]["message"].as_str().unwrap().contains("天数"),
        "{zh}"
    );
    let (_, en) = app.deadline("from=2025-09-25&days=0", "en").await;
    assert!(
        en["error"]["message"]
            .as_str()
            .unwrap()
            .contains("number of days"),
        "{en}"
    );
    // A parameter given twice cannot be read at all.
    let (status, v) = app.deadline("from=2025-09-25&days=1&days=2", "en").await;
    assert_eq!(status, 400, "{v}");
    assert_eq!(v["error"]["code"], "invalid_request");
}

#[tokio::test]
async fn a_year_without_an_arrangement_is_a_422_on_from() {
    let app = TestApp::spawn().await;
    for query in [
        "from=2023-06-01&days=1",
        "from=2030-01-01&working_days=1",
        // Starts in a covered year but ends in one that is not.
        "from=2026-12-20&days=30",
        "from=2026-12-30&working_days=5",
        "from=2100-12-31&days=1",
    ] {
        let (status, v) = app.deadline(query, "en").await;
        assert_eq!(status, 422, "{query}: {v}");
        assert_eq!(v["error"]["field"], "from", "{query}: {v}");
        assert_eq!(v["error"]["code"], "invalid_date", "{query}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("not available yet"),
            "{query}: {v}"
        );
    }
}

#[tokio::test]
async fn an_imported_year_answers_deadlines_and_importing_it_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let out = app.import_holidays("2027.csv", Y2027);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("imported 11 days from")
            && text(&out).contains("11 added, 0 unchanged"),
        "{}",
        text(&out)
    );
    // Wed 3 Feb + 5 days is Monday 8 February, in the festival week; Sunday 14th is a rest day.
    assert_eq!(app.due("from=2027-02-03&days=5").await, "2027-02-15");
    // Fri 19th, then Saturday 20 February, made a working day.
    assert_eq!(
        app.due("from=2027-02-18&working_days=2").await,
        "2027-02-20"
    );
    // Sunday 31 January is a working day: Fri 29th, Sun 31st, Mon 1 February.
    assert_eq!(
        app.due("from=2027-01-28&working_days=3").await,
        "2027-02-01"
    );
    // The built-in years are unchanged, and 2028 is still unknown.
    assert_eq!(app.due("from=2025-09-25&days=10").await, "2025-10-09");
    let (status, v) = app.deadline("from=2027-12-20&days=30", "en").await;
    assert_eq!(status, 422, "{v}");
    assert_eq!(v["error"]["field"], "from", "{v}");

    let before = app.stored_days().await;
    assert_eq!(before.len(), 11);
    let out = app.import_holidays("again.csv", Y2027);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("0 added, 11 unchanged"),
        "{}",
        text(&out)
    );
    assert_eq!(app.stored_days().await, before);

    // Days the portal ships are known already: a file repeating them adds nothing.
    let stored = import_bytes(
        &app.db,
        b"date,kind\n2025-10-01,holiday\n2025-10-11,workday\n2027-01-01,holiday\n",
    )
    .await
    .unwrap();
    assert_eq!((stored.added, stored.unchanged), (0, 3));
    assert_eq!(app.stored_days().await, before);
}

#[tokio::test]
async fn a_malformed_or_contradicting_file_changes_nothing_and_says_where() {
    let app = TestApp::spawn().await;
    let malformed = "date,kind\n2027-01-01,holiday\n2027-02-30,holiday\n2027-02-06,rest\n\
                     2027-03-03,workday\n2027-03-04,holiday,extra\n";
    let out = app.import_holidays("bad.csv", malformed);
    assert!(!out.status.success());
    let t = text(&out);
    for expected in [
        "line 3, column date",
        "line 4, column kind",
        // A Wednesday cannot be a make-up working day.
        "line 5, column date",
        "line 6, column -",
        "has 4 problem(s); nothing was imported",
    ] {
        assert!(t.contains(expected), "{expected} in {t}");
    }
    assert!(app.stored_days().await.is_empty());

    let out = app.import_holidays("header.csv", "day,kind\n2027-01-01,holiday\n");
    assert!(!out.status.success());
    assert!(text(&out).contains("line 1, column date"), "{}", text(&out));

    // Sunday 28 September 2025 is a working day in the built-in data.
    let out = app.import_holidays(
        "builtin.csv",
        "date,kind\n2027-01-01,holiday\n\n2025-09-28,holiday\n",
    );
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("line 4, column date"), "{t}");
    assert!(t.contains("2025-09-28 is already a workday"), "{t}");
    assert!(app.stored_days().await.is_empty());
    assert_eq!(app.due("from=2025-09-18&days=10").await, "2025-09-28");

    // A stored day is contradicted the same way.
    assert!(app.import_holidays("2027.csv", Y2027).status.success());
    let before = app.stored_days().await;
    let out = app.import_holidays(
        "stored.csv",
        "kind,date\nholiday,2027-12-31\nholiday,2027-02-20\n",
    );
    assert!(!out.status.success());
    let t = text(&out);
    assert!(t.contains("line 3, column date"), "{t}");
    assert!(t.contains("2027-02-20 is already a workday"), "{t}");
    assert!(t.contains("已登记为"), "{t}");
    assert_eq!(app.stored_days().await, before);

    // Not UTF-8 (a GBK file): the line is named, nothing stored.
    let err = import_bytes(&app.db, b"date,kind\n2027-12-31,\xbd\xda\xbc\xd9\xc8\xd5\n")
        .await
        .unwrap_err();
    let ImportError::Rejected(errors) = err else {
        panic!("{err}")
    };
    assert_eq!(errors[0].line, 2);
    assert_eq!(app.stored_days().await, before);
}

#[tokio::test]
async fn an_unknown_stored_kind_is_an_error_never_a_default() {
    let app = TestApp::spawn().await;
    sqlx::query("INSERT INTO holidays (date, kind, imported_at) VALUES ('2027-01-01', 'rest', 0)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (status, v) = app.deadline("from=2027-01-04&days=1", "en").await;
    assert_eq!(status, 500, "{v}");
    assert_eq!(v["error"]["code"], "internal");
    assert!(!v.to_string().contains("rest"), "{v}");
}

#[tokio::test]
async fn an_import_reaches_another_instance_once_its_copy_is_stale() {
    let first = TestApp::spawn().await;
    let second = first.another_instance(Default::default()).await;
    // The second instance reads the calendar now, without 2027.
    let (status, _) = second.deadline("from=2027-02-03&days=5", "en").await;
    assert_eq!(status, 422);

    assert!(first.import_holidays("2027.csv", Y2027).status.success());
    // The first instance had no copy yet, so it reads the import at once.
    assert_eq!(first.due("from=2027-02-03&days=5").await, "2027-02-15");
    // The second counts with its copy until it is older than the TTL …
    assert!(calendar::TTL <= std::time::Duration::from_secs(60));
    let (status, _) = second.deadline("from=2027-02-03&days=5", "en").await;
    assert_eq!(status, 422);
    // … and then reads the table again, which `refresh` does without waiting for the clock.
    calendar::refresh(&second.state).await.unwrap();
    assert_eq!(second.due("from=2027-02-03&days=5").await, "2027-02-15");
}
