//! The app's components in real Chromium (wasm-bindgen-test): what they put
//! in the DOM for engine reports.
#![cfg(target_arch = "wasm32")]

use ballast_core::evaluate_json;
use ballast_web::components::HealthFactor;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SPEC_EXAMPLE: &str = include_str!("../crates/ballast-cli/tests/fixtures/spec-aave-v3.json");

fn mount_fresh<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), view);
    std::mem::forget(handle);
    host
}

fn text_of(host: &web_sys::HtmlElement, test_id: &str) -> (String, String) {
    let el = host.query_selector(&format!("[data-testid='{test_id}']")).unwrap().expect(test_id);
    (el.text_content().unwrap_or_default(), el.get_attribute("data-value").unwrap_or_default())
}

#[wasm_bindgen_test]
fn health_factor_shows_the_engine_value_rounded_down_with_its_band() {
    let report = evaluate_json(SPEC_EXAMPLE).unwrap();
    let host = mount_fresh(move || view! { <HealthFactor report /> });
    let (shown, value) = text_of(&host, "health-factor");
    // 3.29967… rounds down to 3.29, never up to 3.30.
    assert_eq!(shown, "3.29");
    assert_eq!(value, "3.29967003299670033");
    assert_eq!(text_of(&host, "health-band").0, "Healthy");
}

#[wasm_bindgen_test]
fn no_debt_shows_infinity_not_a_huge_number() {
    let json = SPEC_EXAMPLE.replace(r#"{ "asset": "USDC", "amount": "5000" }"#, "");
    let report = evaluate_json(&json).unwrap();
    let host = mount_fresh(move || view! { <HealthFactor report /> });
    assert_eq!(text_of(&host, "health-factor"), ("∞".to_owned(), "none".to_owned()));
    assert_eq!(text_of(&host, "health-band").0, "No debt");
}

#[wasm_bindgen_test]
fn a_liquidatable_position_is_labelled_so() {
    let json = SPEC_EXAMPLE.replace(r#""price": "2000""#, r#""price": "600""#);
    let report = evaluate_json(&json).unwrap();
    let host = mount_fresh(move || view! { <HealthFactor report /> });
    // 10 × 600 × 0.825 / 5000.5 = 0.98990…
    assert_eq!(text_of(&host, "health-factor").0, "0.98");
    assert_eq!(text_of(&host, "health-band").0, "Liquidatable");
}

#[wasm_bindgen_test]
fn a_term_is_described_by_its_glossary_definition_and_reachable_by_keyboard() {
    use ballast_web::components::Term;
    let host = mount_fresh(|| {
        view! {
            <Term id="close-factor">"close factor"</Term>
            <Term id="not-in-the-glossary">"mystery"</Term>
        }
    });
    let label = host.query_selector("[data-term='close-factor']").unwrap().unwrap();
    assert_eq!(
        label.get_attribute("tabindex").as_deref(),
        Some("0"),
        "focusable, so keyboard users get the definition"
    );
    let tip_id = label.get_attribute("aria-describedby").unwrap();
    let document = web_sys::window().unwrap().document().unwrap();
    let tip = document.get_element_by_id(&tip_id).unwrap();
    assert_eq!(tip.get_attribute("role").as_deref(), Some("tooltip"));
    assert_eq!(tip.text_content().unwrap(), ballast_web::glossary::entry("close-factor").unwrap().definition);
    let unknown = host.query_selector("[data-term='not-in-the-glossary']").unwrap().unwrap();
    assert_eq!(unknown.get_attribute("aria-describedby"), None);
    assert_eq!(host.inner_html().matches("role=\"tooltip\"").count(), 1);
}

#[wasm_bindgen_test]
fn the_keep_panel_lists_saved_scenarios_and_names_a_corrupt_one_without_losing_the_others() {
    use ballast_core::Scenario;
    use ballast_web::pages::plan::keep::{encode_entry, key_for, SavedScenario};
    use ballast_web::pages::plan::keep_panel::{KeepPanel, Opened};
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let scenario = Scenario::parse(SPEC_EXAMPLE).unwrap();
    let saved =
        SavedScenario { name: "spec".into(), saved_at: "2026-11-26T04:00:00Z".into(), scenario: scenario.clone() };
    storage.set_item(&key_for("spec"), &encode_entry(&saved)).unwrap();
    storage.set_item(&key_for("torn"), "{\"format\":").unwrap();
    storage.set_item("unrelated", "kept").unwrap();

    let opened = RwSignal::new(None::<Opened>);
    let host = mount_fresh(move || {
        let working = RwSignal::new(scenario);
        view! { <KeepPanel working label="Spec".to_owned() open=Callback::new(move |o| opened.set(Some(o))) /> }
    });
    assert_eq!(host.inner_html().matches("data-testid=\"saved-scenario\"").count(), 1);
    assert!(host.query_selector("[data-testid=saved-scenario][data-name=spec]").unwrap().is_some());
    let torn = host.query_selector("[data-testid=saved-unreadable]").unwrap().unwrap();
    assert_eq!(torn.get_attribute("data-name").as_deref(), Some("torn"));
    assert!(torn.text_content().unwrap().contains("could not be read: it is not valid JSON"));
    assert_eq!(storage.get_item(&key_for("torn")).unwrap().as_deref(), Some("{\"format\":"), "left as it was");

    host.query_selector("[data-testid=saved-open]").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    let o = opened.get_untracked().expect("opened");
    assert_eq!((o.id, o.label.as_str()), ("saved", "Saved: spec"));
    assert_eq!(o.scenario, saved.scenario);
    storage.clear().unwrap();
}
