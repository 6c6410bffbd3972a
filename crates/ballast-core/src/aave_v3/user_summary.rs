//! A user's account data at any timestamp, from the reserve and user data a
//! front end reads (`UiPoolDataProvider`, an indexer): scaled balances,
//! indexes, rates and last-update timestamps, the inputs `@aave/math-utils`'
//! `formatUserSummary` takes.
//!
//! Interest is accrued as the Pool accrues it (`aToken.balanceOf` =
//! `scaledBalance.rayMul(getNormalizedIncome())`, variable debt =
//! `scaledDebt.rayMul(getNormalizedDebt())`), then valued and averaged as
//! `GenericLogic.calculateUserAccountData` does, so the result is what
//! `Pool.getUserAccountData` (`@aave/core-v3` 1.19.3) returns in a block at
//! that timestamp. Stable-rate debt is not modelled.
//!
//! Built for throughput: [`UserReserve`] is `Copy` and holds its integers
//! inline, and [`user_account_data`] allocates nothing.

use alloy_primitives::U256;
use thiserror::Error;

use super::interest::{normalized_debt, normalized_income};
use super::math::{percent_mul, ray_mul, wad_div};
use super::AccountData;

/// One reserve of the user's position: the reserve's state as last stored
/// on chain, its configuration, and the user's scaled balances in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserReserve {
    /// `aToken.scaledBalanceOf(user)`, in the token's smallest unit.
    pub scaled_a_token_balance: U256,
    /// `variableDebtToken.scaledBalanceOf(user)`.
    pub scaled_variable_debt: U256,
    /// Stored at the last update (rays).
    pub liquidity_index: U256,
    pub variable_borrow_index: U256,
    /// Current rates (rays per year).
    pub liquidity_rate: U256,
    pub variable_borrow_rate: U256,
    /// When the indexes were stored (Unix seconds).
    pub last_update_timestamp: u64,
    pub decimals: u8,
    /// Oracle price in the market's base currency (USD with 8 decimals on
    /// Aave V3 markets), per whole token.
    pub price_in_market_reference_currency: U256,
    /// Basis points. A threshold of 0 means the asset is not collateral.
    pub ltv: u16,
    pub liquidation_threshold: u16,
    /// The user's "use as collateral" switch for this reserve.
    pub usage_as_collateral_enabled_on_user: bool,
    /// The reserve's e-mode category, 0 for none.
    pub emode_category: u8,
}

/// The e-mode category the user is in, as V3.0 stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EModeCategory {
    /// 1 to 255; 0 means no e-mode and is treated as such.
    pub id: u8,
    /// Basis points; they replace the reserve's own for assets in the category.
    pub ltv: u16,
    pub liquidation_threshold: u16,
    /// The category's price source, in base currency. `None` (or 0) keeps
    /// each asset's own price, as the Pool does when no source is set.
    pub price: Option<U256>,
}

/// Why one reserve cannot be accrued or valued: the Pool would revert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReserveError {
    #[error("last updated at {last_update_timestamp}, after the current timestamp {current_timestamp}")]
    UpdatedAfterCurrentTimestamp { last_update_timestamp: u64, current_timestamp: u64 },
    #[error("{0} decimals: 10^decimals does not fit a uint256")]
    TooManyDecimals(u8),
    #[error("{0} overflows uint256; the Pool would revert")]
    Overflow(&'static str),
}

/// Why the account data cannot be computed: the Pool would revert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UserSummaryError {
    #[error("reserve {index}: {source}")]
    Reserve { index: usize, source: ReserveError },
    #[error("{0} overflows uint256; the Pool would revert")]
    Overflow(&'static str),
}

