//! Evidence files for a form: chosen on the phone, each uploaded at once over tus and resumable
//! where it broke (see [`crate::upload`]), with its progress, a retry after a failure and a way to
//! remove it. The tip form and the parties' declaration and request forms share it.

use std::collections::HashMap;

use leptos::prelude::*;
use portal_core::Invalid;
use serde::{Deserialize, Serialize};

use crate::{
    components::{
        button::{Button, ButtonSize, ButtonVariant},
        field::{described_by, invalid, Field},
    },
    i18n::{strings, use_i18n},
    upload,
};

/// Evidence files per form, as the server allows by default (the same for every form).
pub const MAX_FILES: usize = 10;

/// A file chosen for a form and how far its upload has got. Drafts keep the finished ones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Local number, to find the chosen `File` again for a retry.
    n: u32,
    name: String,
    /// The server's upload id once finished.
    upload_id: Option<String>,
    /// Percent sent while uploading.
    #[serde(skip)]
    progress: Option<u32>,
    #[serde(skip)]
    failed: bool,
}

/// The files a draft kept: only finished uploads come back after a reload, since the browser
/// cannot hand the files themselves back.
pub fn restored(files: Vec<Evidence>) -> Vec<Evidence> {
    files
        .into_iter()
        .filter(|f| f.upload_id.is_some())
        .collect()
}

/// Evidence files: chosen on the phone, each uploaded at once and resumable where it broke, with
/// its progress, a retry after a failure and a way to remove it. `files` holds what the form
/// submits (finished uploads have an id).
#[component]
pub fn EvidenceField(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    files: RwSignal<Vec<Evidence>>,
    error: RwSignal<Option<Invalid>>,
    /// Files that may be added in all.
    max: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang_now();
    let t = strings(lang).shell();
    let chosen = StoredValue::new_local(HashMap::<u32, web_sys::File>::new());
    let start_upload = move |n: u32| {
        let Some(file) = chosen.with_value(|c| c.get(&n).cloned()) else {
            return;
        };
        let set = move |f: &dyn Fn(&mut Evidence)| {
            files.update(|all| {
                if let Some(e) = all.iter_mut().find(|e| e.n == n) {
                    f(e);
                }
            })
        };
        set(&|e| {
            e.failed = false;
            e.progress = Some(0);
        });
        leptos::task::spawn_local(async move {
            let result = upload::upload(&file, lang, move |p| {
                set(&|e| e.progress = Some((p * 100.0).round() as u32));
            })
            .await;
            match result {
                Ok(id) => set(&|e| {
                    e.upload_id = Some(id.clone());
                    e.progress = None;
                }),
                Err(err) => {
                    set(&|e| {
                        e.failed = true;
                        e.progress = None;
                    });
                    error.set(Some(Invalid::new(
                        portal_core::ErrorCode::InvalidValue,
                        err.message(lang),
                        err.message(lang),
                    )));
                }
            }
        });
    };
    let on_files = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        error.set(None);
        for i in 0..list.length() {
            if files.with_untracked(|f| f.len()) >= max {
                break;
            }
            if let Some(file) = list.get(i) {
                let n = files.with_untracked(|f| f.iter().map(|e| e.n).max().unwrap_or(0)) + 1;
                files.update(|f| {
                    f.push(Evidence {
                        n,
                        name: file.name(),
                        upload_id: None,
                        progress: Some(0),
                        failed: false,
                    })
                });
                chosen.update_value(|c| {
                    c.insert(n, file);
                });
                start_upload(n);
            }
        }
        input.set_value("");
    };
    view! {
        <Field id=id label=label hint=hint error=error>
            <input class="field__input" id=id type="file" multiple=true
                accept="image/*,application/pdf,video/mp4"
                aria-invalid=invalid(error)
                aria-describedby=described_by(id, true, error)
                on:change=on_files/>
            <ul class="uploads" aria-live="polite">
                {move || files.get().into_iter().map(|f| {
                    let n = f.n;
                    let state = match (&f.upload_id, f.progress, f.failed) {
                        (Some(_), _, _) => t.file_done.to_owned(),
                        (None, _, true) => t.file_failed.to_owned(),
                        (None, Some(p), _) => (t.file_uploading)(p),
                        (None, None, false) => String::new(),
                    };
                    view! {
                        <li class="upload">
                            <span class="upload__name">{f.name.clone()}</span>
                            {f.progress.map(|p| view! { <progress class="upload__bar" max="100" value=p aria-label=f.name.clone()></progress> })}
                            <span class="upload__state">{state}</span>
                            {f.failed.then(|| view! {
                                <Button variant=ButtonVariant::Secondary size=ButtonSize::Small
                                    on_click=move |_| start_upload(n)>{t.file_retry}</Button>
                            })}
                            <Button variant=ButtonVariant::Secondary size=ButtonSize::Small
                                on_click=move |_| files.update(|all| all.retain(|e| e.n != n))>{t.file_remove}</Button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Field>
    }
}

/// Whether some chosen file has not finished uploading.
pub fn uploads_busy(files: RwSignal<Vec<Evidence>>) -> bool {
    files.with_untracked(|f| f.iter().any(|e| e.upload_id.is_none()))
}

/// The ids of the finished uploads.
pub fn upload_ids(files: RwSignal<Vec<Evidence>>) -> Vec<String> {
    files.with_untracked(|f| f.iter().filter_map(|e| e.upload_id.clone()).collect())
}

/// The error to show at the files while some have not finished uploading.
pub fn busy_error(lang: portal_core::Lang) -> Invalid {
    let text = strings(lang).shell().files_busy;
    Invalid::new(portal_core::ErrorCode::InvalidValue, text, text)
}
