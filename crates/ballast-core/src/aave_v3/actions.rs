//! What-ifs on an Aave V3.0 position: the user's actions with the Pool's own
//! checks (`ValidationLogic` of @aave/core-v3 1.19.3), price moves, and
//! governance changes. Pure: each returns the new position or the Pool's
//! reason for refusing.

use std::fmt;

use alloy_primitives::U256;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use super::math::{percent_div, HEALTH_FACTOR_LIQUIDATION_THRESHOLD};
use super::position::{overflow, to_u256, AccountTotals, Position, Reserve};
use super::{BASE_CURRENCY_DECIMALS, DEBT_CEILING_DECIMALS};
use crate::exact::PlainDecimal;
use crate::scenario::{EModeCategory, ScenarioError, BPS_ONE};

/// An amount, or everything (`"max"`), as the Pool's `type(uint256).max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountOrMax {
    Tokens(PlainDecimal),
    Max,
}

impl Serialize for AmountOrMax {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AmountOrMax::Tokens(d) => d.serialize(s),
            AmountOrMax::Max => s.serialize_str("max"),
        }
    }
}

impl<'de> Deserialize<'de> for AmountOrMax {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text == "max" {
            return Ok(AmountOrMax::Max);
        }
        PlainDecimal::parse(&text).map(AmountOrMax::Tokens).map_err(de::Error::custom)
    }
}

/// One what-if step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    Supply {
        asset: String,
        amount: PlainDecimal,
    },
    Withdraw {
        asset: String,
        amount: AmountOrMax,
    },
    Borrow {
        asset: String,
        amount: PlainDecimal,
    },
    Repay {
        asset: String,
        amount: AmountOrMax,
    },
    /// Turn an asset on or off as collateral.
    SetCollateral {
        asset: String,
        enabled: bool,
    },
    /// Switch to e-mode category `id` (from `emode_categories`), or 0 to leave.
    SetEmode {
        id: u32,
    },
    /// A new oracle price, USD per token.
    SetPrice {
        asset: String,
        price: PlainDecimal,
    },
    /// Governance lowers (or raises) an asset's LTV.
    SetLtv {
        asset: String,
        ltv_bps: u32,
    },
    SetLiquidationThreshold {
        asset: String,
        liquidation_threshold_bps: u32,
    },
    /// Governance freezes a reserve: no new supply or borrow.
    Freeze {
        asset: String,
    },
    /// Governance takes every asset out of an e-mode category.
    RemoveEmodeCategory {
        id: u32,
    },
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let amount = |a: &AmountOrMax| match a {
            AmountOrMax::Tokens(d) => d.to_string(),
            AmountOrMax::Max => "max".to_owned(),
        };
        match self {
            Action::Supply { asset, amount: a } => write!(f, "supply {a} {asset}"),
            Action::Withdraw { asset, amount: a } => write!(f, "withdraw {} {asset}", amount(a)),
            Action::Borrow { asset, amount: a } => write!(f, "borrow {a} {asset}"),
            Action::Repay { asset, amount: a } => write!(f, "repay {} {asset}", amount(a)),
            Action::SetCollateral { asset, enabled } => {
                write!(f, "turn {asset} {} as collateral", if *enabled { "on" } else { "off" })
            }
            Action::SetEmode { id: 0 } => write!(f, "leave e-mode"),
            Action::SetEmode { id } => write!(f, "switch to e-mode category {id}"),
            Action::SetPrice { asset, price } => write!(f, "set {asset}'s price to {price}"),
            Action::SetLtv { asset, ltv_bps } => write!(f, "set {asset}'s LTV to {ltv_bps} bps"),
            Action::SetLiquidationThreshold { asset, liquidation_threshold_bps } => {
                write!(f, "set {asset}'s liquidation threshold to {liquidation_threshold_bps} bps")
            }
            Action::Freeze { asset } => write!(f, "freeze {asset}"),
            Action::RemoveEmodeCategory { id } => write!(f, "remove e-mode category {id}"),
        }
    }
}

