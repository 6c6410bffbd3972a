//! The transaction panel apart from its IO: the form's action and amount as
//! a `ballast_chain::aave_actions::AaveAction`, the engine's verdict on the
//! health factor after it (`ballast_chain::tx_guard`), each asset's
//! allowance, balance and permit support read into a `tx_plan::AssetState`,
//! and a failed simulation in words (`ballast_chain::revert`). Pure, so it is
//! tested natively.

use crate::typed_number::{without_thousands_separators, GroupingError, OneComma};
use alloy_primitives::{Address, U256};
use ballast_chain::aave_actions::{AaveAction, ActionAmount, TokenInfo};
use ballast_chain::erc20::{
    allowance_calldata, balance_of_calldata, decode_uint, domain_separator_calldata, name_calldata, nonces_calldata,
    version_calldata,
};
use ballast_chain::multicall::{Call, CallOutcome};
use ballast_chain::permit::PermitRequest;
use ballast_chain::revert::decode_error_object;
use ballast_chain::tx_guard::{health_before_and_after, health_verdict, HealthVerdict, SendRefusal};
use ballast_chain::tx_plan::{AssetState, PlanStep};
use ballast_chain::tx_plan_reads::{needs_approve_from_zero, permit_support};
use ballast_core::exact::PlainDecimal;
use ballast_core::Scenario;
use num_rational::BigRational;
use serde_json::json;

use crate::wallet::WalletError;

/// The default safety floor, as the form shows it (`tx_guard::default_safety_floor`).
pub const DEFAULT_FLOOR: &str = "1.1";

/// The Pool actions the form offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Supply,
    Withdraw,
    Borrow,
    Repay,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] = [ActionKind::Supply, ActionKind::Withdraw, ActionKind::Borrow, ActionKind::Repay];

    pub fn slug(self) -> &'static str {
        match self {
            ActionKind::Supply => "supply",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Borrow => "borrow",
            ActionKind::Repay => "repay",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// Only withdraw and repay have an "all" form (`type(uint256).max`).
    pub fn takes_max(self) -> bool {
        matches!(self, ActionKind::Withdraw | ActionKind::Repay)
    }

    /// The Pool pulls the user's tokens: an approval or permit may come first.
    pub fn pulls_tokens(self) -> bool {
        matches!(self, ActionKind::Supply | ActionKind::Repay)
    }

    pub fn action(self, asset: Address, amount: ActionAmount) -> AaveAction {
        match self {
            ActionKind::Supply => AaveAction::Supply { asset, amount },
            ActionKind::Withdraw => AaveAction::Withdraw { asset, amount },
            ActionKind::Borrow => AaveAction::Borrow { asset, amount },
            ActionKind::Repay => AaveAction::Repay { asset, amount },
        }
    }
}

/// A reserve the user supplies, with its collateral flag as the chain has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollateralRow {
    pub token: TokenInfo,
    /// The user's `usageAsCollateralEnabled` for the reserve.
    pub enabled: bool,
}

impl CollateralRow {
    /// The action that flips the flag.
    pub fn toggle(&self) -> AaveAction {
        AaveAction::SetCollateral { asset: self.token.address, enabled: !self.enabled }
    }
}

/// Each reserve the user supplies (a balance above 0), in the position's
/// order, with its collateral flag.
pub fn collateral_rows(scenario: &Scenario, tokens: &[TokenInfo]) -> Vec<CollateralRow> {
    scenario
        .collateral
        .iter()
        .filter(|h| !h.amount.is_zero())
        .filter_map(|h| {
            let token = tokens.iter().find(|t| t.symbol == h.asset)?;
            Some(CollateralRow { token: token.clone(), enabled: h.use_as_collateral != Some(false) })
        })
        .collect()
}

/// One e-mode choice the form offers: none (id 0) or one of the market's categories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EModeChoice {
    pub id: u8,
    /// The category's label on chain ("Stablecoins"), or its number when it has none.
    pub label: String,
    /// The user's category now.
    pub current: bool,
}

