//! Publicity articles (DESIGN §7.7): staff write Markdown, the server makes sanitised HTML once,
//! the public reads them in the publicity pages and the Atom feed. This feature owns the
//! `articles` table.

pub mod http;
pub mod render;
pub mod seed;
pub mod store;

pub use http::{headline, image_router, page_router, router};
