//! The court's exposure board: put a public notice of the court on it (by its number or its
//! page's address) with a note, or take it off.

use leptos::prelude::*;
use portal_core::{publicity::ExposureRequest, Invalid};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonSize, ButtonVariant},
        fetch::Fetch,
        field::{focus_first_invalid, show_errors, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::use_i18n,
};

#[component]
pub fn Board() -> impl IntoView {
    let i18n = use_i18n();
    let (s, lang) = (i18n.staff_now(), i18n.lang_now());
    let list = LocalResource::new(move || api::staff_exposure(lang));
    let notice = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let notice_error = RwSignal::new(None::<Invalid>);
    let note_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<&'static str>);
    let add = Action::new_local(move |r: &ExposureRequest| {
        let r = r.clone();
        async move { api::staff_expose(&r, lang).await }
    });
    let remove = Action::new_local(move |id: &i64| {
        let id = *id;
        async move { api::staff_unexpose(id, lang).await }
    });
    let fields = [("notice", notice_error), ("note", note_error)];
    Effect::new(move |_| match add.value().get() {
        Some(Ok(())) => {
            done.set(Some(s.exposed));
            notice.set(String::new());
            note.set(String::new());
            list.refetch();
        }
        Some(Err(e)) => match (&e, e.field()) {
            (ApiError::Server { detail, .. }, Some(field)) => {
                show_errors(
                    &[Invalid::new(detail.code, e.message(lang), e.message(lang)).at(field)],
                    &fields,
                );
                focus_first_invalid();
            }
            _ => form_error.set(Some(e)),
        },
        None => {}
    });
    Effect::new(move |_| match remove.value().get() {
        Some(Ok(())) => {
            done.set(Some(s.unexposed));
            list.refetch();
        }
        Some(Err(e)) => form_error.set(Some(e)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        form_error.set(None);
        let request = ExposureRequest {
            notice: notice.get_untracked(),
            note: Some(note.get_untracked()),
        };
        match request.validate() {
            Ok(_) => {
                show_errors(&[], &fields);
                add.dispatch(request);
            }
            Err(errors) => {
                show_errors(&errors, &fields);
                focus_first_invalid();
            }
        }
    };
    view! {
        <PageTitle text=s.exposure_title/>
        <section class="page">
            <h1>{s.exposure_title}</h1>
            <p class="lead">{s.exposure_intro}</p>
            {move || done.get().map(|m| view! { <p class="status status--ok" role="status">{m}</p> })}
            <form class="card form" novalidate on:submit=submit>
                <TextField id="exposure-notice" label=s.exposure_notice hint=s.exposure_notice_hint value=notice error=notice_error required=true/>
                <TextField id="exposure-note" label=s.exposure_note hint=s.exposure_note_hint value=note error=note_error/>
                {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
                <Button submit=true disabled=add.pending()>{s.expose}</Button>
            </form>
            <Fetch resource=list let:found>
                {if found.entries.is_empty() {
                    view! { <p class="muted">{s.exposure_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="staff-articles">
                            {found.entries.into_iter().map(|e| {
                                let id = e.notice_id;
                                view! {
                                    <li class="card staff-article">
                                        <p class="staff-article__title">{e.name}" · "{e.masked_id}</p>
                                        <p class="muted">{e.case_number}" · "{e.published_on}</p>
                                        {e.note.map(|n| view! { <p>{n}</p> })}
                                        <div class="editor__actions">
                                            <a href=format!("/notices/{id}") target="_blank" rel="noopener">"#"{id}</a>
                                            <Button size=ButtonSize::Small variant=ButtonVariant::Secondary disabled=remove.pending()
                                                on_click=Callback::new(move |_| { remove.dispatch(id); })>{s.unexpose}</Button>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Fetch>
        </section>
    }
}
