//! Reward notices: the list with its filters (kept in the address, so a filtered list can be
//! shared and the back button works) and one notice in full with the way to report a lead.

use crate::router::{use_navigate, use_params_map, use_query_map, A};
use leptos::prelude::*;
use portal_core::{
    numbers::group_digits,
    region::PROVINCES,
    reward::{RewardDetail, RewardStatus, RewardSummary, RewardsResponse},
    tip::TipKind,
    Lang,
};

use crate::{
    api,
    components::{
        badges::AsOf,
        button::{Button, ButtonLink, ButtonVariant},
        fetch::Fetch,
        field::SelectField,
        title::PageTitle,
    },
    i18n::tips::TipsTr,
    i18n::{strings, use_i18n},
    search::encode_query,
};

/// The filters the list understands, in the order they appear in the address.
const FILTERS: &[&str] = &["province", "kind", "min_amount", "sort", "page"];
/// Reward floors offered in the filter, in yuan.
const FLOORS: &[i64] = &[10_000, 50_000, 100_000, 200_000];

/// "悬赏 50,000 元" or "执行到位金额的 10%，最高 200,000 元".
fn amount_text(t: &TipsTr, r: &RewardSummary) -> String {
    match (r.amount, r.formula) {
        (Some(a), _) => (t.amount_fixed)(&group_digits(a)),
        (None, Some(f)) => (t.amount_formula)(f.percent, &group_digits(f.cap)),
        _ => String::new(),
    }
}

fn status_badge(status: RewardStatus, lang: Lang) -> impl IntoView {
    let class = match status {
        RewardStatus::Active => "badge badge--ok",
        RewardStatus::Fulfilled => "badge badge--info",
        _ => "badge badge--plain",
    };
    view! { <span class=class>{status.label(lang)}</span> }
}

fn kinds_text(kinds: &[TipKind], lang: Lang) -> String {
    kinds
        .iter()
        .map(|k| k.label(lang))
        .collect::<Vec<_>>()
        .join(if lang == Lang::Zh { "、" } else { ", " })
}

#[component]
pub fn Rewards() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let query = use_query_map();
    let api_query = move || {
        let q = query.read();
        FILTERS
            .iter()
            .filter_map(|f| {
                q.get(f)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{f}={}", encode_query(&v)))
            })
            .collect::<Vec<_>>()
            .join("&")
    };
    let list = LocalResource::new(move || {
        let q = api_query();
        async move { api::rewards(&q, lang).await }
    });
    view! {
        <PageTitle text=i18n.tr_now().chrome().nav_rewards/>
        <section class="page">
            <h1>{t.rewards_title}</h1>
            <p class="lead">{t.rewards_intro}</p>
            <p><ButtonLink href="/tips/status" variant=ButtonVariant::Secondary>{t.status_link}</ButtonLink></p>
            <Filters/>
            <Fetch resource=list keep_previous=true let:found>
                <RewardList found/>
            </Fetch>
        </section>
    }
}

/// The filter form. The address is the single source of the list's state: the choices follow it
/// (the back button included), and applying them writes it.
#[component]
fn Filters() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let query = use_query_map();
    let navigate = use_navigate();
    // The list's own order is the first choice, so an untouched form says so in the address too.
    let chosen = move |f: &str| {
        query
            .read()
            .get(f)
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| if f == "sort" { "deadline" } else { "" }.to_owned())
    };
    let [province, kind, min_amount, sort] =
        ["province", "kind", "min_amount", "sort"].map(|f| RwSignal::new(untrack(|| chosen(f))));
    Effect::new(move |_| {
        for (f, value) in FILTERS.iter().zip([province, kind, min_amount, sort]) {
            value.set(chosen(f));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parts: Vec<String> = FILTERS
            .iter()
            .zip([province, kind, min_amount, sort])
            .map(|(f, value)| (f, value.get_untracked()))
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| format!("{f}={}", encode_query(&v)))
            .collect();
        navigate(&format!("/rewards?{}", parts.join("&")), Default::default());
    };
    let provinces = PROVINCES
        .iter()
        .map(|p| (p.code.to_owned(), p.name(lang).to_owned()))
        .collect();
    let kinds = TipKind::ALL
        .iter()
        .filter(|k| **k != TipKind::Other)
        .map(|k| (k.as_str().to_owned(), k.label(lang).to_owned()))
        .collect();
    let floors = FLOORS
        .iter()
        .map(|f| (f.to_string(), format!("¥{}", group_digits(*f))))
        .collect();
    let orders = [
        ("deadline", t.sort_deadline),
        ("amount", t.sort_amount),
        ("newest", t.sort_newest),
    ]
    .map(|(v, label)| (v.to_owned(), label.to_owned()))
    .to_vec();
    view! {
        <form class="card filters" role="search" aria-label=t.filters_label on:submit=submit>
            <div class="filters__grid">
                <SelectField id="f-province" label=t.filter_province placeholder=t.any options=provinces value=province/>
                <SelectField id="f-kind" label=t.filter_kind placeholder=t.any options=kinds value=kind/>
                <SelectField id="f-min" label=t.filter_min_amount placeholder=t.any options=floors value=min_amount/>
                <SelectField id="f-sort" label=t.filter_sort options=orders value=sort/>
            </div>
            <Button submit=true>{t.filter_apply}</Button>
        </form>
    }
}

