//! The market inputs a real price history gives: each asset's volatility
//! (the EWMA estimate, which weighs the last weeks most) and the correlation
//! of the assets' returns, in place of the demo's assumptions. Depth and
//! oracle figures stay the demo's examples: a price history says nothing
//! about them.

use super::history::{estimate, PriceHistory};
use super::run::{DemoMarket, MarketInputs};
use super::RiskError;

impl DemoMarket {
    /// This market with `histories` (one per asset of [`Self::inputs`], in
    /// any order, covering the same days) as its history: estimates from
    /// them, and inputs using the EWMA volatilities and the estimated
    /// correlation. `source` says where the histories come from.
    pub fn with_history(&self, histories: Vec<PriceHistory>, source: &str) -> Result<Self, RiskError> {
        let ordered = self
            .inputs
            .assets
            .iter()
            .map(|a| {
                histories
                    .iter()
                    .find(|h| h.symbol == a.symbol)
                    .cloned()
                    .ok_or_else(|| RiskError::new(format!("history.{}", a.symbol), "is missing"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let estimate = estimate(&ordered)?;
        let assets = self
            .inputs
            .assets
            .iter()
            .zip(&estimate.volatilities)
            .map(|(a, v)| {
                let mut a = a.clone();
                a.volatility = v.ewma;
                a
            })
            .collect();
        let inputs = MarketInputs {
            assets,
            correlation: estimate.correlation.clone(),
            source: format!(
                "{source}: volatilities are the EWMA estimates (λ 0.94) and correlations those of the daily returns; \
                 market depth and oracle figures are the demo's examples"
            ),
        };
        Ok(Self { histories: ordered, estimate, inputs })
    }
}

#[cfg(test)]
mod tests {
    use super::super::history::synthetic_demo_history;
    use super::super::run::demo_market;
    use crate::snapshot::Snapshot;

    #[test]
    fn history_sets_volatility_and_correlation_but_keeps_depth() {
        let snapshot = Snapshot::parse(include_str!("../../../../public/snapshot.json")).unwrap();
        let demo = demo_market(&snapshot).unwrap();
        // Any real-looking series will do: the demo's own generator, relabelled as not synthetic.
        let mut histories: Vec<_> = demo.histories.iter().rev().cloned().collect();
        for h in &mut histories {
            h.synthetic = false;
            h.source = format!("test series for {}", h.symbol);
        }
        let live = demo.with_history(histories, "Pyth benchmarks").unwrap();
        let weth = live.inputs.assets.iter().position(|a| a.symbol == "WETH").unwrap();
        assert_eq!(live.inputs.assets[weth].volatility, live.estimate.volatilities[weth].ewma);
        assert_eq!(live.estimate.volatilities[weth].source, "test series for WETH");
        assert_eq!(live.inputs.assets[weth].depth, demo.inputs.assets[weth].depth);
        assert_eq!(live.inputs.correlation, live.estimate.correlation);
        assert!(live.inputs.source.starts_with("Pyth benchmarks: volatilities are the EWMA estimates"));
        // The order is the inputs', whatever the histories' order.
        let order: Vec<_> = live.histories.iter().map(|h| h.symbol.clone()).collect();
        let inputs: Vec<_> = demo.inputs.assets.iter().map(|a| a.symbol.clone()).collect();
        assert_eq!(order, inputs);

        let only_eth = synthetic_demo_history(&[("WETH", 3000.0)], "2026-11-20").unwrap();
        let e = demo.with_history(only_eth, "x").unwrap_err();
        assert_eq!(e.input, "history.wstETH");
    }
}
