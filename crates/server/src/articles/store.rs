//! Every query over the `articles` table.

use portal_core::article::{ArticleKind, ArticleStatus, ValidArticle, ARTICLES_PAGE};
use sqlx::Row;

use super::render::Rendered;
use crate::db::{Db, Where};

/// One stored article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ArticleRow {
    pub id: i64,
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub summary: Option<String>,
    pub markdown: String,
    pub html: String,
    pub plain: String,
    pub court: Option<String>,
    pub province: Option<String>,
    pub status: String,
    pub publish_at: Option<i64>,
    pub staff_court: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ArticleRow {
    pub fn kind(&self) -> ArticleKind {
        ArticleKind::parse(&self.kind).unwrap_or(ArticleKind::News)
    }

    /// The status staff see at `now`: a scheduled article whose time has come is published.
    pub fn status_at(&self, now: i64) -> ArticleStatus {
        match ArticleStatus::parse(&self.status) {
            Some(ArticleStatus::Scheduled) if self.publish_at.is_some_and(|at| at <= now) => {
                ArticleStatus::Published
            }
            Some(s) => s,
            None => ArticleStatus::Draft,
        }
    }
}

const COLUMNS: &str = "id, slug, kind, title, summary, markdown, html, plain, court, province, \
    status, publish_at, staff_court, created_at, updated_at";

/// The public rule: published, or scheduled and its time has come.
fn public(now: i64) -> Where {
    Where::new()
        .fixed("status IN ('published', 'scheduled')")
        .cmp("publish_at", "<=", now)
}

/// Stores a new draft; its slug is the creation date in Beijing and its id (`20261126-7`).
pub async fn create(
    db: &Db,
    a: &ValidArticle,
    r: &Rendered,
    staff_court: &str,
    now: i64,
) -> Result<(i64, String), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let placeholder = format!("new-{now}-{}", rand_suffix());
    let id: i64 = sqlx::query(
        "INSERT INTO articles (slug, kind, title, summary, markdown, html, plain, court, province, \
         status, publish_at, staff_court, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', NULL, $10, $11, $11) RETURNING id",
    )
    .bind(&placeholder)
    .bind(a.kind.as_str())
    .bind(&a.title)
    .bind(a.summary.as_deref())
    .bind(&a.markdown)
    .bind(&r.html)
    .bind(&r.text)
    .bind(a.court.as_deref())
    .bind(a.province.as_deref())
    .bind(staff_court)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let date = portal_core::time::court_ymd(now).replace('-', "");
    let slug = format!("{date}-{id}");
    sqlx::query("UPDATE articles SET slug = $1 WHERE id = $2")
        .bind(&slug)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok((id, slug))
}

fn rand_suffix() -> u64 {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    OsRng.next_u64()
}

/// How many articles there are, in any state.
pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM articles")
        .fetch_one(&db.pool)
        .await
}

/// Replaces an article's words; its status and slug stay.
pub async fn update(
    db: &Db,
    id: i64,
    a: &ValidArticle,
    r: &Rendered,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE articles SET kind = $1, title = $2, summary = $3, markdown = $4, html = $5, \
         plain = $6, court = $7, province = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(a.kind.as_str())
    .bind(&a.title)
    .bind(a.summary.as_deref())
    .bind(&a.markdown)
    .bind(&r.html)
    .bind(&r.text)
    .bind(a.court.as_deref())
    .bind(a.province.as_deref())
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the status (and the time it goes public).
pub async fn set_status(
    db: &Db,
    id: i64,
    status: ArticleStatus,
    publish_at: Option<i64>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE articles SET status = $1, publish_at = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(status.as_str())
    .bind(publish_at)
    .bind(now)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<ArticleRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM articles WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A public article by its slug.
pub async fn public_by_slug(
    db: &Db,
    slug: &str,
    now: i64,
) -> Result<Option<ArticleRow>, sqlx::Error> {
    use sqlx::FromRow;
    let w = public(now).cmp("slug", "=", slug);
    let sql = format!("SELECT {COLUMNS} FROM articles WHERE {}", w.condition());
    w.bind(&sql)
        .fetch_optional(&db.pool)
        .await?
        .map(|r| ArticleRow::from_row(&r))
        .transpose()
}

/// A page of public articles, newest first, and how many match.
pub async fn list_public(
    db: &Db,
    kind: Option<ArticleKind>,
    court: Option<&str>,
    province: Option<&str>,
    page: i64,
    now: i64,
) -> Result<(Vec<ArticleRow>, i64), sqlx::Error> {
    use sqlx::FromRow;
    let mut w = public(now);
    if let Some(k) = kind {
        w = w.cmp("kind", "=", k.as_str());
    }
    if let Some(c) = court {
        w = w.cmp("court", "=", c);
    }
    if let Some(p) = province {
        w = w.cmp("province", "=", p);
    }
    let offset = (page.max(1) - 1) * ARTICLES_PAGE;
    let c = w.condition();
    let sql = format!(
        "SELECT {COLUMNS} FROM articles WHERE {c} ORDER BY publish_at DESC, id DESC \
         LIMIT {ARTICLES_PAGE} OFFSET {offset}"
    );
    let rows = w
        .bind(&sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(ArticleRow::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let total: i64 = w
        .bind(&format!("SELECT COUNT(*) FROM articles WHERE {c}"))
        .fetch_one(&db.pool)
        .await?
        .get(0);
    Ok((rows, total))
}

/// The newest public articles, for the feed.
pub async fn latest_public(db: &Db, n: i64, now: i64) -> Result<Vec<ArticleRow>, sqlx::Error> {
    list_public(db, None, None, None, 1, now)
        .await
        .map(|(rows, _)| rows.into_iter().take(n as usize).collect())
}

/// Every article of a court, newest change first, for its editors.
pub async fn of_court(db: &Db, staff_court: &str) -> Result<Vec<ArticleRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM articles WHERE staff_court = $1 ORDER BY updated_at DESC, id DESC LIMIT 200"
    ))
    .bind(staff_court)
    .fetch_all(&db.pool)
    .await
}

/// Stores an article image (the server's re-encoded JPEG) under a new random id.
pub async fn add_image(
    db: &Db,
    bytes: &[u8],
    staff_court: &str,
    now: i64,
) -> Result<String, sqlx::Error> {
    let id = format!("{:016x}{:016x}", rand_suffix(), rand_suffix());
    sqlx::query(
        "INSERT INTO article_images (id, bytes, staff_court, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&id)
    .bind(bytes.to_vec())
    .bind(staff_court)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(id)
}

/// An article image's JPEG bytes.
pub async fn image(db: &Db, id: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar("SELECT bytes FROM article_images WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}
