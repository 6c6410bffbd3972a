//! The transaction layer's test vectors, made by ethers in
//! e2e/encode-tx-fixtures.mjs (an encoder independent of alloy).

use alloy_primitives::{b256, hex, U256};
use serde_json::Value;

use crate::permit::PermitSignature;

pub(crate) fn fixtures() -> Value {
    serde_json::from_str(include_str!("../tests/fixtures/tx/encodings.json")).expect("fixture is JSON")
}

pub(crate) fn fixture_hex(section: &str, name: &str) -> Vec<u8> {
    let f = fixtures();
    let text = f[section][name].as_str().unwrap_or_else(|| panic!("no fixture {section}.{name}"));
    hex::decode(text).expect("fixture is hex")
}

/// The permit signed in the fixture (anvil account #1 lets the Pool take 3000 USDC).
pub(crate) fn fixture_permit() -> PermitSignature {
    PermitSignature {
        deadline: U256::from(1_767_225_600u64),
        v: 28,
        r: b256!("306dfd556e8a7438e25c2d150de3834c791bc97dba93f5502f26e3f08b945f6b"),
        s: b256!("3af879a50847738246ecf0e6aadb67145de3b69f7e541ed9ad0af12199a4afd2"),
    }
}
