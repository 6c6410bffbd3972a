//! The Glossary page with the shell, its own wasm: loaded only when
//! `?view=glossary` is opened (the page loader, scripts/externalize-loader.mjs).

use ballast_web::pages::glossary::GlossaryPage;
use ballast_web::pages::Page;
use leptos::prelude::*;

fn main() {
    ballast_web::run_page(Page::Glossary, |_snapshot| view! { <GlossaryPage /> }.into_any());
}
