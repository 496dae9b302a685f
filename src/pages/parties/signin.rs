//! `/parties`: what the parties' desk is, where the access code comes from, and the sign-in.
//!
//! Every mismatch of name, ID number and access code gets one answer from the server, and the page
//! says it one way too: never which of the three was wrong.

use crate::router::{use_navigate, use_query_map};
use leptos::prelude::*;
use portal_core::{
    api::PartySignIn,
    party::{format_access_code, ACCESS_CODE_MAX_LEN},
    ErrorCode, Invalid,
};

use super::{focus_by_id, CASES};
use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonLink},
        fetch::Fetch,
        field::{described_by, focus_first_invalid, invalid, show_errors, Field, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::use_i18n,
};

#[component]
pub fn PartySignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang_now(), i18n.tr_now().party());
    let query = use_query_map();
    let expired = query.read_untracked().get("expired").is_some();
    let signed_out = query.read_untracked().get("signed_out").is_some();
    // Already signed in (a second tab, the back button): say so instead of asking again.
    let session = LocalResource::new(move || api::party_session(lang));
    view! {
        <PageTitle text=t.title/>
        <section class="page page--narrow">
            <h1>{t.title}</h1>
            {expired.then(|| view! { <p class="notice notice--warn" role="status">{t.expired}</p> })}
            {signed_out.then(|| view! { <p class="status status--ok" role="status">{t.signed_out}</p> })}
            <p class="lead">{t.intro}</p>
            <Fetch resource=session unavailable=t.session_unknown let:found>
                {found.map(|s| view! {
                    <div class="card" role="status">
                        <p>{(t.signed_in_as)(&s.name, &s.masked_id)}</p>
                        <ButtonLink href=CASES block=true>{t.to_cases}</ButtonLink>
                    </div>
                })}
            </Fetch>
            <SignInForm/>
            <section class="card card--help" aria-labelledby="parties-what">
                <h2 id="parties-what">{t.what_heading}</h2>
                <ul class="checklist">
                    {t.what_points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
                </ul>
                <h2>{t.code_heading}</h2>
                <p>{t.code_text}</p>
                <h2>{t.privacy_heading}</h2>
                <p class="small">{t.privacy_text}</p>
            </section>
            <p class="muted">{t.creditor_sign_in}</p>
        </section>
    }
}

/// The access code as typed, in groups of four (`ABCD EFGH JKLM`): case, spaces and hyphens do
/// not matter to the server's reading ([`portal_core::party::normalize_access_code`]); anything
/// else stays, so that the check can point at it.
fn grouped(typed: &str) -> String {
    let kept: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    format_access_code(&kept)
}

#[component]
fn SignInForm() -> impl IntoView {
    let i18n = use_i18n();
    let (lang, t) = (i18n.lang_now(), i18n.tr_now().party());
    let navigate = use_navigate();
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let (name_error, id_error, code_error) = (
        RwSignal::new(None::<Invalid>),
        RwSignal::new(None::<Invalid>),
        RwSignal::new(None::<Invalid>),
    );
    let fields = [
        ("name", name_error),
        ("id_number", id_error),
        ("access_code", code_error),
    ];
    // The one answer to every mismatch, in the page's words.
    let not_recognised = RwSignal::new(false);
    let form_error = RwSignal::new(None::<ApiError>);
    let send = Action::new_local(move |r: &PartySignIn| {
        let r = r.clone();
        async move { api::party_sign_in(&r, lang).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => navigate(CASES, Default::default()),
        Some(Err(e))
            if e.status() == Some(401)
                || matches!(&e, ApiError::Server { detail, .. } if detail.code == ErrorCode::NotRecognised) =>
        {
            not_recognised.set(true);
            focus_by_id("parties-not-recognised");
        }
        Some(Err(e)) => match e.field().map(str::to_owned) {
            Some(field) => {
                let message = e.message(lang);
                show_errors(
                    &[Invalid::new(ErrorCode::InvalidValue, message.clone(), message).at(field)],
                    &fields,
                );
                focus_first_invalid();
            }
            None => form_error.set(Some(e)),
        },
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        not_recognised.set(false);
        form_error.set(None);
        let request = PartySignIn {
            name: name.get_untracked(),
            id_number: id_number.get_untracked(),
            access_code: code.get_untracked(),
        };
        match request.validate() {
            Ok(_) => {
                show_errors(&[], &fields);
                send.dispatch(request);
            }
            Err(errors) => {
                show_errors(&errors, &fields);
                focus_first_invalid();
            }
        }
    };
    let on_code = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        code_error.set(None);
        let typed = event_target_value(&ev);
        // Regroup only while typing at the end, so that an edit in the middle keeps its caret.
        let at_end = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.selection_start().ok().flatten())
            .is_none_or(|caret| caret as usize >= typed.encode_utf16().count());
        code.set(if at_end { grouped(&typed) } else { typed });
    };
    // Room for the longest code and the spaces between its groups.
    let max_len = (ACCESS_CODE_MAX_LEN + ACCESS_CODE_MAX_LEN / 4).to_string();
    view! {
        <form class="card form" novalidate on:submit=submit aria-labelledby="parties-sign-in">
            <h2 id="parties-sign-in">{t.sign_in_heading}</h2>
            <TextField id="party-name" label=t.name hint=t.name_hint value=name error=name_error
                required=true autocomplete="name"/>
            <TextField id="party-id" label=t.id_number hint=t.id_number_hint value=id_number
                error=id_error required=true/>
            <Field id="party-code" label=t.access_code hint=t.access_code_hint error=code_error>
                <input class="field__input mono" id="party-code" name="party-code" type="text"
                    required=true autocomplete="off" autocapitalize="characters" spellcheck="false"
                    maxlength=max_len
                    aria-invalid=invalid(code_error)
                    aria-describedby=described_by("party-code", true, code_error)
                    prop:value=move || code.get()
                    on:input=on_code/>
            </Field>
            <Show when=move || not_recognised.get()>
                <div class="status status--error" role="alert" id="parties-not-recognised" tabindex="-1">
                    <p>{t.not_recognised}</p>
                </div>
            </Show>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true block=true disabled=send.pending()>
                {move || if send.pending().get() { t.signing_in } else { t.sign_in }}
            </Button>
            <p class="muted small">{t.sign_in_note}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn groups_as_typed() {
        assert_eq!(grouped("abcd"), "ABCD");
        assert_eq!(grouped("abcde"), "ABCD E");
        assert_eq!(grouped("ABCD-EFGH 2345"), "ABCD EFGH 2345");
        // A stray character stays, for the check to name.
        assert_eq!(grouped("abc0"), "ABC0");
    }
}
