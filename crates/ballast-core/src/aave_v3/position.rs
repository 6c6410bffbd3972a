//! An Aave V3 position in the Pool's own units: token balances in their
//! smallest unit, prices in the 8-decimal base currency, parameters in basis
//! points. Account data, actions and solvers all work on this one model.

use alloy_primitives::U256;
use num_bigint::BigUint;
use num_rational::BigRational;
use num_traits::Zero;

use super::math::{percent_mul, wad_div};
use super::{AccountData, BASE_CURRENCY_DECIMALS, DEBT_CEILING_DECIMALS};
use crate::exact::{pow10, PlainDecimal};
use crate::liquidation::PriceExposure;
use crate::scenario::{Asset, EModeCategory, Holding, Scenario, ScenarioError, BPS_ONE};

/// The user's e-mode category in Pool units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EMode {
    pub id: u32,
    pub ltv: u32,
    pub liquidation_threshold: u32,
    pub liquidation_bonus: u32,
    /// The category's price source, if it has one.
    pub price_base: Option<U256>,
}

/// One reserve as the Pool sees it for this user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserve {
    pub symbol: String,
    pub decimals: u32,
    /// 10^decimals.
    pub unit: U256,
    /// The asset's own oracle price, base currency units.
    pub price_base: U256,
    pub ltv: u32,
    pub liquidation_threshold: u32,
    pub liquidation_bonus: u32,
    pub emode_category: u32,
    /// aToken balance, smallest unit.
    pub collateral: U256,
    /// The user's collateral flag for this reserve.
    pub use_as_collateral: bool,
    /// Debt, smallest unit.
    pub debt: U256,
    pub frozen: bool,
    pub paused: bool,
    pub borrowing_enabled: bool,
    /// Whole tokens, 0 for none.
    pub supply_cap: U256,
    pub borrow_cap: U256,
    /// All users' supply and debt, smallest unit (known only when given).
    pub total_supplied: Option<U256>,
    pub total_borrowed: Option<U256>,
    /// USD cents, 0 when the asset is not isolated.
    pub debt_ceiling: U256,
    pub isolation_mode_total_debt: U256,
    pub borrowable_in_isolation: bool,
    pub liquidation_protocol_fee: u32,
    /// Yearly rates as rays (1e27 = 100 %), 0 when not given.
    pub supply_rate: U256,
    pub variable_borrow_rate: U256,
}

/// A position valued by Aave V3.0's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub reserves: Vec<Reserve>,
    pub emode: Option<EMode>,
}

/// Solidity reverts on overflow; so does the engine, with the reason.
pub(crate) fn overflow(what: &str) -> ScenarioError {
    ScenarioError::new(
        "scenario",
        format!("{what} overflows the Pool's uint256 arithmetic; the Pool would revert on this position"),
    )
}

impl Reserve {
    /// Whether the user is in this reserve's e-mode category.
    pub fn in_emode(&self, emode: Option<&EMode>) -> bool {
        emode.is_some_and(|e| e.id != 0 && e.id == self.emode_category)
    }

    /// The price the Pool values this reserve at: the e-mode category's price
    /// source when the user is in its category and it has one.
    pub fn effective_price_base(&self, emode: Option<&EMode>) -> U256 {
        match emode {
            Some(e) if self.in_emode(Some(e)) => e.price_base.unwrap_or(self.price_base),
            _ => self.price_base,
        }
    }

    /// True when the asset's own price does not move its value (e-mode price).
    pub fn priced_by_emode(&self, emode: Option<&EMode>) -> bool {
        emode.is_some_and(|e| self.in_emode(Some(e)) && e.price_base.is_some())
    }

    /// Counts toward collateral: own threshold not 0 and the user's flag on.
    pub fn counts_as_collateral(&self) -> bool {
        self.liquidation_threshold != 0 && self.use_as_collateral && !self.collateral.is_zero()
    }

    /// LTV that applies: the asset's own 0 stays 0, else e-mode's in category.
    pub fn effective_ltv(&self, emode: Option<&EMode>) -> u32 {
        match emode {
            _ if self.ltv == 0 => 0,
            Some(e) if self.in_emode(Some(e)) => e.ltv,
            _ => self.ltv,
        }
    }

    pub fn effective_liquidation_threshold(&self, emode: Option<&EMode>) -> u32 {
        match emode {
            Some(e) if self.in_emode(Some(e)) => e.liquidation_threshold,
            _ => self.liquidation_threshold,
        }
    }

