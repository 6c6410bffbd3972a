//! The "Keep" panel: save the plan under a name, open or delete saved ones
//! (an unreadable entry is named with its reason, never dropped silently),
//! export the scenario file `ballast eval` reads, and import one (a file, or
//! pasted JSON or share link).

use ballast_core::scenario::{Scenario, MAX_INPUT_BYTES};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::keep::{self, storage, SavedScenario, Unreadable};
use crate::data_source::human_utc;

/// A scenario opened from outside the snapshot, shown in place of a demo
/// position: `id` is `shared`, `saved` or `imported`.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub id: &'static str,
    pub label: String,
    pub scenario: Scenario,
}

/// Offers `text` as a file download; nothing leaves the browser.
fn download(file_name: &str, text: &str) -> Result<(), String> {
    let failed = |_| "The browser refused to create the file.".to_owned();
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("The page could not offer the file.")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoked later: revoking at once can cancel the download in some browsers.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(60));
    Ok(())
}

#[component]
pub fn KeepPanel(working: RwSignal<Scenario>, label: String, open: Callback<Opened>) -> impl IntoView {
    let list = RwSignal::new((Vec::<SavedScenario>::new(), Vec::<Unreadable>::new()));
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let reload = move || match storage::load() {
        Ok(found) => list.set(found),
        Err(problem) => error.set(Some(problem)),
    };
    reload();
    let name = RwSignal::new(String::new());
    let import_text = RwSignal::new(String::new());
    let import_error = RwSignal::new(None::<String>);
    let file_name = keep::export_file_name(&label);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = keep::valid_name(&name.get_untracked()).and_then(|name| {
            let saved = SavedScenario {
                name: name.clone(),
                saved_at: String::from(js_sys::Date::new_0().to_iso_string()),
                scenario: working.get_untracked(),
            };
            storage::save(&saved, list.with_untracked(|(s, _)| s.len()))?;
            Ok(name)
        });
        match result {
            Ok(saved) => {
                error.set(None);
                status.set(Some(format!("Saved as \u{201c}{saved}\u{201d}.")));
                reload();
            }
            Err(problem) => {
                status.set(None);
                error.set(Some(problem));
            }
        }
    };
    let delete = move |key: String| {
        match storage::delete(&key) {
            Ok(()) => error.set(None),
            Err(problem) => error.set(Some(problem)),
        }
        reload();
    };
    let import_from = move |text: String| match keep::import(&text) {
        Ok(scenario) => {
            import_error.set(None);
            open.run(Opened { id: "imported", label: "Imported scenario".into(), scenario });
        }
        Err(problem) => import_error.set(Some(problem)),
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        if file.size() > MAX_INPUT_BYTES as f64 {
            import_error.set(Some(format!(
                "{} is {} bytes; scenario files are at most {MAX_INPUT_BYTES} bytes (1 MiB).",
                file.name(),
                file.size()
            )));
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
                Some(text) => import_from(text),
                None => import_error.set(Some(format!("{} could not be read as text.", file.name()))),
            }
        });
    };

    view! {
        <section class="what-if keep" aria-label="Save, export and import" data-testid="keep">
            <h3>"Keep this plan"</h3>
            <form class="action-row" on:submit=save>
                <input
                    type="text"
                    aria-label="Name to save this scenario under"
                    placeholder="name"
                    maxlength=keep::MAX_NAME_CHARS.to_string()
                    data-testid="save-name"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <button type="submit" class="reset" data-testid="save">"Save in this browser"</button>
                <button
                    type="button"
                    class="reset"
                    data-testid="export"
                    on:click=move |_| {
                        let text = working.with_untracked(keep::export_json);
                        match download(&file_name, &text) {
                            Ok(()) => status.set(Some(format!("Exported {file_name}: `ballast eval {file_name}` gives these figures."))),
                            Err(problem) => error.set(Some(problem)),
                        }
                    }
                >
                    "Export JSON"
                </button>
            </form>
            <p class="muted" role="status" data-testid="keep-status">{move || status.get().unwrap_or_default()}</p>
            <p class="field-error" role="alert" data-testid="keep-error">{move || error.get().unwrap_or_default()}</p>
            <ul class="saved-list">
                {move || {
                    list.with(|(saved, _)| {
                        saved
                            .iter()
                            .map(|s| {
                                let opened = Opened {
                                    id: "saved",
                                    label: format!("Saved: {}", s.name),
                                    scenario: s.scenario.clone(),
                                };
                                let key = keep::key_for(&s.name);
                                view! {
                                    <li data-testid="saved-scenario" data-name=s.name.clone()>
                                        <span class="saved-name">{s.name.clone()}</span>
                                        <span class="muted">{format!(" · {} · {}", s.scenario.protocol, human_utc(&s.saved_at))}</span>
                                        <button type="button" class="reset" data-testid="saved-open" on:click=move |_| open.run(opened.clone())>"Open"</button>
                                        <button type="button" class="reset" data-testid="saved-delete" on:click=move |_| delete(key.clone())>"Delete"</button>
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
                {move || {
                    list.with(|(_, unreadable)| {
                        unreadable
                            .iter()
                            .map(|u| {
                                let key = u.key.clone();
                                view! {
                                    <li class="saved-unreadable" role="alert" data-testid="saved-unreadable" data-name=u.name().to_owned()>
                                        {format!(
                                            "The saved scenario \u{201c}{}\u{201d} could not be read: {}. It is kept as it is; the others are unaffected.",
                                            u.name(),
                                            u.problem
                                        )}
                                        <button type="button" class="reset" data-testid="saved-delete" on:click=move |_| delete(key.clone())>"Delete it"</button>
                                    </li>
                                }
                            })
                            .collect_view()
                    })
                }}
            </ul>
            <details class="import">
                <summary>"Import a scenario file or share link"</summary>
                <label>
                    "File: "
                    <input type="file" accept=".json,application/json" data-testid="import-file" on:change=on_file />
                </label>
                <textarea
                    rows="4"
                    aria-label="Scenario JSON or share link to import"
                    placeholder="paste a scenario file's JSON or a share link"
                    data-testid="import-text"
                    prop:value=move || import_text.get()
                    on:input=move |ev| import_text.set(event_target_value(&ev))
                ></textarea>
                <button type="button" class="reset" data-testid="import" on:click=move |_| import_from(import_text.get_untracked())>
                    "Import"
                </button>
                <p class="field-error" role="alert" data-testid="import-error">{move || import_error.get().unwrap_or_default()}</p>
            </details>
        </section>
    }
}
