//! The user's actions on an Aave V3 Pool as transactions to sign: calldata
//! built with alloy-sol-types from @aave/core-v3 1.19.3's `IPool` (the same
//! functions and selectors on every V3 Pool up to aave-v3-origin 3.x), what a
//! transaction will do read back from its bytes, and the engine's what-if for
//! the same action.
//!
//! - [`pool_tx`]: an [`AaveAction`] → a [`TxRequest`] to the Pool.
//! - [`describe`]: a [`TxRequest`] → a [`TxDescription`] in words, decoded
//!   from the calldata (not from the intent), for the user to check before
//!   signing. Token calls (`approve`) are described too, see [`crate::erc20`].
//! - [`engine_action`]: an [`AaveAction`] → ballast-core's what-if
//!   [`Action`], so the app can show the health factor after it.
//!
//! Amounts are integers in the token's smallest unit. [`ActionAmount::Max`]
//! is `type(uint256).max`, the Pool's "everything" for withdraw and repay: the
//! Pool replaces it by the balance or debt at execution time, so no dust of
//! interest accrued before inclusion is left. Supply and borrow refuse it.
//!
//! ```
//! use alloy_primitives::{address, U256};
//! use ballast_chain::aave_actions::{pool_tx, AaveAction, ActionAmount};
//!
//! let pool = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
//! let user = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
//! let usdc = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
//! let tx = pool_tx(pool, user, &AaveAction::Repay { asset: usdc, amount: ActionAmount::Max }).unwrap();
//! assert_eq!(tx.to, pool);
//! assert_eq!(&tx.data[..4], &[0x57, 0x3a, 0xde, 0x81]); // repay(address,uint256,uint256,address)
//! assert_eq!(tx.value, U256::ZERO);
//! ```

use std::fmt;

use alloy_primitives::{Address, Bytes, I256, U256};
use alloy_sol_types::{sol, SolCall};
use ballast_core::aave_v3::actions::{Action, AmountOrMax};
use ballast_core::display::group_exact;
use ballast_core::exact::PlainDecimal;

use crate::decimal::Decimal;
pub use crate::erc20::approval_needed;
use crate::erc20::IERC20;
use crate::permit::PermitSignature;

sol! {
    /// The user-facing writes of Aave V3's IPool (@aave/core-v3 1.19.3
    /// contracts/interfaces/IPool.sol).
    interface IPoolActions {
        function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode) external;
        function supplyWithPermit(
            address asset,
            uint256 amount,
            address onBehalfOf,
            uint16 referralCode,
            uint256 deadline,
            uint8 permitV,
            bytes32 permitR,
            bytes32 permitS
        ) external;
        function withdraw(address asset, uint256 amount, address to) external returns (uint256);
        function borrow(
            address asset,
            uint256 amount,
            uint256 interestRateMode,
            uint16 referralCode,
            address onBehalfOf
        ) external;
        function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf)
            external
            returns (uint256);
        function repayWithPermit(
            address asset,
            uint256 amount,
            uint256 interestRateMode,
            address onBehalfOf,
            uint256 deadline,
            uint8 permitV,
            bytes32 permitR,
            bytes32 permitS
        ) external returns (uint256);
        function setUserUseReserveAsCollateral(address asset, bool useAsCollateral) external;
        function setUserEMode(uint8 categoryId) external;
    }
}

/// Aave's `InterestRateMode.VARIABLE`: the only borrow mode Ballast uses
/// (stable rate is disabled on every V3 market, and gone from 3.2).
pub const VARIABLE_RATE_MODE: u8 = 2;

/// No referral: Aave's referral program is inactive and 0 is its "none".
pub const REFERRAL_CODE: u16 = 0;

/// A token amount in its smallest unit, or everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionAmount {
    Exact(U256),
    /// `type(uint256).max`: the Pool's "all" for withdraw (the whole aToken
    /// balance) and repay (the whole debt, as of the block it runs in).
    Max,
}

impl ActionAmount {
    /// The uint256 the Pool receives.
    pub fn on_chain(self) -> U256 {
        match self {
            ActionAmount::Exact(amount) => amount,
            ActionAmount::Max => U256::MAX,
        }
    }
}

