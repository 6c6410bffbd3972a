//! Aave V3 `Pool.getUserAccountData`: calldata and the decoded result.

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::{sol, SolCall};
use ballast_core::aave_v3::AccountData;

sol! {
    /// The part of Aave V3's IPool that reads a user's account.
    interface IPool {
        function getUserAccountData(address user) external view returns (
            uint256 totalCollateralBase,
            uint256 totalDebtBase,
            uint256 availableBorrowsBase,
            uint256 currentLiquidationThreshold,
            uint256 ltv,
            uint256 healthFactor
        );
    }
}

/// Return data that is not what the ABI promises.
#[derive(Debug, thiserror::Error)]
#[error("getUserAccountData returned data that does not decode: {0}")]
pub struct DecodeError(#[from] alloy_sol_types::Error);

/// Calldata for `getUserAccountData(user)`.
pub fn get_user_account_data_calldata(user: Address) -> Bytes {
    IPool::getUserAccountDataCall { user }.abi_encode().into()
}

/// Decodes `getUserAccountData`'s return data into the engine's type.
pub fn decode_user_account_data(data: &[u8]) -> Result<AccountData, DecodeError> {
    let r = IPool::getUserAccountDataCall::abi_decode_returns_validate(data)?;
    Ok(AccountData {
        total_collateral_base: r.totalCollateralBase,
        total_debt_base: r.totalDebtBase,
        ltv: r.ltv,
        current_liquidation_threshold: r.currentLiquidationThreshold,
        health_factor: r.healthFactor,
        available_borrows_base: r.availableBorrowsBase,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, hex, U256};

    #[test]
    fn calldata_uses_the_pools_selector() {
        let data = get_user_account_data_calldata(address!("00000000000000000000000000000000000000aa"));
        // keccak256("getUserAccountData(address)")[..4]
        assert_eq!(hex::encode(&data[..4]), "bf92857c");
        assert_eq!(data.len(), 36);
    }

    #[test]
    fn decodes_return_data_in_the_abis_order() {
        let words: [u64; 6] = [2_000_000_000_000, 500_050_000_000, 1_099_950_000_000, 8250, 8000, 7];
        let data: Vec<u8> = words.iter().flat_map(|w| U256::from(*w).to_be_bytes::<32>()).collect();
        let account = decode_user_account_data(&data).unwrap();
        assert_eq!(account.available_borrows_base, U256::from(1_099_950_000_000u64));
        assert_eq!(account.current_liquidation_threshold, U256::from(8250));
        assert_eq!(account.ltv, U256::from(8000));
        assert_eq!(account.health_factor, U256::from(7));
    }

    #[test]
    fn short_return_data_is_an_error_not_a_panic() {
        assert!(decode_user_account_data(&[0u8; 100]).is_err());
    }
}
