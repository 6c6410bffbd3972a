//! JSON-RPC 2.0 for the three reads the oracle layer needs: `eth_call` at a
//! block, `eth_chainId`, and the latest block's number and timestamp.
//!
//! Requests are built here and sent by the app; responses come back as text
//! from a node we do not control, so every parser bounds its input, matches
//! batch responses to requests by id (nodes may answer in any order) and turns
//! anything unexpected into an [`RpcError`] instead of a panic.

use std::collections::HashMap;

use alloy_primitives::{hex, Address, Bytes, B256};
use serde::Deserialize;
use serde_json::{json, Value};

/// Largest response body read. A batch of a few dozen `eth_call`s through
/// Multicall3 is tens of kilobytes; anything near this is not an answer.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Most requests in one batch, sent or accepted back.
pub const MAX_BATCH_LEN: usize = 100;
/// Error messages and non-hex error data are cut to this many characters.
const MAX_TEXT_CHARS: usize = 1_000;

/// Which block an `eth_call` or a block read is made against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockTag {
    Latest,
    /// The latest block plus the node's pending pool: what a nonce is counted against.
    Pending,
    Safe,
    Finalized,
    Number(u64),
    /// EIP-1898: pins the call to the exact block whose timestamp was read.
    Hash(B256),
}

impl BlockTag {
    pub(crate) fn to_json(self) -> Value {
        match self {
            Self::Latest => json!("latest"),
            Self::Pending => json!("pending"),
            Self::Safe => json!("safe"),
            Self::Finalized => json!("finalized"),
            Self::Number(n) => json!(format!("{n:#x}")),
            Self::Hash(hash) => json!({ "blockHash": hash.to_string() }),
        }
    }
}

/// One JSON-RPC 2.0 request. The id is the caller's: in a batch it is how a
/// response finds its request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: u64,
    pub method: &'static str,
    pub params: Value,
}

impl Request {
    /// `eth_call` of `data` on `to` at `block`.
    pub fn eth_call(id: u64, to: Address, data: &[u8], block: BlockTag) -> Self {
        let call = json!({ "to": hex::encode_prefixed(to), "data": hex::encode_prefixed(data) });
        Self { id, method: "eth_call", params: json!([call, block.to_json()]) }
    }

    pub fn chain_id(id: u64) -> Self {
        Self { id, method: "eth_chainId", params: json!([]) }
    }

    /// `eth_getBlockByNumber("latest", false)`: the header without transactions.
    pub fn latest_block(id: u64) -> Self {
        Self { id, method: "eth_getBlockByNumber", params: json!(["latest", false]) }
    }

    pub fn to_json(&self) -> Value {
        json!({ "jsonrpc": "2.0", "id": self.id, "method": self.method, "params": self.params })
    }

    /// The request as a body to POST.
    pub fn body(&self) -> String {
        self.to_json().to_string()
    }
}

/// A batch body: the requests as one JSON array. Ids must be distinct, or the
/// responses could not be told apart.
pub fn batch_body(requests: &[Request]) -> Result<String, RpcError> {
    check_batch_ids(requests.iter().map(|r| r.id))?;
    Ok(Value::Array(requests.iter().map(Request::to_json).collect()).to_string())
}

fn check_batch_ids(ids: impl ExactSizeIterator<Item = u64>) -> Result<(), RpcError> {
    let len = ids.len();
    if len == 0 || len > MAX_BATCH_LEN {
        return Err(RpcError::BatchSize(len));
    }
    let mut seen = std::collections::HashSet::with_capacity(len);
    for id in ids {
        if !seen.insert(id) {
            return Err(RpcError::DuplicateRequestId(id));
        }
    }
    Ok(())
}

/// An error object from the node, with what its `data` carried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("node error {code}: {message}{}", self.detail())]
pub struct NodeError {
    pub code: i64,
    pub message: String,
    pub data: ErrorData,
}

/// The `data` member of an error object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorData {
    None,
    /// The contract's revert data (`Error(string)`, `Panic(uint256)` or a custom error).
    Revert(Bytes),
    /// Anything else, as text, cut to a bounded length.
    Other(String),
}

impl NodeError {
    /// Revert data, when the node passed it on.
    pub fn revert_data(&self) -> Option<&Bytes> {
        match &self.data {
            ErrorData::Revert(data) => Some(data),
            _ => None,
        }
    }

