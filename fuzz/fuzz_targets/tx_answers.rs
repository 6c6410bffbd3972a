//! What the transaction layer reads from outside: revert data, a wallet's or
//! node's error object, receipts, transactions and fee histories, a wallet's
//! signature, token answers, and calldata to describe before signing. The
//! first byte picks the reader, the rest is the input. Never a panic; a
//! description of calldata that decodes names a known function.
#![no_main]

use alloy_primitives::{address, Address, U256};
use ballast_chain::aave_actions::{describe, DescribeContext, TokenInfo, TxRequest};
use ballast_chain::tx_fees::{decode_fee_history, FeeQuote};
use ballast_chain::{erc20, permit, revert, tx_rpc};
use libfuzzer_sys::fuzz_target;

const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

fuzz_target!(|input: &[u8]| {
    let Some((&which, data)) = input.split_first() else { return };
    let json = || std::str::from_utf8(data).ok().and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
    match which % 6 {
        0 => drop(revert::decode_revert(data).to_string()),
        1 => {
            if let Some(error) = json() {
                let _ = revert::revert_data_in(&error);
                let _ = revert::decode_error_object(&error).map(|reason| reason.to_string());
            }
        }
        2 => {
            if let Some(value) = json() {
                let _ = tx_rpc::decode_receipt(&value).map(|r| r.map(|r| r.fee_wei()));
                let _ = tx_rpc::decode_transaction(&value);
                if let Ok(history) = decode_fee_history(&value) {
                    if let Ok(quote) = FeeQuote::new(&history, None, 210_000) {
                        let _ = (quote.max_cost_eth(), quote.expected_cost_eth());
                    }
                }
            }
        }
        3 => {
            let tokens = [TokenInfo { address: USDC, symbol: "USDC".into(), decimals: 6 }];
            let context = DescribeContext { pool: POOL, user: USER, tokens: &tokens };
            for to in [POOL, USDC] {
                let tx = TxRequest { to, data: data.to_vec().into(), value: U256::ZERO };
                let description = describe(&tx, &context);
                assert_eq!(description.is_recognised(), description.function.is_some(), "{description:?}");
                let _ = description.to_string();
            }
        }
        4 => {
            let _ = permit::split_signature(data);
            if let Ok(text) = std::str::from_utf8(data) {
                let _ = permit::split_signature_hex(text);
            }
        }
        _ => {
            let _ = erc20::decode_name(data);
            let _ = erc20::decode_version::<()>(Ok(data));
            let _ = erc20::decode_uint(data);
        }
    }
});
