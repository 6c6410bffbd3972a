//! The EIP-1559 fee of a transaction, shown before it is signed.
//!
//! The rule:
//! - next base fee: the last entry of `eth_feeHistory`'s `baseFeePerGas`
//!   (the node's base fee for the block after the newest one);
//! - tip (max priority fee per gas): `eth_maxPriorityFeePerGas` when the node
//!   answers it, else the median of the recent blocks' 50th-percentile tips
//!   from the same fee history ([`TIP_PERCENTILE`]);
//! - max fee per gas = 2 × next base fee + tip ([`BASE_FEE_HEADROOM`]): the
//!   base fee rises at most 12.5 % a block, so this stays valid through six
//!   full blocks in a row;
//! - gas limit = `eth_estimateGas` + 20 %, rounded up ([`GAS_LIMIT_MARGIN_PERCENT`]),
//!   for state that changes between the estimate and inclusion (interest
//!   accrual, another user's transaction on the same reserve).
//!
//! Shown: at most gas limit × max fee per gas (the most the wallet can
//! charge), expected gas estimate × (next base fee + tip) (unused gas is not
//! charged, and a transaction pays the base fee of its block, not the max).
//!
//! ```
//! use ballast_chain::tx_fees::{gas_limit, FeeHistory, FeeQuote};
//!
//! let history = FeeHistory {
//!     oldest_block: 100,
//!     base_fee_per_gas: vec![9_000_000_000, 10_000_000_000],
//!     rewards: vec![vec![1_000_000_000]],
//! };
//! let quote = FeeQuote::new(&history, Some(1_500_000_000), 200_000).unwrap();
//! assert_eq!(quote.max_fee_per_gas, 21_500_000_000); // 2 × 10 gwei + 1.5 gwei
//! assert_eq!(quote.gas_limit, 240_000);
//! assert_eq!(quote.max_cost_eth(), "0.00516"); // 240 000 × 21.5 gwei
//! assert_eq!(quote.expected_cost_eth(), "0.0023"); // 200 000 × 11.5 gwei
//! assert_eq!(gas_limit(100_001), 120_002); // 120 001.2, rounded up
//! ```

use alloy_primitives::{I256, U256};
use serde_json::Value;

use crate::decimal::Decimal;
use crate::jsonrpc::{kind, quantity, RpcError};
use crate::tx_rpc::quantity_u256;

/// The gas limit is the estimate plus this many percent, rounded up.
pub const GAS_LIMIT_MARGIN_PERCENT: u64 = 20;
/// The max fee per gas allows for the base fee to grow to this multiple.
pub const BASE_FEE_HEADROOM: u128 = 2;
/// The percentile of the tips paid in recent blocks asked of `eth_feeHistory`.
pub const TIP_PERCENTILE: u8 = 50;
/// How many blocks of history to ask for.
pub const FEE_HISTORY_BLOCKS: u64 = 5;

/// Wei in an ether.
const ETH_DECIMALS: u8 = 18;

/// `eth_feeHistory`'s result, the parts the rule uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeHistory {
    pub oldest_block: u64,
    /// One per block from `oldest_block`, and one more: the next block's.
    pub base_fee_per_gas: Vec<u128>,
    /// Per block, the tips at the requested percentiles.
    pub rewards: Vec<Vec<u128>>,
}

/// Why no fee can be quoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("the node reports no base fee: the chain does not use EIP-1559 fees, which Ballast needs")]
    NoBaseFee,
    #[error("the node gave neither eth_maxPriorityFeePerGas nor the tips of recent blocks")]
    NoTip,
    #[error("the fee does not fit in 128 bits: the node's fee data is not believable")]
    Overflow,
}

fn fee(value: &Value, method: &'static str) -> Result<u128, RpcError> {
    let wide = quantity_u256(value, method)?;
    u128::try_from(wide).map_err(|_| RpcError::BadResult { method, reason: format!("a fee of {wide} wei per gas") })
}

