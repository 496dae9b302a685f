//! The form a member of the public opens what they sent with — a tip, a certificate application:
//! the 16-digit code and the 6-digit PIN of their receipt, checked by `core` (length, check digit)
//! before anything is sent, each error at its field.

use leptos::prelude::*;
use portal_core::{
    tracking::{parse_pin, parse_tracking_code},
    Invalid,
};

use crate::{
    api::ApiError,
    components::{
        button::Button,
        field::{focus_first_invalid, TextField},
        status::ErrorNotice,
    },
};

#[component]
pub fn CodePinForm(
    code_id: &'static str,
    pin_id: &'static str,
    code_label: &'static str,
    pin_label: &'static str,
    submit_label: &'static str,
    /// True while the request runs.
    #[prop(into)]
    pending: Signal<bool>,
    /// The server's answer to the last try, when it was an error.
    error: RwSignal<Option<ApiError>>,
    /// Called with the canonical code and PIN once both are well-formed.
    on_submit: Callback<(String, String)>,
    /// Extra classes of the form (e.g. `no-print`).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let code_error = RwSignal::new(None::<Invalid>);
    let pin_error = RwSignal::new(None::<Invalid>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let (c, p) = (
            parse_tracking_code(&code.get_untracked()),
            parse_pin(&pin.get_untracked()),
        );
        code_error.set(c.as_ref().err().cloned());
        pin_error.set(p.as_ref().err().cloned());
        match (c, p) {
            (Ok(c), Ok(p)) => on_submit.run((c, p)),
            _ => focus_first_invalid(),
        }
    };
    view! {
        <form class=format!("card form {class}") novalidate on:submit=submit>
            <TextField id=code_id label=code_label value=code error=code_error required=true/>
            <TextField id=pin_id label=pin_label value=pin error=pin_error required=true input_type="password"/>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true block=true disabled=pending>{submit_label}</Button>
        </form>
    }
}