#[component]
fn RewardList(found: RewardsResponse) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let query = use_query_map();
    if found.rewards.is_empty() {
        return view! {
            <div class="empty" role="status">
                <p class="empty__title">{t.rewards_empty}</p>
                <AsOf as_of=found.as_of.clone()/>
            </div>
        }
        .into_any();
    }
    let pages = found.total.div_ceil(found.page_size).max(1);
    let page = found.page;
    let page_link = move |p: u32| {
        let q = query.read();
        let mut parts: Vec<String> = FILTERS[..4]
            .iter()
            .filter_map(|f| {
                q.get(f)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{f}={}", encode_query(&v)))
            })
            .collect();
        if p > 1 {
            parts.push(format!("page={p}"));
        }
        format!("/rewards?{}", parts.join("&"))
    };
    view! {
        <p class="results__count" role="status">{(t.rewards_count)(found.total)}</p>
        <AsOf as_of=found.as_of.clone()/>
        <ol class="rewards">
            {found.rewards.into_iter().map(|r| view! { <li><RewardCard reward=r/></li> }).collect_view()}
        </ol>
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t.page_nav_label>
                {(page > 1).then(|| view! {
                    <ButtonLink href=page_link(page - 1) variant=ButtonVariant::Secondary>{t.page_prev}</ButtonLink>
                })}
                <span class="pager__where">{format!("{page} / {pages}")}</span>
                {(page < pages).then(|| view! {
                    <ButtonLink href=page_link(page + 1) variant=ButtonVariant::Secondary>{t.page_next}</ButtonLink>
                })}
            </nav>
        })}
    }
    .into_any()
}

#[component]
fn RewardCard(reward: RewardSummary) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let amount = amount_text(t, &reward);
    view! {
        <article class="reward">
            <header class="reward__head">
                <h2 class="reward__amount">
                    <A href=format!("/rewards/{}", reward.id)>{amount}</A>
                </h2>
                {status_badge(reward.status, lang)}
            </header>
            <p class="reward__subject"><strong>{reward.subject_name.clone()}</strong>" "<span class="mono muted">{reward.masked_id.clone()}</span></p>
            <dl class="facts facts--compact">
                <div><dt>{t.sought}</dt><dd>{kinds_text(&reward.asset_kinds, lang)}</dd></div>
                <div><dt>{t.deadline}</dt><dd>{reward.deadline.clone()}</dd></div>
                <div><dt>{t.court}</dt><dd>{reward.court.clone()}</dd></div>
            </dl>
            {reward.insured.then(|| view! { <span class="badge badge--ok">{t.insured}</span> })}
        </article>
    }
}

#[component]
pub fn Reward() -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    // `Ok(None)`: no such reward notice.
    let detail = LocalResource::new(move || {
        let id = id();
        async move {
            let Some(id) = id else { return Ok(None) };
            match api::reward(id, lang).await {
                Err(e) if e.status() == Some(404) => Ok(None),
                answer => answer.map(Some),
            }
        }
    });
    view! {
        <PageTitle text=t.rewards_title/>
        <section class="page">
            <p><A href="/rewards">{"← "}{t.back_to_list}</A></p>
            <Fetch resource=detail let:reward>
                {match reward {
                    Some(reward) => view! { <RewardView reward/> }.into_any(),
                    None => view! { <p class="status status--error" role="alert">{t.not_found}</p> }.into_any(),
                }}
            </Fetch>
        </section>
    }
}

#[component]
fn RewardView(reward: RewardDetail) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).tips();
    let s = reward.summary.clone();
    let open = s.status == RewardStatus::Active;
    let amount = amount_text(t, &s);
    view! {
        <header class="reward__head">
            <h1>{amount}</h1>
            {status_badge(s.status, lang)}
        </header>
        <AsOf as_of=reward.as_of.clone()/>
        <div class="card">
            <dl class="facts">
                <div><dt>{t.subject}</dt><dd>{s.subject_name.clone()}</dd></div>
                <div><dt>{t.masked_id}</dt><dd class="mono">{s.masked_id.clone()}</dd></div>
                <div><dt>{t.case_number}</dt><dd>{s.case_number.clone()}</dd></div>
                <div><dt>{t.court}</dt><dd>{s.court.clone()}</dd></div>
                <div><dt>{t.sought}</dt><dd>{kinds_text(&s.asset_kinds, lang)}</dd></div>
                <div><dt>{t.conditions}</dt><dd>{reward.conditions.clone()}</dd></div>
                <div><dt>{t.deadline}</dt><dd>{s.deadline.clone()}</dd></div>
                <div><dt>{t.published}</dt><dd>{reward.published_on.clone()}</dd></div>
                {s.insurer.clone().map(|i| view! { <div><dt>{t.insurer}</dt><dd>{i}</dd></div> })}
                <div><dt>{t.contact}</dt><dd>{reward.contact.clone()}</dd></div>
            </dl>
            {reward.notice_id.map(|n| view! { <p><A href=format!("/notices/{n}")>{t.view_notice}</A></p> })}
        </div>
        <section class="card card--help" aria-labelledby="legal-heading">
            <h2 id="legal-heading">{t.legal_heading}</h2>
            <ul class="checklist">
                {t.legal_points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}
            </ul>
        </section>
        {if open {
            view! {
                <p><ButtonLink href=format!("/tips/new?reward={}", s.id) block=true>{t.report}</ButtonLink></p>
            }.into_any()
        } else {
            view! { <p class="notice notice--warn">{t.closed_note}</p> }.into_any()
        }}
    }
}