/// No e-mode, then the market's categories (those the position read lists)
/// by their on-chain `labels`, the user's current one marked.
pub fn emode_choices(scenario: &Scenario, labels: &[(u8, String)]) -> Vec<EModeChoice> {
    let current = scenario.emode.as_ref().map_or(0, |e| e.id);
    let mut ids: Vec<u32> = scenario.emode_categories.iter().map(|c| c.id).collect();
    if current != 0 && !ids.contains(&current) {
        ids.push(current);
    }
    ids.sort_unstable();
    ids.dedup();
    let label = |id: u8| emode_label(id, labels).map_or_else(|| format!("category {id}"), str::to_owned);
    std::iter::once(EModeChoice { id: 0, label: "No e-mode".into(), current: current == 0 })
        .chain(ids.into_iter().filter_map(|id| u8::try_from(id).ok()).filter(|id| *id != 0).map(|id| EModeChoice {
            id,
            label: label(id),
            current: u32::from(id) == current,
        }))
        .collect()
}

/// Category `id`'s on-chain label (trimmed), if it has one.
fn emode_label(id: u8, labels: &[(u8, String)]) -> Option<&str> {
    labels.iter().find(|(l, text)| *l == id && !text.trim().is_empty()).map(|(_, text)| text.trim())
}

/// Titles the plan's e-mode steps by the category's on-chain label
/// ("Enter e-mode Stablecoins (category 1)"): `tx_plan` knows only the number,
/// and the user picked the category by its label. Without a label the number
/// stays alone.
pub fn name_emode_steps(plan: &mut [PlanStep], labels: &[(u8, String)]) {
    for step in plan {
        if let PlanStep::Call { label, action: AaveAction::SetEMode { category }, .. } = step {
            if let Some(name) = emode_label(*category, labels).filter(|_| *category != 0) {
                *label = format!("Enter e-mode {name} (category {category})");
            }
        }
    }
}

/// The query parameter carrying a plan to sign from the panel:
/// `?plan=supply:WETH:2,borrow:USDC:3000,repay:USDC:max`.
pub const PLAN_PARAM: &str = "plan";

/// One action of a plan, as typed (resolved against the market's tokens when checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedAction {
    pub kind: ActionKind,
    pub symbol: String,
    /// Tokens as typed, or `max` (withdraw and repay only).
    pub amount: String,
}

impl QueuedAction {
    /// "supply 2 WETH", "repay all USDC".
    pub fn label(&self) -> String {
        if self.amount == "max" {
            format!("{} all {}", self.kind.slug(), self.symbol)
        } else {
            format!("{} {} {}", self.kind.slug(), self.amount, self.symbol)
        }
    }

    /// The Pool action, with the market's `tokens`.
    pub fn resolve(&self, tokens: &[TokenInfo]) -> Result<AaveAction, String> {
        let token = tokens
            .iter()
            .find(|t| t.symbol == self.symbol)
            .ok_or_else(|| format!("{}: {} is not an asset of this market", self.label(), self.symbol))?;
        let max = self.amount == "max";
        if max && !self.kind.takes_max() {
            return Err(format!("{}: only withdraw and repay take max", self.label()));
        }
        let amount = parse_amount(&self.amount, max, token).map_err(|e| format!("{}: {e}", self.label()))?;
        Ok(self.kind.action(token.address, amount))
    }
}

/// `?plan=`'s actions, and a notice for each part that is not one.
pub fn parse_plan_param(text: &str) -> (Vec<QueuedAction>, Vec<String>) {
    let mut actions = Vec::new();
    let mut notices = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let fields: Vec<&str> = part.split(':').collect();
        match fields.as_slice() {
            [kind, symbol, amount] if ActionKind::from_slug(kind).is_some() && !symbol.is_empty() && !amount.is_empty() => {
                actions.push(QueuedAction {
                    kind: ActionKind::from_slug(kind).unwrap_or(ActionKind::Supply),
                    symbol: (*symbol).to_owned(),
                    amount: (*amount).to_owned(),
                })
            }
            _ => notices.push(format!(
                "The plan step {:?} in the link was skipped: write it as action:ASSET:amount (supply, withdraw, borrow or repay).",
                part.chars().take(40).collect::<String>()
            )),
        }
    }
    (actions, notices)
}

