//! Test support: the bundle's HTML read back as a tree, so that tests assert what a reader or a
//! screen reader gets (captions, titles, labels, values, how many of each) rather than the exact
//! markup. Badly nested markup fails to parse, so it fails the test too.

use quick_xml::{
    escape::resolve_predefined_entity,
    events::{BytesStart, Event},
    Reader,
};

/// An element: its name, attributes and children.
#[derive(Debug)]
pub struct Node {
    pub name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Child>,
}

#[derive(Debug)]
enum Child {
    Element(Node),
    Text(String),
}

/// HTML elements that have no end tag.
const VOID: &[&str] = &["br", "hr", "img", "input", "link", "meta"];

/// Parses a fragment as the bundle writes it: XML but for HTML's void elements and valueless
/// attributes (`selected`).
pub fn parse(html: &str) -> Node {
    let mut reader = Reader::from_str(html);
    // End tags are matched here, knowing the void elements.
    reader.config_mut().check_end_names = false;
    let mut open = vec![Node {
        name: "#fragment".into(),
        attrs: Vec::new(),
        children: Vec::new(),
    }];
    let add = |open: &mut Vec<Node>, child: Child| {
        open.last_mut().expect("the fragment").children.push(child)
    };
    loop {
        match reader.read_event().expect("well-formed markup") {
            Event::Start(e) => {
                let node = element(&e);
                if VOID.contains(&node.name.as_str()) {
                    add(&mut open, Child::Element(node));
                } else {
                    open.push(node);
                }
            }
            Event::Empty(e) => add(&mut open, Child::Element(element(&e))),
            Event::End(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8");
                let node = open.pop().expect("an open element");
                assert_eq!(node.name, name, "end tag of another element in {html}");
                add(&mut open, Child::Element(node));
            }
            Event::Text(t) => add(&mut open, Child::Text(t.decode().expect("UTF-8").into())),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().expect("a character") {
                    Some(c) => c.to_string(),
                    None => resolve_predefined_entity(&r.decode().expect("UTF-8"))
                        .expect("a predefined entity")
                        .to_owned(),
                };
                add(&mut open, Child::Text(text));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(open.len(), 1, "unclosed elements in {html}");
    open.pop().expect("the fragment")
}

fn element(e: &BytesStart) -> Node {
    Node {
        name: String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8"),
        attrs: e
            .html_attributes()
            .map(|a| {
                let a = a.expect("an attribute");
                (
                    String::from_utf8(a.key.as_ref().to_vec()).expect("UTF-8"),
                    a.unescape_value().expect("an attribute value").into_owned(),
                )
            })
            .collect(),
        children: Vec::new(),
    }
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text inside, as a reader gets it.
    pub fn text(&self) -> String {
        self.children
            .iter()
            .map(|c| match c {
                Child::Element(e) => e.text(),
                Child::Text(t) => t.clone(),
            })
            .collect()
    }

    /// Every element inside that `keep` keeps, in document order.
    pub fn all(&self, keep: &dyn Fn(&Node) -> bool) -> Vec<&Node> {
        let mut found = Vec::new();
        for c in &self.children {
            if let Child::Element(e) = c {
                if keep(e) {
                    found.push(e);
                }
                found.extend(e.all(keep));
            }
        }
        found
    }

    /// Every element of a name.
    pub fn named(&self, name: &str) -> Vec<&Node> {
        self.all(&|e| e.name == name)
    }

    /// Every element with a class.
    pub fn classed(&self, class: &str) -> Vec<&Node> {
        self.all(&|e| {
            e.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == class))
        })
    }

    /// The element with an id; panics when there is none, or more than one.
    pub fn by_id(&self, id: &str) -> &Node {
        match self.all(&|e| e.attr("id") == Some(id)).as_slice() {
            [one] => one,
            found => panic!("{} elements with id {id}", found.len()),
        }
    }

    /// A number attribute.
    pub fn number(&self, name: &str) -> f64 {
        self.attr(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{} has no number {name}", self.name))
    }
}
