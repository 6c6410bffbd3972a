//! EIP-2612 permits: the typed data the wallet signs with
//! `eth_signTypedData_v4`, the EIP-712 digest it signs (computed here too, so
//! it can be checked), and the signature split into the `v, r, s` that
//! `supplyWithPermit` / `repayWithPermit` take.
//!
//! The domain is the token's: `name()`, `version()` ("1" when the token has
//! none, see [`crate::erc20::decode_version`]), the chain id and the token's
//! address. A wrong guess gives a signature the token rejects, so compare
//! [`PermitDomain::separator`] with the token's own `DOMAIN_SEPARATOR()`
//! before asking the user to sign ([`PermitDomain::matches`]).
//!
//! ```
//! use alloy_primitives::{address, U256};
//! use ballast_chain::permit::{PermitDomain, PermitRequest};
//!
//! let usdc = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
//! let permit = PermitRequest {
//!     domain: PermitDomain { name: "USD Coin".into(), version: "2".into(), chain_id: 1, verifying_contract: usdc },
//!     owner: address!("70997970C51812dc3A010C7d01b50e0d17dc79C8"),
//!     spender: address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2"),
//!     value: U256::from(3_000_000_000u64),
//!     nonce: U256::from(7u8),
//!     deadline: U256::from(1_767_225_600u64),
//! };
//! let typed = permit.typed_data();
//! assert_eq!(typed["primaryType"], "Permit");
//! assert_eq!(typed["message"]["value"], "3000000000");
//! let params = permit.sign_params(); // [owner, typed data as a JSON string]
//! assert!(params[1].as_str().unwrap().contains("\"EIP712Domain\""));
//! ```

use alloy_primitives::{hex, Address, B256, U256};
use alloy_sol_types::{sol, Eip712Domain, SolStruct};
use serde_json::{json, Value};

sol! {
    /// EIP-2612's `Permit` struct, field for field.
    struct Permit {
        address owner;
        address spender;
        uint256 value;
        uint256 nonce;
        uint256 deadline;
    }
}

/// A permit token's EIP-712 domain (name, version, chainId, verifyingContract).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitDomain {
    pub name: String,
    pub version: String,
    pub chain_id: u64,
    pub verifying_contract: Address,
}

impl PermitDomain {
    fn eip712(&self) -> Eip712Domain {
        Eip712Domain::new(
            Some(self.name.clone().into()),
            Some(self.version.clone().into()),
            Some(U256::from(self.chain_id)),
            Some(self.verifying_contract),
            None,
        )
    }

    /// The domain separator this domain hashes to.
    pub fn separator(&self) -> B256 {
        self.eip712().separator()
    }

    /// Whether the token's `DOMAIN_SEPARATOR()` is this domain's: if not, the
    /// name, version or chain is wrong and a signature would be refused.
    pub fn matches(&self, on_chain: B256) -> bool {
        self.separator() == on_chain
    }
}

/// A permit to ask the user to sign: `owner` lets `spender` take `value`
/// until `deadline` (Unix seconds), with the token's current `nonces(owner)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitRequest {
    pub domain: PermitDomain,
    pub owner: Address,
    pub spender: Address,
    pub value: U256,
    pub nonce: U256,
    pub deadline: U256,
}

impl PermitRequest {
    fn message(&self) -> Permit {
        Permit {
            owner: self.owner,
            spender: self.spender,
            value: self.value,
            nonce: self.nonce,
            deadline: self.deadline,
        }
    }

    /// The EIP-712 digest the signature is over: keccak256(0x1901 ‖ domain
    /// separator ‖ hashStruct(Permit)).
    pub fn digest(&self) -> B256 {
        self.message().eip712_signing_hash(&self.domain.eip712())
    }

