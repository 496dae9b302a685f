//! Notices of the dishonest-debtor, restricted-consumption and terminated-case lists: import from
//! court systems, the public lookup, detail and verify answers, and the `notices` table itself
//! ([`store`]), which no other module queries directly.

pub(crate) mod http;
pub mod import;
pub mod lookup;
pub mod seed;
pub mod store;

pub use http::router;
