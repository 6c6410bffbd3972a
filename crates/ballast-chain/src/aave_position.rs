//! The reads behind one Aave V3 position, planned as two Multicall3 batches,
//! and their answers turned into the scenario and the chain's account data.
//!
//! 1. [`revision_calls`]: `POOL_REVISION()` and `getReservesCount()` (3.1+;
//!    tolerated as missing on V3.0). The revision picks the data-provider
//!    layout and the engine's rules.
//! 2. [`PositionPlan::calls`]: `getReservesData`, `getUserReservesData`,
//!    `getEModes` (origin layouts), `Pool.getUserAccountData` and Multicall3's
//!    `getCurrentBlockTimestamp`, all in one `aggregate3`, so every answer is
//!    from one block and the timestamp is that block's.
//!
//! [`PositionPlan::read`] decodes the outcomes of batch 2, in order, into a
//! [`PositionRead`]: the engine's scenario and the chain's own
//! `getUserAccountData`, which the dashboard shows (the engine's figure beside it).

use alloy_primitives::{Address, U256};
use alloy_sol_types::sol;
use ballast_core::aave_v3::AccountData;
use ballast_core::dashboard::PositionInput;
use ballast_core::Scenario;

use crate::aave_markets::MarketAddresses;
use crate::aave_reader::{
    decode_pool_revision, decode_reserves_count, decode_user_account_data, get_reserves_count_calldata,
    get_user_account_data_calldata, periphery_origin, periphery_v3_0_1, pool_revision_calldata, scenario_from_chain,
    PeripheryLayout, ReaderError,
};
use crate::multicall::{Call, CallOutcome, MULTICALL3};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// Multicall3's block reads.
    interface IMulticall3Block {
        function getCurrentBlockTimestamp() external view returns (uint256 timestamp);
    }
}

/// Multicall3's `getCurrentBlockTimestamp()`, packed last in a batch so the
/// batch's reads come with their block's time.
pub fn block_timestamp_call() -> Call {
    Call {
        target: MULTICALL3,
        allow_failure: false,
        call_data: calldata(&IMulticall3Block::getCurrentBlockTimestampCall {}),
    }
}

/// Decodes `getCurrentBlockTimestamp()`.
pub fn decode_block_timestamp(data: &[u8]) -> Result<u64, PositionReadError> {
    let timestamp = decode_return::<IMulticall3Block::getCurrentBlockTimestampCall>(data)?;
    u64::try_from(timestamp).map_err(|_| PositionReadError::Timestamp(timestamp))
}

/// Why a position's reads do not make a position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PositionReadError {
    #[error(transparent)]
    Reader(#[from] ReaderError),
    #[error("{call} reverted: {hint}")]
    Reverted { call: &'static str, hint: &'static str },
    #[error("{expected} answers were expected from the batch, {got} came")]
    Count { expected: usize, got: usize },
    #[error("getUserAccountData returned data that does not decode: {0}")]
    AccountData(String),
    #[error("the block timestamp {0} is not a timestamp")]
    Timestamp(U256),
}

impl From<ReturnError> for PositionReadError {
    fn from(e: ReturnError) -> Self {
        PositionReadError::Reader(ReaderError::Return(e))
    }
}

/// Batch 1: the Pool's revision and reserve count.
pub fn revision_calls(market: &MarketAddresses) -> Vec<Call> {
    vec![
        Call { target: market.pool, allow_failure: false, call_data: pool_revision_calldata() },
        Call::tolerant(market.pool, get_reserves_count_calldata()),
    ]
}

/// Reads batch 1's outcomes into the plan for batch 2.
pub fn plan(outcomes: &[CallOutcome], user: Address) -> Result<PositionPlan, PositionReadError> {
    let [revision, count] = outcomes else {
        return Err(PositionReadError::Count { expected: 2, got: outcomes.len() });
    };
    let revision = decode_pool_revision(success(revision, "POOL_REVISION()", "is this address a Pool?")?)?;
    let layout = PeripheryLayout::for_pool_revision(revision)?;
    let reserves_count = match (layout, count) {
        (_, CallOutcome::Success(data)) => Some(decode_reserves_count(data)?),
        // V3.0 Pools have no getReservesCount, and their layout does not need it.
        (PeripheryLayout::V3_0_1, CallOutcome::Reverted(_)) => None,
        (PeripheryLayout::Origin(_), CallOutcome::Reverted(_)) => {
            return Err(PositionReadError::Reverted {
                call: "getReservesCount()",
                hint: "a 3.2+ Pool has it; is the address right?",
            })
        }
    };
    Ok(PositionPlan { user, revision, layout, reserves_count })
}

