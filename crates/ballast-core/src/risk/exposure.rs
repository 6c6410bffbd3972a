//! A position as the simulation values it: per asset, the price, what is
//! held and owed, how it counts toward the health ratio, how interest grows
//! it, and what a liquidation takes. Built from an Aave [`Position`] or any
//! scenario, so Maker vaults and Liquity troves simulate the same way.

use alloy_primitives::U256;
use num_rational::BigRational;
use serde::Serialize;

use super::{finite, RiskError};
use crate::aave_v3::interest::{compounded_interest, linear_interest};
use crate::aave_v3::math::RAY;
use crate::aave_v3::position::{base_to_rational, u256_to_big, Position};
use crate::aave_v3::projection::SECONDS_PER_DAY;
use crate::exact::to_f64_lossy;
use crate::liquity_v1::mcr;
use crate::scenario::{Protocol, Scenario, ScenarioError, BPS_ONE};

/// One asset of the position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskExposure {
    pub asset: String,
    /// USD per whole token today.
    pub price: f64,
    /// False when the position is valued at a price this asset's market does
    /// not move: an Aave e-mode category's price, debt owed at par (Maker's
    /// DAI, Liquity's LUSD). Such a price is held in the simulation.
    pub price_moves: bool,
    /// Collateral held, whole tokens (counted or not).
    pub collateral: f64,
    /// The share of the collateral's value that counts toward the health
    /// ratio: Aave's liquidation threshold, 1/mat for Maker, 1/MCR for
    /// Liquity. 0: it does not count, and cannot be seized.
    pub liquidation_threshold: f64,
    /// Debt owed, whole tokens.
    pub debt: f64,
    /// Collateral value a liquidator takes per unit of debt value repaid
    /// (1.05 for a 5 % bonus); used with [`Seizure::Bonus`].
    pub liquidation_bonus: f64,
    /// The collateral's growth over one day from interest (1 for none).
    pub collateral_growth: f64,
    /// The debt's growth over one day.
    pub debt_growth: f64,
}

/// What a liquidation takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Seizure {
    /// Collateral worth the repaid debt times each asset's bonus (Aave; Maker
    /// with the penalty as the bonus: the auction keeps debt × chop and
    /// returns the rest), capped by what is held.
    Bonus,
    /// All the seizable collateral, for the repaid debt (Liquity: the
    /// Stability Pool absorbs the whole trove).
    Everything,
}

/// How the protocol liquidates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LiquidationTerms {
    /// The share of the debt one liquidation repays.
    pub close_factor: f64,
    /// At or below this health ratio the whole debt may be repaid (Aave
    /// V3.0: 0.95); `None` for never.
    pub full_close_threshold: Option<f64>,
    pub seizure: Seizure,
    /// A full liquidation takes the whole debt even when the collateral does
    /// not cover it with the penalty (Maker's `bark`: a shortfall is the
    /// system's bad debt, not the owner's). Otherwise the debt the seized
    /// collateral does not cover stays with the owner (Aave V3.0).
    pub takes_whole_debt: bool,
}

impl LiquidationTerms {
    /// Aave V3.0's `LiquidationLogic`: 50 % of the debt while the health
    /// factor is above 0.95, all of it at or below. (V3.3's rules for small
    /// positions are not modelled here.)
    pub const AAVE_V3: Self =
        Self { close_factor: 0.5, full_close_threshold: Some(0.95), seizure: Seizure::Bonus, takes_whole_debt: false };
    /// A Maker vault is liquidated whole (`Dog.bark`): its debt goes to the
    /// auction, which sells collateral for debt × chop and returns the rest.
    pub const MAKER: Self =
        Self { close_factor: 1.0, full_close_threshold: None, seizure: Seizure::Bonus, takes_whole_debt: true };
    /// A Liquity trove is closed, its collateral going to the Stability Pool.
    pub const LIQUITY_V1: Self =
        Self { close_factor: 1.0, full_close_threshold: None, seizure: Seizure::Everything, takes_whole_debt: true };

