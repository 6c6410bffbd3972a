//! The transaction panel apart from its IO: amounts in token units, the
//! engine's health factor after an action and what it allows, approvals,
//! the EIP-1559 fee, the checks right before sending, and revert reasons.
//! Pure, so it is tested natively.

use alloy_primitives::{Address, U256};
use ballast_core::aave_v3::actions::{Action, AmountOrMax};
use ballast_core::aave_v3::AccountData;
use ballast_core::display::{format_fixed, Rounding};
use ballast_core::exact::{format_exact, PlainDecimal};
use ballast_core::{apply_actions, evaluate, Scenario};
use num_rational::BigRational;

use super::calls::PoolCall;

/// The default safety floor: a health factor under it is warned about.
pub const DEFAULT_FLOOR: &str = "1.1";

/// A reserve of the market, as the panel needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketReserve {
    pub symbol: String,
    pub underlying: Address,
    pub decimals: u32,
}

/// What the user typed: some tokens, or everything (withdraw and repay only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Amount {
    Tokens(PlainDecimal),
    Max,
}

/// Why a typed amount is not one to send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("enter an amount")]
    Empty,
    #[error("{0:?} is not an amount: write it like 1.5")]
    NotANumber(String),
    #[error("the amount must be more than 0")]
    Zero,
    #[error("{symbol} has {decimals} decimals; the amount has more")]
    TooManyDecimals { symbol: String, decimals: u32 },
    #[error("the amount is too large")]
    TooLarge,
}

/// The typed amount, checked.
pub fn parse_amount(text: &str, max: bool) -> Result<Amount, AmountError> {
    if max {
        return Ok(Amount::Max);
    }
    let text = text.trim().replace(['_', ','], "");
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let decimal = PlainDecimal::parse(&text).map_err(|_| AmountError::NotANumber(text.chars().take(40).collect()))?;
    if decimal.is_zero() {
        return Err(AmountError::Zero);
    }
    Ok(Amount::Tokens(decimal))
}

/// The amount the Pool is sent: the token's integer units, or `U256::MAX` for "max".
pub fn token_units(amount: &Amount, reserve: &MarketReserve) -> Result<U256, AmountError> {
    match amount {
        Amount::Max => Ok(U256::MAX),
        Amount::Tokens(d) => {
            let units = d.to_scaled_integer(reserve.decimals).ok_or_else(|| AmountError::TooManyDecimals {
                symbol: reserve.symbol.clone(),
                decimals: reserve.decimals,
            })?;
            U256::try_from_be_slice(&units.to_bytes_be()).ok_or(AmountError::TooLarge)
        }
    }
}

/// The engine's what-if for the action.
pub fn engine_action(call: PoolCall, asset: &str, amount: &Amount) -> Action {
    let or_max = match amount {
        Amount::Tokens(d) => AmountOrMax::Tokens(d.clone()),
        Amount::Max => AmountOrMax::Max,
    };
    let tokens = match amount {
        Amount::Tokens(d) => d.clone(),
        // Supply and borrow never take "max" (the form does not offer it).
        Amount::Max => PlainDecimal::parse("0").expect("0 is a decimal"),
    };
    let asset = asset.to_owned();
    match call {
        PoolCall::Supply => Action::Supply { asset, amount: tokens },
        PoolCall::Borrow => Action::Borrow { asset, amount: tokens },
        PoolCall::Withdraw => Action::Withdraw { asset, amount: or_max },
        PoolCall::Repay => Action::Repay { asset, amount: or_max },
    }
}

/// The health factor after the action, from the engine on the position just
/// read (`None`: no debt left); `Err` is the Pool's refusal as the engine knows it.
pub fn health_after(scenario: &Scenario, action: &Action) -> Result<Option<BigRational>, String> {
    let after = apply_actions(scenario, std::slice::from_ref(action)).map_err(|e| e.to_string())?;
    let report = evaluate(&after).map_err(|e| e.to_string())?;
    Ok(report.health_factor_exact)
}

/// What the health factor after an action allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Under 1: liquidatable at once. Never sent, the wallet is not asked.
    Refused(String),
    /// Under the user's floor: sent only if the user says so.
    BelowFloor(String),
    Fine,
}

