//! Reward notices (悬赏公告): the public list and detail, and the staff routes that publish and
//! close them. The `rewards` table belongs to [`store`].

mod http;
pub mod seed;
pub mod store;

pub use http::{page_router, router};
