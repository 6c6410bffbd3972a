//! The snapshot file the app fetches at start (public/snapshot.json, or a
//! tampered copy on a CDN): parsing it, building each demo position's
//! scenario and valuing it never panic.
#![no_main]

use ballast_core::{evaluate, Snapshot};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(snapshot) = Snapshot::parse(text) else { return };
    for position in &snapshot.positions {
        if let Ok(scenario) = snapshot.scenario(position.id()) {
            let _ = evaluate(&scenario);
        }
    }
});
