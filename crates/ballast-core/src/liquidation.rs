//! Liquidation prices: for each asset, the price at which the position's
//! exact (unrounded) health ratio reaches 1 with every other price held.

use num_rational::BigRational;
use num_traits::{Signed, Zero};
use serde::Serialize;

use crate::exact::format_exact;

/// How one asset's price enters the health ratio
/// `Σ collateral_weight × price / Σ debt_weight × price`.
#[derive(Debug, Clone)]
pub struct PriceExposure {
    pub asset: String,
    pub price: BigRational,
    /// Collateral amount times the liquidation threshold that applies (or
    /// divided by the liquidation ratio), in whole tokens.
    pub collateral_weight: BigRational,
    /// Debt amount in whole tokens.
    pub debt_weight: BigRational,
    /// False when the value uses a price this asset's own price does not move
    /// (an Aave e-mode category price).
    pub price_moves_health: bool,
}

/// Which side of the line is liquidatable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Prices under the line are liquidatable.
    Below,
    /// Prices over the line are liquidatable (the asset is mostly owed).
    Above,
}

/// One asset's liquidation line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LiquidationPrice {
    pub asset: String,
    /// Exact value printed by [`format_exact`].
    pub price: String,
    pub direction: Direction,
    #[serde(skip)]
    pub exact: BigRational,
}

impl LiquidationPrice {
    pub fn new(asset: &str, exact: BigRational, direction: Direction) -> Self {
        Self { asset: asset.to_owned(), price: format_exact(&exact), direction, exact }
    }

    /// How far the line is from `current`, as a fraction of it: −0.3 means
    /// the price must fall 30 % to reach the line.
    pub fn distance_from(&self, current: &BigRational) -> Option<BigRational> {
        (!current.is_zero()).then(|| (&self.exact - current) / current)
    }
}

/// The liquidation line of every exposure whose price can bring the ratio to 1.
///
/// `fixed_collateral` and `fixed_debt` are parts of the ratio no listed price
/// moves (Maker's and Liquity's debt, valued at par). Solving
/// `A + c·p = B + d·p` for the asset's price `p`, where `A` and `B` are the
/// other assets' risk-adjusted collateral and debt, gives
/// `p = (B − A) / (c − d)`; `c > d` liquidates below it, `c < d` above, and a
/// line at or under zero is never reached.
pub fn liquidation_prices(
    exposures: &[PriceExposure],
    fixed_collateral: &BigRational,
    fixed_debt: &BigRational,
) -> Vec<LiquidationPrice> {
    let total_collateral: BigRational =
        exposures.iter().map(|e| &e.collateral_weight * &e.price).fold(fixed_collateral.clone(), |a, b| a + b);
    let total_debt: BigRational =
        exposures.iter().map(|e| &e.debt_weight * &e.price).fold(fixed_debt.clone(), |a, b| a + b);
    exposures
        .iter()
        .filter(|e| e.price_moves_health)
        .filter_map(|e| {
            let slope = &e.collateral_weight - &e.debt_weight;
            if slope.is_zero() {
                return None;
            }
            let others_collateral = &total_collateral - &e.collateral_weight * &e.price;
            let others_debt = &total_debt - &e.debt_weight * &e.price;
            let line = (others_debt - others_collateral) / &slope;
            if !line.is_positive() {
                return None;
            }
            let direction = if slope.is_positive() { Direction::Below } else { Direction::Above };
            Some(LiquidationPrice::new(&e.asset, line, direction))
        })
        .collect()
}
