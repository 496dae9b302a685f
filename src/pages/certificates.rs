//! Certificates of self-performance: what they are, the application, and the applicant's page
//! with the certificate (its facts read from the signed payload itself, a long-press image with
//! the QR code, print) and the list of who verified it.

use crate::router::use_query_map;
use leptos::prelude::*;
use portal_core::{
    certificate::{
        base64url_decode, ApplicationAccepted, ApplicationRequest, ApplicationState,
        ApplicationStatusRequest, CertificatePayload, CertificateRecord, CreditorRequest,
        QrModules, Stage,
    },
    time::{beijing_time, court_today, ymd},
    tracking::group_tracking_code,
    Invalid, Lang,
};

use crate::{
    api::{self, ApiError},
    components::{
        button::{Button, ButtonLink},
        code_pin::CodePinForm,
        field::{focus_first_invalid, show_errors, CheckField, SelectField, TextField},
        status::ErrorNotice,
        title::PageTitle,
    },
    i18n::{strings, use_i18n},
};

#[component]
pub fn Certificates() -> impl IntoView {
    let tr = strings(use_i18n().lang_now());
    let t = tr.certificates();
    view! {
        <PageTitle text=tr.chrome().nav_certificates/>
        <section class="page page--narrow">
            <h1>{t.title}</h1>
            <p class="lead">{t.intro}</p>
            <ul class="points">
                {t.points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
            </ul>
            <p><ButtonLink href="/certificates/apply" block=true>{t.apply_link}</ButtonLink></p>
            <p><a href="/certificates/status">{t.status_link}</a></p>
            <p><a href="/certificates/verify" rel="external">{t.verify_link}</a></p>
            <p><a href="/certificates/confirm">{t.confirm_title}</a></p>
        </section>
    }
}

#[component]
pub fn CertificateApply() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).certificates();
    // The parties' desk links here prefilled: `?case=…&name=…&stage=…&amount=…` (never the ID
    // number, which stays out of addresses).
    let query = use_query_map();
    let given = |key: &str| query.read_untracked().get(key).unwrap_or_default();
    let case_number = RwSignal::new(given("case"));
    let name = RwSignal::new(given("name"));
    let id_number = RwSignal::new(String::new());
    let stage = RwSignal::new(
        Stage::parse(&given("stage"))
            .unwrap_or(Stage::DuringEnforcement)
            .as_str()
            .to_owned(),
    );
    let amount = RwSignal::new(given("amount"));
    let performed_on = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let fields: Vec<(&'static str, RwSignal<Option<Invalid>>)> = [
        "case_number",
        "name",
        "id_number",
        "stage",
        "amount",
        "performed_on",
        "phone",
        "honour_consent",
    ]
    .into_iter()
    .map(|f| (f, RwSignal::new(None)))
    .collect();
    let error = {
        let fields = fields.clone();
        move |f: &str| {
            fields
                .iter()
                .find(|(name, _)| *name == f)
                .map(|(_, s)| *s)
                .expect("a known field")
        }
    };
    let form_error = RwSignal::new(None::<ApiError>);
    let accepted = RwSignal::new(None::<ApplicationAccepted>);
    let send = Action::new_local(move |r: &ApplicationRequest| {
        let r = r.clone();
        async move { api::apply_for_certificate(&r, lang).await }
    });
    {
        let fields = fields.clone();
        Effect::new(move |_| match send.value().get() {
            Some(Ok(answer)) => {
                accepted.set(Some(answer));
                if let Some(w) = web_sys::window() {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
            }
            Some(Err(e)) => match e.field().map(str::to_owned) {
                Some(field) => {
                    let message = e.message(lang);
                    show_errors(
                        &[Invalid::new(
                            portal_core::ErrorCode::InvalidValue,
                            message.clone(),
                            message,
                        )
                        .at(field)],
                        &fields,
                    );
                    focus_first_invalid();
                }
                None => form_error.set(Some(e)),
            },
            None => {}
        });
    }
    let submit = {
        let fields = fields.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            form_error.set(None);
            let request = ApplicationRequest {
                case_number: case_number.get_untracked(),
                name: name.get_untracked(),
                id_number: id_number.get_untracked(),
                stage: stage.get_untracked(),
                amount: amount.get_untracked(),
                performed_on: performed_on.get_untracked(),
                phone: phone.get_untracked(),
                honour_consent: consent.get_untracked(),
            };
            match request.validate_on(court_today()) {
                Ok(_) => {
                    show_errors(&[], &fields);
                    send.dispatch(request);
                }
                Err(errors) => {
                    show_errors(&errors, &fields);
                    focus_first_invalid();
                }
            }
        }
    };
    let stages: Vec<(String, String)> = Stage::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), s.label(lang).to_owned()))
        .collect();
    view! {
        <PageTitle text=t.apply_title/>
        <section class="page page--narrow">
            <Show when=move || accepted.get().is_none() fallback=move || view! {
                <Accepted accepted=accepted.get().expect("shown when set")/>
            }>
                <h1>{t.apply_title}</h1>
                <p class="lead">{t.apply_intro}</p>
                <form class="card form" novalidate on:submit=submit.clone()>
                    <TextField id="cert-case" label=t.case_number hint=t.case_number_hint value=case_number error=error("case_number") required=true/>
                    <TextField id="cert-name" label=t.name value=name error=error("name") required=true autocomplete="name"/>
                    <TextField id="cert-id" label=t.id_number hint=t.id_number_hint value=id_number error=error("id_number") required=true/>
                    <SelectField id="cert-stage" label=t.stage placeholder=t.stage_choose options=stages.clone() value=stage error=error("stage") required=true/>
                    <TextField id="cert-amount" label=t.amount hint=t.amount_hint value=amount error=error("amount") required=true/>
                    <TextField id="cert-date" label=t.performed_on input_type="date" max=ymd(court_today()) value=performed_on error=error("performed_on") required=true/>
                    <TextField id="cert-phone" label=t.phone hint=t.phone_hint input_type="tel" autocomplete="tel" value=phone error=error("phone") required=true/>
                    <CheckField id="cert-consent" label=t.honour_consent checked=consent error=error("honour_consent")/>
                    {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
                    <Button submit=true block=true disabled=send.pending()>
                        {move || if send.pending().get() { t.submitting } else { t.submit }}
                    </Button>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn Accepted(accepted: ApplicationAccepted) -> impl IntoView {
    let t = strings(use_i18n().lang_now()).certificates();
    view! {
        <h1 tabindex="-1">{t.accepted_heading}</h1>
        <p class="lead">{t.accepted_intro}</p>
        <div class="card receipt" role="status">
            <dl class="facts">
                <div><dt>{t.application_code}</dt><dd class="mono big" data-testid="application-code">{group_tracking_code(&accepted.application_code)}</dd></div>
                <div><dt>{t.pin}</dt><dd class="mono big" data-testid="application-pin">{accepted.pin.clone()}</dd></div>
            </dl>
        </div>
        {(!accepted.creditor_code.is_empty()).then(|| view! {
            <div class="card">
                <dl class="facts">
                    <div><dt>{t.creditor_code}</dt><dd class="mono big" data-testid="creditor-code">{group_tracking_code(&accepted.creditor_code)}</dd></div>
                </dl>
                <p>{(t.creditor_hint)(&accepted.creditor_deadline)}</p>
            </div>
        })}
        <p><ButtonLink href="/certificates/status" block=true>{t.accepted_next}</ButtonLink></p>
    }
}

#[component]
pub fn CertificateStatusPage() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).certificates();
    let form_error = RwSignal::new(None::<ApiError>);
    let check = Action::new_local(move |r: &ApplicationStatusRequest| {
        let r = r.clone();
        async move { api::certificate_application(&r, lang).await }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = check.value().get() {
            form_error.set(Some(e));
        }
    });
    let on_submit = Callback::new(move |(application_code, pin): (String, String)| {
        check.dispatch(ApplicationStatusRequest {
            application_code,
            pin,
        });
    });
    view! {
        <PageTitle text=t.status_title/>
        <section class="page page--narrow">
            <h1>{t.status_title}</h1>
            <p class="lead">{t.status_intro}</p>
            <CodePinForm code_id="cert-code" pin_id="cert-pin" code_label=t.application_code
                pin_label=t.pin submit_label=t.status_submit pending=check.pending()
                error=form_error on_submit class="no-print"/>
            {move || match check.value().get() {
                Some(Ok(state)) => Some(view! { <Application state/> }),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn Application(state: ApplicationState) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).certificates();
    let status = serde_json::to_value(state.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let badge = if status == "issued" {
        "badge badge--ok"
    } else {
        "badge badge--info"
    };
    view! {
        <section class="card no-print" role="status">
            <p class="lead">{t.status}{t.colon}<span class=badge>{(t.application_status)(&status)}</span></p>
            {state.reason.clone().map(|r| view! { <p><strong>{t.refused_reason}{t.colon}</strong>{r}</p> })}
            {(status == "pending").then(|| view! { <p class="muted">{t.pending_note}</p> })}
        </section>
        {state.certificates.into_iter().map(|c| view! { <Certificate record=c/> }).collect_view()}
        {(status == "issued").then(|| view! {
            <section class="card no-print" aria-labelledby="verified-heading">
                <h2 id="verified-heading">{t.verifications_heading}</h2>
                <p class="muted small">{t.verifications_intro}</p>
                {if state.verifications.is_empty() {
                    view! { <p class="muted">{t.verifications_empty}</p> }.into_any()
                } else {
                    view! {
                        <ol class="timeline">
                            {state.verifications.iter().map(|v| view! {
                                <li class="timeline__step">
                                    <span class="muted">{beijing_time(&v.at)}</span>
                                    " "{v.partner.clone().map(|p| format!("{p} · ")).unwrap_or_default()}{(t.channel)(&v.channel)}
                                    <span class="muted small">" · "{v.number.clone()}</span>
                                </li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
            </section>
        })}
    }
}

#[component]
fn Certificate(record: CertificateRecord) -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).certificates();
    let Some(payload) =
        base64url_decode(&record.payload).and_then(|b| CertificatePayload::from_bytes(&b).ok())
    else {
        return view! { <p class="status status--error" role="alert">{t.unreadable}</p> }
            .into_any();
    };
    let status = serde_json::to_value(record.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let valid = status == "valid";
    let own = valid;
    let number = record.number.clone();
    let name = payload.name.clone();
    let qr = LocalResource::new(move || {
        let (number, name) = (number.clone(), name.clone());
        async move {
            if own {
                api::certificate_qr(&number, &name, lang).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let facts = vec![
        (t.number, record.number.clone()),
        (t.name, payload.name.clone()),
        (t.id_number, payload.subject.shown()),
        (t.case_number, payload.case_number.clone()),
        (t.stage, payload.stage.label(lang).to_owned()),
        (t.amount, payload.amount_shown()),
        (t.performed_on, ymd(payload.performed_on)),
        (t.court, record.court.clone()),
        (t.issued_at, beijing_time(&record.issued_at)),
    ];
    // The image has a narrow label column: the ID's label is the short one.
    let image_facts: Vec<(&str, String)> = facts
        .iter()
        .map(|(label, value)| {
            let label = if *label == t.id_number {
                t.image_id
            } else {
                *label
            };
            (label, value.clone())
        })
        .collect();
    view! {
        <article class="card certificate" aria-labelledby=format!("cert-{}", record.number)>
            <h2 id=format!("cert-{}", record.number)>{t.certificate_heading}</h2>
            <p>
                {t.status}{t.colon}
                <span class=if valid { "badge badge--ok" } else { "badge badge--plain" }>{(t.certificate_status)(&status)}</span>
                {record.superseded_by.clone().map(|n| view! { " "{t.superseded_by}" "<strong>{n}</strong> })}
            </p>
            {record.reason.clone().map(|r| view! { <p><strong>{t.reason}{t.colon}</strong>{r}</p> })}
            <dl class="facts">
                {facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
            {move || qr.get().and_then(|r| r.ok()).flatten().map(|qr| {
                let image = certificate_image(&image_facts, &qr, lang);
                view! {
                    {image.map(|src| view! {
                        <figure class="receipt__image">
                            <img src=src alt=t.image_alt width="360" data-testid="certificate-image"/>
                            <figcaption class="no-print">{t.image_save}</figcaption>
                        </figure>
                    })}
                }
            })}
            {own.then(|| view! {
                <p class="no-print">
                    <Button on_click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{t.print}</Button>
                </p>
            })}
        </article>
    }
    .into_any()
}

/// The certificate as one PNG (facts and QR code) for long-press saving: WeChat blocks downloads.
fn certificate_image(facts: &[(&str, String)], qr: &QrModules, lang: Lang) -> Option<String> {
    use crate::image::{Card, INK, LABEL};
    let t = strings(lang).certificates();
    // The QR code with its quiet zone, 4 modules wide, at whole pixels per module.
    let modules = qr.width + 8;
    let scale = (340 / modules).max(2) as f64;
    let size = scale * modules as f64;
    let facts_end = 140.0 + 44.0 * facts.len() as f64;
    let height = (facts_end + size + 80.0) as u32;
    let card = Card::titled(
        720,
        height,
        96.0,
        t.image_title,
        "bold 36px sans-serif",
        62.0,
    )?;
    // Values start after the widest label.
    card.ctx.set_font("22px sans-serif");
    let label_width = facts
        .iter()
        .filter_map(|(label, _)| card.ctx.measure_text(label).ok().map(|m| m.width()))
        .fold(0.0, f64::max);
    let value_x = (32.0 + label_width + 24.0).min(360.0);
    let mut y = 140.0;
    for (label, value) in facts {
        card.text(label, 32.0, y, "22px sans-serif", LABEL);
        card.text(value, value_x, y, "bold 26px sans-serif", INK);
        y += 44.0;
    }
    let (x0, y0) = ((card.width - size) / 2.0, y + 8.0);
    card.ctx.set_fill_style_str("#000000");
    for (i, m) in qr.modules.bytes().enumerate() {
        if m == b'1' {
            let (row, col) = (i / qr.width, i % qr.width);
            card.ctx.fill_rect(
                x0 + (col + 4) as f64 * scale,
                y0 + (row + 4) as f64 * scale,
                scale,
                scale,
            );
        }
    }
    card.text(
        t.image_footer,
        32.0,
        y0 + size + 36.0,
        "22px sans-serif",
        LABEL,
    );
    card.png()
}

/// The creditor (申请执行人) confirms or disputes what a debtor says was performed.
#[component]
pub fn CreditorConfirm() -> impl IntoView {
    let lang = use_i18n().lang_now();
    let t = strings(lang).certificates();
    let code = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let code_error = RwSignal::new(None::<Invalid>);
    let note_error = RwSignal::new(None::<Invalid>);
    let form_error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let lookup = Action::new_local(move |c: &String| {
        let request = CreditorRequest {
            creditor_code: c.clone(),
            ..Default::default()
        };
        async move { api::creditor_lookup(&request, lang).await }
    });
    let answer = Action::new_local(move |r: &CreditorRequest| {
        let r = r.clone();
        async move { api::creditor_answer(&r, lang).await }
    });
    let field_error = move |e: &ApiError| {
        Some(Invalid::new(
            portal_core::ErrorCode::InvalidValue,
            e.message(lang),
            e.message(lang),
        ))
    };
    Effect::new(move |_| {
        if let Some(Err(e)) = lookup.value().get() {
            match e.field() {
                Some(_) => code_error.set(field_error(&e)),
                None => form_error.set(Some(e)),
            }
        }
    });
    Effect::new(move |_| match answer.value().get() {
        Some(Ok(())) => done.set(true),
        Some(Err(e)) => match e.field() {
            Some("note") => note_error.set(field_error(&e)),
            _ => form_error.set(Some(e)),
        },
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form_error.set(None);
        done.set(false);
        let request = CreditorRequest {
            creditor_code: code.get_untracked(),
            ..Default::default()
        };
        match request.code() {
            Ok(c) => {
                code_error.set(None);
                lookup.dispatch(c);
            }
            Err(errors) => {
                code_error.set(errors.into_iter().next().map(|e| e.invalid));
                focus_first_invalid();
            }
        }
    };
    let send = move |choice: &'static str| {
        form_error.set(None);
        let request = CreditorRequest {
            creditor_code: code.get_untracked(),
            answer: choice.to_owned(),
            note: Some(note.get_untracked()),
        };
        match request.validate() {
            Ok(_) => {
                note_error.set(None);
                answer.dispatch(request);
            }
            Err(errors) => {
                note_error.set(
                    errors
                        .into_iter()
                        .find(|e| e.field == "note")
                        .map(|e| e.invalid),
                );
                focus_first_invalid();
            }
        }
    };
    view! {
        <PageTitle text=t.confirm_title/>
        <section class="page page--narrow">
            <h1>{t.confirm_title}</h1>
            <p class="lead">{t.confirm_intro}</p>
            <form class="card form" novalidate on:submit=submit>
                <TextField id="creditor-code" label=t.creditor_code value=code error=code_error required=true/>
                <Button submit=true block=true disabled=lookup.pending()>{t.confirm_lookup}</Button>
            </form>
            {move || form_error.get().map(|e| view! { <ErrorNotice error=e/> })}
            {move || match lookup.value().get() {
                Some(Ok(view)) => {
                    let already = view.answer.map(|a| {
                        serde_json::to_value(a).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
                    });
                    Some(view! {
                        <section class="card" aria-labelledby="creditor-heading">
                            <h2 id="creditor-heading">{t.confirm_question}</h2>
                            <dl class="facts">
                                <div><dt>{t.case_number}</dt><dd>{view.case_number.clone()}</dd></div>
                                <div><dt>{t.name}</dt><dd>{view.name.clone()}</dd></div>
                                <div><dt>{t.stage}</dt><dd>{view.stage.label(lang)}</dd></div>
                                <div><dt>{t.amount}</dt><dd>{view.amount.clone()}</dd></div>
                                <div><dt>{t.performed_on}</dt><dd>{view.performed_on.clone()}</dd></div>
                                <div><dt>{t.enforcing_court}</dt><dd>{view.court.clone()}</dd></div>
                                <div><dt>{t.confirm_deadline}</dt><dd>{view.deadline.clone()}</dd></div>
                            </dl>
                            {match already {
                                Some(a) => view! { <p class="status status--ok" role="status">{(t.confirm_already)(&a)}</p> }.into_any(),
                                None => view! {
                                    <Show when=move || !done.get() fallback=move || view! {
                                        <p class="status status--ok" role="status">{t.confirm_done}</p>
                                    }>
                                        <p><Button block=true disabled=answer.pending() on_click=move |_| send("confirmed")>{t.confirm_yes}</Button></p>
                                        <crate::components::field::TextArea id="creditor-note" label=t.confirm_note rows=3 value=note error=note_error/>
                                        <p><Button variant=crate::components::button::ButtonVariant::Secondary block=true disabled=answer.pending()
                                            on_click=move |_| send("disputed")>{t.confirm_dispute}</Button></p>
                                    </Show>
                                }.into_any(),
                            }}
                        </section>
                    })
                }
                _ => None,
            }}
        </section>
    }
}
