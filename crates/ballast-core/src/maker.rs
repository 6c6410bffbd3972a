//! A Maker vault: collateralisation against the ilk's liquidation ratio.
//!
//! health factor = collateral × price / (debt × mat × par); liquidatable iff
//! it is below 1 (the Spotter's ray rounding is ignored, as the spec says).

use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::exact::format_exact;
use crate::liquidation::{liquidation_prices, PriceExposure};
use crate::report::Report;
use crate::scenario::{Scenario, ScenarioError};

pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    s.reject_unused_fields()?;
    let (collateral, debt) = s.single_pair()?;
    let (ci, c) =
        s.asset(&collateral.asset).ok_or_else(|| ScenarioError::new("collateral[0].asset", "is not listed"))?;
    if c.price.is_none() {
        return Err(ScenarioError::new(format!("assets[{ci}].price"), format!("is required for {}", c.symbol)));
    }
    match &c.liquidation_ratio {
        None => {
            return Err(ScenarioError::new(
                format!("assets[{ci}].liquidation_ratio"),
                format!("is required for {} (the ilk's mat, e.g. \"1.45\")", c.symbol),
            ))
        }
        Some(mat) if mat.is_zero() => {
            return Err(ScenarioError::new(format!("assets[{ci}].liquidation_ratio"), "must be more than 0"))
        }
        Some(_) => {}
    }
    let (di, d) = s.asset(&debt.asset).ok_or_else(|| ScenarioError::new("debt[0].asset", "is not listed"))?;
    if d.price.is_some() || d.liquidation_ratio.is_some() {
        return Err(ScenarioError::new(
            format!("assets[{di}]"),
            format!("{} is DAI owed at par: list it by symbol alone (set \"par\" at the top level)", d.symbol),
        ));
    }
    if collateral.asset == debt.asset {
        return Err(ScenarioError::new("debt[0].asset", "must differ from the collateral asset"));
    }
    if let Some(par) = &s.par {
        if par.is_zero() {
            return Err(ScenarioError::new("par", "must be more than 0"));
        }
    }
    Ok(())
}

pub(crate) fn evaluate(s: &Scenario) -> Result<Report, ScenarioError> {
    let (collateral, debt) = s.single_pair()?;
    let (_, asset) =
        s.asset(&collateral.asset).ok_or_else(|| ScenarioError::new("collateral[0].asset", "is not listed"))?;
    let (Some(price), Some(mat)) = (&asset.price, &asset.liquidation_ratio) else {
        return Err(ScenarioError::new("assets", "the collateral needs price and liquidation_ratio"));
    };
    let price = price.to_rational();
    let mat = mat.to_rational();
    let par = s.par.as_ref().map_or_else(BigRational::one, |p| p.to_rational());
    let amount = collateral.amount.to_rational();
    let owed = debt.amount.to_rational();

    let collateral_value = &amount * &price;
    let health_factor = (!owed.is_zero()).then(|| &collateral_value / (&owed * &mat * &par));
    let liquidatable = health_factor.as_ref().is_some_and(|hf| *hf < BigRational::one());
    let liquidation_prices = if health_factor.is_some() {
        let exposure = PriceExposure {
            asset: asset.symbol.clone(),
            price,
            collateral_weight: &amount / (&mat * &par),
            debt_weight: BigRational::zero(),
            price_moves_health: true,
        };
        liquidation_prices(&[exposure], &BigRational::zero(), &owed)
    } else {
        Vec::new()
    };
    Ok(Report {
        health_factor: health_factor.as_ref().map(format_exact),
        health_factor_exact: health_factor,
        recovery_mode: None,
        collateral_value: format_exact(&collateral_value),
        debt_value: format_exact(&owed),
        liquidatable,
        liquidation_prices,
        aave_v3: None,
    })
}