/// The verdict on a health factor after an action.
pub fn verdict(after: Option<&BigRational>, floor: &BigRational) -> Verdict {
    let one = BigRational::from_integer(1.into());
    match after {
        Some(hf) if *hf < one => Verdict::Refused(format!(
            "Refused: this would leave a health factor of {}, under 1, so the position could be liquidated at once. \
             Nothing was sent to your wallet.",
            format_fixed(hf, 4, Rounding::Down)
        )),
        Some(hf) if hf < floor => Verdict::BelowFloor(format!(
            "This leaves a health factor of {}, under your safety floor of {}.",
            format_fixed(hf, 4, Rounding::Down),
            format_exact(floor)
        )),
        _ => Verdict::Fine,
    }
}

/// The safety floor the user typed; at least 1.
pub fn parse_floor(text: &str) -> Result<BigRational, String> {
    let d = PlainDecimal::parse(text.trim()).map_err(|_| format!("{:?} is not a number", text.trim()))?;
    let r = d.to_rational();
    if r < BigRational::from_integer(1.into()) {
        return Err("the safety floor must be 1 or more".into());
    }
    Ok(r)
}

/// What to approve before a supply or repay of `units`: the exact amount,
/// or for "repay max" the debt now plus 0.01 % (rounded up, plus one unit) for
/// the interest that accrues until it is mined; everything only when the user opted in.
pub fn approval_amount(units: U256, debt_units: U256, unlimited: bool) -> U256 {
    if unlimited {
        return U256::MAX;
    }
    if units == U256::MAX {
        return debt_units.saturating_add(debt_units.div_ceil(U256::from(10_000))).saturating_add(U256::from(1));
    }
    units
}

/// The EIP-1559 fee of one transaction: the limits sent and what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeePlan {
    pub gas_estimate: U256,
    /// The estimate plus 20 %, which the wallet is given as the gas limit.
    pub gas_limit: U256,
    pub base_fee: U256,
    pub max_priority_fee_per_gas: U256,
    /// Twice the base fee plus the tip: room for six full blocks of base-fee rises.
    pub max_fee_per_gas: U256,
}

impl FeePlan {
    pub fn new(gas_estimate: U256, base_fee: U256, tip: U256) -> Self {
        let gas_limit = gas_estimate.saturating_mul(U256::from(6)).div_ceil(U256::from(5));
        FeePlan {
            gas_estimate,
            gas_limit,
            base_fee,
            max_priority_fee_per_gas: tip,
            max_fee_per_gas: base_fee.saturating_mul(U256::from(2)).saturating_add(tip),
        }
    }

    /// What it costs at today's base fee, in wei.
    pub fn likely_cost(&self) -> U256 {
        self.gas_estimate.saturating_mul(self.base_fee.saturating_add(self.max_priority_fee_per_gas))
    }

    /// The most it can cost, in wei.
    pub fn max_cost(&self) -> U256 {
        self.gas_limit.saturating_mul(self.max_fee_per_gas)
    }
}

fn ratio(value: U256, decimals: u32) -> BigRational {
    let n = num_bigint::BigInt::from_bytes_be(num_bigint::Sign::Plus, &value.to_be_bytes::<32>());
    BigRational::new(n, num_bigint::BigInt::from(10u32).pow(decimals))
}

/// Wei as the native token, exact.
pub fn native_exact(wei: U256) -> String {
    format_exact(&ratio(wei, 18))
}

/// Wei as gwei, to 3 decimals rounded up.
pub fn gwei(wei: U256) -> String {
    format_fixed(&ratio(wei, 9), 3, Rounding::Up)
}

/// A token amount (units) written exactly in tokens.
pub fn tokens_exact(units: U256, decimals: u32) -> String {
    if units == U256::MAX {
        return "all (type(uint256).max)".into();
    }
    format_exact(&ratio(units, decimals))
}

/// The chain's health factor (a wad; `U256::MAX` without debt) as a rational.
pub fn chain_health_factor(account: &AccountData) -> Option<BigRational> {
    (account.health_factor != U256::MAX).then(|| ratio(account.health_factor, 18))
}

