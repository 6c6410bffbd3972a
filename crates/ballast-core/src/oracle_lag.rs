//! "Your health factor at the oracle's worst-case lag": a Chainlink feed
//! writes a new round only when the price moves past its deviation threshold
//! (or its heartbeat fires), so the market may already be up to that far
//! from the price the protocol uses. This moves every price by its feed's
//! threshold in the direction that hurts the position, all at once, and
//! values the position there.

use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::exact::PlainDecimal;
use crate::scenario::{Scenario, ScenarioError};
use crate::what_if::{health_factor, price_after_move_with, Danger, Dangers};

/// One price moved to its feed's worst case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaggedPrice {
    pub asset: String,
    pub danger: Danger,
    /// The price the protocol uses now.
    pub oracle_price: PlainDecimal,
    /// Where the market may already be: rounded toward danger as
    /// [`crate::what_if::price_after_move`] rounds.
    pub market_price: PlainDecimal,
}

/// The position valued at the moved prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OracleLag {
    pub prices: Vec<LaggedPrice>,
    /// `None` when nothing is owed.
    pub health_factor: Option<BigRational>,
}

/// The health factor if each `(asset, threshold)`'s market price has already
/// moved by `threshold` (a fraction: 0.005 for a 0.5 % feed) against the
/// position without a new round. An asset whose price does not move the
/// health factor keeps its price; assets not listed keep theirs.
///
/// The position's dangers are worked out once for all the assets, and the
/// moved scenario is valued for its health factor alone (what
/// [`crate::evaluate`] reports as `health_factor_exact`).
pub fn health_at_oracle_lag(s: &Scenario, thresholds: &[(&str, BigRational)]) -> Result<OracleLag, ScenarioError> {
    let mut dangers = Dangers::default();
    let mut moved = s.clone();
    let mut prices = Vec::with_capacity(thresholds.len());
    for (asset, threshold) in thresholds {
        if threshold.is_negative() || *threshold >= BigRational::from_integer(1.into()) {
            return Err(ScenarioError::new(
                "deviation threshold",
                format!("{asset}'s threshold must be at least 0 and below 100 %"),
            ));
        }
        let (index, a) =
            s.asset(asset).ok_or_else(|| ScenarioError::new("asset", format!("{asset:?} is not listed")))?;
        let oracle_price =
            a.price.clone().ok_or_else(|| ScenarioError::new(format!("assets[{index}].price"), "is not set"))?;
        let danger = dangers.of(s, asset)?;
        let fraction = match danger {
            Danger::Falling => -threshold.clone(),
            Danger::Rising => threshold.clone(),
            Danger::Neither => BigRational::zero(),
        };
        let market_price = if fraction.is_zero() {
            oracle_price.clone()
        } else {
            price_after_move_with(s, asset, &fraction, &mut dangers)?
        };
        moved.assets[index].price = Some(market_price.clone());
        prices.push(LaggedPrice { asset: (*asset).to_owned(), danger, oracle_price, market_price });
    }
    let health_factor = health_factor(&moved)?;
    Ok(OracleLag { prices, health_factor })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frac(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    fn spec() -> Scenario {
        Scenario::parse(include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json")).unwrap()
    }

    #[test]
    fn a_vault_at_a_half_percent_lag() {
        // 10 ETH at 2000 against 5000 DAI at mat 1.45: HF = 10 p / 7250 = p / 725.
        let s = Scenario::parse(
            r#"{"schema":"ballast.scenario/1","protocol":"maker",
              "assets":[{"symbol":"ETH","price":"2000","liquidation_ratio":"1.45"},{"symbol":"DAI"}],
              "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"DAI","amount":"5000"}]}"#,
        )
        .unwrap();
        let lag = health_at_oracle_lag(&s, &[("ETH", frac(5, 1000))]).unwrap();
        assert_eq!(lag.prices[0].market_price.as_str(), "1990");
        assert_eq!(lag.prices[0].danger, Danger::Falling);
        // 1990 / 725 = 398 / 145, against 2000 / 725 = 80 / 29 at the oracle's price.
        assert_eq!(lag.health_factor, Some(frac(398, 145)));
    }

    #[test]
    fn collateral_falls_and_debt_rises_together() {
        // WETH 2000 → 1990 (0.5 % down), USDC 1.0001 → 1.00260025 (0.25 % up, 8 decimals rounded up).
        let s = spec();
        let lag = health_at_oracle_lag(&s, &[("WETH", frac(5, 1000)), ("USDC", frac(25, 10000))]).unwrap();
        let moved: Vec<_> = lag.prices.iter().map(|p| (p.asset.as_str(), p.market_price.as_str(), p.danger)).collect();
        assert_eq!(moved, [("WETH", "1990", Danger::Falling), ("USDC", "1.00260025", Danger::Rising)]);
        let now = crate::evaluate(&s).unwrap().health_factor_exact.unwrap();
        let lagged = lag.health_factor.unwrap();
        assert!(lagged < now, "{lagged} not below {now}");
        // The same as valuing the moved prices directly.
        let mut by_hand = s.clone();
        by_hand.assets[0].price = Some(PlainDecimal::parse("1990").unwrap());
        by_hand.assets[1].price = Some(PlainDecimal::parse("1.00260025").unwrap());
        assert_eq!(Some(lagged), crate::evaluate(&by_hand).unwrap().health_factor_exact);
    }

    #[test]
    fn thresholds_must_be_fractions_below_one() {
        let s = spec();
        assert!(health_at_oracle_lag(&s, &[("WETH", frac(-1, 100))]).is_err());
        assert!(health_at_oracle_lag(&s, &[("WETH", frac(1, 1))]).is_err());
        assert!(health_at_oracle_lag(&s, &[("BTC", frac(1, 100))]).is_err());
        let none = health_at_oracle_lag(&s, &[]).unwrap();
        assert_eq!(none.health_factor, crate::evaluate(&s).unwrap().health_factor_exact);
    }
}
