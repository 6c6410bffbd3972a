//! A Maker vault: collateralisation against the ilk's liquidation ratio.
//!
//! health factor = collateral × price / (debt × mat × par); liquidatable iff
//! it is below 1 (the Spotter's ray rounding is ignored, as the spec says).

use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::exact::{format_exact, format_exact_toward_zero, PlainDecimal};
use crate::liquidation::{liquidation_prices, PriceExposure};
use crate::report::Report;
use crate::scenario::{Scenario, ScenarioError};

pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    s.reject_unused_fields()?;
    let ((ci, c), (di, d)) = s.vault_assets()?;
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
    if d.price.is_some()
        || d.liquidation_ratio.is_some()
        || d.next_price.is_some()
        || d.dust.is_some()
        || d.chop.is_some()
        || d.volatility.is_some()
        || d.beta.is_some()
    {
        return Err(ScenarioError::new(
            format!("assets[{di}]"),
            format!("{} is DAI owed at par: list it by symbol alone (set \"par\" at the top level)", d.symbol),
        ));
    }
    if c.chop.as_ref().is_some_and(|chop| chop.to_rational() < BigRational::one()) {
        return Err(ScenarioError::new(
            format!("assets[{ci}].chop"),
            "is a factor of at least 1 (e.g. \"1.13\" for 13 %)",
        ));
    }
    if c.next_price.as_ref().is_some_and(PlainDecimal::is_zero) {
        return Err(ScenarioError::new(format!("assets[{ci}].next_price"), "must be more than 0"));
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
        health_factor: health_factor.as_ref().map(format_exact_toward_zero),
        health_factor_exact: health_factor,
        recovery_mode: None,
        collateral_value: format_exact(&collateral_value),
        debt_value: format_exact(&owed),
        liquidatable,
        liquidation_prices,
        aave_v3: None,
        maker: (asset.next_price.is_some() || asset.dust.is_some() || asset.chop.is_some())
            .then(|| vault_details(s))
            .flatten(),
        liquity_v1: None,
        rules: None,
    })
}

/// What a vault owner plans with beyond the health factor (extension).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VaultDetails {
    /// The health factor at the OSM's next price, if given; `None` without debt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_price_health_factor: Option<String>,
    /// False when the next price, already known, will make the vault unsafe:
    /// doomed before it is unsafe.
    pub survives_next_price: bool,
    /// DAI that could still be generated at the current price (rounded
    /// down): 0 when the vault's capacity is under the ilk's dust. The ilk's
    /// and the system's debt ceilings are not known here and not checked.
    pub max_additional_debt: String,
    /// Collateral the debt needs at the current price (rounded up).
    pub min_collateral: String,
    /// Whether the debt is 0 or at least the ilk's dust, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dust_ok: Option<bool>,
    /// DAI the vault loses on top of its debt if liquidated: debt × (chop − 1),
    /// if `chop` is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liquidation_penalty: Option<String>,
}

/// The vault's details; `None` for a scenario that is not a valid maker one.
pub fn vault_details(s: &Scenario) -> Option<VaultDetails> {
    let (collateral, debt) = s.single_pair().ok()?;
    let (_, asset) = s.asset(&collateral.asset)?;
    let price = asset.price.as_ref()?.to_rational();
    let mat = asset.liquidation_ratio.as_ref()?.to_rational();
    let par = s.par.as_ref().map_or_else(BigRational::one, |p| p.to_rational());
    let amount = collateral.amount.to_rational();
    let owed = debt.amount.to_rational();
    let next_hf = asset
        .next_price
        .as_ref()
        .filter(|_| !owed.is_zero())
        .map(|next| &amount * next.to_rational() / (&owed * &mat * &par));
    let capacity = &amount * &price / (&mat * &par);
    // The Vat refuses any frob that leaves a debt under the dust: if even the
    // most the vault could owe is under it, nothing can be drawn.
    let under_dust = asset.dust.as_ref().is_some_and(|d| capacity < d.to_rational());
    let headroom = if capacity > owed && !under_dust { &capacity - &owed } else { BigRational::zero() };
    Some(VaultDetails {
        survives_next_price: next_hf.as_ref().is_none_or(|hf| *hf >= BigRational::one()),
        next_price_health_factor: next_hf.as_ref().map(format_exact_toward_zero),
        max_additional_debt: format_exact(&floor_to(&headroom, 18)),
        min_collateral: format_exact(&ceil_to(&(&owed * &mat * &par / &price), 18)),
        dust_ok: asset.dust.as_ref().map(|d| owed.is_zero() || owed >= d.to_rational()),
        liquidation_penalty: asset
            .chop
            .as_ref()
            .map(|chop| format_exact(&(&owed * (chop.to_rational() - BigRational::one())))),
    })
}

/// Rounds down to `decimals` places (token amounts one can actually draw).
fn floor_to(r: &BigRational, decimals: u32) -> BigRational {
    let scale = BigRational::from_integer(crate::exact::pow10(decimals).into());
    (r * &scale).floor() / scale
}

/// Rounds up to `decimals` places (collateral one must hold).
fn ceil_to(r: &BigRational, decimals: u32) -> BigRational {
    let scale = BigRational::from_integer(crate::exact::pow10(decimals).into());
    (r * &scale).ceil() / scale
}