    /// The share of the debt a liquidation at `health_ratio` repays.
    pub fn close_factor_at(&self, health_ratio: f64) -> f64 {
        match self.full_close_threshold {
            Some(t) if health_ratio <= t => 1.0,
            _ => self.close_factor,
        }
    }
}

/// Maker's liquidation penalty when the scenario states no `chop` for the
/// ilk: 13 %, ETH-A's.
pub const MAKER_DEFAULT_PENALTY: f64 = 1.13;

/// The position the simulation values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskPosition {
    pub assets: Vec<RiskExposure>,
    pub liquidation: LiquidationTerms,
}

impl RiskPosition {
    /// An Aave V3 position: each held reserve at its effective price (the
    /// e-mode category's when it has one), its liquidation threshold and
    /// bonus (e-mode's in the category), and a day's interest as the Pool
    /// accrues it: linear for suppliers, the Pool's compounded
    /// approximation for borrowers (see [`crate::aave_v3::projection`]).
    pub fn from_aave(position: &Position) -> Result<Self, RiskError> {
        let emode = position.emode.as_ref();
        let mut assets = Vec::new();
        for r in position.reserves.iter().filter(|r| !r.collateral.is_zero() || !r.debt.is_zero()) {
            let field = |what: &str| format!("{}.{what}", r.symbol);
            let counts = r.counts_as_collateral();
            let threshold = if counts { r.effective_liquidation_threshold(emode) } else { 0 };
            let bonus = if r.in_emode(emode) {
                emode.map_or(r.liquidation_bonus, |e| e.liquidation_bonus)
            } else {
                r.liquidation_bonus
            };
            let day_supply = linear_interest(r.supply_rate, 0, SECONDS_PER_DAY)
                .ok_or_else(|| RiskError::new(field("supply_rate"), "overflows the Pool's interest arithmetic"))?;
            let day_debt = compounded_interest(r.variable_borrow_rate, 0, SECONDS_PER_DAY).ok_or_else(|| {
                RiskError::new(field("variable_borrow_rate"), "overflows the Pool's interest arithmetic")
            })?;
            assets.push(RiskExposure {
                asset: r.symbol.clone(),
                price: finite(to_f64_lossy(&base_to_rational(r.effective_price_base(emode))), || field("price"))?,
                price_moves: !r.priced_by_emode(emode),
                collateral: finite(to_f64_lossy(&r.tokens(r.collateral)), || field("collateral"))?,
                liquidation_threshold: f64::from(threshold) / f64::from(BPS_ONE),
                debt: finite(to_f64_lossy(&r.tokens(r.debt)), || field("debt"))?,
                // A reserve without a bonus (debt only) is never seized; 1 keeps the sums sane.
                liquidation_bonus: if bonus == 0 { 1.0 } else { f64::from(bonus) / f64::from(BPS_ONE) },
                collateral_growth: ray_to_f64(day_supply),
                debt_growth: ray_to_f64(day_debt),
            });
        }
        let position = Self { assets, liquidation: LiquidationTerms::AAVE_V3 };
        position.validate()?;
        Ok(position)
    }

