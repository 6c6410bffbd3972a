//! "Your health factor at the oracle's worst-case lag", from the engine's `oracle_lag`.

use ballast_chain::feeds::{Chain, CHAINLINK_FEEDS};
use ballast_core::display::{format_fixed, format_percent_toward_zero, Rounding};
use ballast_core::exact::format_exact;
use ballast_core::oracle_lag::health_at_oracle_lag;
use ballast_core::Scenario;
use leptos::prelude::*;
use num_rational::BigRational;

/// The Chainlink feed parameters the lag is judged by: Ethereum's published
/// ones, matched by the asset's USD pair (WETH and WBTC by ETH and BTC).
pub fn deviation_threshold(symbol: &str) -> Option<(BigRational, &'static str)> {
    let base = match symbol {
        "WETH" => "ETH",
        "WBTC" => "BTC",
        other => other,
    };
    let pair = format!("{base} / USD");
    CHAINLINK_FEEDS.iter().find(|f| f.chain == Chain::Ethereum && f.pair == pair).and_then(|f| {
        let bps = f.deviation_threshold_bps.verified()?;
        Some((BigRational::new(bps.into(), 10_000.into()), f.pair))
    })
}

/// "Your health factor at the oracle's worst-case lag": every price moved by
/// its feed's deviation threshold against the position (the engine's
/// `oracle_lag`), shown with the prices it rests on.
#[component]
pub fn OracleLagView(scenario: Scenario, #[prop(into)] price_kind: String) -> impl IntoView {
    let thresholds: Vec<(String, BigRational)> = scenario
        .assets
        .iter()
        .filter(|a| a.price.is_some())
        .filter_map(|a| deviation_threshold(&a.symbol).map(|(t, _)| (a.symbol.clone(), t)))
        .collect();
    let unknown: Vec<String> = scenario
        .assets
        .iter()
        .filter(|a| a.price.is_some() && deviation_threshold(&a.symbol).is_none())
        .map(|a| a.symbol.clone())
        .collect();
    let asked: Vec<(&str, BigRational)> = thresholds.iter().map(|(s, t)| (s.as_str(), t.clone())).collect();
    let outcome = health_at_oracle_lag(&scenario, &asked);
    let body = match outcome {
        Err(e) => view! { <p class="muted" data-testid="oracle-lag-error">{e.to_string()}</p> }.into_any(),
        Ok(lag) => {
            // The same text as the report's `health_factor`.
            let value = lag.health_factor.as_ref().map_or_else(|| "none".to_owned(), format_exact);
            let shown =
                lag.health_factor.as_ref().map_or_else(|| "∞".to_owned(), |hf| format_fixed(hf, 2, Rounding::Down));
            let moves = lag
                .prices
                .iter()
                .zip(&thresholds)
                .filter(|(p, _)| p.market_price != p.oracle_price)
                .map(|(p, (_, t))| {
                    format!(
                        "{} ${} → ${} (±{})",
                        p.asset,
                        p.oracle_price,
                        p.market_price,
                        format_percent_toward_zero(t, 2)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            view! {
                <p>
                    "Health factor at the oracle's worst-case lag: "
                    <strong data-testid="oracle-lag-hf" data-value=value>{shown}</strong>
                </p>
                <p class="muted">
                    {format!(
                        "Each Chainlink feed writes a new round only once the market moves past its deviation threshold, \
                         so the market may already be this far from the price the protocol uses. Moved against you: {}. \
                         Rests on {price_kind}; thresholds of Chainlink's Ethereum feeds.",
                        if moves.is_empty() { "nothing".to_owned() } else { moves }
                    )}
                    {(!unknown.is_empty()).then(|| format!(" No threshold known, price held: {}.", unknown.join(", ")))}
                </p>
            }
            .into_any()
        }
    };
    view! { <section class="oracle-lag" data-testid="oracle-lag">{body}</section> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_come_from_ethereum_feeds_by_pair() {
        assert_eq!(deviation_threshold("WETH"), Some((BigRational::new(50.into(), 10_000.into()), "ETH / USD")));
        assert_eq!(deviation_threshold("USDC").map(|(t, _)| t), Some(BigRational::new(25.into(), 10_000.into())));
        assert_eq!(deviation_threshold("wstETH"), None);
    }
}
