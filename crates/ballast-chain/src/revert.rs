//! Revert data in words, for the user: why a simulated or mined transaction
//! failed.
//!
//! - `Error(string)` with a number: Aave V3.0–3.3's error codes (`"35"`),
//!   the whole table of @aave/core-v3 1.19.3's
//!   `contracts/protocol/libraries/helpers/Errors.sol` (codes 1–91) plus the
//!   codes aave-v3-origin 3.2–3.3 added (92–104, 1000, 1001). Where the engine
//!   models the refusal (`ballast_core`'s `PoolError`) its words are used, so
//!   the what-if and the chain say the same thing.
//! - aave-v3-origin's custom errors (`HealthFactorLowerThanLiquidationThreshold()`,
//!   from its `Errors.sol` after the switch from codes to custom errors, v3.4
//!   on), matched by selector and worded like the code they replace.
//! - OpenZeppelin 5's ERC-20 and ERC-2612 custom errors (IERC6093:
//!   `ERC20InsufficientBalance`, `ERC20InsufficientAllowance`, …) and the
//!   older string forms ("ERC20: transfer amount exceeds allowance").
//! - `Panic(uint256)`; empty data ("reverted without a reason"); anything
//!   else as its 4-byte selector, never a panic.
//!
//! Revert data reaches the app inside error objects: [`revert_data_in`]
//! finds it in the shapes nodes and wallets use, and [`decode_error_object`]
//! and [`decode_node_error`] go from error to reason in one step.

use std::fmt;

use alloy_primitives::{hex, keccak256, Address, Bytes, U256};
use alloy_sol_types::{Panic, PanicKind, Revert, SolError};
use ballast_core::aave_v3::actions::PoolError;
use serde_json::Value;

use crate::jsonrpc::{ErrorData, NodeError};

/// The words a revert stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevertReason {
    /// Empty revert data: `revert()`, a failed `require` without a message,
    /// or a call to an address without code.
    NoReason,
    /// Aave's `Error(string)` with a numeric code.
    AaveCode { code: u32, name: &'static str, words: &'static str },
    /// A custom error Ballast knows: aave-v3-origin's or OpenZeppelin's.
    Custom { source: ErrorSource, name: &'static str, words: &'static str, args: Vec<ErrorArg> },
    /// `Error(string)` with text; `words` when Ballast knows the text.
    Message { text: String, words: Option<&'static str> },
    /// `Panic(uint256)`: the contract failed an internal check.
    Panic { code: U256, words: &'static str },
    /// A selector Ballast does not know, or data too short for one.
    Unknown { data: Bytes },
}

/// Whose error a custom error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorSource {
    Aave,
    Token,
}

/// One argument of a custom error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorArg {
    pub name: &'static str,
    pub value: ArgValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgValue {
    Address(Address),
    Uint(U256),
}

impl fmt::Display for ArgValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgValue::Address(a) => write!(f, "{a}"),
            ArgValue::Uint(u) => write!(f, "{u}"),
        }
    }
}

impl fmt::Display for RevertReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevertReason::NoReason => f.write_str("the transaction reverted without a reason"),
            RevertReason::AaveCode { code, name, words } => write!(f, "{words} (Aave error {code}, {name})"),
            RevertReason::Custom { name, words, args, .. } => {
                write!(f, "{words} ({name}")?;
                for (i, arg) in args.iter().enumerate() {
                    write!(f, "{} {} {}", if i == 0 { ":" } else { "," }, arg.name, arg.value)?;
                }
                f.write_str(")")
            }
            RevertReason::Message { text, words: Some(words) } => write!(f, "{words} (\"{text}\")"),
            RevertReason::Message { text, words: None } => write!(f, "reverted: \"{text}\""),
            RevertReason::Panic { code, words } => {
                write!(f, "the contract failed an internal check: {words} (panic {code:#x})")
            }
            RevertReason::Unknown { data } if data.len() >= 4 => {
                write!(
                    f,
                    "reverted with an error Ballast does not know (selector {})",
                    hex::encode_prefixed(&data[..4])
                )
            }
            RevertReason::Unknown { data } => {
                write!(f, "reverted with malformed error data {}", hex::encode_prefixed(data))
            }
        }
    }
}

/// Most characters of a revert string kept: a contract controls it.
const MAX_MESSAGE_CHARS: usize = 300;

/// Revert data in words. Never panics, whatever the bytes.
pub fn decode_revert(data: &[u8]) -> RevertReason {
    if data.is_empty() {
        return RevertReason::NoReason;
    }
    let Some(selector) = data.get(..4).and_then(|s| <[u8; 4]>::try_from(s).ok()) else {
        return RevertReason::Unknown { data: Bytes::copy_from_slice(data) };
    };
    if selector == Revert::SELECTOR {
        if let Ok(revert) = Revert::abi_decode(data) {
            return from_message(&revert.reason);
        }
    } else if selector == Panic::SELECTOR {
        if let Ok(panic) = Panic::abi_decode(data) {
            return RevertReason::Panic { code: panic.code, words: panic_words(panic.kind()) };
        }
    } else if let Some(reason) = custom_error(selector, &data[4..]) {
        return reason;
    }
    RevertReason::Unknown { data: Bytes::copy_from_slice(data) }
}

/// A revert string in words: an Aave code, a known token message, or the text.
pub fn from_message(text: &str) -> RevertReason {
    let text: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
    if let Some(reason) = text.parse::<u32>().ok().and_then(aave_code) {
        return reason;
    }
    let words = TOKEN_MESSAGES.iter().find(|(message, _)| *message == text).map(|(_, words)| *words);
    RevertReason::Message { text, words }
}

/// Aave's code in words, the engine's where it models the refusal.
fn aave_code(code: u32) -> Option<RevertReason> {
    let entry = AAVE_CODES.iter().find(|c| c.code == code)?;
    let words = PoolError::from_code(&code.to_string()).map_or(entry.text, PoolError::words);
    Some(RevertReason::AaveCode { code, name: entry.name, words })
}

fn panic_words(kind: Option<PanicKind>) -> &'static str {
    match kind {
        Some(PanicKind::Generic) => "a generic compiler check failed",
        Some(PanicKind::Assert) => "an assertion failed",
        Some(PanicKind::UnderOverflow) => "an arithmetic overflow or underflow",
        Some(PanicKind::DivisionByZero) => "a division by zero",
        Some(PanicKind::EnumConversionError) => "an invalid enum value",
        Some(PanicKind::StorageEncodingError) => "corrupt storage",
        Some(PanicKind::EmptyArrayPop) => "a pop from an empty array",
        Some(PanicKind::ArrayOutOfBounds) => "an array index out of bounds",
        Some(PanicKind::ResourceError) => "too much memory allocated",
        Some(PanicKind::InvalidInternalFunction) => "a call of an invalid internal function",
        _ => "an unknown panic code",
    }
}

