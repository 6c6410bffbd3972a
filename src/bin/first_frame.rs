//! The Plan page's first frame (`ballast_web::first_frame`): the page loader
//! runs this small module, awaits [`show_first_frame`], then loads the page's
//! own module (scripts/externalize-loader.mjs).

use wasm_bindgen::prelude::wasm_bindgen;

/// Draws the first frame if the address opens a snapshot position; resolves
/// to whether it drew one.
#[wasm_bindgen]
pub async fn show_first_frame() -> bool {
    ballast_web::first_frame::show().await
}

fn main() {}
