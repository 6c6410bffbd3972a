//! JSON-RPC for sending a transaction and following it: the simulation
//! (`eth_call` and `eth_estimateGas` from the user's address), the nonce,
//! `eth_sendTransaction`'s params, and the receipt. The requests are
//! [`crate::jsonrpc::Request`]s, so they batch and parse like the oracle layer's; a
//! wallet (EIP-1193 `request({ method, params })`) takes the same method and
//! params.
//!
//! Following a sent transaction ([`tx_progress`]): a receipt means it was
//! mined (status 1 confirmed, 0 failed); no receipt while the account's mined
//! nonce has passed the transaction's means another transaction with the
//! same nonce was mined instead (replaced or cancelled in the wallet).

use alloy_primitives::{hex, Address, B256, U256};
use serde_json::{json, Map, Value};

use crate::aave_actions::TxRequest;
use crate::jsonrpc::{kind, quantity, truncate, BlockTag, Request, RpcError};

/// The call object of `eth_call` / `eth_estimateGas` / `eth_sendTransaction`.
pub fn call_object(from: Address, tx: &TxRequest) -> Map<String, Value> {
    let mut call = Map::new();
    call.insert("from".into(), json!(from.to_checksum(None)));
    call.insert("to".into(), json!(tx.to.to_checksum(None)));
    call.insert("data".into(), json!(hex::encode_prefixed(&tx.data)));
    call.insert("value".into(), json!(format!("{:#x}", tx.value)));
    call
}

impl Request {
    /// `eth_call` of `tx` as `from` would send it: the simulation before signing.
    pub fn eth_call_from(id: u64, from: Address, tx: &TxRequest, block: BlockTag) -> Self {
        Self { id, method: "eth_call", params: json!([call_object(from, tx), block.to_json()]) }
    }

    /// `eth_estimateGas` of `tx` from `from`, against the pending state.
    pub fn estimate_gas(id: u64, from: Address, tx: &TxRequest) -> Self {
        Self { id, method: "eth_estimateGas", params: json!([call_object(from, tx)]) }
    }

    /// `eth_getTransactionCount(address, block)`: `Latest` counts mined
    /// transactions (to tell a replaced one), `Pending` the next nonce to use.
    pub fn transaction_count(id: u64, address: Address, block: BlockTag) -> Self {
        Self { id, method: "eth_getTransactionCount", params: json!([address.to_checksum(None), block.to_json()]) }
    }

    pub fn transaction_receipt(id: u64, hash: B256) -> Self {
        Self { id, method: "eth_getTransactionReceipt", params: json!([hash.to_string()]) }
    }

    pub fn transaction_by_hash(id: u64, hash: B256) -> Self {
        Self { id, method: "eth_getTransactionByHash", params: json!([hash.to_string()]) }
    }

    /// `eth_feeHistory` over the last `block_count` blocks up to `newest`,
    /// with the priority fees paid at `percentiles` (0–100, ascending).
    pub fn fee_history(id: u64, block_count: u64, newest: BlockTag, percentiles: &[u8]) -> Self {
        Self {
            id,
            method: "eth_feeHistory",
            params: json!([format!("{block_count:#x}"), newest.to_json(), percentiles]),
        }
    }

    pub fn max_priority_fee(id: u64) -> Self {
        Self { id, method: "eth_maxPriorityFeePerGas", params: json!([]) }
    }
}

/// `eth_sendTransaction`'s params: `tx` from `from`, an EIP-1559 (type 2)
/// transaction with the gas limit and fees of `fees` and the chain id, so a
/// wallet on another chain refuses it rather than sending it there.
pub fn send_transaction_params(from: Address, tx: &TxRequest, chain_id: u64, fees: &crate::tx_fees::FeeQuote) -> Value {
    let mut call = call_object(from, tx);
    call.insert("gas".into(), json!(format!("{:#x}", fees.gas_limit)));
    call.insert("maxFeePerGas".into(), json!(format!("{:#x}", fees.max_fee_per_gas)));
    call.insert("maxPriorityFeePerGas".into(), json!(format!("{:#x}", fees.max_priority_fee_per_gas)));
    call.insert("type".into(), json!("0x2"));
    call.insert("chainId".into(), json!(format!("{chain_id:#x}")));
    json!([call])
}

