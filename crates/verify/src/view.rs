//! The verdict as HTML text: pure functions of what is known, so they are tested natively and
//! the page sets them with one `innerHTML` (every value escaped).

use portal_core::{
    certificate::{CertificatePayload, SignatureVerdict},
    time::{beijing_minute, ymd},
    Lang,
};
use portal_lite::esc;

use crate::text::text;

/// What the court's record says, or why it could not be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    Checking,
    Valid,
    Revoked {
        reason: String,
        at: String,
    },
    Superseded {
        by: String,
        at: String,
    },
    /// The record under this number holds other bytes than the QR code.
    Differs,
    /// No certificate under this number.
    Missing,
    /// No answer at all: offline, or the server unreachable.
    Offline,
    /// An answer that is not a record (rate limited, server error).
    Error,
}

/// Tone of the headline: `ok`, `warn` or `error`.
fn tone(sig: &SignatureVerdict, live: &Live) -> &'static str {
    match (sig, live) {
        (SignatureVerdict::Valid { .. }, Live::Valid | Live::Checking) => "ok",
        (SignatureVerdict::Valid { .. }, Live::Offline | Live::Error | Live::Superseded { .. }) => {
            "warn"
        }
        _ => "error",
    }
}

fn headline(lang: Lang, sig: &SignatureVerdict, live: &Live) -> &'static str {
    let t = text(lang);
    match sig {
        SignatureVerdict::Invalid => t.head_invalid,
        SignatureVerdict::UnknownKey => t.head_unknown_key,
        SignatureVerdict::RevokedKey { .. } => t.head_revoked_key,
        SignatureVerdict::Valid { .. } => match live {
            Live::Valid => t.head_valid,
            Live::Checking => t.head_signed_checking,
            Live::Offline | Live::Error => t.head_signed_offline,
            Live::Revoked { .. } => t.head_revoked,
            Live::Superseded { .. } => t.head_superseded,
            Live::Differs => t.head_differs,
            Live::Missing => t.head_missing,
        },
    }
}

/// The verdict: a headline, the signature, the live status and the keys' date, then (only when
/// the signature holds) what the certificate states.
pub fn verdict(
    lang: Lang,
    payload: &CertificatePayload,
    sig: &SignatureVerdict,
    live: &Live,
    keys_as_of: Option<i64>,
) -> String {
    let t = text(lang);
    let signature = match sig {
        SignatureVerdict::Valid { court } => (t.sig_valid)(court),
        SignatureVerdict::Invalid => t.sig_invalid.to_owned(),
        SignatureVerdict::UnknownKey => (t.sig_unknown_key)(&payload.key_id),
        SignatureVerdict::RevokedKey { court } => (t.sig_revoked_key)(court),
    };
    let status = match live {
        Live::Checking => t.status_checking.to_owned(),
        Live::Valid => t.status_valid.to_owned(),
        Live::Revoked { reason, at } => (t.status_revoked)(reason, at),
        Live::Superseded { by, at } => (t.status_superseded)(by, at),
        Live::Offline => t.status_offline.to_owned(),
        Live::Missing => t.status_missing.to_owned(),
        Live::Differs => t.status_differs.to_owned(),
        Live::Error => t.status_error.to_owned(),
    };
    let keys = match keys_as_of {
        Some(at) => beijing_minute(at * 1000),
        None => t.keys_none.to_owned(),
    };
    let tone = tone(sig, live);
    let mut html = format!(
        "<div class=\"verdict verdict--{tone}\" role=\"status\" aria-live=\"polite\" data-verdict=\"{tone}\">\
         <p class=\"verdict__head\">{}</p><dl class=\"facts\">\
         <div><dt>{}</dt><dd data-testid=\"signature\">{}</dd></div>\
         <div><dt>{}</dt><dd data-testid=\"live-status\">{}</dd></div>\
         <div><dt>{}</dt><dd>{}</dd></div></dl></div>",
        esc(headline(lang, sig, live)),
        t.signature,
        esc(&signature),
        t.status,
        esc(&status),
        t.keys_as_of,
        esc(&keys),
    );
    if let SignatureVerdict::Valid { court } = sig {
        html.push_str(&facts(lang, payload, court));
    }
    html
}