/// The Pool's reasons to revert, with Aave's numeric codes (Errors.sol).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PoolError {
    InvalidAmount,
    ReservePaused,
    ReserveFrozen,
    BorrowingNotEnabled,
    NotEnoughAvailableUserBalance,
    CollateralBalanceIsZero,
    HealthFactorLowerThanLiquidationThreshold,
    CollateralCannotCoverNewBorrow,
    NoDebtOfSelectedType,
    UnderlyingBalanceZero,
    HealthFactorNotBelowThreshold,
    CollateralCannotBeLiquidated,
    SpecifiedCurrencyNotBorrowedByUser,
    BorrowCapExceeded,
    SupplyCapExceeded,
    DebtCeilingExceeded,
    LtvValidationFailed,
    InconsistentEmodeCategory,
    AssetNotBorrowableInIsolation,
    UserInIsolationModeOrLtvZero,
}

impl PoolError {
    /// Every reason, so a revert's code can be read back into one.
    pub const ALL: [PoolError; 20] = [
        PoolError::InvalidAmount,
        PoolError::ReservePaused,
        PoolError::ReserveFrozen,
        PoolError::BorrowingNotEnabled,
        PoolError::NotEnoughAvailableUserBalance,
        PoolError::CollateralBalanceIsZero,
        PoolError::HealthFactorLowerThanLiquidationThreshold,
        PoolError::CollateralCannotCoverNewBorrow,
        PoolError::NoDebtOfSelectedType,
        PoolError::UnderlyingBalanceZero,
        PoolError::HealthFactorNotBelowThreshold,
        PoolError::CollateralCannotBeLiquidated,
        PoolError::SpecifiedCurrencyNotBorrowedByUser,
        PoolError::BorrowCapExceeded,
        PoolError::SupplyCapExceeded,
        PoolError::DebtCeilingExceeded,
        PoolError::LtvValidationFailed,
        PoolError::InconsistentEmodeCategory,
        PoolError::AssetNotBorrowableInIsolation,
        PoolError::UserInIsolationModeOrLtvZero,
    ];

    /// The reason a revert's code (`"35"`) stands for, if the engine models it.
    pub fn from_code(code: &str) -> Option<PoolError> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Aave's error code, as a revert reason carries it.
    pub fn code(self) -> &'static str {
        match self {
            PoolError::InvalidAmount => "26",
            PoolError::ReservePaused => "29",
            PoolError::ReserveFrozen => "28",
            PoolError::BorrowingNotEnabled => "30",
            PoolError::NotEnoughAvailableUserBalance => "32",
            PoolError::CollateralBalanceIsZero => "34",
            PoolError::HealthFactorLowerThanLiquidationThreshold => "35",
            PoolError::CollateralCannotCoverNewBorrow => "36",
            PoolError::NoDebtOfSelectedType => "39",
            PoolError::UnderlyingBalanceZero => "43",
            PoolError::HealthFactorNotBelowThreshold => "45",
            PoolError::CollateralCannotBeLiquidated => "46",
            PoolError::SpecifiedCurrencyNotBorrowedByUser => "47",
            PoolError::BorrowCapExceeded => "50",
            PoolError::SupplyCapExceeded => "51",
            PoolError::DebtCeilingExceeded => "53",
            PoolError::LtvValidationFailed => "57",
            PoolError::InconsistentEmodeCategory => "58",
            PoolError::AssetNotBorrowableInIsolation => "60",
            PoolError::UserInIsolationModeOrLtvZero => "62",
        }
    }

    /// The reason in words (Errors.sol's comments, made plain).
    pub fn words(self) -> &'static str {
        match self {
            PoolError::InvalidAmount => "the amount must be greater than 0",
            PoolError::ReservePaused => "the reserve is paused",
            PoolError::ReserveFrozen => "the reserve is frozen: no new supply or borrow",
            PoolError::BorrowingNotEnabled => "borrowing is not enabled for this asset",
            PoolError::NotEnoughAvailableUserBalance => "you cannot withdraw more than you supplied",
            PoolError::CollateralBalanceIsZero => "you have no collateral",
            PoolError::HealthFactorLowerThanLiquidationThreshold => {
                "the health factor would be below 1 (or already is)"
            }
            PoolError::CollateralCannotCoverNewBorrow => {
                "there is not enough collateral (at its LTV) to cover the borrow"
            }
            PoolError::NoDebtOfSelectedType => "you have no debt in this asset",
            PoolError::UnderlyingBalanceZero => "you hold none of this asset",
            PoolError::HealthFactorNotBelowThreshold => "the health factor is not below 1, so no liquidation",
            PoolError::CollateralCannotBeLiquidated => "this asset is not collateral of the position",
            PoolError::SpecifiedCurrencyNotBorrowedByUser => "the position does not owe this asset",
            PoolError::BorrowCapExceeded => "the reserve's borrow cap would be exceeded",
            PoolError::SupplyCapExceeded => "the reserve's supply cap would be exceeded",
            PoolError::DebtCeilingExceeded => "the isolated collateral's debt ceiling would be exceeded",
            PoolError::LtvValidationFailed => {
                "collateral with LTV 0 is held: withdraw or turn it off first (or the position has no LTV)"
            }
            PoolError::InconsistentEmodeCategory => "the asset is not in your e-mode category",
            PoolError::AssetNotBorrowableInIsolation => "the asset cannot be borrowed in isolation mode",
            PoolError::UserInIsolationModeOrLtvZero => {
                "the asset cannot be turned on as collateral (isolation mode, or its LTV is 0)"
            }
        }
    }
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        write!(f, "{name} ({}): {}", self.code(), self.words())
    }
}