/// The `?plan=` value for a list of actions.
pub fn plan_param(actions: &[QueuedAction]) -> String {
    actions.iter().map(|a| format!("{}:{}:{}", a.kind.slug(), a.symbol, a.amount)).collect::<Vec<_>>().join(",")
}

/// Why a typed amount is not one to send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("enter an amount")]
    Empty,
    #[error("{0:?} is not an amount: write it like 1.5")]
    NotANumber(String),
    #[error(transparent)]
    Grouping(#[from] GroupingError),
    #[error("the amount must be more than 0")]
    Zero,
    #[error("{symbol} has {decimals} decimals; the amount has more")]
    TooManyDecimals { symbol: String, decimals: u8 },
    #[error("the amount is too large")]
    TooLarge,
}

/// The typed amount of `token` in its smallest unit, or everything (`max`).
pub fn parse_amount(text: &str, max: bool, token: &TokenInfo) -> Result<ActionAmount, AmountError> {
    if max {
        return Ok(ActionAmount::Max);
    }
    // One comma alone is refused: 1,500 is 1.5 on a German keypad, and this amount is sent.
    let text = without_thousands_separators(text.trim(), OneComma::Refused)?;
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let decimal = PlainDecimal::parse(&text).map_err(|_| AmountError::NotANumber(text.chars().take(40).collect()))?;
    if decimal.is_zero() {
        return Err(AmountError::Zero);
    }
    let units = decimal
        .to_scaled_integer(u32::from(token.decimals))
        .ok_or_else(|| AmountError::TooManyDecimals { symbol: token.symbol.clone(), decimals: token.decimals })?;
    let units = U256::try_from_be_slice(&units.to_bytes_be()).ok_or(AmountError::TooLarge)?;
    if units == U256::MAX {
        return Err(AmountError::TooLarge);
    }
    Ok(ActionAmount::Exact(units))
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

/// The engine's judgement of `actions` on the position just read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The health factor after (`None`: no debt).
    pub after: Option<BigRational>,
    /// Said before signing (under the floor, or under 1 but rising).
    pub warning: Option<String>,
}

/// Refused (`Err`, in words, the wallet not asked) when the engine refuses
/// the action or it leaves the health factor under 1 without raising it.
pub fn judge(
    scenario: &Scenario,
    actions: &[AaveAction],
    tokens: &[TokenInfo],
    floor: &BigRational,
) -> Result<Judged, String> {
    let refused = |why: String| format!("Refused: {why}. Nothing was sent to your wallet.");
    let (before, after) = health_before_and_after(scenario, actions, tokens).map_err(|e| refused(e.to_string()))?;
    match health_verdict(before.as_ref(), after.as_ref(), floor) {
        HealthVerdict::Refuse { message } => Err(refused(message)),
        HealthVerdict::Warn { message } => Ok(Judged { after, warning: Some(format!("Careful: {message}.")) }),
        HealthVerdict::Safe => Ok(Judged { after, warning: None }),
    }
}

/// The user's variable debt of `token` in the scenario read, in its smallest unit.
pub fn debt_units(scenario: &Scenario, token: &TokenInfo) -> U256 {
    scenario
        .debt
        .iter()
        .find(|h| h.asset == token.symbol)
        .and_then(|h| h.amount.to_scaled_integer(u32::from(token.decimals)))
        .and_then(|units| U256::try_from_be_slice(&units.to_bytes_be()))
        .unwrap_or_default()
}

/// The reads behind one asset's [`AssetState`], for one Multicall3 batch:
/// balance and allowance (strict), then permit support (tolerant: most tokens have none).
pub fn asset_calls(token: Address, user: Address, pool: Address) -> Vec<Call> {
    vec![
        Call { target: token, allow_failure: false, call_data: balance_of_calldata(user) },
        Call { target: token, allow_failure: false, call_data: allowance_calldata(user, pool) },
        Call::tolerant(token, nonces_calldata(user)),
        Call::tolerant(token, domain_separator_calldata()),
        Call::tolerant(token, name_calldata()),
        Call::tolerant(token, version_calldata()),
    ]
}