    /// The revert reason in words, for `Error(string)` and `Panic(uint256)`.
    pub fn revert_reason(&self) -> Option<String> {
        self.revert_data().and_then(|data| alloy_sol_types::decode_revert_reason(data))
    }

    fn detail(&self) -> String {
        match (&self.data, self.revert_reason()) {
            (_, Some(reason)) => format!(" ({reason})"),
            (ErrorData::Revert(data), None) => format!(" (revert data {data})"),
            (ErrorData::Other(text), None) => format!(" ({text})"),
            (ErrorData::None, None) => String::new(),
        }
    }
}

/// Why a JSON-RPC exchange gave no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RpcError {
    #[error("the response is {len} bytes, more than the {MAX_BODY_BYTES} read")]
    TooLarge { len: usize },
    #[error("the response is not JSON-RPC 2.0: {0}")]
    Malformed(String),
    #[error(transparent)]
    Node(NodeError),
    #[error("the node sent no response for request {0}")]
    Missing(u64),
    #[error("the node answered request {0}, which was not sent")]
    UnexpectedId(String),
    #[error("the node answered request {0} twice")]
    DuplicateResponse(u64),
    #[error("the response to request {0} has neither a result nor an error")]
    NoResult(u64),
    #[error("a batch holds 1 to {MAX_BATCH_LEN} requests, not {0}")]
    BatchSize(usize),
    #[error("request id {0} is used twice in one batch")]
    DuplicateRequestId(u64),
    #[error("{method} returned {reason}")]
    BadResult { method: &'static str, reason: String },
    #[error("the node does not have the requested block")]
    BlockNotFound,
}

/// The result of a single (non-batch) request with id `id`.
pub fn parse_response(body: &str, id: u64) -> Result<Value, RpcError> {
    parse_batch(body, &[id])?.pop().unwrap_or(Err(RpcError::Missing(id)))
}

/// The results of a batch, in the order of `ids` (the requests' ids), however
/// the node ordered them. The outer error is for the batch as a whole: a body
/// that is not JSON-RPC, a response to a request never sent, or an error the
/// node could not attribute to one request. The inner ones are per request.
pub fn parse_batch(body: &str, ids: &[u64]) -> Result<Vec<Result<Value, RpcError>>, RpcError> {
    check_batch_ids(ids.iter().copied())?;
    if body.len() > MAX_BODY_BYTES {
        return Err(RpcError::TooLarge { len: body.len() });
    }
    let parsed: Value = serde_json::from_str(body).map_err(|e| RpcError::Malformed(e.to_string()))?;
    let elements = match parsed {
        Value::Array(elements) => elements,
        // Some nodes answer a one-request batch, or reject a whole batch, with a lone object.
        object @ Value::Object(_) => vec![object],
        other => return Err(RpcError::Malformed(format!("expected an object or an array, got {}", kind(&other)))),
    };
    if elements.len() > MAX_BATCH_LEN {
        return Err(RpcError::Malformed(format!("{} responses to {} requests", elements.len(), ids.len())));
    }

    let mut by_id: HashMap<u64, Result<Value, RpcError>> = HashMap::with_capacity(elements.len());
    for element in elements {
        let raw: RawResponse = serde_json::from_value(element).map_err(|e| RpcError::Malformed(e.to_string()))?;
        if raw.jsonrpc.as_deref() != Some("2.0") {
            return Err(RpcError::Malformed(format!("jsonrpc is {:?}, not \"2.0\"", raw.jsonrpc)));
        }
        if raw.id.is_null() {
            // No id: the node failed the request (or the batch) before reading an id.
            return Err(match raw.error {
                Some(error) => RpcError::Node(error.into_node_error()),
                None => RpcError::UnexpectedId("null".into()),
            });
        }
        let id = match &raw.id {
            Value::Number(n) => {
                n.as_u64().filter(|id| ids.contains(id)).ok_or_else(|| RpcError::UnexpectedId(n.to_string()))?
            }
            other => return Err(RpcError::UnexpectedId(truncate(&other.to_string()))),
        };
        let outcome = match (raw.result, raw.error) {
            (_, Some(error)) => Err(RpcError::Node(error.into_node_error())),
            (Some(result), None) => Ok(result),
            (None, None) => Err(RpcError::NoResult(id)),
        };
        if by_id.insert(id, outcome).is_some() {
            return Err(RpcError::DuplicateResponse(id));
        }
    }
    Ok(ids.iter().map(|id| by_id.remove(id).unwrap_or(Err(RpcError::Missing(*id)))).collect())
}

