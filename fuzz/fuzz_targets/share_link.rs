//! A share link's `scenario` parameter, from anyone: decoding never panics,
//! and what decodes is a scenario whose own link decodes to it again.
#![no_main]

use ballast_core::share::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(link) = std::str::from_utf8(data) else { return };
    let Ok(scenario) = decode(link) else { return };
    assert_eq!(decode(&encode(&scenario)).expect("a decoded scenario's link decodes"), scenario);
    let _ = ballast_core::evaluate(&scenario);
});