/// [`asset_calls`]' outcomes as the plan's view of the asset; permit support
/// by `tx_plan_reads::permit_support`'s rule (the domain Ballast builds must be
/// the token's own `DOMAIN_SEPARATOR()`).
///
/// Not `tx_plan_reads::asset_state_calls`: that also reads the variable debt
/// token, whose address the position reader does not keep; the debt here is
/// the position's, read at the same time.
pub fn asset_state(
    token: &TokenInfo,
    outcomes: &[CallOutcome],
    variable_debt: U256,
    chain_id: u64,
) -> Result<AssetState, String> {
    let ok = |i: usize| match outcomes.get(i) {
        Some(CallOutcome::Success(data)) => Ok(data.as_ref()),
        _ => Err(()),
    };
    let uint = |i: usize, what: &str| {
        ok(i)
            .ok()
            .and_then(|d| decode_uint(d).ok())
            .ok_or_else(|| format!("{}'s {what} could not be read", token.symbol))
    };
    let balance = uint(0, "balance")?;
    let allowance = uint(1, "allowance for the Pool")?;
    let data = |i: usize| ok(i).ok();
    Ok(AssetState {
        token: token.clone(),
        balance,
        allowance,
        variable_debt,
        permit: permit_support(token.address, chain_id, data(4), data(5), data(2), data(3)),
        approve_from_zero: needs_approve_from_zero(chain_id, token.address),
    })
}

/// A wallet's refusal of a simulation in words: the revert decoded when it is one.
pub fn simulation_failure(e: &WalletError) -> String {
    if let WalletError::Rpc { code, message, data } = e {
        let object = json!({ "code": code, "message": message, "data": data });
        if let Some(reason) = decode_error_object(&object) {
            return format!("The simulation reverts: {reason}. Nothing was sent.");
        }
    }
    format!("The simulation could not run: {e}. Nothing was sent.")
}

/// The step was checked for one account; the wallet must still be on it.
pub fn same_account(wallet: Address, checked: Address) -> Result<(), String> {
    if wallet == checked {
        return Ok(());
    }
    Err(format!(
        "The wallet's account changed to {} since this step was checked for {}: check it again. Nothing was sent.",
        wallet.to_checksum(None),
        checked.to_checksum(None)
    ))
}

