//! Reporting an asset lead, the receipt, and following the lead later.
//!
//! Built for a phone in WeChat on a poor network: what is typed is kept in `localStorage` (a
//! reload loses nothing), files upload one by one as soon as they are chosen and resume where they
//! broke (see [`crate::upload`]), and the submission carries one idempotency key per filled-in
//! form, so a retry after a dropped answer can never store the tip twice.

use std::collections::HashMap;

use crate::router::use_query_map;
use leptos::prelude::*;
use portal_core::{
    time::{beijing_time, court_today, ymd},
    tip::{
        TipAccepted, TipAdditionAccepted, TipAdditionRequest, TipContact, TipKind, TipRequest,
        TipStatus, TipStatusRequest, TipStatusResponse,
    },
    tracking::group_tracking_code,
    FieldError, Invalid, Lang,
};
use serde::{Deserialize, Serialize};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonLink},
        code_pin::CodePinForm,
        evidence::{
            busy_error, restored, upload_ids, uploads_busy, Evidence, EvidenceField, MAX_FILES,
        },
        fetch::Fetch,
        field::{focus_first_invalid, CheckField, SelectField, TextArea, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    draft,
    i18n::{strings, use_i18n},
};

/// What survives a reload: the form's fields, the finished uploads and the idempotency key.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct Draft {
    key: String,
    kind: String,
    description: String,
    place: String,
    seen_on: String,
    name: String,
    phone: String,
    declaration: bool,
    files: Vec<Evidence>,
}

fn draft_key(target: &str) -> String {
    format!("portal.tip-draft:{target}")
}

#[component]
pub fn TipForm() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let query = use_query_map();
    let reward_id = query
        .read_untracked()
        .get("reward")
        .and_then(|v| v.parse::<i64>().ok());
    let notice_id = query
        .read_untracked()
        .get("notice")
        .and_then(|v| v.parse::<i64>().ok());
    let accepted = RwSignal::new(None::<TipAccepted>);
    let about = LocalResource::new(move || async move {
        match reward_id {
            Some(id) => api::reward(id, lang).await.map(|r| {
                Some(format!(
                    "{}（{}）",
                    r.summary.subject_name, r.summary.case_number
                ))
            }),
            None => Ok(None),
        }
    });
    view! {
        <PageTitle text=t.tip_title/>
        <section class="page page--narrow">
            <Show when=move || accepted.get().is_none() fallback=move || view! { <Receipt accepted=accepted.get().expect("shown when set")/> }>
                <h1>{t.tip_title}</h1>
                <p class="lead">{t.tip_intro}</p>
                <Fetch resource=about let:about>
                    {about.map(|text| view! {
                        <p class="card"><span class="muted">{t.tip_about}"："</span><strong>{text}</strong></p>
                    })}
                </Fetch>
                <Form reward_id notice_id accepted/>
            </Show>
        </section>
    }
}

