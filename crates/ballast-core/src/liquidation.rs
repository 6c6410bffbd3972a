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
    // Each exposure's values, multiplied once for the totals and the lines.
    let values: Vec<(BigRational, BigRational)> =
        exposures.iter().map(|e| (&e.collateral_weight * &e.price, &e.debt_weight * &e.price)).collect();
    let total_collateral: BigRational = values.iter().map(|(c, _)| c).fold(fixed_collateral.clone(), |a, b| a + b);
    let total_debt: BigRational = values.iter().map(|(_, d)| d).fold(fixed_debt.clone(), |a, b| a + b);
    exposures
        .iter()
        .zip(&values)
        .filter(|(e, _)| e.price_moves_health)
        .filter_map(|(e, (collateral_value, debt_value))| {
            let slope = &e.collateral_weight - &e.debt_weight;
            if slope.is_zero() {
                return None;
            }
            let others_collateral = &total_collateral - collateral_value;
            let others_debt = &total_debt - debt_value;
            let line = (others_debt - others_collateral) / &slope;
            if !line.is_positive() {
                return None;
            }
            let direction = if slope.is_positive() { Direction::Below } else { Direction::Above };
            Some(LiquidationPrice::new(&e.asset, line, direction))
        })
        .collect()
}

/// Where a joint move of several prices liquidates the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrashLine {
    /// The common move as a fraction: −0.42 is every moved price at 58 % of
    /// today's (times its beta).
    pub move_fraction: BigRational,
    /// Each moved asset's price at that point.
    pub prices: Vec<(String, BigRational)>,
}

/// The move `m` at which the exact health ratio reaches 1 when each asset's
/// price becomes `price × (1 + beta × m)`, other prices held. Betas of 1 on a
/// group give "these fall together"; one asset alone gives its own line;
/// market betas give a correlated crash. `None` when no move (keeping every
/// price above 0) liquidates, or the moved assets do not change the ratio.
pub fn crash_line(
    exposures: &[PriceExposure],
    betas: &[(String, BigRational)],
    fixed_collateral: &BigRational,
    fixed_debt: &BigRational,
) -> Option<CrashLine> {
    let beta_of = |asset: &str| betas.iter().find(|(a, _)| a == asset).map(|(_, b)| b.clone());
    let mut collateral = fixed_collateral.clone();
    let mut debt = fixed_debt.clone();
    let mut collateral_slope = BigRational::zero();
    let mut debt_slope = BigRational::zero();
    for e in exposures {
        let c = &e.collateral_weight * &e.price;
        let d = &e.debt_weight * &e.price;
        if let Some(beta) = beta_of(&e.asset).filter(|_| e.price_moves_health) {
            collateral_slope += &c * &beta;
            debt_slope += &d * &beta;
        }
        collateral += c;
        debt += d;
    }
    let slope = &collateral_slope - &debt_slope;
    if slope.is_zero() || debt.is_zero() && debt_slope.is_zero() {
        return None;
    }
    let move_fraction = (&debt - &collateral) / slope;
    let one = BigRational::from_integer(1.into());
    let mut prices = Vec::new();
    for e in exposures.iter().filter(|e| e.price_moves_health) {
        if let Some(beta) = beta_of(&e.asset) {
            let factor = &one + &beta * &move_fraction;
            if !factor.is_positive() {
                return None;
            }
            prices.push((e.asset.clone(), &e.price * factor));
        }
    }
    Some(CrashLine { move_fraction, prices })
}
