//! Which browser bundle serves which address.
//!
//! The citizens' Leptos pages are seven bundles, so that a phone downloads only the part of a
//! service it opened (each within the 200 KB first-load budget): the portal (home, lookup,
//! notices, partners, and the 404 page), reward notices, tips, certificates, and the parties'
//! desk in three — what a party reads, declared payments (the debtor's declaration, the
//! creditor's answer), and correction requests. Where a service was split, it is along its
//! visitors' ways: whoever reads a reward notice shared in a chat rarely files a tip then, and a
//! party signs in and reads before declaring or asking for a correction.
//! The server answers an address with its bundle's
//! page, and a bundle hands an address that is not its own to the browser as a full page load;
//! both read this one table, so they cannot disagree (a disagreement would loop).

/// A citizens' Leptos bundle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Bundle {
    /// `/`, `/lookup`, `/notices/…`, `/partners`, and every address no bundle claims (its 404).
    Portal,
    /// `/rewards…`: the reward notices.
    Rewards,
    /// `/tips/…`: filing a tip, and its status.
    Tips,
    /// `/certificates…` (but not `/certificates/verify`, the verification page).
    Certificates,
    /// `/parties…`: sign-in, cases, requests, who checked.
    Parties,
    /// `/parties/declare` and `/parties/confirm`: a debtor declares a payment, the creditor
    /// answers.
    Payments,
    /// `/parties/request`: a request to correct or reconsider a listing.
    Corrections,
}

impl Bundle {
    pub const ALL: [Bundle; 7] = [
        Bundle::Portal,
        Bundle::Rewards,
        Bundle::Tips,
        Bundle::Certificates,
        Bundle::Parties,
        Bundle::Payments,
        Bundle::Corrections,
    ];

    /// The bundle's folder under `dist/` and its files' address prefix (`/bundles/{dir}/`);
    /// `None` for the portal, which is `dist/` itself.
    pub fn dir(self) -> Option<&'static str> {
        match self {
            Bundle::Portal => None,
            Bundle::Rewards => Some("rewards"),
            Bundle::Tips => Some("tips"),
            Bundle::Certificates => Some("certificates"),
            Bundle::Parties => Some("parties"),
            Bundle::Payments => Some("payments"),
            Bundle::Corrections => Some("corrections"),
        }
    }
}

/// The address prefix of the service bundles' files (`/bundles/rewards/…`).
pub const FILES_PREFIX: &str = "/bundles/";

/// The first segment of `path` is `segment`: `/tips` and `/tips/new` are under `tips`, `/tipsy`
/// is not.
fn under(path: &str, segment: &str) -> bool {
    path.strip_prefix('/')
        .and_then(|p| p.strip_prefix(segment))
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The Leptos bundle whose page an address is, or `None` for the pages that are not Leptos
/// bundles (the certificate verification page, publicity, the staff console, the embedded check,
/// the API): those the server routes itself.
pub fn bundle_of(path: &str) -> Option<Bundle> {
    const ELSEWHERE: [&str; 8] = [
        "C",
        "c",
        "publicity",
        "staff",
        "embed",
        "verify",
        "api",
        "bundles",
    ];
    if ELSEWHERE.iter().any(|s| under(path, s)) || under(path, "certificates/verify") {
        return None;
    }
    Some(if under(path, "rewards") {
        Bundle::Rewards
    } else if under(path, "tips") {
        Bundle::Tips
    } else if under(path, "certificates") {
        Bundle::Certificates
    } else if under(path, "parties/declare") || under(path, "parties/confirm") {
        Bundle::Payments
    } else if under(path, "parties/request") {
        Bundle::Corrections
    } else if under(path, "parties") {
        Bundle::Parties
    } else {
        Bundle::Portal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_has_one_bundle() {
        for (path, bundle) in [
            ("/", Some(Bundle::Portal)),
            ("/lookup", Some(Bundle::Portal)),
            ("/notices/12", Some(Bundle::Portal)),
            ("/partners", Some(Bundle::Portal)),
            ("/no/such/page", Some(Bundle::Portal)),
            ("/tipsy", Some(Bundle::Portal)),
            ("/rewards", Some(Bundle::Rewards)),
            ("/rewards/7", Some(Bundle::Rewards)),
            ("/tips/new", Some(Bundle::Tips)),
            ("/tips/status", Some(Bundle::Tips)),
            ("/certificates", Some(Bundle::Certificates)),
            ("/certificates/apply", Some(Bundle::Certificates)),
            ("/certificates/confirm", Some(Bundle::Certificates)),
            ("/certificates/verify", None),
            ("/C/abc", None),
            ("/parties", Some(Bundle::Parties)),
            ("/parties/cases", Some(Bundle::Parties)),
            ("/parties/requests", Some(Bundle::Parties)),
            ("/parties/checks", Some(Bundle::Parties)),
            ("/parties/declare", Some(Bundle::Payments)),
            ("/parties/confirm", Some(Bundle::Payments)),
            ("/parties/request", Some(Bundle::Corrections)),
            ("/publicity/statistics", None),
            ("/staff/login", None),
            ("/embed/check", None),
            ("/bundles/rewards/x.wasm", None),
            ("/api/v1/lookup", None),
        ] {
            assert_eq!(bundle_of(path), bundle, "{path}");
        }
    }
}
