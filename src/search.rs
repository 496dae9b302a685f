//! The lookup's address, and the search state that must stay out of it.
//!
//! A lookup lives in the address (`/lookup?name=…&region=…&page=…`, or `/lookup?tab=verify`), so
//! results can be shared and the back button works. [`LookupAddress`] is the one place that writes
//! and reads those addresses. An ID number never goes there: it reaches the lookup page in memory
//! ([`SearchDraft`]) and the server in a request body.

use crate::router::ParamsMap;
use leptos::prelude::*;

/// The lookup page's path, for links that open it without a search.
pub const LOOKUP_PATH: &str = "/lookup";

/// The id of the name input of the search forms (home and lookup pages), which takes over the
/// keyboard focus from the static first paint (see [`crate::boot`]).
pub const NAME_INPUT_ID: &str = "search-name";

/// An ID number typed on another page, handed to the lookup page in memory.
#[derive(Clone, Copy)]
pub struct SearchDraft(pub RwSignal<Option<String>>);

impl SearchDraft {
    /// Provides an empty draft to the app.
    pub fn provide() {
        provide_context(SearchDraft(RwSignal::new(None)));
    }
}

/// What the lookup page shows, as its address says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupAddress {
    /// The exact check instead of the search by name.
    pub verify: bool,
    /// The name searched for; empty before a search.
    pub name: String,
    /// A province code, or empty for all provinces.
    pub region: String,
    /// The result page, from 1.
    pub page: u32,
}

impl Default for LookupAddress {
    fn default() -> Self {
        LookupAddress {
            verify: false,
            name: String::new(),
            region: String::new(),
            page: 1,
        }
    }
}

impl LookupAddress {
    /// A search by name, all provinces, first page.
    pub fn search(name: &str) -> Self {
        LookupAddress {
            name: name.to_owned(),
            ..Self::default()
        }
    }

    /// The exact-check tab.
    pub fn verify() -> Self {
        LookupAddress {
            verify: true,
            ..Self::default()
        }
    }

    pub fn from_query(query: &ParamsMap) -> Self {
        LookupAddress {
            verify: query.get_str("tab") == Some("verify"),
            name: query.get("name").unwrap_or_default(),
            region: query.get("region").unwrap_or_default(),
            page: query
                .get_str("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1),
        }
    }

    /// The address: only what differs from the defaults, in a fixed order.
    pub fn href(&self) -> String {
        let mut parts = Vec::new();
        if self.verify {
            parts.push("tab=verify".to_owned());
        } else {
            if !self.name.is_empty() {
                parts.push(format!("name={}", encode_query(&self.name)));
            }
            if !self.region.is_empty() {
                parts.push(format!("region={}", encode_query(&self.region)));
            }
            if self.page > 1 {
                parts.push(format!("page={}", self.page));
            }
        }
        if parts.is_empty() {
            LOOKUP_PATH.to_owned()
        } else {
            format!("{LOOKUP_PATH}?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes a query value (names are mostly CJK).
pub fn encode_query(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_carry_only_what_differs_from_the_defaults() {
        assert_eq!(LookupAddress::default().href(), "/lookup");
        assert_eq!(LookupAddress::verify().href(), "/lookup?tab=verify");
        assert_eq!(
            LookupAddress::search("陈小明").href(),
            "/lookup?name=%E9%99%88%E5%B0%8F%E6%98%8E"
        );
        let paged = LookupAddress {
            region: "33".into(),
            page: 2,
            ..LookupAddress::search("A B")
        };
        assert_eq!(paged.href(), "/lookup?name=A%20B&region=33&page=2");
    }

    #[test]
    fn addresses_read_back_as_written() {
        let mut query = ParamsMap::new();
        query.insert("name", "陈小明".into());
        query.insert("region", "33".into());
        query.insert("page", "3".into());
        let address = LookupAddress::from_query(&query);
        assert_eq!(
            address,
            LookupAddress {
                verify: false,
                name: "陈小明".into(),
                region: "33".into(),
                page: 3,
            }
        );
    }
}
