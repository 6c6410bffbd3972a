//! The panel's IO: the position and the assets' allowances read from the
//! settings' node (Multicall3 batches, as the Positions page reads), and every
//! simulation, estimate, signature and send through the user's wallet.

use alloy_primitives::{Address, B256};
use ballast_chain::aave_actions::{TokenInfo, TxRequest};
use ballast_chain::jsonrpc::{BlockTag, Request};
use ballast_chain::multicall::CallOutcome;
use ballast_chain::tx_fees::{
    decode_fee_history, decode_max_priority_fee, FeeQuote, FEE_HISTORY_BLOCKS, TIP_PERCENTILE,
};
use ballast_chain::tx_plan::AssetState;
use ballast_chain::tx_rpc::{
    decode_gas_estimate, decode_receipt, decode_transaction, decode_transaction_count, decode_transaction_hash,
    send_transaction_params, tx_progress, TxProgress,
};
use ballast_chain::{aave_position, aave_reader};
use ballast_core::aave_v3::AccountData;
use ballast_core::Scenario;
use serde_json::Value;

use super::model::{asset_calls, asset_state, debt_units};
use super::sequence::wait_until_block;
use crate::chain::http::sleep_ms;
use crate::chain::rpc::RpcClient;
use crate::chain::settings::ChainSettings;
use crate::pages::positions::model::markets_for;
use crate::pages::positions::{aggregate, resolve_market};
use crate::wallet::chains::parse_chain_id;
use crate::wallet::{Wallet, WalletError};

/// The user's position on one market, read at one block.
#[derive(Debug, Clone, PartialEq)]
pub struct LivePosition {
    pub scenario: Scenario,
    /// The chain's own `getUserAccountData`.
    pub account: AccountData,
    pub tokens: Vec<TokenInfo>,
    /// The market's Pool: the address book's, or on a local chain the one the
    /// settings' PoolAddressesProvider names.
    pub pool: Address,
    pub market: String,
    /// The block's timestamp.
    pub timestamp: u64,
    /// When the read started, on the page's clock (ms): its age is shown.
    pub read_at_ms: f64,
    /// The market's e-mode categories' labels by id, as the chain names them.
    pub emode_labels: Vec<(u8, String)>,
}

/// Reads `owner`'s position on the chain's (first) Aave V3 market.
pub async fn read_live(settings: &ChainSettings, chain_id: u64, owner: Address) -> Result<LivePosition, String> {
    let read_at_ms = js_sys::Date::now();
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
    };
    let mut emode_labels: Vec<(u8, String)> =
        reserves.reserves.iter().map(|r| (r.emode.id, r.emode.label.clone())).collect();
    if plan.layout.emodes_from_provider() {
        if let Some(CallOutcome::Success(data)) = second.get(2) {
            // Labels only: the scenario read already judged these categories.
            let read = aave_reader::periphery_origin::decode_emodes(data).unwrap_or_default();
            emode_labels.extend(read.into_iter().map(|c| (c.id, c.label)));
        }
    }
    emode_labels.retain(|(id, label)| *id != 0 && !label.is_empty());
    let tokens = reserves
        .reserves
        .into_iter()
        .map(|r| TokenInfo { address: r.underlying, symbol: r.symbol, decimals: r.decimals.saturating_to::<u8>() })
        .collect();
    Ok(LivePosition {
        scenario: read.scenario,
        account: read.chain_account,
        tokens,
        pool: addresses.pool,
        market: market.name.clone(),
        timestamp: read.timestamp,
        read_at_ms,
        emode_labels,
    })
}

/// Each token's balance, allowance for the Pool, debt and permit support, in one batch.
pub async fn read_assets(
    settings: &ChainSettings,
    chain_id: u64,
    position: &LivePosition,
    owner: Address,
    tokens: &[TokenInfo],
) -> Result<Vec<AssetState>, String> {
    // An e-mode change pulls no token: nothing to read (and no batch of nothing).
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let client = RpcClient::from_settings(settings, chain_id).map_err(|e| e.to_string())?;
    let calls: Vec<_> = tokens.iter().flat_map(|t| asset_calls(t.address, owner, position.pool)).collect();
    let outcomes = aggregate(&client, &calls).await?;
    let per = (calls.len() / tokens.len()).max(1);
    tokens
        .iter()
        .zip(outcomes.chunks(per))
        .map(|(t, o)| asset_state(t, o, debt_units(&position.scenario, t), chain_id))
        .collect()
}

fn bad(e: impl std::fmt::Display) -> WalletError {
    WalletError::BadAnswer(e.to_string())
}

/// A JSON-RPC request built by ballast-chain, asked of the wallet.
async fn ask(wallet: Wallet, request: Request) -> Result<Value, WalletError> {
    wallet.request(request.method, request.params).await
}

/// `eth_call` from the user's address through the wallet, at the latest block.
pub async fn simulate(wallet: Wallet, from: Address, tx: &TxRequest) -> Result<Value, WalletError> {
    ask(wallet, Request::eth_call_from(0, from, tx, BlockTag::Latest)).await
}

/// `eth_estimateGas` and the EIP-1559 fee (`ballast_chain::tx_fees`), through the wallet.
pub async fn quote(wallet: Wallet, from: Address, tx: &TxRequest) -> Result<FeeQuote, WalletError> {
    let estimate = ask(wallet, Request::estimate_gas(0, from, tx)).await?;
    let gas = decode_gas_estimate(&estimate).map_err(bad)?;
    let history = ask(wallet, Request::fee_history(0, FEE_HISTORY_BLOCKS, BlockTag::Latest, &[TIP_PERCENTILE])).await?;
    let history = decode_fee_history(&history).map_err(bad)?;
    // Not every wallet answers it; the fee history's median tip stands in.
    let tip = match ask(wallet, Request::max_priority_fee(0)).await {
        Ok(v) => Some(decode_max_priority_fee(&v).map_err(bad)?),
        Err(WalletError::Unsupported { .. }) => None,
        Err(e) => return Err(e),
    };
    FeeQuote::new(&history, tip, gas).map_err(bad)
}