/// Why a what-if could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhatIfError {
    /// The input is wrong (an unknown asset, too many decimals, …).
    #[error(transparent)]
    Input(#[from] ScenarioError),
    /// The Pool would revert.
    #[error("{action}: the Pool refuses with {error}")]
    Refused { action: String, error: PoolError },
    /// A Maker vault or Liquity trove would refuse (the contract's revert
    /// string quoted).
    #[error("{action}: {protocol} refuses: {reason}")]
    VaultRefused { action: String, protocol: &'static str, reason: String },
}

/// Applies one action, or says why the Pool (or the input) refuses it; the
/// position is left as it was on refusal.
pub fn apply(position: &mut Position, action: &Action, categories: &[EModeCategory]) -> Result<(), WhatIfError> {
    apply_or_leave(position, action, categories, apply_in_place)
}

/// Applies one user action as a change of balances, collateral flag or
/// e-mode only, without the Pool's V3.0 checks (which differ in later
/// revisions): what [`super::apply_balance_changes`] does per action. Only
/// the refusals every revision shares remain (a zero amount, withdrawing
/// more than supplied, repaying without debt, a collateral flag without a
/// balance). Other what-ifs (prices, parameters) apply as in [`apply`].
pub fn apply_balance_change(
    position: &mut Position,
    action: &Action,
    categories: &[EModeCategory],
) -> Result<(), WhatIfError> {
    apply_or_leave(position, action, categories, balance_change)
}

/// Runs `change` on a copy, so a refusal leaves the position as it was, and
/// names the action in the Pool's refusal.
fn apply_or_leave(
    position: &mut Position,
    action: &Action,
    categories: &[EModeCategory],
    change: fn(&mut Position, &Action, &[EModeCategory]) -> Result<(), Step>,
) -> Result<(), WhatIfError> {
    let mut next = position.clone();
    change(&mut next, action, categories).map_err(|e| match e {
        Step::Pool(error) => WhatIfError::Refused { action: action.to_string(), error },
        Step::Input(e) => WhatIfError::Input(e),
    })?;
    *position = next;
    Ok(())
}

/// The user's e-mode as the Pool holds it once they are in category `c`.
fn emode_of(c: &EModeCategory) -> Result<super::position::EMode, Step> {
    Ok(super::position::EMode {
        id: c.id,
        ltv: c.ltv_bps,
        liquidation_threshold: c.liquidation_threshold_bps,
        liquidation_bonus: c.liquidation_bonus_bps,
        price_base: c
            .price
            .as_ref()
            .map(|pr| to_u256(pr.to_scaled_integer(BASE_CURRENCY_DECIMALS), || "price".into()))
            .transpose()?,
    })
}

fn balance_change(p: &mut Position, action: &Action, categories: &[EModeCategory]) -> Result<(), Step> {
    match action {
        Action::Supply { asset, amount } => {
            let auto_collateral = auto_use_as_collateral(p, asset)?;
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            let raw = raw_amount(r, amount)?;
            ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
            credit_supply(r, raw, auto_collateral)
        }
        Action::Withdraw { asset, amount } => {
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            let raw = raw_or_max(r, amount, r.collateral)?;
            ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
            ensure(raw <= r.collateral, PoolError::NotEnoughAvailableUserBalance)?;
            debit_supply(r, raw);
            Ok(())
        }
        Action::Borrow { asset, amount } => {
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            let raw = raw_amount(r, amount)?;
            ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
            add_debt(r, raw)
        }
        Action::Repay { asset, amount } => {
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            let raw = raw_or_max(r, amount, r.debt)?;
            ensure(!r.debt.is_zero(), PoolError::NoDebtOfSelectedType)?;
            ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
            pay_debt(r, raw);
            Ok(())
        }
        Action::SetCollateral { asset, enabled } => {
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            ensure(!r.collateral.is_zero(), PoolError::UnderlyingBalanceZero)?;
            r.use_as_collateral = *enabled;
            Ok(())
        }
        Action::SetEmode { id: 0 } => {
            p.emode = None;
            Ok(())
        }
        Action::SetEmode { id } => {
            let c = categories.iter().find(|c| c.id == *id).ok_or_else(|| {
                Step::Input(ScenarioError::new("id", format!("e-mode category {id} is not in emode_categories")))
            })?;
            p.emode = Some(emode_of(c)?);
            Ok(())
        }
        other => apply_in_place(p, other, categories),
    }
}

pub(crate) enum Step {
    Pool(PoolError),
    Input(ScenarioError),
}

impl From<ScenarioError> for Step {
    fn from(e: ScenarioError) -> Self {
        Step::Input(e)
    }
}

impl From<PoolError> for Step {
    fn from(e: PoolError) -> Self {
        Step::Pool(e)
    }
}

fn ensure(condition: bool, error: PoolError) -> Result<(), Step> {
    if condition {
        Ok(())
    } else {
        Err(Step::Pool(error))
    }
}

fn unknown(asset: &str) -> Step {
    Step::Input(ScenarioError::new(
        "asset",
        format!("{asset:?} is not an asset of the position (with decimals and price)"),
    ))
}

/// A cap can only be checked against the reserve's total over all users.
fn missing_total(asset: &str, field: &str, cap: &str) -> Step {
    Step::Input(ScenarioError::new(
        field,
        format!("is needed for {asset}: its {cap} cap is checked against the reserve's total over all users"),
    ))
}

fn raw_amount(r: &Reserve, amount: &PlainDecimal) -> Result<U256, Step> {
    to_u256(amount.to_scaled_integer(r.decimals), || "amount".into()).map_err(|_| {
        Step::Input(ScenarioError::new(
            "amount",
            format!("{:?} has {} decimals; {} has {}", amount.as_str(), amount.scale(), r.symbol, r.decimals),
        ))
    })
}

fn apply_in_place(p: &mut Position, action: &Action, categories: &[EModeCategory]) -> Result<(), Step> {
    match action {
        Action::Supply { asset, amount } => supply(p, asset, amount),
        Action::Withdraw { asset, amount } => withdraw(p, asset, amount),
        Action::Borrow { asset, amount } => borrow(p, asset, amount),
        Action::Repay { asset, amount } => repay(p, asset, amount),
        Action::SetCollateral { asset, enabled } => set_collateral(p, asset, *enabled),
        Action::SetEmode { id } => set_emode(p, *id, categories),
        Action::SetPrice { asset, price } => {
            if price.is_zero() || price.scale() > BASE_CURRENCY_DECIMALS {
                return Err(Step::Input(ScenarioError::new(
                    "price",
                    format!("{:?} must be more than 0 with at most 8 decimals", price.as_str()),
                )));
            }
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            r.price_base = to_u256(price.to_scaled_integer(BASE_CURRENCY_DECIMALS), || "price".into())?;
            Ok(())
        }
        Action::SetLtv { asset, ltv_bps } => {
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            if *ltv_bps > r.liquidation_threshold {
                return Err(Step::Input(ScenarioError::new(
                    "ltv_bps",
                    format!("is {ltv_bps}, above {asset}'s liquidation threshold {}", r.liquidation_threshold),
                )));
            }
            r.ltv = *ltv_bps;
            Ok(())
        }
        Action::SetLiquidationThreshold { asset, liquidation_threshold_bps: lt } => {
            let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
            if *lt > BPS_ONE || *lt < r.ltv {
                return Err(Step::Input(ScenarioError::new(
                    "liquidation_threshold_bps",
                    format!("is {lt}; it must be between {asset}'s LTV {} and 10000", r.ltv),
                )));
            }
            r.liquidation_threshold = *lt;
            Ok(())
        }
        Action::Freeze { asset } => {
            p.reserve_mut(asset).ok_or_else(|| unknown(asset))?.frozen = true;
            Ok(())
        }
        Action::RemoveEmodeCategory { id } => {
            for r in p.reserves.iter_mut().filter(|r| r.emode_category == *id) {
                r.emode_category = 0;
            }
            Ok(())
        }
    }
}

/// `SupplyLogic.executeSupply`: the first supply turns the asset on as
/// collateral when `validateAutomaticUseAsCollateral` allows (an isolated asset
/// never is, for a user without the supplier role).
fn supply(p: &mut Position, asset: &str, amount: &PlainDecimal) -> Result<(), Step> {
    let auto_collateral = auto_use_as_collateral(p, asset)?;
    let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
    let raw = raw_amount(r, amount)?;
    ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
    ensure(!r.paused, PoolError::ReservePaused)?;
    ensure(!r.frozen, PoolError::ReserveFrozen)?;
    if !r.supply_cap.is_zero() {
        let cap = r.supply_cap.checked_mul(r.unit).ok_or_else(|| overflow("supply cap"))?;
        let supplied = r.total_supplied.ok_or_else(|| missing_total(asset, "total_supplied", "supply"))?;
        let total = supplied.checked_add(raw).ok_or_else(|| overflow("total supply"))?;
        ensure(total <= cap, PoolError::SupplyCapExceeded)?;
    }
    credit_supply(r, raw, auto_collateral)
}

/// `raw` more supplied; the first supply sets the collateral flag to `auto_collateral`.
fn credit_supply(r: &mut Reserve, raw: U256, auto_collateral: bool) -> Result<(), Step> {
    let first_supply = r.collateral.is_zero();
    r.collateral = r.collateral.checked_add(raw).ok_or_else(|| overflow("balance"))?;
    r.total_supplied = r.total_supplied.and_then(|t| t.checked_add(raw));
    if first_supply {
        r.use_as_collateral = auto_collateral;
    }
    Ok(())
}

/// `raw` (at most the balance, checked by the caller) withdrawn; an emptied
/// balance is no longer collateral.
fn debit_supply(r: &mut Reserve, raw: U256) {
    r.collateral -= raw;
    r.total_supplied = r.total_supplied.map(|t| t.saturating_sub(raw));
    if r.collateral.is_zero() {
        r.use_as_collateral = false;
    }
}

/// `raw` more owed.
fn add_debt(r: &mut Reserve, raw: U256) -> Result<(), Step> {
    r.debt = r.debt.checked_add(raw).ok_or_else(|| overflow("debt"))?;
    r.total_borrowed = r.total_borrowed.and_then(|t| t.checked_add(raw));
    Ok(())
}

/// A repayment of `raw`: the Pool takes at most what is owed; returns what it took.
fn pay_debt(r: &mut Reserve, raw: U256) -> U256 {
    let paid = raw.min(r.debt);
    r.debt -= paid;
    r.total_borrowed = r.total_borrowed.map(|t| t.saturating_sub(paid));
    paid
}

/// The amount asked for in raw units; `max` is `all`.
fn raw_or_max(r: &Reserve, amount: &AmountOrMax, all: U256) -> Result<U256, Step> {
    match amount {
        AmountOrMax::Max => Ok(all),
        AmountOrMax::Tokens(a) => raw_amount(r, a),
    }
}

pub(crate) fn auto_use_as_collateral(p: &Position, asset: &str) -> Result<bool, Step> {
    let r = p.reserve(asset).ok_or_else(|| unknown(asset))?;
    Ok(r.debt_ceiling.is_zero() && use_as_collateral_allowed(p, r))
}

/// `ValidationLogic.validateUseAsCollateral`.
fn use_as_collateral_allowed(p: &Position, r: &Reserve) -> bool {
    if r.ltv == 0 {
        return false;
    }
    if !p.is_using_any_collateral() {
        return true;
    }
    p.isolation_collateral().is_none() && r.debt_ceiling.is_zero()
}

/// `SupplyLogic.executeWithdraw`.
fn withdraw(p: &mut Position, asset: &str, amount: &AmountOrMax) -> Result<(), Step> {
    let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
    let raw = raw_or_max(r, amount, r.collateral)?;
    ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
    ensure(raw <= r.collateral, PoolError::NotEnoughAvailableUserBalance)?;
    ensure(!r.paused, PoolError::ReservePaused)?;
    let was_collateral = r.use_as_collateral;
    let own_ltv = r.ltv;
    debit_supply(r, raw);
    if was_collateral && p.is_borrowing_any() {
        validate_hf_and_ltv(p, own_ltv)?;
    }
    Ok(())
}

/// `ValidationLogic.validateHFAndLtv`: HF ≥ 1 after, and with LTV-0
/// collateral held only LTV-0 assets may leave.
fn validate_hf_and_ltv(p: &Position, asset_ltv: u32) -> Result<(), Step> {
    let totals = p.totals()?;
    ensure(
        totals.health_factor()? >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
        PoolError::HealthFactorLowerThanLiquidationThreshold,
    )?;
    ensure(!totals.has_zero_ltv_collateral || asset_ltv == 0, PoolError::LtvValidationFailed)
}

/// `ValidationLogic.validateBorrow` (variable rate).
fn borrow(p: &mut Position, asset: &str, amount: &PlainDecimal) -> Result<(), Step> {
    let r = p.reserve(asset).ok_or_else(|| unknown(asset))?;
    let raw = raw_amount(r, amount)?;
    validate_borrow(p, asset, raw)?;
    add_debt(p.reserve_mut(asset).ok_or_else(|| unknown(asset))?, raw)?;
    if let Some(iso) = p.isolation_collateral().map(|c| c.symbol.clone()) {
        let cents = isolated_debt_cents(p.reserve(asset).ok_or_else(|| unknown(asset))?, raw)?;
        if let Some(c) = p.reserve_mut(&iso) {
            // validate_borrow checked the sum against the ceiling.
            c.isolation_mode_total_debt = c.isolation_mode_total_debt.saturating_add(cents);
        }
    }
    Ok(())
}

fn pow10_u256(n: u32) -> U256 {
    U256::from(10u8).pow(U256::from(n))
}

/// An amount of a debt token in the debt ceiling's unit (cents of the base
/// currency): `amount / 10 ** (decimals - DEBT_CEILING_DECIMALS)`, as the Pool
/// computes it. For a token with fewer than 2 decimals that subtraction
/// underflows and the Pool reverts (panic 0x11), so the action is refused here.
pub(crate) fn isolated_debt_cents(debt: &Reserve, amount: U256) -> Result<U256, ScenarioError> {
    let shift = debt.decimals.checked_sub(DEBT_CEILING_DECIMALS).ok_or_else(|| {
        ScenarioError::new(
            "asset",
            format!(
                "{} has {} decimals: the Pool's isolation-mode arithmetic (amount / 10^(decimals − 2)) underflows \
                 and reverts, so a position in isolation mode cannot borrow, repay or be liquidated in it",
                debt.symbol, debt.decimals
            ),
        )
    })?;
    Ok(amount / pow10_u256(shift))
}

/// The checks of `validateBorrow`, in the Pool's order.
pub(crate) fn validate_borrow(p: &Position, asset: &str, raw: U256) -> Result<(), Step> {
    let r = p.reserve(asset).ok_or_else(|| unknown(asset))?;
    ensure(!raw.is_zero(), PoolError::InvalidAmount)?;
    ensure(!r.paused, PoolError::ReservePaused)?;
    ensure(!r.frozen, PoolError::ReserveFrozen)?;
    ensure(r.borrowing_enabled, PoolError::BorrowingNotEnabled)?;
    check_borrow_cap(r, raw)?;
    let isolation = p.isolation_collateral();
    if let Some(iso) = isolation {
        ensure(r.borrowable_in_isolation, PoolError::AssetNotBorrowableInIsolation)?;
        check_debt_ceiling(iso, r, raw)?;
    }
    if let Some(e) = &p.emode {
        ensure(r.emode_category == e.id, PoolError::InconsistentEmodeCategory)?;
    }
    let totals = p.totals()?;
    ensure(!totals.collateral.is_zero(), PoolError::CollateralBalanceIsZero)?;
    ensure(!totals.ltv.is_zero(), PoolError::LtvValidationFailed)?;
    ensure(
        totals.health_factor()? > HEALTH_FACTOR_LIQUIDATION_THRESHOLD,
        PoolError::HealthFactorLowerThanLiquidationThreshold,
    )?;
    check_collateral_covers(p, r, raw, &totals)
}

/// `validateBorrow`'s checks that depend on the amount.
fn check_borrow_cap(r: &Reserve, raw: U256) -> Result<(), Step> {
    if !r.borrow_cap.is_zero() {
        let cap = r.borrow_cap.checked_mul(r.unit).ok_or_else(|| overflow("borrow cap"))?;
        let borrowed = r.total_borrowed.ok_or_else(|| missing_total(&r.symbol, "total_borrowed", "borrow"))?;
        let total = borrowed.checked_add(raw).ok_or_else(|| overflow("total debt"))?;
        ensure(total <= cap, PoolError::BorrowCapExceeded)?;
    }
    Ok(())
}

fn check_debt_ceiling(iso: &Reserve, r: &Reserve, raw: U256) -> Result<(), Step> {
    let cents = isolated_debt_cents(r, raw)?;
    let after = iso.isolation_mode_total_debt.checked_add(cents).ok_or_else(|| overflow("isolation debt"))?;
    ensure(after <= iso.debt_ceiling, PoolError::DebtCeilingExceeded)
}

fn check_collateral_covers(p: &Position, r: &Reserve, raw: U256, totals: &AccountTotals) -> Result<(), Step> {
    let amount_base = r.value_base(raw, p.emode.as_ref())?;
    let needed = totals
        .debt
        .checked_add(amount_base)
        .and_then(|d| percent_div(d, totals.ltv))
        .ok_or_else(|| overflow("collateral needed"))?;
    ensure(needed <= totals.collateral, PoolError::CollateralCannotCoverNewBorrow)
}

/// [`validate_borrow`] of one asset for many amounts, as a solver probes
/// them: the checks that do not depend on the amount (flags, e-mode, the
/// account's totals and health factor) run once, when it is made.
pub(crate) struct BorrowProbe<'a> {
    position: &'a Position,
    reserve: &'a Reserve,
    isolation: Option<&'a Reserve>,
    totals: AccountTotals,
}

