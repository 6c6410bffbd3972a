//! Helpers for interactive what-ifs: turning a slider's move into a price the
//! protocol accepts, rounded toward danger so a what-if never looks safer
//! than the move the user asked for.

use num_bigint::BigInt;
use num_integer::Integer;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use crate::aave_v3::position::Position;
use crate::aave_v3::revisions::AaveRevision;
use crate::aave_v3::BASE_CURRENCY_DECIMALS;
use crate::exact::{format_exact, pow10, PlainDecimal};
use crate::liquidation::PriceExposure;
use crate::scenario::{Protocol, Scenario, ScenarioError};

/// Decimals a maker or liquity-v1 what-if price keeps (the OSM's wad).
pub const VAULT_PRICE_DECIMALS: u32 = 18;

/// Which way a price move hurts the position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Danger {
    /// Mostly collateral: a lower price is worse.
    Falling,
    /// Mostly debt: a higher price is worse.
    Rising,
    /// The price does not move the health factor.
    Neither,
}

/// How `asset`'s price moves the scenario's health.
pub fn danger_of(s: &Scenario, asset: &str) -> Result<Danger, ScenarioError> {
    Dangers::default().of(s, asset)
}

/// [`danger_of`] for several assets of one scenario: an Aave position and
/// its price exposures are built once, at the first asset asked about.
#[derive(Default)]
pub(crate) struct Dangers {
    exposures: Option<Vec<PriceExposure>>,
}

impl Dangers {
    pub(crate) fn of(&mut self, s: &Scenario, asset: &str) -> Result<Danger, ScenarioError> {
        match s.protocol {
            Protocol::Aave(_) => {
                let exposures = match &mut self.exposures {
                    Some(exposures) => exposures,
                    empty @ None => empty.insert(Position::from_scenario(s)?.price_exposures()),
                };
                let Some(e) = exposures.iter().find(|e| e.asset == asset && e.price_moves_health) else {
                    return Ok(Danger::Neither);
                };
                let net = &e.collateral_weight - &e.debt_weight;
                Ok(if net.is_positive() {
                    Danger::Falling
                } else if net.is_negative() {
                    Danger::Rising
                } else {
                    Danger::Neither
                })
            }
            Protocol::Maker | Protocol::LiquityV1 => {
                Ok(if s.collateral.iter().any(|h| h.asset == asset) { Danger::Falling } else { Danger::Neither })
            }
        }
    }
}

/// `price × (1 + move_fraction)`, rounded to the decimals the protocol takes
/// (8 for Aave's base currency), toward danger; at least one unit, so a
/// price never reaches 0.
pub fn price_after_move(s: &Scenario, asset: &str, move_fraction: &BigRational) -> Result<PlainDecimal, ScenarioError> {
    PriceMover::new(s, asset)?.moved(move_fraction)
}

/// [`price_after_move`] for several assets of one scenario, with their
/// dangers looked up in `dangers` (built once for all of them).
pub(crate) fn price_after_move_with(
    s: &Scenario,
    asset: &str,
    move_fraction: &BigRational,
    dangers: &mut Dangers,
) -> Result<PlainDecimal, ScenarioError> {
    PriceMover::new_with(s, asset, dangers)?.moved(move_fraction)
}

/// One asset's price with what [`price_after_move`] looks up, so a curve
/// moves it many times for the cost of one lookup.
struct PriceMover {
    index: usize,
    price: BigRational,
    /// 10^decimals the protocol keeps.
    scale: BigInt,
    danger: Danger,
}

impl PriceMover {
    fn new(s: &Scenario, asset: &str) -> Result<Self, ScenarioError> {
        Self::new_with(s, asset, &mut Dangers::default())
    }

