//! The parties' desk (DESIGN §7.8): the people the lists are about sign in with the access code
//! from the court's letter ([`session`]) and see every case of their identifier, with every
//! listing about them — in its grace period, published or deleted — and its legal clocks; they
//! declare payments, which the case's creditor, signed in as a party of it, confirms or disputes
//! ([`creditor`]) and the court decides ([`review`]); they ask for a listing's correction and,
//! refused, for reconsideration by the court one level up. Who checked them is `crate::checks`, a
//! module above this one that knows the party by [`Party`]. The court's cases
//! come from `import cases` ([`import`]). This feature owns the tables of [`store`]; it reads
//! and withdraws notices only through `notices::store`, and keeps evidence through `uploads`.

pub(crate) mod creditor;
pub(crate) mod http;
pub mod import;
mod review;
pub mod seed;
pub(crate) mod session;
pub mod store;

pub use session::{Party, IDLE_MS};

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    http::router().merge(review::router())
}