impl<'a> BorrowProbe<'a> {
    /// The probe, or the Pool's refusal of a borrow of one unit.
    pub(crate) fn new(p: &'a Position, asset: &str) -> Result<Self, Step> {
        validate_borrow(p, asset, U256::from(1))?;
        let reserve = p.reserve(asset).ok_or_else(|| unknown(asset))?;
        Ok(Self { position: p, reserve, isolation: p.isolation_collateral(), totals: p.totals()? })
    }

    pub(crate) fn totals(&self) -> &AccountTotals {
        &self.totals
    }

    /// `validate_borrow(p, asset, raw).is_ok()`: the amount-free checks
    /// passed for one unit, so they pass for any amount.
    pub(crate) fn passes(&self, raw: U256) -> bool {
        !raw.is_zero()
            && check_borrow_cap(self.reserve, raw).is_ok()
            && self.isolation.is_none_or(|iso| check_debt_ceiling(iso, self.reserve, raw).is_ok())
            && check_collateral_covers(self.position, self.reserve, raw, &self.totals).is_ok()
    }
}

/// `BorrowLogic.executeRepay` (variable debt); `max` repays it all.
fn repay(p: &mut Position, asset: &str, amount: &AmountOrMax) -> Result<(), Step> {
    let r = p.reserve_mut(asset).ok_or_else(|| unknown(asset))?;
    let raw = raw_or_max(r, amount, r.debt)?;
    ensure(!raw.is_zero() || matches!(amount, AmountOrMax::Max) && r.debt.is_zero(), PoolError::InvalidAmount)?;
    ensure(!r.paused, PoolError::ReservePaused)?;
    ensure(!r.debt.is_zero(), PoolError::NoDebtOfSelectedType)?;
    let paid = pay_debt(r, raw);
    let debt = r.clone();
    reduce_isolated_debt(p, &debt, paid)?;
    Ok(())
}