fn custom_error(selector: [u8; 4], args: &[u8]) -> Option<RevertReason> {
    let (source, error) = AAVE_CUSTOM_ERRORS
        .iter()
        .map(|e| (ErrorSource::Aave, e))
        .chain(TOKEN_CUSTOM_ERRORS.iter().map(|e| (ErrorSource::Token, e)))
        .find(|(_, e)| keccak256(e.signature)[..4] == selector)?;
    // Static arguments only: one 32-byte word each, nothing after.
    if args.len() != 32 * error.params.len() {
        return None;
    }
    let mut decoded = Vec::with_capacity(error.params.len());
    for ((name, kind), word) in error.params.iter().zip(args.chunks_exact(32)) {
        let value = match kind {
            Param::Uint => ArgValue::Uint(U256::from_be_slice(word)),
            Param::Address => {
                if word[..12].iter().any(|b| *b != 0) {
                    return None;
                }
                ArgValue::Address(Address::from_slice(&word[12..]))
            }
        };
        decoded.push(ErrorArg { name, value });
    }
    let name = error.signature.split('(').next().unwrap_or(error.signature);
    let words = match source {
        ErrorSource::Aave => aave_words_for(name).unwrap_or(error.text),
        ErrorSource::Token => error.text,
    };
    Some(RevertReason::Custom { source, name, words, args: decoded })
}

/// The words of the code a custom error replaced (`HealthFactorLowerThan…`
/// was `HEALTH_FACTOR_LOWER_THAN_…`, code 35), so both versions read alike.
fn aave_words_for(custom_name: &str) -> Option<&'static str> {
    let key = |s: &str| s.chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
    let wanted = key(custom_name);
    let entry = AAVE_CODES.iter().find(|c| key(c.name) == wanted)?;
    match aave_code(entry.code)? {
        RevertReason::AaveCode { words, .. } => Some(words),
        _ => None,
    }
}

/// The revert data in an error object from a node or a wallet, in the shapes
/// they use: `data: "0x…"` (Geth, Reth, Erigon, providers), `data: "Reverted
/// 0x…"` (Nethermind), `data: { data: "0x…" }` (Hardhat, MetaMask's
/// "Internal JSON-RPC error" wrapper), `data: { originalError: { data } }`
/// (older MetaMask and web3 providers), and ethers' `info.error` / `error`
/// and `cause` wrappers. `None` when it carries no revert data.
pub fn revert_data_in(error: &Value) -> Option<Bytes> {
    revert_data_at(error, 0)
}

/// How deep wrappers are followed: real ones are two or three levels.
const MAX_ERROR_DEPTH: usize = 6;

fn revert_data_at(value: &Value, depth: usize) -> Option<Bytes> {
    if depth > MAX_ERROR_DEPTH {
        return None;
    }
    match value {
        Value::String(text) => hex_data(text),
        Value::Object(object) => ["data", "originalError", "error", "info", "cause"]
            .iter()
            .filter_map(|key| object.get(*key))
            .find_map(|inner| revert_data_at(inner, depth + 1)),
        _ => None,
    }
}

fn hex_data(text: &str) -> Option<Bytes> {
    let candidate = text.strip_prefix("Reverted ").unwrap_or(text).trim();
    candidate.strip_prefix("0x").and_then(|digits| hex::decode(digits).ok()).map(Bytes::from)
}

/// The reason in an error object (see [`revert_data_in`]); when it has no
/// data but its message is Geth's `"execution reverted: <reason>"`, the reason
/// from the text. `None` for errors that are not reverts (a rejected
/// signature, a network failure).
pub fn decode_error_object(error: &Value) -> Option<RevertReason> {
    if let Some(data) = revert_data_in(error) {
        return Some(decode_revert(&data));
    }
    reverted_message_in(error, 0)
}

fn reverted_message_in(value: &Value, depth: usize) -> Option<RevertReason> {
    let object = value.as_object().filter(|_| depth <= MAX_ERROR_DEPTH)?;
    if let Some(reason) = object.get("message").and_then(Value::as_str).and_then(reason_in_message) {
        return Some(reason);
    }
    ["data", "originalError", "error", "info", "cause"]
        .iter()
        .filter_map(|key| object.get(*key))
        .find_map(|inner| reverted_message_in(inner, depth + 1))
}

/// The reason in a node's error message when it carries no data: Geth's
/// `"execution reverted: <reason>"` (a bare "execution reverted" is
/// [`RevertReason::NoReason`]); `None` for any other message.
pub fn reason_in_message(message: &str) -> Option<RevertReason> {
    let rest = message.trim().strip_prefix("execution reverted")?;
    match rest.strip_prefix(':').map(str::trim) {
        Some(reason) if !reason.is_empty() => Some(from_message(reason)),
        _ => Some(RevertReason::NoReason),
    }
}

/// The reason in a node's answer to `eth_call` or `eth_estimateGas`.
pub fn decode_node_error(error: &NodeError) -> Option<RevertReason> {
    match &error.data {
        ErrorData::Revert(data) => Some(decode_revert(data)),
        ErrorData::None | ErrorData::Other(_) => reason_in_message(&error.message),
    }
}

#[derive(Debug, Clone, Copy)]
enum Param {
    Address,
    Uint,
}

struct CustomError {
    signature: &'static str,
    params: &'static [(&'static str, Param)],
    text: &'static str,
}

struct AaveCode {
    code: u32,
    name: &'static str,
    text: &'static str,
}

/// OpenZeppelin Contracts 5 `IERC20Errors` (draft-IERC6093) and `ERC20Permit`.
const TOKEN_CUSTOM_ERRORS: &[CustomError] = &[
    CustomError {
        signature: "ERC20InsufficientBalance(address,uint256,uint256)",
        params: &[("sender", Param::Address), ("balance", Param::Uint), ("needed", Param::Uint)],
        text: "the token balance is too low for this amount",
    },
    CustomError {
        signature: "ERC20InsufficientAllowance(address,uint256,uint256)",
        params: &[("spender", Param::Address), ("allowance", Param::Uint), ("needed", Param::Uint)],
        text: "the token approval is too low for this amount: approve (or sign a permit) first",
    },
    CustomError {
        signature: "ERC20InvalidSender(address)",
        params: &[("sender", Param::Address)],
        text: "the token refuses this sender",
    },
    CustomError {
        signature: "ERC20InvalidReceiver(address)",
        params: &[("receiver", Param::Address)],
        text: "the token refuses this receiver",
    },
    CustomError {
        signature: "ERC20InvalidApprover(address)",
        params: &[("approver", Param::Address)],
        text: "the token refuses this approver",
    },
    CustomError {
        signature: "ERC20InvalidSpender(address)",
        params: &[("spender", Param::Address)],
        text: "the token refuses this spender",
    },
    CustomError {
        signature: "ERC2612ExpiredSignature(uint256)",
        params: &[("deadline", Param::Uint)],
        text: "the permit's deadline has passed: sign a new one",
    },
    CustomError {
        signature: "ERC2612InvalidSigner(address,address)",
        params: &[("signer", Param::Address), ("owner", Param::Address)],
        text: "the permit was not signed by the token owner",
    },
    CustomError {
        signature: "InvalidAccountNonce(address,uint256)",
        params: &[("account", Param::Address), ("currentNonce", Param::Uint)],
        text: "the permit's nonce is already used: sign a new one",
    },
];

