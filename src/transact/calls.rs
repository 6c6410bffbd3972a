//! The Aave V3 Pool and ERC-20 calls the panel sends, encoded with
//! alloy-sol-types, and decoded back from the calldata for display.
//!
//! Interim: ballast-chain's `aave_actions` (being written on its own branch)
//! will own this encoding; this file goes when it lands.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::{sol, SolCall};

sol! {
    interface IAavePoolActions {
        function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode);
        function withdraw(address asset, uint256 amount, address to) returns (uint256);
        function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf);
        function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf) returns (uint256);
    }
    interface IErc20Approval {
        function approve(address spender, uint256 amount) returns (bool);
        function allowance(address owner, address spender) view returns (uint256);
    }
}

/// Aave's variable interest rate mode.
pub const VARIABLE_RATE: u64 = 2;

/// One of the Pool actions the panel offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolCall {
    Supply,
    Withdraw,
    Borrow,
    Repay,
}

impl PoolCall {
    pub const ALL: [PoolCall; 4] = [PoolCall::Supply, PoolCall::Withdraw, PoolCall::Borrow, PoolCall::Repay];

    pub fn slug(self) -> &'static str {
        match self {
            PoolCall::Supply => "supply",
            PoolCall::Withdraw => "withdraw",
            PoolCall::Borrow => "borrow",
            PoolCall::Repay => "repay",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The user's tokens go to the Pool, so it needs an allowance first.
    pub fn pulls_tokens(self) -> bool {
        matches!(self, PoolCall::Supply | PoolCall::Repay)
    }

    /// `type(uint256).max` means "all of it" to the Pool.
    pub fn takes_max(self) -> bool {
        matches!(self, PoolCall::Withdraw | PoolCall::Repay)
    }

    /// The Pool's calldata for `amount` (in the token's units, or `U256::MAX`) of `asset` for `user`.
    pub fn calldata(self, asset: Address, amount: U256, user: Address) -> Bytes {
        let rate = U256::from(VARIABLE_RATE);
        match self {
            PoolCall::Supply => IAavePoolActions::supplyCall { asset, amount, onBehalfOf: user, referralCode: 0 }.abi_encode(),
            PoolCall::Withdraw => IAavePoolActions::withdrawCall { asset, amount, to: user }.abi_encode(),
            PoolCall::Borrow => IAavePoolActions::borrowCall {
                asset,
                amount,
                interestRateMode: rate,
                referralCode: 0,
                onBehalfOf: user,
            }
            .abi_encode(),
            PoolCall::Repay => {
                IAavePoolActions::repayCall { asset, amount, interestRateMode: rate, onBehalfOf: user }.abi_encode()
            }
        }
        .into()
    }
}

/// `approve(spender, amount)`.
pub fn approve_calldata(spender: Address, amount: U256) -> Bytes {
    IErc20Approval::approveCall { spender, amount }.abi_encode().into()
}

/// `allowance(owner, spender)`.
pub fn allowance_calldata(owner: Address, spender: Address) -> Bytes {
    IErc20Approval::allowanceCall { owner, spender }.abi_encode().into()
}

/// Decodes `allowance`'s answer.
pub fn decode_allowance(data: &[u8]) -> Option<U256> {
    IErc20Approval::allowanceCall::abi_decode_returns(data).ok()
}

/// A call decoded from its calldata: the function and its arguments, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedCall {
    pub function: &'static str,
    pub asset_or_spender: Address,
    pub amount: U256,
    /// The account the Pool acts for (`onBehalfOf` / `to`); none for `approve`.
    pub on_behalf_of: Option<Address>,
}

/// What calldata does, read back from its bytes (never from what the panel meant).
pub fn decode_calldata(data: &[u8]) -> Option<DecodedCall> {
    let selector: [u8; 4] = data.get(..4)?.try_into().ok()?;
    let call = |function, asset_or_spender, amount, on_behalf_of| {
        Some(DecodedCall { function, asset_or_spender, amount, on_behalf_of })
    };
    match selector {
        IAavePoolActions::supplyCall::SELECTOR => {
            let c = IAavePoolActions::supplyCall::abi_decode(data).ok()?;
            call("supply", c.asset, c.amount, Some(c.onBehalfOf))
        }
        IAavePoolActions::withdrawCall::SELECTOR => {
            let c = IAavePoolActions::withdrawCall::abi_decode(data).ok()?;
            call("withdraw", c.asset, c.amount, Some(c.to))
        }
        IAavePoolActions::borrowCall::SELECTOR => {
            let c = IAavePoolActions::borrowCall::abi_decode(data).ok()?;
            call("borrow", c.asset, c.amount, Some(c.onBehalfOf))
        }
        IAavePoolActions::repayCall::SELECTOR => {
            let c = IAavePoolActions::repayCall::abi_decode(data).ok()?;
            call("repay", c.asset, c.amount, Some(c.onBehalfOf))
        }
        IErc20Approval::approveCall::SELECTOR => {
            let c = IErc20Approval::approveCall::abi_decode(data).ok()?;
            call("approve", c.spender, c.amount, None)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, hex};

    const WETH: Address = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");

    /// Known-good encodings: cast calldata "supply(address,uint256,address,uint16)" … (selector 0x617ba037).
    #[test]
    fn calldata_matches_the_pools_abi() {
        let supply = PoolCall::Supply.calldata(WETH, U256::from(10u64.pow(18)), USER);
        assert_eq!(
            hex::encode(&supply),
            "617ba037\
             000000000000000000000000c02aaa39b223fe8d0a0e5c4f27ead9083c756cc2\
             0000000000000000000000000000000000000000000000000de0b6b3a7640000\
             00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8\
             0000000000000000000000000000000000000000000000000000000000000000"
        );
        assert_eq!(hex::encode(&PoolCall::Withdraw.calldata(WETH, U256::MAX, USER)[..4]), "69328dec");
        assert_eq!(hex::encode(&PoolCall::Borrow.calldata(WETH, U256::from(1), USER)[..4]), "a415bcad");
        assert_eq!(hex::encode(&PoolCall::Repay.calldata(WETH, U256::MAX, USER)[..4]), "573ade81");
        assert_eq!(hex::encode(&approve_calldata(USER, U256::from(5))[..4]), "095ea7b3");
        assert_eq!(hex::encode(&allowance_calldata(USER, WETH)[..4]), "dd62ed3e");
    }

    #[test]
    fn calldata_decodes_back_to_what_it_does() {
        let repay = decode_calldata(&PoolCall::Repay.calldata(WETH, U256::MAX, USER)).unwrap();
        assert_eq!(repay, DecodedCall { function: "repay", asset_or_spender: WETH, amount: U256::MAX, on_behalf_of: Some(USER) });
        let approve = decode_calldata(&approve_calldata(USER, U256::from(7))).unwrap();
        assert_eq!((approve.function, approve.amount, approve.on_behalf_of), ("approve", U256::from(7), None));
        assert_eq!(decode_calldata(&[0xde, 0xad, 0xbe, 0xef]), None);
        assert_eq!(decode_calldata(&[0x61]), None);
    }
}
