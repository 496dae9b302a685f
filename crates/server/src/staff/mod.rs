//! Court staff: accounts with a role per court, sign-in sessions, and the staff API. The `staff`
//! and `staff_sessions` tables belong to [`store`], `signin_failures` to [`throttle`]; handlers
//! of other features get the signed-in member through [`SignedIn`] ([`session`]).

mod http;
pub mod session;
pub mod store;
pub mod throttle;

pub use http::router;
pub use session::{session_token, SignedIn, SESSION_COOKIE};
pub use store::Role;
