//! The Plan page's model: a demo position, the what-if scenario the user is
//! editing, and the rows the page shows — every figure from the engine.

use ballast_core::aave_v3::solvers::{less_margin, max_borrow};
use ballast_core::aave_v3::Position;
use ballast_core::exact::PlainDecimal;
use ballast_core::scenario::{Holding, Scenario};
use ballast_core::snapshot::SavedPrice;
use ballast_core::what_if::{move_between, price_after_move};
use ballast_core::{Protocol, Snapshot};
use num_rational::BigRational;

/// A "max borrow" offered to users stays this far (basis points) under the
/// Pool's exact limit: interest and prices move before the transaction lands.
pub const MAX_BORROW_MARGIN_BPS: u32 = 100;

/// One demo position as saved in the snapshot.
#[derive(Debug, Clone)]
pub struct PositionPlan {
    pub id: String,
    pub label: String,
    pub protocol: Protocol,
    /// The position at the saved prices.
    pub scenario: Scenario,
    /// Each asset's saved price with its age and origin.
    pub saved_prices: Vec<(String, SavedPrice)>,
}

/// An asset of the position as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetRow {
    pub symbol: String,
    pub collateral: Option<String>,
    pub debt: Option<String>,
    /// The price in use, `None` for a debt valued at par.
    pub price: Option<String>,
    pub saved: Option<SavedPrice>,
    /// The user moved this price away from the saved one.
    pub what_if: bool,
    /// aave-v3: the most the Pool would lend now, less the margin, in tokens.
    pub max_borrow: Option<String>,
}

impl PositionPlan {
    /// The snapshot's position `id`, or its first one when `id` is unknown
    /// (a stale link still shows something true).
    pub fn from_snapshot(snapshot: &Snapshot, id: Option<&str>) -> Option<Self> {
        let position = id
            .and_then(|id| snapshot.positions.iter().find(|p| p.id() == id))
            .or_else(|| snapshot.positions.first())?;
        let scenario = snapshot.scenario(position.id()).ok()?;
        let saved_prices = scenario
            .assets
            .iter()
            .filter_map(|a| snapshot.saved_price(scenario.protocol, &a.symbol).map(|p| (a.symbol.clone(), p.clone())))
            .collect();
        Some(Self {
            id: position.id().to_owned(),
            label: position.label().to_owned(),
            protocol: position.protocol(),
            scenario,
            saved_prices,
        })
    }

    fn saved(&self, symbol: &str) -> Option<&SavedPrice> {
        self.saved_prices.iter().find(|(s, _)| s == symbol).map(|(_, p)| p)
    }

    /// The saved price of `symbol`, exact.
    pub fn saved_price(&self, symbol: &str) -> Option<BigRational> {
        self.saved(symbol).map(|p| p.usd.to_rational())
    }

    /// Assets whose price the user can move: those with a saved price.
    pub fn priced_assets(&self) -> Vec<String> {
        self.saved_prices.iter().map(|(s, _)| s.clone()).collect()
    }

    /// The table rows for the scenario being edited.
    pub fn rows(&self, working: &Scenario) -> Vec<AssetRow> {
        let position = working.protocol.is_aave().then(|| Position::from_scenario(working).ok()).flatten();
        working
            .assets
            .iter()
            .map(|a| {
                let amount =
                    |holdings: &[Holding]| holdings.iter().find(|h| h.asset == a.symbol).map(|h| h.amount.to_string());
                let saved = self.saved(&a.symbol).cloned();
                let what_if = match (&a.price, &saved) {
                    (Some(now), Some(saved)) => now.to_rational() != saved.usd.to_rational(),
                    _ => false,
                };
                let max_borrow = position.as_ref().and_then(|p| {
                    let raw = max_borrow(p, &a.symbol).ok()?;
                    Some(p.reserve(&a.symbol)?.tokens_text(less_margin(raw, MAX_BORROW_MARGIN_BPS)))
                });
                AssetRow {
                    symbol: a.symbol.clone(),
                    collateral: amount(&working.collateral),
                    debt: amount(&working.debt),
                    price: a.price.as_ref().map(ToString::to_string),
                    saved,
                    what_if,
                    max_borrow,
                }
            })
            .collect()
    }
}

/// `working` with `symbol`'s price set to `price`; the scenario is unchanged
/// when the engine refuses the price (the caller shows why).
pub fn with_price(working: &Scenario, symbol: &str, price: PlainDecimal) -> Result<Scenario, String> {
    let mut next = working.clone();
    let asset = next.assets.iter_mut().find(|a| a.symbol == symbol).ok_or_else(|| format!("{symbol} is not listed"))?;
    asset.price = Some(price);
    next.validate().map_err(|e| e.problem)?;
    Ok(next)
}

/// The price after moving the saved one by `percent` (a slider's value),
/// rounded toward danger as the engine does.
pub fn price_for_slider(plan: &PositionPlan, working: &Scenario, symbol: &str, percent: i32) -> Option<PlainDecimal> {
    let mut base = working.clone();
    let saved = plan.saved(symbol)?.usd.clone();
    base.assets.iter_mut().find(|a| a.symbol == symbol)?.price = Some(saved);
    price_after_move(&base, symbol, &BigRational::new(percent.into(), 100.into())).ok()
}

/// The slider position (whole percent) for the price in use.
pub fn slider_percent(plan: &PositionPlan, working: &Scenario, symbol: &str) -> i32 {
    let (Some(saved), Some(now)) =
        (plan.saved_price(symbol), working.asset(symbol).and_then(|(_, a)| a.price.as_ref()).map(|p| p.to_rational()))
    else {
        return 0;
    };
    let percent = move_between(&saved, &now) * BigRational::from_integer(100.into());
    percent.round().to_integer().try_into().unwrap_or(0)
}
