//! What collateral fetches when it has to be sold, and whether a
//! liquidation would move its market more than the liquidator earns.
//!
//! Two depth models, both giving the sale of Δ tokens at an oracle price P:
//!
//! - **Constant-product pool** (Uniswap v2): reserves x of the asset and y
//!   of a USD stablecoin, a fee f on the input. Selling Δ returns
//!   y·Δ(1 − f) / (x + Δ(1 − f)); the pool's price moves from y/x to
//!   (y − out)/(x + Δ). The pool's *relative* move is applied to the oracle
//!   price, so a pool slightly off the oracle does not shift the level.
//! - **Linear depth** (an order book summarised by one number): depth D is
//!   the USD amount whose sale would move the price by 100 % if impact stayed
//!   linear, so selling A = Δ·P USD moves the price by A/D and fills at an
//!   average price P·(1 − A/(2D)). "±2 % depth" d gives D = d / 0.02. Past
//!   A = D the book is empty: the sale fetches D/2 in all.

use serde::{Deserialize, Serialize};

use super::exposure::{RiskExposure, RiskPosition, Seizure};
use super::{finite, RiskError};

/// How deep one asset's market is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MarketDepth {
    ConstantProduct {
        /// Tokens of the asset in the pool.
        base_reserve: f64,
        /// USD (stablecoin) in the pool.
        quote_reserve: f64,
        /// The pool's fee on the input, a fraction (0.003).
        fee: f64,
    },
    Linear {
        /// USD whose sale would move the price 100 % at a constant slope.
        depth: f64,
    },
}

/// One sale of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sale {
    /// Tokens sold.
    pub amount: f64,
    /// USD received.
    pub proceeds: f64,
    /// proceeds / amount.
    pub average_price: f64,
    /// The market's price after the sale, on the oracle's scale.
    pub price_after: f64,
    /// How far the sale moves the price: 1 − price_after / price.
    pub price_impact: f64,
    /// What the seller gives up against the oracle price, fee included:
    /// 1 − average_price / price.
    pub slippage: f64,
}

impl MarketDepth {
    /// The linear model from the USD that moves the price 2 %.
    pub fn from_two_percent_depth(usd: f64) -> Self {
        Self::Linear { depth: usd / 0.02 }
    }

    /// The USD of sales at oracle price `price` that move the price 2 %
    /// (the quality index's liquidity input). Linear: 2 % of D. Constant
    /// product, fee aside: the price falls to 0.98 when x grows to x/√0.98,
    /// so Δ = x(1/√0.98 − 1) tokens.
    pub fn two_percent_depth(&self, price: f64) -> f64 {
        match *self {
            Self::Linear { depth } => depth * 0.02,
            Self::ConstantProduct { base_reserve, .. } => base_reserve * (1.0 / 0.98f64.sqrt() - 1.0) * price,
        }
    }

    /// Checks the parameters: positive reserves and depth, a fee in [0, 1).
    pub fn validate(&self) -> Result<(), RiskError> {
        match *self {
            Self::ConstantProduct { base_reserve, quote_reserve, fee } => {
                for (what, v) in [("base_reserve", base_reserve), ("quote_reserve", quote_reserve)] {
                    if finite(v, || format!("depth.{what}"))? <= 0.0 {
                        return Err(RiskError::new(format!("depth.{what}"), "must be more than 0"));
                    }
                }
                if !(0.0..1.0).contains(&finite(fee, || "depth.fee".into())?) {
                    return Err(RiskError::new("depth.fee", format!("is {fee}; a fee lies in [0, 1)")));
                }
            }
            Self::Linear { depth } => {
                if finite(depth, || "depth.depth".into())? <= 0.0 {
                    return Err(RiskError::new("depth.depth", "must be more than 0"));
                }
            }
        }
        Ok(())
    }

    /// The market after the price has moved by `ratio` (new / old): a pool
    /// is re-priced by arbitrage along x·y = k, so x·√(1/ratio) and
    /// y·√ratio; a linear depth, in USD, is kept.
    pub fn at_price_ratio(&self, ratio: f64) -> Self {
        match *self {
            Self::ConstantProduct { base_reserve, quote_reserve, fee } => Self::ConstantProduct {
                base_reserve: base_reserve / ratio.sqrt(),
                quote_reserve: quote_reserve * ratio.sqrt(),
                fee,
            },
            linear @ Self::Linear { .. } => linear,
        }
    }

