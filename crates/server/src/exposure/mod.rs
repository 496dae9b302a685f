//! The exposure board (曝光台, DESIGN §4): notices a court chooses to show. This feature owns the
//! `exposures` table and reads notices only through the notices feature's public rule, so a
//! notice that is deleted or leaves the list disappears from the board at once.

pub mod http;
pub mod seed;
pub mod store;

pub use http::router;