    /// Any validated scenario. Maker: the collateral counts at 1/mat against
    /// DAI owed at `par`, liquidated whole with the ilk's `chop` (else
    /// [`MAKER_DEFAULT_PENALTY`]);
    /// the stability fee is not in the format, so the debt does not grow.
    /// Liquity: the collateral counts at 1/MCR (110 %) against LUSD at 1,
    /// the trove closed whole; recovery mode is not modelled.
    pub fn from_scenario(s: &Scenario) -> Result<Self, RiskError> {
        s.validate()?;
        match s.protocol {
            Protocol::Aave(_) => Self::from_aave(&Position::from_scenario(s)?),
            Protocol::Maker | Protocol::LiquityV1 => {
                let (collateral, debt) = s.single_pair()?;
                let (i, asset) = s
                    .asset(&collateral.asset)
                    .ok_or_else(|| ScenarioError::new("collateral[0].asset", "is not listed"))?;
                let price = asset
                    .price
                    .as_ref()
                    .ok_or_else(|| ScenarioError::new(format!("assets[{i}].price"), "is required"))?
                    .to_rational();
                let (threshold, par, penalty, terms) = if s.protocol == Protocol::Maker {
                    let mat = asset
                        .liquidation_ratio
                        .as_ref()
                        .ok_or_else(|| ScenarioError::new(format!("assets[{i}].liquidation_ratio"), "is required"))?
                        .to_rational();
                    let par = s.par.as_ref().map_or_else(|| BigRational::from_integer(1.into()), |p| p.to_rational());
                    let penalty = match &asset.chop {
                        Some(chop) => finite(to_f64_lossy(&chop.to_rational()), || format!("assets[{i}].chop"))?,
                        None => MAKER_DEFAULT_PENALTY,
                    };
                    (BigRational::from_integer(1.into()) / mat, par, penalty, LiquidationTerms::MAKER)
                } else {
                    (
                        BigRational::from_integer(1.into()) / mcr(),
                        BigRational::from_integer(1.into()),
                        1.0,
                        LiquidationTerms::LIQUITY_V1,
                    )
                };
                let number = |r: &BigRational, what: &str| finite(to_f64_lossy(r), || what.to_owned());
                let assets = vec![
                    RiskExposure {
                        asset: asset.symbol.clone(),
                        price: number(&price, "collateral price")?,
                        price_moves: true,
                        collateral: number(&collateral.amount.to_rational(), "collateral amount")?,
                        liquidation_threshold: number(&threshold, "liquidation threshold")?,
                        debt: 0.0,
                        liquidation_bonus: penalty,
                        collateral_growth: 1.0,
                        debt_growth: 1.0,
                    },
                    RiskExposure {
                        asset: debt.asset.clone(),
                        price: number(&par, "par")?,
                        price_moves: false,
                        collateral: 0.0,
                        liquidation_threshold: 0.0,
                        debt: number(&debt.amount.to_rational(), "debt amount")?,
                        liquidation_bonus: 1.0,
                        collateral_growth: 1.0,
                        debt_growth: 1.0,
                    },
                ];
                let position = Self { assets, liquidation: terms };
                position.validate()?;
                Ok(position)
            }
        }
    }

    /// Checks every number is usable: finite, prices and growth positive,
    /// amounts and thresholds not negative, bonuses at least 1, a close
    /// factor in (0, 1].
    pub fn validate(&self) -> Result<(), RiskError> {
        for a in &self.assets {
            let at = |what: &str| format!("position.{}.{what}", a.asset);
            for (what, value, minimum, strict) in [
                ("price", a.price, 0.0, true),
                ("collateral", a.collateral, 0.0, false),
                ("liquidation_threshold", a.liquidation_threshold, 0.0, false),
                ("debt", a.debt, 0.0, false),
                ("liquidation_bonus", a.liquidation_bonus, 1.0, false),
                ("collateral_growth", a.collateral_growth, 0.0, true),
                ("debt_growth", a.debt_growth, 0.0, true),
            ] {
                finite(value, || at(what))?;
                if value < minimum || (strict && value == minimum) {
                    let bound = if strict { "more than" } else { "at least" };
                    return Err(RiskError::new(at(what), format!("is {value}; it must be {bound} {minimum}")));
                }
            }
        }
        let cf = self.liquidation.close_factor;
        if !(cf > 0.0 && cf <= 1.0) {
            return Err(RiskError::new("position.liquidation.close_factor", format!("is {cf}; it must lie in (0, 1]")));
        }
        Ok(())
    }

    /// Σ collateral × threshold × price / Σ debt × price today: the exact
    /// health ratio (the Pool's rounding aside), +∞ without debt.
    pub fn health_ratio(&self) -> f64 {
        let collateral: f64 = self.assets.iter().map(|a| a.collateral * a.liquidation_threshold * a.price).sum();
        let debt: f64 = self.assets.iter().map(|a| a.debt * a.price).sum();
        if debt > 0.0 {
            collateral / debt
        } else {
            f64::INFINITY
        }
    }