    /// `amount × price / 10^decimals`, floored: the Pool's per-asset value.
    pub fn value_base(&self, amount: U256, emode: Option<&EMode>) -> Result<U256, ScenarioError> {
        let product = amount
            .checked_mul(self.effective_price_base(emode))
            .ok_or_else(|| overflow(&format!("{} amount × price", self.symbol)))?;
        Ok(product / self.unit)
    }

    /// A raw amount as a whole-token rational.
    pub fn tokens(&self, raw: U256) -> BigRational {
        BigRational::new(u256_to_big(raw).into(), u256_to_big(self.unit).into())
    }

    /// A raw amount as a plain decimal string in whole tokens.
    pub fn tokens_text(&self, raw: U256) -> String {
        crate::exact::format_exact(&self.tokens(raw))
    }
}

impl Position {
    /// The position a validated aave-v3 scenario describes. Assets listed
    /// without decimals or price are left out (they cannot be held).
    pub fn from_scenario(s: &Scenario) -> Result<Self, ScenarioError> {
        let emode = match &s.emode {
            Some(e) => Some(EMode {
                id: e.id,
                ltv: e.ltv_bps,
                liquidation_threshold: e.liquidation_threshold_bps,
                liquidation_bonus: e.liquidation_bonus_bps,
                price_base: e
                    .price
                    .as_ref()
                    .map(|p| to_u256(p.to_scaled_integer(BASE_CURRENCY_DECIMALS), || "emode.price".into()))
                    .transpose()?,
            }),
            None => None,
        };
        let mut reserves = Vec::with_capacity(s.assets.len());
        for (ai, asset) in s.assets.iter().enumerate() {
            let (Some(decimals), Some(price)) = (asset.decimals, asset.price.as_ref()) else { continue };
            let collateral = holding(&s.collateral, "collateral", &asset.symbol, decimals)?;
            let debt = holding(&s.debt, "debt", &asset.symbol, decimals)?;
            reserves.push(Reserve {
                symbol: asset.symbol.clone(),
                decimals,
                unit: to_u256(Some(pow10(decimals)), || format!("assets[{ai}].decimals"))?,
                price_base: to_u256(price.to_scaled_integer(BASE_CURRENCY_DECIMALS), || format!("assets[{ai}].price"))?,
                ltv: asset.ltv_bps.unwrap_or(0),
                liquidation_threshold: asset.liquidation_threshold_bps.unwrap_or(0),
                liquidation_bonus: asset.liquidation_bonus_bps.unwrap_or(0),
                emode_category: asset.emode_category.unwrap_or(0),
                collateral: collateral.map_or(U256::ZERO, |(raw, _)| raw),
                // An asset not held has no collateral flag; the first supply sets it.
                use_as_collateral: collateral.is_some_and(|(_, on)| on),
                debt: debt.map_or(U256::ZERO, |(raw, _)| raw),
                frozen: asset.frozen.unwrap_or(false),
                paused: asset.paused.unwrap_or(false),
                borrowing_enabled: asset.borrowing_enabled.unwrap_or(true),
                supply_cap: whole(&asset.supply_cap, 0, || format!("assets[{ai}].supply_cap"))?,
                borrow_cap: whole(&asset.borrow_cap, 0, || format!("assets[{ai}].borrow_cap"))?,
                total_supplied: optional(&asset.total_supplied, decimals, || format!("assets[{ai}].total_supplied"))?,
                total_borrowed: optional(&asset.total_borrowed, decimals, || format!("assets[{ai}].total_borrowed"))?,
                debt_ceiling: whole(&asset.debt_ceiling, DEBT_CEILING_DECIMALS, || {
                    format!("assets[{ai}].debt_ceiling")
                })?,
                isolation_mode_total_debt: whole(&asset.isolation_mode_total_debt, DEBT_CEILING_DECIMALS, || {
                    format!("assets[{ai}].isolation_mode_total_debt")
                })?,
                borrowable_in_isolation: asset.borrowable_in_isolation.unwrap_or(false),
                liquidation_protocol_fee: asset.liquidation_protocol_fee_bps.unwrap_or(0),
                supply_rate: whole(&asset.supply_rate, RAY_DECIMALS, || format!("assets[{ai}].supply_rate"))?,
                variable_borrow_rate: whole(&asset.variable_borrow_rate, RAY_DECIMALS, || {
                    format!("assets[{ai}].variable_borrow_rate")
                })?,
            });
            if let (Some(strategy), Some(r)) = (&asset.rate_strategy, reserves.last_mut()) {
                apply_rate_strategy(r, strategy, asset, ai)?;
            }
        }
        Ok(Self { reserves, emode })
    }