/// Token revert strings of OpenZeppelin 3–4 (which Aave's mock and many
/// deployed tokens use), FiatToken (USDC), Dai and Aave's GPv2SafeERC20.
const TOKEN_MESSAGES: &[(&str, &str)] = &[
    ("ERC20: transfer amount exceeds balance", "the token balance is too low for this amount"),
    ("ERC20: transfer amount exceeds allowance", "the token approval is too low for this amount: approve first"),
    ("ERC20: insufficient allowance", "the token approval is too low for this amount: approve first"),
    ("ERC20: burn amount exceeds balance", "the balance is too low for this amount"),
    ("ERC20Permit: expired deadline", "the permit's deadline has passed: sign a new one"),
    ("ERC20Permit: invalid signature", "the permit's signature is not the owner's"),
    ("FiatTokenV2: permit is expired", "the permit's deadline has passed: sign a new one"),
    ("EIP2612: permit is expired", "the permit's deadline has passed: sign a new one"),
    ("EIP2612: invalid signature", "the permit's signature is not the owner's"),
    ("FiatToken: transfer amount exceeds balance", "the token balance is too low for this amount"),
    ("Dai/insufficient-balance", "the DAI balance is too low for this amount"),
    ("Dai/insufficient-allowance", "the DAI approval is too low for this amount: approve first"),
    ("Dai/permit-expired", "the permit's deadline has passed: sign a new one"),
    ("Dai/invalid-permit", "the permit's signature is not the owner's"),
    ("GPv2: failed transferFrom", "the token transfer failed: check the balance and the approval"),
    ("GPv2: failed transfer", "the token transfer failed"),
    ("INVALID_SIGNATURE", "the permit's signature is not the owner's"),
    ("INVALID_EXPIRATION", "the permit's deadline has passed: sign a new one"),
];