    /// The typed data as `eth_signTypedData_v4` reads it: `types` with
    /// `EIP712Domain`, `primaryType`, `domain`, and the message with its
    /// uint256s as decimal strings (no precision lost in JavaScript).
    pub fn typed_data(&self) -> Value {
        let d = &self.domain;
        json!({
            "types": {
                "EIP712Domain": [
                    { "name": "name", "type": "string" },
                    { "name": "version", "type": "string" },
                    { "name": "chainId", "type": "uint256" },
                    { "name": "verifyingContract", "type": "address" },
                ],
                "Permit": [
                    { "name": "owner", "type": "address" },
                    { "name": "spender", "type": "address" },
                    { "name": "value", "type": "uint256" },
                    { "name": "nonce", "type": "uint256" },
                    { "name": "deadline", "type": "uint256" },
                ],
            },
            "primaryType": "Permit",
            "domain": {
                "name": d.name,
                "version": d.version,
                "chainId": d.chain_id,
                "verifyingContract": d.verifying_contract.to_checksum(None),
            },
            "message": {
                "owner": self.owner.to_checksum(None),
                "spender": self.spender.to_checksum(None),
                "value": self.value.to_string(),
                "nonce": self.nonce.to_string(),
                "deadline": self.deadline.to_string(),
            },
        })
    }

    /// `eth_signTypedData_v4`'s params: the signer, then the typed data as a
    /// JSON string (the form MetaMask and EIP-1193 wallets document).
    pub fn sign_params(&self) -> Value {
        json!([self.owner.to_checksum(None), self.typed_data().to_string()])
    }

    /// The wallet's answer (a 65-byte hex signature) as the Pool's permit arguments.
    pub fn signature(&self, wallet_answer: &str) -> Result<PermitSignature, SignatureError> {
        let (v, r, s) = split_signature_hex(wallet_answer)?;
        Ok(PermitSignature { deadline: self.deadline, v, r, s })
    }
}

/// A signed permit, as `supplyWithPermit` and `repayWithPermit` take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermitSignature {
    pub deadline: U256,
    /// 27 or 28.
    pub v: u8,
    pub r: B256,
    pub s: B256,
}

/// Why a wallet's signature cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("a signature is 65 bytes (r, s, v), not {0}")]
    Length(usize),
    #[error("the signature is not 0x-prefixed hex")]
    NotHex,
    #[error("the signature's v is {0}; it must be 27 or 28 (or 0 or 1)")]
    BadV(u8),
    /// EIP-2: OpenZeppelin's ECDSA and most permit tokens refuse the upper half.
    #[error("the signature's s is in the upper half of the curve order, which tokens refuse (EIP-2)")]
    HighS,
}

/// secp256k1's order n, halved: the largest `s` EIP-2 allows.
const HALF_ORDER: U256 = U256::from_be_slice(&hex!("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0"));

/// Splits a 65-byte `r ‖ s ‖ v` signature, accepting v as 27/28 or 0/1 (some
/// hardware wallets) and returning it as 27/28.
pub fn split_signature(signature: &[u8]) -> Result<(u8, B256, B256), SignatureError> {
    let bytes: &[u8; 65] = signature.try_into().map_err(|_| SignatureError::Length(signature.len()))?;
    let r = B256::from_slice(&bytes[..32]);
    let s = B256::from_slice(&bytes[32..64]);
    let v = match bytes[64] {
        v @ (27 | 28) => v,
        v @ (0 | 1) => v + 27,
        other => return Err(SignatureError::BadV(other)),
    };
    if U256::from_be_bytes(s.0) > HALF_ORDER {
        return Err(SignatureError::HighS);
    }
    Ok((v, r, s))
}

