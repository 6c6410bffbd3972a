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