#[derive(Deserialize)]
struct RawResponse {
    #[serde(default)]
    jsonrpc: Option<String>,
    #[serde(default)]
    id: Value,
    /// `Some(Value::Null)` for `"result": null`, which is an answer (no such block).
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default)]
    error: Option<RawError>,
}

fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

#[derive(Deserialize)]
struct RawError {
    code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    data: Option<Value>,
}

impl RawError {
    fn into_node_error(self) -> NodeError {
        NodeError { code: self.code, message: truncate(&self.message), data: error_data(self.data) }
    }
}

/// Revert data arrives as `"0x…"` (Geth, Reth, Erigon, most providers),
/// `"Reverted 0x…"` (Nethermind) or `{"data": "0x…"}` (Hardhat, Ganache).
fn error_data(data: Option<Value>) -> ErrorData {
    match data {
        None | Some(Value::Null) => ErrorData::None,
        Some(Value::String(text)) => {
            let candidate = text.strip_prefix("Reverted ").unwrap_or(&text).trim();
            match candidate.strip_prefix("0x").map(hex::decode) {
                Some(Ok(bytes)) => ErrorData::Revert(bytes.into()),
                _ => ErrorData::Other(truncate(&text)),
            }
        }
        Some(Value::Object(mut object)) => match object.remove("data") {
            Some(inner @ Value::String(_)) => error_data(Some(inner)),
            _ => ErrorData::Other(truncate(&Value::Object(object).to_string())),
        },
        Some(other) => ErrorData::Other(truncate(&other.to_string())),
    }
}

pub(crate) fn truncate(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `eth_chainId`'s result.
pub fn decode_chain_id(result: &Value) -> Result<u64, RpcError> {
    quantity(result, "eth_chainId")
}

/// `eth_call`'s result: the return data (`"0x"` is empty, which callers must
/// tell apart from a value; see [`crate::decode_return`]).
pub fn decode_call_result(result: &Value) -> Result<Bytes, RpcError> {
    let bad = |reason: String| RpcError::BadResult { method: "eth_call", reason };
    let text = result.as_str().ok_or_else(|| bad(format!("{} instead of hex data", kind(result))))?;
    let digits = text.strip_prefix("0x").ok_or_else(|| bad(format!("{:?}, which lacks 0x", truncate(text))))?;
    hex::decode(digits).map(Bytes::from).map_err(|e| bad(format!("invalid hex: {e}")))
}

/// The header fields the price status needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockHeader {
    pub number: u64,
    /// Seconds since the Unix epoch, as the block's producer set it.
    pub timestamp: u64,
    pub hash: B256,
}

/// `eth_getBlockByNumber`'s result. `null` means the node has no such block.
pub fn decode_block(result: &Value) -> Result<BlockHeader, RpcError> {
    const METHOD: &str = "eth_getBlockByNumber";
    let bad = |reason: String| RpcError::BadResult { method: METHOD, reason };
    let block = match result {
        Value::Null => return Err(RpcError::BlockNotFound),
        Value::Object(block) => block,
        other => return Err(bad(format!("{} instead of a block", kind(other)))),
    };
    let field = |name: &str| block.get(name).ok_or_else(|| bad(format!("a block without {name}")));
    let hash_text = field("hash")?.as_str().ok_or_else(|| bad("a hash that is not a string".into()))?;
    let hash = hash_text.parse::<B256>().map_err(|_| bad(format!("hash {:?}", truncate(hash_text))))?;
    Ok(BlockHeader {
        number: quantity(field("number")?, METHOD)?,
        timestamp: quantity(field("timestamp")?, METHOD)?,
        hash,
    })
}