/// The checks right before `eth_sendTransaction`: the wallet is on the
/// position's chain, on the account the step was checked for, and the
/// target is the Pool known for that chain (or the token being approved).
pub fn send_guard(
    wallet_chain: u64,
    position_chain: u64,
    wallet_account: Address,
    checked_account: Address,
    to: Address,
    allowed_targets: &[Address],
) -> Result<(), String> {
    if wallet_chain != position_chain {
        return Err(format!(
            "Your wallet is on chain {wallet_chain}, the position on chain {position_chain}: switch the wallet first. Nothing was sent."
        ));
    }
    if wallet_account != checked_account {
        return Err(format!(
            "The wallet's account changed to {} since this step was checked for {}: check it again. Nothing was sent.",
            wallet_account.to_checksum(None),
            checked_account.to_checksum(None)
        ));
    }
    if !allowed_targets.contains(&to) {
        return Err(format!(
            "{} is not the market's Pool nor the token being approved: refusing to send.",
            to.to_checksum(None)
        ));
    }
    Ok(())
}

/// Aave V3's error codes (Errors.sol) the panel's actions meet most, in words.
fn aave_error(code: &str) -> Option<&'static str> {
    Some(match code {
        "26" => "the amount is 0 (INVALID_AMOUNT)",
        "27" => "the reserve is not active (RESERVE_INACTIVE)",
        "28" => "the reserve is frozen (RESERVE_FROZEN)",
        "29" => "the reserve is paused (RESERVE_PAUSED)",
        "30" => "borrowing is not enabled for this asset (BORROWING_NOT_ENABLED)",
        "32" => "you do not have that much to withdraw (NOT_ENOUGH_AVAILABLE_USER_BALANCE)",
        "34" => "there is no collateral to borrow against (COLLATERAL_BALANCE_IS_ZERO)",
        "35" => "the health factor would fall under the liquidation threshold (HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD)",
        "36" => "the collateral cannot cover a new borrow (COLLATERAL_CANNOT_COVER_NEW_BORROW)",
        "39" => "there is no debt of this type to repay (NO_DEBT_OF_SELECTED_TYPE)",
        "43" => "the collateral would go under its LTV (LTV_VALIDATION_FAILED)",
        "50" => "the borrow cap is exceeded (BORROW_CAP_EXCEEDED)",
        "51" => "the supply cap is exceeded (SUPPLY_CAP_EXCEEDED)",
        "57" => "an LTV-0 collateral blocks this (LTV_VALIDATION_FAILED for LTV 0)",
        _ => return None,
    })
}

