//! The bundles' router: the address as signals, a table of routes per bundle, links and `navigate`
//! that move inside the bundle without loading a page, and the browser's Back and Forward.
//!
//! A bundle serves a handful of fixed addresses (`portal_core::bundle`), so a table of patterns
//! (`/rewards/:id`) matched segment by segment does all the routing it needs; leptos_router's
//! general machinery (nested routes, typed matching) cost every bundle about a tenth of its code.
//!
//! What moves without loading: a click on an `<a>` (any, also in markup set by `inner_html`) whose
//! address this bundle owns, when nothing asks otherwise (another window or frame, `download`,
//! `rel="external"`, a modifier key); and [`use_navigate`]. Any other address is loaded by the
//! browser, so it is answered with its own bundle.

use leptos::{ev, prelude::*, wasm_bindgen::JsCast};
use portal_core::bundle::{bundle_of, Bundle};

/// The address of the page: its path, its query without the `?`, its fragment with its `#`
/// (empty when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Address {
    path: String,
    search: String,
    hash: String,
}

impl Address {
    /// Splits an address of this site given from its root (`/lookup?name=x#results`).
    fn parse(href: &str) -> Self {
        let (rest, hash) = match href.find('#') {
            Some(i) => (&href[..i], href[i..].to_owned()),
            None => (href, String::new()),
        };
        let (path, search) = match rest.find('?') {
            Some(i) => (&rest[..i], rest[i + 1..].to_owned()),
            None => (rest, String::new()),
        };
        Address {
            path: if path.is_empty() { "/" } else { path }.to_owned(),
            search,
            hash,
        }
    }

    /// The address the browser shows now.
    fn current() -> Self {
        let location = window().location();
        Address {
            path: location.pathname().unwrap_or_else(|_| "/".into()),
            search: location
                .search()
                .unwrap_or_default()
                .trim_start_matches('?')
                .to_owned(),
            hash: location.hash().unwrap_or_default(),
        }
    }
}

/// Names and values: a query's, or those a route's pattern took from the path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `key` to `value`, replacing any value it had.
    pub fn insert(&mut self, key: &str, value: String) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.get_str(key).map(str::to_owned)
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A query (`a=1&b=%E9%99%88`): percent-decoded, `+` read as a space; the first of a repeated
    /// name counts.
    fn from_query(search: &str) -> Self {
        let mut map = ParamsMap::new();
        for pair in search.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let k = decode(k, true);
            if map.get_str(&k).is_none() {
                map.0.push((k, decode(v, true)));
            }
        }
        map
    }
}

/// Percent-decoding of a query part (`plus_is_space`: `+` read as a space, as forms write it) or
/// of a path segment (where `+` is itself); bytes that are not UTF-8 become U+FFFD.
fn decode(part: &str, plus_is_space: bool) -> String {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            ) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a route's pattern (`/rewards/:id`) takes from `path`, if it matches it: segment by
/// segment, a trailing `/` aside.
fn match_pattern(pattern: &str, path: &str) -> Option<ParamsMap> {
    let trim = |p: &str| -> Vec<String> {
        p.trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (pattern, path) = (trim(pattern), trim(path));
    if pattern.len() != path.len() {
        return None;
    }
    let mut params = ParamsMap::new();
    for (want, have) in pattern.iter().zip(path) {
        match want.strip_prefix(':') {
            Some(name) => params.insert(name, decode(&have, false)),
            None if *want == have => {}
            None => return None,
        }
    }
    Some(params)
}

/// The address as the pages see it.
#[derive(Clone, Copy)]
pub struct Location {
    pub pathname: Memo<String>,
    /// The query, without its `?`.
    pub search: Memo<String>,
    /// The fragment, with its `#`; empty when there is none.
    pub hash: Memo<String>,
    query: Memo<ParamsMap>,
}

/// How [`use_navigate`] moves.
#[derive(Clone, Copy, Debug)]
pub struct NavigateOptions {
    /// Replaces the current entry of the history instead of adding one.
    pub replace: bool,
    /// Scrolls to the top of the page (or to the fragment's element).
    pub scroll: bool,
}

impl Default for NavigateOptions {
    fn default() -> Self {
        NavigateOptions {
            replace: false,
            scroll: true,
        }
    }
}

/// Which addresses the app serves: those of one citizens' bundle, or the staff console's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Citizens(Bundle),
    Staff,
}

