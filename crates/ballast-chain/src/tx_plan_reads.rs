//! The reads a [`crate::tx_plan::AssetState`] is made of, packed for
//! Multicall3 (one `eth_call` per asset set), and the rule deciding whether a
//! token's permits can be used.
//!
//! Per asset, seven tolerant calls: the user's balance, the Pool's allowance,
//! the user's variable debt (the reserve's variable debt token `balanceOf`),
//! and the permit domain: `name()`, `version()`, `nonces(user)`,
//! `DOMAIN_SEPARATOR()`. A token supports permits here only when the nonce
//! and separator read, and the separator is the one its name, version ("1"
//! when it has no `version()`) and the chain hash to: a token whose domain
//! Ballast cannot reproduce gets an approval instead of a signature that
//! would be refused.
//!
//! Re-read between steps: after each transaction the app reads again and
//! plans the remaining actions on the fresh state.

use alloy_primitives::{address, Address, U256};

use crate::aave_actions::TokenInfo;
use crate::erc20::{self, IERC20};
use crate::multicall::{Call, CallOutcome};
use crate::permit::PermitDomain;
use crate::tx_plan::{AssetState, PermitSupport};

/// Calls per asset, in the order of [`asset_state_calls`].
pub const CALLS_PER_ASSET: usize = 7;

/// Tokens whose `approve` reverts when changing one non-zero allowance to
/// another (USDT on Ethereum: `require(!(_value != 0 && allowed != 0))`).
const APPROVE_FROM_ZERO: &[(u64, Address)] = &[(1, address!("dAC17F958D2ee523a2206206994597C13D831ec7"))];

/// Whether `token` on `chain_id` needs its allowance set to 0 before a new one.
pub fn needs_approve_from_zero(chain_id: u64, token: Address) -> bool {
    APPROVE_FROM_ZERO.contains(&(chain_id, token))
}

/// The seven reads of one asset for `user` on `pool`.
pub fn asset_state_calls(
    token: Address,
    variable_debt_token: Address,
    user: Address,
    pool: Address,
) -> [Call; CALLS_PER_ASSET] {
    [
        Call::tolerant(token, erc20::balance_of_calldata(user)),
        Call::tolerant(token, erc20::allowance_calldata(user, pool)),
        Call::tolerant(variable_debt_token, erc20::balance_of_calldata(user)),
        Call::tolerant(token, erc20::name_calldata()),
        Call::tolerant(token, erc20::version_calldata()),
        Call::tolerant(token, erc20::nonces_calldata(user)),
        Call::tolerant(token, erc20::domain_separator_calldata()),
    ]
}

/// Why an asset's state could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssetReadError {
    #[error("{symbol}: expected {CALLS_PER_ASSET} results, got {got}")]
    Count { symbol: String, got: usize },
    #[error("{symbol}: {read} failed: {reason}")]
    Read { symbol: String, read: &'static str, reason: String },
}

/// The state of `token` from the outcomes of [`asset_state_calls`] (in their
/// order). Balance, allowance and debt must read; the permit reads may fail
/// (the token then has no usable permit).
pub fn decode_asset_state(
    token: TokenInfo,
    chain_id: u64,
    outcomes: &[CallOutcome],
) -> Result<AssetState, AssetReadError> {
    let [balance, allowance, debt, name, version, nonce, separator] = outcomes else {
        return Err(AssetReadError::Count { symbol: token.symbol.clone(), got: outcomes.len() });
    };
    let required = |read: &'static str, outcome: &CallOutcome| -> Result<U256, AssetReadError> {
        outcome.decode::<IERC20::balanceOfCall>().map_err(|e| AssetReadError::Read {
            symbol: token.symbol.clone(),
            read,
            reason: e.to_string(),
        })
    };
    let success = |outcome: &CallOutcome| match outcome {
        CallOutcome::Success(data) => Some(data.to_vec()),
        CallOutcome::Reverted(_) => None,
    };
    let permit = permit_support(
        token.address,
        chain_id,
        success(name).as_deref(),
        success(version).as_deref(),
        success(nonce).as_deref(),
        success(separator).as_deref(),
    );
    Ok(AssetState {
        balance: required("balanceOf", balance)?,
        allowance: required("allowance", allowance)?,
        variable_debt: required("the variable debt token's balanceOf", debt)?,
        permit,
        approve_from_zero: needs_approve_from_zero(chain_id, token.address),
        token,
    })
}