/// A revert's reason in words: `Error(string)` (Aave's numeric codes
/// named), `Panic(uint256)`, or the raw data when nothing decodes it.
pub fn revert_words(data: &[u8]) -> String {
    if data.is_empty() {
        return "it reverted without a reason".into();
    }
    match alloy_sol_types::decode_revert_reason(data) {
        Some(reason) => {
            let text = reason.trim_start_matches("revert: ").trim();
            match aave_error(text) {
                Some(words) => format!("Aave error {text}: {words}"),
                None => text.to_owned(),
            }
        }
        None => format!("it reverted with data 0x{}", alloy_primitives::hex::encode(data)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;
    use alloy_sol_types::{Revert, SolError};

    fn usdc() -> MarketReserve {
        MarketReserve { symbol: "USDC".into(), underlying: Address::ZERO, decimals: 6 }
    }
    fn r(text: &str) -> BigRational {
        PlainDecimal::parse(text).unwrap().to_rational()
    }

    #[test]
    fn amounts_become_exact_token_units_or_are_refused_by_name() {
        let a = parse_amount("1,234.5", false).unwrap();
        assert_eq!(token_units(&a, &usdc()), Ok(U256::from(1_234_500_000u64)));
        assert_eq!(token_units(&parse_amount("0.0000001", false).unwrap(), &usdc()).unwrap_err().to_string(), "USDC has 6 decimals; the amount has more");
        assert_eq!(parse_amount("  ", false), Err(AmountError::Empty));
        assert_eq!(parse_amount("0.000", false), Err(AmountError::Zero));
        assert_eq!(parse_amount("1e5", false).unwrap_err().to_string(), "\"1e5\" is not an amount: write it like 1.5");
        assert_eq!(token_units(&parse_amount("x", true).unwrap(), &usdc()), Ok(U256::MAX));
    }

    #[test]
    fn health_factors_under_one_are_refused_and_under_the_floor_warned() {
        let floor = parse_floor(DEFAULT_FLOOR).unwrap();
        assert!(matches!(verdict(Some(&r("0.9999")), &floor), Verdict::Refused(t) if t.contains("0.9999, under 1")));
        assert_eq!(
            verdict(Some(&r("1.05")), &floor),
            Verdict::BelowFloor("This leaves a health factor of 1.0500, under your safety floor of 1.1.".into())
        );
        assert_eq!(verdict(Some(&r("1.1")), &floor), Verdict::Fine);
        assert_eq!(verdict(None, &floor), Verdict::Fine);
        assert_eq!(parse_floor("0.9"), Err("the safety floor must be 1 or more".into()));
        assert!(parse_floor("abc").is_err());
    }

    #[test]
    fn approvals_are_exact_unless_the_user_opts_in() {
        assert_eq!(approval_amount(U256::from(5_000_000), U256::ZERO, false), U256::from(5_000_000));
        // Repay max: 8,000 USDC of debt plus 0.01 % (0.8 USDC) plus one unit.
        assert_eq!(approval_amount(U256::MAX, U256::from(8_000_000_000u64), false), U256::from(8_000_800_001u64));
        assert_eq!(approval_amount(U256::from(5), U256::ZERO, true), U256::MAX);
    }

    #[test]
    fn the_fee_is_twice_the_base_fee_plus_the_tip_on_the_estimate_plus_a_fifth() {
        let gwei_ = U256::from(1_000_000_000u64);
        let fee = FeePlan::new(U256::from(100_001), gwei_ * U256::from(10), gwei_);
        assert_eq!(fee.gas_limit, U256::from(120_002)); // 120,001.2 rounded up
        assert_eq!(fee.max_fee_per_gas, gwei_ * U256::from(21));
        assert_eq!(native_exact(fee.likely_cost()), "0.001100011");
        assert_eq!(native_exact(fee.max_cost()), "0.002520042");
        assert_eq!(gwei(U256::from(1_234_567)), "0.002");
        assert_eq!(tokens_exact(U256::from(1_500_000), 6), "1.5");
    }

    #[test]
    fn nothing_is_sent_to_another_chain_account_or_contract() {
        let pool = address!("1111111111111111111111111111111111111111");
        let me = address!("2222222222222222222222222222222222222222");
        let other = address!("3333333333333333333333333333333333333333");
        assert_eq!(send_guard(31_337, 31_337, me, me, pool, &[pool]), Ok(()));
        assert!(send_guard(1, 31_337, me, me, pool, &[pool]).unwrap_err().starts_with("Your wallet is on chain 1"));
        assert!(send_guard(31_337, 31_337, other, me, pool, &[pool]).unwrap_err().contains("account changed"));
        assert!(send_guard(31_337, 31_337, me, me, other, &[pool]).unwrap_err().contains("not the market's Pool"));
    }

    #[test]
    fn reverts_are_put_in_words() {
        let aave = Revert::from("35").abi_encode();
        assert_eq!(
            revert_words(&aave),
            "Aave error 35: the health factor would fall under the liquidation threshold (HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD)"
        );
        assert_eq!(revert_words(&Revert::from("ERC20: transfer amount exceeds balance").abi_encode()), "ERC20: transfer amount exceeds balance");
        assert_eq!(revert_words(&[]), "it reverted without a reason");
        assert_eq!(revert_words(&[0xab, 0xcd]), "it reverted with data 0xabcd");
    }

    #[test]
    fn the_chains_health_factor_is_a_wad_and_max_means_no_debt() {
        let mut account = AccountData {
            total_collateral_base: U256::ZERO,
            total_debt_base: U256::ZERO,
            ltv: U256::ZERO,
            current_liquidation_threshold: U256::ZERO,
            health_factor: U256::MAX,
            available_borrows_base: U256::ZERO,
        };
        assert_eq!(chain_health_factor(&account), None);
        account.health_factor = U256::from(1_500_000_000_000_000_000u128);
        assert_eq!(chain_health_factor(&account), Some(r("1.5")));
    }
}
