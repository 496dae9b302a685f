//! Badges for the lists a subject is on, and the "data as of" line.

use leptos::prelude::*;
use portal_core::notice::ListKind;

use crate::i18n::use_i18n;

/// 失信 in red, 限消 in amber, 终本 in blue: each also carries its name, never colour alone.
#[component]
pub fn ListBadges(
    /// The lists, as the API names them (`dishonest`, `restricted`, `terminated`).
    lists: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    view! {
        <ul class="badges">
            {lists
                .into_iter()
                .filter_map(|l| ListKind::parse(&l))
                .map(|kind| {
                    let class = match kind {
                        ListKind::Dishonest => "badge badge--danger",
                        ListKind::Restricted => "badge badge--warn",
                        ListKind::Terminated => "badge badge--info",
                    };
                    view! { <li class=class>{kind.label(lang)}</li> }
                })
                .collect_view()}
        </ul>
    }
}

/// "数据截至 2026/11/22 17:05:09", in the reader's locale and time zone.
#[component]
pub fn AsOf(
    /// RFC 3339 time from the server.
    as_of: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now().shell(), i18n.lang_now());
    let text = {
        let date = js_sys::Date::new(&as_of.as_str().into());
        let local: String = date
            .to_locale_string(lang.tag(), &wasm_bindgen::JsValue::UNDEFINED)
            .into();
        format!("{} {local}", t.as_of_label)
    };
    view! { <p class="as-of muted">{text}</p> }
}