/// One action on the Pool by the connected user, for themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AaveAction {
    /// The Pool pulls `amount` of `asset` (an approval or permit first).
    Supply {
        asset: Address,
        amount: ActionAmount,
    },
    Withdraw {
        asset: Address,
        amount: ActionAmount,
    },
    /// At the variable rate ([`VARIABLE_RATE_MODE`]).
    Borrow {
        asset: Address,
        amount: ActionAmount,
    },
    /// Variable debt. The Pool pulls the amount repaid (an approval or permit first).
    Repay {
        asset: Address,
        amount: ActionAmount,
    },
    SetCollateral {
        asset: Address,
        enabled: bool,
    },
    /// Enter e-mode `category`, or 0 to leave it.
    SetEMode {
        category: u8,
    },
    /// Supply with an EIP-2612 permit for exactly `amount`, signed by the user for the Pool.
    SupplyWithPermit {
        asset: Address,
        amount: ActionAmount,
        permit: PermitSignature,
    },
    /// Repay with an EIP-2612 permit; its value must equal `amount`'s on-chain
    /// value (the Pool calls `permit(user, pool, amount, …)`).
    RepayWithPermit {
        asset: Address,
        amount: ActionAmount,
        permit: PermitSignature,
    },
}

impl AaveAction {
    /// The reserve acted on (none for e-mode).
    pub fn asset(&self) -> Option<Address> {
        match self {
            AaveAction::Supply { asset, .. }
            | AaveAction::Withdraw { asset, .. }
            | AaveAction::Borrow { asset, .. }
            | AaveAction::Repay { asset, .. }
            | AaveAction::SetCollateral { asset, .. }
            | AaveAction::SupplyWithPermit { asset, .. }
            | AaveAction::RepayWithPermit { asset, .. } => Some(*asset),
            AaveAction::SetEMode { .. } => None,
        }
    }

    /// The Pool function it calls, for messages.
    pub fn function(&self) -> &'static str {
        match self {
            AaveAction::Supply { .. } => "supply",
            AaveAction::Withdraw { .. } => "withdraw",
            AaveAction::Borrow { .. } => "borrow",
            AaveAction::Repay { .. } => "repay",
            AaveAction::SetCollateral { .. } => "setUserUseReserveAsCollateral",
            AaveAction::SetEMode { .. } => "setUserEMode",
            AaveAction::SupplyWithPermit { .. } => "supplyWithPermit",
            AaveAction::RepayWithPermit { .. } => "repayWithPermit",
        }
    }
}

/// A transaction for the wallet to sign: `eth_sendTransaction`'s to, data and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxRequest {
    pub to: Address,
    pub data: Bytes,
    /// Wei sent along; zero for every Pool and token call here.
    pub value: U256,
}

impl TxRequest {
    /// A call of `call` on `to`, sending no ether.
    pub fn call<C: SolCall>(to: Address, call: &C) -> Self {
        Self { to, data: call.abi_encode().into(), value: U256::ZERO }
    }
}

