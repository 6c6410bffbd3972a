//! A Liquity v1 trove read from chain, turned into a `liquity-v1` scenario.
//!
//! The reads, all `eth_call`s at one block (liquity/dev `TroveManager.sol`,
//! `PriceFeed.sol`):
//!
//! - `TroveManager.getTroveStatus(borrower)`: only an active trove is a position;
//! - `TroveManager.getEntireDebtAndColl(borrower)`: debt (gas compensation and
//!   pending redistribution included) and collateral, wads;
//! - `TroveManager.getEntireSystemColl()` / `getEntireSystemDebt()`: the
//!   totals recovery mode is judged on;
//! - `PriceFeed.lastGoodPrice()`: the price the system last accepted (`fetchPrice`
//!   may move it in the next transaction);
//! - optionally `TroveManager.getBorrowingRateWithDecay()`, the fee on new debt;
//! - `TroveManager.getTCR(price)`, to check the reads are from one block.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::sol;
use ballast_core::dashboard::PositionInput;
use ballast_core::{Scenario, ScenarioError};
use serde_json::json;

use crate::aave_reader::units;
use crate::maker_reader::parse_scenario;
use crate::multicall::{Call, CallOutcome};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// Liquity v1 `TroveManager` (with `LiquityBase`'s system totals).
    interface ITroveManager {
        function getEntireDebtAndColl(address _borrower) external view returns (
            uint256 debt, uint256 coll, uint256 pendingLUSDDebtReward, uint256 pendingETHReward);
        function getTCR(uint256 _price) external view returns (uint256);
        function getEntireSystemColl() external view returns (uint256);
        function getEntireSystemDebt() external view returns (uint256);
        function getTroveStatus(address _borrower) external view returns (uint256);
        function getBorrowingRateWithDecay() external view returns (uint256);
    }
    /// Liquity v1 `PriceFeed`.
    interface IPriceFeed {
        function lastGoodPrice() external view returns (uint256);
    }
}

/// The scenario's symbols.
pub const ETH: &str = "ETH";
pub const LUSD: &str = "LUSD";
/// 0.5 %, Liquity's `BORROWING_FEE_FLOOR`, wad.
const BORROWING_FEE_FLOOR: U256 = U256::from_limbs([5_000_000_000_000_000, 0, 0, 0]);
const WAD: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);

/// `TroveManager.Status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TroveStatus {
    NonExistent,
    Active,
    ClosedByOwner,
    ClosedByLiquidation,
    ClosedByRedemption,
}

impl TroveStatus {
    fn describe(self) -> &'static str {
        match self {
            TroveStatus::NonExistent => "has never had a trove",
            TroveStatus::Active => "has an open trove",
            TroveStatus::ClosedByOwner => "closed its trove",
            TroveStatus::ClosedByLiquidation => "had its trove liquidated",
            TroveStatus::ClosedByRedemption => {
                "had its trove closed by redemption (collateral surplus may be claimable)"
            }
        }
    }
}

/// Why Liquity reads do not make a trove scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiquityReadError {
    #[error(transparent)]
    Return(#[from] ReturnError),
    #[error("getTroveStatus returned {0}, not a status (0-4)")]
    Status(U256),
    #[error("the address {}: there is no open trove to show", .0.describe())]
    NotActive(TroveStatus),
    #[error("the price feed's lastGoodPrice is 0")]
    NoPrice,
    #[error("the system's total debt is 0 while a trove is open: the reads are not from one block")]
    NoSystemDebt,
    #[error("getTCR({price}) is {chain}, but the totals read give {computed}: the reads are not from one block")]
    Inconsistent { price: U256, chain: U256, computed: U256 },
    #[error("{call} reverted: is the {contract} address right for this chain?")]
    Reverted { call: &'static str, contract: &'static str },
    #[error("{expected} answers were expected from the batch, {got} came")]
    Count { expected: usize, got: usize },
    #[error("the trove scenario is not valid: {0}")]
    Scenario(#[from] ScenarioError),
}

/// The Liquity v1 contracts a trove is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiquityContracts {
    pub trove_manager: Address,
    pub price_feed: Address,
}

impl LiquityContracts {
    /// Ethereum mainnet's, from [`crate::vault_addresses::liquity`].
    pub fn mainnet() -> Self {
        use crate::vault_addresses::liquity;
        #[allow(clippy::expect_used)]
        let parse = |a: &str| Address::parse_checksummed(a, None).expect("generated, checksummed and tested");
        Self { trove_manager: parse(liquity::TROVE_MANAGER), price_feed: parse(liquity::PRICE_FEED) }
    }

