//! The Risk page with the shell, its own wasm: loaded only when `?view=risk`
//! is opened (the page loader, scripts/externalize-loader.mjs).

use ballast_web::pages::risk::RiskPage;
use ballast_web::pages::Page;
use leptos::prelude::*;

fn main() {
    ballast_web::run_page(Page::Risk, |snapshot| view! { <RiskPage snapshot /> }.into_any());
}