/// A quantity up to 256 bits (fees, values): `"0x"` and 1 to 64 hex digits.
pub(crate) fn quantity_u256(value: &Value, method: &'static str) -> Result<U256, RpcError> {
    let bad = |reason: String| RpcError::BadResult { method, reason };
    let text = value.as_str().ok_or_else(|| bad(format!("{} instead of a hex quantity", kind(value))))?;
    let digits = text.strip_prefix("0x").ok_or_else(|| bad(format!("{:?}, which lacks 0x", truncate(text))))?;
    if digits.is_empty() || digits.len() > 64 {
        return Err(bad(format!("{:?}, not a 256-bit quantity", truncate(text))));
    }
    U256::from_str_radix(digits, 16).map_err(|_| bad(format!("{:?}, not hex", truncate(text))))
}

fn hash(value: &Value, method: &'static str) -> Result<B256, RpcError> {
    let bad = |reason: String| RpcError::BadResult { method, reason };
    let text = value.as_str().ok_or_else(|| bad(format!("{} instead of a hash", kind(value))))?;
    text.parse::<B256>().map_err(|_| bad(format!("hash {:?}", truncate(text))))
}

/// `eth_estimateGas`'s result, in gas.
pub fn decode_gas_estimate(result: &Value) -> Result<u64, RpcError> {
    quantity(result, "eth_estimateGas")
}

/// `eth_getTransactionCount`'s result: a nonce.
pub fn decode_transaction_count(result: &Value) -> Result<u64, RpcError> {
    quantity(result, "eth_getTransactionCount")
}

/// `eth_sendTransaction`'s result: the transaction hash.
pub fn decode_transaction_hash(result: &Value) -> Result<B256, RpcError> {
    hash(result, "eth_sendTransaction")
}

/// Whether a mined transaction did what it was sent to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptStatus {
    Success,
    /// Mined, but reverted: nothing changed except the gas paid.
    Reverted,
}

/// The parts of a receipt Ballast shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    pub transaction_hash: B256,
    pub block_number: u64,
    pub status: ReceiptStatus,
    pub gas_used: u64,
    /// Wei per gas actually paid (base fee + the tip given).
    pub effective_gas_price: U256,
}

impl Receipt {
    /// What the transaction cost, in wei.
    pub fn fee_wei(&self) -> U256 {
        U256::from(self.gas_used).saturating_mul(self.effective_gas_price)
    }
}

/// `eth_getTransactionReceipt`'s result; `None` (`null`) while not mined.
pub fn decode_receipt(result: &Value) -> Result<Option<Receipt>, RpcError> {
    const METHOD: &str = "eth_getTransactionReceipt";
    let bad = |reason: String| RpcError::BadResult { method: METHOD, reason };
    let receipt = match result {
        Value::Null => return Ok(None),
        Value::Object(receipt) => receipt,
        other => return Err(bad(format!("{} instead of a receipt", kind(other)))),
    };
    let field = |name: &str| receipt.get(name).ok_or_else(|| bad(format!("a receipt without {name}")));
    let status = match quantity(field("status")?, METHOD)? {
        1 => ReceiptStatus::Success,
        0 => ReceiptStatus::Reverted,
        other => return Err(bad(format!("status {other}, neither 0 nor 1"))),
    };
    Ok(Some(Receipt {
        transaction_hash: hash(field("transactionHash")?, METHOD)?,
        block_number: quantity(field("blockNumber")?, METHOD)?,
        status,
        gas_used: quantity(field("gasUsed")?, METHOD)?,
        effective_gas_price: quantity_u256(field("effectiveGasPrice")?, METHOD)?,
    }))
}

/// A transaction as `eth_getTransactionByHash` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenTransaction {
    pub hash: B256,
    pub from: Address,
    pub nonce: u64,
    /// `None` while pending.
    pub block_number: Option<u64>,
}

/// `eth_getTransactionByHash`'s result; `None` when the node does not know
/// the hash (not yet propagated, dropped, or replaced).
pub fn decode_transaction(result: &Value) -> Result<Option<SeenTransaction>, RpcError> {
    const METHOD: &str = "eth_getTransactionByHash";
    let bad = |reason: String| RpcError::BadResult { method: METHOD, reason };
    let tx = match result {
        Value::Null => return Ok(None),
        Value::Object(tx) => tx,
        other => return Err(bad(format!("{} instead of a transaction", kind(other)))),
    };
    let field = |name: &str| tx.get(name).ok_or_else(|| bad(format!("a transaction without {name}")));
    let from_text = field("from")?.as_str().ok_or_else(|| bad("a from that is not a string".into()))?;
    let block_number = match tx.get("blockNumber") {
        None | Some(Value::Null) => None,
        Some(number) => Some(quantity(number, METHOD)?),
    };
    Ok(Some(SeenTransaction {
        hash: hash(field("hash")?, METHOD)?,
        from: from_text.parse().map_err(|_| bad(format!("from {:?}", truncate(from_text))))?,
        nonce: quantity(field("nonce")?, METHOD)?,
        block_number,
    }))
}

