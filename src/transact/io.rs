//! The panel's IO: the position read from the settings' node (the same two
//! Multicall3 batches as the Positions page, keeping the reserves' addresses),
//! and every simulation, estimate and send through the user's wallet.

use std::str::FromStr;

use alloy_primitives::{Address, Bytes, B256, U256};
use ballast_chain::aave_position;
use ballast_chain::multicall::CallOutcome;
use ballast_core::aave_v3::AccountData;
use ballast_core::Scenario;
use serde_json::{json, Value};

use super::model::{FeePlan, MarketReserve};
use crate::chain::http::sleep_ms;
use crate::chain::rpc::RpcClient;
use crate::chain::settings::ChainSettings;
use crate::pages::positions::model::markets_for;
use crate::pages::positions::{aggregate, resolve_market};
use crate::wallet::{Wallet, WalletError};

/// The user's position on one market, read at one block.
#[derive(Debug, Clone, PartialEq)]
pub struct LivePosition {
    pub scenario: Scenario,
    /// The chain's own `getUserAccountData`.
    pub account: AccountData,
    pub reserves: Vec<MarketReserve>,
    /// The market's Pool, from the address book (or the settings' provider on a local chain).
    pub pool: Address,
    pub market: String,
}

/// Reads `owner`'s position on the chain's (first) Aave V3 market.
pub async fn read_live(settings: &ChainSettings, chain_id: u64, owner: Address) -> Result<LivePosition, String> {
    let client = RpcClient::from_settings(settings, chain_id).map_err(|e| e.to_string())?;
    let markets = markets_for(settings, chain_id)?;
    let market = markets.first().ok_or_else(|| "this chain has no Aave V3 market".to_owned())?;
    let addresses = resolve_market(&client, &market.source).await?;
    let first = aggregate(&client, &aave_position::revision_calls(&addresses)).await?;
    let plan = aave_position::plan(&first, owner).map_err(|e| e.to_string())?;
    let second = aggregate(&client, &plan.calls(&addresses)).await?;
    let read = plan.read(&second).map_err(|e| e.to_string())?;
    let reserves = match second.first() {
        Some(CallOutcome::Success(data)) => plan.layout.decode_reserves_data(data).map_err(|e| e.to_string())?,
        _ => return Err("getReservesData failed".into()),
    }
    .reserves
    .into_iter()
    .map(|r| MarketReserve { symbol: r.symbol, underlying: r.underlying, decimals: r.decimals.saturating_to::<u32>() })
    .collect();
    Ok(LivePosition {
        scenario: read.scenario,
        account: read.chain_account,
        reserves,
        pool: addresses.pool,
        market: market.name.clone(),
    })
}

fn hex_u256(value: &Value) -> Result<U256, WalletError> {
    value
        .as_str()
        .and_then(|s| U256::from_str(s).ok())
        .ok_or_else(|| WalletError::BadAnswer(format!("{value} is not a quantity")))
}

fn hex_bytes(value: &Value) -> Result<Vec<u8>, WalletError> {
    value
        .as_str()
        .and_then(|s| s.strip_prefix("0x"))
        .and_then(|s| alloy_primitives::hex::decode(s).ok())
        .ok_or_else(|| WalletError::BadAnswer(format!("{value} is not hex data")))
}

fn quantity(v: U256) -> String {
    format!("{v:#x}")
}

fn tx_object(from: Address, to: Address, data: &Bytes) -> Value {
    json!({ "from": from.to_checksum(None), "to": to.to_checksum(None), "data": data.to_string(), "value": "0x0" })
}

/// `eth_call` from the user's address through the wallet, at the latest block.
pub async fn simulate(wallet: Wallet, from: Address, to: Address, data: &Bytes) -> Result<Vec<u8>, WalletError> {
    hex_bytes(&wallet.request("eth_call", json!([tx_object(from, to, data), "latest"])).await?)
}

