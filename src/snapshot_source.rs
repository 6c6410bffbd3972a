//! Loads the embedded snapshot shipped beside the app (`public/snapshot.json`).
//!
//! The URL is relative, so the app works from any sub-path of a static host.

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

/// Fetches and validates the snapshot.
pub async fn load_snapshot() -> Result<Snapshot, SnapshotLoadError> {
    let response = Request::get(SNAPSHOT_URL).send().await.map_err(|e| SnapshotLoadError::Fetch(e.to_string()))?;
    if !response.ok() {
        return Err(SnapshotLoadError::Status(response.status()));
    }
    let text = response.text().await.map_err(|e| SnapshotLoadError::Fetch(e.to_string()))?;
    Snapshot::parse(&text).map_err(|e| SnapshotLoadError::Invalid(e.to_string()))
}