/// Where a sent transaction stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxProgress {
    Pending,
    Confirmed(Receipt),
    /// Mined and reverted: decode why with an `eth_call` at its block.
    Failed(Receipt),
    /// Its nonce was used by another transaction (sped up, cancelled or
    /// replaced in the wallet): it will never be mined.
    Replaced,
}

/// The transaction sent with nonce `sent_nonce`: its `receipt` (if any), and
/// `mined_nonce`, the sender's `eth_getTransactionCount` at `latest`. Read
/// the nonce before the receipt (or in one batch): a transaction mined
/// between the two reads then shows as mined, never as replaced.
pub fn tx_progress(receipt: Option<&Receipt>, mined_nonce: u64, sent_nonce: u64) -> TxProgress {
    match receipt {
        Some(r) if r.status == ReceiptStatus::Success => TxProgress::Confirmed(*r),
        Some(r) => TxProgress::Failed(*r),
        None if mined_nonce > sent_nonce => TxProgress::Replaced,
        None => TxProgress::Pending,
    }
}

/// The results of a simulation batch: `eth_call` (`Ok` = would succeed) and
/// `eth_estimateGas`, as [`crate::jsonrpc::parse_batch`] returns them.
pub fn read_simulation(
    call: Result<Value, RpcError>,
    estimate: Result<Value, RpcError>,
) -> Result<u64, SimulationError> {
    let revert = |e: RpcError| match &e {
        RpcError::Node(node) => match crate::revert::decode_node_error(node) {
            Some(reason) => SimulationError::Reverts(reason),
            None => SimulationError::Rpc(e),
        },
        _ => SimulationError::Rpc(e),
    };
    call.map_err(revert)?;
    let gas = estimate.map_err(revert)?;
    decode_gas_estimate(&gas).map_err(SimulationError::Rpc)
}

