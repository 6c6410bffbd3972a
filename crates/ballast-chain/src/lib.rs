//! Ballast's EVM side: contract ABIs and their decoding, with no IO. The app
//! sends the bytes; this crate builds and reads them, and turns untrusted
//! return data into engine types or a clear error.
//!
//! The oracle layer: [`jsonrpc`] frames the requests and reads the answers,
//! [`multicall`] packs many reads into one `eth_call`, [`chainlink`] and
//! [`pyth`] read the feeds, [`price_status`] judges a price (fresh, stale,
//! invalid, …) and [`feeds`] holds what is not on chain (heartbeats,
//! deviation thresholds, feed ids), each with its source.

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;

pub mod aave_pool;
pub mod aave_prices;
pub mod aave_reader;
pub mod chainlink;
pub mod decimal;
pub mod feeds;
pub mod jsonrpc;
pub mod multicall;
pub mod price_status;
pub mod pyth;

/// Calldata for a call of any of the ABIs here, e.g.
/// `calldata(&AggregatorV3Interface::latestRoundDataCall {})`.
pub fn calldata<C: SolCall>(call: &C) -> Bytes {
    call.abi_encode().into()
}

/// Return data that is not what the ABI promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnError {
    /// What a call to an address without code returns.
    #[error("{call} returned no data: is there a contract at that address on this chain?")]
    Empty { call: &'static str },
    #[error("{call} returned data that does not decode: {reason}")]
    Abi { call: &'static str, reason: String },
}

/// Decodes `C`'s return data, strictly (no trailing garbage, no dirty padding).
pub fn decode_return<C: SolCall>(data: &[u8]) -> Result<C::Return, ReturnError> {
    if data.is_empty() {
        return Err(ReturnError::Empty { call: C::SIGNATURE });
    }
    C::abi_decode_returns_validate(data).map_err(|e| ReturnError::Abi { call: C::SIGNATURE, reason: e.to_string() })
}
