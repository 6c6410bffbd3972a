//! The Prices page with the shell, its own wasm: loaded only when `?view=prices`
//! is opened (the page loader, scripts/externalize-loader.mjs).

use ballast_web::pages::prices::PricesPage;
use ballast_web::pages::Page;
use leptos::prelude::*;

fn main() {
    ballast_web::run_page(Page::Prices, |snapshot| view! { <PricesPage snapshot /> }.into_any());
}