/// [`split_signature`] of a wallet's `"0x…"` answer.
pub fn split_signature_hex(text: &str) -> Result<(u8, B256, B256), SignatureError> {
    let digits = text.trim().strip_prefix("0x").ok_or(SignatureError::NotHex)?;
    let bytes = hex::decode(digits).map_err(|_| SignatureError::NotHex)?;
    split_signature(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx_fixtures::{fixture_permit, fixtures};
    use alloy_primitives::keccak256;

    fn fixture_request() -> PermitRequest {
        let f = fixtures();
        let p = &f["permit"];
        let address = |key: &str| p[key].as_str().unwrap().parse::<Address>().unwrap();
        let uint = |key: &str| U256::from_str_radix(p[key].as_str().unwrap(), 10).unwrap();
        PermitRequest {
            domain: PermitDomain {
                name: p["name"].as_str().unwrap().into(),
                version: p["version"].as_str().unwrap().into(),
                chain_id: p["chain_id"].as_u64().unwrap(),
                verifying_contract: address("verifying_contract"),
            },
            owner: address("owner"),
            spender: address("spender"),
            value: uint("value"),
            nonce: uint("nonce"),
            deadline: uint("deadline"),
        }
    }

    #[test]
    fn digest_and_separator_match_ethers() {
        let f = fixtures();
        let request = fixture_request();
        assert_eq!(request.domain.separator().to_string(), f["permit"]["domain_separator"].as_str().unwrap());
        assert_eq!(request.digest().to_string(), f["permit"]["digest"].as_str().unwrap());
        assert!(request.domain.matches(request.domain.separator()));
        let wrong_version = PermitDomain { version: "1".into(), ..request.domain.clone() };
        assert!(!wrong_version.matches(request.domain.separator()));
        // EIP-2612's type hash, spelled out.
        assert_eq!(
            Permit::eip712_type_hash(&request.message()),
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
        );
    }

    #[test]
    fn the_wallets_signature_becomes_the_pools_arguments() {
        let f = fixtures();
        let request = fixture_request();
        let signed = request.signature(f["permit"]["signature"].as_str().unwrap()).unwrap();
        assert_eq!(signed, fixture_permit());
    }

    #[test]
    fn typed_data_is_what_sign_typed_data_v4_reads() {
        let typed = fixture_request().typed_data();
        assert_eq!(typed["domain"]["verifyingContract"], "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
        assert_eq!(typed["domain"]["chainId"], 1);
        assert_eq!(typed["message"]["deadline"], "1767225600");
        assert_eq!(typed["message"]["nonce"], "7");
        assert_eq!(typed["types"]["EIP712Domain"].as_array().map(Vec::len), Some(4));
        assert_eq!(typed["types"]["Permit"][2], json!({ "name": "value", "type": "uint256" }));
        let params = fixture_request().sign_params();
        assert_eq!(params[0], "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        let reparsed: Value = serde_json::from_str(params[1].as_str().unwrap()).unwrap();
        assert_eq!(reparsed, typed);
    }

    #[test]
    fn signatures_are_split_checked_and_v_normalised() {
        let mut signature = [0u8; 65];
        signature[..32].copy_from_slice(&[0x11; 32]);
        signature[32..64].copy_from_slice(&[0x22; 32]);
        for (v, expected) in [(0u8, 27u8), (1, 28), (27, 27), (28, 28)] {
            signature[64] = v;
            assert_eq!(split_signature(&signature), Ok((expected, B256::repeat_byte(0x11), B256::repeat_byte(0x22))));
        }
        signature[64] = 29;
        assert_eq!(split_signature(&signature), Err(SignatureError::BadV(29)));
        assert_eq!(split_signature(&signature[..64]), Err(SignatureError::Length(64)));
        assert_eq!(split_signature(&[0u8; 66]), Err(SignatureError::Length(66)));
        signature[64] = 27;
        signature[32..64].copy_from_slice(&[0xff; 32]);
        assert_eq!(split_signature(&signature), Err(SignatureError::HighS));
        assert_eq!(split_signature_hex("1234"), Err(SignatureError::NotHex));
        assert_eq!(split_signature_hex("0xzz"), Err(SignatureError::NotHex));
    }
}