#[component]
fn Form(
    reward_id: Option<i64>,
    notice_id: Option<i64>,
    accepted: RwSignal<Option<TipAccepted>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let target = match (reward_id, notice_id) {
        (Some(r), _) => format!("reward-{r}"),
        (None, Some(n)) => format!("notice-{n}"),
        _ => "none".into(),
    };
    let stored: Draft = draft::load(&draft_key(&target));
    let key = if stored.key.is_empty() {
        draft::new_key("tip")
    } else {
        stored.key.clone()
    };
    let kind = RwSignal::new(stored.kind.clone());
    let description = RwSignal::new(stored.description.clone());
    let place = RwSignal::new(stored.place.clone());
    let seen_on = RwSignal::new(stored.seen_on.clone());
    let name = RwSignal::new(stored.name.clone());
    let phone = RwSignal::new(stored.phone.clone());
    let declaration = RwSignal::new(stored.declaration);
    let files = RwSignal::new(restored(stored.files));
    let errors: HashMap<&'static str, RwSignal<Option<Invalid>>> = [
        "reward_id",
        "kind",
        "description",
        "place",
        "seen_on",
        "uploads",
        "contact.name",
        "contact.phone",
        "declaration",
    ]
    .into_iter()
    .map(|f| (f, RwSignal::new(None)))
    .collect();
    let error = {
        let errors = errors.clone();
        move |f: &str| errors[f]
    };
    let form_error = RwSignal::new(None::<ApiError>);
    let uploads_error = errors["uploads"];

    // Keep the draft on this phone as it is typed.
    {
        let (key, target) = (key.clone(), target.clone());
        Effect::new(move |_| {
            let draft = Draft {
                key: key.clone(),
                kind: kind.get(),
                description: description.get(),
                place: place.get(),
                seen_on: seen_on.get(),
                name: name.get(),
                phone: phone.get(),
                declaration: declaration.get(),
                files: files.get(),
            };
            draft::save(&draft_key(&target), &draft);
        });
    }

    let submit_action = Action::new_local(move |(key, tip): &(String, TipRequest)| {
        let (key, tip) = (key.clone(), tip.clone());
        async move { api::submit_tip(&key, &tip, lang).await }
    });
    let show_errors = {
        let errors = errors.clone();
        move |list: &[FieldError]| {
            for (field, signal) in &errors {
                signal.set(
                    list.iter()
                        .find(|e| e.field == *field)
                        .map(|e| e.invalid.clone()),
                );
            }
        }
    };
    {
        let (show_errors, target) = (show_errors.clone(), target.clone());
        Effect::new(move |_| match submit_action.value().get() {
            Some(Ok(answer)) => {
                draft::remove(&draft_key(&target));
                accepted.set(Some(answer));
                scroll_top();
            }
            Some(Err(e)) => match e.field().map(str::to_owned) {
                Some(field) => {
                    let message = e.message(lang);
                    show_errors(&[Invalid::new(
                        portal_core::ErrorCode::InvalidValue,
                        message.clone(),
                        message,
                    )
                    .at(field)]);
                    focus_first_invalid();
                }
                None => form_error.set(Some(e)),
            },
            None => {}
        });
    }
    let submit = {
        let key = key.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            form_error.set(None);
            let contact = (!name.get_untracked().trim().is_empty()
                || !phone.get_untracked().trim().is_empty())
            .then(|| TipContact {
                name: name.get_untracked(),
                phone: phone.get_untracked(),
            });
            let tip = TipRequest {
                reward_id,
                notice_id,
                kind: kind.get_untracked(),
                description: description.get_untracked(),
                place: Some(place.get_untracked()),
                seen_on: Some(seen_on.get_untracked()),
                uploads: upload_ids(files),
                contact,
                declaration: declaration.get_untracked(),
            };
            let mut problems = match tip.validate_on(court_today(), MAX_FILES) {
                Ok(_) => Vec::new(),
                Err(e) => e,
            };
            if uploads_busy(files) {
                problems.push(busy_error(lang).at("uploads"));
            }
            show_errors(&problems);
            if !problems.is_empty() {
                focus_first_invalid();
                return;
            }
            submit_action.dispatch((key.clone(), tip));
        }
    };

    let kind_error = error("kind");
    let description_error = error("description");
    let seen_error = error("seen_on");
    let declaration_error = error("declaration");
    let target_error = error("reward_id");
    let kinds = TipKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), k.label(lang).to_owned()))
        .collect();
    view! {
        <form class="card form" novalidate on:submit=submit>
            {move || target_error.get().map(|e| view! { <p class="field__error" role="alert">{e.message(lang).to_owned()}</p> })}
            <SelectField id="tip-kind" label=t.kind placeholder=t.kind_choose options=kinds value=kind
                error=kind_error required=true/>
            <TextArea id="tip-description" label=t.description hint=t.description_hint rows=6
                value=description error=description_error required=true/>
            <TextField id="tip-place" label=t.place hint=t.place_hint value=place error=error("place")/>
            <TextField id="tip-seen" label=t.seen_on input_type="date" max=ymd(court_today())
                value=seen_on error=seen_error/>
            <EvidenceField id="tip-files" label=t.files hint=t.files_hint files error=uploads_error max=MAX_FILES/>
            <fieldset class="fieldset">
                <legend>{t.contact_heading}</legend>
                <p class="field__hint">{t.contact_hint}</p>
                <TextField id="tip-contact-name" label=t.contact_name value=name error=error("contact.name") autocomplete="name"/>
                <TextField id="tip-contact-phone" label=t.contact_phone value=phone error=error("contact.phone") input_type="tel" autocomplete="tel"/>
            </fieldset>
            <CheckField id="tip-declaration" label=t.declaration checked=declaration error=declaration_error/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            <Button submit=true block=true disabled=submit_action.pending()>
                {move || if submit_action.pending().get() { t.submitting } else { t.submit }}
            </Button>
            <p class="muted small">{t.draft_note}</p>
        </form>
    }
}

