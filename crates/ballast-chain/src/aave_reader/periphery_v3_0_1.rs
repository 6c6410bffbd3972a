//! The data-provider layout of npm `@aave/periphery-v3@3.0.1`
//! (`contracts/misc/interfaces/IUiPoolDataProviderV3.sol`), the one deployed
//! next to Aave V3.0.x Pools and by the e2e harness. Later periphery releases
//! (aave-v3-origin's `UiPoolDataProviderV3` for 3.1+) return different structs
//! (virtual accounting, e-mode bitmaps) and need a module of their own.

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::sol;

use super::abi_words::{decode_reserves_array, AbiWords};
use super::{EModeCategory, MarketReserves, Reserve, UserReserve, UserReserves};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// `IUiPoolDataProviderV3` of `@aave/periphery-v3@3.0.1`: the user side
    /// field for field. `getReservesData` returns a 53-field struct, more than
    /// `sol!` tuples go (24), so only its calldata is declared here and its
    /// return data is read by [`decode_reserves_data`] word by word.
    interface IUiPoolDataProviderV3 {
        struct UserReserveData {
            address underlyingAsset;
            uint256 scaledATokenBalance;
            bool usageAsCollateralEnabledOnUser;
            uint256 stableBorrowRate;
            uint256 scaledVariableDebt;
            uint256 principalStableDebt;
            uint256 stableBorrowLastUpdateTimestamp;
        }

        function getReservesData(address provider) external view;

        function getUserReservesData(address provider, address user)
            external view returns (UserReserveData[] memory, uint8);
    }
}

use IUiPoolDataProviderV3::{getReservesDataCall, getUserReservesDataCall};

/// Calldata for `getReservesData(provider)`, `provider` being the market's
/// PoolAddressesProvider; sent to the UiPoolDataProviderV3.
pub fn get_reserves_data_calldata(provider: Address) -> Bytes {
    calldata(&getReservesDataCall { provider })
}

/// Calldata for `getUserReservesData(provider, user)`.
pub fn get_user_reserves_data_calldata(provider: Address, user: Address) -> Bytes {
    calldata(&getUserReservesDataCall { provider, user })
}

/// Decodes `getUserReservesData`'s return data.
pub fn decode_user_reserves_data(data: &[u8]) -> Result<UserReserves, ReturnError> {
    let r = decode_return::<getUserReservesDataCall>(data)?;
    Ok(UserReserves { reserves: r._0.into_iter().map(UserReserve::from).collect(), emode_category: r._1 })
}

impl From<IUiPoolDataProviderV3::UserReserveData> for UserReserve {
    fn from(r: IUiPoolDataProviderV3::UserReserveData) -> Self {
        Self {
            underlying: r.underlyingAsset,
            scaled_a_token_balance: r.scaledATokenBalance,
            usage_as_collateral_enabled: r.usageAsCollateralEnabledOnUser,
            stable_borrow_rate: r.stableBorrowRate,
            scaled_variable_debt: r.scaledVariableDebt,
            principal_stable_debt: r.principalStableDebt,
            stable_borrow_last_update_timestamp: r.stableBorrowLastUpdateTimestamp,
        }
    }
}

/// The words of `AggregatedReserveData`'s head, in the struct's order.
const RESERVE_HEAD_WORDS: usize = 53;
const GET_RESERVES_DATA: &str = "getReservesData(address)";

/// Decodes `getReservesData`'s return data, strictly: every word in range for
/// its Solidity type, every offset and length inside the data.
pub fn decode_reserves_data(data: &[u8]) -> Result<MarketReserves, ReturnError> {
    decode_reserves_array(data, GET_RESERVES_DATA, RESERVE_HEAD_WORDS, reserve)
}

/// One `AggregatedReserveData` starting at `at`.
fn reserve(abi: &AbiWords<'_>, at: usize) -> Result<Reserve, ReturnError> {
    let w = abi.words(at, RESERVE_HEAD_WORDS)?;
    let uint = |i| abi.uint(w, i, 256);
    let u128 = |i| abi.uint(w, i, 128);
    Ok(Reserve {
        underlying: abi.address(w, 0)?,
        // 1: name
        symbol: abi.string(w, 2, at)?,
        decimals: uint(3)?,
        ltv: uint(4)?,
        liquidation_threshold: uint(5)?,
        liquidation_bonus: uint(6)?,
        reserve_factor: uint(7)?,
        // 8: usageAsCollateralEnabled (the threshold says it), 10: stableBorrowRateEnabled
        borrowing_enabled: abi.bool(w, 9)?,
        active: abi.bool(w, 11)?,
        frozen: abi.bool(w, 12)?,
        liquidity_index: u128(13)?,
        variable_borrow_index: u128(14)?,
        liquidity_rate: u128(15)?,
        variable_borrow_rate: u128(16)?,
        // 17: stableBorrowRate
        last_update_timestamp: abi.small(w, 18, 40)?,
        // 19-22: aToken, stable and variable debt tokens, rate strategy
        available_liquidity: uint(23)?,
        total_principal_stable_debt: uint(24)?,
        average_stable_rate: uint(25)?,
        stable_debt_last_update_timestamp: uint(26)?,
        total_scaled_variable_debt: uint(27)?,
        price: uint(28)?,
        // 29: priceOracle
        variable_rate_slope1: uint(30)?,
        variable_rate_slope2: uint(31)?,
        // 32-34: stable slopes, base stable rate
        base_variable_borrow_rate: uint(35)?,
        optimal_usage_ratio: uint(36)?,
        paused: abi.bool(w, 37)?,
        // 38: isSiloedBorrowing, 39: accruedToTreasury
        unbacked: u128(40)?,
        isolation_mode_total_debt: u128(41)?,
        debt_ceiling: uint(42)?,
        debt_ceiling_decimals: uint(43)?,
        borrow_cap: uint(45)?,
        supply_cap: uint(46)?,
        emode: EModeCategory {
            id: abi.small(w, 44, 8)?,
            ltv: abi.small(w, 47, 16)?,
            liquidation_threshold: abi.small(w, 48, 16)?,
            liquidation_bonus: abi.small(w, 49, 16)?,
            price_source: abi.address(w, 50)?,
            label: abi.string(w, 51, at)?,
            bitmaps: None,
        },
        borrowable_in_isolation: abi.bool(w, 52)?,
        virtual_underlying_balance: None,
        deficit: None,
    })
}
