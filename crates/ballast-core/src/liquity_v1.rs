//! A Liquity v1 trove: MCR 110 %, CCR 150 %, recovery mode from the system's
//! total collateral ratio.

use num_rational::BigRational;
use num_traits::{Signed, Zero};

use crate::exact::{format_exact, format_exact_toward_zero};
use crate::liquidation::{liquidation_prices, Direction, LiquidationPrice, PriceExposure};
use crate::report::Report;
use crate::scenario::{Scenario, ScenarioError};

/// Minimum collateral ratio: 110 %.
pub fn mcr() -> BigRational {
    BigRational::new(11.into(), 10.into())
}

/// Critical system collateral ratio: under 150 % the system is in recovery mode.
pub fn ccr() -> BigRational {
    BigRational::new(3.into(), 2.into())
}

pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    s.reject_unused_fields()?;
    let (_, (di, d)) = s.vault_assets()?;
    let (collateral, debt) = s.single_pair()?;
    if d.price.is_some() || d.volatility.is_some() || d.beta.is_some() {
        return Err(ScenarioError::new(
            format!("assets[{di}].price"),
            format!("{} is LUSD owed at 1 USD: list it by symbol alone", d.symbol),
        ));
    }
    if let Some(system) = &s.system {
        if system.total_collateral.to_rational() < collateral.amount.to_rational() {
            return Err(ScenarioError::new(
                "system.total_collateral",
                "is less than this trove's collateral; the totals include the trove",
            ));
        }
        if system.total_debt.to_rational() < debt.amount.to_rational() {
            return Err(ScenarioError::new(
                "system.total_debt",
                "is less than this trove's debt; the totals include the trove",
            ));
        }
    }
    Ok(())
}

pub(crate) fn evaluate(s: &Scenario) -> Result<Report, ScenarioError> {
    let (collateral, debt) = s.single_pair()?;
    let (_, asset) =
        s.asset(&collateral.asset).ok_or_else(|| ScenarioError::new("collateral[0].asset", "is not listed"))?;
    let price =
        asset.price.as_ref().ok_or_else(|| ScenarioError::new("assets", "the collateral needs a price"))?.to_rational();
    let amount = collateral.amount.to_rational();
    let owed = debt.amount.to_rational();
    let collateral_value = &amount * &price;

    // TCR with a system holding debt; a system without debt is never in recovery.
    let system = s.system.as_ref().map(|sys| (sys.total_collateral.to_rational(), sys.total_debt.to_rational()));
    let tcr = system.as_ref().filter(|(_, d)| !d.is_zero()).map(|(c, d)| c * &price / d);
    let recovery_mode = system.as_ref().map(|_| tcr.as_ref().is_some_and(|t| *t < ccr()));

    let icr = (!owed.is_zero()).then(|| &collateral_value / &owed);
    let liquidatable = match (&icr, recovery_mode) {
        (None, _) => false,
        (Some(icr), Some(true)) => {
            let tcr = tcr.clone().unwrap_or_else(BigRational::zero);
            *icr < mcr() || *icr < tcr
        }
        (Some(icr), _) => *icr < mcr(),
    };

    let mut lines = Vec::new();
    if icr.is_some() && !amount.is_zero() {
        let exposure = PriceExposure {
            asset: asset.symbol.clone(),
            price: price.clone(),
            collateral_weight: &amount / mcr(),
            debt_weight: BigRational::zero(),
            price_moves_health: true,
        };
        lines = liquidation_prices(&[exposure], &BigRational::zero(), &owed);
        // A trove whose collateral-to-debt ratio is under the system's has ICR < TCR
        // at every price, so it is liquidatable as soon as the system enters recovery
        // mode; the highest of the two lines is where liquidation starts.
        if let (Some(line), Some((total_collateral, total_debt))) = (lines.first_mut(), &system) {
            let trove_ratio = &amount / &owed;
            if !total_debt.is_zero() && trove_ratio < total_collateral / total_debt {
                let recovery_line = ccr() * total_debt / total_collateral;
                if recovery_line > line.exact {
                    *line = LiquidationPrice::new(&asset.symbol, recovery_line, Direction::Below);
                }
            }
        }
    }
    let health_factor = icr.as_ref().map(|icr| icr / mcr());
    Ok(Report {
        health_factor: health_factor.as_ref().map(format_exact_toward_zero),
        health_factor_exact: health_factor,
        recovery_mode,
        collateral_value: format_exact(&collateral_value),
        debt_value: format_exact(&owed),
        liquidatable,
        liquidation_prices: lines,
        aave_v3: None,
        maker: None,
        liquity_v1: s.base_rate.is_some().then(|| trove_details(s)).flatten(),
        rules: None,
    })
}

