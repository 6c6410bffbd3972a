//! The Plan page's model: a demo position, its scenario and the engine's
//! report, with the saved-price details the page shows beside each asset.

use ballast_core::scenario::Scenario;
use ballast_core::snapshot::SavedPrice;
use ballast_core::{evaluate, Protocol, Report, ScenarioError, Snapshot};

/// One demo position valued by the engine.
#[derive(Debug, Clone)]
pub struct PositionPlan {
    pub id: String,
    pub label: String,
    pub protocol: Protocol,
    pub scenario: Scenario,
    pub report: Result<Report, ScenarioError>,
    pub assets: Vec<AssetRow>,
}

/// An asset of the position as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetRow {
    pub symbol: String,
    pub collateral: Option<String>,
    pub debt: Option<String>,
    /// The saved price with its age and origin; `None` for a debt at par.
    pub price: Option<SavedPrice>,
}

impl PositionPlan {
    /// Values the snapshot's position `id`, or its first position when `id`
    /// is unknown (a stale link still shows something true).
    pub fn from_snapshot(snapshot: &Snapshot, id: Option<&str>) -> Option<Self> {
        let position = id
            .and_then(|id| snapshot.positions.iter().find(|p| p.id() == id))
            .or_else(|| snapshot.positions.first())?;
        let scenario = snapshot.scenario(position.id()).ok()?;
        let report = evaluate(&scenario);
        let assets = scenario
            .assets
            .iter()
            .map(|a| {
                let amount = |holdings: &[ballast_core::scenario::Holding]| {
                    holdings.iter().find(|h| h.asset == a.symbol).map(|h| h.amount.to_string())
                };
                AssetRow {
                    symbol: a.symbol.clone(),
                    collateral: amount(&scenario.collateral),
                    debt: amount(&scenario.debt),
                    price: snapshot.saved_price(scenario.protocol, &a.symbol).cloned(),
                }
            })
            .collect();
        Some(Self {
            id: position.id().to_owned(),
            label: position.label().to_owned(),
            protocol: position.protocol(),
            scenario,
            report,
            assets,
        })
    }

    /// The current price of `symbol`, exact, for distances to its line.
    pub fn price_of(&self, symbol: &str) -> Option<num_rational::BigRational> {
        self.scenario.asset(symbol)?.1.price.as_ref().map(|p| p.to_rational())
    }
}