impl Scope {
    fn owns(self, path: &str) -> bool {
        match self {
            Scope::Citizens(bundle) => bundle_of(path) == Some(bundle),
            Scope::Staff => path == "/staff" || path.starts_with("/staff/"),
        }
    }
}

#[derive(Clone, Copy)]
struct RouterContext {
    address: RwSignal<Address>,
    location: Location,
    scope: Scope,
}

impl RouterContext {
    fn go(&self, href: &str, options: NavigateOptions) {
        let address = Address::parse(href);
        if !self.scope.owns(&address.path) {
            let location = window().location();
            let _ = if options.replace {
                location.replace(href)
            } else {
                location.assign(href)
            };
            return;
        }
        if let Ok(history) = window().history() {
            let url = wasm_bindgen::JsValue::NULL;
            let _ = if options.replace {
                history.replace_state_with_url(&url, "", Some(href))
            } else {
                history.push_state_with_url(&url, "", Some(href))
            };
        }
        let hash = address.hash.clone();
        self.address.set(address);
        if options.scroll {
            scroll_to(&hash);
        }
    }
}

/// To the fragment's element when there is one, else to the top.
fn scroll_to(hash: &str) {
    let target = hash
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| document().get_element_by_id(id));
    match target {
        Some(el) => el.scroll_into_view(),
        None => window().scroll_to_with_x_and_y(0.0, 0.0),
    }
}

/// Keeps the address in signals for its children, and moves inside the app on link clicks and on
/// Back and Forward.
#[component]
pub fn Router(scope: Scope, children: Children) -> impl IntoView {
    let address = RwSignal::new(Address::current());
    let search = Memo::new(move |_| address.with(|a| a.search.clone()));
    let location = Location {
        pathname: Memo::new(move |_| address.with(|a| a.path.clone())),
        search,
        hash: Memo::new(move |_| address.with(|a| a.hash.clone())),
        query: Memo::new(move |_| search.with(|s| ParamsMap::from_query(s))),
    };
    let context = RouterContext {
        address,
        location,
        scope,
    };
    provide_context(context);

    let on_pop = window_event_listener(ev::popstate, move |_| address.set(Address::current()));
    let on_click = window_event_listener(ev::click, move |ev| {
        if let Some(href) = followed_link(&ev) {
            let here = address.get_untracked();
            let there = Address::parse(&href);
            // Owned elsewhere, or only a fragment of this page: the browser's to do.
            if !scope.owns(&there.path)
                || (there.path == here.path
                    && there.search == here.search
                    && !there.hash.is_empty())
            {
                return;
            }
            ev.prevent_default();
            context.go(&href, NavigateOptions::default());
        }
    });
    on_cleanup(move || {
        on_pop.remove();
        on_click.remove();
    });
    children()
}

/// The address of this site (from its root) a click follows, if the router may take it over.
fn followed_link(ev: &ev::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.alt_key()
        || ev.ctrl_key()
        || ev.shift_key()
    {
        return None;
    }
    let link = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    let taken_elsewhere = link.has_attribute("download")
        || link
            .get_attribute("target")
            .is_some_and(|t| !t.is_empty() && t != "_self")
        || link
            .get_attribute("rel")
            .is_some_and(|r| r.split_ascii_whitespace().any(|r| r == "external"));
    if taken_elsewhere {
        return None;
    }
    let href = link.get_attribute("href")?;
    let origin = window().location().origin().ok()?;
    let from_root = match href.strip_prefix(origin.as_str()) {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', '?', '#']) => rest.to_owned(),
        _ => href,
    };
    (from_root.starts_with('/') && !from_root.starts_with("//")).then_some(from_root)
}

fn router() -> RouterContext {
    expect_context::<RouterContext>()
}

/// Whether this app serves `path` (else the browser loads it as a new page).
pub fn owns(path: &str) -> bool {
    router().scope.owns(path)
}

pub fn use_location() -> Location {
    router().location
}

