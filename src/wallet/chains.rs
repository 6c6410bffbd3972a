//! The wallet's chain: ids as wallets write them (hex), and the
//! `wallet_addEthereumChain` parameters (EIP-3085) from the chain registry.

use serde_json::{json, Value};

use crate::chain::registry;
use crate::chain::settings::ChainSettings;

/// `"0x7a69"` → 31337; wallets write chain ids as 0x-hex (some old ones as decimal).
pub fn parse_chain_id(value: &Value) -> Option<u64> {
    match value {
        Value::String(s) => match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => s.parse().ok(),
        },
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// The chain id as wallets want it: 0x-hex without leading zeros.
pub fn chain_id_hex(chain_id: u64) -> String {
    format!("{chain_id:#x}")
}

/// The native currency of a chain Ballast knows (EIP-3085 wants it).
fn native_currency(chain_id: u64) -> (&'static str, &'static str) {
    match chain_id {
        137 => ("POL", "POL"),
        43_114 => ("Avalanche", "AVAX"),
        _ => ("Ether", "ETH"),
    }
}

/// `wallet_addEthereumChain`'s parameter for a chain in the registry, with
/// the endpoint the user's settings give it; `None` for a chain Ballast does not know.
pub fn add_chain_params(chain_id: u64, settings: &ChainSettings) -> Option<Value> {
    let chain = registry::chain(chain_id)?;
    let rpc = settings.rpc_url(chain_id).unwrap_or_else(|_| chain.default_rpc_url.to_owned());
    let (name, symbol) = native_currency(chain_id);
    Some(json!({
        "chainId": chain_id_hex(chain_id),
        "chainName": chain.name,
        "rpcUrls": [rpc],
        "nativeCurrency": { "name": name, "symbol": symbol, "decimals": 18 },
    }))
}

/// A chain's name for people: the registry's, or its number.
pub fn chain_label(chain_id: u64) -> String {
    registry::chain(chain_id).map_or_else(|| format!("chain {chain_id}"), |c| c.name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn chain_ids_read_as_wallets_write_them() {
        assert_eq!(parse_chain_id(&json!("0x7a69")), Some(31_337));
        assert_eq!(parse_chain_id(&json!("0x1")), Some(1));
        assert_eq!(parse_chain_id(&json!("137")), Some(137));
        assert_eq!(parse_chain_id(&json!(10)), Some(10));
        assert_eq!(parse_chain_id(&json!("0xzz")), None);
        assert_eq!(parse_chain_id(&json!(null)), None);
        assert_eq!(chain_id_hex(31_337), "0x7a69");
        assert_eq!(chain_id_hex(1), "0x1");
    }

    #[test]
    fn add_chain_uses_the_registry_and_the_users_endpoint() {
        let settings = ChainSettings {
            rpc_urls: BTreeMap::from([(31_337, "http://127.0.0.1:9999".to_owned())]),
            ..ChainSettings::default()
        };
        let local = add_chain_params(31_337, &settings).unwrap();
        assert_eq!(local["chainId"], "0x7a69");
        assert_eq!(local["chainName"], "Local (anvil)");
        assert_eq!(local["rpcUrls"], json!(["http://127.0.0.1:9999"]));
        let polygon = add_chain_params(137, &settings).unwrap();
        assert_eq!(polygon["nativeCurrency"]["symbol"], "POL");
        assert_eq!(polygon["rpcUrls"], json!(["https://polygon-rpc.com"]));
        assert_eq!(add_chain_params(5, &settings), None);
        assert_eq!(chain_label(5), "chain 5");
        assert_eq!(chain_label(8_453), "Base");
    }
}