    fn new_with(s: &Scenario, asset: &str, dangers: &mut Dangers) -> Result<Self, ScenarioError> {
        let (index, a) =
            s.asset(asset).ok_or_else(|| ScenarioError::new("asset", format!("{asset:?} is not listed")))?;
        let price =
            a.price.as_ref().ok_or_else(|| ScenarioError::new(format!("assets[{index}].price"), "is not set"))?;
        let decimals = if s.protocol.is_aave() { BASE_CURRENCY_DECIMALS } else { VAULT_PRICE_DECIMALS };
        Ok(Self {
            index,
            price: price.to_rational(),
            scale: BigInt::from(pow10(decimals)),
            danger: dangers.of(s, asset)?,
        })
    }

    fn moved(&self, move_fraction: &BigRational) -> Result<PlainDecimal, ScenarioError> {
        // price × (1 + m) × scale as one fraction of integers (both denominators
        // are positive), rounded by one division: no reductions on the way.
        let numer = self.price.numer() * (move_fraction.denom() + move_fraction.numer()) * &self.scale;
        let denom = self.price.denom() * move_fraction.denom();
        let units = match self.danger {
            Danger::Rising => numer.div_ceil(&denom),
            Danger::Falling | Danger::Neither => numer.div_floor(&denom),
        };
        let units = if units.is_positive() { units } else { BigInt::one() };
        PlainDecimal::parse(&format_exact(&BigRational::new(units, self.scale.clone())))
            .map_err(|e| ScenarioError::new(format!("assets[{}].price", self.index), format!("the moved price {e}")))
    }
}

/// `steps + 1` evenly spaced moves from `from` to `to`, both included: the
/// x-axis of a health curve. No steps gives `from` alone.
pub fn even_moves(from: &BigRational, to: &BigRational, steps: u32) -> Vec<BigRational> {
    if steps == 0 {
        return vec![from.clone()];
    }
    let step = (to - from) / BigRational::from_integer(steps.into());
    (0..=steps).map(|i| from + &step * BigRational::from_integer(i.into())).collect()
}

/// The health factor at each price of `asset` after each of `moves` (a
/// fraction of its price now), every other price held: the price as
/// [`price_after_move`] rounds it and the health factor the engine reports
/// there, `None` where nothing is owed.
pub fn health_curve(
    s: &Scenario,
    asset: &str,
    moves: &[BigRational],
) -> Result<Vec<(PlainDecimal, Option<BigRational>)>, ScenarioError> {
    let mover = PriceMover::new(s, asset)?;
    moves
        .iter()
        .map(|m| {
            let price = mover.moved(m)?;
            let mut moved = s.clone();
            moved.assets[mover.index].price = Some(price.clone());
            Ok((price, health_factor(&moved)?))
        })
        .collect()
}

/// The health factor [`crate::evaluate`] reports, without the rest of the
/// report: Aave V3.0's is the Pool's account data alone, some thirty times
/// cheaper than the whole report, which matters for a curve redrawn while a
/// slider moves.
pub(crate) fn health_factor(s: &Scenario) -> Result<Option<BigRational>, ScenarioError> {
    match s.protocol {
        Protocol::Aave(AaveRevision::V3_0) => {
            s.validate()?;
            Ok(Position::from_scenario(s)?.account_data()?.health_factor_exact())
        }
        _ => Ok(crate::evaluate(s)?.health_factor_exact),
    }
}

/// The collateral a basket crash moves: every held collateral asset with a
/// price that the scenario does not mark `stable`, in holding order.
pub fn non_stable_collateral(s: &Scenario) -> Vec<String> {
    s.collateral
        .iter()
        .filter_map(|h| s.asset(&h.asset))
        .filter(|(_, a)| a.price.is_some() && a.stable != Some(true))
        .map(|(_, a)| a.symbol.clone())
        .collect()
}

/// The health factor after each of `moves` applied to every
/// [`non_stable_collateral`] price at once (−0.4: all of them 40 % down,
/// each rounded as [`price_after_move`] does), stables and debt held.
pub fn basket_health_curve(
    s: &Scenario,
    moves: &[BigRational],
) -> Result<Vec<(BigRational, Option<BigRational>)>, ScenarioError> {
    let mut dangers = Dangers::default();
    let basket = non_stable_collateral(s)
        .iter()
        .map(|symbol| PriceMover::new_with(s, symbol, &mut dangers))
        .collect::<Result<Vec<_>, _>>()?;
    moves
        .iter()
        .map(|m| {
            let mut moved = s.clone();
            for mover in &basket {
                moved.assets[mover.index].price = Some(mover.moved(m)?);
            }
            Ok((m.clone(), health_factor(&moved)?))
        })
        .collect()
}

