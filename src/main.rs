//! The Ballast web app's default page, Plan, with the shell: the wasm a first
//! visit loads. Every other page is its own bin in `src/bin/`; everything lives
//! in the library so the browser tests can mount the same components.

use ballast_web::pages::plan::PlanPage;
use ballast_web::pages::Page;
use leptos::prelude::*;

fn main() {
    ballast_web::run_page(Page::Plan, |snapshot| view! { <PlanPage snapshot /> }.into_any());
}