/// Why an action cannot become a transaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("{function} needs an amount greater than 0 (the Pool refuses 0 with error 26)")]
    ZeroAmount { function: &'static str },
    #[error("{function} takes an exact amount, not \"max\" (only withdraw and repay have an \"all\" form)")]
    MaxNotAllowed { function: &'static str },
    /// An exact amount of 2^256 − 1 would mean "all" to the Pool; that must be said with `Max`.
    #[error("{function}: an exact amount of 2^256 − 1 means \"all\" to the Pool; say max if that is meant")]
    ExactIsMax { function: &'static str },
    #[error("{asset} is not a token Ballast knows on this market (no symbol and decimals for it)")]
    UnknownToken { asset: Address },
    #[error("{amount} base units of {symbol} ({decimals} decimals) is not an amount the engine can take")]
    AmountOutOfRange { amount: U256, symbol: String, decimals: u8 },
}

fn checked_amount(function: &'static str, amount: ActionAmount, max_allowed: bool) -> Result<U256, ActionError> {
    match amount {
        ActionAmount::Max if max_allowed => Ok(U256::MAX),
        ActionAmount::Max => Err(ActionError::MaxNotAllowed { function }),
        ActionAmount::Exact(amount) if amount.is_zero() => Err(ActionError::ZeroAmount { function }),
        ActionAmount::Exact(amount) if amount == U256::MAX => Err(ActionError::ExactIsMax { function }),
        ActionAmount::Exact(amount) => Ok(amount),
    }
}

/// The transaction to `pool` doing `action` for `user`, who is both the sender
/// and the account acted for (`onBehalfOf` of supply, borrow and repay, `to`
/// of withdraw). Refuses a zero amount, and `Max` for supply and borrow.
pub fn pool_tx(pool: Address, user: Address, action: &AaveAction) -> Result<TxRequest, ActionError> {
    let function = action.function();
    let rate_mode = U256::from(VARIABLE_RATE_MODE);
    Ok(match *action {
        AaveAction::Supply { asset, amount } => {
            let amount = checked_amount(function, amount, false)?;
            TxRequest::call(
                pool,
                &IPoolActions::supplyCall { asset, amount, onBehalfOf: user, referralCode: REFERRAL_CODE },
            )
        }
        AaveAction::Withdraw { asset, amount } => {
            let amount = checked_amount(function, amount, true)?;
            TxRequest::call(pool, &IPoolActions::withdrawCall { asset, amount, to: user })
        }
        AaveAction::Borrow { asset, amount } => {
            let amount = checked_amount(function, amount, false)?;
            TxRequest::call(
                pool,
                &IPoolActions::borrowCall {
                    asset,
                    amount,
                    interestRateMode: rate_mode,
                    referralCode: REFERRAL_CODE,
                    onBehalfOf: user,
                },
            )
        }
        AaveAction::Repay { asset, amount } => {
            let amount = checked_amount(function, amount, true)?;
            TxRequest::call(
                pool,
                &IPoolActions::repayCall { asset, amount, interestRateMode: rate_mode, onBehalfOf: user },
            )
        }
        AaveAction::SetCollateral { asset, enabled } => {
            TxRequest::call(pool, &IPoolActions::setUserUseReserveAsCollateralCall { asset, useAsCollateral: enabled })
        }
        AaveAction::SetEMode { category } => {
            TxRequest::call(pool, &IPoolActions::setUserEModeCall { categoryId: category })
        }
        AaveAction::SupplyWithPermit { asset, amount, permit } => {
            let amount = checked_amount(function, amount, false)?;
            TxRequest::call(
                pool,
                &IPoolActions::supplyWithPermitCall {
                    asset,
                    amount,
                    onBehalfOf: user,
                    referralCode: REFERRAL_CODE,
                    deadline: permit.deadline,
                    permitV: permit.v,
                    permitR: permit.r,
                    permitS: permit.s,
                },
            )
        }
        AaveAction::RepayWithPermit { asset, amount, permit } => {
            let amount = checked_amount(function, amount, true)?;
            TxRequest::call(
                pool,
                &IPoolActions::repayWithPermitCall {
                    asset,
                    amount,
                    interestRateMode: rate_mode,
                    onBehalfOf: user,
                    deadline: permit.deadline,
                    permitV: permit.v,
                    permitR: permit.r,
                    permitS: permit.s,
                },
            )
        }
    })
}

/// What Ballast knows about a token: enough to name it and show its amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub address: Address,
    pub symbol: String,
    pub decimals: u8,
}

/// `amount` base units of `token` as an exact, grouped decimal with the
/// symbol ("3,000 USDC"); `type(uint256).max` is "all (max)". Nothing is rounded.
pub fn format_token_amount(amount: U256, token: &TokenInfo) -> String {
    if amount == U256::MAX {
        return format!("all (max) {}", token.symbol);
    }
    match token_decimal(amount, token.decimals) {
        Some(value) => format!("{} {}", group_exact(&value.to_string()), token.symbol),
        None => format!("{amount} base units of {}", token.symbol),
    }
}

/// `amount × 10^-decimals`, trailing zeros dropped; `None` past an int256.
fn token_decimal(amount: U256, decimals: u8) -> Option<Decimal> {
    let units = I256::try_from(amount).ok()?;
    Decimal::new(units, decimals).ok().map(Decimal::normalized)
}

/// Who a transaction's target is, as far as Ballast knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContractRole {
    /// The market's Pool (the one the app holds for this chain).
    Pool,
    /// A known token.
    Token(TokenInfo),
    /// Neither: the app must not send to it.
    Unknown,
}

/// What [`describe`] reads calldata against: the market's Pool, its tokens,
/// and the connected user (a call acting for anyone else is flagged).
#[derive(Debug, Clone, Copy)]
pub struct DescribeContext<'a> {
    pub pool: Address,
    pub user: Address,
    pub tokens: &'a [TokenInfo],
}

impl DescribeContext<'_> {
    pub fn token(&self, address: Address) -> Option<&TokenInfo> {
        self.tokens.iter().find(|t| t.address == address)
    }

    fn role(&self, address: Address) -> ContractRole {
        if address == self.pool {
            return ContractRole::Pool;
        }
        self.token(address).cloned().map_or(ContractRole::Unknown, ContractRole::Token)
    }

    /// An address in words: "the Aave Pool", "you", "USDC", or the hex.
    fn name(&self, address: Address) -> String {
        if address == self.user {
            "you".into()
        } else if address == self.pool {
            "the Aave Pool".into()
        } else if let Some(token) = self.token(address) {
            format!("the {} token", token.symbol)
        } else {
            address.to_string()
        }
    }

    fn amount(&self, amount: U256, asset: Address) -> String {
        match self.token(asset) {
            Some(token) => format_token_amount(amount, token),
            None if amount == U256::MAX => format!("all (max) of token {asset}"),
            None => format!("{amount} base units of unknown token {asset}"),
        }
    }
}

