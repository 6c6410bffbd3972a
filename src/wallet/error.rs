//! Why a wallet request gave no result, from its EIP-1193 error code.
//!
//! A declined request (4001) is a normal outcome the user chose, shown calmly;
//! everything else is a failure worth explaining.

use serde_json::Value;

/// EIP-1193 / EIP-3085 / JSON-RPC codes the app treats apart.
pub const USER_REJECTED: i64 = 4001;
pub const UNAUTHORIZED: i64 = 4100;
pub const UNSUPPORTED_METHOD: i64 = 4200;
pub const DISCONNECTED: i64 = 4900;
pub const CHAIN_DISCONNECTED: i64 = 4901;
pub const UNRECOGNIZED_CHAIN: i64 = 4902;
/// MetaMask's "a request of this kind is already waiting for the user".
pub const REQUEST_PENDING: i64 = -32002;

/// A wallet request that gave no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WalletError {
    #[error("you declined the request in your wallet")]
    UserRejected,
    #[error("the wallet has not given this page access to that account: connect again")]
    Unauthorized,
    #[error("the wallet does not support {method}")]
    Unsupported { method: String },
    #[error("the wallet is disconnected")]
    Disconnected,
    #[error("the wallet does not know this chain")]
    UnrecognizedChain,
    #[error("the wallet already has a request waiting for you: open the wallet to answer it")]
    RequestPending,
    #[error("no wallet is connected")]
    NotConnected,
    #[error("the wallet answered something that is not usable: {0}")]
    BadAnswer(String),
    #[error("the wallet reported an error (code {code}): {message}")]
    Rpc { code: i64, message: String, data: Option<Value> },
}

impl WalletError {
    /// The error an EIP-1193 `request` rejected with, from its `code`,
    /// `message` and `data`. Some wallets wrap a code in
    /// `data.originalError` (MetaMask mobile's 4902); that one counts.
    pub fn from_parts(code: Option<i64>, message: &str, data: Option<Value>, method: &str) -> Self {
        let inner =
            data.as_ref().and_then(|d| d.get("originalError")).and_then(|o| o.get("code")).and_then(Value::as_i64);
        let message: String = message.chars().take(300).collect();
        match code {
            Some(USER_REJECTED) => Self::UserRejected,
            Some(UNAUTHORIZED) => Self::Unauthorized,
            Some(UNSUPPORTED_METHOD) => Self::Unsupported { method: method.to_owned() },
            Some(DISCONNECTED | CHAIN_DISCONNECTED) => Self::Disconnected,
            Some(UNRECOGNIZED_CHAIN) => Self::UnrecognizedChain,
            _ if inner == Some(UNRECOGNIZED_CHAIN) => Self::UnrecognizedChain,
            Some(REQUEST_PENDING) => Self::RequestPending,
            Some(code) => Self::Rpc { code, message, data },
            None => Self::Rpc { code: 0, message, data },
        }
    }

    /// The user said no: a normal outcome, not an error.
    pub fn is_user_rejection(&self) -> bool {
        matches!(self, Self::UserRejected)
    }

    /// Revert data carried by a failed `eth_call` / `eth_estimateGas`: the
    /// error's `data` as hex, or nested as `data.data` or `data.originalError.data`.
    pub fn revert_data(&self) -> Option<Vec<u8>> {
        let Self::Rpc { data: Some(data), .. } = self else { return None };
        let hex = [Some(data), data.get("data"), data.get("originalError").and_then(|o| o.get("data"))]
            .into_iter()
            .flatten()
            .find_map(Value::as_str)?;
        let digits = hex.strip_prefix("0x")?;
        alloy_primitives::hex::decode(digits).ok()
    }

    /// The node's message, for a revert that carries no data.
    pub fn message(&self) -> String {
        match self {
            Self::Rpc { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_map_to_what_the_user_is_told() {
        let e = |code| WalletError::from_parts(Some(code), "m", None, "eth_sendTransaction");
        assert!(e(4001).is_user_rejection());
        assert_eq!(e(4001).to_string(), "you declined the request in your wallet");
        assert_eq!(e(4100), WalletError::Unauthorized);
        assert_eq!(e(4200).to_string(), "the wallet does not support eth_sendTransaction");
        assert_eq!(e(4900), WalletError::Disconnected);
        assert_eq!(e(4902), WalletError::UnrecognizedChain);
        assert_eq!(e(-32002), WalletError::RequestPending);
        assert!(!e(-32603).is_user_rejection());
        assert_eq!(e(-32603).to_string(), "the wallet reported an error (code -32603): m");
    }

    #[test]
    fn a_wrapped_4902_is_an_unknown_chain() {
        let data = json!({"originalError": {"code": 4902, "message": "Unrecognized chain ID"}});
        assert_eq!(
            WalletError::from_parts(Some(-32603), "x", Some(data), "wallet_switchEthereumChain"),
            WalletError::UnrecognizedChain
        );
    }

    #[test]
    fn revert_data_is_found_where_wallets_put_it() {
        let flat = WalletError::from_parts(Some(3), "execution reverted", Some(json!("0x08c379a0")), "eth_call");
        assert_eq!(flat.revert_data(), Some(vec![0x08, 0xc3, 0x79, 0xa0]));
        let nested =
            WalletError::from_parts(Some(-32603), "x", Some(json!({"originalError": {"data": "0x3532"}})), "eth_call");
        assert_eq!(nested.revert_data(), Some(vec![0x35, 0x32]));
        let inner = WalletError::from_parts(Some(-32000), "x", Some(json!({"data": "0x01"})), "eth_call");
        assert_eq!(inner.revert_data(), Some(vec![1]));
        assert_eq!(WalletError::from_parts(Some(-32000), "x", Some(json!("oops")), "eth_call").revert_data(), None);
        assert_eq!(WalletError::UserRejected.revert_data(), None);
    }
}
