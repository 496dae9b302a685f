//! Articles of the signed-in editor's court: write in Markdown with a live preview (the HTML
//! exactly as the server will publish it), save drafts, publish now or at a set time, take down.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use portal_core::{
    article::{ArticleInput, ArticleKind, ArticleStatus, StaffArticle},
    time::{beijing_time, court_local_rfc3339},
    ErrorCode, Invalid,
};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonSize, ButtonVariant},
        fetch::Fetch,
        field::{focus_first_invalid, show_errors, SelectField, TextArea, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::use_i18n,
};

/// What saving does after the words are stored.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    Nothing,
    PublishNow,
    Schedule,
}

#[component]
pub fn Articles() -> impl IntoView {
    let i18n = use_i18n();
    let (s, lang) = (i18n.staff_now(), i18n.lang_now());
    let list = LocalResource::new(move || api::staff_articles(lang));

    let editing = RwSignal::new(None::<i64>);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    let markdown = RwSignal::new(String::new());
    let schedule = RwSignal::new(String::new());
    // Tagged with the editor's court, or none (a guide for everyone).
    let scope = RwSignal::new("court".to_owned());
    let me = LocalResource::new(move || api::staff_me(lang));
    let my_court = move || {
        me.get()
            .and_then(|r| r.ok().flatten())
            .map(|m| m.court)
            .unwrap_or_default()
    };
    let errors = [(); 5].map(|_| RwSignal::new(None::<Invalid>));
    let [title_error, kind_error, summary_error, markdown_error, schedule_error] = errors;
    let fields = move || {
        [
            ("title", title_error),
            ("kind", kind_error),
            ("summary", summary_error),
            ("markdown", markdown_error),
            ("at", schedule_error),
        ]
    };
    let notice = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<ApiError>);

    // The live preview: the server's HTML for the text, half a second after typing stops.
    let preview = RwSignal::new(String::new());
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = markdown.get();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() != mine {
                    return;
                }
                if text.trim().is_empty() {
                    preview.set(String::new());
                    return;
                }
                spawn_local(async move {
                    match api::staff_article_preview(&text, lang).await {
                        Ok(p) if generation.get_value() == mine => {
                            preview.set(p.html);
                            markdown_error.set(None);
                        }
                        Err(e @ ApiError::Server { .. }) if e.field() == Some("markdown") => {
                            markdown_error.set(Some(Invalid::new(
                                ErrorCode::InvalidValue,
                                e.message(lang),
                                e.message(lang),
                            )));
                        }
                        _ => {}
                    }
                });
            },
            Duration::from_millis(500),
        );
    });

    let clear = move || {
        editing.set(None);
        for v in [title, kind, summary, markdown, schedule] {
            v.set(String::new());
        }
        scope.set("court".to_owned());
        for e in errors {
            e.set(None);
        }
        form_error.set(None);
    };
    let load = Callback::new(move |a: StaffArticle| {
        clear();
        editing.set(Some(a.id));
        title.set(a.title);
        kind.set(a.kind.as_str().to_owned());
        summary.set(a.summary.unwrap_or_default());
        scope.set(if a.court.is_some() { "court" } else { "all" }.to_owned());
        markdown.set(a.markdown);
        focus_first_field();
    });

    let save = Action::new_local(move |then: &Then| {
        let then = *then;
        let input = ArticleInput {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            markdown: markdown.get_untracked(),
            summary: Some(summary.get_untracked()),
            court: (scope.get_untracked() == "court").then(my_court),
            province: None,
        };
        let at = schedule.get_untracked();
        async move {
            let id = editing.get_untracked();
            let saved = api::staff_article_save(id, &input, lang).await?;
            let id = saved.map(|c| c.id).or(id).unwrap_or_default();
            editing.set(Some(id));
            match then {
                Then::Nothing => Ok(s.saved.to_owned()),
                Then::PublishNow => api::staff_article_publish(id, true, None, lang)
                    .await
                    .map(|()| s.published_now.to_owned()),
                Then::Schedule => {
                    api::staff_article_publish(id, true, Some(court_local_rfc3339(&at)), lang)
                        .await
                        .map(|()| (s.scheduled_for)(&at.replace('T', " ")))
                }
            }
        }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(message)) => {
            notice.set(Some(message));
            list.refetch();
        }
        Some(Err(e)) => match e.field() {
            Some(field) => {
                if let ApiError::Server { detail, .. } = &e {
                    show_errors(
                        &[Invalid::new(detail.code, e.message(lang), e.message(lang)).at(field)],
                        &fields(),
                    );
                }
                focus_first_invalid();
            }
            None => form_error.set(Some(e)),
        },
        None => {}
    });
    let submit = move |then: Then| {
        notice.set(None);
        form_error.set(None);
        let input = ArticleInput {
            title: title.get_untracked(),
            kind: kind.get_untracked(),
            markdown: markdown.get_untracked(),
            summary: Some(summary.get_untracked()),
            ..Default::default()
        };
        let mut problems = input.validate().err().unwrap_or_default();
        if then == Then::Schedule && schedule.get_untracked().trim().is_empty() {
            problems.push(Invalid::missing().at("at"));
        }
        show_errors(&problems, &fields());
        if problems.is_empty() {
            save.dispatch(then);
        } else {
            focus_first_invalid();
        }
    };
    // An image: uploaded, re-encoded by the server, its Markdown added to the text.
    let image_error = RwSignal::new(None::<ApiError>);
    let insert_image = Action::new_local(move |file: &web_sys::File| {
        let file = file.clone();
        async move { api::staff_article_image(&file, lang).await }
    });
    Effect::new(move |_| match insert_image.value().get() {
        Some(Ok(md)) => {
            image_error.set(None);
            markdown.update(|m| {
                if !m.is_empty() && !m.ends_with('\n') {
                    m.push('\n');
                }
                m.push('\n');
                m.push_str(&md);
                m.push('\n');
            });
        }
        Some(Err(e)) => image_error.set(Some(e)),
        None => {}
    });
    let kinds: Vec<(String, String)> = ArticleKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label(lang).to_owned()))
        .collect();

    view! {
        <PageTitle text=s.articles_title/>
        <section class="page">
            <h1>{s.articles_title}</h1>
            <p class="lead">{s.articles_intro}</p>
            {move || notice.get().map(|m| view! { <p class="status status--ok" role="status">{m}</p> })}
            <div class="editor">
                <form class="card form editor__form" novalidate on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    submit(Then::Nothing);
                }>
                    <p class="muted">{move || match editing.get() {
                        Some(_) => format!("{}{}", s.editing, title.get()),
                        None => s.new_article.to_owned(),
                    }}</p>
                    <TextField id="article-title" label=s.article_title value=title error=title_error required=true/>
                    <SelectField id="article-kind" label=s.article_kind options=kinds.clone() placeholder=s.choose value=kind error=kind_error required=true/>
                    {move || {
                        let court = my_court();
                        let options = vec![
                            ("court".to_owned(), format!("{}{court}", s.scope_court)),
                            ("all".to_owned(), s.scope_all.to_owned()),
                        ];
                        view! { <SelectField id="article-scope" label=s.article_scope options value=scope/> }
                    }}
                    <TextArea id="article-summary" label=s.article_summary hint=s.article_summary_hint value=summary error=summary_error rows=2/>
                    <TextArea id="article-markdown" label=s.article_markdown hint=s.article_markdown_hint value=markdown error=markdown_error rows=14 required=true/>
                    <div class="field">
                        <label class="field__label" for="article-image">{s.insert_image}</label>
                        <p class="field__hint" id="article-image-hint">{s.insert_image_hint}</p>
                        <input class="field__input" type="file" id="article-image" accept="image/jpeg,image/png,image/webp"
                            aria-describedby="article-image-hint"
                            on:change=move |ev| {
                                use leptos::wasm_bindgen::JsCast;
                                let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                                if let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) {
                                    insert_image.dispatch_local(file);
                                }
                                if let Some(i) = input {
                                    i.set_value("");
                                }
                            }/>
                        {move || insert_image.pending().get().then(|| view! { <p class="muted" role="status">{s.uploading_image}</p> })}
                        {move || image_error.get().map(|e| view! { <ErrorNotice error=e/> })}
                    </div>
                    <TextField id="article-at" label=s.schedule_at hint=s.schedule_hint value=schedule error=schedule_error input_type="datetime-local"/>
                    {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
                    <div class="editor__actions">
                        <Button submit=true variant=ButtonVariant::Secondary disabled=save.pending()>{s.save_draft}</Button>
                        <Button disabled=save.pending() on_click=Callback::new(move |_| submit(Then::PublishNow))>{s.save_and_publish}</Button>
                        <Button variant=ButtonVariant::Secondary disabled=save.pending() on_click=Callback::new(move |_| submit(Then::Schedule))>{s.schedule}</Button>
                        <Button variant=ButtonVariant::Link on_click=Callback::new(move |_| clear())>{s.new_article}</Button>
                    </div>
                </form>
                <section class="card editor__preview" aria-labelledby="preview-heading">
                    <h2 id="preview-heading">{s.preview}</h2>
                    {move || if preview.get().is_empty() {
                        view! { <p class="muted">{s.preview_empty}</p> }.into_any()
                    } else {
                        view! { <div class="article__body" data-testid="preview" inner_html=move || preview.get()></div> }.into_any()
                    }}
                </section>
            </div>
            <Fetch resource=list let:found>
                {if found.articles.is_empty() {
                    view! { <p class="muted">{s.articles_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="staff-articles">
                            {found.articles.into_iter().map(|a| view! { <ArticleRow a load reload=Callback::new(move |_| list.refetch()) notice/> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Fetch>
        </section>
    }
}

fn focus_first_field() {
    request_animation_frame(|| {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("article-title"))
        {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

#[component]
fn ArticleRow(
    a: StaffArticle,
    load: Callback<StaffArticle>,
    reload: Callback<()>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (s, lang) = (i18n.staff_now(), i18n.lang_now());
    let id = a.id;
    let public = matches!(a.status, ArticleStatus::Published);
    let toggle = Action::new_local(move |publish: &bool| {
        let publish = *publish;
        async move {
            api::staff_article_publish(id, publish, None, lang)
                .await
                .map(|()| publish)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(published)) = toggle.value().get() {
            notice.set(Some(
                if published {
                    s.published_now
                } else {
                    s.unpublished_now
                }
                .to_owned(),
            ));
            reload.run(());
        }
    });
    let slug = a.slug.clone();
    let title = a.title.clone();
    let at = a
        .publish_at
        .as_deref()
        .filter(|_| a.status == ArticleStatus::Scheduled)
        .map(beijing_time);
    let editable = a.clone();
    view! {
        <li class="card staff-article">
            <p class="staff-article__title">{title}</p>
            <p class="muted">
                {a.kind.label(lang)}" · "{a.status.label(lang)}
                {at.map(|at| format!(" · {at}"))}
                " · "{s.updated}" "{beijing_time(&a.updated_at)}
            </p>
            {move || toggle.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice error=e/> })}
            <div class="editor__actions">
                <Button size=ButtonSize::Small variant=ButtonVariant::Secondary on_click=Callback::new(move |_| load.run(editable.clone()))>{s.edit_article}</Button>
                {if public {
                    view! { <Button size=ButtonSize::Small variant=ButtonVariant::Secondary disabled=toggle.pending() on_click=Callback::new(move |_| { toggle.dispatch(false); })>{s.unpublish}</Button> }.into_any()
                } else {
                    view! { <Button size=ButtonSize::Small disabled=toggle.pending() on_click=Callback::new(move |_| { toggle.dispatch(true); })>{s.publish}</Button> }.into_any()
                }}
                {public.then(|| view! { <a href=format!("/publicity/{slug}") target="_blank" rel="noopener">{s.view_public}</a> })}
            </div>
        </li>
    }
}