/// The collateral holding worth the most at today's prices (the first of
/// equals), the asset a price chart starts on.
pub fn largest_collateral(s: &Scenario) -> Option<String> {
    let value = |h: &crate::scenario::Holding| {
        let price = s.asset(&h.asset)?.1.price.as_ref()?.to_rational();
        Some(h.amount.to_rational() * price)
    };
    let mut largest: Option<(&str, BigRational)> = None;
    for h in &s.collateral {
        if let Some(v) = value(h) {
            if largest.as_ref().is_none_or(|(_, best)| v > *best) {
                largest = Some((&h.asset, v));
            }
        }
    }
    largest.map(|(symbol, _)| symbol.to_owned())
}

/// The move of `price` from `original`, a fraction (−0.3 is 30 % down).
pub fn move_between(original: &BigRational, price: &BigRational) -> BigRational {
    if original.is_zero() {
        BigRational::zero()
    } else {
        (price - original) / original
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Scenario {
        Scenario::parse(include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json")).unwrap()
    }

    fn frac(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn collateral_prices_round_down_and_debt_prices_up() {
        let s = spec();
        assert_eq!(danger_of(&s, "WETH").unwrap(), Danger::Falling);
        assert_eq!(danger_of(&s, "USDC").unwrap(), Danger::Rising);
        // 2000 × (1 − 1/3) = 1333.333333333… → 1333.33333333 (down, 8 decimals).
        assert_eq!(price_after_move(&s, "WETH", &frac(-1, 3)).unwrap().as_str(), "1333.33333333");
        // 1.0001 × (1 + 1/3) = 1.33346666… → 1.33346667 (up).
        assert_eq!(price_after_move(&s, "USDC", &frac(1, 3)).unwrap().as_str(), "1.33346667");
    }

    fn maker(price: &str) -> Scenario {
        Scenario::parse(&format!(
            r#"{{"schema":"ballast.scenario/1","protocol":"maker",
              "assets":[{{"symbol":"ETH","price":"{price}","liquidation_ratio":"1.45"}},{{"symbol":"DAI"}}],
              "collateral":[{{"asset":"ETH","amount":"10"}}],"debt":[{{"asset":"DAI","amount":"5000"}}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn moves_are_evenly_spaced_with_both_ends() {
        let moves = even_moves(&frac(-95, 100), &frac(1, 1), 60);
        assert_eq!(moves.len(), 61);
        assert_eq!(moves[0], frac(-95, 100));
        assert_eq!(moves[60], frac(1, 1));
        assert_eq!(&moves[1] - &moves[0], frac(195, 6000));
        assert_eq!(even_moves(&frac(1, 2), &frac(1, 1), 0), vec![frac(1, 2)]);
    }

    #[test]
    fn a_health_curve_crosses_1_at_the_liquidation_price() {
        // 10 ETH against 5000 DAI at mat 1.45: HF = 10 p / 7250 = p / 725, so
        // the line is 725, −63.75 % of 2000.
        let s = maker("2000");
        let curve = health_curve(&s, "ETH", &[frac(-6375, 10000), frac(0, 1), frac(45, 100)]).unwrap();
        let shown: Vec<_> = curve.iter().map(|(p, hf)| (p.as_str(), hf.clone())).collect();
        assert_eq!(shown, [("725", Some(frac(1, 1))), ("2000", Some(frac(80, 29))), ("2900", Some(frac(4, 1)))],);
        assert_eq!(crate::evaluate(&s).unwrap().liquidation_prices[0].price, "725");
    }

    #[test]
    fn health_rises_with_a_collateral_price_and_falls_with_a_debt_price() {
        let s = spec();
        let moves = even_moves(&frac(-95, 100), &frac(1, 1), 60);
        let hf = |asset| -> Vec<BigRational> {
            health_curve(&s, asset, &moves).unwrap().into_iter().map(|(_, hf)| hf.unwrap()).collect()
        };
        assert!(hf("WETH").windows(2).all(|w| w[0] < w[1]));
        assert!(hf("USDC").windows(2).all(|w| w[0] > w[1]));
        // Aave's line for WETH: 5000 × 1.0001 / (10 × 0.825) = 606.0606…; the
        // curve is under 1 below it and over 1 above it.
        let curve = health_curve(&s, "WETH", &[frac(-6970, 10000), frac(-6969, 10000)]).unwrap();
        assert_eq!(curve[0].0.as_str(), "606");
        assert!(curve[0].1.as_ref().unwrap() < &frac(1, 1));
        assert_eq!(curve[1].0.as_str(), "606.2");
        assert!(curve[1].1.as_ref().unwrap() > &frac(1, 1));
    }

    #[test]
    fn curve_points_are_what_evaluate_reports_at_that_price() {
        let moves = even_moves(&frac(-95, 100), &frac(1, 1), 12);
        for protocol in ["aave-v3", "aave-v3.3"] {
            let s = Scenario::parse(
                &include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json")
                    .replace(r#""protocol": "aave-v3""#, &format!(r#""protocol": "{protocol}""#)),
            )
            .unwrap();
            for (price, hf) in health_curve(&s, "WETH", &moves).unwrap() {
                let mut moved = s.clone();
                moved.assets[0].price = Some(price);
                assert_eq!(hf, crate::evaluate(&moved).unwrap().health_factor_exact, "{protocol}");
            }
        }
    }

    #[test]
    fn a_basket_crash_moves_only_non_stable_collateral() {
        // USDC supplied too and marked stable: only WETH moves.
        let json = include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json")
            .replace(r#""liquidation_bonus_bps": 10450"#, r#""liquidation_bonus_bps": 10450, "stable": true"#)
            .replace(
                r#""collateral": [ { "asset": "WETH", "amount": "10" } ]"#,
                r#""collateral": [ { "asset": "WETH", "amount": "10" }, { "asset": "USDC", "amount": "1000" } ]"#,
            );
        let s = Scenario::parse(&json).unwrap();
        assert_eq!(non_stable_collateral(&s), ["WETH"]);
        let moves = even_moves(&frac(-95, 100), &frac(0, 1), 19);
        let basket = basket_health_curve(&s, &moves).unwrap();
        let weth = health_curve(&s, "WETH", &moves).unwrap();
        assert_eq!(basket.len(), 20);
        for ((m, hf), (_, weth_hf)) in basket.iter().zip(&weth) {
            assert!(moves.contains(m));
            assert_eq!(hf, weth_hf);
        }
        assert_eq!(basket.last().unwrap().1, crate::evaluate(&s).unwrap().health_factor_exact);
        // Without the flag USDC falls with WETH; more of it is owed than
        // supplied, so its fall lifts the health factor.
        let unflagged = Scenario::parse(&json.replace(r#", "stable": true"#, "")).unwrap();
        assert_eq!(non_stable_collateral(&unflagged), ["WETH", "USDC"]);
        let both = basket_health_curve(&unflagged, &moves).unwrap();
        assert!(both[0].1 > basket[0].1);
    }

    #[test]
    fn the_largest_collateral_is_by_value_not_amount() {
        let json = include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json").replace(
            r#""collateral": [ { "asset": "WETH", "amount": "10" } ]"#,
            r#""collateral": [ { "asset": "USDC", "amount": "19000" }, { "asset": "WETH", "amount": "10" } ]"#,
        );
        assert_eq!(largest_collateral(&Scenario::parse(&json).unwrap()).as_deref(), Some("WETH"));
        assert_eq!(largest_collateral(&maker("2000")).as_deref(), Some("ETH"));
    }

    #[test]
    fn a_price_never_reaches_zero() {
        assert_eq!(price_after_move(&spec(), "WETH", &frac(-1, 1)).unwrap().as_str(), "0.00000001");
    }
}