    /// Selling `amount` tokens at oracle price `price`.
    pub fn sell(&self, amount: f64, price: f64) -> Result<Sale, RiskError> {
        self.validate()?;
        if finite(amount, || "amount".into())? < 0.0 || finite(price, || "price".into())? <= 0.0 {
            return Err(RiskError::new(
                "sale",
                format!("needs an amount ≥ 0 and a price > 0, not {amount} at {price}"),
            ));
        }
        if amount == 0.0 {
            return Ok(Sale::without_impact(amount, price));
        }
        let (average_ratio, after_ratio) = match *self {
            Self::ConstantProduct { base_reserve: x, quote_reserve: y, fee } => {
                let input = amount * (1.0 - fee);
                let out = y * input / (x + input);
                // The fee stays in the pool: x grows by the whole amount.
                let spot = y / x;
                ((out / amount) / spot, ((y - out) / (x + amount)) / spot)
            }
            Self::Linear { depth } => {
                let notional = amount * price;
                if notional <= depth {
                    let impact = notional / depth;
                    (1.0 - 0.5 * impact, 1.0 - impact)
                } else {
                    (0.5 * depth / notional, 0.0)
                }
            }
        };
        let average_price = price * average_ratio;
        Ok(Sale {
            amount,
            proceeds: amount * average_price,
            average_price,
            price_after: price * after_ratio,
            price_impact: 1.0 - after_ratio,
            slippage: 1.0 - average_ratio,
        })
    }
}

/// Selling one asset's seized collateral in a liquidation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeizedSale {
    pub asset: String,
    /// The oracle price at the liquidation point.
    pub price: f64,
    pub sale: Sale,
    /// The slippage at which selling the seizure fetches just the debt it
    /// repaid: 1 − 1/bonus (for a whole-position seizure, the bonus is the
    /// collateral over the debt). A liquidator selling at more loses money.
    pub break_even_slippage: f64,
    /// The sale's slippage is past the break-even: liquidators would lose money.
    pub unprofitable: bool,
    /// A price move given to [`assess`], if any, and whether the sale moves
    /// the price more than it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub impact_limit: Option<f64>,
    pub exceeds_impact_limit: bool,
}

/// How the position's collateral fares when it must be sold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiquidityReport {
    /// Collateral at oracle prices today, USD.
    pub collateral_value: f64,
    /// What selling all of each collateral asset into its market would fetch
    /// today (an asset without a depth is taken at its price).
    pub liquidity_adjusted_collateral_value: f64,
    #[serde(deserialize_with = "super::infinity_from_null")]
    pub health_factor: f64,
    /// The health ratio with each asset's collateral valued at those proceeds.
    #[serde(deserialize_with = "super::infinity_from_null")]
    pub liquidity_adjusted_health_factor: f64,
    /// The common factor on the collateral assets' prices at which the
    /// position is liquidated (0.9 = a 10 % fall), 1 when it already is;
    /// `None` when a fall of the collateral cannot liquidate it.
    pub liquidation_price_ratio: Option<f64>,
    /// The seized collateral sold at that point.
    pub seized: Vec<SeizedSale>,
    /// Assets the position holds whose depth was not given.
    pub depth_unknown: Vec<String>,
    /// True when selling some seized collateral would fetch less than the
    /// debt repaid for it (or move its price past a given limit): liquidators
    /// would lose money, so liquidation may come late or not at all and the
    /// position can end in bad debt.
    pub flagged: bool,
}