fn scroll_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Draws the receipt as a PNG: WeChat blocks downloads, but a long-pressed image saves.
fn receipt_image(a: &TipAccepted, lang: Lang) -> Option<String> {
    use crate::image::{Card, INK, LABEL};
    let t = strings(lang).tips();
    let title = if lang == Lang::Zh {
        "执行公开 · 线索举报回执"
    } else {
        "Enforcement portal · tip receipt"
    };
    let height = 560;
    let card = Card::titled(720, height, 88.0, title, "bold 34px sans-serif", 58.0)?;
    let rows = [
        (
            t.tracking_code,
            group_tracking_code(&a.tracking_code),
            "bold 44px monospace",
        ),
        (t.pin, a.pin.clone(), "bold 44px monospace"),
        (
            t.received_at,
            shown_time(&a.received_at, lang),
            "28px sans-serif",
        ),
    ];
    let mut y = 150.0;
    for (label, value, font) in rows {
        card.text(label, 32.0, y, "26px sans-serif", LABEL);
        card.text(&value, 32.0, y + 52.0, font, INK);
        y += 120.0;
    }
    card.text(
        &format!("{} · {}", a.receipt.key_id, &a.receipt.signature[..16]),
        32.0,
        (height - 28) as f64,
        "20px sans-serif",
        LABEL,
    );
    card.png()
}

#[component]
fn Receipt(accepted: TipAccepted) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let last4 = accepted.tracking_code[accepted.tracking_code.len() - 4..].to_owned();
    let typed = RwSignal::new(String::new());
    let confirmed = Memo::new({
        let last4 = last4.clone();
        move |_| typed.get().trim() == last4
    });
    // Leaving before confirming asks first: the code and PIN are shown only once.
    let guard = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if !confirmed.get_untracked() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || guard.remove());
    let image = receipt_image(&accepted, lang);
    view! {
        <h1 tabindex="-1">{t.receipt_heading}</h1>
        <p class="lead">{t.receipt_intro}</p>
        <div class="card receipt" role="status">
            <dl class="facts">
                <div><dt>{t.tracking_code}</dt><dd class="mono big" data-testid="tracking-code">{group_tracking_code(&accepted.tracking_code)}</dd></div>
                <div><dt>{t.pin}</dt><dd class="mono big" data-testid="pin">{accepted.pin.clone()}</dd></div>
                <div><dt>{t.received_at}</dt><dd>{shown_time(&accepted.received_at, lang)}</dd></div>
            </dl>
            <p class="muted">{t.receipt_signed}</p>
        </div>
        {image.map(|src| view! {
            <figure class="receipt__image">
                <img src=src alt=t.receipt_image_alt width="360" height="280"/>
                <figcaption>{t.receipt_save}</figcaption>
            </figure>
        })}
        <div class="field" class:field--invalid=move || { let v = typed.get(); v.len() >= 4 && !confirmed.get() }>
            <label class="field__label" for="receipt-confirm">{t.confirm_label}</label>
            <p class="field__hint" id="receipt-confirm-hint">{t.confirm_hint}</p>
            <input class="field__input" id="receipt-confirm" inputmode="numeric" maxlength="4" autocomplete="off"
                aria-describedby="receipt-confirm-hint receipt-confirm-state"
                prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
            <p id="receipt-confirm-state" aria-live="polite" class=move || if confirmed.get() { "field__ok" } else { "field__error" }>
                {move || { let n = typed.get().len(); if confirmed.get() { t.confirm_ok } else if n >= 4 { t.confirm_wrong } else { "" } }}
            </p>
        </div>
        <Show when=move || confirmed.get()>
            <p><ButtonLink href="/tips/status" block=true>{t.done}</ButtonLink></p>
        </Show>
    }
}

#[component]
pub fn TipStatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let form_error = RwSignal::new(None::<ApiError>);
    let check = Action::new_local(move |r: &TipStatusRequest| {
        let r = r.clone();
        async move { api::tip_status(&r, lang).await }
    });
    // The code and PIN that opened a lead, for adding to it.
    let opened = RwSignal::new(None::<TipStatusRequest>);
    let last_request = StoredValue::new(None::<TipStatusRequest>);
    Effect::new(move |_| match check.value().get() {
        Some(Err(e)) => {
            opened.set(None);
            form_error.set(Some(e));
        }
        Some(Ok(_)) => {
            let request = last_request.get_value();
            if opened.get_untracked() != request {
                opened.set(request);
            }
        }
        None => {}
    });
    let on_submit = Callback::new(move |(tracking_code, pin): (String, String)| {
        let request = TipStatusRequest { tracking_code, pin };
        last_request.set_value(Some(request.clone()));
        check.dispatch(request);
    });
    view! {
        <PageTitle text=t.status_title/>
        <section class="page page--narrow">
            <h1>{t.status_title}</h1>
            <p class="lead">{t.status_intro}</p>
            <CodePinForm code_id="status-code" pin_id="status-pin" code_label=t.tracking_code
                pin_label=t.pin submit_label=t.status_submit pending=check.pending()
                error=form_error on_submit/>
            {move || match check.value().get() {
                Some(Ok(status)) => Some(view! { <Timeline status/> }),
                _ => None,
            }}
            // Rendered once per code and PIN, so its answer stays while the timeline reloads.
            {move || opened.get().map(|request| {
                let again = request.clone();
                view! {
                    <AddForm code=request.tracking_code pin=request.pin
                        on_added=Callback::new(move |_| { check.dispatch(again.clone()); })/>
                }
            })}
        </section>
    }
}