/// A JSON-RPC quantity: `"0x"` and 1 to 16 hex digits.
pub(crate) fn quantity(value: &Value, method: &'static str) -> Result<u64, RpcError> {
    let bad = |reason: String| RpcError::BadResult { method, reason };
    let text = value.as_str().ok_or_else(|| bad(format!("{} instead of a hex quantity", kind(value))))?;
    let digits = text.strip_prefix("0x").ok_or_else(|| bad(format!("{:?}, which lacks 0x", truncate(text))))?;
    if digits.is_empty() || digits.len() > 16 {
        return Err(bad(format!("{:?}, not a 64-bit quantity", truncate(text))));
    }
    u64::from_str_radix(digits, 16).map_err(|_| bad(format!("{:?}, not hex", truncate(text))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, b256};

    #[test]
    fn eth_call_request_carries_hex_call_and_tag() {
        let request = Request::eth_call(
            7,
            address!("cA11bde05977b3631167028862bE2a173976CA11"),
            &[0xfe, 0xaf],
            BlockTag::Number(21_000_000),
        );
        assert_eq!(
            request.body(),
            r#"{"id":7,"jsonrpc":"2.0","method":"eth_call","params":[{"data":"0xfeaf","to":"0xca11bde05977b3631167028862be2a173976ca11"},"0x1406f40"]}"#
        );
        let pinned = Request::eth_call(1, Address::ZERO, &[], BlockTag::Hash(B256::repeat_byte(0xab)));
        assert_eq!(pinned.params[1]["blockHash"], format!("0x{}", "ab".repeat(32)));
        assert_eq!(Request::latest_block(2).params, json!(["latest", false]));
    }

    #[test]
    fn batch_body_refuses_duplicate_ids_and_empty_batches() {
        assert_eq!(batch_body(&[Request::chain_id(1), Request::latest_block(1)]), Err(RpcError::DuplicateRequestId(1)));
        assert_eq!(batch_body(&[]), Err(RpcError::BatchSize(0)));
        let body = batch_body(&[Request::chain_id(1), Request::latest_block(2)]).unwrap();
        assert!(body.starts_with('[') && body.contains("eth_chainId") && body.contains("eth_getBlockByNumber"));
    }

    /// A batch answered out of order, one request failed with a revert
    /// (`Error(string)` "Multicall3: call failed", as Geth reports it).
    #[test]
    fn batch_responses_are_matched_by_id_with_one_revert() {
        let revert = "0x08c379a0\
            0000000000000000000000000000000000000000000000000000000000000020\
            0000000000000000000000000000000000000000000000000000000000000017\
            4d756c746963616c6c333a2063616c6c206661696c6564000000000000000000";
        let body = format!(
            r#"[
              {{"jsonrpc":"2.0","id":3,"error":{{"code":3,"message":"execution reverted: Multicall3: call failed","data":"{revert}"}}}},
              {{"jsonrpc":"2.0","id":1,"result":"0x1"}},
              {{"jsonrpc":"2.0","id":2,"result":{{"number":"0x1406f40","timestamp":"0x6745f1a3","hash":"0x{}"}}}}
            ]"#,
            "11".repeat(32)
        );
        let results = parse_batch(&body, &[1, 2, 3]).unwrap();
        assert_eq!(decode_chain_id(results[0].as_ref().unwrap()), Ok(1));
        let block = decode_block(results[1].as_ref().unwrap()).unwrap();
        assert_eq!(block, BlockHeader { number: 21_000_000, timestamp: 1_732_637_091, hash: B256::repeat_byte(0x11) });
        let Err(RpcError::Node(error)) = &results[2] else { panic!("expected a node error, got {:?}", results[2]) };
        assert_eq!(error.code, 3);
        assert_eq!(error.revert_reason().as_deref(), Some("revert: Multicall3: call failed"));
        assert_eq!(
            error.to_string(),
            "node error 3: execution reverted: Multicall3: call failed (revert: Multicall3: call failed)"
        );
    }

    #[test]
    fn a_missing_response_fails_only_its_request() {
        let body = r#"[{"jsonrpc":"2.0","id":1,"result":"0x2105"}]"#;
        let results = parse_batch(body, &[1, 2]).unwrap();
        assert_eq!(decode_chain_id(results[0].as_ref().unwrap()), Ok(8453));
        assert_eq!(results[1], Err(RpcError::Missing(2)));
    }

    #[test]
    fn unknown_duplicate_and_unattributed_responses_fail_the_batch() {
        let unknown = r#"[{"jsonrpc":"2.0","id":9,"result":"0x1"}]"#;
        assert_eq!(parse_batch(unknown, &[1]), Err(RpcError::UnexpectedId("9".into())));
        let string_id = r#"{"jsonrpc":"2.0","id":"1","result":"0x1"}"#;
        assert_eq!(parse_batch(string_id, &[1]), Err(RpcError::UnexpectedId("\"1\"".into())));
        let twice = r#"[{"jsonrpc":"2.0","id":1,"result":"0x1"},{"jsonrpc":"2.0","id":1,"result":"0x2"}]"#;
        assert_eq!(parse_batch(twice, &[1]), Err(RpcError::DuplicateResponse(1)));
        // A provider refusing the batch outright (rate limit), with no id.
        let refused = r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32005,"message":"rate limit exceeded"}}"#;
        let Err(RpcError::Node(error)) = parse_batch(refused, &[1, 2]) else { panic!("expected a node error") };
        assert_eq!(
            (error.code, error.message.as_str(), &error.data),
            (-32005, "rate limit exceeded", &ErrorData::None)
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for body in ["", "<html>502 Bad Gateway</html>", "null", "42", "[1,2]", r#"{"id":1,"result":"0x1"}"#, "[[[[["] {
            assert!(parse_response(body, 1).is_err(), "{body:?} parsed");
        }
        let deep = "[".repeat(10_000);
        assert!(matches!(parse_response(&deep, 1), Err(RpcError::Malformed(_))));
        let huge = format!(r#"{{"jsonrpc":"2.0","id":1,"result":"0x{}"}}"#, "0".repeat(MAX_BODY_BYTES));
        assert_eq!(parse_response(&huge, 1), Err(RpcError::TooLarge { len: huge.len() }));
    }

    #[test]
    fn result_and_error_shapes() {
        let null_block = r#"{"jsonrpc":"2.0","id":1,"result":null}"#;
        assert_eq!(decode_block(&parse_response(null_block, 1).unwrap()), Err(RpcError::BlockNotFound));
        let neither = r#"{"jsonrpc":"2.0","id":1}"#;
        assert_eq!(parse_response(neither, 1), Err(RpcError::NoResult(1)));
        // Nethermind's form of revert data, and a custom error it cannot name.
        let nethermind = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32015,"message":"VM execution error.","data":"Reverted 0x1425ea42"}}"#;
        let Err(RpcError::Node(error)) = parse_response(nethermind, 1) else { panic!("expected a node error") };
        assert_eq!(error.revert_data().map(|d| d.to_vec()), Some(vec![0x14, 0x25, 0xea, 0x42]));
        assert_eq!(error.revert_reason(), None);
        let hardhat = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"Error","data":{"message":"reverted","data":"0x"}}}"#;
        let Err(RpcError::Node(error)) = parse_response(hardhat, 1) else { panic!("expected a node error") };
        assert_eq!(error.data, ErrorData::Revert(Bytes::new()));
        let text = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found","data":"block 0x1 unknown"}}"#;
        let Err(RpcError::Node(error)) = parse_response(text, 1) else { panic!("expected a node error") };
        assert_eq!(error.data, ErrorData::Other("block 0x1 unknown".into()));
    }

    #[test]
    fn quantities_and_call_data_are_checked() {
        assert_eq!(decode_chain_id(&json!("0xa4b1")), Ok(42161));
        for bad in [json!("0x"), json!("1"), json!("0x1ffffffffffffffff"), json!("0xzz"), json!(1)] {
            assert!(decode_chain_id(&bad).is_err(), "{bad} accepted");
        }
        assert_eq!(decode_call_result(&json!("0x")), Ok(Bytes::new()));
        assert_eq!(decode_call_result(&json!("0x0102")).unwrap().to_vec(), vec![1, 2]);
        assert!(decode_call_result(&json!("0x0")).is_err());
        let block = json!({"number":"0x10","timestamp":"0x20","hash":"0x0000000000000000000000000000000000000000000000000000000000000001"});
        assert_eq!(
            decode_block(&block).unwrap().hash,
            b256!("0000000000000000000000000000000000000000000000000000000000000001")
        );
        assert!(decode_block(&json!({"number":"0x10","hash":"0x00"})).is_err());
    }
}
