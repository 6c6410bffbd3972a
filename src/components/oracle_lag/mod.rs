//! "Your health factor at the oracle's worst-case lag", from the engine's `oracle_lag`.

use ballast_chain::feeds::{Chain, CHAINLINK_FEEDS};
use ballast_core::display::{format_fixed, format_percent_toward_zero, Rounding};
use ballast_core::exact::format_exact_toward_zero;
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

/// What the oracle-lag section shows for one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LagFigures {
    /// The lagged health factor as the report prints one ("none" without debt).
    pub value: String,
    /// Rounded down to 2 decimals, "∞" without debt.
    pub shown: String,
    /// Each price moved, "WETH $3000 → $2985 (±0.5 %)", joined; "nothing" when none moved.
    pub moves: String,
    /// Priced assets with no known threshold, held at their price.
    pub unknown: Vec<String>,
}

impl LagFigures {
    /// The engine's `oracle_lag` on `scenario`, or its refusal.
    pub fn of(scenario: &Scenario) -> Result<Self, String> {
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
        let lag = health_at_oracle_lag(scenario, &asked).map_err(|e| e.to_string())?;
        // The same text as the report's `health_factor`.
        let value = lag.health_factor.as_ref().map_or_else(|| "none".to_owned(), format_exact_toward_zero);
        let shown = lag.health_factor.as_ref().map_or_else(|| "∞".to_owned(), |hf| format_fixed(hf, 2, Rounding::Down));
        let moves = lag
            .prices
            .iter()
            .zip(&thresholds)
            .filter(|(p, _)| p.market_price != p.oracle_price)
            .map(|(p, (_, t))| {
                format!("{} ${} → ${} (±{})", p.asset, p.oracle_price, p.market_price, format_percent_toward_zero(t, 2))
            })
            .collect::<Vec<_>>()
            .join("; ");
        Ok(Self { value, shown, moves: if moves.is_empty() { "nothing".to_owned() } else { moves }, unknown })
    }
}

/// "Your health factor at the oracle's worst-case lag": every price moved by
/// its feed's deviation threshold against the position (the engine's
/// `oracle_lag`), shown with the prices it rests on. Mounted once and
/// updated in place as `scenario` changes.
#[component]
pub fn OracleLagView(
    #[prop(into)] scenario: Signal<Scenario>,
    #[prop(into)] price_kind: Signal<&'static str>,
) -> impl IntoView {
    let figures = Memo::new(move |_| scenario.with(LagFigures::of));
    let refusal = Memo::new(move |_| figures.with(|f| f.as_ref().err().cloned()));
    let text =
        move |f: fn(&LagFigures) -> String| move || figures.with(|figures| figures.as_ref().map(f).unwrap_or_default());
    let explained = move || {
        figures.with(|f| {
            let Ok(f) = f else { return String::new() };
            let mut text = format!(
                "Each Chainlink feed writes a new round only once the market moves past its deviation threshold, \
                 so the market may already be this far from the price the protocol uses. Moved against you: {}. \
                 Rests on {}; thresholds of Chainlink's Ethereum feeds.",
                f.moves,
                price_kind.get()
            );
            if !f.unknown.is_empty() {
                text.push_str(&format!(" No threshold known, price held: {}.", f.unknown.join(", ")));
            }
            text
        })
    };
    view! {
        <section class="oracle-lag" data-testid="oracle-lag">
            {move || match refusal.get() {
                Some(problem) => view! { <p class="muted" data-testid="oracle-lag-error">{problem}</p> }.into_any(),
                None => view! {
                    <p>
                        "Health factor at the oracle's worst-case lag: "
                        <strong data-testid="oracle-lag-hf" data-value=text(|f| f.value.clone())>{text(|f| f.shown.clone())}</strong>
                    </p>
                    <p class="muted">{explained}</p>
                }
                .into_any(),
            }}
        </section>
    }
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
