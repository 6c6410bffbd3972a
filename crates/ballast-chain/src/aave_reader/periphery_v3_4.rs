//! The data-provider layout of aave-v3-origin's `UiPoolDataProviderV3` from
//! v3.4 on (`src/contracts/helpers/interfaces/IUiPoolDataProviderV3.sol`), the
//! one the address book's `UI_POOL_DATA_PROVIDER` serves next to 3.4 and 3.5
//! Pools (`POOL_REVISION` 8 and 9).
//!
//! Against 3.0.1: no stable-rate fields (3.2), no per-reserve e-mode (3.2:
//! categories come from `getEModes` with member bitmaps), no `unbacked` and no
//! `virtualAccActive` flag (3.4: virtual accounting is always on), and two new
//! words, `virtualUnderlyingBalance` (3.1) and `deficit` (3.3). The user side
//! keeps only scaled balances and the collateral flag.
//!
//! The 3.1–3.3 providers sit between the two (stable fields gone or not,
//! `unbacked` and `virtualAccActive` present) and are not decoded here.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::sol;

use super::abi_words::{decode_reserves_array, AbiWords};
use super::{EModeBitmaps, EModeCategory, MarketReserves, Reserve, UserReserve, UserReserves};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// `IUiPoolDataProviderV3` of aave-v3-origin 3.4+: the user side and the
    /// e-modes field for field. `AggregatedReserveData` has 40 fields, more
    /// than `sol!` tuples go, so its return data is read by
    /// [`decode_reserves_data`] word by word.
    interface IUiPoolDataProviderV3 {
        struct UserReserveData {
            address underlyingAsset;
            uint256 scaledATokenBalance;
            bool usageAsCollateralEnabledOnUser;
            uint256 scaledVariableDebt;
        }

        /// `DataTypes.EModeCategory` of 3.2+.
        struct EModeCategory {
            uint16 ltv;
            uint16 liquidationThreshold;
            uint16 liquidationBonus;
            uint128 collateralBitmap;
            string label;
            uint128 borrowableBitmap;
        }

        struct Emode {
            uint8 id;
            EModeCategory eMode;
        }

        function getReservesData(address provider) external view;

        function getUserReservesData(address provider, address user)
            external view returns (UserReserveData[] memory, uint8);

        function getEModes(address provider) external view returns (Emode[] memory);
    }
}

use IUiPoolDataProviderV3::{getEModesCall, getReservesDataCall, getUserReservesDataCall};

/// Calldata for `getReservesData(provider)` (the same selector as 3.0.1's).
pub fn get_reserves_data_calldata(provider: Address) -> Bytes {
    calldata(&getReservesDataCall { provider })
}

/// Calldata for `getUserReservesData(provider, user)`.
pub fn get_user_reserves_data_calldata(provider: Address, user: Address) -> Bytes {
    calldata(&getUserReservesDataCall { provider, user })
}

/// Calldata for `getEModes(provider)`: every configured category in one call.
pub fn get_emodes_calldata(provider: Address) -> Bytes {
    calldata(&getEModesCall { provider })
}

/// Decodes `getUserReservesData`'s return data. Stable debt no longer exists:
/// its fields are zero.
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
            stable_borrow_rate: U256::ZERO,
            scaled_variable_debt: r.scaledVariableDebt,
            principal_stable_debt: U256::ZERO,
            stable_borrow_last_update_timestamp: U256::ZERO,
        }
    }
}

/// Decodes `getEModes`'s return data: the categories with their bitmaps.
pub fn decode_emodes(data: &[u8]) -> Result<Vec<EModeCategory>, ReturnError> {
    let modes = decode_return::<getEModesCall>(data)?;
    Ok(modes
        .into_iter()
        .map(|m| EModeCategory {
            id: m.id,
            ltv: m.eMode.ltv,
            liquidation_threshold: m.eMode.liquidationThreshold,
            liquidation_bonus: m.eMode.liquidationBonus,
            price_source: Address::ZERO,
            label: m.eMode.label,
            bitmaps: Some(EModeBitmaps { collateral: m.eMode.collateralBitmap, borrowable: m.eMode.borrowableBitmap }),
        })
        .collect())
}

/// The words of `AggregatedReserveData`'s head, in the struct's order.
const RESERVE_HEAD_WORDS: usize = 40;
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
    // Addresses not kept are still checked, so a misaligned layout fails here.
    for i in [17, 18, 19, 23] {
        abi.address(w, i)?;
    }
    for i in [8, 29, 32] {
        abi.bool(w, i)?;
    }
    Ok(Reserve {
        underlying: abi.address(w, 0)?,
        // 1: name
        symbol: abi.string(w, 2, at)?,
        decimals: uint(3)?,
        ltv: uint(4)?,
        liquidation_threshold: uint(5)?,
        liquidation_bonus: uint(6)?,
        reserve_factor: uint(7)?,
        // 8: usageAsCollateralEnabled (the threshold says it)
        borrowing_enabled: abi.bool(w, 9)?,
        active: abi.bool(w, 10)?,
        frozen: abi.bool(w, 11)?,
        liquidity_index: u128(12)?,
        variable_borrow_index: u128(13)?,
        liquidity_rate: u128(14)?,
        variable_borrow_rate: u128(15)?,
        last_update_timestamp: abi.small(w, 16, 40)?,
        // 17-19: aToken, variable debt token, rate strategy
        available_liquidity: uint(20)?,
        total_principal_stable_debt: U256::ZERO,
        average_stable_rate: U256::ZERO,
        stable_debt_last_update_timestamp: U256::ZERO,
        total_scaled_variable_debt: uint(21)?,
        price: uint(22)?,
        // 23: priceOracle
        variable_rate_slope1: uint(24)?,
        variable_rate_slope2: uint(25)?,
        base_variable_borrow_rate: uint(26)?,
        optimal_usage_ratio: uint(27)?,
        paused: abi.bool(w, 28)?,
        // 29: isSiloedBorrowing, 30: accruedToTreasury
        unbacked: U256::ZERO,
        isolation_mode_total_debt: u128(31)?,
        // 32: flashLoanEnabled
        debt_ceiling: uint(33)?,
        debt_ceiling_decimals: uint(34)?,
        borrow_cap: uint(35)?,
        supply_cap: uint(36)?,
        emode: EModeCategory {
            id: 0,
            ltv: 0,
            liquidation_threshold: 0,
            liquidation_bonus: 0,
            price_source: Address::ZERO,
            label: String::new(),
            bitmaps: None,
        },
        borrowable_in_isolation: abi.bool(w, 37)?,
        virtual_underlying_balance: Some(u128(38)?),
        deficit: Some(u128(39)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_use_the_providers_selectors() {
        // keccak256 of each signature, first 4 bytes; getReservesData and
        // getUserReservesData keep 3.0.1's.
        assert_eq!(alloy_primitives::hex::encode(&get_reserves_data_calldata(Address::ZERO)[..4]), "ec489c21");
        assert_eq!(
            alloy_primitives::hex::encode(&get_user_reserves_data_calldata(Address::ZERO, Address::ZERO)[..4]),
            "51974cc0"
        );
        assert_eq!(
            get_reserves_data_calldata(Address::ZERO),
            super::super::periphery_v3_0_1::get_reserves_data_calldata(Address::ZERO)
        );
        assert_eq!(alloy_primitives::hex::encode(&get_emodes_calldata(Address::ZERO)[..4]), "6f90b9d1");
        assert_eq!(alloy_primitives::hex::encode(&super::super::get_reserves_count_calldata()[..4]), "72218d04");
    }
}
