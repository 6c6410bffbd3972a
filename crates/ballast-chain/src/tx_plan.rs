//! A plan's actions ("supply 2 WETH, borrow 3 000 USDC") as the ordered
//! transactions and signatures the user's wallet is asked for, each with a
//! short label.
//!
//! Before an action that makes the Pool pull tokens (supply, repay), the
//! Pool's allowance is checked against what it will pull, as it stands after
//! the plan's earlier steps. When short:
//! - an EIP-2612 permit, if the token supports it and the user has not asked
//!   for unlimited approvals: a signature instead of a transaction
//!   ([`PlanStep::PermitCall`]); the permit is for exactly the amount;
//! - else `approve`: the exact amount by default, `type(uint256).max` only
//!   with [`PlanOptions::unlimited_approval`]. Tokens that refuse to change a
//!   non-zero allowance (USDT) get an `approve(0)` first.
//!
//! Repaying everything: the Pool's `repay(max)` pulls the debt as of the
//! block it runs in, which has grown since it was read. The approval is for
//! the debt read × (1 + [`REPAY_MAX_MARGIN_BPS`]), rounded up: 0.1 % covers
//! about two days of interest at 20 % a year. With a permit the amount must
//! be the permit's value, so the repay is for that exact amount instead of
//! max; the Pool repays at most the debt, so it too leaves no dust unless the
//! debt outgrew the margin.
//!
//! Balances are checked too: a supply or repay of more than the wallet holds
//! (after the plan's earlier borrows and withdrawals) is refused here, before
//! any signature. The app re-reads the position between steps and plans the
//! remaining actions again on the fresh state; a plan is for the state it
//! was given.
//!
//! The actions are intents: `Supply` and `Repay`, not their `…WithPermit`
//! forms, which the plan makes itself ([`PermitCall::tx`]). A `…WithPermit`
//! action given already signed is passed through as a call, unchecked.

use alloy_primitives::{Address, U256};

use crate::aave_actions::{format_token_amount, pool_tx, AaveAction, ActionAmount, ActionError, TokenInfo, TxRequest};
use crate::erc20::{approval_needed, approve_tx};
use crate::permit::{PermitDomain, PermitRequest, SignatureError};

/// The margin over the debt read that a repay-all approval allows for
/// interest accrued before inclusion, in basis points (10 = 0.1 %).
pub const REPAY_MAX_MARGIN_BPS: u32 = 10;

const BPS: u32 = 10_000;

/// What the plan needs to know of one asset, read for the user just before
/// planning ([`crate::tx_plan_reads`] reads and decodes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetState {
    pub token: TokenInfo,
    /// The token's `balanceOf(user)`.
    pub balance: U256,
    /// The token's `allowance(user, pool)`.
    pub allowance: U256,
    /// The user's variable debt in this asset (the variable debt token's `balanceOf`).
    pub variable_debt: U256,
    /// The token's permit domain and `nonces(user)`, when it supports
    /// EIP-2612 and the domain was checked against its `DOMAIN_SEPARATOR()`.
    pub permit: Option<PermitSupport>,
    /// USDT-style: `approve` reverts when changing one non-zero allowance to another.
    pub approve_from_zero: bool,
}

/// A token's EIP-2612 support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitSupport {
    pub domain: PermitDomain,
    pub nonce: U256,
}

/// The user's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOptions {
    /// Approve `type(uint256).max` instead of the exact amount (and never use
    /// permits, which are for exact amounts). Off unless the user opts in.
    pub unlimited_approval: bool,
    /// Sign a permit instead of sending an approval, where the token allows.
    pub use_permit: bool,
    /// Unix seconds after which a permit is void; the app sets it a short
    /// while ahead (e.g. 20 minutes).
    pub permit_deadline: U256,
    /// See [`REPAY_MAX_MARGIN_BPS`].
    pub repay_max_margin_bps: u32,
}

impl PlanOptions {
    /// Exact approvals, permits where possible, and the default repay margin.
    pub fn new(permit_deadline: U256) -> Self {
        Self {
            unlimited_approval: false,
            use_permit: true,
            permit_deadline,
            repay_max_margin_bps: REPAY_MAX_MARGIN_BPS,
        }
    }
}