/// 10^0 ..= 10^19, the token units that fit a u64: every real token's.
const POW10_U64: [u64; 20] = {
    let mut table = [1u64; 20];
    let mut i = 1;
    while i < table.len() {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

impl UserReserve {
    /// One whole token in its smallest unit, `10**decimals`.
    pub fn asset_unit(&self) -> Result<U256, ReserveError> {
        match POW10_U64.get(usize::from(self.decimals)) {
            Some(&unit) => Ok(U256::from(unit)),
            None => U256::from(10)
                .checked_pow(U256::from(self.decimals))
                .ok_or(ReserveError::TooManyDecimals(self.decimals)),
        }
    }

    fn check_clock(&self, current_timestamp: u64) -> Result<(), ReserveError> {
        if current_timestamp < self.last_update_timestamp {
            return Err(ReserveError::UpdatedAfterCurrentTimestamp {
                last_update_timestamp: self.last_update_timestamp,
                current_timestamp,
            });
        }
        Ok(())
    }

    /// `aToken.balanceOf(user)` at `current_timestamp`: the scaled balance
    /// times the normalized income, rounded half up.
    pub fn a_token_balance(&self, current_timestamp: u64) -> Result<U256, ReserveError> {
        self.check_clock(current_timestamp)?;
        let income =
            normalized_income(self.liquidity_rate, self.liquidity_index, self.last_update_timestamp, current_timestamp)
                .ok_or(ReserveError::Overflow("normalized income"))?;
        ray_mul(self.scaled_a_token_balance, income).ok_or(ReserveError::Overflow("aToken balance"))
    }

    /// `variableDebtToken.balanceOf(user)` at `current_timestamp`: the scaled
    /// debt times the normalized debt, rounded half up.
    pub fn variable_debt(&self, current_timestamp: u64) -> Result<U256, ReserveError> {
        // GenericLogic skips the index for a zero balance; so does this.
        if self.scaled_variable_debt.is_zero() {
            return Ok(U256::ZERO);
        }
        self.check_clock(current_timestamp)?;
        let debt_index = normalized_debt(
            self.variable_borrow_rate,
            self.variable_borrow_index,
            self.last_update_timestamp,
            current_timestamp,
        )
        .ok_or(ReserveError::Overflow("normalized debt"))?;
        ray_mul(self.scaled_variable_debt, debt_index).ok_or(ReserveError::Overflow("variable debt"))
    }

    /// Whether `calculateUserAccountData` counts the aToken balance: the
    /// reserve's own threshold is not 0 and the user's switch is on.
    fn counts_as_collateral(&self) -> bool {
        self.liquidation_threshold != 0 && self.usage_as_collateral_enabled_on_user
    }
}

/// `Pool.getUserAccountData` at `current_timestamp`: `GenericLogic.calculateUserAccountData`
/// then `calculateAvailableBorrows`, over the user's reserves in any order.
///
/// Per reserve, as the Pool does: a value in base currency is
/// `balance × price / 10^decimals`, floored; collateral counts only where
/// the reserve's own liquidation threshold is not 0 and the user's switch is
/// on; an own LTV of 0 adds nothing to the LTV average even in e-mode.
/// The averages are floored to whole basis points before they multiply.
pub fn user_account_data(
    reserves: &[UserReserve],
    user_emode: Option<&EModeCategory>,
    current_timestamp: u64,
) -> Result<AccountData, UserSummaryError> {
    let user_emode = user_emode.filter(|e| e.id != 0);
    let mut total_collateral = U256::ZERO;
    let mut total_debt = U256::ZERO;
    let mut ltv_weighted = U256::ZERO;
    let mut threshold_weighted = U256::ZERO;

    for (index, reserve) in reserves.iter().enumerate() {
        let at = |source| UserSummaryError::Reserve { index, source };
        let overflow = |what| at(ReserveError::Overflow(what));
        // A zero balance is worth nothing at any index: skip the accrual.
        let collateral = reserve.counts_as_collateral() && !reserve.scaled_a_token_balance.is_zero();
        let borrowing = !reserve.scaled_variable_debt.is_zero();
        if !collateral && !borrowing {
            continue;
        }
        let emode = user_emode.filter(|e| e.id == reserve.emode_category);
        let price =
            emode.and_then(|e| e.price).filter(|p| !p.is_zero()).unwrap_or(reserve.price_in_market_reference_currency);
        let unit = reserve.asset_unit().map_err(at)?;

        if collateral {
            let balance = reserve.a_token_balance(current_timestamp).map_err(at)?;
            let value = balance.checked_mul(price).ok_or_else(|| overflow("collateral value"))? / unit;
            total_collateral =
                total_collateral.checked_add(value).ok_or(UserSummaryError::Overflow("total collateral"))?;
            if reserve.ltv != 0 {
                let ltv = emode.map_or(reserve.ltv, |e| e.ltv);
                ltv_weighted = value
                    .checked_mul(U256::from(ltv))
                    .and_then(|w| ltv_weighted.checked_add(w))
                    .ok_or(UserSummaryError::Overflow("weighted LTV"))?;
            }
            let threshold = emode.map_or(reserve.liquidation_threshold, |e| e.liquidation_threshold);
            threshold_weighted = value
                .checked_mul(U256::from(threshold))
                .and_then(|w| threshold_weighted.checked_add(w))
                .ok_or(UserSummaryError::Overflow("weighted liquidation threshold"))?;
        }
        if borrowing {
            let debt = reserve.variable_debt(current_timestamp).map_err(at)?;
            let value = debt.checked_mul(price).ok_or_else(|| overflow("debt value"))? / unit;
            total_debt = total_debt.checked_add(value).ok_or(UserSummaryError::Overflow("total debt"))?;
        }
    }

    let (ltv, threshold) = if total_collateral.is_zero() {
        (U256::ZERO, U256::ZERO)
    } else {
        (ltv_weighted / total_collateral, threshold_weighted / total_collateral)
    };
    let health_factor = if total_debt.is_zero() {
        U256::MAX
    } else {
        percent_mul(total_collateral, threshold)
            .and_then(|adjusted| wad_div(adjusted, total_debt))
            .ok_or(UserSummaryError::Overflow("health factor"))?
    };
    let borrowable = percent_mul(total_collateral, ltv).ok_or(UserSummaryError::Overflow("collateral × LTV"))?;
    Ok(AccountData {
        total_collateral_base: total_collateral,
        total_debt_base: total_debt,
        ltv,
        current_liquidation_threshold: threshold,
        health_factor,
        available_borrows_base: borrowable.saturating_sub(total_debt),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aave_v3::math::RAY;

    const NOW: u64 = 1_735_689_600;

    fn usd(dollars: u64) -> U256 {
        U256::from(dollars) * U256::from(100_000_000u64)
    }

    fn token(decimals: u8, price_usd: u64, ltv: u16, lt: u16) -> UserReserve {
        UserReserve {
            liquidity_index: RAY,
            variable_borrow_index: RAY,
            last_update_timestamp: NOW,
            decimals,
            price_in_market_reference_currency: usd(price_usd),
            ltv,
            liquidation_threshold: lt,
            usage_as_collateral_enabled_on_user: true,
            ..UserReserve::default()
        }
    }

    #[test]
    fn e_mode_replaces_ltv_threshold_and_price_only_for_its_assets() {
        // 10 stETH (category 1, own 70/75 %, own price 2000) and 100 000 USDC debt
        // (category 2). E-mode 1 at 90/93 % with a 1950 price source.
        let mut steth = token(18, 2000, 7000, 7500);
        steth.emode_category = 1;
        steth.scaled_a_token_balance = U256::from(10u64) * U256::from(10u64).pow(U256::from(18));
        let mut usdc = token(6, 1, 8000, 8500);
        usdc.emode_category = 2;
        usdc.scaled_variable_debt = U256::from(15_000_000_000u64);
        let emode = EModeCategory { id: 1, ltv: 9000, liquidation_threshold: 9300, price: Some(usd(1950)) };

        let a = user_account_data(&[steth, usdc], Some(&emode), NOW).expect("valid");
        assert_eq!(a.total_collateral_base, usd(19_500));
        assert_eq!(a.total_debt_base, usd(15_000));
        assert_eq!(a.ltv, U256::from(9000));
        // 19 500 × 0.93 / 15 000 = 1.209.
        assert_eq!(a.health_factor, U256::from(1_209_000_000_000_000_000u64));
        assert_eq!(a.available_borrows_base, usd(2_550));

        // Without e-mode the own figures and price apply: 20 000 × 0.75 / 15 000.
        let plain = user_account_data(&[steth, usdc], None, NOW).expect("valid");
        assert_eq!(plain.current_liquidation_threshold, U256::from(7500));
        assert_eq!(plain.health_factor, U256::from(1_000_000_000_000_000_000u64));
    }

    #[test]
    fn own_ltv_zero_stays_zero_in_e_mode_but_the_threshold_is_replaced() {
        let mut frozen = token(18, 1, 0, 7000);
        frozen.emode_category = 1;
        frozen.scaled_a_token_balance = U256::from(10u64).pow(U256::from(21)); // 1 000 tokens
        let emode = EModeCategory { id: 1, ltv: 9000, liquidation_threshold: 9300, price: None };
        let a = user_account_data(&[frozen], Some(&emode), NOW).expect("valid");
        assert_eq!(a.ltv, U256::ZERO);
        assert_eq!(a.current_liquidation_threshold, U256::from(9300));
        assert_eq!(a.available_borrows_base, U256::ZERO);
    }

    #[test]
    fn a_reserve_updated_in_the_future_is_refused_with_its_index() {
        let mut late = token(6, 1, 8000, 8500);
        late.scaled_a_token_balance = U256::from(1_000_000u64);
        late.last_update_timestamp = NOW + 1;
        let err = user_account_data(&[token(6, 1, 8000, 8500), late], None, NOW).expect_err("future update");
        assert_eq!(
            err,
            UserSummaryError::Reserve {
                index: 1,
                source: ReserveError::UpdatedAfterCurrentTimestamp {
                    last_update_timestamp: NOW + 1,
                    current_timestamp: NOW
                }
            }
        );
    }

    #[test]
    fn asset_unit_covers_every_uint256_power_and_no_more() {
        let mut r = token(0, 1, 0, 0);
        assert_eq!(r.asset_unit(), Ok(U256::from(1)));
        r.decimals = 19;
        assert_eq!(r.asset_unit(), Ok(U256::from(10_000_000_000_000_000_000u64)));
        r.decimals = 77;
        assert_eq!(r.asset_unit(), Ok(U256::from(10).pow(U256::from(77))));
        r.decimals = 78;
        assert_eq!(r.asset_unit(), Err(ReserveError::TooManyDecimals(78)));
    }
}