/// @aave/core-v3 1.19.3 `Errors.sol` (codes 1–91, its comments as the text),
/// then aave-v3-origin 3.2–3.3's additions.
const AAVE_CODES: &[AaveCode] = &[
    AaveCode { code: 1, name: "CALLER_NOT_POOL_ADMIN", text: "The caller of the function is not a pool admin" },
    AaveCode {
        code: 2,
        name: "CALLER_NOT_EMERGENCY_ADMIN",
        text: "The caller of the function is not an emergency admin",
    },
    AaveCode {
        code: 3,
        name: "CALLER_NOT_POOL_OR_EMERGENCY_ADMIN",
        text: "The caller of the function is not a pool or emergency admin",
    },
    AaveCode {
        code: 4,
        name: "CALLER_NOT_RISK_OR_POOL_ADMIN",
        text: "The caller of the function is not a risk or pool admin",
    },
    AaveCode {
        code: 5,
        name: "CALLER_NOT_ASSET_LISTING_OR_POOL_ADMIN",
        text: "The caller of the function is not an asset listing or pool admin",
    },
    AaveCode { code: 6, name: "CALLER_NOT_BRIDGE", text: "The caller of the function is not a bridge" },
    AaveCode { code: 7, name: "ADDRESSES_PROVIDER_NOT_REGISTERED", text: "Pool addresses provider is not registered" },
    AaveCode { code: 8, name: "INVALID_ADDRESSES_PROVIDER_ID", text: "Invalid id for the pool addresses provider" },
    AaveCode { code: 9, name: "NOT_CONTRACT", text: "Address is not a contract" },
    AaveCode {
        code: 10,
        name: "CALLER_NOT_POOL_CONFIGURATOR",
        text: "The caller of the function is not the pool configurator",
    },
    AaveCode { code: 11, name: "CALLER_NOT_ATOKEN", text: "The caller of the function is not an AToken" },
    AaveCode {
        code: 12,
        name: "INVALID_ADDRESSES_PROVIDER",
        text: "The address of the pool addresses provider is invalid",
    },
    AaveCode {
        code: 13,
        name: "INVALID_FLASHLOAN_EXECUTOR_RETURN",
        text: "Invalid return value of the flashloan executor function",
    },
    AaveCode { code: 14, name: "RESERVE_ALREADY_ADDED", text: "Reserve has already been added to reserve list" },
    AaveCode { code: 15, name: "NO_MORE_RESERVES_ALLOWED", text: "Maximum amount of reserves in the pool reached" },
    AaveCode {
        code: 16,
        name: "EMODE_CATEGORY_RESERVED",
        text: "Zero eMode category is reserved for volatile heterogeneous assets",
    },
    AaveCode {
        code: 17,
        name: "INVALID_EMODE_CATEGORY_ASSIGNMENT",
        text: "Invalid eMode category assignment to asset",
    },
    AaveCode { code: 18, name: "RESERVE_LIQUIDITY_NOT_ZERO", text: "The liquidity of the reserve needs to be 0" },
    AaveCode { code: 19, name: "FLASHLOAN_PREMIUM_INVALID", text: "Invalid flashloan premium" },
    AaveCode { code: 20, name: "INVALID_RESERVE_PARAMS", text: "Invalid risk parameters for the reserve" },
    AaveCode {
        code: 21,
        name: "INVALID_EMODE_CATEGORY_PARAMS",
        text: "Invalid risk parameters for the eMode category",
    },
    AaveCode { code: 22, name: "BRIDGE_PROTOCOL_FEE_INVALID", text: "Invalid bridge protocol fee" },
    AaveCode { code: 23, name: "CALLER_MUST_BE_POOL", text: "The caller of this function must be a pool" },
    AaveCode { code: 24, name: "INVALID_MINT_AMOUNT", text: "Invalid amount to mint" },
    AaveCode { code: 25, name: "INVALID_BURN_AMOUNT", text: "Invalid amount to burn" },
    AaveCode { code: 26, name: "INVALID_AMOUNT", text: "Amount must be greater than 0" },
    AaveCode { code: 27, name: "RESERVE_INACTIVE", text: "Action requires an active reserve" },
    AaveCode { code: 28, name: "RESERVE_FROZEN", text: "Action cannot be performed because the reserve is frozen" },
    AaveCode { code: 29, name: "RESERVE_PAUSED", text: "Action cannot be performed because the reserve is paused" },
    AaveCode { code: 30, name: "BORROWING_NOT_ENABLED", text: "Borrowing is not enabled" },
    AaveCode { code: 31, name: "STABLE_BORROWING_NOT_ENABLED", text: "Stable borrowing is not enabled" },
    AaveCode {
        code: 32,
        name: "NOT_ENOUGH_AVAILABLE_USER_BALANCE",
        text: "User cannot withdraw more than the available balance",
    },
    AaveCode { code: 33, name: "INVALID_INTEREST_RATE_MODE_SELECTED", text: "Invalid interest rate mode selected" },
    AaveCode { code: 34, name: "COLLATERAL_BALANCE_IS_ZERO", text: "The collateral balance is 0" },
    AaveCode {
        code: 35,
        name: "HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD",
        text: "Health factor is lesser than the liquidation threshold",
    },
    AaveCode {
        code: 36,
        name: "COLLATERAL_CANNOT_COVER_NEW_BORROW",
        text: "There is not enough collateral to cover a new borrow",
    },
    AaveCode {
        code: 37,
        name: "COLLATERAL_SAME_AS_BORROWING_CURRENCY",
        text: "Collateral is (mostly) the same currency that is being borrowed",
    },
    AaveCode {
        code: 38,
        name: "AMOUNT_BIGGER_THAN_MAX_LOAN_SIZE_STABLE",
        text: "The requested amount is greater than the max loan size in stable rate mode",
    },
    AaveCode {
        code: 39,
        name: "NO_DEBT_OF_SELECTED_TYPE",
        text: "For repayment of a specific type of debt, the user needs to have debt that type",
    },
    AaveCode {
        code: 40,
        name: "NO_EXPLICIT_AMOUNT_TO_REPAY_ON_BEHALF",
        text: "To repay on behalf of a user an explicit amount to repay is needed",
    },
    AaveCode {
        code: 41,
        name: "NO_OUTSTANDING_STABLE_DEBT",
        text: "User does not have outstanding stable rate debt on this reserve",
    },
    AaveCode {
        code: 42,
        name: "NO_OUTSTANDING_VARIABLE_DEBT",
        text: "User does not have outstanding variable rate debt on this reserve",
    },
    AaveCode { code: 43, name: "UNDERLYING_BALANCE_ZERO", text: "The underlying balance needs to be greater than 0" },
    AaveCode {
        code: 44,
        name: "INTEREST_RATE_REBALANCE_CONDITIONS_NOT_MET",
        text: "Interest rate rebalance conditions were not met",
    },
    AaveCode { code: 45, name: "HEALTH_FACTOR_NOT_BELOW_THRESHOLD", text: "Health factor is not below the threshold" },
    AaveCode { code: 46, name: "COLLATERAL_CANNOT_BE_LIQUIDATED", text: "The collateral chosen cannot be liquidated" },
    AaveCode {
        code: 47,
        name: "SPECIFIED_CURRENCY_NOT_BORROWED_BY_USER",
        text: "User did not borrow the specified currency",
    },
    AaveCode { code: 49, name: "INCONSISTENT_FLASHLOAN_PARAMS", text: "Inconsistent flashloan parameters" },
    AaveCode { code: 50, name: "BORROW_CAP_EXCEEDED", text: "Borrow cap is exceeded" },
    AaveCode { code: 51, name: "SUPPLY_CAP_EXCEEDED", text: "Supply cap is exceeded" },
    AaveCode { code: 52, name: "UNBACKED_MINT_CAP_EXCEEDED", text: "Unbacked mint cap is exceeded" },
    AaveCode { code: 53, name: "DEBT_CEILING_EXCEEDED", text: "Debt ceiling is exceeded" },
    AaveCode {
        code: 54,
        name: "UNDERLYING_CLAIMABLE_RIGHTS_NOT_ZERO",
        text: "Claimable rights over underlying not zero (aToken supply or accruedToTreasury)",
    },
    AaveCode { code: 55, name: "STABLE_DEBT_NOT_ZERO", text: "Stable debt supply is not zero" },
    AaveCode { code: 56, name: "VARIABLE_DEBT_SUPPLY_NOT_ZERO", text: "Variable debt supply is not zero" },
    AaveCode { code: 57, name: "LTV_VALIDATION_FAILED", text: "Ltv validation failed" },
    AaveCode { code: 58, name: "INCONSISTENT_EMODE_CATEGORY", text: "Inconsistent eMode category" },
    AaveCode { code: 59, name: "PRICE_ORACLE_SENTINEL_CHECK_FAILED", text: "Price oracle sentinel validation failed" },
    AaveCode { code: 60, name: "ASSET_NOT_BORROWABLE_IN_ISOLATION", text: "Asset is not borrowable in isolation mode" },
    AaveCode { code: 61, name: "RESERVE_ALREADY_INITIALIZED", text: "Reserve has already been initialized" },
    AaveCode { code: 62, name: "USER_IN_ISOLATION_MODE_OR_LTV_ZERO", text: "User is in isolation mode or ltv is zero" },
    AaveCode { code: 63, name: "INVALID_LTV", text: "Invalid ltv parameter for the reserve" },
    AaveCode { code: 64, name: "INVALID_LIQ_THRESHOLD", text: "Invalid liquidity threshold parameter for the reserve" },
    AaveCode { code: 65, name: "INVALID_LIQ_BONUS", text: "Invalid liquidity bonus parameter for the reserve" },
    AaveCode {
        code: 66,
        name: "INVALID_DECIMALS",
        text: "Invalid decimals parameter of the underlying asset of the reserve",
    },
    AaveCode { code: 67, name: "INVALID_RESERVE_FACTOR", text: "Invalid reserve factor parameter for the reserve" },
    AaveCode { code: 68, name: "INVALID_BORROW_CAP", text: "Invalid borrow cap for the reserve" },
    AaveCode { code: 69, name: "INVALID_SUPPLY_CAP", text: "Invalid supply cap for the reserve" },
    AaveCode {
        code: 70,
        name: "INVALID_LIQUIDATION_PROTOCOL_FEE",
        text: "Invalid liquidation protocol fee for the reserve",
    },
    AaveCode { code: 71, name: "INVALID_EMODE_CATEGORY", text: "Invalid eMode category for the reserve" },
    AaveCode { code: 72, name: "INVALID_UNBACKED_MINT_CAP", text: "Invalid unbacked mint cap for the reserve" },
    AaveCode { code: 73, name: "INVALID_DEBT_CEILING", text: "Invalid debt ceiling for the reserve" },
    AaveCode { code: 74, name: "INVALID_RESERVE_INDEX", text: "Invalid reserve index" },
    AaveCode { code: 75, name: "ACL_ADMIN_CANNOT_BE_ZERO", text: "ACL admin cannot be set to the zero address" },
    AaveCode {
        code: 76,
        name: "INCONSISTENT_PARAMS_LENGTH",
        text: "Array parameters that should be equal length are not",
    },
    AaveCode { code: 77, name: "ZERO_ADDRESS_NOT_VALID", text: "Zero address not valid" },
    AaveCode { code: 78, name: "INVALID_EXPIRATION", text: "Invalid expiration" },
    AaveCode { code: 79, name: "INVALID_SIGNATURE", text: "Invalid signature" },
    AaveCode { code: 80, name: "OPERATION_NOT_SUPPORTED", text: "Operation not supported" },
    AaveCode { code: 81, name: "DEBT_CEILING_NOT_ZERO", text: "Debt ceiling is not zero" },
    AaveCode { code: 82, name: "ASSET_NOT_LISTED", text: "Asset is not listed" },
    AaveCode { code: 83, name: "INVALID_OPTIMAL_USAGE_RATIO", text: "Invalid optimal usage ratio" },
    AaveCode {
        code: 84,
        name: "INVALID_OPTIMAL_STABLE_TO_TOTAL_DEBT_RATIO",
        text: "Invalid optimal stable to total debt ratio",
    },
    AaveCode { code: 85, name: "UNDERLYING_CANNOT_BE_RESCUED", text: "The underlying asset cannot be rescued" },
    AaveCode {
        code: 86,
        name: "ADDRESSES_PROVIDER_ALREADY_ADDED",
        text: "Reserve has already been added to reserve list",
    },
    AaveCode {
        code: 87,
        name: "POOL_ADDRESSES_DO_NOT_MATCH",
        text:
            "The token implementation pool address and the pool address provided by the initializing pool do not match",
    },
    AaveCode { code: 88, name: "STABLE_BORROWING_ENABLED", text: "Stable borrowing is enabled" },
    AaveCode {
        code: 89,
        name: "SILOED_BORROWING_VIOLATION",
        text: "User is trying to borrow multiple assets including a siloed one",
    },
    AaveCode { code: 90, name: "RESERVE_DEBT_NOT_ZERO", text: "the total debt of the reserve needs to be 0" },
    AaveCode { code: 91, name: "FLASHLOAN_DISABLED", text: "FlashLoaning for this asset is disabled" },
    // aave-v3-origin 3.2–3.3 (string codes still; 31, 38, 41, 84, 88 were dropped with stable debt).
    AaveCode { code: 92, name: "INVALID_MAX_RATE", text: "The expect maximum borrow rate is invalid" },
    AaveCode { code: 93, name: "WITHDRAW_TO_ATOKEN", text: "Withdrawing to the aToken is not allowed" },
    AaveCode { code: 94, name: "SUPPLY_TO_ATOKEN", text: "Supplying to the aToken is not allowed" },
    AaveCode {
        code: 95,
        name: "SLOPE_2_MUST_BE_GTE_SLOPE_1",
        text: "Variable interest rate slope 2 can not be lower than slope 1",
    },
    AaveCode {
        code: 96,
        name: "CALLER_NOT_RISK_OR_POOL_OR_EMERGENCY_ADMIN",
        text: "The caller of the function is not a risk, pool or emergency admin",
    },
    AaveCode {
        code: 97,
        name: "LIQUIDATION_GRACE_SENTINEL_CHECK_FAILED",
        text: "Liquidation grace sentinel validation failed",
    },
    AaveCode { code: 98, name: "INVALID_GRACE_PERIOD", text: "Grace period above a valid range" },
    AaveCode { code: 99, name: "INVALID_FREEZE_STATE", text: "Reserve is already in the passed freeze state" },
    AaveCode { code: 100, name: "NOT_BORROWABLE_IN_EMODE", text: "Asset not borrowable in eMode" },
    AaveCode {
        code: 101,
        name: "CALLER_NOT_UMBRELLA",
        text: "The caller of the function is not the umbrella contract",
    },
    AaveCode { code: 102, name: "RESERVE_NOT_IN_DEFICIT", text: "The reserve is not in deficit" },
    AaveCode {
        code: 103,
        name: "MUST_NOT_LEAVE_DUST",
        text: "Below a certain threshold liquidators need to take the full position",
    },
    AaveCode {
        code: 104,
        name: "USER_CANNOT_HAVE_DEBT",
        text: "Thrown when a user tries to interact with a method that requires a position without debt",
    },
    AaveCode {
        code: 1000,
        name: "CALLER_NOT_ATOKEN_TRANSFER_ADMIN",
        text: "The caller of the function is not the RWA authorized transfer admin",
    },
    AaveCode { code: 1001, name: "SUPPLY_ON_BEHALF_OF_NOT_SUPPORTED", text: "Supply on behalf of is not supported" },
];