/// Assesses `position` against each asset's market depth. A liquidation is
/// flagged when selling a seized asset's share slips more than the
/// liquidator's break-even, 1 − 1/bonus (for a position seized whole, as
/// Liquity's, the bonus is the seized collateral over the repaid debt), or
/// when it moves the price more than `impact_limit`, if given.
///
/// The liquidation point is where the collateral assets' prices fall
/// together (those whose price moves; their debt, if any, falls with them)
/// until the exact health ratio is 1, other prices held. There the close
/// factor's share of the debt is repaid and collateral worth that times the
/// bonus is seized pro rata, as in the simulation, and each asset's share
/// is sold into its market, re-priced to that point.
pub fn assess(
    position: &RiskPosition,
    depths: &[(String, MarketDepth)],
    impact_limit: Option<f64>,
) -> Result<LiquidityReport, RiskError> {
    position.validate()?;
    for (_, d) in depths {
        d.validate()?;
    }
    if let Some(limit) = impact_limit {
        if finite(limit, || "impact_limit".into())? <= 0.0 {
            return Err(RiskError::new("impact_limit", "must be more than 0"));
        }
    }
    let depth_of = |asset: &str| depths.iter().find(|(a, _)| a == asset).map(|(_, d)| *d);

    let mut collateral_value = 0.0;
    let mut adjusted_value = 0.0;
    let mut adjusted_risk_collateral = 0.0;
    let mut depth_unknown = Vec::new();
    for a in position.assets.iter().filter(|a| a.collateral > 0.0) {
        let value = a.collateral * a.price;
        let proceeds = match depth_of(&a.asset) {
            Some(d) => d.sell(a.collateral, a.price)?.proceeds,
            None => {
                depth_unknown.push(a.asset.clone());
                value
            }
        };
        collateral_value += value;
        adjusted_value += proceeds;
        adjusted_risk_collateral += proceeds * a.liquidation_threshold;
    }
    let debt_value: f64 = position.assets.iter().map(|a| a.debt * a.price).sum();
    let ratio_of = |collateral: f64| if debt_value > 0.0 { collateral / debt_value } else { f64::INFINITY };

    // Split the ratio into the part the collateral assets' prices move and the rest.
    let falls = |a: &RiskExposure| a.price_moves && a.collateral > 0.0;
    let (mut moving_c, mut fixed_c, mut moving_d, mut fixed_d) = (0.0, 0.0, 0.0, 0.0);
    for a in &position.assets {
        let (c, d) = (a.collateral * a.liquidation_threshold * a.price, a.debt * a.price);
        if falls(a) {
            moving_c += c;
            moving_d += d;
        } else {
            fixed_c += c;
            fixed_d += d;
        }
    }
    // f·C + C₀ = f·D + D₀ at the line.
    let line = (moving_c > moving_d).then(|| (fixed_d - fixed_c) / (moving_c - moving_d)).filter(|f| *f > 0.0);
    // Under the line today whatever a fall would do (e.g. a debt in the
    // collateral asset itself, which no common move can cross): 1.
    let already_liquidatable = debt_value > 0.0 && position.health_ratio() < 1.0;
    let liquidation_price_ratio = if already_liquidatable { Some(1.0) } else { line.map(|f| f.min(1.0)) };

    let mut seized = Vec::new();
    if let Some(f) = liquidation_price_ratio.filter(|_| debt_value > 0.0) {
        let price_at = |a: &RiskExposure| if falls(a) { a.price * f } else { a.price };
        let debt_at: f64 = position.assets.iter().map(|a| a.debt * price_at(a)).sum();
        let seizable: Vec<_> =
            position.assets.iter().filter(|a| a.collateral > 0.0 && a.liquidation_threshold > 0.0).collect();
        let seizable_value: f64 = seizable.iter().map(|a| a.collateral * price_at(a)).sum();
        if seizable_value > 0.0 {
            // At the line the ratio is 1; a position already under it is liquidated at today's.
            let ratio_there =
                if already_liquidatable || line.is_some_and(|l| l >= 1.0) { position.health_ratio() } else { 1.0 };
            let repaid = position.liquidation.close_factor_at(ratio_there) * debt_at;
            let bonus =
                seizable.iter().map(|a| a.collateral * price_at(a) * a.liquidation_bonus).sum::<f64>() / seizable_value;
            let total = match position.liquidation.seizure {
                Seizure::Bonus => (repaid * bonus).min(seizable_value),
                Seizure::Everything => seizable_value,
            };
            for a in seizable {
                let price = price_at(a);
                let tokens = total * (a.collateral * price / seizable_value) / price;
                let ratio = if falls(a) { f } else { 1.0 };
                let sale = match depth_of(&a.asset) {
                    Some(d) => d.at_price_ratio(ratio).sell(tokens, price)?,
                    None => Sale::without_impact(tokens, price),
                };
                // The liquidator gets bonus × repaid of collateral for repaid of
                // debt: the sale breaks even at a slippage of 1 − 1/bonus.
                let liquidator_bonus = match position.liquidation.seizure {
                    Seizure::Bonus => a.liquidation_bonus,
                    Seizure::Everything => total / repaid,
                };
                let break_even_slippage = 1.0 - 1.0 / liquidator_bonus;
                seized.push(SeizedSale {
                    asset: a.asset.clone(),
                    price,
                    sale,
                    break_even_slippage,
                    unprofitable: sale.slippage > break_even_slippage,
                    impact_limit,
                    exceeds_impact_limit: impact_limit.is_some_and(|limit| sale.price_impact > limit),
                });
            }
        }
    }
    Ok(LiquidityReport {
        collateral_value,
        liquidity_adjusted_collateral_value: adjusted_value,
        health_factor: position.health_ratio(),
        liquidity_adjusted_health_factor: ratio_of(adjusted_risk_collateral),
        liquidation_price_ratio,
        flagged: seized.iter().any(|s| s.unprofitable || s.exceeds_impact_limit),
        seized,
        depth_unknown,
    })
}

impl Sale {
    /// A sale at the oracle price: nothing sold, or a market of unknown depth.
    fn without_impact(amount: f64, price: f64) -> Self {
        Self {
            amount,
            proceeds: amount * price,
            average_price: price,
            price_after: price,
            price_impact: 0.0,
            slippage: 0.0,
        }
    }
}