/// Something in a transaction the user did not ask for, or should know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Concern {
    /// Ether sent along (wei): no Pool or token call here needs any.
    SendsEther(U256),
    /// The call acts for (credits, borrows for, pays out to) another address.
    ActsForAnother(Address),
    /// An approval to a spender other than the Pool.
    SpenderNotPool(Address),
    /// An approval of `type(uint256).max`.
    UnlimitedApproval { spender: String, symbol: String },
    /// A borrow or repay at another rate mode than variable (2).
    NotVariableRate(U256),
    /// The calldata is none of the calls Ballast builds, or the target is unknown.
    Unrecognised,
}

impl fmt::Display for Concern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Concern::SendsEther(wei) => write!(f, "it also sends {wei} wei of ether"),
            Concern::ActsForAnother(address) => write!(f, "it acts for {address}, not for your connected account"),
            Concern::SpenderNotPool(spender) => write!(f, "the spender {spender} is not the Aave Pool"),
            Concern::UnlimitedApproval { spender, symbol } => {
                write!(f, "an unlimited approval: {spender} may take any amount of your {symbol} until you revoke it")
            }
            Concern::NotVariableRate(mode) => write!(f, "interest rate mode {mode} is not the variable rate (2)"),
            Concern::Unrecognised => f.write_str("Ballast does not recognise this call: do not sign it"),
        }
    }
}

/// A transaction in words, decoded from its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxDescription {
    pub contract: ContractRole,
    /// The function's Solidity signature, e.g. `repay(address,uint256,uint256,address)`,
    /// or `None` when the calldata matches nothing Ballast sends.
    pub function: Option<&'static str>,
    /// One sentence: "Repay all (max) USDC of variable debt for you".
    pub summary: String,
    /// What deserves the user's attention before signing: acting for another
    /// address, an unlimited approval, ether sent, a call not recognised.
    pub warnings: Vec<Concern>,
}

impl TxDescription {
    /// Whether the calldata is one of the calls Ballast builds, to a contract it knows.
    pub fn is_recognised(&self) -> bool {
        self.function.is_some() && self.contract != ContractRole::Unknown
    }
}

impl fmt::Display for TxDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)?;
        for warning in &self.warnings {
            write!(f, " ⚠ {warning}")?;
        }
        Ok(())
    }
}

/// Reads `tx` back into words: which contract, which function, what amounts
/// (in token units, "all (max)" for the max form) and for whom. Derived only
/// from `tx`'s bytes, so what is shown is what is signed.
pub fn describe(tx: &TxRequest, context: &DescribeContext<'_>) -> TxDescription {
    let contract = context.role(tx.to);
    let mut warnings = Vec::new();
    if !tx.value.is_zero() {
        warnings.push(Concern::SendsEther(tx.value));
    }
    let decoded = match &contract {
        ContractRole::Pool => describe_pool_call(&tx.data, context, &mut warnings),
        ContractRole::Token(token) => describe_token_call(&tx.data, token, context, &mut warnings),
        ContractRole::Unknown => None,
    };
    let (function, summary) = match decoded {
        Some((function, summary)) => (Some(function), summary),
        None => {
            let selector =
                tx.data.get(..4).map_or_else(|| "no function".into(), alloy_primitives::hex::encode_prefixed);
            warnings.push(Concern::Unrecognised);
            (None, format!("Unknown call {selector} to {}", context.name(tx.to)))
        }
    };
    TxDescription { contract, function, summary, warnings }
}

fn for_whom(on_behalf_of: Address, context: &DescribeContext<'_>, warnings: &mut Vec<Concern>) -> String {
    if on_behalf_of != context.user {
        warnings.push(Concern::ActsForAnother(on_behalf_of));
    }
    context.name(on_behalf_of)
}

fn rate_mode_words(mode: U256, warnings: &mut Vec<Concern>) -> &'static str {
    if mode == U256::from(VARIABLE_RATE_MODE) {
        "variable"
    } else {
        warnings.push(Concern::NotVariableRate(mode));
        "non-variable"
    }
}

