//! A Pyth Hermes `latest_price_updates` body: parsing it for two requested
//! feeds and computing each price's confidence interval never panic, and
//! only requested feeds come back.
#![no_main]

use ballast_chain::pyth::{parse_latest, FeedId};
use libfuzzer_sys::fuzz_target;

const ETH_USD: &str = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";
const BTC_USD: &str = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let requested: [FeedId; 2] = [ETH_USD.parse().expect("a feed id"), BTC_USD.parse().expect("a feed id")];
    let Ok(prices) = parse_latest(body, &requested) else { return };
    for price in prices {
        assert!(requested.contains(&price.id), "a feed that was not asked for");
        let _ = price.confidence_interval();
    }
});
