//! A scenario file, as `ballast eval` and the app's file import read it:
//! parsing and valuing never panic, and a scenario that parses survives its
//! own JSON unchanged.
#![no_main]

use ballast_core::{evaluate, Scenario};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = Scenario::parse(text) else { return };
    let again = Scenario::parse(&scenario.to_json()).expect("a parsed scenario's own JSON parses");
    assert_eq!(again, scenario, "a scenario changed through its JSON");
    if let Ok(report) = evaluate(&scenario) {
        let _ = report.to_json();
    }
});
