//! The ERC-20 and EIP-2612 calls a supply or repay needs: reading the
//! balance, the allowance the Pool has, and a permit's domain (name, version,
//! nonce, `DOMAIN_SEPARATOR`), and the `approve` transaction.
//!
//! Tokens differ: MKR-style tokens return `name()` as bytes32, most tokens
//! have no `version()` (EIP-2612 leaves it out; OpenZeppelin's ERC20Permit
//! signs with "1"), so the readers here accept both forms and
//! [`decode_version`] falls back to "1" when the call reverts or returns
//! nothing. The domain separator the token reports is the check that the
//! guess was right (see [`crate::permit`]).

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall};

use crate::aave_actions::TxRequest;
use crate::{decode_return, ReturnError};

sol! {
    /// ERC-20 (EIP-20) with EIP-2612's views.
    interface IERC20 {
        function approve(address spender, uint256 amount) external returns (bool);
        function allowance(address owner, address spender) external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function nonces(address owner) external view returns (uint256);
        function name() external view returns (string);
        function version() external view returns (string);
        function DOMAIN_SEPARATOR() external view returns (bytes32);
    }
}

/// The version OpenZeppelin's ERC20Permit (and most permit tokens without a
/// `version()`) put in their EIP-712 domain.
pub const DEFAULT_PERMIT_VERSION: &str = "1";

/// `approve(spender, amount)` on `token`. `U256::MAX` is an unlimited
/// approval: only ever built when the user opted in.
pub fn approve_tx(token: Address, spender: Address, amount: U256) -> TxRequest {
    TxRequest::call(token, &IERC20::approveCall { spender, amount })
}

/// Whether `allowance` is short of `amount` (the Pool pulls exactly `amount`
/// with `transferFrom`, which fails when the allowance is lower).
pub fn approval_needed(allowance: U256, amount: U256) -> bool {
    allowance < amount
}

pub fn allowance_calldata(owner: Address, spender: Address) -> Bytes {
    IERC20::allowanceCall { owner, spender }.abi_encode().into()
}

pub fn balance_of_calldata(account: Address) -> Bytes {
    IERC20::balanceOfCall { account }.abi_encode().into()
}

pub fn nonces_calldata(owner: Address) -> Bytes {
    IERC20::noncesCall { owner }.abi_encode().into()
}

pub fn name_calldata() -> Bytes {
    IERC20::nameCall {}.abi_encode().into()
}

pub fn version_calldata() -> Bytes {
    IERC20::versionCall {}.abi_encode().into()
}

pub fn domain_separator_calldata() -> Bytes {
    IERC20::DOMAIN_SEPARATORCall {}.abi_encode().into()
}

/// `allowance`, `balanceOf` or `nonces`'s return: one uint256.
pub fn decode_uint(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<IERC20::balanceOfCall>(data)
}

pub fn decode_domain_separator(data: &[u8]) -> Result<B256, ReturnError> {
    decode_return::<IERC20::DOMAIN_SEPARATORCall>(data)
}

/// `name()`'s return: an ABI string, or a bytes32 padded with zeros (MKR, SAI).
pub fn decode_name(data: &[u8]) -> Result<String, ReturnError> {
    if data.len() == 32 {
        let text = data.split(|b| *b == 0).next().unwrap_or_default();
        return String::from_utf8(text.to_vec()).map_err(|_| ReturnError::Abi {
            call: IERC20::nameCall::SIGNATURE,
            reason: "a bytes32 name that is not UTF-8".into(),
        });
    }
    decode_return::<IERC20::nameCall>(data)
}

/// `version()`'s outcome: the string it returned, or "1" when the call
/// reverted or returned nothing (a token without `version()`). `call` is the
/// `eth_call` result, `Err` for a revert. Data that is there but does not
/// decode is an error, not a silent "1".
pub fn decode_version<E>(call: Result<&[u8], E>) -> Result<String, ReturnError> {
    match call {
        Err(_) => Ok(DEFAULT_PERMIT_VERSION.to_owned()),
        Ok([]) => Ok(DEFAULT_PERMIT_VERSION.to_owned()),
        Ok(data) => decode_return::<IERC20::versionCall>(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx_fixtures::fixture_hex;
    use alloy_primitives::{address, hex, keccak256};

    const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

    #[test]
    fn calldata_matches_ethers_encodings() {
        let approve = approve_tx(USDC, POOL, U256::from(3_000_000_000u64));
        assert_eq!((approve.to, approve.value), (USDC, U256::ZERO));
        let cases = [
            ("approve_pool_3000_usdc", approve.data),
            ("allowance_user_pool", allowance_calldata(USER, POOL)),
            ("balance_of_user", balance_of_calldata(USER)),
            ("nonces_user", nonces_calldata(USER)),
            ("name", name_calldata()),
            ("version", version_calldata()),
            ("domain_separator", domain_separator_calldata()),
        ];
        for (name, data) in cases {
            assert_eq!(hex::encode(&data), hex::encode(fixture_hex("calldata", name)), "{name}");
        }
        assert_eq!(keccak256("DOMAIN_SEPARATOR()")[..4], hex!("3644e515"));
        assert_eq!(keccak256("nonces(address)")[..4], IERC20::noncesCall::SELECTOR);
    }

    #[test]
    fn approval_is_needed_only_when_the_allowance_is_short() {
        let amount = U256::from(3_000_000_000u64);
        assert!(approval_needed(U256::ZERO, amount));
        assert!(approval_needed(amount - U256::from(1u8), amount));
        assert!(!approval_needed(amount, amount));
        assert!(!approval_needed(U256::MAX, amount));
    }

    #[test]
    fn names_and_versions_in_each_form() {
        assert_eq!(decode_name(&fixture_hex("returns", "name_usd_coin")).unwrap(), "USD Coin");
        let mut maker = [0u8; 32];
        maker[..5].copy_from_slice(b"Maker");
        assert_eq!(decode_name(&maker).unwrap(), "Maker");
        assert!(decode_name(&[]).is_err());

        let version_2 = fixture_hex("returns", "version_2");
        assert_eq!(decode_version::<()>(Ok(&version_2)).unwrap(), "2");
        assert_eq!(decode_version(Err("execution reverted")).unwrap(), "1");
        assert_eq!(decode_version::<()>(Ok(&[])).unwrap(), "1");
        assert!(decode_version::<()>(Ok(&[1, 2, 3])).is_err());
    }

    #[test]
    fn uints_and_separators_decode_strictly() {
        let word = U256::from(7u8).to_be_bytes::<32>();
        assert_eq!(decode_uint(&word), Ok(U256::from(7u8)));
        assert!(decode_uint(&word[..31]).is_err());
        assert_eq!(decode_uint(&[]), Err(ReturnError::Empty { call: "balanceOf(address)" }));
        assert_eq!(decode_domain_separator(&[0xab; 32]), Ok(B256::repeat_byte(0xab)));
    }
}
