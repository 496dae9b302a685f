use portal_core::time::court_today;
use portal_server::seed;
use serde_json::{json, Value};

use crate::helpers::{json_of, TestApp};

const COURT: &str = "宁波市象山县人民法院";

/// A reward notice for the showcase's listed subject (陈小明, listed by the 象山 court): a
/// notice names a publicly listed debtor of the editor's own court.
fn new_reward() -> Value {
    json!({
        "case_number": seed::showcase_json(court_today())["listed"]["case"],
        "court": COURT,
        "subject_type": "person",
        "subject_name": "陈小明",
        "subject_id": "330225198506121231",
        "amount": 50000,
        "conditions": "提供船舶停泊位置，经法院查控并执行到位的",
        "asset_kinds": ["vessel"],
        "deadline": (court_today() + chrono::Days::new(90)).to_string(),
        "insurer": "中国人民财产保险股份有限公司",
        "contact": "象山法院执行局 0574-65000000",
        "published_on": court_today().to_string(),
    })
}

#[tokio::test]
async fn the_demo_has_forty_rewards_and_the_list_filters_sorts_and_masks() {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 400, court_today()).await.unwrap();
    let (status, all) = app.rewards("").await;
    assert_eq!(status, 200);
    // 40 made, one withdrawn: 39 public.
    assert_eq!(all["total"], 39);
    let rewards = all["rewards"].as_array().unwrap();
    assert_eq!(rewards.len(), 20, "one page");
    for r in rewards {
        let masked = r["masked_id"].as_str().unwrap();
        if r["subject_type"] == "person" {
            assert_eq!(&masked[10..14], "****", "{masked}");
        }
        assert!(r["amount"].is_number() != r["formula"].is_object(), "{r}");
    }
    // Open notices come first, soonest deadline first.
    let open: Vec<&str> = rewards
        .iter()
        .take_while(|r| r["status"] == "active")
        .map(|r| r["deadline"].as_str().unwrap())
        .collect();
    assert!(!open.is_empty());
    assert!(open.windows(2).all(|w| w[0] <= w[1]));
    assert!(rewards.iter().all(|r| r["status"] != "withdrawn"));

    let (_, zj) = app.rewards("province=33&sort=amount").await;
    let zj_rewards = zj["rewards"].as_array().unwrap();
    assert!(zj_rewards.iter().all(|r| r["province"] == "33"));
    let (_, vessels) = app.rewards("kind=vessel").await;
    assert!(vessels["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["asset_kinds"]
            .as_array()
            .unwrap()
            .contains(&json!("vessel"))));
    let (_, big) = app.rewards("min_amount=200000").await;
    assert!(big["rewards"].as_array().unwrap().iter().all(|r| {
        r["amount"]
            .as_i64()
            .or(r["formula"]["cap"].as_i64())
            .unwrap()
            >= 200_000
    }));
    let expired = all["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .chain(app.rewards("page=2").await.1["rewards"].as_array().unwrap())
        .filter(|r| r["status"] == "expired")
        .count();
    assert!(expired > 0, "some notices are past their deadline");
}

#[tokio::test]
async fn bad_filters_get_field_errors() {
    let app = TestApp::spawn().await;
    for (query, field) in [
        ("province=99", "province"),
        ("kind=boat", "kind"),
        ("sort=random", "sort"),
        ("min_amount=-1", "min_amount"),
    ] {
        let (status, body) = app.rewards(query).await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(body["error"]["field"], field);
    }
    assert_eq!(app.get("/api/v1/rewards/abc").await.status(), 404);
    assert_eq!(app.get("/api/v1/rewards/999").await.status(), 404);
}

