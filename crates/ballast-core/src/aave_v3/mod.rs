//! Aave V3.0: the Pool's `getUserAccountData`, bit for bit, and the exact
//! health ratio behind the liquidation prices.
//!
//! The integer path follows `GenericLogic.calculateUserAccountData` of
//! `@aave/core-v3` 1.19.3 (v3.0.2): 8-decimal base currency, each asset's
//! value floored, basis-point averages floored, `percentMul` and `wadDiv`
//! rounded half up, `uint256` max as the health factor without debt.

pub mod actions;
pub mod interest;
pub mod interest_outlook;
pub mod liquidation_call;
pub mod looping;
pub mod math;
pub mod position;
pub mod projection;
pub mod rates;
pub mod revisions;
pub mod solvers;
pub mod user_summary;

use alloy_primitives::U256;
use num_rational::BigRational;
use num_traits::Zero;
use serde::Serialize;

use crate::exact::{format_exact, PlainDecimal};
use crate::liquidation::liquidation_prices;
use crate::report::Report;
use crate::scenario::{check_bps, EModeCategory, Scenario, ScenarioError, BPS_ONE, MAX_TOKEN_DECIMALS};
use math::{percent_mul, HEALTH_FACTOR_LIQUIDATION_THRESHOLD, PERCENTAGE_FACTOR, WAD};
pub use position::Position;
use revisions::AaveRevision;

/// Decimals of the base currency Aave V3's oracle prices in (USD, 8).
pub const BASE_CURRENCY_DECIMALS: u32 = 8;
/// Isolation-mode debt and ceilings are kept in USD cents.
pub const DEBT_CEILING_DECIMALS: u32 = 2;

/// What the Pool's `getUserAccountData` returns, in its own units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AccountData {
    /// Collateral in base currency (USD, 8 decimals).
    #[serde(with = "u256_decimal")]
    pub total_collateral_base: U256,
    #[serde(with = "u256_decimal")]
    pub total_debt_base: U256,
    /// Weighted average LTV, basis points.
    #[serde(with = "u256_json_integer")]
    pub ltv: U256,
    /// Weighted average liquidation threshold, basis points.
    #[serde(with = "u256_json_integer")]
    pub current_liquidation_threshold: U256,
    /// A wad; `U256::MAX` without debt.
    #[serde(with = "u256_decimal")]
    pub health_factor: U256,
    #[serde(with = "u256_decimal")]
    pub available_borrows_base: U256,
}

impl AccountData {
    /// True when the Pool would let a liquidator in: health factor below 1.
    pub fn liquidatable(&self) -> bool {
        self.health_factor < HEALTH_FACTOR_LIQUIDATION_THRESHOLD
    }

    /// `getUserAccountData`'s six values from the sums and the health factor;
    /// available borrows are `borrowable − debt`, or 0 (`calculateAvailableBorrows`).
    pub(crate) fn from_parts(totals: (U256, U256, U256, U256), health_factor: U256, borrowable: U256) -> Self {
        let (collateral, debt, ltv, threshold) = totals;
        AccountData {
            total_collateral_base: collateral,
            total_debt_base: debt,
            ltv,
            current_liquidation_threshold: threshold,
            health_factor,
            available_borrows_base: borrowable.saturating_sub(debt),
        }
    }

    /// A base-currency amount (USD × 1e8) in USD, exact.
    pub fn base_to_usd(value: U256) -> BigRational {
        position::base_to_rational(value)
    }

    /// A basis-point figure as a fraction (8250 → 0.825).
    pub fn bps_to_fraction(value: U256) -> BigRational {
        BigRational::new(position::u256_to_big(value).into(), BPS_ONE.into())
    }

    /// The health factor as an exact number (the wad over 10^18), `None`
    /// without debt (the Pool then answers `U256::MAX`).
    pub fn health_factor_exact(&self) -> Option<BigRational> {
        if self.total_debt_base.is_zero() {
            return None;
        }
        Some(BigRational::new(position::u256_to_big(self.health_factor).into(), position::u256_to_big(WAD).into()))
    }
}

