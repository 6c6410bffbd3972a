//! The Risk page's market history when live data is on: a year of daily
//! closes per asset from Pyth's history API (the endpoint in the chain
//! settings, with the user's Pyth API key as a bearer token), parsed and
//! aligned by `ballast_chain::pyth_history`, estimated by the engine.
//! Nothing is requested with live data off; any fault leaves the page on its
//! labelled synthetic series, saying why. A refused key stops the reads at
//! the first symbol: one attempt, then the page waits for the user.

use ballast_chain::pyth_history::{
    aligned_histories, daily_history_url, last_year, parse_daily_history, pyth_history_symbol,
};
use ballast_core::risk::run::DemoMarket;

use ballast_chain::pyth_access::access_refused;

use crate::chain::http::{fetch_text_with, host_of, HttpError};
use crate::chain::settings::ChainSettings;

/// Where the page's history comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryState {
    /// Live data is off: the synthetic demo series, nothing requested.
    Synthetic,
    /// Reading from this host.
    Loading { host: String },
    /// Read: the service, the symbols and the days covered.
    Live { description: String },
    /// Live data is on but the history could not be used: why.
    Fallback { reason: String },
}

impl HistoryState {
    pub fn is_loading(&self) -> bool {
        matches!(self, Self::Loading { .. })
    }
}

/// `demo` with a year of Pyth's daily closes before `now_secs` (Unix) for
/// each of its assets, and the description to show; or why not.
pub async fn load_live_market(
    settings: &ChainSettings,
    demo: &DemoMarket,
    now_secs: i64,
) -> Result<(DemoMarket, String), String> {
    let endpoint = settings.benchmarks_url.trim();
    let host = host_of(endpoint);
    let (from, to) = last_year(now_secs);
    // One request per Pyth symbol: WETH and ETH share ether's.
    let mut fetched: Vec<(&'static str, ballast_chain::pyth_history::DailyCloses)> = Vec::new();
    let mut assets: Vec<(String, &'static str)> = Vec::new();
    for asset in &demo.inputs.assets {
        let symbol = pyth_history_symbol(&asset.symbol)
            .ok_or_else(|| format!("no Pyth price history is known for {}", asset.symbol))?;
        assets.push((asset.symbol.clone(), symbol));
        if fetched.iter().any(|(s, _)| *s == symbol) {
            continue;
        }
        let url = daily_history_url(endpoint, symbol, from, to).map_err(|e| e.to_string())?;
        let authorization = settings.pyth_api_key.authorization();
        let body = fetch_text_with(&url, None, settings.timeout_ms, authorization.as_deref()).await.map_err(|e| {
            match &e {
                HttpError::Status { status, .. } => {
                    access_refused("Pyth history", *status, settings.pyth_api_key.is_set())
                }
                _ => None,
            }
            .unwrap_or_else(|| e.to_string())
        })?;
        fetched.push((symbol, parse_daily_history(&body, symbol).map_err(|e| e.to_string())?));
    }
    let series: Vec<(&str, &ballast_chain::pyth_history::DailyCloses)> = assets
        .iter()
        .filter_map(|(asset, symbol)| fetched.iter().find(|(s, _)| s == symbol).map(|(_, d)| (asset.as_str(), d)))
        .collect();
    let source = format!("Pyth history ({host})");
    let histories = aligned_histories(&series, &source).map_err(|e| e.to_string())?;
    let description = match (histories.first(), fetched.len()) {
        (Some(h), symbols) => {
            let first = h.source.rsplit_once(" from ").map_or("", |(_, range)| range);
            format!(
                "{source}: {} daily closes from {first}, {symbols} symbols ({})",
                h.closes.len(),
                fetched.iter().map(|(s, _)| *s).collect::<Vec<_>>().join(", ")
            )
        }
        (None, _) => return Err("no asset to read a history for".to_owned()),
    };
    let market = demo.with_history(histories, &source).map_err(|e| e.to_string())?;
    Ok((market, description))
}
