//! Asset tips (财产线索举报): confidential submission with a signed receipt, the tipster's status
//! page, and the court's review queue. The `tips`, `tip_events`, `tip_files` and
//! `tip_submissions` tables belong to [`store`]; evidence files come from `uploads`.

mod http;
pub mod store;
pub mod submit;

pub use http::{portal_keys, router};

use crate::{db::Db, keys::Keys};

/// Re-seals, with the current data key, every tip's content and stored answer that an older
/// data key sealed (`portal-server keys reseal`); returns how many values were rewritten.
pub async fn reseal(db: &Db, keys: &Keys) -> anyhow::Result<usize> {
    let mut rewritten = 0;
    for v in store::sealed_values(db).await? {
        if keys.is_stale(&v.sealed) {
            let plain = keys.open(&v.context, &v.sealed)?;
            store::replace_sealed(db, &v, &keys.seal(&v.context, &plain)).await?;
            rewritten += 1;
        }
    }
    Ok(rewritten)
}