#[component]
fn Timeline(status: TipStatusResponse) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let badge = |s: TipStatus| match s {
        TipStatus::Invalid => "badge badge--plain",
        TipStatus::Valid | TipStatus::Recovered | TipStatus::RewardApproved | TipStatus::Paid => {
            "badge badge--ok"
        }
        _ => "badge badge--info",
    };
    view! {
        <section class="card" aria-labelledby="timeline-heading" role="status">
            <p class="lead">{t.status_now}"："<span class=badge(status.status)>{status.status.label(lang)}</span></p>
            <h2 id="timeline-heading">{t.timeline}</h2>
            <ol class="timeline">
                {status.timeline.into_iter().map(|e| view! {
                    <li class="timeline__step">
                        <span class=badge(e.status)>{e.status.label(lang)}</span>
                        <span class="muted">{shown_time(&e.at, lang)}</span>
                        {e.message.map(|m| view! { <p class="timeline__message">{m}</p> })}
                    </li>
                }).collect_view()}
            </ol>
            {(!status.additions.is_empty()).then(|| view! {
                <h3>{t.additions_heading}</h3>
                <ul class="timeline">
                    {status.additions.into_iter().map(|a| view! {
                        <li class="timeline__step">
                            <span class="muted">{shown_time(&a.at, lang)}</span>
                            " "{(t.addition_files)(a.files)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// An RFC 3339 time as tipsters read it: Beijing time, saying so.
fn shown_time(at: &str, lang: Lang) -> String {
    (strings(lang).tips().beijing_time)(&beijing_time(at))
}

/// More information or files for a lead, sent with its code and PIN; each addition gets its own
/// signed receipt, and a retry of the same filled-in form is stored once.
#[component]
fn AddForm(code: String, pin: String, on_added: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let key = StoredValue::new(draft::new_key("tip"));
    let description = RwSignal::new(String::new());
    let files = RwSignal::new(Vec::<Evidence>::new());
    let description_error = RwSignal::new(None::<Invalid>);
    let uploads_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<TipAdditionAccepted>);
    let send = Action::new_local(move |(key, request): &(String, TipAdditionRequest)| {
        let (key, request) = (key.clone(), request.clone());
        async move { api::add_to_tip(&key, &request, lang).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(answer)) => {
            done.set(Some(answer));
            description.set(String::new());
            files.set(Vec::new());
            key.set_value(draft::new_key("tip"));
            on_added.run(());
        }
        Some(Err(e)) => match e.field() {
            Some("uploads") => uploads_error.set(Some(Invalid::new(
                portal_core::ErrorCode::InvalidValue,
                e.message(lang),
                e.message(lang),
            ))),
            Some(_) => description_error.set(Some(Invalid::new(
                portal_core::ErrorCode::InvalidValue,
                e.message(lang),
                e.message(lang),
            ))),
            None => form_error.set(Some(e)),
        },
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        done.set(None);
        let request = TipAdditionRequest {
            tracking_code: code.clone(),
            pin: pin.clone(),
            description: description.get_untracked(),
            uploads: upload_ids(files),
        };
        let mut problems = match request.validate(MAX_FILES) {
            Ok(_) => Vec::new(),
            Err(e) => e,
        };
        if uploads_busy(files) {
            problems.push(busy_error(lang).at("uploads"));
        }
        let find = |f: &str| {
            problems
                .iter()
                .find(|e| e.field == f)
                .map(|e| e.invalid.clone())
        };
        description_error.set(find("description"));
        uploads_error.set(find("uploads"));
        if !problems.is_empty() {
            focus_first_invalid();
            return;
        }
        send.dispatch((key.get_value(), request));
    };
    view! {
        <form class="card form" novalidate on:submit=submit aria-labelledby="add-heading">
            <h2 id="add-heading">{t.add_heading}</h2>
            <p class="field__hint">{t.add_intro}</p>
            <TextArea id="add-description" label=t.add_description rows=4
                value=description error=description_error/>
            <EvidenceField id="add-files" label=t.files hint=t.files_hint files error=uploads_error max=MAX_FILES/>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            {move || done.get().map(|a| view! {
                <p class="status status--ok" role="status">{(t.add_done)(&shown_time(&a.received_at, lang))}</p>
            })}
            <Button submit=true block=true disabled=send.pending()>
                {move || if send.pending().get() { t.submitting } else { t.add_submit }}
            </Button>
        </form>
    }
}
