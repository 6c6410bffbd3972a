//! Multicall3 `aggregate3`: many feed reads in one `eth_call`, each with its
//! own success flag, so one reverting feed does not hide the others.
//!
//! Multicall3 is deployed at the same address on every chain it supports
//! (mds1/multicall3). A call with `allow_failure: false` that reverts makes
//! the whole `aggregate3` revert ("Multicall3: call failed"), which arrives as
//! a JSON-RPC error, not here.

use alloy_primitives::{address, Address, Bytes};
use alloy_sol_types::{sol, SolCall};

use crate::{decode_return, ReturnError};

/// Multicall3, the same address on every chain.
pub const MULTICALL3: Address = address!("cA11bde05977b3631167028862bE2a173976CA11");

/// Most calls packed into one `aggregate3`; the gas of an `eth_call` is capped
/// by nodes, and 200 feed reads is far more than a position needs.
pub const MAX_CALLS: usize = 200;

sol! {
    interface IMulticall3 {
        struct Call3 {
            address target;
            bool allowFailure;
            bytes callData;
        }

        struct Result {
            bool success;
            bytes returnData;
        }

        function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData);
    }
}

/// One call to pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub target: Address,
    /// With `false`, this call reverting reverts the whole batch.
    pub allow_failure: bool,
    pub call_data: Bytes,
}

impl Call {
    /// A call whose failure is reported rather than fatal: the usual choice
    /// for reading feeds, any of which may be paused or deprecated.
    pub fn tolerant(target: Address, call_data: Bytes) -> Self {
        Self { target, allow_failure: true, call_data }
    }
}

/// What one packed call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallOutcome {
    Success(Bytes),
    /// It reverted; the revert data, possibly empty.
    Reverted(Bytes),
}

impl CallOutcome {
    /// Decodes a successful call's return data as `C`'s.
    pub fn decode<C: SolCall>(&self) -> Result<C::Return, MulticallError> {
        match self {
            Self::Success(data) => Ok(decode_return::<C>(data)?),
            Self::Reverted(data) => Err(MulticallError::Reverted {
                call: C::SIGNATURE,
                reason: alloy_sol_types::decode_revert_reason(data),
            }),
        }
    }
}