/// One thing the wallet is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanStep {
    /// `approve(pool, amount)` on `token`.
    Approve { label: String, action_index: usize, token: Address, amount: U256, tx: TxRequest },
    /// A Pool call to send as it is.
    Call { label: String, action_index: usize, action: AaveAction, tx: TxRequest },
    /// A permit to sign, then the Pool call it pays for ([`PermitCall::tx`]).
    PermitCall { label: String, action_index: usize, call: PermitCall },
}

impl PlanStep {
    /// A short label: "Approve 3,000 USDC for the Aave Pool".
    pub fn label(&self) -> &str {
        match self {
            PlanStep::Approve { label, .. } | PlanStep::Call { label, .. } | PlanStep::PermitCall { label, .. } => {
                label
            }
        }
    }

    /// Which of the plan's actions the step is for.
    pub fn action_index(&self) -> usize {
        match self {
            PlanStep::Approve { action_index, .. }
            | PlanStep::Call { action_index, .. }
            | PlanStep::PermitCall { action_index, .. } => *action_index,
        }
    }
}

/// A supply or repay paid for by a permit: sign [`Self::permit`], then send [`Self::tx`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermitCall {
    /// Owner the user, spender the Pool, value the amount pulled.
    pub permit: PermitRequest,
    /// What the call does: `Supply` or `Repay` (sent as its `…WithPermit` form).
    pub action: AaveAction,
    pub action_index: usize,
}

impl PermitCall {
    /// The Pool call with the wallet's signature (`eth_signTypedData_v4`'s answer).
    pub fn tx(&self, wallet_signature: &str) -> Result<TxRequest, PlanError> {
        let permit = self.permit.signature(wallet_signature)?;
        let with_permit = match self.action {
            AaveAction::Supply { asset, amount } => AaveAction::SupplyWithPermit { asset, amount, permit },
            AaveAction::Repay { asset, amount } => AaveAction::RepayWithPermit { asset, amount, permit },
            _ => return Err(PlanError::NotPermittable { function: self.action.function() }),
        };
        pool_tx(self.permit.spender, self.permit.owner, &with_permit)
            .map_err(|error| PlanError::Action { index: self.action_index, error })
    }
}