/// Checks the aave-v3 rules of a scenario (the common ones are already checked).
pub(crate) fn validate(s: &Scenario) -> Result<(), ScenarioError> {
    s.reject_unused_fields()?;
    for (i, a) in s.assets.iter().enumerate() {
        let field = |name: &str| format!("assets[{i}].{name}");
        if let Some(d) = a.decimals {
            if d > MAX_TOKEN_DECIMALS {
                return Err(ScenarioError::new(
                    field("decimals"),
                    format!("is {d}; at most {MAX_TOKEN_DECIMALS} (10^decimals must fit a uint256)"),
                ));
            }
        }
        if let Some(price) = &a.price {
            check_price_decimals(field("price"), price)?;
        }
        check_risk_parameters(&field, a.ltv_bps, a.liquidation_threshold_bps, a.liquidation_bonus_bps)?;
        for (name, cap) in [("supply_cap", &a.supply_cap), ("borrow_cap", &a.borrow_cap)] {
            if cap.as_ref().is_some_and(|c| c.scale() > 0) {
                return Err(ScenarioError::new(field(name), "is in whole tokens, as the Pool stores caps"));
            }
        }
        for (name, usd) in
            [("debt_ceiling", &a.debt_ceiling), ("isolation_mode_total_debt", &a.isolation_mode_total_debt)]
        {
            if usd.as_ref().is_some_and(|c| c.scale() > DEBT_CEILING_DECIMALS) {
                return Err(ScenarioError::new(
                    field(name),
                    "has more than 2 decimals; the Pool keeps isolation debt in cents",
                ));
            }
        }
        for (name, rate) in [("supply_rate", &a.supply_rate), ("variable_borrow_rate", &a.variable_borrow_rate)] {
            if rate.as_ref().is_some_and(|r| r.scale() > 27) {
                return Err(ScenarioError::new(field(name), "has more than 27 decimals; the Pool keeps rates as rays"));
            }
        }
        if let Some(fee) = a.liquidation_protocol_fee_bps {
            check_bps(field("liquidation_protocol_fee_bps"), fee, BPS_ONE)?;
        }
        // The Configurator caps it at 100 %; without a rate strategy it was ignored silently.
        if let Some(factor) = a.reserve_factor_bps {
            check_bps(field("reserve_factor_bps"), factor, BPS_ONE)?;
        }
        if let Some(c) = a.emode_category {
            if c > 255 {
                return Err(ScenarioError::new(
                    field("emode_category"),
                    format!("is {c}; e-mode categories are 0 to 255"),
                ));
            }
        }
    }
    let liquid = matches!(s.protocol, crate::Protocol::Aave(r) if r >= AaveRevision::V3_2);
    for (i, e) in s.emode_categories.iter().enumerate() {
        validate_emode_category(s, e, &format!("emode_categories[{i}]"), liquid)?;
    }
    if let Some(e) = &s.emode {
        validate_emode_category(s, e, "emode", liquid)?;
    }
    for (list, holdings, needs_risk) in [("collateral", &s.collateral, true), ("debt", &s.debt, false)] {
        for (i, h) in holdings.iter().enumerate() {
            let Some((ai, asset)) = s.asset(&h.asset) else {
                continue;
            };
            let missing = |name: &str| {
                ScenarioError::new(
                    format!("assets[{ai}].{name}"),
                    format!("is required for {} held as {list}", asset.symbol),
                )
            };
            let decimals = asset.decimals.ok_or_else(|| missing("decimals"))?;
            asset.price.as_ref().ok_or_else(|| missing("price"))?;
            if needs_risk {
                asset.ltv_bps.ok_or_else(|| missing("ltv_bps"))?;
                asset.liquidation_threshold_bps.ok_or_else(|| missing("liquidation_threshold_bps"))?;
            }
            if h.amount.to_scaled_integer(decimals).is_none() {
                return Err(ScenarioError::new(
                    format!("{list}[{i}].amount"),
                    format!(
                        "{:?} has {} decimals; {} has {decimals}",
                        h.amount.as_str(),
                        h.amount.scale(),
                        asset.symbol
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn validate_emode_category(s: &Scenario, e: &EModeCategory, at: &str, liquid: bool) -> Result<(), ScenarioError> {
    for (name, list) in [("collateral_assets", &e.collateral_assets), ("borrowable_assets", &e.borrowable_assets)] {
        let Some(list) = list else { continue };
        if !liquid {
            return Err(ScenarioError::new(
                format!("{at}.{name}"),
                "is an aave-v3.2+ list; in aave-v3 (3.0) membership comes from each asset's emode_category",
            ));
        }
        if let Some((j, missing)) = list.iter().enumerate().find(|(_, a)| s.asset(a).is_none()) {
            return Err(ScenarioError::new(
                format!("{at}.{name}[{j}]"),
                format!("{missing:?} is not listed in assets"),
            ));
        }
    }
    if liquid && e.price.is_some() {
        return Err(ScenarioError::new(
            format!("{at}.price"),
            "e-mode categories have no price source from Aave 3.2 on; leave it null",
        ));
    }
    if e.id == 0 || e.id > 255 {
        return Err(ScenarioError::new(
            format!("{at}.id"),
            format!("is {}; categories are 1 to 255 (leave emode out for none)", e.id),
        ));
    }
    let field = |name: &str| format!("{at}.{name}");
    // PoolConfigurator.setEModeCategory: LTV and threshold not 0, bonus above 100 %.
    if e.ltv_bps == 0 || e.liquidation_threshold_bps == 0 {
        return Err(ScenarioError::new(
            field(if e.ltv_bps == 0 { "ltv_bps" } else { "liquidation_threshold_bps" }),
            "is 0; an e-mode category needs a non-zero LTV and threshold",
        ));
    }
    check_risk_parameters(&field, Some(e.ltv_bps), Some(e.liquidation_threshold_bps), Some(e.liquidation_bonus_bps))?;
    if let Some(price) = &e.price {
        if price.is_zero() {
            return Err(ScenarioError::new(field("price"), "must be more than 0 (or null for none)"));
        }
        check_price_decimals(field("price"), price)?;
    }
    Ok(())
}

fn check_price_decimals(field: String, price: &PlainDecimal) -> Result<(), ScenarioError> {
    if price.scale() > BASE_CURRENCY_DECIMALS {
        return Err(ScenarioError::new(
            field,
            format!(
                "{:?} has {} decimals; aave-v3 prices are in an {BASE_CURRENCY_DECIMALS}-decimal base currency",
                price.as_str(),
                price.scale()
            ),
        ));
    }
    Ok(())
}

/// The PoolConfigurator's rules for LTV, threshold and bonus.
fn check_risk_parameters(
    field: &dyn Fn(&str) -> String,
    ltv: Option<u32>,
    threshold: Option<u32>,
    bonus: Option<u32>,
) -> Result<(), ScenarioError> {
    if let Some(ltv) = ltv {
        check_bps(field("ltv_bps"), ltv, BPS_ONE)?;
    }
    if let Some(lt) = threshold {
        check_bps(field("liquidation_threshold_bps"), lt, BPS_ONE)?;
    }
    if let (Some(ltv), Some(lt)) = (ltv, threshold) {
        if ltv > lt {
            return Err(ScenarioError::new(
                field("ltv_bps"),
                format!("is {ltv}, above the liquidation threshold {lt}; the Pool requires LTV ≤ threshold"),
            ));
        }
    }
    if let Some(bonus) = bonus {
        if bonus != 0 && bonus <= BPS_ONE {
            return Err(ScenarioError::new(
                field("liquidation_bonus_bps"),
                format!("is {bonus}; it includes the 100 % and must be above it, e.g. 10500 for a 5 % bonus"),
            ));
        }
        match threshold {
            Some(0) if bonus != 0 => {
                return Err(ScenarioError::new(
                    field("liquidation_bonus_bps"),
                    "must be 0 for an asset with threshold 0 (not collateral), as the PoolConfigurator requires",
                ))
            }
            Some(lt) if lt != 0 && bonus == 0 => {
                return Err(ScenarioError::new(
                    field("liquidation_bonus_bps"),
                    format!("is 0 with threshold {lt}; collateral needs a bonus above 10000"),
                ))
            }
            _ => {}
        }
        if let Some(lt) = threshold {
            let seized = percent_mul(U256::from(lt), U256::from(bonus)).unwrap_or(U256::MAX);
            if lt != 0 && seized > PERCENTAGE_FACTOR {
                return Err(ScenarioError::new(
                    field("liquidation_bonus_bps"),
                    format!("{bonus} with threshold {lt} would seize more than the collateral (threshold × bonus must be ≤ 100 %)"),
                ));
            }
        }
    }
    Ok(())
}

/// The user's actions as changes of balances, collateral flags and e-mode
/// only, for every Aave revision the engine evaluates: the scenario after
/// them, to [`crate::evaluate`] under the scenario's own revision.
///
/// Unlike [`apply_actions`] this does not ask whether the Pool allows the
/// actions (its what-if checks follow V3.0, whose e-mode and liquidation rules
/// later revisions changed); use it where the chain itself judges that (an
/// `eth_call` of the transaction) and only the health factor after is wanted.
/// It still refuses what no revision allows (see
/// [`actions::apply_balance_change`]).
pub fn apply_balance_changes(s: &Scenario, actions: &[actions::Action]) -> Result<Scenario, actions::WhatIfError> {
    s.validate()?;
    if !s.protocol.is_aave() {
        return Err(ScenarioError::new("protocol", format!("{} is not an Aave V3 position", s.protocol)).into());
    }
    let (position, categories) = apply_in_order(s, actions, actions::apply_balance_change)?;
    let mut after = position.to_scenario(s);
    // A new category comes with its own member lists (3.2+), not the old one's.
    let user_category = position.emode.as_ref().map(|e| e.id);
    if user_category != s.emode.as_ref().map(|e| e.id) {
        after.emode = user_category.and_then(|id| categories.iter().find(|c| c.id == id).cloned());
    }
    after.emode_categories = categories;
    Ok(after)
}

/// Applies what-if actions in order and returns the scenario after them;
/// the first refusal stops with the Pool's reason and which action it was.
pub fn apply_actions(s: &Scenario, actions: &[actions::Action]) -> Result<Scenario, actions::WhatIfError> {
    s.validate()?;
    if s.protocol != crate::Protocol::AAVE_V3 {
        // Validation differs after 3.0 (e-mode bitmaps, liquidation rules): a
        // V3.0 answer could call allowed what the live Pool refuses.
        return Err(ScenarioError::new(
            "protocol",
            format!("what-if actions follow Aave V3.0's checks; they are not modelled for {} yet", s.protocol),
        )
        .into());
    }
    // A scenario the engine cannot value is refused before any action.
    Position::from_scenario(s)?.account_data()?;
    let (position, categories) = apply_in_order(s, actions, actions::apply)?;
    let mut after = position.to_scenario(s);
    after.emode_categories = categories;
    Ok(after)
}

/// `s`'s position after `actions`, each applied by `apply_one` in order (a
/// refusal names the action by its index), and the e-mode categories left
/// (a governance what-if may remove one).
fn apply_in_order(
    s: &Scenario,
    actions: &[actions::Action],
    apply_one: fn(
        &mut Position,
        &actions::Action,
        &[crate::scenario::EModeCategory],
    ) -> Result<(), actions::WhatIfError>,
) -> Result<(Position, Vec<crate::scenario::EModeCategory>), actions::WhatIfError> {
    let mut position = Position::from_scenario(s)?;
    let mut categories = s.emode_categories.clone();
    for (i, action) in actions.iter().enumerate() {
        apply_one(&mut position, action, &categories).map_err(|e| match e {
            actions::WhatIfError::Refused { action, error } => {
                actions::WhatIfError::Refused { action: format!("actions[{i}] ({action})"), error }
            }
            actions::WhatIfError::Input(e) => {
                actions::WhatIfError::Input(ScenarioError::new(format!("actions[{i}].{}", e.field), e.problem))
            }
            other => other,
        })?;
        if let actions::Action::RemoveEmodeCategory { id } = action {
            categories.retain(|c| c.id != *id);
        }
    }
    Ok((position, categories))
}

/// Evaluates a validated aave-v3 scenario under its revision's rules.
pub(crate) fn evaluate(s: &Scenario) -> Result<Report, ScenarioError> {
    let position = Position::from_scenario(s)?;
    let revision = match s.protocol {
        crate::Protocol::Aave(revision) => revision,
        _ => AaveRevision::V3_0,
    };
    if revision == AaveRevision::V3_0 {
        return evaluate_position(&position);
    }
    let members = emode_members(s, &position);
    let account = revisions::account_data_with(&position, revision, &members)?;
    let mut report = report_for(&exact_view(&position, &members), account);
    report.rules = Some(revision.name().to_owned());
    Ok(report)
}

/// After 3.2 the exact figures see e-mode as the bitmaps define it: a
/// category applies to the assets on its collateral list, with no category price.
fn exact_view(position: &Position, members: &revisions::EModeAssets) -> Position {
    let mut view = position.clone();
    let user_category = position.emode.as_ref().map_or(0, |e| e.id);
    for r in &mut view.reserves {
        r.emode_category = if members.is_collateral(&r.symbol) { user_category } else { 0 };
    }
    view
}

/// Each asset's part of the report's collateral and debt values.
pub(crate) fn composition(s: &Scenario) -> Result<Vec<crate::composition::AssetValue>, ScenarioError> {
    let position = Position::from_scenario(s)?;
    match s.protocol {
        crate::Protocol::Aave(revision) if revision != AaveRevision::V3_0 => {
            Ok(asset_values(&exact_view(&position, &emode_members(s, &position))))
        }
        _ => Ok(asset_values(&position)),
    }
}

/// The user's e-mode category as 3.2+ bitmaps: the scenario's lists, or the
/// 3.2 migration of a 3.0-style category.
fn emode_members(s: &Scenario, position: &Position) -> revisions::EModeAssets {
    match &s.emode {
        Some(EModeCategory { collateral_assets: Some(c), borrowable_assets, .. }) => {
            revisions::EModeAssets::new(c.clone(), borrowable_assets.clone().unwrap_or_default())
        }
        _ => revisions::EModeAssets::migrated(position),
    }
}

/// Each reserve's share of the report's collateral and debt values (USD,
/// exact, at the e-mode price where it applies); collateral turned off counts 0.
pub fn asset_values(position: &Position) -> Vec<crate::composition::AssetValue> {
    let emode = position.emode.as_ref();
    let value = |r: &position::Reserve, raw| r.tokens(raw) * position::base_to_rational(r.effective_price_base(emode));
    position
        .reserves
        .iter()
        .map(|r| crate::composition::AssetValue {
            asset: r.symbol.clone(),
            collateral: if r.counts_as_collateral() { value(r, r.collateral) } else { BigRational::zero() },
            debt: value(r, r.debt),
        })
        .collect()
}

/// The report of a position under V3.0: the Pool's integers and the exact figures.
pub fn evaluate_position(position: &Position) -> Result<Report, ScenarioError> {
    Ok(report_for(position, position.account_data()?))
}

/// The report with `account` as the Pool's figures and the exact ones from `position`.
fn report_for(position: &Position, account: AccountData) -> Report {
    let exposures = position.price_exposures();
    let values = asset_values(position);
    let collateral_value: BigRational = values.iter().map(|v| &v.collateral).sum();
    let debt_value: BigRational = values.iter().map(|v| &v.debt).sum();
    let health_factor = account.health_factor_exact();
    let liquidation_prices = if health_factor.is_some() {
        liquidation_prices(&exposures, &BigRational::zero(), &BigRational::zero())
    } else {
        Vec::new()
    };
    Report {
        health_factor: health_factor.as_ref().map(format_exact),
        health_factor_exact: health_factor,
        recovery_mode: None,
        collateral_value: format_exact(&collateral_value),
        debt_value: format_exact(&debt_value),
        liquidatable: account.liquidatable(),
        liquidation_prices,
        aave_v3: Some(account),
        maker: None,
        liquity_v1: None,
        rules: None,
    }
}

/// uint256 values as decimal strings, as JSON cannot hold them as numbers.
mod u256_decimal {
    use alloy_primitives::U256;
    use serde::Serializer;
    pub fn serialize<S: Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

/// Basis-point values as JSON integers (always below 2^16).
mod u256_json_integer {
    use alloy_primitives::U256;
    use serde::{Serialize, Serializer};
    pub fn serialize<S: Serializer>(v: &U256, s: S) -> Result<S::Ok, S::Error> {
        u64::try_from(*v).unwrap_or(u64::MAX).serialize(s)
    }
}

#[cfg(test)]
mod account_data_tests {
    use super::*;

    #[test]
    fn the_health_factor_is_the_wad_over_10_18_and_none_without_debt() {
        let mut account = AccountData {
            total_collateral_base: U256::from(300_000_000_000u64),
            total_debt_base: U256::ZERO,
            ltv: U256::ZERO,
            current_liquidation_threshold: U256::ZERO,
            health_factor: U256::MAX,
            available_borrows_base: U256::ZERO,
        };
        assert_eq!(account.health_factor_exact(), None);
        account.total_debt_base = U256::from(160_000_000_000u64);
        account.health_factor = U256::from(1_500_000_000_000_000_000u128);
        assert_eq!(account.health_factor_exact(), Some(BigRational::new(3.into(), 2.into())));
    }
}