/// What batch 2 reads, once the revision is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionPlan {
    pub user: Address,
    pub revision: U256,
    pub layout: PeripheryLayout,
    pub reserves_count: Option<u64>,
}

/// One position as read: the scenario the engine evaluates and the chain's
/// own account data at the same block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionRead {
    pub scenario: Scenario,
    pub chain_account: AccountData,
    /// The block's timestamp the reads were made at.
    pub timestamp: u64,
}

impl PositionRead {
    /// The position as a dashboard row's input: the chain's account data is
    /// what the row shows, the engine's is computed beside it.
    pub fn dashboard_input(self, chain: &str, market: &str) -> PositionInput {
        PositionInput {
            chain: chain.to_owned(),
            market: market.to_owned(),
            scenario: self.scenario,
            chain_account: Some(self.chain_account),
            vault_borrow_apy: None,
        }
    }
}

impl PositionPlan {
    /// Batch 2, in the order [`PositionPlan::read`] expects.
    pub fn calls(&self, market: &MarketAddresses) -> Vec<Call> {
        let provider = market.pool_addresses_provider;
        let ui = market.ui_pool_data_provider;
        let strict = |target, call_data| Call { target, allow_failure: false, call_data };
        let mut calls = match self.layout {
            PeripheryLayout::V3_0_1 => vec![
                strict(ui, periphery_v3_0_1::get_reserves_data_calldata(provider)),
                strict(ui, periphery_v3_0_1::get_user_reserves_data_calldata(provider, self.user)),
            ],
            PeripheryLayout::Origin(_) => vec![
                strict(ui, periphery_origin::get_reserves_data_calldata(provider)),
                strict(ui, periphery_origin::get_user_reserves_data_calldata(provider, self.user)),
                strict(ui, periphery_origin::get_emodes_calldata(provider)),
            ],
        };
        calls.push(strict(market.pool, get_user_account_data_calldata(self.user)));
        calls.push(block_timestamp_call());
        calls
    }

    /// Batch 2's outcomes, in [`PositionPlan::calls`]' order, as a position.
    /// V3.0 e-mode categories come from the reserves' own copies.
    pub fn read(&self, outcomes: &[CallOutcome]) -> Result<PositionRead, PositionReadError> {
        let expected = if self.layout.emodes_from_provider() { 5 } else { 4 };
        if outcomes.len() != expected {
            return Err(PositionReadError::Count { expected, got: outcomes.len() });
        }
        let provider_hint = "is the UiPoolDataProvider the market's, and the provider address right?";
        let mut market = self.layout.decode_reserves_data(success(&outcomes[0], "getReservesData", provider_hint)?)?;
        if let Some(count) = self.reserves_count {
            market = market.with_reserves_count(count);
        }
        let user =
            self.layout.decode_user_reserves_data(success(&outcomes[1], "getUserReservesData", provider_hint)?)?;
        let categories = if self.layout.emodes_from_provider() {
            periphery_origin::decode_emodes(success(&outcomes[2], "getEModes", provider_hint)?)?
        } else {
            Vec::new()
        };
        let rest = &outcomes[expected - 2..];
        let chain_account = decode_user_account_data(success(&rest[0], "getUserAccountData", "is this the Pool?")?)
            .map_err(|e| PositionReadError::AccountData(e.to_string()))?;
        let timestamp = decode_block_timestamp(success(
            &rest[1],
            "getCurrentBlockTimestamp",
            "is Multicall3 deployed on this chain?",
        )?)?;
        let scenario = scenario_from_chain(&market, &user, &categories, self.revision, timestamp)?;
        Ok(PositionRead { scenario, chain_account, timestamp })
    }
}

pub(crate) fn success<'a>(
    outcome: &'a CallOutcome,
    call: &'static str,
    hint: &'static str,
) -> Result<&'a [u8], PositionReadError> {
    match outcome {
        CallOutcome::Success(data) => Ok(data),
        CallOutcome::Reverted(_) => Err(PositionReadError::Reverted { call, hint }),
    }
}
