//! Staff sign-in. The session is an HttpOnly cookie the page never sees; the page only asks the
//! server who is signed in.

use leptos::prelude::*;
use portal_core::{
    api::{LoginRequest, StaffSession},
    Invalid,
};

use crate::{
    api::{self, ApiError},
    components::title::PageTitle,
    components::{
        field::{focus_first_invalid, TextField},
        status::{ErrorNotice, Loading},
    },
    i18n::use_i18n,
};

#[component]
pub fn StaffLogin() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.tr_now();
    let session = RwSignal::new(None::<StaffSession>);
    let current = LocalResource::new(move || api::staff_me(i18n.signal().get_untracked()));
    Effect::new(move |_| {
        if let Some(Ok(who)) = current.get() {
            session.set(who);
        }
    });
    view! {
        <PageTitle text=t.staff_title/>
        <section class="page page--narrow">
            <h1>{t.staff_heading}</h1>
            <p class="lead">{t.staff_intro}</p>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || current.get().map(|result| match result {
                    Err(e) => view! { <ErrorNotice error=e on_retry=Callback::new(move |_| current.refetch())/> }.into_any(),
                    Ok(_) => view! {
                        <Show when=move || session.get().is_some() fallback=move || view! { <LoginForm session/> }>
                            <SignedIn session/>
                        </Show>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn LoginForm(session: RwSignal<Option<StaffSession>>) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let username_error = RwSignal::new(None::<Invalid>);
    let password_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let login = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move { api::staff_login(request, lang).await }
    });
    Effect::new(move |_| match login.value().get() {
        Some(Ok(who)) => session.set(Some(who)),
        Some(Err(e)) => {
            let message = e.message(lang);
            match e.field() {
                Some("username") => username_error.set(Some(Invalid::new(
                    portal_core::ErrorCode::InvalidValue,
                    message.clone(),
                    message,
                ))),
                Some("password") => password_error.set(Some(Invalid::new(
                    portal_core::ErrorCode::InvalidValue,
                    message.clone(),
                    message,
                ))),
                _ => form_error.set(Some(e)),
            }
        }
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        let request = LoginRequest {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        username_error.set(request.username.is_empty().then(Invalid::missing));
        password_error.set(request.password.is_empty().then(Invalid::missing));
        if request.username.is_empty() || request.password.is_empty() {
            focus_first_invalid();
            return;
        }
        login.dispatch(request);
    };
    view! {
        <form class="card form" novalidate on:submit=submit>
            <TextField id="staff-username" label=|t| t.staff_username value=username error=username_error
                required=true autocomplete="username"/>
            <TextField id="staff-password" label=|t| t.staff_password value=password error=password_error
                required=true input_type="password" autocomplete="current-password"/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <button type="submit" class="button button--primary button--block" disabled=move || login.pending().get()>
                {move || if login.pending().get() { t.staff_signing_in } else { t.staff_sign_in }}
            </button>
        </form>
    }
}

#[component]
fn SignedIn(session: RwSignal<Option<StaffSession>>) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now(), i18n.lang_now());
    let logout = Action::new_local(move |_: &()| async move { api::staff_logout(lang).await });
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            session.set(None);
        }
    });
    let role = move |role: &str| {
        let t = t;
        match role {
            "admin" => t.role_admin,
            "reviewer" => t.role_reviewer,
            "editor" => t.role_editor,
            _ => "",
        }
    };
    view! {
        <div class="card" role="status">
            {move || session.get().map(|who| {
                let role_name = role(&who.role);
                view! {
                    <p class="lead">{t.staff_signed_in_as}<strong>{who.username.clone()}</strong></p>
                    <dl class="facts">
                        <div><dt>{t.staff_court}</dt><dd>{who.court.clone()}</dd></div>
                        <div><dt>{t.staff_role}</dt><dd>{role_name}</dd></div>
                    </dl>
                }
            })}
            <p class="muted">{t.staff_console_pending}</p>
            {move || match logout.value().get() {
                Some(Err(e)) => Some(view! { <ErrorNotice error=e/> }),
                _ => None,
            }}
            <button type="button" class="button button--secondary" on:click=move |_| { logout.dispatch(()); }>
                {t.staff_sign_out}
            </button>
        </div>
    }
}