    /// One Multicall3 batch reading a trove, the system and the price, in the
    /// order [`read_trove`] expects. One batch is one block, so `getTCR` is not
    /// needed to check the reads agree.
    pub fn trove_calls(&self, borrower: Address) -> Vec<Call> {
        let tm = self.trove_manager;
        let strict = |target, call_data| Call { target, allow_failure: false, call_data };
        vec![
            strict(tm, get_trove_status_calldata(borrower)),
            strict(tm, get_entire_debt_and_coll_calldata(borrower)),
            strict(tm, get_entire_system_coll_calldata()),
            strict(tm, get_entire_system_debt_calldata()),
            strict(self.price_feed, last_good_price_calldata()),
            strict(tm, get_borrowing_rate_with_decay_calldata()),
        ]
    }
}

/// Reads [`LiquityContracts::trove_calls`]' outcomes.
pub fn read_trove(outcomes: &[CallOutcome]) -> Result<LiquityReads, LiquityReadError> {
    let [status, trove, coll, debt, price, rate] = outcomes else {
        return Err(LiquityReadError::Count { expected: 6, got: outcomes.len() });
    };
    let ok = |o: &'_ CallOutcome, call: &'static str, contract: &'static str| match o {
        CallOutcome::Success(data) => Ok(data.to_vec()),
        CallOutcome::Reverted(_) => Err(LiquityReadError::Reverted { call, contract }),
    };
    Ok(LiquityReads {
        status: decode_trove_status(&ok(status, "getTroveStatus", "TroveManager")?)?,
        trove: decode_entire_debt_and_coll(&ok(trove, "getEntireDebtAndColl", "TroveManager")?)?,
        system_coll: decode_entire_system_coll(&ok(coll, "getEntireSystemColl", "TroveManager")?)?,
        system_debt: decode_entire_system_debt(&ok(debt, "getEntireSystemDebt", "TroveManager")?)?,
        price: decode_last_good_price(&ok(price, "lastGoodPrice", "PriceFeed")?)?,
        borrowing_rate: Some(decode_borrowing_rate_with_decay(&ok(
            rate,
            "getBorrowingRateWithDecay",
            "TroveManager",
        )?)?),
    })
}

/// A trove's debt and collateral, wads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TroveDebtAndColl {
    /// Whole debt: net debt, 200 LUSD gas compensation, pending redistributed debt.
    pub debt: U256,
    /// Collateral including pending redistributed ETH.
    pub coll: U256,
    pub pending_lusd_debt_reward: U256,
    pub pending_eth_reward: U256,
}

pub fn get_entire_debt_and_coll_calldata(borrower: Address) -> Bytes {
    calldata(&ITroveManager::getEntireDebtAndCollCall { _borrower: borrower })
}
pub fn decode_entire_debt_and_coll(data: &[u8]) -> Result<TroveDebtAndColl, ReturnError> {
    let r = decode_return::<ITroveManager::getEntireDebtAndCollCall>(data)?;
    Ok(TroveDebtAndColl {
        debt: r.debt,
        coll: r.coll,
        pending_lusd_debt_reward: r.pendingLUSDDebtReward,
        pending_eth_reward: r.pendingETHReward,
    })
}
pub fn get_tcr_calldata(price: U256) -> Bytes {
    calldata(&ITroveManager::getTCRCall { _price: price })
}
pub fn decode_tcr(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<ITroveManager::getTCRCall>(data)
}
pub fn get_entire_system_coll_calldata() -> Bytes {
    calldata(&ITroveManager::getEntireSystemCollCall {})
}
pub fn decode_entire_system_coll(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<ITroveManager::getEntireSystemCollCall>(data)
}
pub fn get_entire_system_debt_calldata() -> Bytes {
    calldata(&ITroveManager::getEntireSystemDebtCall {})
}
pub fn decode_entire_system_debt(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<ITroveManager::getEntireSystemDebtCall>(data)
}
pub fn get_trove_status_calldata(borrower: Address) -> Bytes {
    calldata(&ITroveManager::getTroveStatusCall { _borrower: borrower })
}
pub fn decode_trove_status(data: &[u8]) -> Result<TroveStatus, LiquityReadError> {
    let status = decode_return::<ITroveManager::getTroveStatusCall>(data)?;
    match u8::try_from(status) {
        Ok(0) => Ok(TroveStatus::NonExistent),
        Ok(1) => Ok(TroveStatus::Active),
        Ok(2) => Ok(TroveStatus::ClosedByOwner),
        Ok(3) => Ok(TroveStatus::ClosedByLiquidation),
        Ok(4) => Ok(TroveStatus::ClosedByRedemption),
        _ => Err(LiquityReadError::Status(status)),
    }
}
pub fn get_borrowing_rate_with_decay_calldata() -> Bytes {
    calldata(&ITroveManager::getBorrowingRateWithDecayCall {})
}
pub fn decode_borrowing_rate_with_decay(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<ITroveManager::getBorrowingRateWithDecayCall>(data)
}
pub fn last_good_price_calldata() -> Bytes {
    calldata(&IPriceFeed::lastGoodPriceCall {})
}
pub fn decode_last_good_price(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<IPriceFeed::lastGoodPriceCall>(data)
}