/// Whether `token`'s permits can be used, from its reads (`None`: the call
/// reverted): its domain and the user's nonce when the domain Ballast builds
/// is the token's own `DOMAIN_SEPARATOR()`.
pub fn permit_support(
    token: Address,
    chain_id: u64,
    name: Option<&[u8]>,
    version: Option<&[u8]>,
    nonce: Option<&[u8]>,
    separator: Option<&[u8]>,
) -> Option<PermitSupport> {
    let name = erc20::decode_name(name?).ok()?;
    let version = erc20::decode_version(version.ok_or(())).ok()?;
    let nonce = erc20::decode_uint(nonce?).ok()?;
    let on_chain = erc20::decode_domain_separator(separator?).ok()?;
    let domain = PermitDomain { name, version, chain_id, verifying_contract: token };
    domain.matches(on_chain).then_some(PermitSupport { domain, nonce })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx_fixtures::{fixture_hex, fixtures};
    use alloy_primitives::{Bytes, B256};
    use alloy_sol_types::SolValue;

    const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    const DEBT_TOKEN: Address = address!("72E95b8931767C79bA4EeE721354d6E99a61D004");

    fn word(value: u64) -> CallOutcome {
        CallOutcome::Success(U256::from(value).abi_encode().into())
    }

    fn usdc_outcomes(separator: B256) -> Vec<CallOutcome> {
        vec![
            word(5_000_000_000),
            word(0),
            word(1_000_000_000),
            CallOutcome::Success(fixture_hex("returns", "name_usd_coin").into()),
            CallOutcome::Success(fixture_hex("returns", "version_2").into()),
            word(7),
            CallOutcome::Success(separator.abi_encode().into()),
        ]
    }

    fn usdc() -> TokenInfo {
        TokenInfo { address: USDC, symbol: "USDC".into(), decimals: 6 }
    }

    fn fixture_separator() -> B256 {
        fixtures()["permit"]["domain_separator"].as_str().unwrap().parse().unwrap()
    }

    #[test]
    fn seven_reads_per_asset_in_order() {
        let calls = asset_state_calls(USDC, DEBT_TOKEN, USER, POOL);
        assert_eq!(calls[0].call_data, Bytes::from(fixture_hex("calldata", "balance_of_user")));
        assert_eq!(calls[1].call_data, Bytes::from(fixture_hex("calldata", "allowance_user_pool")));
        assert_eq!((calls[2].target, calls[2].call_data.clone()), (DEBT_TOKEN, calls[0].call_data.clone()));
        assert_eq!(calls[6].call_data, Bytes::from(fixture_hex("calldata", "domain_separator")));
        assert!(calls.iter().all(|c| c.allow_failure));
    }

    #[test]
    fn a_token_whose_domain_matches_gets_permits() {
        let state = decode_asset_state(usdc(), 1, &usdc_outcomes(fixture_separator())).unwrap();
        assert_eq!(state.balance, U256::from(5_000_000_000u64));
        assert_eq!(state.variable_debt, U256::from(1_000_000_000u64));
        let permit = state.permit.unwrap();
        assert_eq!((permit.domain.name.as_str(), permit.domain.version.as_str()), ("USD Coin", "2"));
        assert_eq!(permit.nonce, U256::from(7u8));
        assert!(!state.approve_from_zero);
        // The same reads on another chain: the separator no longer matches.
        assert_eq!(decode_asset_state(usdc(), 8453, &usdc_outcomes(fixture_separator())).unwrap().permit, None);
    }

    #[test]
    fn permit_reads_may_fail_the_others_may_not() {
        let mut no_nonces = usdc_outcomes(fixture_separator());
        no_nonces[5] = CallOutcome::Reverted(Bytes::new());
        assert_eq!(decode_asset_state(usdc(), 1, &no_nonces).unwrap().permit, None);
        // No version(): "1" is tried, which is not USDC's domain.
        let mut no_version = usdc_outcomes(fixture_separator());
        no_version[4] = CallOutcome::Reverted(Bytes::new());
        assert_eq!(decode_asset_state(usdc(), 1, &no_version).unwrap().permit, None);
        let domain_v1 =
            PermitDomain { name: "USD Coin".into(), version: "1".into(), chain_id: 1, verifying_contract: USDC };
        let mut version_1 = usdc_outcomes(domain_v1.separator());
        version_1[4] = CallOutcome::Reverted(Bytes::new());
        assert_eq!(decode_asset_state(usdc(), 1, &version_1).unwrap().permit.map(|p| p.domain), Some(domain_v1));

        let mut no_balance = usdc_outcomes(fixture_separator());
        no_balance[0] = CallOutcome::Reverted(Bytes::new());
        assert!(matches!(
            decode_asset_state(usdc(), 1, &no_balance),
            Err(AssetReadError::Read { read: "balanceOf", .. })
        ));
        assert_eq!(
            decode_asset_state(usdc(), 1, &no_balance[..3]),
            Err(AssetReadError::Count { symbol: "USDC".into(), got: 3 })
        );
    }

    #[test]
    fn usdt_on_ethereum_is_approved_from_zero() {
        let usdt = address!("dAC17F958D2ee523a2206206994597C13D831ec7");
        assert!(needs_approve_from_zero(1, usdt));
        assert!(!needs_approve_from_zero(42161, usdt));
        assert!(!needs_approve_from_zero(1, USDC));
    }
}
