//! The data-provider layouts of aave-v3-origin's `UiPoolDataProviderV3`
//! (`src/contracts/helpers/interfaces/IUiPoolDataProviderV3.sol`) from 3.2 on,
//! served next to 3.2, 3.3, 3.4 and 3.5 Pools (`POOL_REVISION` 6 to 9); the
//! address book's `UI_POOL_DATA_PROVIDER` is the one of its market's revision.
//!
//! Against 3.0.1: no stable-rate fields and no per-reserve e-mode (3.2:
//! categories come from `getEModes` with member bitmaps), and
//! `virtualUnderlyingBalance` (3.1). The three differ only at the end of
//! `AggregatedReserveData`:
//!
//! | layout | after `accruedToTreasury` | after `borrowableInIsolation` | words |
//! |---|---|---|---|
//! | 3.2 | `unbacked` | `virtualAccActive`, `virtualUnderlyingBalance` | 41 |
//! | 3.3 | `unbacked` | `virtualAccActive`, `virtualUnderlyingBalance`, `deficit` | 42 |
//! | 3.4+ | — | `virtualUnderlyingBalance`, `deficit` | 40 |
//!
//! (3.3: aave/aave-v3-origin @7384224; 3.4+: aave-dao/aave-v3-origin @0543e1c;
//! 3.2 is 3.3 without `deficit`, per BGD's `diffs/LINEA_MANTLE/UI_POOL_DATA_PROVIDER_DIFF.md`.)
//! The user side keeps only scaled balances and the collateral flag in all three.

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

/// Which origin layout a `getReservesData` answer is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginLayout {
    V3_2,
    V3_3,
    V3_4,
}

impl OriginLayout {
    /// The words of `AggregatedReserveData`'s head.
    pub fn head_words(self) -> usize {
        match self {
            OriginLayout::V3_2 => 41,
            OriginLayout::V3_3 => 42,
            OriginLayout::V3_4 => 40,
        }
    }
}

const GET_RESERVES_DATA: &str = "getReservesData(address)";

/// Decodes `getReservesData`'s return data in the 3.4+ layout.
pub fn decode_reserves_data(data: &[u8]) -> Result<MarketReserves, ReturnError> {
    decode_reserves_data_in(OriginLayout::V3_4, data)
}

/// Decodes `getReservesData`'s return data in `layout`, strictly: every word
/// in range for its Solidity type, every offset and length inside the data,
/// and the struct's size the layout's.
pub fn decode_reserves_data_in(layout: OriginLayout, data: &[u8]) -> Result<MarketReserves, ReturnError> {
    decode_reserves_array(data, GET_RESERVES_DATA, layout.head_words(), |abi, at| reserve(layout, abi, at))
}

/// One `AggregatedReserveData` starting at `at`.
fn reserve(layout: OriginLayout, abi: &AbiWords<'_>, at: usize) -> Result<Reserve, ReturnError> {
    let w = abi.words(at, layout.head_words())?;
    let u128 = |i| abi.uint(w, i, 128);
    // Words 31 on: 3.2 and 3.3 have `unbacked` at 31, so the rest sits one further.
    let (unbacked, shift) = match layout {
        OriginLayout::V3_4 => (U256::ZERO, 0),
        OriginLayout::V3_2 | OriginLayout::V3_3 => (u128(31)?, 1),
    };
    // Addresses and flags not kept are still checked, so a misread layout fails here.
    for i in [17, 18, 19, 23] {
        abi.address(w, i)?;
    }
    for i in [8, 29, 32 + shift] {
        abi.bool(w, i)?;
    }
    let (virtual_balance, deficit) = match layout {
        OriginLayout::V3_4 => (u128(38)?, Some(u128(39)?)),
        OriginLayout::V3_3 | OriginLayout::V3_2 => {
            // virtualAccActive: 3.1–3.3 let a reserve run without virtual
            // accounting (GHO); its virtual balance is then 0 and means nothing.
            let active = abi.bool(w, 39)?;
            let deficit = if layout == OriginLayout::V3_3 { Some(u128(41)?) } else { None };
            let balance = u128(40)?;
            if !active {
                // The aToken's balance is the liquidity, as in 3.0.
                return Ok(Reserve {
                    virtual_underlying_balance: None,
                    deficit,
                    ..common(abi, w, at, unbacked, shift)?
                });
            }
            (balance, deficit)
        }
    };
    Ok(Reserve { virtual_underlying_balance: Some(virtual_balance), deficit, ..common(abi, w, at, unbacked, shift)? })
}

/// The fields every origin layout has at the same place (before word 31) or
/// one word further (`shift`) after `unbacked`.
fn common(abi: &AbiWords<'_>, w: &[u8], at: usize, unbacked: U256, shift: usize) -> Result<Reserve, ReturnError> {
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
        // 29: isSiloedBorrowing, 30: accruedToTreasury, (31: unbacked)
        unbacked,
        isolation_mode_total_debt: u128(31 + shift)?,
        // flashLoanEnabled
        debt_ceiling: uint(33 + shift)?,
        debt_ceiling_decimals: uint(34 + shift)?,
        borrow_cap: uint(35 + shift)?,
        supply_cap: uint(36 + shift)?,
        emode: EModeCategory {
            id: 0,
            ltv: 0,
            liquidation_threshold: 0,
            liquidation_bonus: 0,
            price_source: Address::ZERO,
            label: String::new(),
            bitmaps: None,
        },
        borrowable_in_isolation: abi.bool(w, 37 + shift)?,
        virtual_underlying_balance: None,
        deficit: None,
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