/// `eth_feeHistory`'s result.
pub fn decode_fee_history(result: &Value) -> Result<FeeHistory, RpcError> {
    const METHOD: &str = "eth_feeHistory";
    let bad = |reason: String| RpcError::BadResult { method: METHOD, reason };
    let object = result.as_object().ok_or_else(|| bad(format!("{} instead of a fee history", kind(result))))?;
    let array = |name: &str| -> Result<&Vec<Value>, RpcError> {
        match object.get(name) {
            Some(Value::Array(items)) if items.len() <= 1025 => Ok(items),
            Some(Value::Array(_)) => Err(bad(format!("a {name} longer than 1025 blocks"))),
            _ => Err(bad(format!("a fee history without {name}"))),
        }
    };
    let oldest_block = quantity(object.get("oldestBlock").unwrap_or(&Value::Null), METHOD)?;
    let base_fee_per_gas = array("baseFeePerGas")?.iter().map(|v| fee(v, METHOD)).collect::<Result<Vec<_>, _>>()?;
    // `reward` is absent when no percentiles were asked.
    let rewards = match object.get("reward") {
        None | Some(Value::Null) => Vec::new(),
        Some(_) => array("reward")?
            .iter()
            .map(|block| match block {
                Value::Array(tips) => tips.iter().map(|v| fee(v, METHOD)).collect(),
                other => Err(bad(format!("a reward entry that is {}", kind(other)))),
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    Ok(FeeHistory { oldest_block, base_fee_per_gas, rewards })
}

/// `eth_maxPriorityFeePerGas`'s result, in wei per gas.
pub fn decode_max_priority_fee(result: &Value) -> Result<u128, RpcError> {
    fee(result, "eth_maxPriorityFeePerGas")
}

impl FeeHistory {
    /// The base fee of the block after the newest one.
    pub fn next_base_fee(&self) -> Option<u128> {
        self.base_fee_per_gas.last().copied()
    }

    /// The median of the blocks' first-percentile tips (the lower middle of an even count).
    pub fn median_tip(&self) -> Option<u128> {
        let mut tips: Vec<u128> = self.rewards.iter().filter_map(|block| block.first().copied()).collect();
        tips.sort_unstable();
        tips.get(tips.len().checked_sub(1)? / 2).copied()
    }
}

/// `estimate` + [`GAS_LIMIT_MARGIN_PERCENT`] %, rounded up (saturating).
pub fn gas_limit(estimate: u64) -> u64 {
    let scaled = u128::from(estimate) * u128::from(100 + GAS_LIMIT_MARGIN_PERCENT);
    u64::try_from(scaled.div_ceil(100)).unwrap_or(u64::MAX)
}

/// The fees of one transaction, by the rule in the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeeQuote {
    pub next_base_fee_per_gas: u128,
    pub max_priority_fee_per_gas: u128,
    pub max_fee_per_gas: u128,
    pub gas_estimate: u64,
    pub gas_limit: u64,
}

impl FeeQuote {
    /// From the fee history (asked with [`TIP_PERCENTILE`]), the node's
    /// suggested tip if it gave one, and `eth_estimateGas`'s answer.
    pub fn new(history: &FeeHistory, suggested_tip: Option<u128>, gas_estimate: u64) -> Result<Self, FeeError> {
        let next_base_fee_per_gas = history.next_base_fee().ok_or(FeeError::NoBaseFee)?;
        let max_priority_fee_per_gas = suggested_tip.or_else(|| history.median_tip()).ok_or(FeeError::NoTip)?;
        let max_fee_per_gas = next_base_fee_per_gas
            .checked_mul(BASE_FEE_HEADROOM)
            .and_then(|f| f.checked_add(max_priority_fee_per_gas))
            .ok_or(FeeError::Overflow)?;
        Ok(Self {
            next_base_fee_per_gas,
            max_priority_fee_per_gas,
            max_fee_per_gas,
            gas_estimate,
            gas_limit: gas_limit(gas_estimate),
        })
    }

    /// The most the transaction can cost: gas limit × max fee per gas, in wei.
    pub fn max_cost_wei(&self) -> U256 {
        U256::from(self.gas_limit) * U256::from(self.max_fee_per_gas)
    }

    /// What it should cost: gas estimate × (next base fee + tip), in wei.
    pub fn expected_cost_wei(&self) -> U256 {
        U256::from(self.gas_estimate)
            * (U256::from(self.next_base_fee_per_gas) + U256::from(self.max_priority_fee_per_gas))
    }

    /// [`Self::max_cost_wei`] in ETH, exactly.
    pub fn max_cost_eth(&self) -> String {
        wei_to_eth(self.max_cost_wei())
    }

    /// [`Self::expected_cost_wei`] in ETH, exactly.
    pub fn expected_cost_eth(&self) -> String {
        wei_to_eth(self.expected_cost_wei())
    }
}

/// Wei as an exact ETH decimal, trailing zeros dropped: 1 wei is "0.000000000000000001".
pub fn wei_to_eth(wei: U256) -> String {
    match I256::try_from(wei).ok().and_then(|units| Decimal::new(units, ETH_DECIMALS).ok()) {
        Some(eth) => eth.normalized().to_string(),
        None => format!("{wei} wei"),
    }
}

/// Wei in ETH rounded up (toward more) to `decimals` places, for a compact
/// fee that never understates: 1 wei at 6 decimals is "0.000001".
pub fn wei_to_eth_rounded_up(wei: U256, decimals: u8) -> String {
    let decimals = decimals.min(ETH_DECIMALS);
    let unit = U256::from(10u8).pow(U256::from(ETH_DECIMALS - decimals));
    let (quotient, remainder) = wei.div_rem(unit);
    let rounded = if remainder.is_zero() { quotient } else { quotient.saturating_add(U256::from(1u8)) };
    match I256::try_from(rounded).ok().and_then(|units| Decimal::new(units, decimals).ok()) {
        Some(eth) => eth.normalized().to_string(),
        None => format!("{wei} wei"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Geth's answer to `eth_feeHistory(4, "latest", [50])`, the shape of mainnet's.
    fn geth_history() -> Value {
        json!({
            "oldestBlock": "0x1406f3d",
            "baseFeePerGas": ["0x1dcd65000", "0x1e8480000", "0x1c9c38000", "0x1dcd65000", "0x2540be400"],
            "gasUsedRatio": [0.52, 0.31, 0.61, 0.99],
            "reward": [["0x3b9aca00"], ["0x77359400"], ["0x5f5e100"], ["0xb2d05e00"]],
        })
    }

    #[test]
    fn the_rule_on_a_real_shaped_history() {
        let history = decode_fee_history(&geth_history()).unwrap();
        assert_eq!(history.oldest_block, 21_000_000 - 3);
        assert_eq!(history.next_base_fee(), Some(10_000_000_000));
        // Tips 1, 2, 0.1, 3 gwei: the lower middle of the sorted four is 1 gwei.
        assert_eq!(history.median_tip(), Some(1_000_000_000));

        let from_history = FeeQuote::new(&history, None, 150_000).unwrap();
        assert_eq!(from_history.max_priority_fee_per_gas, 1_000_000_000);
        assert_eq!(from_history.max_fee_per_gas, 21_000_000_000);
        assert_eq!(from_history.gas_limit, 180_000);
        assert_eq!(from_history.max_cost_wei(), U256::from(180_000u64 * 21_000_000_000));
        assert_eq!(from_history.max_cost_eth(), "0.00378");
        assert_eq!(from_history.expected_cost_eth(), "0.00165");

        let suggested = FeeQuote::new(&history, Some(2_500_000_000), 150_000).unwrap();
        assert_eq!(suggested.max_priority_fee_per_gas, 2_500_000_000);
        assert_eq!(suggested.max_fee_per_gas, 22_500_000_000);
    }

    #[test]
    fn missing_or_absurd_fee_data_is_an_error() {
        let empty = FeeHistory { oldest_block: 1, base_fee_per_gas: vec![], rewards: vec![] };
        assert_eq!(FeeQuote::new(&empty, Some(1), 21_000), Err(FeeError::NoBaseFee));
        let no_tips = FeeHistory { base_fee_per_gas: vec![1], ..empty.clone() };
        assert_eq!(FeeQuote::new(&no_tips, None, 21_000), Err(FeeError::NoTip));
        let huge = FeeHistory { base_fee_per_gas: vec![u128::MAX / 2 + 1], ..empty };
        assert_eq!(FeeQuote::new(&huge, Some(0), 21_000), Err(FeeError::Overflow));

        let mut no_reward = geth_history();
        no_reward.as_object_mut().unwrap().remove("reward");
        assert_eq!(decode_fee_history(&no_reward).unwrap().rewards, Vec::<Vec<u128>>::new());
        let mut bad_fee = geth_history();
        bad_fee["baseFeePerGas"][0] = json!(format!("0x1{}", "0".repeat(40)));
        assert!(decode_fee_history(&bad_fee).is_err());
        assert!(decode_fee_history(&json!([])).is_err());
        assert!(decode_fee_history(&json!({ "oldestBlock": "0x1" })).is_err());
        assert_eq!(decode_max_priority_fee(&json!("0x3b9aca00")), Ok(1_000_000_000));
    }

    #[test]
    fn gas_limits_round_up() {
        assert_eq!(gas_limit(21_000), 25_200);
        assert_eq!(gas_limit(1), 2);
        assert_eq!(gas_limit(0), 0);
        assert_eq!(gas_limit(u64::MAX), u64::MAX);
    }

    #[test]
    fn eth_amounts_exact_and_rounded_up() {
        assert_eq!(wei_to_eth(U256::from(1u8)), "0.000000000000000001");
        assert_eq!(wei_to_eth(U256::from(1_500_000_000_000_000_000u64)), "1.5");
        assert_eq!(wei_to_eth(U256::ZERO), "0");
        assert_eq!(wei_to_eth_rounded_up(U256::from(1u8), 6), "0.000001");
        assert_eq!(wei_to_eth_rounded_up(U256::from(3_780_000_000_000_000u64), 6), "0.00378");
        assert_eq!(wei_to_eth_rounded_up(U256::from(3_780_000_000_000_001u64), 6), "0.003781");
        assert_eq!(wei_to_eth(U256::MAX), format!("{} wei", U256::MAX));
    }
}