/// Why a simulated transaction should not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimulationError {
    #[error("the transaction would fail: {0}")]
    Reverts(crate::revert::RevertReason),
    #[error("the simulation could not run: {0}")]
    Rpc(RpcError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aave_actions::{pool_tx, AaveAction, ActionAmount};
    use crate::jsonrpc;
    use crate::revert::RevertReason;
    use crate::tx_fees::FeeQuote;
    use alloy_primitives::address;

    const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

    fn repay_max() -> TxRequest {
        pool_tx(POOL, USER, &AaveAction::Repay { asset: USDC, amount: ActionAmount::Max }).unwrap()
    }

    #[test]
    fn simulation_requests_carry_the_sender() {
        let call = Request::eth_call_from(1, USER, &repay_max(), BlockTag::Latest);
        assert_eq!(call.method, "eth_call");
        assert_eq!(call.params[0]["from"], "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        assert_eq!(call.params[0]["to"], "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
        assert_eq!(call.params[0]["value"], "0x0");
        assert!(call.params[0]["data"].as_str().unwrap().starts_with("0x573ade81"));
        assert_eq!(call.params[1], "latest");
        let estimate = Request::estimate_gas(2, USER, &repay_max());
        assert_eq!(estimate.params.as_array().map(Vec::len), Some(1));
        assert_eq!(estimate.params[0], call.params[0]);
        let nonce = Request::transaction_count(3, USER, BlockTag::Pending);
        assert_eq!(nonce.params, json!(["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "pending"]));
        assert_eq!(Request::fee_history(4, 5, BlockTag::Latest, &[50]).params, json!(["0x5", "latest", [50]]));
        assert!(jsonrpc::batch_body(&[call, estimate, nonce]).is_ok());
    }

    #[test]
    fn send_params_are_a_type_2_transaction_on_the_chain() {
        let fees = FeeQuote {
            next_base_fee_per_gas: 10_000_000_000,
            max_priority_fee_per_gas: 1_500_000_000,
            max_fee_per_gas: 21_500_000_000,
            gas_estimate: 200_000,
            gas_limit: 240_000,
        };
        let params = send_transaction_params(USER, &repay_max(), 8453, &fees);
        let tx = &params[0];
        assert_eq!(tx["gas"], "0x3a980");
        assert_eq!(tx["maxFeePerGas"], "0x5017ff700");
        assert_eq!(tx["maxPriorityFeePerGas"], "0x59682f00");
        assert_eq!(tx["chainId"], "0x2105");
        assert_eq!(tx["type"], "0x2");
        assert_eq!(tx["from"], "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    }

    #[test]
    fn receipts_and_their_absence() {
        let receipt = json!({
            "transactionHash": format!("0x{}", "ab".repeat(32)),
            "blockNumber": "0x10",
            "status": "0x1",
            "gasUsed": "0x30d40",
            "effectiveGasPrice": "0x3b9aca00",
            "logs": [],
        });
        let decoded = decode_receipt(&receipt).unwrap().unwrap();
        assert_eq!(decoded.block_number, 16);
        assert_eq!(decoded.gas_used, 200_000);
        assert_eq!(decoded.fee_wei(), U256::from(200_000u64 * 1_000_000_000));
        assert_eq!(decoded.status, ReceiptStatus::Success);
        assert_eq!(decode_receipt(&Value::Null), Ok(None));
        let with_status = |status: &str| {
            let mut changed = receipt.clone();
            changed["status"] = json!(status);
            changed
        };
        assert_eq!(decode_receipt(&with_status("0x0")).unwrap().unwrap().status, ReceiptStatus::Reverted);
        for bad in [with_status("0x2"), json!("0x1"), json!({ "status": "0x1" })] {
            assert!(decode_receipt(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn progress_tells_pending_mined_failed_and_replaced() {
        let mined = Receipt {
            transaction_hash: B256::repeat_byte(1),
            block_number: 9,
            status: ReceiptStatus::Success,
            gas_used: 1,
            effective_gas_price: U256::from(1u8),
        };
        let failed = Receipt { status: ReceiptStatus::Reverted, ..mined };
        assert_eq!(tx_progress(None, 5, 5), TxProgress::Pending);
        assert_eq!(tx_progress(None, 6, 5), TxProgress::Replaced);
        assert_eq!(tx_progress(Some(&mined), 6, 5), TxProgress::Confirmed(mined));
        assert_eq!(tx_progress(Some(&failed), 6, 5), TxProgress::Failed(failed));
    }

    #[test]
    fn transactions_by_hash() {
        let pending = json!({
            "hash": format!("0x{}", "cd".repeat(32)),
            "from": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
            "nonce": "0x7",
            "blockNumber": null,
        });
        let seen = decode_transaction(&pending).unwrap().unwrap();
        assert_eq!((seen.from, seen.nonce, seen.block_number), (USER, 7, None));
        assert_eq!(decode_transaction(&Value::Null), Ok(None));
        assert!(decode_transaction(&json!({ "hash": "0x12", "from": "x", "nonce": "0x1" })).is_err());
        assert_eq!(decode_transaction_hash(&json!(format!("0x{}", "cd".repeat(32)))), Ok(seen.hash));
    }

    #[test]
    fn a_simulation_says_why_it_would_fail() {
        let revert_35 = r#"{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted: 35","data":"0x08c379a0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000023335000000000000000000000000000000000000000000000000000000000000"}}"#;
        let call = jsonrpc::parse_response(revert_35, 1);
        let estimate = jsonrpc::parse_response(&revert_35.replace(r#""id":1"#, r#""id":2"#), 2);
        let Err(SimulationError::Reverts(RevertReason::AaveCode { code: 35, .. })) = read_simulation(call, estimate)
        else {
            panic!("expected Aave error 35")
        };
        let ok = read_simulation(Ok(json!("0x")), Ok(json!("0x30d40")));
        assert_eq!(ok, Ok(200_000));
        let down = read_simulation(Ok(json!("0x")), Err(RpcError::Missing(2)));
        assert_eq!(down, Err(SimulationError::Rpc(RpcError::Missing(2))));
    }

    #[test]
    fn big_quantities_are_bounded() {
        assert_eq!(quantity_u256(&json!("0xff"), "m"), Ok(U256::from(255u16)));
        assert!(quantity_u256(&json!(format!("0x1{}", "0".repeat(64))), "m").is_err());
        assert!(quantity_u256(&json!("0x"), "m").is_err());
        assert!(quantity_u256(&json!(12), "m").is_err());
    }
}