/// The account's next nonce, counting its pending transactions: what a
/// transaction sent now will most likely use.
pub async fn next_nonce(wallet: Wallet, from: Address) -> Result<u64, WalletError> {
    let count = ask(wallet, Request::transaction_count(0, from, BlockTag::Pending)).await?;
    decode_transaction_count(&count).map_err(bad)
}

/// `eth_sendTransaction` with the quoted gas limit and fees, for `chain_id`.
pub async fn send(
    wallet: Wallet,
    from: Address,
    tx: &TxRequest,
    chain_id: u64,
    fees: &FeeQuote,
) -> Result<B256, WalletError> {
    let hash = wallet.request("eth_sendTransaction", send_transaction_params(from, tx, chain_id, fees)).await?;
    decode_transaction_hash(&hash).map_err(bad)
}

/// Polls of the settings' node before the next step is checked anyway.
const HEAD_POLLS: u32 = 25;

/// Waits until the settings' node has `block` (a receipt's), so the position
/// read next includes the transaction and is not one block behind. Gives up
/// quietly after [`HEAD_POLLS`] polls: the next check then says what it reads.
pub async fn wait_for_block(settings: &ChainSettings, chain_id: u64, block: u64) {
    let Ok(client) = RpcClient::from_settings(settings, chain_id) else { return };
    let client = &client;
    let head = || async move {
        let mut answers = client.batch(&[Request::latest_block(1)]).await.ok()?;
        let block = ballast_chain::jsonrpc::decode_block(&answers.pop()?.ok()?).ok()?;
        Some(block.number)
    };
    wait_until_block(block, HEAD_POLLS, head, || sleep_ms(200)).await;
}

/// Polls in a row that may fail (a node hiccup, a wallet busy) before
/// following the hash is given up and the step left pending.
const WAIT_FAULTS_TOLERATED: u32 = 5;

/// Follows `hash` on `chain_id` until it is mined or its nonce is used by
/// another transaction. Its nonce is the node's when the node knows the
/// transaction, else `expected_nonce` (read before sending).
///
/// Once a hash exists the transaction may be mined, so nothing here ever says
/// it was not sent: when the wallet moves to another chain (whose receipts and
/// nonces say nothing about this one) or keeps failing, it stays `Pending`,
/// and the user follows the hash instead of being invited to send again.
pub async fn wait(wallet: Wallet, hash: B256, from: Address, expected_nonce: u64, chain_id: u64) -> TxProgress {
    let mut nonce = None;
    let mut faults = 0;
    loop {
        match poll(wallet, hash, from, expected_nonce, chain_id, &mut nonce).await {
            Ok(Some(done)) => return done,
            Ok(None) => faults = 0,
            Err(Unfollowable::OtherChain) => return TxProgress::Pending,
            Err(Unfollowable::Fault) => {
                faults += 1;
                if faults >= WAIT_FAULTS_TOLERATED {
                    return TxProgress::Pending;
                }
            }
        }
        sleep_ms(400).await;
    }
}

/// Why one poll could not judge the transaction.
enum Unfollowable {
    /// The wallet is on another chain now.
    OtherChain,
    /// A request failed or answered nonsense.
    Fault,
}

/// One look at the transaction; `None` while it is pending.
async fn poll(
    wallet: Wallet,
    hash: B256,
    from: Address,
    expected_nonce: u64,
    chain_id: u64,
    nonce: &mut Option<u64>,
) -> Result<Option<TxProgress>, Unfollowable> {
    on_chain(wallet, chain_id).await?;
    if nonce.is_none() {
        let seen = ask(wallet, Request::transaction_by_hash(0, hash)).await.map_err(|_| Unfollowable::Fault)?;
        *nonce = decode_transaction(&seen).map_err(|_| Unfollowable::Fault)?.map(|t| t.nonce);
    }
    // The nonce before the receipt: a transaction mined in between shows as mined, never replaced.
    let mined =
        ask(wallet, Request::transaction_count(0, from, BlockTag::Latest)).await.map_err(|_| Unfollowable::Fault)?;
    let mined = decode_transaction_count(&mined).map_err(|_| Unfollowable::Fault)?;
    let receipt = ask(wallet, Request::transaction_receipt(0, hash)).await.map_err(|_| Unfollowable::Fault)?;
    let receipt = decode_receipt(&receipt).map_err(|_| Unfollowable::Fault)?;
    // Answers read while the wallet switched chains say nothing about this one.
    on_chain(wallet, chain_id).await?;
    Ok(match tx_progress(receipt.as_ref(), mined, nonce.unwrap_or(expected_nonce)) {
        TxProgress::Pending => None,
        done => Some(done),
    })
}

/// Whether the wallet still answers for `chain_id`.
async fn on_chain(wallet: Wallet, chain_id: u64) -> Result<(), Unfollowable> {
    let answer = wallet.request("eth_chainId", Value::Array(vec![])).await.map_err(|_| Unfollowable::Fault)?;
    match parse_chain_id(&answer) {
        Some(id) if id == chain_id => Ok(()),
        Some(_) => Err(Unfollowable::OtherChain),
        None => Err(Unfollowable::Fault),
    }
}