fn describe_pool_call(
    data: &[u8],
    context: &DescribeContext<'_>,
    warnings: &mut Vec<Concern>,
) -> Option<(&'static str, String)> {
    use IPoolActions as P;
    let selector: [u8; 4] = data.get(..4)?.try_into().ok()?;
    Some(match selector {
        P::supplyCall::SELECTOR => {
            let c = P::supplyCall::abi_decode_validate(data).ok()?;
            let whom = for_whom(c.onBehalfOf, context, warnings);
            (
                P::supplyCall::SIGNATURE,
                format!("Supply {} to Aave, credited to {whom}", context.amount(c.amount, c.asset)),
            )
        }
        P::supplyWithPermitCall::SELECTOR => {
            let c = P::supplyWithPermitCall::abi_decode_validate(data).ok()?;
            let whom = for_whom(c.onBehalfOf, context, warnings);
            (
                P::supplyWithPermitCall::SIGNATURE,
                format!(
                    "Supply {} to Aave with a signed permit, credited to {whom}",
                    context.amount(c.amount, c.asset)
                ),
            )
        }
        P::withdrawCall::SELECTOR => {
            let c = P::withdrawCall::abi_decode_validate(data).ok()?;
            let whom = for_whom(c.to, context, warnings);
            (
                P::withdrawCall::SIGNATURE,
                format!("Withdraw {} from Aave, sent to {whom}", context.amount(c.amount, c.asset)),
            )
        }
        P::borrowCall::SELECTOR => {
            let c = P::borrowCall::abi_decode_validate(data).ok()?;
            let mode = rate_mode_words(c.interestRateMode, warnings);
            let whom = for_whom(c.onBehalfOf, context, warnings);
            (
                P::borrowCall::SIGNATURE,
                format!("Borrow {} from Aave at the {mode} rate, as debt of {whom}", context.amount(c.amount, c.asset)),
            )
        }
        P::repayCall::SELECTOR => {
            let c = P::repayCall::abi_decode_validate(data).ok()?;
            let mode = rate_mode_words(c.interestRateMode, warnings);
            let whom = for_whom(c.onBehalfOf, context, warnings);
            (P::repayCall::SIGNATURE, format!("Repay {} of {mode} debt for {whom}", context.amount(c.amount, c.asset)))
        }
        P::repayWithPermitCall::SELECTOR => {
            let c = P::repayWithPermitCall::abi_decode_validate(data).ok()?;
            let mode = rate_mode_words(c.interestRateMode, warnings);
            let whom = for_whom(c.onBehalfOf, context, warnings);
            (
                P::repayWithPermitCall::SIGNATURE,
                format!("Repay {} of {mode} debt for {whom}, with a signed permit", context.amount(c.amount, c.asset)),
            )
        }
        P::setUserUseReserveAsCollateralCall::SELECTOR => {
            let c = P::setUserUseReserveAsCollateralCall::abi_decode_validate(data).ok()?;
            let symbol = context.token(c.asset).map_or_else(|| format!("token {}", c.asset), |t| t.symbol.clone());
            let on_off = if c.useAsCollateral { "on" } else { "off" };
            (P::setUserUseReserveAsCollateralCall::SIGNATURE, format!("Turn {symbol} {on_off} as collateral"))
        }
        P::setUserEModeCall::SELECTOR => {
            let c = P::setUserEModeCall::abi_decode_validate(data).ok()?;
            let summary = match c.categoryId {
                0 => "Leave e-mode".to_owned(),
                id => format!("Enter e-mode category {id}"),
            };
            (P::setUserEModeCall::SIGNATURE, summary)
        }
        _ => return None,
    })
}

fn describe_token_call(
    data: &[u8],
    token: &TokenInfo,
    context: &DescribeContext<'_>,
    warnings: &mut Vec<Concern>,
) -> Option<(&'static str, String)> {
    let selector: [u8; 4] = data.get(..4)?.try_into().ok()?;
    if selector != IERC20::approveCall::SELECTOR {
        return None;
    }
    let c = IERC20::approveCall::abi_decode_validate(data).ok()?;
    if c.spender != context.pool {
        warnings.push(Concern::SpenderNotPool(c.spender));
    }
    let spender = context.name(c.spender);
    let summary = if c.amount == U256::MAX {
        warnings.push(Concern::UnlimitedApproval { spender: spender.clone(), symbol: token.symbol.clone() });
        format!("Approve {spender} to spend an unlimited amount of your {}", token.symbol)
    } else if c.amount.is_zero() {
        format!("Revoke {spender}'s approval to spend your {}", token.symbol)
    } else {
        format!("Approve {spender} to spend {} of yours", format_token_amount(c.amount, token))
    };
    Some((IERC20::approveCall::SIGNATURE, summary))
}

/// `amount` base units with `decimals` as the engine's exact decimal.
fn plain_decimal(amount: U256, token: &TokenInfo) -> Result<PlainDecimal, ActionError> {
    let out_of_range =
        || ActionError::AmountOutOfRange { amount, symbol: token.symbol.clone(), decimals: token.decimals };
    let value = token_decimal(amount, token.decimals).ok_or_else(out_of_range)?;
    PlainDecimal::parse(&value.to_string()).map_err(|_| out_of_range())
}

