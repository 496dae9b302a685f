//! One notice in full (shareable address `/notices/{id}`): every published field, the restriction
//! categories, and what the subject can do.

use crate::router::{use_params_map, A};
use leptos::prelude::*;
use portal_core::{
    api::NoticeDetail,
    notice::{Behaviour, Performance, RestrictionCategory, SubjectType},
};

use crate::{
    api,
    components::{
        badges::{AsOf, ListBadges},
        fetch::Fetch,
        title::PageTitle,
    },
    i18n::use_i18n,
    search::LOOKUP_PATH,
};

#[component]
pub fn Notice() -> impl IntoView {
    let i18n = use_i18n();
    let (t, lang) = (i18n.tr_now().notice(), i18n.lang_now());
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    // `Ok(None)`: no such notice, or it was deleted.
    let notice = LocalResource::new(move || {
        let id = id();
        async move {
            let Some(id) = id else { return Ok(None) };
            match api::notice(id, lang).await {
                Err(e) if e.status() == Some(404) => Ok(None),
                answer => answer.map(Some),
            }
        }
    });
    view! {
        <PageTitle text=t.title/>
        <section class="page">
            <p><A href=LOOKUP_PATH class="back-link">{format!("← {}", t.back_to_lookup)}</A></p>
            <Fetch resource=notice let:notice>
                {match notice {
                    Some(n) => view! { <Detail notice=n/> }.into_any(),
                    None => view! { <Gone/> }.into_any(),
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn Gone() -> impl IntoView {
    let t = use_i18n().tr_now().notice();
    view! {
        <h1>{t.title}</h1>
        <p class="empty" role="status">{t.not_found}</p>
    }
}

/// One row of the field list; skipped when the value is empty.
fn row(label: &'static str, value: String) -> impl IntoView {
    (!value.is_empty()).then(|| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
}

#[component]
fn Detail(notice: NoticeDetail) -> impl IntoView {
    let i18n = use_i18n();
    let (tr, lang) = (i18n.tr_now(), i18n.lang_now());
    let t = tr.notice();
    let kind = SubjectType::parse(&notice.subject_type);
    let is_org = kind == Some(SubjectType::Organization);
    let n = notice.clone();
    let fields = {
        let sex = n
            .sex
            .as_deref()
            .map(|s| {
                if s == "male" {
                    t.sex_male
                } else {
                    t.sex_female
                }
            })
            .unwrap_or("");
        view! {
            <dl class="fields">
                {row(t.f_name, n.name.clone())}
                {row(t.f_type, kind.map(|k| k.label(lang).to_owned()).unwrap_or_default())}
                {row(tr.lookup().id_label, n.masked_id.clone())}
                {row(t.f_sex, sex.to_owned())}
                {row(t.f_age, n.age.map(|a| (t.age_years)(a)).unwrap_or_default())}
                {row(t.f_legal_rep, n.legal_representative.clone().unwrap_or_default())}
                {row(t.f_case, n.case_number.clone())}
                {row(t.f_court, n.court.clone())}
                {row(t.f_filed, n.filed_on.clone())}
                {row(t.f_basis_number, n.basis_number.clone())}
                {row(t.f_basis_issuer, n.basis_issuer.clone())}
                {row(t.f_obligation, n.obligation.clone())}
                {row(t.f_performance, Performance::parse(&n.performance).map(|p| p.label(lang).to_owned()).unwrap_or_default())}
                {row(t.f_behaviour, n.behaviour.as_deref().and_then(Behaviour::parse).map(|b| b.label(lang).to_owned()).unwrap_or_default())}
                {row(t.f_published, n.published_on.clone())}
            </dl>
        }
    };
    let restrictions = notice.restrictions.clone();
    view! {
        <h1 class="detail__title">{notice.name.clone()}</h1>
        <ListBadges lists=notice.lists.clone()/>
        <AsOf as_of=notice.as_of.clone()/>
        <div class="card">{fields}</div>
        {(!restrictions.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="restrictions-heading">
                <h2 id="restrictions-heading">{t.restrictions_heading}</h2>
                <p>{t.restrictions_intro}</p>
                <ol class="restrictions">
                    {restrictions.iter().filter_map(|r| RestrictionCategory::parse(r)).map(|c| view! {
                        <li>{c.label(lang)}</li>
                    }).collect_view()}
                </ol>
                {is_org.then(|| view! { <p class="notice notice--warn">{t.restrictions_org_note}</p> })}
            </section>
        })}
        <section class="card card--help" aria-labelledby="if-you-heading">
            <h2 id="if-you-heading">{t.if_you_heading}</h2>
            <ul class="checklist">
                <li>{t.if_you_perform}</li>
                <li>{t.if_you_delete}</li>
                <li>{t.if_you_correct}</li>
                <li>{t.if_you_review}</li>
            </ul>
            <p class="muted">{format!("{}：{}", t.f_court, notice.court)}</p>
        </section>
    }
}
