//! Ballast's EVM side: contract ABIs and their decoding, with no IO. The app
//! sends the bytes; this crate builds and reads them, and turns untrusted
//! return data into engine types or a clear error.
//!
//! The oracle layer: [`jsonrpc`] frames the requests and reads the answers,
//! [`multicall`] packs many reads into one `eth_call`, [`chainlink`] and
//! [`pyth`] read the feeds, [`price_status`] judges a price (fresh, stale,
//! invalid, …) and [`feeds`] holds what is not on chain (heartbeats,
//! deviation thresholds, feed ids), each with its source.
//!
//! The position readers: [`aave_markets`] lists the Aave V3 markets per chain
//! (generated from the address book), [`aave_position`] plans a position's
//! reads and [`aave_reader`] decodes them (V3.0.1 and aave-v3-origin 3.2+
//! data-provider layouts, chosen by the Pool's revision) into a scenario;
//! [`maker_reader`] and [`liquity_reader`] do the same for Maker vaults and
//! Liquity v1 troves, at the addresses in [`vault_addresses`].
//!
//! The transaction layer (the app sends, the user's wallet signs):
//! [`aave_actions`] builds the Pool calls and reads any transaction back into
//! words from its bytes, [`erc20`] the token reads and `approve`, [`permit`]
//! EIP-2612 typed data and signatures, [`tx_plan`] turns a plan's actions
//! into the ordered approvals, permits and calls (on the state
//! [`tx_plan_reads`] reads), [`tx_rpc`] simulates,
//! sends and follows them, [`tx_fees`] quotes the EIP-1559 fee,
//! [`tx_guard`] checks the chain, target and health factor before a send,
//! and [`revert`] says in words why one would fail or did.

use alloy_primitives::Bytes;
use alloy_sol_types::SolCall;

pub mod aave_actions;
pub mod aave_markets;
pub mod aave_pool;
pub mod aave_position;
pub mod aave_prices;
pub mod aave_reader;
pub mod chainlink;
pub mod decimal;
pub mod erc20;
pub mod feeds;
pub mod jsonrpc;
pub mod liquity_reader;
pub mod maker_reader;
pub mod multicall;
pub mod permit;
pub mod price_status;
pub mod pyth;
pub mod revert;
pub mod tx_fees;
#[cfg(test)]
mod tx_fixtures;
pub mod tx_guard;
pub mod tx_plan;
pub mod tx_plan_reads;
pub mod tx_rpc;
/// Maker and Liquity v1 mainnet contracts, generated from their npm deployment files.
pub mod vault_addresses;

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