/// Why a batch cannot be built or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MulticallError {
    #[error("a batch holds 1 to {MAX_CALLS} calls, not {0}")]
    BatchSize(usize),
    #[error(transparent)]
    Return(#[from] ReturnError),
    #[error("aggregate3 returned {got} results for {sent} calls")]
    ResultCount { sent: usize, got: usize },
    #[error("{call} reverted{}", reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default())]
    Reverted { call: &'static str, reason: Option<String> },
}

/// Calldata for `aggregate3(calls)`, to send to [`MULTICALL3`].
pub fn aggregate3_calldata(calls: &[Call]) -> Result<Bytes, MulticallError> {
    if calls.is_empty() || calls.len() > MAX_CALLS {
        return Err(MulticallError::BatchSize(calls.len()));
    }
    let calls = calls
        .iter()
        .map(|c| IMulticall3::Call3 { target: c.target, allowFailure: c.allow_failure, callData: c.call_data.clone() })
        .collect();
    Ok(IMulticall3::aggregate3Call { calls }.abi_encode().into())
}

/// `aggregate3`'s return data: one outcome per call sent, in order.
pub fn decode_aggregate3(data: &[u8], sent: usize) -> Result<Vec<CallOutcome>, MulticallError> {
    let results = decode_return::<IMulticall3::aggregate3Call>(data)?;
    if results.len() != sent {
        return Err(MulticallError::ResultCount { sent, got: results.len() });
    }
    Ok(results
        .into_iter()
        .map(|r| if r.success { CallOutcome::Success(r.returnData) } else { CallOutcome::Reverted(r.returnData) })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calldata;
    use crate::chainlink::{decode_latest_round_data, latest_round_data_calldata, AggregatorV3Interface};
    use alloy_primitives::{hex, I256, U256};
    use alloy_sol_types::SolValue;

    const ETH_USD: Address = address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419");
    const BTC_USD: Address = address!("F4030086522a5bEEa4988F8cA5B36dbC97BeE88c");

    #[test]
    fn packs_calls_behind_the_aggregate3_selector() {
        let calls = [
            Call::tolerant(ETH_USD, latest_round_data_calldata()),
            Call::tolerant(BTC_USD, latest_round_data_calldata()),
        ];
        let data = aggregate3_calldata(&calls).unwrap();
        assert_eq!(hex::encode(&data[..4]), "82ad56cb");
        let decoded = IMulticall3::aggregate3Call::abi_decode(&data).unwrap();
        assert_eq!(decoded.calls.len(), 2);
        assert_eq!(decoded.calls[1].target, BTC_USD);
        assert!(decoded.calls[0].allowFailure);
        assert_eq!(hex::encode(&decoded.calls[0].callData), "feaf968c");
        assert_eq!(aggregate3_calldata(&[]), Err(MulticallError::BatchSize(0)));
    }

    /// Three reads, the second reverting with `Error("No data present")`, the
    /// message a Chainlink aggregator gives for a round it does not have.
    #[test]
    fn reads_a_batch_with_one_failed_call() {
        let round = (
            U256::from(42),
            I256::try_from(335_231_000_000i64).unwrap(),
            U256::from(1_732_636_103),
            U256::from(1_732_636_103),
            U256::from(42),
        )
            .abi_encode();
        let revert = hex::decode(
            "08c379a0\
             0000000000000000000000000000000000000000000000000000000000000020\
             000000000000000000000000000000000000000000000000000000000000000f\
             4e6f20646174612070726573656e740000000000000000000000000000000000",
        )
        .unwrap();
        let results = vec![
            IMulticall3::Result { success: true, returnData: round.into() },
            IMulticall3::Result { success: false, returnData: revert.into() },
            IMulticall3::Result { success: true, returnData: U256::from(8).abi_encode().into() },
        ];
        let data = IMulticall3::aggregate3Call::abi_encode_returns(&results);

        let outcomes = decode_aggregate3(&data, 3).unwrap();
        let CallOutcome::Success(first) = &outcomes[0] else { panic!("first call failed") };
        assert_eq!(decode_latest_round_data(first).unwrap().price(8).unwrap().to_string(), "3352.31000000");
        let Err(error) = outcomes[1].decode::<AggregatorV3Interface::latestRoundDataCall>() else {
            panic!("a revert decoded")
        };
        assert_eq!(
            error,
            MulticallError::Reverted { call: "latestRoundData()", reason: Some("revert: No data present".into()) }
        );
        assert_eq!(error.to_string(), "latestRoundData() reverted: revert: No data present");
        assert_eq!(outcomes[2].decode::<AggregatorV3Interface::decimalsCall>(), Ok(8));
        assert_eq!(decode_aggregate3(&data, 2), Err(MulticallError::ResultCount { sent: 2, got: 3 }));
    }

    #[test]
    fn a_call_to_an_address_without_code_succeeds_empty() {
        let data = IMulticall3::aggregate3Call::abi_encode_returns(&vec![IMulticall3::Result {
            success: true,
            returnData: Bytes::new(),
        }]);
        let outcomes = decode_aggregate3(&data, 1).unwrap();
        assert_eq!(
            outcomes[0].decode::<AggregatorV3Interface::decimalsCall>(),
            Err(MulticallError::Return(ReturnError::Empty { call: "decimals()" }))
        );
        assert_eq!(calldata(&AggregatorV3Interface::decimalsCall {}).len(), 4);
    }

    #[test]
    fn garbage_return_data_is_an_error() {
        assert!(decode_aggregate3(&[0u8; 31], 1).is_err());
        assert!(decode_aggregate3(&[0xff; 96], 1).is_err());
        // An offset pointing far past the end must not allocate or panic.
        let mut huge = U256::from(32).to_be_bytes::<32>().to_vec();
        huge.extend(U256::from(u64::MAX).to_be_bytes::<32>());
        assert!(decode_aggregate3(&huge, 1).is_err());
    }
}