/// The query of the address, by name.
pub fn use_query_map() -> Memo<ParamsMap> {
    router().location.query
}

/// What the matched route's pattern took from the path (`:id`).
pub fn use_params_map() -> Memo<ParamsMap> {
    expect_context::<Params>().0
}

/// Moves to an address of this site, given from its root; one another bundle serves is loaded.
pub fn use_navigate() -> impl Fn(&str, NavigateOptions) + Clone + 'static {
    let context = router();
    move |href, options| context.go(href, options)
}

#[derive(Clone, Copy)]
struct Params(Memo<ParamsMap>);

/// A route: a pattern (`/rewards/:id`) and its page.
pub type Route = (&'static str, fn() -> AnyView);

/// The page of the first route whose pattern matches the path, else `fallback`'s. A page stays
/// while the path keeps matching its route (its query or `:id` may change under it).
#[component]
pub fn Routes(routes: &'static [Route], fallback: fn() -> AnyView) -> impl IntoView {
    let path = use_location().pathname;
    let matched = Memo::new(move |_| {
        path.with(|p| {
            routes
                .iter()
                .position(|(pattern, _)| match_pattern(pattern, p).is_some())
        })
    });
    let params = Memo::new(move |_| {
        matched
            .get()
            .and_then(|i| path.with(|p| match_pattern(routes[i].0, p)))
            .unwrap_or_default()
    });
    provide_context(Params(params));
    move || match matched.get() {
        Some(i) => (routes[i].1)(),
        None => fallback(),
    }
}

/// A link to an address of this site. It is marked `aria-current="page"` while the path is its
/// own or below it.
#[component]
pub fn A(
    #[prop(into)] href: String,
    #[prop(optional, into)] class: Option<String>,
    children: Children,
) -> impl IntoView {
    let path = use_location().pathname;
    let own = Address::parse(&href).path;
    let current = move || {
        path.with(|p| {
            let below = own != "/"
                && p.strip_prefix(own.as_str())
                    .is_some_and(|r| r.starts_with('/'));
            (*p == own || below).then_some("page")
        })
    };
    view! {
        <a href=href class=class aria-current=current>
            {children()}
        </a>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_path_query_and_fragment() {
        assert_eq!(
            Address::parse("/lookup?name=x&page=2#results"),
            Address {
                path: "/lookup".into(),
                search: "name=x&page=2".into(),
                hash: "#results".into(),
            }
        );
        assert_eq!(Address::parse("?a=1").path, "/");
    }

    #[test]
    fn queries_are_percent_decoded_and_the_first_value_counts() {
        let q = ParamsMap::from_query(
            "name=%E9%99%88%E5%B0%8F%E6%98%8E&region=33&x=a+b&region=44&bad=%E9%99",
        );
        assert_eq!(q.get_str("name"), Some("陈小明"));
        assert_eq!(q.get_str("region"), Some("33"));
        assert_eq!(q.get_str("x"), Some("a b"));
        assert_eq!(q.get_str("bad"), Some("\u{FFFD}"));
        assert_eq!(ParamsMap::from_query("flag").get_str("flag"), Some(""));
        assert_eq!(ParamsMap::from_query("p=%zz%4").get_str("p"), Some("%zz%4"));
    }

    #[test]
    fn patterns_match_whole_paths_and_take_their_parameters() {
        assert_eq!(match_pattern("/", "/"), Some(ParamsMap::new()));
        assert!(match_pattern("/", "/lookup").is_none());
        assert!(match_pattern("/rewards", "/rewards/").is_some());
        assert!(match_pattern("/rewards", "/rewards/5").is_none());
        let params = match_pattern("/rewards/:id", "/rewards/42").unwrap();
        assert_eq!(params.get("id").as_deref(), Some("42"));
        assert!(match_pattern("/rewards/:id", "/rewards").is_none());
        assert!(match_pattern("/tips/new", "/tips/status").is_none());
        // A path segment is percent-decoded, but its `+` is a plus, not a space as in a query.
        let params = match_pattern("/notices/:id", "/notices/a+b%20c").unwrap();
        assert_eq!(params.get("id").as_deref(), Some("a+b c"));
    }
}