    /// `UserConfiguration.getIsolationModeState`: isolated when the only
    /// collateral turned on is an asset with a debt ceiling.
    pub fn isolation_collateral(&self) -> Option<&Reserve> {
        let mut enabled = self.reserves.iter().filter(|r| r.use_as_collateral && !r.collateral.is_zero());
        let only = enabled.next()?;
        (enabled.next().is_none() && !only.debt_ceiling.is_zero()).then_some(only)
    }

    pub fn is_borrowing_any(&self) -> bool {
        self.reserves.iter().any(|r| !r.debt.is_zero())
    }

    pub fn is_using_any_collateral(&self) -> bool {
        self.reserves.iter().any(|r| r.use_as_collateral && !r.collateral.is_zero())
    }

    pub fn reserve(&self, symbol: &str) -> Option<&Reserve> {
        self.reserves.iter().find(|r| r.symbol == symbol)
    }

    pub fn reserve_mut(&mut self, symbol: &str) -> Option<&mut Reserve> {
        self.reserves.iter_mut().find(|r| r.symbol == symbol)
    }

    /// `GenericLogic.calculateUserAccountData` then `calculateAvailableBorrows`,
    /// as `Pool.getUserAccountData` runs them.
    pub fn account_data(&self) -> Result<AccountData, ScenarioError> {
        let totals = self.totals()?;
        let health_factor = totals.health_factor()?;
        let borrowable = percent_mul(totals.collateral, totals.ltv).ok_or_else(|| overflow("collateral × LTV"))?;
        let sums = (totals.collateral, totals.debt, totals.ltv, totals.liquidation_threshold);
        Ok(AccountData::from_parts(sums, health_factor, borrowable))
    }

    /// The sums `calculateUserAccountData` builds, before the health factor.
    pub fn totals(&self) -> Result<AccountTotals, ScenarioError> {
        let emode = self.emode.as_ref();
        let mut t = AccountTotals::default();
        let mut ltv_weighted = U256::ZERO;
        let mut threshold_weighted = U256::ZERO;
        for r in &self.reserves {
            if r.counts_as_collateral() {
                let value = r.value_base(r.collateral, emode)?;
                t.collateral = t.collateral.checked_add(value).ok_or_else(|| overflow("total collateral"))?;
                let ltv = r.effective_ltv(emode);
                // GenericLogic flags the asset's own LTV 0, whatever e-mode says.
                if r.ltv == 0 {
                    t.has_zero_ltv_collateral = true;
                }
                ltv_weighted = value
                    .checked_mul(U256::from(ltv))
                    .and_then(|w| ltv_weighted.checked_add(w))
                    .ok_or_else(|| overflow("weighted LTV"))?;
                threshold_weighted = value
                    .checked_mul(U256::from(r.effective_liquidation_threshold(emode)))
                    .and_then(|w| threshold_weighted.checked_add(w))
                    .ok_or_else(|| overflow("weighted liquidation threshold"))?;
            }
            if !r.debt.is_zero() {
                let value = r.value_base(r.debt, emode)?;
                t.debt = t.debt.checked_add(value).ok_or_else(|| overflow("total debt"))?;
            }
        }
        if !t.collateral.is_zero() {
            t.ltv = ltv_weighted / t.collateral;
            t.liquidation_threshold = threshold_weighted / t.collateral;
        }
        Ok(t)
    }

    /// Each held asset's exposure of the exact, unrounded health ratio to its
    /// own price, for liquidation prices.
    pub fn price_exposures(&self) -> Vec<PriceExposure> {
        let emode = self.emode.as_ref();
        self.reserves
            .iter()
            .filter(|r| r.counts_as_collateral() || !r.debt.is_zero())
            .map(|r| {
                // tokens × threshold / 10 000 as one fraction, reduced once.
                let collateral_weight = if r.counts_as_collateral() {
                    let threshold = BigUint::from(r.effective_liquidation_threshold(emode));
                    BigRational::new(
                        (u256_to_big(r.collateral) * threshold).into(),
                        (u256_to_big(r.unit) * BigUint::from(BPS_ONE)).into(),
                    )
                } else {
                    BigRational::zero()
                };
                PriceExposure {
                    asset: r.symbol.clone(),
                    price: base_to_rational(r.effective_price_base(emode)),
                    collateral_weight,
                    debt_weight: r.tokens(r.debt),
                    price_moves_health: !r.priced_by_emode(emode),
                }
            })
            .collect()
    }

