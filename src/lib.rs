//! Ballast in the browser: a Leptos CSR app whose every figure comes from
//! `ballast-core`. Components display what the engine returns; they compute
//! nothing of their own.

pub mod app;
pub mod chain;
pub mod components;
pub mod data_source;
pub mod first_frame;
pub mod glossary;
pub mod pages;
pub mod risk_worker;
pub mod snapshot_source;
pub mod transact;
pub mod typed_number;
pub mod url_state;
pub mod wallet;

/// Mounts the shell with one page on `<body>`: each page's bin calls this with
/// its own page, so its wasm holds only that page (see `app`).
pub fn run_page(page: pages::Page, render: app::RenderPage) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(move || leptos::prelude::view! { <app::Shell page render /> });
}
