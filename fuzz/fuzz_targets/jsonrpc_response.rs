//! A JSON-RPC node's answer, single or batched, and the results the reader
//! decodes from it (chain id, eth_call data, block header; revert reasons in its errors):
//! never a panic, whatever the node sends.
#![no_main]

use ballast_chain::jsonrpc::{decode_block, decode_call_result, decode_chain_id, parse_batch, parse_response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let single = parse_response(body, 1);
    let batch = parse_batch(body, &[1, 2, 3]);
    let results = std::iter::once(single).chain(batch.into_iter().flatten());
    for result in results {
        match result {
            Ok(value) => {
                let _ = decode_chain_id(&value);
                let _ = decode_call_result(&value);
                let _ = decode_block(&value);
            }
            Err(error) => {
                // Display decodes the revert reason of a node error.
                let _ = error.to_string();
            }
        }
    }
});