    /// Writes this position's amounts and flags back into `base`, the
    /// scenario it came from, so everything else there is kept.
    pub fn to_scenario(&self, base: &Scenario) -> Scenario {
        let mut s = base.clone();
        let amount = |r: &Reserve, raw: U256| {
            PlainDecimal::parse(&r.tokens_text(raw)).unwrap_or_else(|e| unreachable!("engine decimals parse: {e}"))
        };
        s.collateral = self
            .reserves
            .iter()
            .filter(|r| !r.collateral.is_zero())
            .map(|r| Holding {
                asset: r.symbol.clone(),
                amount: amount(r, r.collateral),
                use_as_collateral: (!r.use_as_collateral).then_some(false),
            })
            .collect();
        s.debt = self
            .reserves
            .iter()
            .filter(|r| !r.debt.is_zero())
            .map(|r| Holding { asset: r.symbol.clone(), amount: amount(r, r.debt), use_as_collateral: None })
            .collect();
        s.emode = self.emode.as_ref().map(|e| EModeCategory {
            id: e.id,
            ltv_bps: e.ltv,
            liquidation_threshold_bps: e.liquidation_threshold,
            liquidation_bonus_bps: e.liquidation_bonus,
            price: e.price_base.map(|p| {
                PlainDecimal::parse(&crate::exact::format_exact(&base_to_rational(p)))
                    .unwrap_or_else(|e| unreachable!("engine decimals parse: {e}"))
            }),
            // Membership lists are not part of the integer model: keep the input's.
            collateral_assets: base.emode.as_ref().and_then(|c| c.collateral_assets.clone()),
            borrowable_assets: base.emode.as_ref().and_then(|c| c.borrowable_assets.clone()),
        });
        for r in &self.reserves {
            if let Some(a) = s.assets.iter_mut().find(|a| a.symbol == r.symbol) {
                update_asset(a, r);
            }
        }
        s
    }
}

/// Writes a reserve's price and parameters back to its scenario asset.
fn update_asset(a: &mut Asset, r: &Reserve) {
    let price_text = crate::exact::format_exact(&base_to_rational(r.price_base));
    if a.price.as_ref().is_none_or(|p| p.to_rational() != base_to_rational(r.price_base)) {
        a.price = PlainDecimal::parse(&price_text).ok();
    }
    if a.ltv_bps.is_some() || r.ltv != 0 {
        a.ltv_bps = Some(r.ltv);
    }
    if a.liquidation_threshold_bps.is_some() || r.liquidation_threshold != 0 {
        a.liquidation_threshold_bps = Some(r.liquidation_threshold);
    }
    if a.emode_category.is_some() || r.emode_category != 0 {
        a.emode_category = Some(r.emode_category);
    }
    if a.frozen.is_some() || r.frozen {
        a.frozen = Some(r.frozen);
    }
    let cents = |v: U256| PlainDecimal::parse(&crate::exact::format_exact(&cents_to_rational(v))).ok();
    if a.isolation_mode_total_debt.is_some() || !r.isolation_mode_total_debt.is_zero() {
        a.isolation_mode_total_debt = cents(r.isolation_mode_total_debt);
    }
    let tokens = |v: Option<U256>| v.and_then(|v| PlainDecimal::parse(&r.tokens_text(v)).ok());
    if a.total_supplied.is_some() {
        a.total_supplied = tokens(r.total_supplied);
    }
    if a.total_borrowed.is_some() {
        a.total_borrowed = tokens(r.total_borrowed);
    }
}

fn cents_to_rational(v: U256) -> BigRational {
    BigRational::new(u256_to_big(v).into(), pow10(DEBT_CEILING_DECIMALS).into())
}

/// What `calculateUserAccountData` sums, in base currency and basis points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountTotals {
    pub collateral: U256,
    pub debt: U256,
    pub ltv: U256,
    pub liquidation_threshold: U256,
    pub has_zero_ltv_collateral: bool,
}

impl AccountTotals {
    /// `(collateral.percentMul(threshold)).wadDiv(debt)`, or uint256 max without debt.
    pub fn health_factor(&self) -> Result<U256, ScenarioError> {
        if self.debt.is_zero() {
            return Ok(U256::MAX);
        }
        let adjusted = percent_mul(self.collateral, self.liquidation_threshold)
            .ok_or_else(|| overflow("collateral × threshold"))?;
        wad_div(adjusted, self.debt).ok_or_else(|| overflow("health factor"))
    }
}