/// One trove's reads, from one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquityReads {
    pub status: TroveStatus,
    pub trove: TroveDebtAndColl,
    pub system_coll: U256,
    pub system_debt: U256,
    /// `PriceFeed.lastGoodPrice()`, USD per ETH, wad.
    pub price: U256,
    /// `getBorrowingRateWithDecay()`, wad: the base rate (decayed to the
    /// block) plus 0.5 %, capped at 5 %.
    pub borrowing_rate: Option<U256>,
}

impl LiquityReads {
    /// The TCR as `LiquityMath._computeCR` gives it: `coll × price / debt`, floored, wad.
    pub fn tcr(&self) -> Option<U256> {
        (!self.system_debt.is_zero()).then(|| self.system_coll.checked_mul(self.price).map(|v| v / self.system_debt))?
    }

    /// Checks `getTCR(price)` read beside the totals against them.
    pub fn check_tcr(&self, chain_tcr: U256) -> Result<(), LiquityReadError> {
        let computed = self.tcr().ok_or(LiquityReadError::NoSystemDebt)?;
        if computed != chain_tcr {
            return Err(LiquityReadError::Inconsistent { price: self.price, chain: chain_tcr, computed });
        }
        Ok(())
    }
}

/// The trove as a `liquity-v1` scenario: ETH at `lastGoodPrice`, the whole
/// debt in LUSD, the system totals (this trove included), and the base rate
/// as `getBorrowingRateWithDecay − 0.5 %` when read (so the engine's fee,
/// base rate + 0.5 % within 0.5 %–5 %, is the contract's exactly). All wads,
/// exact.
pub fn liquity_scenario(reads: &LiquityReads) -> Result<Scenario, LiquityReadError> {
    if reads.status != TroveStatus::Active {
        return Err(LiquityReadError::NotActive(reads.status));
    }
    if reads.price.is_zero() {
        return Err(LiquityReadError::NoPrice);
    }
    if reads.system_debt.is_zero() {
        return Err(LiquityReadError::NoSystemDebt);
    }
    let mut scenario = json!({
        "schema": "ballast.scenario/1",
        "protocol": "liquity-v1",
        "assets": [{ "symbol": ETH, "price": units(reads.price, 18) }, { "symbol": LUSD }],
        "system": {
            "total_collateral": units(reads.system_coll, 18),
            "total_debt": units(reads.system_debt, 18),
        },
        "collateral": [{ "asset": ETH, "amount": units(reads.trove.coll, 18) }],
        "debt": [{ "asset": LUSD, "amount": units(reads.trove.debt, 18) }],
    });
    if let Some(rate) = reads.borrowing_rate {
        scenario["base_rate"] = json!(units(rate.saturating_sub(BORROWING_FEE_FLOOR).min(WAD), 18));
    }
    Ok(parse_scenario(scenario)?)
}

/// The trove as a dashboard row's input (a trove pays no interest: its one
/// borrowing fee is not an APY).
pub fn liquity_dashboard_input(reads: &LiquityReads, chain: &str) -> Result<PositionInput, LiquityReadError> {
    Ok(PositionInput {
        chain: chain.to_owned(),
        market: "Liquity".to_owned(),
        scenario: liquity_scenario(reads)?,
        chain_account: None,
        vault_borrow_apy: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_are_liquitys() {
        let sel = |b: Bytes| alloy_primitives::hex::encode(&b[..4]);
        assert_eq!(sel(get_entire_debt_and_coll_calldata(Address::ZERO)), "b91af97c");
        assert_eq!(sel(get_tcr_calldata(U256::ZERO)), "b82f263d");
        assert_eq!(sel(last_good_price_calldata()), "0490be83");
        assert_eq!(sel(get_entire_system_coll_calldata()), "887105d3");
        assert_eq!(sel(get_entire_system_debt_calldata()), "795d26c3");
        assert_eq!(sel(get_trove_status_calldata(Address::ZERO)), "21e37801");
        assert_eq!(sel(get_borrowing_rate_with_decay_calldata()), "66ca4a21");
    }

    #[test]
    fn statuses_decode_and_others_are_refused() {
        let word = |n: u64| U256::from(n).to_be_bytes::<32>();
        assert_eq!(decode_trove_status(&word(1)), Ok(TroveStatus::Active));
        assert_eq!(decode_trove_status(&word(3)), Ok(TroveStatus::ClosedByLiquidation));
        assert_eq!(decode_trove_status(&word(5)), Err(LiquityReadError::Status(U256::from(5))));
        assert!(decode_trove_status(&[]).is_err());
    }
}
