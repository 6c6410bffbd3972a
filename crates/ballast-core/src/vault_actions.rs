//! What-ifs on one-collateral positions (Maker vaults, Liquity v1 troves):
//! lock, free, draw and wipe, and price moves, with each contract's refusal.
//!
//! Maker: `Vat.frob` — a change that adds debt or removes collateral must
//! leave the vault safe (`tab ≤ ink × spot`), and a vault's debt must be 0
//! or at least the dust. Liquity v1: `BorrowerOperations` — in normal mode
//! the new ICR must be at least MCR and the new TCR at least CCR; in recovery
//! mode collateral cannot be withdrawn and a debt increase needs ICR ≥ CCR;
//! net debt must be at least 1800 LUSD when a trove opens or repays, new debt
//! carries the borrowing fee in normal mode, a borrow on no debt opens a trove
//! (adding the 200 LUSD gas compensation), and repaying "max" closes it.

use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::aave_v3::actions::{Action, AmountOrMax, WhatIfError};
use crate::exact::{format_exact, PlainDecimal};
use crate::liquity_v1::{borrowing_fee_rate, ccr, gas_compensation, mcr, min_net_debt};
use crate::scenario::{Protocol, Scenario, ScenarioError};

fn refuse(action: &Action, protocol: Protocol, reason: &str) -> WhatIfError {
    let name = match protocol {
        Protocol::Maker => "the Vat",
        _ => "Liquity's BorrowerOperations",
    };
    WhatIfError::VaultRefused { action: action.to_string(), protocol: name, reason: reason.to_owned() }
}

fn decimal(r: &BigRational) -> PlainDecimal {
    PlainDecimal::parse(&format_exact(r)).unwrap_or_else(|e| unreachable!("exact terminating decimal: {e}"))
}

/// Applies actions to a maker or liquity-v1 scenario, in order.
pub fn apply_actions(s: &Scenario, actions: &[Action]) -> Result<Scenario, WhatIfError> {
    s.validate()?;
    let mut current = s.clone();
    for (i, action) in actions.iter().enumerate() {
        current = apply_one(&current, action).map_err(|e| match e {
            WhatIfError::VaultRefused { action, protocol, reason } => {
                WhatIfError::VaultRefused { action: format!("actions[{i}] ({action})"), protocol, reason }
            }
            WhatIfError::Input(e) => {
                WhatIfError::Input(ScenarioError::new(format!("actions[{i}].{}", e.field), e.problem))
            }
            other => other,
        })?;
    }
    Ok(current)
}

fn apply_one(s: &Scenario, action: &Action) -> Result<Scenario, WhatIfError> {
    let (collateral, debt) = s.single_pair()?;
    let (ci, _) = s.asset(&collateral.asset).ok_or_else(|| ScenarioError::new("asset", "collateral not listed"))?;
    let mut next = s.clone();
    let ink = collateral.amount.to_rational();
    let art = debt.amount.to_rational();
    let check_asset = |asset: &str, expected: &str| -> Result<(), WhatIfError> {
        if asset == expected {
            Ok(())
        } else {
            Err(ScenarioError::new(
                "asset",
                format!(
                    "{asset:?}: this position's {} is {expected}",
                    if expected == collateral.asset { "collateral" } else { "debt" }
                ),
            )
            .into())
        }
    };
    let amount = |a: &AmountOrMax, held: &BigRational| match a {
        AmountOrMax::Tokens(d) => d.to_rational(),
        AmountOrMax::Max => held.clone(),
    };
    let (new_ink, new_art) = match action {
        Action::Supply { asset, amount: a } => {
            check_asset(asset, &collateral.asset)?;
            (&ink + a.to_rational(), art.clone())
        }
        Action::Withdraw { asset, amount: a } => {
            check_asset(asset, &collateral.asset)?;
            let take = amount(a, &ink);
            if take > ink {
                return Err(ScenarioError::new("amount", "is more collateral than the position holds").into());
            }
            (&ink - take, art.clone())
        }
        Action::Borrow { asset, amount: a } => {
            check_asset(asset, &debt.asset)?;
            let drawn = a.to_rational() * (BigRational::one() + borrowing_fee(s));
            // A Liquity trove with no debt does not exist: borrowing opens one,
            // which adds the 200 LUSD gas compensation to its debt.
            let opening = s.protocol == Protocol::LiquityV1 && art.is_zero();
            (ink.clone(), &art + drawn + if opening { gas_compensation() } else { BigRational::zero() })
        }
        Action::Repay { asset, amount: a } => {
            check_asset(asset, &debt.asset)?;
            if s.protocol == Protocol::LiquityV1 && matches!(a, AmountOrMax::Max) {
                return close_trove(s, action, &ink, &art, &price_of(s, ci)).map(|()| {
                    next.collateral[0].amount = decimal(&BigRational::zero());
                    next.debt[0].amount = decimal(&BigRational::zero());
                    next
                });
            }
            let pay = amount(a, &art);
            if pay > art {
                return Err(ScenarioError::new("amount", "is more than the debt").into());
            }
            if s.protocol == Protocol::LiquityV1 && pay > &art - gas_compensation() {
                // The gas compensation is repaid only by closing the trove.
                return Err(refuse(action, Protocol::LiquityV1, "Amount repaid must not be larger than the Trove's debt (less the 200 LUSD gas compensation; repay \"max\" to close the trove)"));
            }
            (ink.clone(), &art - pay)
        }
        Action::SetPrice { asset, price } => {
            check_asset(asset, &collateral.asset)?;
            if price.is_zero() {
                return Err(ScenarioError::new("price", "must be more than 0").into());
            }
            next.assets[ci].price = Some(price.clone());
            return Ok(next);
        }
        other => {
            return Err(
                ScenarioError::new("action", format!("{other} does not apply to a {} position", s.protocol)).into()
            )
        }
    };
    if new_ink == ink && new_art == art {
        return Err(refuse(action, s.protocol, "There must be either a collateral change or a debt change"));
    }
    let price = price_of(&next, ci);
    match s.protocol {
        Protocol::Maker => check_frob(s, action, &ink, &art, &new_ink, &new_art, &price)?,
        _ => check_trove(s, action, (&ink, &art), (&new_ink, &new_art), &price)?,
    }
    next.collateral[0].amount = decimal(&new_ink);
    next.debt[0].amount = decimal(&new_art);
    Ok(next)
}