/// Fills a reserve's unstated rates from its strategy and utilisation
/// (`DefaultReserveInterestRateStrategy`); stated rates win.
fn apply_rate_strategy(
    r: &mut Reserve,
    strategy: &crate::scenario::RateStrategyInput,
    asset: &Asset,
    ai: usize,
) -> Result<(), ScenarioError> {
    let field = |name: &str| format!("assets[{ai}].rate_strategy.{name}");
    let ray = |d: &PlainDecimal, name: &str| to_u256(d.to_scaled_integer(RAY_DECIMALS), || field(name));
    let strategy = super::rates::RateStrategy {
        optimal_usage_ratio: ray(&strategy.optimal_usage_ratio, "optimal_usage_ratio")?,
        base_variable_borrow_rate: ray(&strategy.base_variable_borrow_rate, "base_variable_borrow_rate")?,
        variable_rate_slope1: ray(&strategy.variable_rate_slope1, "variable_rate_slope1")?,
        variable_rate_slope2: ray(&strategy.variable_rate_slope2, "variable_rate_slope2")?,
    };
    let (Some(supplied), Some(borrowed)) = (r.total_supplied, r.total_borrowed) else {
        return Err(ScenarioError::new(
            format!("assets[{ai}].rate_strategy"),
            "needs total_supplied and total_borrowed to know the utilisation",
        ));
    };
    let available = supplied
        .checked_sub(borrowed)
        .ok_or_else(|| ScenarioError::new(format!("assets[{ai}].total_borrowed"), "is more than total_supplied"))?;
    let rates =
        super::rates::calculate_interest_rates(&strategy, available, borrowed, asset.reserve_factor_bps.unwrap_or(0))
            .ok_or_else(|| {
            let optimal = field("optimal_usage_ratio");
            if strategy.optimal_usage_ratio > super::math::RAY {
                ScenarioError::new(optimal, "must be at most 1 (the rate strategy's constructor refuses more)")
            } else if strategy.optimal_usage_ratio.is_zero() && borrowed.is_zero() {
                ScenarioError::new(optimal, "is 0 while nothing is borrowed: the contract divides by it and reverts")
            } else {
                ScenarioError::new(format!("assets[{ai}].rate_strategy"), "overflows the contract's arithmetic")
            }
        })?;
    if asset.supply_rate.is_none() {
        r.supply_rate = rates.liquidity_rate;
    }
    if asset.variable_borrow_rate.is_none() {
        r.variable_borrow_rate = rates.variable_borrow_rate;
    }
    Ok(())
}

/// Rates are rays: 27 decimals.
const RAY_DECIMALS: u32 = 27;

/// An optional decimal scaled by `10^decimals`, 0 when absent.
fn whole(value: &Option<PlainDecimal>, decimals: u32, field: impl Fn() -> String) -> Result<U256, ScenarioError> {
    Ok(optional(value, decimals, field)?.unwrap_or(U256::ZERO))
}

fn optional(
    value: &Option<PlainDecimal>,
    decimals: u32,
    field: impl Fn() -> String,
) -> Result<Option<U256>, ScenarioError> {
    value.as_ref().map(|v| to_u256(v.to_scaled_integer(decimals), &field)).transpose()
}

/// A holding's raw amount and collateral flag, if the list has the asset.
fn holding(
    holdings: &[Holding],
    list: &str,
    symbol: &str,
    decimals: u32,
) -> Result<Option<(U256, bool)>, ScenarioError> {
    let Some((i, h)) = holdings.iter().enumerate().find(|(_, h)| h.asset == symbol) else { return Ok(None) };
    let raw = to_u256(h.amount.to_scaled_integer(decimals), || format!("{list}[{i}].amount"))?;
    Ok(Some((raw, h.use_as_collateral.unwrap_or(true))))
}

pub(crate) fn to_u256(value: Option<BigUint>, field: impl Fn() -> String) -> Result<U256, ScenarioError> {
    let value = value.ok_or_else(|| ScenarioError::new(field(), "has more decimals than allowed"))?;
    U256::try_from_le_slice(&value.to_bytes_le()).ok_or_else(|| {
        ScenarioError::new(field(), "is too large for a uint256 once scaled to the Pool's integer units")
    })
}

pub(crate) fn u256_to_big(v: U256) -> BigUint {
    BigUint::from_bytes_le(&v.to_le_bytes::<32>())
}

/// Base-currency units (USD × 1e8) as an exact USD rational.
pub fn base_to_rational(v: U256) -> BigRational {
    BigRational::new(u256_to_big(v).into(), pow10(BASE_CURRENCY_DECIMALS).into())
}