/// Before a permit is signed, as before a send: the wallet is on the account
/// the permit is for, and on the chain the permit names, which is the market's.
pub fn permit_checks(
    wallet_account: Address,
    wallet_chain: u64,
    market_chain: Option<u64>,
    permit: &PermitRequest,
) -> Result<(), String> {
    same_account(wallet_account, permit.owner)?;
    let chain = permit.domain.chain_id;
    if market_chain != Some(chain) || wallet_chain != chain {
        let why = SendRefusal::WrongChain { wallet: wallet_chain, market: market_chain.unwrap_or(chain) };
        return Err(format!("Not signed: {why}. Nothing was signed."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, Bytes, B256};
    use ballast_chain::permit::PermitDomain;

    /// An ABI-encoded `string` return: offset, length, the bytes padded to a word.
    fn abi_string(text: &str) -> Vec<u8> {
        let mut out = U256::from(32u8).to_be_bytes::<32>().to_vec();
        out.extend(U256::from(text.len()).to_be_bytes::<32>());
        let mut data = text.as_bytes().to_vec();
        data.resize(text.len().div_ceil(32) * 32, 0);
        out.extend(data);
        out
    }

    fn usdc() -> TokenInfo {
        TokenInfo { address: address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"), symbol: "USDC".into(), decimals: 6 }
    }

    #[test]
    fn a_comma_is_never_dropped_unless_it_can_only_group_thousands() {
        // The bug this guards against: "0,5" (a German keypad's half) read as 05 = 5 tokens.
        for (typed, suggestion) in [("0,5", "0.5"), ("1,5", "1.5"), ("12,25", "12.25"), ("1234,5678", "1234.5678")] {
            assert_eq!(
                parse_amount(typed, false, &usdc()),
                Err(GroupingError::DecimalComma { typed: typed.into(), suggestion: suggestion.into() }.into()),
                "{typed}"
            );
        }
        assert_eq!(
            parse_amount("0,5", false, &usdc()).unwrap_err().to_string(),
            "\"0,5\": use a point for decimals, like 0.5"
        );
        // A lone 0 before the comma can only be a decimal comma.
        assert_eq!(
            parse_amount("0,500", false, &usdc()),
            Err(GroupingError::DecimalComma { typed: "0,500".into(), suggestion: "0.500".into() }.into())
        );
        // A comma that is no separator at all says where commas may go.
        for typed in ["1,2,3", "1,234.5,6", "12345,678.5", ",5", "1,", "1.234,5", "1,23.5", "1,00,000"] {
            assert_eq!(
                parse_amount(typed, false, &usdc()),
                Err(GroupingError::MisplacedComma(typed.into()).into()),
                "{typed}"
            );
        }
        assert_eq!(
            parse_amount("1,00,000", false, &usdc()).unwrap_err().to_string(),
            "\"1,00,000\": commas may only separate thousands, like 1,234,567.5; use a point for decimals"
        );
        // A sign or a currency is the number parser's to name.
        assert_eq!(parse_amount("$1,000", false, &usdc()), Err(AmountError::NotANumber("$1,000".into())));
        // 1,500 is 1500 in English and 1.5 in German: refused, whichever was meant.
        for typed in ["1,500", "999,000"] {
            assert_eq!(
                parse_amount(typed, false, &usdc()),
                Err(GroupingError::AmbiguousComma(typed.into()).into()),
                "{typed}"
            );
        }
        // Grouping with a point after it, or with two commas or more, can only be thousands.
        assert_eq!(parse_amount("1,500.0", false, &usdc()), Ok(ActionAmount::Exact(U256::from(1_500_000_000u64))));
        assert_eq!(
            parse_amount("12,345,678.9", false, &usdc()),
            Ok(ActionAmount::Exact(U256::from(12_345_678_900_000u64)))
        );
    }

    #[test]
    fn amounts_become_exact_token_units_or_are_refused_by_name() {
        assert_eq!(parse_amount("1,234.5", false, &usdc()), Ok(ActionAmount::Exact(U256::from(1_234_500_000u64))));
        assert_eq!(
            parse_amount("1,234,567", false, &usdc()),
            Ok(ActionAmount::Exact(U256::from(1_234_567_000_000u64)))
        );
        assert_eq!(parse_amount("1_000.25", false, &usdc()), Ok(ActionAmount::Exact(U256::from(1_000_250_000u64))));
        assert_eq!(
            parse_amount("0.0000001", false, &usdc()).unwrap_err().to_string(),
            "USDC has 6 decimals; the amount has more"
        );
        assert_eq!(parse_amount("  ", false, &usdc()), Err(AmountError::Empty));
        assert_eq!(parse_amount("0.000", false, &usdc()), Err(AmountError::Zero));
        assert_eq!(
            parse_amount("1e5", false, &usdc()).unwrap_err().to_string(),
            "\"1e5\" is not an amount: write it like 1.5"
        );
        assert_eq!(parse_amount("x", true, &usdc()), Ok(ActionAmount::Max));
        assert_eq!(parse_floor("0.9"), Err("the safety floor must be 1 or more".into()));
        assert_eq!(parse_floor("1.25"), Ok(BigRational::new(5.into(), 4.into())));
    }

    #[test]
    fn a_plan_in_the_link_round_trips_and_bad_parts_are_named() {
        let (plan, notices) = parse_plan_param("supply:WETH:2, borrow:USDC:3000,repay:USDC:max,fly:WETH:1,supply:WETH");
        assert_eq!(
            plan.iter().map(QueuedAction::label).collect::<Vec<_>>(),
            ["supply 2 WETH", "borrow 3000 USDC", "repay all USDC"]
        );
        assert_eq!(notices.len(), 2);
        assert!(notices[0].contains("\"fly:WETH:1\""), "{}", notices[0]);
        assert_eq!(plan_param(&plan), "supply:WETH:2,borrow:USDC:3000,repay:USDC:max");
        let tokens = [usdc()];
        assert_eq!(
            plan[1].resolve(&tokens),
            Ok(AaveAction::Borrow { asset: usdc().address, amount: ActionAmount::Exact(U256::from(3_000_000_000u64)) })
        );
        assert_eq!(plan[0].resolve(&tokens).unwrap_err(), "supply 2 WETH: WETH is not an asset of this market");
        let supply_max = QueuedAction { kind: ActionKind::Supply, symbol: "USDC".into(), amount: "max".into() };
        assert_eq!(supply_max.resolve(&tokens).unwrap_err(), "supply all USDC: only withdraw and repay take max");
    }

    #[test]
    fn collateral_rows_and_emode_choices_show_the_current_state() {
        let weth = TokenInfo {
            address: address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"),
            symbol: "WETH".into(),
            decimals: 18,
        };
        let dai = TokenInfo {
            address: address!("6B175474E89094C44Da98b954EedeAC495271d0F"),
            symbol: "DAI".into(),
            decimals: 18,
        };
        let scenario = Scenario::parse(
            &json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
                "assets": [
                    { "symbol": "WETH", "decimals": 18, "price": "3000", "ltv_bps": 8000,
                      "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
                    { "symbol": "DAI", "decimals": 18, "price": "1", "ltv_bps": 7500,
                      "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10500, "emode_category": 1 },
                    { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7700,
                      "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10450, "emode_category": 1 } ],
                "emode_categories": [ { "id": 1, "ltv_bps": 9300, "liquidation_threshold_bps": 9500,
                    "liquidation_bonus_bps": 10100, "price": null } ],
                "collateral": [ { "asset": "WETH", "amount": "1" },
                                { "asset": "DAI", "amount": "100", "use_as_collateral": false } ],
                "debt": [ { "asset": "USDC", "amount": "10" } ] })
            .to_string(),
        )
        .unwrap();
        let tokens = [weth.clone(), dai.clone(), usdc()];
        let rows = collateral_rows(&scenario, &tokens);
        assert_eq!(
            rows,
            [
                CollateralRow { token: weth.clone(), enabled: true },
                CollateralRow { token: dai.clone(), enabled: false }
            ]
        );
        assert_eq!(rows[0].toggle(), AaveAction::SetCollateral { asset: weth.address, enabled: false });
        assert_eq!(rows[1].toggle(), AaveAction::SetCollateral { asset: dai.address, enabled: true });

        let labels = [(1u8, "Stablecoins".to_owned())];
        let choices = emode_choices(&scenario, &labels);
        assert_eq!(
            choices,
            [
                EModeChoice { id: 0, label: "No e-mode".into(), current: true },
                EModeChoice { id: 1, label: "Stablecoins".into(), current: false },
            ]
        );
        let mut in_emode = scenario.clone();
        in_emode.emode = in_emode.emode_categories.first().cloned();
        let choices = emode_choices(&in_emode, &[]);
        assert_eq!(
            choices.iter().map(|c| (c.label.as_str(), c.current)).collect::<Vec<_>>(),
            [("No e-mode", false), ("category 1", true)]
        );
    }

    #[test]
    fn e_mode_steps_are_titled_by_the_categorys_on_chain_label() {
        let pool = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
        let me = address!("2222222222222222222222222222222222222222");
        let mut plan = ballast_chain::tx_plan::plan_transactions(
            pool,
            me,
            &[
                AaveAction::SetEMode { category: 1 },
                AaveAction::SetEMode { category: 2 },
                AaveAction::SetEMode { category: 0 },
            ],
            &[],
            &ballast_chain::tx_plan::PlanOptions::new(U256::from(1_767_225_600u64)),
        )
        .unwrap();
        let labels = [(1u8, " Stablecoins ".to_owned()), (2, "  ".to_owned()), (0, "none".to_owned())];
        name_emode_steps(&mut plan, &labels);
        let titles: Vec<&str> = plan.iter().map(PlanStep::label).collect();
        // Category 2 has no label on chain: its number stays; leaving is not a category.
        assert_eq!(titles, ["Enter e-mode Stablecoins (category 1)", "Enter e-mode category 2", "Leave e-mode"]);
        // Only e-mode calls are renamed.
        let borrow = AaveAction::Borrow { asset: usdc().address, amount: ActionAmount::Exact(U256::from(1u8)) };
        let tx = ballast_chain::aave_actions::pool_tx(pool, me, &borrow).unwrap();
        let mut other = [PlanStep::Call { label: "Borrow 1 USDC".into(), action_index: 0, action: borrow, tx }];
        name_emode_steps(&mut other, &labels);
        assert_eq!(other[0].label(), "Borrow 1 USDC");
    }

    /// A permit token answers every read; its domain must hash to its DOMAIN_SEPARATOR.
    #[test]
    fn permit_support_needs_a_matching_domain_separator() {
        let token = usdc();
        let domain = PermitDomain {
            name: "USD Coin".into(),
            version: "2".into(),
            chain_id: 31_337,
            verifying_contract: token.address,
        };
        let word = |v: U256| CallOutcome::Success(Bytes::from(v.to_be_bytes::<32>().to_vec()));
        let outcomes = |separator: B256| {
            vec![
                word(U256::from(5_000_000u64)),
                word(U256::ZERO),
                word(U256::from(3u8)),
                CallOutcome::Success(Bytes::from(separator.to_vec())),
                CallOutcome::Success(Bytes::from(abi_string("USD Coin"))),
                CallOutcome::Success(Bytes::from(abi_string("2"))),
            ]
        };
        let state = asset_state(&token, &outcomes(domain.separator()), U256::from(7u8), 31_337).unwrap();
        assert_eq!(
            (state.balance, state.allowance, state.variable_debt),
            (U256::from(5_000_000u64), U256::ZERO, U256::from(7u8))
        );
        assert_eq!(state.permit.map(|p| (p.domain, p.nonce)), Some((domain.clone(), U256::from(3u8))));
        // Another chain's separator: no permit, an approval instead.
        let other = PermitDomain { chain_id: 1, ..domain };
        assert_eq!(asset_state(&token, &outcomes(other.separator()), U256::ZERO, 31_337).unwrap().permit, None);
        // A token without nonces(): no permit; a failed balance read is an error.
        let mut plain = outcomes(B256::ZERO);
        plain[2] = CallOutcome::Reverted(Bytes::new());
        assert_eq!(asset_state(&token, &plain, U256::ZERO, 31_337).unwrap().permit, None);
        plain[0] = CallOutcome::Reverted(Bytes::new());
        assert_eq!(asset_state(&token, &plain, U256::ZERO, 31_337).unwrap_err(), "USDC's balance could not be read");
    }

    #[test]
    fn a_simulated_revert_is_put_in_words_and_other_failures_are_named() {
        // Error(string) "35": Aave's HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD.
        let data = format!("0x08c379a0{}", alloy_primitives::hex::encode(abi_string("35")));
        let e = WalletError::from_parts(Some(3), "execution reverted", Some(json!(data)), "eth_call");
        let words = simulation_failure(&e);
        assert!(words.starts_with("The simulation reverts: "), "{words}");
        assert!(words.contains("Aave error 35"), "{words}");
        assert_eq!(
            simulation_failure(&WalletError::Disconnected),
            "The simulation could not run: the wallet is disconnected. Nothing was sent."
        );
        let me = address!("2222222222222222222222222222222222222222");
        let other = address!("3333333333333333333333333333333333333333");
        assert_eq!(same_account(me, me), Ok(()));
        assert!(same_account(other, me).unwrap_err().contains("account changed to 0x3333"));
    }

    #[test]
    fn a_permit_is_signed_only_by_its_owner_on_its_chain() {
        let me = address!("2222222222222222222222222222222222222222");
        let other = address!("3333333333333333333333333333333333333333");
        let domain = PermitDomain {
            name: "USD Coin".into(),
            version: "2".into(),
            chain_id: 1,
            verifying_contract: usdc().address,
        };
        let permit = PermitRequest {
            domain,
            owner: me,
            spender: other,
            value: U256::from(5u8),
            nonce: U256::ZERO,
            deadline: U256::from(1_767_225_600u64),
        };
        assert_eq!(permit_checks(me, 1, Some(1), &permit), Ok(()));
        assert!(permit_checks(other, 1, Some(1), &permit).unwrap_err().contains("account changed to 0x3333"));
        assert_eq!(
            permit_checks(me, 8453, Some(1), &permit).unwrap_err(),
            "Not signed: the wallet is on chain 8453, but this market is on chain 1: switch the wallet first. \
             Nothing was signed."
        );
        // The panel moved to another chain since the permit was planned.
        assert!(permit_checks(me, 1, Some(10), &permit).is_err());
    }
}
