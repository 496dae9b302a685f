//! The one way pages show data they fetch: a loading line while the request runs, the error with
//! a retry button if it fails, the data once it arrives.
//!
//! The loading line cannot stay forever: every request `api` sends is abandoned after its timeout
//! and then fails like any other.

use leptos::prelude::*;

use crate::{
    api::ApiError,
    components::{
        button::{Button, ButtonVariant},
        status::{ErrorNotice, Loading},
    },
    i18n::use_i18n,
};

/// Renders `resource`: [`Loading`] while it runs, [`ErrorNotice`] with a retry when it fails,
/// `children` with the answer when it succeeds.
#[component]
pub fn Fetch<T, F, V>(
    /// The request; the retry button runs it again.
    resource: LocalResource<Result<T, ApiError>>,
    /// Renders the answer.
    children: F,
    /// Keeps the previous answer on screen while the next one loads (a new search), instead of
    /// the loading line.
    #[prop(optional)]
    keep_previous: bool,
    /// A quiet line (no alert) instead of the error's own message, for content the page can do
    /// without.
    #[prop(optional)]
    unavailable: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let retry = Callback::new(move |_| resource.refetch());
    let content = move || {
        resource.get().map(|result| match result {
            Ok(answer) => children(answer).into_any(),
            Err(error) => match unavailable {
                Some(text) => view! { <Unavailable text retry/> }.into_any(),
                None => view! { <ErrorNotice error on_retry=retry/> }.into_any(),
            },
        })
    };
    if keep_previous {
        view! { <Transition fallback=|| view! { <Loading/> }>{content}</Transition> }.into_any()
    } else {
        view! { <Suspense fallback=|| view! { <Loading/> }>{content}</Suspense> }.into_any()
    }
}

/// The quiet failure: what is missing, and a link-like retry.
#[component]
fn Unavailable(
    /// What is missing, in the current language.
    text: &'static str,
    /// Runs the request again.
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <p class="muted" role="status">
            {text}
            " "
            <Button variant=ButtonVariant::Link on_click=retry>{use_i18n().tr_now().chrome().retry}</Button>
        </p>
    }
}