/// `eth_estimateGas` from the user's address through the wallet.
pub async fn estimate_gas(wallet: Wallet, from: Address, to: Address, data: &Bytes) -> Result<U256, WalletError> {
    hex_u256(&wallet.request("eth_estimateGas", json!([tx_object(from, to, data)])).await?)
}

/// The gas estimate and the EIP-1559 fee for a transaction.
pub async fn fee_plan(wallet: Wallet, from: Address, to: Address, data: &Bytes) -> Result<FeePlan, WalletError> {
    let gas = estimate_gas(wallet, from, to, data).await?;
    let block = wallet.request("eth_getBlockByNumber", json!(["latest", false])).await?;
    let base_fee = block.get("baseFeePerGas").map(hex_u256).transpose()?.unwrap_or_default();
    let tip = match wallet.request("eth_maxPriorityFeePerGas", json!([])).await {
        Ok(v) => hex_u256(&v)?,
        // Not every wallet answers it; 1 gwei is the common floor.
        Err(WalletError::Unsupported { .. }) => U256::from(1_000_000_000u64),
        Err(e) => return Err(e),
    };
    Ok(FeePlan::new(gas, base_fee, tip))
}

/// `eth_sendTransaction` with the checked gas limit and fees; the hash.
pub async fn send(wallet: Wallet, from: Address, to: Address, data: &Bytes, fee: &FeePlan) -> Result<B256, WalletError> {
    let mut tx = tx_object(from, to, data);
    tx["gas"] = quantity(fee.gas_limit).into();
    tx["maxFeePerGas"] = quantity(fee.max_fee_per_gas).into();
    tx["maxPriorityFeePerGas"] = quantity(fee.max_priority_fee_per_gas).into();
    let hash = wallet.request("eth_sendTransaction", json!([tx])).await?;
    hash.as_str()
        .and_then(|s| B256::from_str(s).ok())
        .ok_or_else(|| WalletError::BadAnswer(format!("{hash} is not a transaction hash")))
}

/// How a sent transaction ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landed {
    Confirmed { block: u64 },
    /// Mined and reverted.
    Reverted { block: u64 },
    /// Its nonce was used by another transaction (sped up or cancelled in the wallet).
    Replaced,
}

/// The account's next nonce, counting its pending transactions: what a
/// transaction sent now will most likely use.
pub async fn next_nonce(wallet: Wallet, from: Address) -> Result<U256, WalletError> {
    hex_u256(&wallet.request("eth_getTransactionCount", json!([from.to_checksum(None), "pending"])).await?)
}

/// Waits for `hash`'s receipt; a transaction whose nonce the account has
/// used while it has no receipt was replaced. Its nonce is the node's when
/// the node knows the transaction, else `expected_nonce` (read before sending).
pub async fn wait(wallet: Wallet, hash: B256, from: Address, expected_nonce: U256) -> Result<Landed, WalletError> {
    let hash_text = hash.to_string();
    let mut nonce: Option<U256> = None;
    loop {
        let receipt = wallet.request("eth_getTransactionReceipt", json!([hash_text])).await?;
        if let Some(status) = receipt.get("status") {
            let block = receipt.get("blockNumber").map(hex_u256).transpose()?.unwrap_or_default().saturating_to::<u64>();
            return Ok(if hex_u256(status)? == U256::from(1) { Landed::Confirmed { block } } else { Landed::Reverted { block } });
        }
        if nonce.is_none() {
            let tx = wallet.request("eth_getTransactionByHash", json!([hash_text])).await?;
            nonce = tx.get("nonce").map(hex_u256).transpose()?;
        }
        {
            let nonce = nonce.unwrap_or(expected_nonce);
            let used = hex_u256(&wallet.request("eth_getTransactionCount", json!([from.to_checksum(None), "latest"])).await?)?;
            if used > nonce {
                // Mined in the meantime after all?
                let again = wallet.request("eth_getTransactionReceipt", json!([hash_text])).await?;
                if again.get("status").is_none() {
                    return Ok(Landed::Replaced);
                }
                continue;
            }
        }
        sleep_ms(400).await;
    }
}