fn amount_or_max(amount: ActionAmount, token: &TokenInfo) -> Result<AmountOrMax, ActionError> {
    match amount {
        ActionAmount::Max => Ok(AmountOrMax::Max),
        ActionAmount::Exact(amount) => plain_decimal(amount, token).map(AmountOrMax::Tokens),
    }
}

fn exact(function: &'static str, amount: ActionAmount, token: &TokenInfo) -> Result<PlainDecimal, ActionError> {
    plain_decimal(checked_amount(function, amount, false)?, token)
}

/// The engine's what-if for `action`, so the app can value the position after
/// it (`ballast_core::apply_actions`, then `evaluate`). `tokens` names the
/// assets: the engine's scenario knows them by symbol. A permit variant is
/// the same what-if as its plain form.
pub fn engine_action(action: &AaveAction, tokens: &[TokenInfo]) -> Result<Action, ActionError> {
    let token = |asset: Address| tokens.iter().find(|t| t.address == asset).ok_or(ActionError::UnknownToken { asset });
    let function = action.function();
    Ok(match *action {
        AaveAction::Supply { asset, amount } | AaveAction::SupplyWithPermit { asset, amount, .. } => {
            let token = token(asset)?;
            Action::Supply { asset: token.symbol.clone(), amount: exact(function, amount, token)? }
        }
        AaveAction::Withdraw { asset, amount } => {
            let token = token(asset)?;
            Action::Withdraw { asset: token.symbol.clone(), amount: amount_or_max(amount, token)? }
        }
        AaveAction::Borrow { asset, amount } => {
            let token = token(asset)?;
            Action::Borrow { asset: token.symbol.clone(), amount: exact(function, amount, token)? }
        }
        AaveAction::Repay { asset, amount } | AaveAction::RepayWithPermit { asset, amount, .. } => {
            let token = token(asset)?;
            Action::Repay { asset: token.symbol.clone(), amount: amount_or_max(amount, token)? }
        }
        AaveAction::SetCollateral { asset, enabled } => {
            Action::SetCollateral { asset: token(asset)?.symbol.clone(), enabled }
        }
        AaveAction::SetEMode { category } => Action::SetEmode { id: u32::from(category) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx_fixtures::{fixture_hex, fixture_permit};
    use alloy_primitives::{address, hex, keccak256};

    const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const WETH: Address = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

    fn tokens() -> Vec<TokenInfo> {
        vec![
            TokenInfo { address: WETH, symbol: "WETH".into(), decimals: 18 },
            TokenInfo { address: USDC, symbol: "USDC".into(), decimals: 6 },
        ]
    }

    fn context(tokens: &[TokenInfo]) -> DescribeContext<'_> {
        DescribeContext { pool: POOL, user: USER, tokens }
    }

    fn one_weth() -> ActionAmount {
        ActionAmount::Exact(U256::from(10u64.pow(18)))
    }

    fn usdc_3000() -> ActionAmount {
        ActionAmount::Exact(U256::from(3_000_000_000u64))
    }

    #[test]
    fn selectors_are_the_keccak_of_aave_signatures() {
        let cases: [(&str, [u8; 4]); 8] = [
            ("supply(address,uint256,address,uint16)", IPoolActions::supplyCall::SELECTOR),
            (
                "supplyWithPermit(address,uint256,address,uint16,uint256,uint8,bytes32,bytes32)",
                IPoolActions::supplyWithPermitCall::SELECTOR,
            ),
            ("withdraw(address,uint256,address)", IPoolActions::withdrawCall::SELECTOR),
            ("borrow(address,uint256,uint256,uint16,address)", IPoolActions::borrowCall::SELECTOR),
            ("repay(address,uint256,uint256,address)", IPoolActions::repayCall::SELECTOR),
            (
                "repayWithPermit(address,uint256,uint256,address,uint256,uint8,bytes32,bytes32)",
                IPoolActions::repayWithPermitCall::SELECTOR,
            ),
            ("setUserUseReserveAsCollateral(address,bool)", IPoolActions::setUserUseReserveAsCollateralCall::SELECTOR),
            ("setUserEMode(uint8)", IPoolActions::setUserEModeCall::SELECTOR),
        ];
        for (signature, selector) in cases {
            assert_eq!(keccak256(signature)[..4], selector, "{signature}");
        }
        // The well-known values, as `cast sig` prints them.
        assert_eq!(IPoolActions::supplyCall::SELECTOR, hex!("617ba037"));
        assert_eq!(IPoolActions::repayCall::SELECTOR, hex!("573ade81"));
    }

    #[test]
    fn calldata_matches_ethers_encodings() {
        let cases = [
            ("supply_1_weth", AaveAction::Supply { asset: WETH, amount: one_weth() }),
            (
                "withdraw_half_weth",
                AaveAction::Withdraw { asset: WETH, amount: ActionAmount::Exact(U256::from(5 * 10u64.pow(17))) },
            ),
            ("withdraw_max_weth", AaveAction::Withdraw { asset: WETH, amount: ActionAmount::Max }),
            ("borrow_3000_usdc", AaveAction::Borrow { asset: USDC, amount: usdc_3000() }),
            ("repay_3000_usdc", AaveAction::Repay { asset: USDC, amount: usdc_3000() }),
            ("repay_max_usdc", AaveAction::Repay { asset: USDC, amount: ActionAmount::Max }),
            ("collateral_off_weth", AaveAction::SetCollateral { asset: WETH, enabled: false }),
            ("collateral_on_weth", AaveAction::SetCollateral { asset: WETH, enabled: true }),
            ("emode_1", AaveAction::SetEMode { category: 1 }),
            (
                "supply_with_permit_3000_usdc",
                AaveAction::SupplyWithPermit { asset: USDC, amount: usdc_3000(), permit: fixture_permit() },
            ),
            (
                "repay_with_permit_3000_usdc",
                AaveAction::RepayWithPermit { asset: USDC, amount: usdc_3000(), permit: fixture_permit() },
            ),
        ];
        for (name, action) in cases {
            let tx = pool_tx(POOL, USER, &action).unwrap();
            assert_eq!(hex::encode(&tx.data), hex::encode(fixture_hex("calldata", name)), "{name}");
            assert_eq!((tx.to, tx.value), (POOL, U256::ZERO), "{name}");
        }
    }

    #[test]
    fn amounts_the_pool_would_refuse_are_refused_first() {
        let refused = [
            (
                AaveAction::Supply { asset: WETH, amount: ActionAmount::Max },
                ActionError::MaxNotAllowed { function: "supply" },
            ),
            (
                AaveAction::Borrow { asset: USDC, amount: ActionAmount::Max },
                ActionError::MaxNotAllowed { function: "borrow" },
            ),
            (
                AaveAction::SupplyWithPermit { asset: USDC, amount: ActionAmount::Max, permit: fixture_permit() },
                ActionError::MaxNotAllowed { function: "supplyWithPermit" },
            ),
            (
                AaveAction::Repay { asset: USDC, amount: ActionAmount::Exact(U256::ZERO) },
                ActionError::ZeroAmount { function: "repay" },
            ),
            (
                AaveAction::Withdraw { asset: WETH, amount: ActionAmount::Exact(U256::MAX) },
                ActionError::ExactIsMax { function: "withdraw" },
            ),
        ];
        for (action, error) in refused {
            assert_eq!(pool_tx(POOL, USER, &action), Err(error));
        }
    }

    #[test]
    fn descriptions_come_from_the_bytes() {
        let tokens = tokens();
        let context = context(&tokens);
        let said = |action: AaveAction| describe(&pool_tx(POOL, USER, &action).unwrap(), &context);

        let repay_all = said(AaveAction::Repay { asset: USDC, amount: ActionAmount::Max });
        assert_eq!(repay_all.summary, "Repay all (max) USDC of variable debt for you");
        assert_eq!(repay_all.function, Some("repay(address,uint256,uint256,address)"));
        assert!(repay_all.is_recognised() && repay_all.warnings.is_empty());

        let supply = said(AaveAction::Supply {
            asset: WETH,
            amount: ActionAmount::Exact(U256::from(1_500_000_000_000_000_000u64)),
        });
        assert_eq!(supply.summary, "Supply 1.5 WETH to Aave, credited to you");
        let borrow =
            said(AaveAction::Borrow { asset: USDC, amount: ActionAmount::Exact(U256::from(12_345_678_901u64)) });
        assert_eq!(borrow.summary, "Borrow 12,345.678901 USDC from Aave at the variable rate, as debt of you");
        assert_eq!(said(AaveAction::SetEMode { category: 0 }).summary, "Leave e-mode");
        assert_eq!(
            said(AaveAction::SetCollateral { asset: WETH, enabled: false }).summary,
            "Turn WETH off as collateral"
        );
        let withdraw = said(AaveAction::Withdraw { asset: WETH, amount: ActionAmount::Max });
        assert_eq!(withdraw.summary, "Withdraw all (max) WETH from Aave, sent to you");
    }

    #[test]
    fn descriptions_flag_what_the_user_did_not_ask_for() {
        let tokens = tokens();
        let context = context(&tokens);
        // Built for another account: the description says so.
        let stranger = address!("00000000000000000000000000000000000000aa");
        let tx = pool_tx(POOL, stranger, &AaveAction::Borrow { asset: USDC, amount: usdc_3000() }).unwrap();
        let borrow = describe(&tx, &context);
        assert_eq!(borrow.warnings, vec![Concern::ActsForAnother(stranger)]);
        assert_eq!(borrow.warnings[0].to_string(), format!("it acts for {stranger}, not for your connected account"));

        // An unlimited approval to the Pool, made by ethers-independent bytes.
        let unlimited = TxRequest::call(USDC, &IERC20::approveCall { spender: POOL, amount: U256::MAX });
        let approve = describe(&unlimited, &context);
        assert_eq!(approve.summary, "Approve the Aave Pool to spend an unlimited amount of your USDC");
        assert_eq!(
            approve.warnings,
            vec![Concern::UnlimitedApproval { spender: "the Aave Pool".into(), symbol: "USDC".into() }]
        );
        let exact =
            TxRequest { to: USDC, data: fixture_hex("calldata", "approve_pool_3000_usdc").into(), value: U256::ZERO };
        assert_eq!(describe(&exact, &context).summary, "Approve the Aave Pool to spend 3,000 USDC of yours");

        // Pool calldata sent to a token, garbage, a short selector, an unknown target.
        let misdirected = TxRequest { to: USDC, ..pool_tx(POOL, USER, &AaveAction::SetEMode { category: 1 }).unwrap() };
        let unknown_target = TxRequest { to: stranger, ..exact.clone() };
        for tx in [
            misdirected,
            TxRequest { to: POOL, data: Bytes::from_static(&[0x61, 0x7b]), value: U256::ZERO },
            TxRequest {
                to: POOL,
                data: Bytes::from(fixture_hex("calldata", "supply_1_weth")[..40].to_vec()),
                value: U256::ZERO,
            },
            unknown_target,
        ] {
            let d = describe(&tx, &context);
            assert!(!d.is_recognised(), "{d:?}");
            assert_eq!(d.warnings.last(), Some(&Concern::Unrecognised), "{d:?}");
        }
        let with_value =
            TxRequest { value: U256::from(1u8), ..pool_tx(POOL, USER, &AaveAction::SetEMode { category: 1 }).unwrap() };
        assert_eq!(describe(&with_value, &context).warnings, vec![Concern::SendsEther(U256::from(1u8))]);
    }

    #[test]
    fn amounts_are_shown_exactly_in_token_units() {
        let usdc = &tokens()[1];
        assert_eq!(format_token_amount(U256::from(1u8), usdc), "0.000001 USDC");
        assert_eq!(format_token_amount(U256::from(1_000_000_000_000u64), usdc), "1,000,000 USDC");
        assert_eq!(format_token_amount(U256::MAX, usdc), "all (max) USDC");
        let huge = U256::MAX - U256::from(1u8);
        assert_eq!(format_token_amount(huge, usdc), format!("{huge} base units of USDC"));
    }

    #[test]
    fn engine_actions_carry_symbols_and_exact_decimals() {
        let tokens = tokens();
        let supply = engine_action(
            &AaveAction::Supply { asset: WETH, amount: ActionAmount::Exact(U256::from(1_500_000_000_000_000_000u64)) },
            &tokens,
        );
        assert_eq!(supply, Ok(Action::Supply { asset: "WETH".into(), amount: PlainDecimal::parse("1.5").unwrap() }));
        let repay = engine_action(
            &AaveAction::RepayWithPermit { asset: USDC, amount: ActionAmount::Max, permit: fixture_permit() },
            &tokens,
        );
        assert_eq!(repay, Ok(Action::Repay { asset: "USDC".into(), amount: AmountOrMax::Max }));
        let dust =
            engine_action(&AaveAction::Withdraw { asset: USDC, amount: ActionAmount::Exact(U256::from(1u8)) }, &tokens);
        assert_eq!(
            dust,
            Ok(Action::Withdraw {
                asset: "USDC".into(),
                amount: AmountOrMax::Tokens(PlainDecimal::parse("0.000001").unwrap())
            })
        );
        assert_eq!(engine_action(&AaveAction::SetEMode { category: 1 }, &tokens), Ok(Action::SetEmode { id: 1 }));
        let stranger = address!("00000000000000000000000000000000000000aa");
        assert_eq!(
            engine_action(&AaveAction::SetCollateral { asset: stranger, enabled: true }, &tokens),
            Err(ActionError::UnknownToken { asset: stranger })
        );
        assert_eq!(
            engine_action(&AaveAction::Borrow { asset: USDC, amount: ActionAmount::Max }, &tokens),
            Err(ActionError::MaxNotAllowed { function: "borrow" })
        );
    }
}