fn price_of(s: &Scenario, asset_index: usize) -> BigRational {
    s.assets[asset_index].price.as_ref().map_or_else(BigRational::zero, |p| p.to_rational())
}

/// `BorrowerOperations.closeTrove`: not in recovery mode, and the system
/// without this trove must keep TCR ≥ 150 %.
fn close_trove(
    s: &Scenario,
    action: &Action,
    ink: &BigRational,
    art: &BigRational,
    price: &BigRational,
) -> Result<(), WhatIfError> {
    if crate::liquity_v1::in_recovery_mode(s) {
        return Err(refuse(action, Protocol::LiquityV1, "Operation not permitted during Recovery Mode"));
    }
    if let Some(sys) = &s.system {
        let (c, d) = (sys.total_collateral.to_rational() - ink, sys.total_debt.to_rational() - art);
        if !d.is_zero() && c * price / d < ccr() {
            return Err(refuse(
                action,
                Protocol::LiquityV1,
                "An operation that would result in TCR < CCR is not permitted",
            ));
        }
    }
    Ok(())
}

/// The fee added to new debt: Liquity's borrowing fee in normal mode (none
/// in recovery mode), nothing for Maker.
fn borrowing_fee(s: &Scenario) -> BigRational {
    if s.protocol != Protocol::LiquityV1 || crate::liquity_v1::in_recovery_mode(s) {
        return BigRational::zero();
    }
    let base_rate = s.base_rate.as_ref().map_or_else(BigRational::zero, |b| b.to_rational());
    borrowing_fee_rate(&base_rate)
}

/// `Vat.frob`'s safety and dust checks (the Spotter's ray rounding ignored).
fn check_frob(
    s: &Scenario,
    action: &Action,
    ink: &BigRational,
    art: &BigRational,
    new_ink: &BigRational,
    new_art: &BigRational,
    price: &BigRational,
) -> Result<(), WhatIfError> {
    let asset = s.asset(&s.collateral[0].asset).map(|(_, a)| a);
    let mat =
        asset.and_then(|a| a.liquidation_ratio.as_ref()).map(|m| m.to_rational()).unwrap_or_else(BigRational::one);
    let par = s.par.as_ref().map_or_else(BigRational::one, |p| p.to_rational());
    let less_risky = new_art <= art && new_ink >= ink;
    let safe = new_art * &mat * &par <= new_ink * price;
    if !less_risky && !safe {
        return Err(refuse(action, Protocol::Maker, "Vat/not-safe: the vault would be under its liquidation ratio"));
    }
    if let Some(dust) = asset.and_then(|a| a.dust.as_ref()) {
        if !new_art.is_zero() && *new_art < dust.to_rational() {
            return Err(refuse(
                action,
                Protocol::Maker,
                "Vat/dust: a vault's debt must be 0 or at least the ilk's dust",
            ));
        }
    }
    Ok(())
}

/// `BorrowerOperations`' checks for an adjustment, mode by mode.
fn check_trove(
    s: &Scenario,
    action: &Action,
    (ink, art): (&BigRational, &BigRational),
    (new_ink, new_art): (&BigRational, &BigRational),
    price: &BigRational,
) -> Result<(), WhatIfError> {
    let no = |reason| Err(refuse(action, Protocol::LiquityV1, reason));
    // Checked when a trove opens or its debt is repaid, as BorrowerOperations does.
    let opening_or_repaying = art.is_zero() || new_art < art;
    if opening_or_repaying && !new_art.is_zero() && (new_art - gas_compensation()) < min_net_debt() {
        return no("Trove's net debt must be greater than minimum (1800 LUSD)");
    }
    let icr = |c: &BigRational, d: &BigRational| (!d.is_zero()).then(|| c * price / d);
    let new_icr = icr(new_ink, new_art);
    let old_icr = icr(ink, art);
    let system = s.system.as_ref().map(|sys| (sys.total_collateral.to_rational(), sys.total_debt.to_rational()));
    let tcr = |(c, d): &(BigRational, BigRational)| (!d.is_zero()).then(|| c * price / d);
    let recovery = system.as_ref().and_then(tcr).is_some_and(|t| t < ccr());
    if recovery {
        if new_ink < ink {
            return no("Collateral withdrawal not permitted Recovery Mode");
        }
        if new_art > art && new_icr.as_ref().is_some_and(|r| *r < ccr()) {
            return no("Operation must leave trove with ICR >= CCR");
        }
        if new_art > art && !art.is_zero() && matches!((&new_icr, &old_icr), (Some(n), Some(o)) if n < o) {
            return no("Cannot decrease your Trove's ICR in Recovery Mode");
        }
    } else {
        if new_icr.as_ref().is_some_and(|r| *r < mcr()) {
            return no("An operation that would result in ICR < MCR is not permitted");
        }
        if let Some((c, d)) = &system {
            let new_system = (c + new_ink - ink, d + new_art - art);
            if tcr(&new_system).is_some_and(|t| t < ccr()) {
                return no("An operation that would result in TCR < CCR is not permitted");
            }
        }
    }
    Ok(())
}
