//! Loads the embedded snapshot shipped beside the app (`public/snapshot.json`).
//!
//! The URL is relative, so the app works from any sub-path of a static host.
//! The built page preloads the file with its digest (scripts/externalize-loader.mjs);
//! the fetch here names the same digest, so it takes the preloaded response and a
//! file that does not match is refused by the browser.

use ballast_core::Snapshot;
use gloo_net::http::Request;

/// Where the snapshot lives, relative to the page.
pub const SNAPSHOT_URL: &str = "snapshot.json";

/// Why the snapshot could not be loaded; shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotLoadError {
    #[error("could not fetch the demo snapshot ({SNAPSHOT_URL}): {0}")]
    Fetch(String),
    #[error("the host answered {0} for the demo snapshot ({SNAPSHOT_URL})")]
    Status(u16),
    #[error("the demo snapshot is not valid: {0}")]
    Invalid(String),
}

/// The digest the page's preload link names for the snapshot, if the page has one
/// (a page built without the post-build hook has none).
fn preloaded_integrity() -> Option<String> {
    let selector = format!(r#"link[rel="preload"][href="./{SNAPSHOT_URL}"]"#);
    let link = web_sys::window()?.document()?.query_selector(&selector).ok()??;
    link.get_attribute("integrity").filter(|digest| !digest.is_empty())
}

/// Where the Plan page's first frame (`crate::first_frame`) leaves the snapshot's
/// text for the page's own module: the first fetch takes the preloaded response,
/// so a second one would go back to the network (a revalidation, on most hosts).
/// The text is the one fetched with the digest.
const HANDED_OVER: &str = "__ballastSnapshotText";

/// Fetches and validates the snapshot, or takes the text the first frame fetched.
pub async fn load_snapshot() -> Result<Snapshot, SnapshotLoadError> {
    let text = match take_handed_over() {
        Some(text) => text,
        None => fetch_text().await?,
    };
    Snapshot::parse(&text).map_err(|e| SnapshotLoadError::Invalid(e.to_string()))
}

/// As [`load_snapshot`], leaving the text for the page's module, which loads next.
pub async fn load_snapshot_handing_over() -> Result<Snapshot, SnapshotLoadError> {
    let text = fetch_text().await?;
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &HANDED_OVER.into(), &text.as_str().into());
    }
    Snapshot::parse(&text).map_err(|e| SnapshotLoadError::Invalid(e.to_string()))
}

/// The text the first frame left, taken once.
fn take_handed_over() -> Option<String> {
    let window = web_sys::window()?;
    let text = js_sys::Reflect::get(&window, &HANDED_OVER.into()).ok()?.as_string()?;
    let _ = js_sys::Reflect::delete_property(&window, &HANDED_OVER.into());
    Some(text)
}

/// The snapshot's text, fetched with the digest the page names.
async fn fetch_text() -> Result<String, SnapshotLoadError> {
    let integrity = preloaded_integrity();
    let request = match &integrity {
        Some(digest) => Request::get(SNAPSHOT_URL).integrity(digest),
        None => Request::get(SNAPSHOT_URL),
    };
    let response = request.send().await.map_err(|e| {
        let digest_note = if integrity.is_some() { "; or it does not match the digest the page names" } else { "" };
        SnapshotLoadError::Fetch(format!("{e}{digest_note}"))
    })?;
    if !response.ok() {
        return Err(SnapshotLoadError::Status(response.status()));
    }
    response.text().await.map_err(|e| SnapshotLoadError::Fetch(e.to_string()))
}