#[tokio::test]
async fn staff_publish_edit_and_withdraw_and_the_public_sees_it_at_once() {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 50, court_today()).await.unwrap();
    let before = app.rewards("").await.1["total"].as_i64().unwrap();
    app.sign_in_staff("editor1", COURT, portal_server::staff::Role::Editor)
        .await;
    let (status, created) =
        json_of(app.post_json("/api/v1/staff/rewards", &new_reward()).await).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["court"], COURT);
    let (status, public) = json_of(app.get(&format!("/api/v1/rewards/{id}")).await).await;
    assert_eq!(status, 200);
    assert_eq!(public["amount"], 50000);
    assert_eq!(public["insured"], true);
    assert_eq!(public["masked_id"], "3302251985****1231");
    assert!(!public.to_string().contains("330225198506121231"));

    let mut edited = new_reward();
    edited["amount"] = json!(80000);
    let res = app
        .client
        .put(app.url(&format!("/api/v1/staff/rewards/{id}")))
        .json(&edited)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, public) = json_of(app.get(&format!("/api/v1/rewards/{id}")).await).await;
    assert_eq!(public["amount"], 80000);

    let mut bad = new_reward();
    bad["deadline"] = json!("2020-01-01");
    bad["asset_kinds"] = json!(["boat"]);
    let (status, body) = json_of(app.post_json("/api/v1/staff/rewards", &bad).await).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "asset_kinds");
    // Not a listed debtor of this court: someone else's ID, another case, another name.
    for (field, value) in [
        (
            "subject_id",
            json!(portal_core::IdNumber::from_parts(
                "330225",
                chrono::NaiveDate::from_ymd_opt(1990, 3, 7).unwrap(),
                123
            )
            .as_str()),
        ),
        ("case_number", json!("(2024)浙0225执9999号")),
        ("subject_name", json!("王建国")),
    ] {
        let mut other = new_reward();
        other[field] = value;
        let (status, body) = json_of(app.post_json("/api/v1/staff/rewards", &other).await).await;
        assert_eq!(
            (status, body["error"]["field"].as_str()),
            (422, Some("subject_id")),
            "{field}: {body}"
        );
    }

    let res = app
        .post_json(
            &format!("/api/v1/staff/rewards/{id}/withdraw"),
            &json!({"reason": "申请执行人撤回悬赏申请"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(
        app.get(&format!("/api/v1/rewards/{id}")).await.status(),
        404
    );
    assert_eq!(app.rewards("").await.1["total"], before);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_audit WHERE target = $1 AND staff = 'editor1'",
    )
    .bind(format!("reward:{id}"))
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(audited, 3, "create, edit and withdraw are audited");
}

#[tokio::test]
async fn staff_of_another_court_or_role_cannot_touch_a_notice() {
    let app = TestApp::spawn().await;
    seed::seed_demo(&app.db, 50, court_today()).await.unwrap();
    app.sign_in_staff("editor1", COURT, portal_server::staff::Role::Editor)
        .await;
    let (_, created) = json_of(app.post_json("/api/v1/staff/rewards", &new_reward()).await).await;
    let id = created["id"].as_i64().unwrap();

    let other = app
        .staff_client(
            "editor2",
            "杭州市西湖区人民法院",
            portal_server::staff::Role::Editor,
        )
        .await;
    let res = other
        .post(app.url(&format!("/api/v1/staff/rewards/{id}/withdraw")))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        404,
        "another court's notice does not exist for them"
    );

    let reviewer = app
        .staff_client("reviewer1", COURT, portal_server::staff::Role::Reviewer)
        .await;
    let (status, body) = json_of(
        reviewer
            .post(app.url("/api/v1/staff/rewards"))
            .json(&new_reward())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    assert_eq!(
        app.get(&format!("/api/v1/rewards/{id}")).await.status(),
        200
    );

    let anonymous = reqwest::Client::new();
    let res = anonymous
        .post(app.url("/api/v1/staff/rewards"))
        .json(&new_reward())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

/// A forwarded link (WeChat, a crawler) shows the notice's title and amount without running the
/// app: the server writes them into the page it returns for the address.
#[tokio::test]
async fn a_reward_page_carries_its_share_meta_in_the_html() {
    // The rewards bundle's page (the portal's own page is another bundle's).
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), "<html>home</html>").unwrap();
    let rewards = dist.path().join("bundles/rewards");
    std::fs::create_dir_all(&rewards).unwrap();
    std::fs::write(
        rewards.join("index.html"),
        "<!DOCTYPE html><html><head><title>执行公开</title>\n<meta name=\"description\" content=\"站点\"></head><body>portal</body></html>",
    )
    .unwrap();
    let app = TestApp::spawn_with_dist(Some(dist.path().to_path_buf())).await;
    seed::seed_demo(&app.db, 50, court_today()).await.unwrap();
    app.sign_in_staff("editor1", COURT, portal_server::staff::Role::Editor)
        .await;
    let (_, created) = json_of(app.post_json("/api/v1/staff/rewards", &new_reward()).await).await;
    let id = created["id"].as_i64().unwrap();
    let res = app.get(&format!("/rewards/{id}")).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<meta property=\"og:title\" content=\"悬赏50,000元：寻找陈小明的财产线索 · 执行公开\">"), "{html}");
    assert!(html.contains("og:description"));
    assert!(html.contains("船舶"));
    assert!(!html.contains("content=\"站点\""));
    assert!(html.contains("<body>portal</body>"), "the app still starts");
    // A withdrawn notice's page carries nothing of it.
    app.post_json(&format!("/api/v1/staff/rewards/{id}/withdraw"), &json!({}))
        .await;
    let html = app
        .get(&format!("/rewards/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("陈小明"));
}