/// aave-v3-origin `src/contracts/protocol/libraries/helpers/Errors.sol`, the
/// custom-error form (aave-dao/aave-v3-origin e4cc47e, plus
/// `InvalidLtvzeroState` and the three e-mode errors with arguments of a
/// later revision), each with its comment as the text.
const AAVE_CUSTOM_ERRORS: &[CustomError] = &[
    CustomError {
        signature: "CallerNotPoolAdmin()",
        params: &[],
        text: "The caller of the function is not a pool admin",
    },
    CustomError {
        signature: "CallerNotPoolOrEmergencyAdmin()",
        params: &[],
        text: "The caller of the function is not a pool or emergency admin",
    },
    CustomError {
        signature: "CallerNotRiskOrPoolAdmin()",
        params: &[],
        text: "The caller of the function is not a risk or pool admin",
    },
    CustomError {
        signature: "CallerNotAssetListingOrPoolAdmin()",
        params: &[],
        text: "The caller of the function is not an asset listing or pool admin",
    },
    CustomError {
        signature: "AddressesProviderNotRegistered()",
        params: &[],
        text: "Pool addresses provider is not registered",
    },
    CustomError {
        signature: "InvalidAddressesProviderId()",
        params: &[],
        text: "Invalid id for the pool addresses provider",
    },
    CustomError { signature: "NotContract()", params: &[], text: "Address is not a contract" },
    CustomError {
        signature: "CallerNotPoolConfigurator()",
        params: &[],
        text: "The caller of the function is not the pool configurator",
    },
    CustomError { signature: "CallerNotAToken()", params: &[], text: "The caller of the function is not an AToken" },
    CustomError {
        signature: "InvalidAddressesProvider()",
        params: &[],
        text: "The address of the pool addresses provider is invalid",
    },
    CustomError {
        signature: "InvalidFlashloanExecutorReturn()",
        params: &[],
        text: "Invalid return value of the flashloan executor function",
    },
    CustomError {
        signature: "ReserveAlreadyAdded()",
        params: &[],
        text: "Reserve has already been added to reserve list",
    },
    CustomError {
        signature: "NoMoreReservesAllowed()",
        params: &[],
        text: "Maximum amount of reserves in the pool reached",
    },
    CustomError {
        signature: "EModeCategoryReserved()",
        params: &[],
        text: "Zero eMode category is reserved for volatile heterogeneous assets",
    },
    CustomError {
        signature: "ReserveLiquidityNotZero()",
        params: &[],
        text: "The liquidity of the reserve needs to be 0",
    },
    CustomError { signature: "FlashloanPremiumInvalid()", params: &[], text: "Invalid flashloan premium" },
    CustomError { signature: "InvalidReserveParams()", params: &[], text: "Invalid risk parameters for the reserve" },
    CustomError {
        signature: "InvalidEmodeCategoryParams()",
        params: &[],
        text: "Invalid risk parameters for the eMode category",
    },
    CustomError { signature: "CallerMustBePool()", params: &[], text: "The caller of this function must be a pool" },
    CustomError { signature: "InvalidMintAmount()", params: &[], text: "Invalid amount to mint" },
    CustomError { signature: "InvalidBurnAmount()", params: &[], text: "Invalid amount to burn" },
    CustomError { signature: "InvalidAmount()", params: &[], text: "Amount must be greater than 0" },
    CustomError { signature: "ReserveInactive()", params: &[], text: "Action requires an active reserve" },
    CustomError {
        signature: "ReserveFrozen()",
        params: &[],
        text: "Action cannot be performed because the reserve is frozen",
    },
    CustomError {
        signature: "ReservePaused()",
        params: &[],
        text: "Action cannot be performed because the reserve is paused",
    },
    CustomError { signature: "BorrowingNotEnabled()", params: &[], text: "Borrowing is not enabled" },
    CustomError {
        signature: "NotEnoughAvailableUserBalance()",
        params: &[],
        text: "User cannot withdraw more than the available balance",
    },
    CustomError {
        signature: "InvalidInterestRateModeSelected()",
        params: &[],
        text: "Invalid interest rate mode selected",
    },
    CustomError {
        signature: "HealthFactorLowerThanLiquidationThreshold()",
        params: &[],
        text: "Health factor is below the liquidation threshold",
    },
    CustomError {
        signature: "CollateralCannotCoverNewBorrow()",
        params: &[],
        text: "There is not enough collateral to cover a new borrow",
    },
    CustomError {
        signature: "NoDebtOfSelectedType()",
        params: &[],
        text: "For repayment of a specific type of debt, the user needs to have debt that type",
    },
    CustomError {
        signature: "NoExplicitAmountToRepayOnBehalf()",
        params: &[],
        text: "To repay on behalf of a user an explicit amount to repay is needed",
    },
    CustomError {
        signature: "UnderlyingBalanceZero()",
        params: &[],
        text: "The underlying balance needs to be greater than 0",
    },
    CustomError {
        signature: "HealthFactorNotBelowThreshold()",
        params: &[],
        text: "Health factor is not below the threshold",
    },
    CustomError {
        signature: "CollateralCannotBeLiquidated()",
        params: &[],
        text: "The collateral chosen cannot be liquidated",
    },
    CustomError {
        signature: "SpecifiedCurrencyNotBorrowedByUser()",
        params: &[],
        text: "User did not borrow the specified currency",
    },
    CustomError { signature: "InconsistentFlashloanParams()", params: &[], text: "Inconsistent flashloan parameters" },
    CustomError { signature: "BorrowCapExceeded()", params: &[], text: "Borrow cap is exceeded" },
    CustomError { signature: "SupplyCapExceeded()", params: &[], text: "Supply cap is exceeded" },
    CustomError { signature: "DebtCeilingExceeded()", params: &[], text: "Debt ceiling is exceeded" },
    CustomError {
        signature: "UnderlyingClaimableRightsNotZero()",
        params: &[],
        text: "Claimable rights over underlying not zero (aToken supply or accruedToTreasury)",
    },
    CustomError { signature: "VariableDebtSupplyNotZero()", params: &[], text: "Variable debt supply is not zero" },
    CustomError { signature: "LtvValidationFailed()", params: &[], text: "Ltv validation failed" },
    CustomError { signature: "InconsistentEModeCategory()", params: &[], text: "Inconsistent eMode category" },
    CustomError {
        signature: "PriceOracleSentinelCheckFailed()",
        params: &[],
        text: "Price oracle sentinel validation failed",
    },
    CustomError {
        signature: "AssetNotBorrowableInIsolation()",
        params: &[],
        text: "Asset is not borrowable in isolation mode",
    },
    CustomError { signature: "ReserveAlreadyInitialized()", params: &[], text: "Reserve has already been initialized" },
    CustomError {
        signature: "UserInIsolationModeOrLtvZero()",
        params: &[],
        text: "User is in isolation mode or ltv is zero",
    },
    CustomError { signature: "InvalidLtv()", params: &[], text: "Invalid ltv parameter for the reserve" },
    CustomError {
        signature: "InvalidLiquidationThreshold()",
        params: &[],
        text: "Invalid liquidity threshold parameter for the reserve",
    },
    CustomError {
        signature: "InvalidLiquidationBonus()",
        params: &[],
        text: "Invalid liquidity bonus parameter for the reserve",
    },
    CustomError {
        signature: "InvalidDecimals()",
        params: &[],
        text: "Invalid decimals parameter of the underlying asset of the reserve",
    },
    CustomError {
        signature: "InvalidReserveFactor()",
        params: &[],
        text: "Invalid reserve factor parameter for the reserve",
    },
    CustomError { signature: "InvalidBorrowCap()", params: &[], text: "Invalid borrow cap for the reserve" },
    CustomError { signature: "InvalidSupplyCap()", params: &[], text: "Invalid supply cap for the reserve" },
    CustomError {
        signature: "InvalidLiquidationProtocolFee()",
        params: &[],
        text: "Invalid liquidation protocol fee for the reserve",
    },
    CustomError { signature: "InvalidDebtCeiling()", params: &[], text: "Invalid debt ceiling for the reserve" },
    CustomError { signature: "InvalidReserveIndex()", params: &[], text: "Invalid reserve index" },
    CustomError {
        signature: "AclAdminCannotBeZero()",
        params: &[],
        text: "ACL admin cannot be set to the zero address",
    },
    CustomError {
        signature: "InconsistentParamsLength()",
        params: &[],
        text: "Array parameters that should be equal length are not",
    },
    CustomError { signature: "ZeroAddressNotValid()", params: &[], text: "Zero address not valid" },
    CustomError { signature: "InvalidExpiration()", params: &[], text: "Invalid expiration" },
    CustomError { signature: "InvalidSignature()", params: &[], text: "Invalid signature" },
    CustomError { signature: "OperationNotSupported()", params: &[], text: "Operation not supported" },
    CustomError { signature: "DebtCeilingNotZero()", params: &[], text: "Debt ceiling is not zero" },
    CustomError { signature: "AssetNotListed()", params: &[], text: "Asset is not listed" },
    CustomError { signature: "InvalidOptimalUsageRatio()", params: &[], text: "Invalid optimal usage ratio" },
    CustomError {
        signature: "UnderlyingCannotBeRescued()",
        params: &[],
        text: "The underlying asset cannot be rescued",
    },
    CustomError {
        signature: "AddressesProviderAlreadyAdded()",
        params: &[],
        text: "Reserve has already been added to reserve list",
    },
    CustomError {
        signature: "PoolAddressesDoNotMatch()",
        params: &[],
        text:
            "The token implementation pool address and the pool address provided by the initializing pool do not match",
    },
    CustomError {
        signature: "SiloedBorrowingViolation()",
        params: &[],
        text: "User is trying to borrow multiple assets including a siloed one",
    },
    CustomError { signature: "ReserveDebtNotZero()", params: &[], text: "the total debt of the reserve needs to be 0" },
    CustomError { signature: "FlashloanDisabled()", params: &[], text: "FlashLoaning for this asset is disabled" },
    CustomError { signature: "InvalidMaxRate()", params: &[], text: "The expect maximum borrow rate is invalid" },
    CustomError { signature: "WithdrawToAToken()", params: &[], text: "Withdrawing to the aToken is not allowed" },
    CustomError { signature: "SupplyToAToken()", params: &[], text: "Supplying to the aToken is not allowed" },
    CustomError {
        signature: "Slope2MustBeGteSlope1()",
        params: &[],
        text: "Variable interest rate slope 2 can not be lower than slope 1",
    },
    CustomError {
        signature: "CallerNotRiskOrPoolOrEmergencyAdmin()",
        params: &[],
        text: "The caller of the function is not a risk, pool or emergency admin",
    },
    CustomError {
        signature: "LiquidationGraceSentinelCheckFailed()",
        params: &[],
        text: "Liquidation grace sentinel validation failed",
    },
    CustomError { signature: "InvalidGracePeriod()", params: &[], text: "Grace period above a valid range" },
    CustomError {
        signature: "InvalidFreezeState()",
        params: &[],
        text: "Reserve is already in the passed freeze state",
    },
    CustomError {
        signature: "InvalidLtvzeroState()",
        params: &[],
        text: "Reserve is already in the passed ltvzero state",
    },
    CustomError { signature: "NotBorrowableInEMode()", params: &[], text: "Asset not borrowable in eMode" },
    CustomError {
        signature: "CallerNotUmbrella()",
        params: &[],
        text: "The caller of the function is not the umbrella contract",
    },
    CustomError { signature: "ReserveNotInDeficit()", params: &[], text: "The reserve is not in deficit" },
    CustomError {
        signature: "MustNotLeaveDust()",
        params: &[],
        text: "Below a certain threshold liquidators need to take the full position",
    },
    CustomError {
        signature: "UserCannotHaveDebt()",
        params: &[],
        text: "Thrown when a user tries to interact with a method that requires a position without debt",
    },
    CustomError {
        signature: "SelfLiquidation()",
        params: &[],
        text: "Thrown when a user tries to liquidate themselves",
    },
    CustomError {
        signature: "CallerNotPositionManager()",
        params: &[],
        text: "Thrown when the caller has not been enabled as a position manager of the on-behalf-of user",
    },
    CustomError {
        signature: "InvalidCollateralInEmode(address,uint256)",
        params: &[("reserve", Param::Address), ("categoryId", Param::Uint)],
        text: "Thrown when trying to enter an eMode with an invalid collateral asset",
    },
    CustomError {
        signature: "InvalidDebtInEmode(address,uint256)",
        params: &[("reserve", Param::Address), ("categoryId", Param::Uint)],
        text: "Thrown when trying to enter an eMode with an invalid debt asset",
    },
    CustomError {
        signature: "MustBeEmodeCollateral(address,uint256)",
        params: &[("reserve", Param::Address), ("categoryId", Param::Uint)],
        text: "Thrown when trying to configure an asset as eMode-ltvzero that is not an eMode collateral",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx_fixtures::fixture_hex;
    use alloy_primitives::address;
    use serde_json::json;

    #[test]
    fn aave_codes_read_as_the_engines_words() {
        let reason = decode_revert(&fixture_hex("reverts", "error_string_35"));
        assert_eq!(
            reason,
            RevertReason::AaveCode {
                code: 35,
                name: "HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD",
                words: "the health factor would be below 1 (or already is)",
            }
        );
        assert_eq!(
            reason.to_string(),
            "the health factor would be below 1 (or already is) (Aave error 35, HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD)"
        );
        // A code the engine does not model keeps Errors.sol's comment.
        assert_eq!(
            from_message("40"),
            RevertReason::AaveCode {
                code: 40,
                name: "NO_EXPLICIT_AMOUNT_TO_REPAY_ON_BEHALF",
                words: "To repay on behalf of a user an explicit amount to repay is needed",
            }
        );
        assert!(matches!(from_message("103"), RevertReason::AaveCode { name: "MUST_NOT_LEAVE_DUST", .. }));
        // 48 is not a code in any version: the text stands.
        assert_eq!(from_message("48"), RevertReason::Message { text: "48".into(), words: None });
    }

    #[test]
    fn the_code_table_is_the_whole_of_errors_sol_1_19_3() {
        let v3_0: Vec<_> = AAVE_CODES.iter().filter(|c| c.code <= 91).collect();
        assert_eq!(v3_0.len(), 90, "1..=91 without 48");
        assert!(v3_0.iter().all(|c| c.code != 48));
        let mut codes: Vec<u32> = AAVE_CODES.iter().map(|c| c.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), AAVE_CODES.len(), "codes are listed once, in order");
        // Every refusal the engine models has its code in the table.
        for error in PoolError::ALL {
            let code: u32 = error.code().parse().unwrap();
            assert!(AAVE_CODES.iter().any(|c| c.code == code), "{error:?}");
            assert_eq!(PoolError::from_code(error.code()), Some(error));
        }
    }

    #[test]
    fn origin_custom_errors_by_selector() {
        let hf = decode_revert(&fixture_hex("reverts", "origin_hf_below_threshold"));
        assert_eq!(
            hf,
            RevertReason::Custom {
                source: ErrorSource::Aave,
                name: "HealthFactorLowerThanLiquidationThreshold",
                words: "the health factor would be below 1 (or already is)",
                args: vec![],
            }
        );
        let emode = decode_revert(&fixture_hex("reverts", "origin_invalid_collateral_in_emode"));
        assert_eq!(
            emode.to_string(),
            "Thrown when trying to enter an eMode with an invalid collateral asset (InvalidCollateralInEmode: reserve \
             0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2, categoryId 1)"
        );
        // Renamed in origin (INCONSISTENT_EMODE_CATEGORY → InconsistentEModeCategory), same words.
        let selector = keccak256("InconsistentEModeCategory()");
        let RevertReason::Custom { words, .. } = decode_revert(&selector[..4]) else { panic!("not decoded") };
        assert_eq!(words, PoolError::InconsistentEmodeCategory.words());
        // The table's selectors are distinct (a clash would misname an error).
        let mut selectors: Vec<[u8; 4]> = AAVE_CUSTOM_ERRORS
            .iter()
            .chain(TOKEN_CUSTOM_ERRORS)
            .map(|e| keccak256(e.signature)[..4].try_into().unwrap())
            .collect();
        selectors.sort_unstable();
        selectors.dedup();
        assert_eq!(selectors.len(), AAVE_CUSTOM_ERRORS.len() + TOKEN_CUSTOM_ERRORS.len());
    }

    #[test]
    fn token_errors_new_and_old() {
        let balance = decode_revert(&fixture_hex("reverts", "oz_insufficient_balance"));
        let RevertReason::Custom { source: ErrorSource::Token, name, args, .. } = &balance else {
            panic!("{balance:?}")
        };
        assert_eq!(*name, "ERC20InsufficientBalance");
        assert_eq!(
            args.iter().map(|a| a.value).collect::<Vec<_>>(),
            vec![
                ArgValue::Address(address!("70997970C51812dc3A010C7d01b50e0d17dc79C8")),
                ArgValue::Uint(U256::from(5_000_000u64)),
                ArgValue::Uint(U256::from(3_000_000_000u64)),
            ]
        );
        let allowance = decode_revert(&fixture_hex("reverts", "oz_insufficient_allowance"));
        assert!(allowance.to_string().starts_with("the token approval is too low"), "{allowance}");
        let old = decode_revert(&fixture_hex("reverts", "old_string_allowance"));
        assert_eq!(
            old.to_string(),
            "the token approval is too low for this amount: approve first (\"ERC20: transfer amount exceeds allowance\")"
        );
        assert_eq!(from_message("Nope").to_string(), "reverted: \"Nope\"");
    }

    #[test]
    fn panics_empty_and_unknown_data() {
        let panic = decode_revert(&fixture_hex("reverts", "panic_0x11"));
        assert_eq!(
            panic.to_string(),
            "the contract failed an internal check: an arithmetic overflow or underflow (panic 0x11)"
        );
        assert_eq!(decode_revert(&[]).to_string(), "the transaction reverted without a reason");
        assert_eq!(
            decode_revert(&[0x12, 0x34, 0x56, 0x78, 0x9a]).to_string(),
            "reverted with an error Ballast does not know (selector 0x12345678)"
        );
        assert_eq!(decode_revert(&[0x12, 0x34]).to_string(), "reverted with malformed error data 0x1234");
        // Known selectors with bad arguments are unknown, not a panic.
        let mut dirty = fixture_hex("reverts", "oz_insufficient_balance");
        dirty[4] = 1; // the address word's padding
        assert!(matches!(decode_revert(&dirty), RevertReason::Unknown { .. }));
        let truncated = &fixture_hex("reverts", "error_string_35")[..40];
        assert!(matches!(decode_revert(truncated), RevertReason::Unknown { .. }));
        // A contract's long string is cut.
        let long = "x".repeat(10_000);
        let RevertReason::Message { text, .. } = from_message(&long) else { panic!() };
        assert_eq!(text.len(), MAX_MESSAGE_CHARS);
    }

    #[test]
    fn error_objects_of_nodes_and_wallets() {
        let data = format!("0x{}", hex::encode(fixture_hex("reverts", "error_string_35")));
        let shapes = [
            json!({ "code": 3, "message": "execution reverted: 35", "data": data }),
            json!({ "code": -32603, "message": "Internal JSON-RPC error.", "data": { "code": 3, "data": data } }),
            json!({
                "code": -32603,
                "message": "Internal JSON-RPC error.",
                "data": { "originalError": { "code": 3, "data": data } },
            }),
            json!({ "code": "CALL_EXCEPTION", "info": { "error": { "code": 3, "data": data } } }),
            json!({ "code": -32015, "message": "VM execution error.", "data": format!("Reverted {data}") }),
            // No data, only Geth's message.
            json!({ "code": -32000, "message": "execution reverted: 35" }),
        ];
        for shape in shapes {
            assert!(matches!(decode_error_object(&shape), Some(RevertReason::AaveCode { code: 35, .. })), "{shape}");
        }
        assert_eq!(
            decode_error_object(&json!({ "code": -32000, "message": "execution reverted" })),
            Some(RevertReason::NoReason)
        );
        assert_eq!(decode_error_object(&json!({ "code": 4001, "message": "User rejected the request." })), None);
        assert_eq!(decode_error_object(&json!("nonsense")), None);
        let mut deep = json!({ "data": data });
        for _ in 0..20 {
            deep = json!({ "error": deep });
        }
        assert_eq!(revert_data_in(&deep), None);
    }

    #[test]
    fn node_errors_from_jsonrpc() {
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":1,"error":{{"code":3,"message":"execution reverted","data":"0x{}"}}}}"#,
            hex::encode(fixture_hex("reverts", "origin_hf_below_threshold"))
        );
        let Err(crate::jsonrpc::RpcError::Node(error)) = crate::jsonrpc::parse_response(&body, 1) else { panic!() };
        assert!(matches!(
            decode_node_error(&error),
            Some(RevertReason::Custom { name: "HealthFactorLowerThanLiquidationThreshold", .. })
        ));
        let text_only = NodeError { code: -32000, message: "execution reverted: 26".into(), data: ErrorData::None };
        assert!(matches!(decode_node_error(&text_only), Some(RevertReason::AaveCode { code: 26, .. })));
        let not_a_revert = NodeError { code: -32000, message: "nonce too low".into(), data: ErrorData::None };
        assert_eq!(decode_node_error(&not_a_revert), None);
    }
}