    /// Collateral value less debt value today, USD.
    pub fn net_value(&self) -> f64 {
        self.assets.iter().map(|a| (a.collateral - a.debt) * a.price).sum()
    }
}

/// A ray (1e27 = 1) as an f64.
fn ray_to_f64(ray: U256) -> f64 {
    to_f64_lossy(&BigRational::new(u256_to_big(ray).into(), u256_to_big(RAY).into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(json: &str) -> Scenario {
        Scenario::parse(json).unwrap()
    }

    #[test]
    fn reads_an_aave_position_with_its_rates() {
        let s = scenario(
            r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[
              {"symbol":"WETH","decimals":18,"price":"2000","ltv_bps":8000,"liquidation_threshold_bps":8250,
               "liquidation_bonus_bps":10500,"supply_rate":"0.0365"},
              {"symbol":"USDC","decimals":6,"price":"1.0001","ltv_bps":7700,"liquidation_threshold_bps":8000,
               "liquidation_bonus_bps":10450,"variable_borrow_rate":"0.073"}],
              "collateral":[{"asset":"WETH","amount":"10"}],"debt":[{"asset":"USDC","amount":"5000"}]}"#,
        );
        let p = RiskPosition::from_scenario(&s).unwrap();
        let (weth, usdc) = (&p.assets[0], &p.assets[1]);
        assert_eq!((weth.collateral, weth.liquidation_threshold, weth.liquidation_bonus), (10.0, 0.825, 1.05));
        assert_eq!((usdc.debt, usdc.price, usdc.liquidation_threshold), (5000.0, 1.0001, 0.0));
        // 3.65 % linear over a day is exactly 0.0001; 7.3 % compounded by
        // the Pool's three-term expansion is e^0.0002 to ~1e-12.
        assert!((weth.collateral_growth - 1.0001).abs() < 1e-15, "{}", weth.collateral_growth);
        assert!((usdc.debt_growth - 0.0002f64.exp()).abs() < 1e-12, "{}", usdc.debt_growth);
        // The spec example's exact ratio: 16500 / 5000.5.
        assert!((p.health_ratio() - 16_500.0 / 5_000.5).abs() < 1e-12);
        assert!((p.net_value() - (20_000.0 - 5_000.5)).abs() < 1e-9);
    }

    #[test]
    fn reads_maker_and_liquity_positions() {
        let maker = RiskPosition::from_scenario(&scenario(
            r#"{"schema":"ballast.scenario/1","protocol":"maker","assets":[
              {"symbol":"ETH","price":"2000","liquidation_ratio":"1.45"},{"symbol":"DAI"}],
              "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"DAI","amount":"5000"}]}"#,
        ))
        .unwrap();
        // 20000 / 1.45 / 5000, the report's health factor.
        assert!((maker.health_ratio() - 20_000.0 / 1.45 / 5_000.0).abs() < 1e-12);
        assert_eq!(maker.liquidation, LiquidationTerms::MAKER);
        assert!(!maker.assets[1].price_moves);
        let liquity = RiskPosition::from_scenario(&scenario(
            r#"{"schema":"ballast.scenario/1","protocol":"liquity-v1","assets":[
              {"symbol":"ETH","price":"2000"},{"symbol":"LUSD"}],
              "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"LUSD","amount":"10000"}]}"#,
        ))
        .unwrap();
        // ICR 200 % over MCR 110 %.
        assert!((liquity.health_ratio() - 2.0 / 1.1).abs() < 1e-12);
        assert_eq!(liquity.liquidation.seizure, Seizure::Everything);
    }

    #[test]
    fn aave_close_factor_doubles_at_095() {
        let t = LiquidationTerms::AAVE_V3;
        assert_eq!((t.close_factor_at(0.99), t.close_factor_at(0.95), t.close_factor_at(0.5)), (0.5, 1.0, 1.0));
    }
}
