//! Staff sign-in. The session is an HttpOnly cookie the page never sees; the page only asks the
//! server who is signed in.

use leptos::prelude::*;
use portal_core::{
    api::{LoginRequest, StaffSession},
    Invalid,
};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonLink, ButtonVariant},
        fetch::Fetch,
        field::{focus_first_invalid, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::use_i18n,
};

#[component]
pub fn StaffLogin() -> impl IntoView {
    let i18n = use_i18n();
    let t = i18n.staff_now();
    let session = RwSignal::new(None::<StaffSession>);
    let current = LocalResource::new(move || api::staff_me(i18n.lang_now()));
    Effect::new(move |_| {
        if let Some(Ok(who)) = current.get() {
            session.set(who);
        }
    });
    view! {
        <PageTitle text=t.sign_in_title/>
        <section class="page page--narrow">
            <h1>{t.sign_in_heading}</h1>
            <p class="lead">{t.sign_in_intro}</p>
            <Fetch resource=current let:_signed_in>
                <Show when=move || session.get().is_some() fallback=move || view! { <LoginForm session/> }>
                    <SignedIn session/>
                </Show>
            </Fetch>
        </section>
    }
}

#[component]
fn LoginForm(session: RwSignal<Option<StaffSession>>) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.staff_now(), i18n.lang_now());
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
            <TextField id="staff-username" label=t.username value=username error=username_error
                required=true autocomplete="username"/>
            <TextField id="staff-password" label=t.password value=password error=password_error
                required=true input_type="password" autocomplete="current-password"/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true block=true disabled=login.pending()>
                {move || if login.pending().get() { t.signing_in } else { t.sign_in }}
            </Button>
        </form>
    }
}

#[component]
fn SignedIn(session: RwSignal<Option<StaffSession>>) -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.staff_now(), i18n.lang_now());
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
                    <p class="lead">{t.signed_in_as}<strong>{who.username.clone()}</strong></p>
                    <dl class="facts">
                        <div><dt>{t.court}</dt><dd>{who.court.clone()}</dd></div>
                        <div><dt>{t.role}</dt><dd>{role_name}</dd></div>
                    </dl>
                }
            })}
            <p><ButtonLink href="/staff/tips">{t.go_to_tips}</ButtonLink></p>
            {move || match logout.value().get() {
                Some(Err(e)) => Some(view! { <ErrorNotice error=e/> }),
                _ => None,
            }}
            <Button variant=ButtonVariant::Secondary on_click=move |_| { logout.dispatch(()); }>
                {t.sign_out}
            </Button>
        </div>
    }
}
