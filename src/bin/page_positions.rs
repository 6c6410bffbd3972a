//! The Positions page with the shell, its own wasm: loaded only when `?view=positions`
//! is opened (the page loader, scripts/externalize-loader.mjs).

use ballast_web::pages::positions::PositionsPage;
use ballast_web::pages::Page;
use leptos::prelude::*;

fn main() {
    ballast_web::run_page(Page::Positions, |snapshot| view! { <PositionsPage snapshot /> }.into_any());
}