/// What a certificate states, as the court signed it.
pub fn facts(lang: Lang, p: &CertificatePayload, court: &str) -> String {
    let t = text(lang);
    let rows = [
        (text(lang).number, p.number()),
        (text(lang).name, p.name.clone()),
        (t.subject_id, p.subject.shown()),
        (t.case_number, p.case_number.clone()),
        (t.stage, p.stage.label(lang).to_owned()),
        (t.amount, format!("{} {}", p.amount_shown(), t.yuan)),
        (t.performed_on, ymd(p.performed_on)),
        (t.court, court.to_owned()),
        (t.issued_at, beijing_minute(i64::from(p.issued_at) * 1000)),
    ];
    let mut html = format!(
        "<article class=\"certificate\" aria-labelledby=\"facts-title\"><h2 id=\"facts-title\">{}</h2><dl class=\"facts\">",
        t.facts_title
    );
    for (label, value) in rows {
        html.push_str(&format!(
            "<div><dt>{label}</dt><dd>{}</dd></div>",
            esc(&value)
        ));
    }
    html.push_str("</dl></article>");
    html
}

/// An error in place of a verdict.
pub fn problem(message: &str) -> String {
    format!(
        "<div class=\"verdict verdict--error\" role=\"alert\" data-verdict=\"error\"><p class=\"verdict__head\">{}</p></div>{}",
        esc(message),
        portal_lite::retry_button()
    )
}

/// The typed check's form.
pub fn form(lang: Lang) -> String {
    let t = text(lang);
    format!(
        "<p class=\"lead\">{intro}</p>\
         <form class=\"card\" id=\"check\" novalidate>\
         <div class=\"field\" id=\"number-field\"><label class=\"field__label\" for=\"number\">{number}</label>\
         <input class=\"field__input\" id=\"number\" name=\"number\" inputmode=\"numeric\" autocomplete=\"off\" required aria-describedby=\"number-error\">\
         <p class=\"field__error\" id=\"number-error\" hidden></p></div>\
         <div class=\"field\" id=\"name-field\"><label class=\"field__label\" for=\"name\">{name}</label>\
         <input class=\"field__input\" id=\"name\" name=\"name\" autocomplete=\"off\" required aria-describedby=\"name-error\">\
         <p class=\"field__error\" id=\"name-error\" hidden></p></div>\
         <button class=\"button button--primary button--block\" type=\"submit\" id=\"submit\">{submit}</button>\
         </form><p class=\"hint\">{hint}</p><div id=\"result\"></div>",
        intro = t.intro,
        number = t.number,
        name = t.name,
        submit = t.submit,
        hint = t.scan_hint,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_core::certificate::{PayloadSubject, Stage};

    fn payload() -> CertificatePayload {
        CertificatePayload {
            key_id: "c0ffee01".into(),
            serial: 123,
            issued_at: 1_795_000_000,
            performed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            stage: Stage::DuringEnforcement,
            amount_fen: 1_250_000,
            subject: PayloadSubject::Person("33022519851231".into()),
            name: "陈<b>小明".into(),
            case_number: "(2024)浙0225执1234号".into(),
        }
    }

    #[test]
    fn a_valid_signature_shows_the_facts_escaped() {
        let court = SignatureVerdict::Valid {
            court: "宁波市象山县人民法院".into(),
        };
        let html = verdict(Lang::Zh, &payload(), &court, &Live::Valid, Some(0));
        assert!(html.contains("data-verdict=\"ok\""));
        assert!(html.contains("有效：法院签名核验通过"));
        assert!(html.contains("陈&lt;b&gt;小明"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("3302251985****1231"));
        assert!(html.contains("12,500.00 元"));
        assert!(html.contains("执行中"));
        let offline = verdict(Lang::En, &payload(), &court, &Live::Offline, Some(0));
        assert!(offline.contains("data-verdict=\"warn\""));
        assert!(offline.contains("Court keys as of</dt><dd>1970-01-01 08:00"));
    }

    #[test]
    fn a_bad_signature_or_a_revoked_certificate_is_an_error_without_facts() {
        for (sig, live) in [
            (SignatureVerdict::Invalid, Live::Valid),
            (SignatureVerdict::UnknownKey, Live::Valid),
            (
                SignatureVerdict::RevokedKey { court: "X".into() },
                Live::Valid,
            ),
        ] {
            let html = verdict(Lang::Zh, &payload(), &sig, &live, None);
            assert!(html.contains("data-verdict=\"error\""), "{html}");
            assert!(!html.contains("certificate"), "{html}");
        }
        let revoked = Live::Revoked {
            reason: "履行款被退回".into(),
            at: "2026-11-26 10:00".into(),
        };
        let html = verdict(
            Lang::Zh,
            &payload(),
            &SignatureVerdict::Valid { court: "X".into() },
            &revoked,
            None,
        );
        assert!(html.contains("data-verdict=\"error\""));
        assert!(html.contains("已于 2026-11-26 10:00 撤销：履行款被退回"));
    }
}