/// `IsolationModeLogic.updateIsolatedDebtIfIsolated`: a repayment (or a
/// liquidation) of an isolated position lowers the collateral's isolated debt
/// by the amount in cents, floored at 0 since the ceiling ignores interest.
pub(crate) fn reduce_isolated_debt(p: &mut Position, debt: &Reserve, repaid: U256) -> Result<(), ScenarioError> {
    let Some(iso) = p.isolation_collateral().map(|c| c.symbol.clone()) else { return Ok(()) };
    let cents = isolated_debt_cents(debt, repaid)?;
    if let Some(c) = p.reserve_mut(&iso) {
        c.isolation_mode_total_debt = c.isolation_mode_total_debt.saturating_sub(cents);
    }
    Ok(())
}

/// `SupplyLogic.executeUseReserveAsCollateral`.
fn set_collateral(p: &mut Position, asset: &str, enabled: bool) -> Result<(), Step> {
    let r = p.reserve(asset).ok_or_else(|| unknown(asset))?;
    ensure(!r.collateral.is_zero(), PoolError::UnderlyingBalanceZero)?;
    ensure(!r.paused, PoolError::ReservePaused)?;
    if enabled == r.use_as_collateral {
        return Ok(());
    }
    if enabled {
        // Judge against the other collateral, as the Pool's flags are before the change.
        ensure(use_as_collateral_allowed(p, r), PoolError::UserInIsolationModeOrLtvZero)?;
        if let Some(r) = p.reserve_mut(asset) {
            r.use_as_collateral = true;
        }
        Ok(())
    } else {
        let own_ltv = r.ltv;
        if let Some(r) = p.reserve_mut(asset) {
            r.use_as_collateral = false;
        }
        validate_hf_and_ltv(p, own_ltv)
    }
}

/// `EModeLogic.executeSetUserEMode`.
fn set_emode(p: &mut Position, id: u32, categories: &[EModeCategory]) -> Result<(), Step> {
    let category = if id == 0 {
        None
    } else {
        let c = categories.iter().find(|c| c.id == id).ok_or_else(|| {
            Step::Input(ScenarioError::new("id", format!("e-mode category {id} is not in emode_categories")))
        })?;
        ensure(c.liquidation_threshold_bps != 0, PoolError::InconsistentEmodeCategory)?;
        // Every borrowed asset must belong to the new category.
        ensure(
            p.reserves.iter().filter(|r| !r.debt.is_zero()).all(|r| r.emode_category == id),
            PoolError::InconsistentEmodeCategory,
        )?;
        Some(c)
    };
    let had_category = p.emode.is_some();
    p.emode = category.map(emode_of).transpose()?;
    if had_category {
        let hf = p.totals()?.health_factor()?;
        ensure(hf >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD, PoolError::HealthFactorLowerThanLiquidationThreshold)?;
    }
    Ok(())
}