/// Whether the system is in recovery mode at the scenario's price (false
/// without system totals).
pub fn in_recovery_mode(s: &Scenario) -> bool {
    let price = s.collateral.first().and_then(|h| s.asset(&h.asset)).and_then(|(_, a)| a.price.as_ref());
    match (&s.system, price) {
        (Some(sys), Some(price)) => {
            let d = sys.total_debt.to_rational();
            !d.is_zero() && sys.total_collateral.to_rational() * price.to_rational() / d < ccr()
        }
        _ => false,
    }
}

/// Liquity v1's 200 LUSD gas compensation, part of every trove's debt.
pub fn gas_compensation() -> BigRational {
    BigRational::from_integer(200.into())
}

/// The smallest net debt (debt less gas compensation) a trove may have.
pub fn min_net_debt() -> BigRational {
    BigRational::from_integer(1800.into())
}

/// The borrowing fee: base rate + 0.5 %, at least 0.5 % and at most 5 %.
pub fn borrowing_fee_rate(base_rate: &BigRational) -> BigRational {
    let floor = BigRational::new(5.into(), 1000.into());
    let cap = BigRational::new(5.into(), 100.into());
    (base_rate + &floor).max(floor).min(cap)
}

/// What a trove owner plans with beyond the health factor (extension).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TroveDetails {
    /// Debt less the 200 LUSD gas compensation.
    pub net_debt: String,
    /// Net debt at least 1800 LUSD (or no debt).
    pub meets_min_net_debt: bool,
    /// Fee on new debt, a fraction (0 in recovery mode).
    pub borrowing_fee_rate: String,
    /// LUSD that could still be drawn, fee included in the new debt, keeping
    /// ICR ≥ MCR and the system's TCR ≥ CCR; 0 in recovery mode, where a pure
    /// borrow lowers ICR and is refused. Rounded down.
    pub max_additional_debt: String,
}

/// The trove's details; `None` for a scenario that is not a valid liquity-v1 one.
pub fn trove_details(s: &Scenario) -> Option<TroveDetails> {
    let (collateral, debt) = s.single_pair().ok()?;
    let (_, asset) = s.asset(&collateral.asset)?;
    let price = asset.price.as_ref()?.to_rational();
    let owed = debt.amount.to_rational();
    let base_rate = s.base_rate.as_ref().map_or_else(BigRational::zero, |b| b.to_rational());
    let recovery = in_recovery_mode(s);
    // No fee in recovery mode, where a pure borrow (which lowers ICR) is refused.
    let fee = if recovery { BigRational::zero() } else { borrowing_fee_rate(&base_rate) };
    let one = BigRational::from_integer(1.into());
    let opening = owed.is_zero();
    // New debt x·(1 + fee) keeps the trove's ICR at its limit (MCR; CCR in
    // recovery mode) and, in normal mode, the system's TCR ≥ CCR. On no debt a
    // borrow opens the trove: the 200 LUSD gas compensation is owed too, and the
    // net debt x·(1 + fee) must reach the 1800 minimum. In recovery mode an
    // existing trove may not borrow at all (it would lower its ICR).
    let headroom = if recovery && !opening {
        BigRational::zero()
    } else {
        let (trove_limit, system_counts) = if recovery { (ccr(), false) } else { (mcr(), true) };
        let gas = if opening { gas_compensation() } else { BigRational::zero() };
        let trove_room = collateral.amount.to_rational() * &price / trove_limit - &owed - &gas;
        let system_room = s
            .system
            .as_ref()
            .filter(|_| system_counts)
            .map(|sys| sys.total_collateral.to_rational() * &price / ccr() - sys.total_debt.to_rational() - &gas);
        let room = system_room.map_or(trove_room.clone(), |r| r.min(trove_room));
        if room.is_positive() && !(opening && room < min_net_debt()) {
            room / (one + &fee)
        } else {
            BigRational::zero()
        }
    };
    let net_debt = if owed > gas_compensation() { &owed - gas_compensation() } else { BigRational::zero() };
    let scale = BigRational::from_integer(crate::exact::pow10(18).into());
    Some(TroveDetails {
        meets_min_net_debt: owed.is_zero() || net_debt >= min_net_debt(),
        net_debt: format_exact(&net_debt),
        borrowing_fee_rate: format_exact(&fee),
        max_additional_debt: format_exact(&((headroom * &scale).floor() / scale)),
    })
}
