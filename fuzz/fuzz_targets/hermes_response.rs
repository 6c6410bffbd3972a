//! A Pyth body: as a Hermes `latest_price_updates` body, parsing it for two
//! requested feeds and computing each price's confidence interval never
//! panic, and only requested feeds come back; as a benchmarks (TradingView
//! UDF) daily history, parsing never panics, the closes it gives are
//! positive on strictly increasing days, and aligning them with themselves
//! keeps every close.
#![no_main]

use ballast_chain::pyth::{parse_latest, FeedId};
use ballast_chain::pyth_history::{aligned_histories, parse_daily_history, MIN_CLOSES};
use libfuzzer_sys::fuzz_target;

const ETH_USD: &str = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";
const BTC_USD: &str = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    if let Ok(history) = parse_daily_history(body, "Crypto.ETH/USD") {
        assert_eq!(history.days.len(), history.closes.len());
        assert!(history.days.windows(2).all(|w| w[0] < w[1]), "days out of order");
        assert!(history.closes.iter().all(|c| c.is_finite() && *c > 0.0), "a close that is no price");
        match aligned_histories(&[("WETH", &history), ("ETH", &history)], "fuzz") {
            Ok(aligned) => assert!(aligned.iter().all(|h| h.closes == history.closes)),
            Err(_) => assert!(history.closes.len() < MIN_CLOSES),
        }
    }
    let requested: [FeedId; 2] = [ETH_USD.parse().expect("a feed id"), BTC_USD.parse().expect("a feed id")];
    let Ok(prices) = parse_latest(body, &requested) else { return };
    for price in prices {
        assert!(requested.contains(&price.id), "a feed that was not asked for");
        let _ = price.confidence_interval();
    }
});