/// Why a plan cannot be turned into transactions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("action {}: {error}", index + 1)]
    Action { index: usize, error: ActionError },
    #[error("action {}: {asset} is not an asset read for this plan", index + 1)]
    UnknownAsset { index: usize, asset: Address },
    #[error("action {}: there is no {symbol} debt to repay", index + 1)]
    NoDebt { index: usize, symbol: String },
    #[error("action {}: it needs {needed} but the wallet holds {held}", index + 1)]
    InsufficientBalance { index: usize, needed: String, held: String },
    #[error("{function} has no permit form")]
    NotPermittable { function: &'static str },
    #[error("the permit signature cannot be used: {0}")]
    Signature(#[from] SignatureError),
}

/// `debt × (1 + margin)`, rounded up.
pub fn repay_max_allowance(debt: U256, margin_bps: u32) -> U256 {
    let scaled = debt.saturating_mul(U256::from(BPS + margin_bps));
    let (quotient, remainder) = scaled.div_rem(U256::from(BPS));
    if remainder.is_zero() {
        quotient
    } else {
        quotient.saturating_add(U256::from(1u8))
    }
}

/// The steps for `actions`, in order, for `user` on `pool`.
pub fn plan_transactions(
    pool: Address,
    user: Address,
    actions: &[AaveAction],
    assets: &[AssetState],
    options: &PlanOptions,
) -> Result<Vec<PlanStep>, PlanError> {
    let mut state: Vec<AssetState> = assets.to_vec();
    let mut steps = Vec::new();
    for (index, action) in actions.iter().enumerate() {
        let call =
            |action: &AaveAction| pool_tx(pool, user, action).map_err(|error| PlanError::Action { index, error });
        // Checks the Pool would make first: a zero or a max where it is refused.
        call(action)?;
        let Some(asset) = action.asset() else {
            steps.push(PlanStep::Call {
                label: label(action, None),
                action_index: index,
                action: action.clone(),
                tx: call(action)?,
            });
            continue;
        };
        let Some(held) = state.iter_mut().find(|s| s.token.address == asset) else {
            return Err(PlanError::UnknownAsset { index, asset });
        };
        let pulled = match *action {
            AaveAction::Supply { amount, .. } => Some((amount.on_chain(), amount.on_chain())),
            AaveAction::Repay { .. } if held.variable_debt.is_zero() => {
                // The Pool would revert with 39 (NO_DEBT_OF_SELECTED_TYPE).
                return Err(PlanError::NoDebt { index, symbol: held.token.symbol.clone() });
            }
            AaveAction::Repay { amount: ActionAmount::Exact(amount), .. } => {
                Some((amount, amount.min(held.variable_debt)))
            }
            AaveAction::Repay { amount: ActionAmount::Max, .. } => {
                Some((repay_max_allowance(held.variable_debt, options.repay_max_margin_bps), held.variable_debt))
            }
            _ => None,
        };
        match pulled {
            // The Pool pulls up to `allowed` (what must be approved), `owed` of it for sure.
            Some((allowed, owed)) => {
                if held.balance < owed {
                    return Err(PlanError::InsufficientBalance {
                        index,
                        needed: format_token_amount(owed, &held.token),
                        held: format_token_amount(held.balance, &held.token),
                    });
                }
                plan_pull(pool, user, index, action, allowed, held, options, &mut steps)?;
                held.balance -= owed;
                if matches!(action, AaveAction::Repay { .. }) {
                    held.variable_debt = held.variable_debt.saturating_sub(owed);
                }
            }
            None => {
                match *action {
                    AaveAction::Borrow { amount, .. } => {
                        held.balance = held.balance.saturating_add(amount.on_chain());
                        held.variable_debt = held.variable_debt.saturating_add(amount.on_chain());
                    }
                    AaveAction::Withdraw { amount: ActionAmount::Exact(amount), .. } => {
                        held.balance = held.balance.saturating_add(amount);
                    }
                    _ => {}
                }
                steps.push(PlanStep::Call {
                    label: label(action, Some(&held.token)),
                    action_index: index,
                    action: action.clone(),
                    tx: call(action)?,
                });
            }
        }
    }
    Ok(steps)
}

/// The approval or permit (if needed) and the call of a supply or repay that
/// lets the Pool pull up to `allowed`.
#[allow(clippy::too_many_arguments)]
fn plan_pull(
    pool: Address,
    user: Address,
    index: usize,
    action: &AaveAction,
    allowed: U256,
    held: &mut AssetState,
    options: &PlanOptions,
    steps: &mut Vec<PlanStep>,
) -> Result<(), PlanError> {
    let call = |action: &AaveAction| pool_tx(pool, user, action).map_err(|error| PlanError::Action { index, error });
    let token = held.token.clone();
    if !approval_needed(held.allowance, allowed) {
        held.allowance -= allowed;
        steps.push(PlanStep::Call {
            label: label(action, Some(&token)),
            action_index: index,
            action: action.clone(),
            tx: call(action)?,
        });
        return Ok(());
    }
    if let (Some(permit), true, false) = (&mut held.permit, options.use_permit, options.unlimited_approval) {
        // A permit sets the allowance to exactly `allowed`, which the call then uses up.
        let label = format!(
            "Sign a permit for {}, then {}",
            format_token_amount(allowed, &token),
            lower_first(&label(action, Some(&token)))
        );
        let action = match *action {
            AaveAction::Repay { asset, amount: ActionAmount::Max } => {
                AaveAction::Repay { asset, amount: ActionAmount::Exact(allowed) }
            }
            ref other => other.clone(),
        };
        let request = PermitRequest {
            domain: permit.domain.clone(),
            owner: user,
            spender: pool,
            value: allowed,
            nonce: permit.nonce,
            deadline: options.permit_deadline,
        };
        permit.nonce = permit.nonce.saturating_add(U256::from(1u8));
        held.allowance = U256::ZERO;
        steps.push(PlanStep::PermitCall {
            label,
            action_index: index,
            call: PermitCall { permit: request, action, action_index: index },
        });
        return Ok(());
    }
    if held.approve_from_zero && !held.allowance.is_zero() {
        steps.push(PlanStep::Approve {
            label: format!(
                "Reset the {} approval for the Aave Pool to 0 (the token requires it before a new one)",
                token.symbol
            ),
            action_index: index,
            token: token.address,
            amount: U256::ZERO,
            tx: approve_tx(token.address, pool, U256::ZERO),
        });
    }
    let approved = if options.unlimited_approval { U256::MAX } else { allowed };
    let what = if options.unlimited_approval {
        format!("an unlimited amount of {}", token.symbol)
    } else {
        format_token_amount(approved, &token)
    };
    steps.push(PlanStep::Approve {
        label: format!("Approve {what} for the Aave Pool"),
        action_index: index,
        token: token.address,
        amount: approved,
        tx: approve_tx(token.address, pool, approved),
    });
    held.allowance = approved - allowed;
    steps.push(PlanStep::Call {
        label: label(action, Some(&token)),
        action_index: index,
        action: action.clone(),
        tx: call(action)?,
    });
    Ok(())
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// "Supply 1.5 WETH", "Repay all USDC debt", "Enter e-mode category 1".
fn label(action: &AaveAction, token: Option<&TokenInfo>) -> String {
    let symbol = token.map_or("?", |t| t.symbol.as_str());
    let amount = |amount: ActionAmount| match (amount, token) {
        (ActionAmount::Exact(amount), Some(token)) => format_token_amount(amount, token),
        (ActionAmount::Exact(amount), None) => format!("{amount} base units"),
        (ActionAmount::Max, _) => format!("all {symbol}"),
    };
    match *action {
        AaveAction::Supply { amount: a, .. } | AaveAction::SupplyWithPermit { amount: a, .. } => {
            format!("Supply {}", amount(a))
        }
        AaveAction::Withdraw { amount: a, .. } => format!("Withdraw {}", amount(a)),
        AaveAction::Borrow { amount: a, .. } => format!("Borrow {}", amount(a)),
        AaveAction::Repay { amount: ActionAmount::Max, .. }
        | AaveAction::RepayWithPermit { amount: ActionAmount::Max, .. } => format!("Repay all {symbol} debt"),
        AaveAction::Repay { amount: a, .. } | AaveAction::RepayWithPermit { amount: a, .. } => {
            format!("Repay {}", amount(a))
        }
        AaveAction::SetCollateral { enabled: true, .. } => format!("Use {symbol} as collateral"),
        AaveAction::SetCollateral { enabled: false, .. } => format!("Stop using {symbol} as collateral"),
        AaveAction::SetEMode { category: 0 } => "Leave e-mode".into(),
        AaveAction::SetEMode { category } => format!("Enter e-mode category {category}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aave_actions::{describe, DescribeContext};
    use crate::tx_fixtures::{fixture_permit, fixtures};
    use alloy_primitives::address;

    const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const WETH: Address = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");
    const USDT: Address = address!("dAC17F958D2ee523a2206206994597C13D831ec7");

    fn usdc(units: u64) -> U256 {
        U256::from(units) * U256::from(1_000_000u64)
    }

    fn weth(units: u64) -> U256 {
        U256::from(units) * U256::from(10u64.pow(18))
    }

    fn asset(address: Address, symbol: &str, decimals: u8) -> AssetState {
        AssetState {
            token: TokenInfo { address, symbol: symbol.into(), decimals },
            balance: U256::ZERO,
            allowance: U256::ZERO,
            variable_debt: U256::ZERO,
            permit: None,
            approve_from_zero: false,
        }
    }

    fn usdc_permit(nonce: u64) -> Option<PermitSupport> {
        Some(PermitSupport {
            domain: PermitDomain {
                name: "USD Coin".into(),
                version: "2".into(),
                chain_id: 1,
                verifying_contract: USDC,
            },
            nonce: U256::from(nonce),
        })
    }

    fn options() -> PlanOptions {
        PlanOptions::new(U256::from(1_767_225_600u64))
    }

    fn labels(steps: &[PlanStep]) -> Vec<&str> {
        steps.iter().map(PlanStep::label).collect()
    }

    #[test]
    fn supply_then_borrow_approves_exactly_what_the_pool_pulls() {
        let weth_state = AssetState { balance: weth(5), allowance: weth(1), ..asset(WETH, "WETH", 18) };
        let actions = [
            AaveAction::Supply { asset: WETH, amount: ActionAmount::Exact(weth(2)) },
            AaveAction::Borrow { asset: USDC, amount: ActionAmount::Exact(usdc(3_000)) },
        ];
        let steps = plan_transactions(POOL, USER, &actions, &[weth_state, asset(USDC, "USDC", 6)], &options()).unwrap();
        assert_eq!(labels(&steps), ["Approve 2 WETH for the Aave Pool", "Supply 2 WETH", "Borrow 3,000 USDC"]);
        let PlanStep::Approve { amount, tx, .. } = &steps[0] else { panic!("{steps:?}") };
        assert_eq!(*amount, weth(2), "the approval replaces the 1 WETH allowance, so it is the whole amount");
        let tokens = [TokenInfo { address: WETH, symbol: "WETH".into(), decimals: 18 }];
        let context = DescribeContext { pool: POOL, user: USER, tokens: &tokens };
        assert_eq!(describe(tx, &context).summary, "Approve the Aave Pool to spend 2 WETH of yours");
        assert_eq!(steps.iter().map(PlanStep::action_index).collect::<Vec<_>>(), [0, 0, 1]);
    }

    #[test]
    fn an_allowance_that_covers_the_pull_needs_no_approval_and_is_used_up() {
        let state = AssetState { balance: weth(5), allowance: weth(3), ..asset(WETH, "WETH", 18) };
        let two = AaveAction::Supply { asset: WETH, amount: ActionAmount::Exact(weth(2)) };
        let steps = plan_transactions(POOL, USER, &[two.clone(), two], &[state], &options()).unwrap();
        // 3 covers the first 2; the second finds 1 left and approves 2.
        assert_eq!(labels(&steps), ["Supply 2 WETH", "Approve 2 WETH for the Aave Pool", "Supply 2 WETH"]);
    }

    #[test]
    fn repay_max_approves_the_debt_plus_the_margin_rounded_up() {
        let debt = U256::from(3_000_123_457u64); // 3,000.123457 USDC
        let state = AssetState { balance: usdc(10_000), variable_debt: debt, ..asset(USDC, "USDC", 6) };
        let actions = [AaveAction::Repay { asset: USDC, amount: ActionAmount::Max }];
        let steps = plan_transactions(POOL, USER, &actions, &[state], &options()).unwrap();
        // 3,000.123457 × 1.001 = 3,003.123580457 → 3,003.123581 (up).
        assert_eq!(labels(&steps), ["Approve 3,003.123581 USDC for the Aave Pool", "Repay all USDC debt"]);
        let PlanStep::Call { tx, .. } = &steps[1] else { panic!() };
        assert_eq!(tx, &pool_tx(POOL, USER, &actions[0]).unwrap(), "the max form, so no dust remains");
        assert_eq!(repay_max_allowance(U256::from(5u8), 10), U256::from(6u8));
        assert_eq!(repay_max_allowance(U256::from(10_000u16), 10), U256::from(10_010u16));
    }

    #[test]
    fn permits_replace_approvals_for_exact_amounts() {
        let state = AssetState { balance: usdc(10_000), permit: usdc_permit(7), ..asset(USDC, "USDC", 6) };
        let supply = AaveAction::Supply { asset: USDC, amount: ActionAmount::Exact(usdc(3_000)) };
        let steps = plan_transactions(POOL, USER, &[supply.clone(), supply], &[state], &options()).unwrap();
        assert_eq!(
            labels(&steps),
            [
                "Sign a permit for 3,000 USDC, then supply 3,000 USDC",
                "Sign a permit for 3,000 USDC, then supply 3,000 USDC"
            ]
        );
        let PlanStep::PermitCall { call, .. } = &steps[0] else { panic!("{steps:?}") };
        let PlanStep::PermitCall { call: second, .. } = &steps[1] else { panic!("{steps:?}") };
        assert_eq!((call.permit.nonce, second.permit.nonce), (U256::from(7u8), U256::from(8u8)));
        // The fixture's permit is this one; with ethers' signature the call is ethers' calldata.
        let f = fixtures();
        assert_eq!(call.permit.digest().to_string(), f["permit"]["digest"].as_str().unwrap());
        let tx = call.tx(f["permit"]["signature"].as_str().unwrap()).unwrap();
        assert_eq!(
            tx,
            pool_tx(
                POOL,
                USER,
                &AaveAction::SupplyWithPermit {
                    asset: USDC,
                    amount: ActionAmount::Exact(usdc(3_000)),
                    permit: fixture_permit()
                }
            )
            .unwrap()
        );
        assert_eq!(call.tx("0x1234"), Err(PlanError::Signature(SignatureError::Length(2))));
    }

    #[test]
    fn repay_max_by_permit_repays_the_permitted_amount() {
        let debt = usdc(1_000);
        let state =
            AssetState { balance: usdc(2_000), variable_debt: debt, permit: usdc_permit(0), ..asset(USDC, "USDC", 6) };
        let actions = [AaveAction::Repay { asset: USDC, amount: ActionAmount::Max }];
        let steps = plan_transactions(POOL, USER, &actions, &[state], &options()).unwrap();
        let [PlanStep::PermitCall { call, label, .. }] = steps.as_slice() else { panic!("{steps:?}") };
        assert_eq!(label, "Sign a permit for 1,001 USDC, then repay all USDC debt");
        assert_eq!(call.permit.value, usdc(1_001));
        assert_eq!(call.action, AaveAction::Repay { asset: USDC, amount: ActionAmount::Exact(usdc(1_001)) });
    }

    #[test]
    fn unlimited_approval_only_when_asked_and_never_by_permit() {
        let state = AssetState { balance: usdc(10_000), permit: usdc_permit(0), ..asset(USDC, "USDC", 6) };
        let supply = AaveAction::Supply { asset: USDC, amount: ActionAmount::Exact(usdc(3_000)) };
        let unlimited = PlanOptions { unlimited_approval: true, ..options() };
        let steps = plan_transactions(POOL, USER, &[supply.clone(), supply], &[state], &unlimited).unwrap();
        assert_eq!(
            labels(&steps),
            ["Approve an unlimited amount of USDC for the Aave Pool", "Supply 3,000 USDC", "Supply 3,000 USDC"]
        );
        let PlanStep::Approve { amount, .. } = &steps[0] else { panic!() };
        assert_eq!(*amount, U256::MAX);
    }

    #[test]
    fn usdt_style_tokens_are_reset_to_zero_first() {
        let state =
            AssetState { balance: usdc(5_000), allowance: usdc(1), approve_from_zero: true, ..asset(USDT, "USDT", 6) };
        let repay = AaveAction::Repay { asset: USDT, amount: ActionAmount::Exact(usdc(100)) };
        let with_debt = AssetState { variable_debt: usdc(500), ..state };
        let steps = plan_transactions(POOL, USER, &[repay], &[with_debt], &options()).unwrap();
        assert_eq!(
            labels(&steps),
            [
                "Reset the USDT approval for the Aave Pool to 0 (the token requires it before a new one)",
                "Approve 100 USDT for the Aave Pool",
                "Repay 100 USDT"
            ]
        );
    }

    #[test]
    fn borrowed_tokens_can_be_supplied_and_balances_are_checked() {
        let actions = [
            AaveAction::Borrow { asset: USDC, amount: ActionAmount::Exact(usdc(100)) },
            AaveAction::Supply { asset: USDC, amount: ActionAmount::Exact(usdc(150)) },
        ];
        let state = AssetState { balance: usdc(60), ..asset(USDC, "USDC", 6) };
        assert!(plan_transactions(POOL, USER, &actions, std::slice::from_ref(&state), &options()).is_ok());
        let poorer = AssetState { balance: usdc(40), ..state };
        assert_eq!(
            plan_transactions(POOL, USER, &actions, &[poorer], &options()),
            Err(PlanError::InsufficientBalance { index: 1, needed: "150 USDC".into(), held: "140 USDC".into() })
        );
    }

    #[test]
    fn refusals_name_the_action() {
        let state = asset(USDC, "USDC", 6);
        for amount in [ActionAmount::Max, ActionAmount::Exact(usdc(1))] {
            let repay = [AaveAction::Repay { asset: USDC, amount }];
            assert_eq!(
                plan_transactions(POOL, USER, &repay, std::slice::from_ref(&state), &options()),
                Err(PlanError::NoDebt { index: 0, symbol: "USDC".into() })
            );
        }
        let unknown = [AaveAction::Withdraw { asset: WETH, amount: ActionAmount::Max }];
        let err = plan_transactions(POOL, USER, &unknown, std::slice::from_ref(&state), &options()).unwrap_err();
        assert_eq!(err, PlanError::UnknownAsset { index: 0, asset: WETH });
        assert_eq!(err.to_string(), format!("action 1: {WETH} is not an asset read for this plan"));
        let max_supply =
            [AaveAction::SetEMode { category: 1 }, AaveAction::Supply { asset: USDC, amount: ActionAmount::Max }];
        assert_eq!(
            plan_transactions(POOL, USER, &max_supply, &[state], &options()),
            Err(PlanError::Action { index: 1, error: ActionError::MaxNotAllowed { function: "supply" } })
        );
    }
}
