//! A JSON-RPC client for one chain: every exchange is a batch that also asks
//! `eth_chainId`, so an answer from a node on another chain is refused
//! rather than shown.

use ballast_chain::jsonrpc::{self, Request, RpcError};
use serde_json::Value;

use super::backoff::RetryPolicy;
use super::http::{fetch_text_retrying, host_of, HttpError};
use super::registry;
use super::settings::{ChainSettings, SettingError};

/// The id of the `eth_chainId` request added to every batch; callers' ids must differ.
pub const CHAIN_ID_REQUEST_ID: u64 = 0;

/// Why a batch gave no answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("live data is off: nothing is sent until you turn it on")]
    LiveDataOff,
    #[error(transparent)]
    Setting(#[from] SettingError),
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("{host} sent an answer that is not usable: {source}")]
    Rpc { host: String, source: RpcError },
    #[error("the node at {host} is on chain {got}, not {expected} ({name}): its answers are not used")]
    WrongChain { host: String, expected: u64, got: u64, name: &'static str },
    #[error("request id {CHAIN_ID_REQUEST_ID} is the client's own")]
    ReservedId,
}

/// A node for one chain, as the settings say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcClient {
    pub url: String,
    pub chain_id: u64,
    pub timeout_ms: u32,
    pub retry: RetryPolicy,
}

impl RpcClient {
    /// The client for `chain_id`; refused while live data is off.
    pub fn from_settings(settings: &ChainSettings, chain_id: u64) -> Result<Self, ChainError> {
        if !settings.live_data {
            return Err(ChainError::LiveDataOff);
        }
        Ok(Self {
            url: settings.rpc_url(chain_id)?,
            chain_id,
            timeout_ms: settings.timeout_ms,
            retry: RetryPolicy::default(),
        })
    }

    /// The requests, as one HTTP POST with `eth_chainId` in front; one
    /// result per request, in order. A per-request failure (a revert) stays
    /// with its request; anything that discredits the whole answer (HTTP,
    /// garbage, the wrong chain) is the outer error.
    pub async fn batch(&self, requests: &[Request]) -> Result<Vec<Result<Value, RpcError>>, ChainError> {
        let (body, ids) = batch_with_chain_id(requests)?;
        let text = fetch_text_retrying(&self.url, Some(&body), self.timeout_ms, self.retry).await?;
        read_batch(&text, &ids, self.chain_id, &host_of(&self.url))
    }
}

/// The body to send and the ids to expect: `eth_chainId` first.
pub fn batch_with_chain_id(requests: &[Request]) -> Result<(String, Vec<u64>), ChainError> {
    if requests.iter().any(|r| r.id == CHAIN_ID_REQUEST_ID) {
        return Err(ChainError::ReservedId);
    }
    let mut all = Vec::with_capacity(requests.len() + 1);
    all.push(Request::chain_id(CHAIN_ID_REQUEST_ID));
    all.extend_from_slice(requests);
    let host = String::new();
    let body = jsonrpc::batch_body(&all).map_err(|source| ChainError::Rpc { host, source })?;
    Ok((body, all.iter().map(|r| r.id).collect()))
}

/// Reads a batch answer whose first id is the `eth_chainId` request.
pub fn read_batch(
    text: &str,
    ids: &[u64],
    expected_chain_id: u64,
    host: &str,
) -> Result<Vec<Result<Value, RpcError>>, ChainError> {
    let rpc = |source| ChainError::Rpc { host: host.to_owned(), source };
    let mut results = jsonrpc::parse_batch(text, ids).map_err(rpc)?;
    let chain_result = results.remove(0);
    let got = chain_result.and_then(|v| jsonrpc::decode_chain_id(&v)).map_err(rpc)?;
    if got != expected_chain_id {
        let name = registry::chain(expected_chain_id).map_or("unknown chain", |c| c.name);
        return Err(ChainError::WrongChain { host: host.to_owned(), expected: expected_chain_id, got, name });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_batch_asks_the_chain_id_first() {
        let (body, ids) = batch_with_chain_id(&[Request::latest_block(1)]).unwrap();
        assert_eq!(ids, [0, 1]);
        let sent: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(sent[0]["method"], "eth_chainId");
        assert_eq!(sent[1]["method"], "eth_getBlockByNumber");
        assert_eq!(batch_with_chain_id(&[Request::chain_id(0)]), Err(ChainError::ReservedId));
    }

    #[test]
    fn a_node_on_another_chain_is_refused() {
        let answer = r#"[{"jsonrpc":"2.0","id":1,"result":"0x5"},{"jsonrpc":"2.0","id":0,"result":"0xa"}]"#;
        let refused = read_batch(answer, &[0, 1], 1, "rpc.example").unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the node at rpc.example is on chain 10, not 1 (Ethereum): its answers are not used"
        );
        let results = read_batch(answer, &[0, 1], 10, "rpc.example").unwrap();
        assert_eq!(results, vec![Ok(Value::from("0x5"))]);
    }

    #[test]
    fn garbage_and_a_failed_chain_id_fail_the_batch() {
        let garbage = read_batch("<html>oops</html>", &[0, 1], 1, "rpc.example").unwrap_err();
        assert!(garbage
            .to_string()
            .starts_with("rpc.example sent an answer that is not usable: the response is not JSON-RPC 2.0"));
        let no_chain = r#"[{"jsonrpc":"2.0","id":0,"error":{"code":-32601,"message":"method not found"}},{"jsonrpc":"2.0","id":1,"result":"0x5"}]"#;
        assert!(matches!(
            read_batch(no_chain, &[0, 1], 1, "h"),
            Err(ChainError::Rpc { source: RpcError::Node(_), .. })
        ));
    }

    #[test]
    fn live_data_off_sends_nothing() {
        let settings = ChainSettings::default();
        assert_eq!(RpcClient::from_settings(&settings, 1), Err(ChainError::LiveDataOff));
        let on = ChainSettings { live_data: true, ..settings };
        let client = RpcClient::from_settings(&on, 1).unwrap();
        assert_eq!((client.url.as_str(), client.timeout_ms), ("https://ethereum-rpc.publicnode.com", 8_000));
    }
}
