//! "Sign these changes": a plan opened from a live Aave position and edited
//! with what-ifs becomes the ordered actions the transaction panel signs.
//! The actions are the per-asset difference between the position as opened
//! and as edited; price and market what-ifs are not transactions and are
//! named as left out. Pure, so it is tested natively; the panel still checks
//! every step on the chain's own position before the wallet is asked.

use ballast_core::exact::format_exact;
use ballast_core::scenario::{Holding, Scenario};
use ballast_core::Protocol;
use num_rational::BigRational;

use crate::transact::model::{plan_param, ActionKind, QueuedAction, PLAN_PARAM};

/// The query parameter marking a planner link as opened from a live position
/// (its value is the chain's name, shown to the user).
pub const LIVE_PARAM: &str = "live";

/// The tab's session storage key for the share link of the live position the
/// Positions page last handed to the planner.
const LIVE_HANDOFF_KEY: &str = "ballast.live-handoff";

/// The tab's session storage, when the browser gives the page one.
fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// Records, as a "Open in the planner" link is followed, that this tab's
/// Positions page read `share` (a share link's text) live. A link with
/// `live=` alone proves nothing: anyone can write one around made-up figures.
pub fn hand_off_live(share: &str) {
    if let Some(storage) = session_storage() {
        // Quota full or storage refused: the planner then opens it as a shared scenario.
        let _ = storage.set_item(LIVE_HANDOFF_KEY, share);
    }
}

/// What this tab's session storage says of a live link's `share`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveHandOff {
    /// This tab's Positions page read it live (a reload keeps it).
    Confirmed,
    /// Read elsewhere, in another tab, edited since, or never.
    NotThisTab,
    /// The browser gives the page no session storage: nothing can be told.
    NoSessionStorage,
}

/// Whether `share` is what this tab's Positions page handed over as read live.
pub fn live_hand_off(share: &str) -> LiveHandOff {
    let Some(storage) = session_storage() else { return LiveHandOff::NoSessionStorage };
    match storage.get_item(LIVE_HANDOFF_KEY) {
        Ok(Some(handed)) if handed == share => LiveHandOff::Confirmed,
        Ok(_) => LiveHandOff::NotThisTab,
        Err(_) => LiveHandOff::NoSessionStorage,
    }
}
/// What the edits would send, and what of them cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignPlan {
    /// In signing order: supplies and repays (which only make the position
    /// safer) before borrows and withdrawals.
    pub actions: Vec<QueuedAction>,
    /// Edits left out, each said in a sentence.
    pub excluded: Vec<String>,
}

impl SignPlan {
    /// The transaction panel's address for these actions (on the Positions page).
    pub fn panel_href(&self) -> String {
        format!("?view=positions&{PLAN_PARAM}={}", plan_param(&self.actions))
    }
}

fn zero() -> BigRational {
    BigRational::from_integer(0.into())
}

fn amount_of(holdings: &[Holding], symbol: &str) -> BigRational {
    holdings.iter().find(|h| h.asset == symbol).map(|h| h.amount.to_rational()).unwrap_or_else(zero)
}

fn collateral_switch(holdings: &[Holding], symbol: &str) -> bool {
    holdings.iter().find(|h| h.asset == symbol).and_then(|h| h.use_as_collateral).unwrap_or(true)
}

/// Every symbol of `lists`, first-seen order, once.
fn symbols<'a>(lists: &[&'a [Holding]]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for h in lists.iter().flat_map(|l| l.iter()) {
        if !out.contains(&h.asset.as_str()) {
            out.push(&h.asset);
        }
    }
    out
}

/// The actions turning `opened` into `edited`, and the edits left out.
/// Withdraw-all and repay-all are `max` when the edit empties the line, so
/// no dust of interest accrued since the read remains.
pub fn sign_plan(opened: &Scenario, edited: &Scenario) -> SignPlan {
    let mut excluded = Vec::new();
    if opened.protocol != Protocol::AAVE_V3 || edited.protocol != Protocol::AAVE_V3 {
        excluded.push("Only Aave V3 changes can be signed here; this plan is not an Aave V3 position.".to_owned());
        return SignPlan { actions: Vec::new(), excluded };
    }
    let mut first = Vec::new();
    let mut then = Vec::new();
    for symbol in symbols(&[&opened.collateral, &edited.collateral]) {
        let delta = amount_of(&edited.collateral, symbol) - amount_of(&opened.collateral, symbol);
        let emptied = amount_of(&edited.collateral, symbol) == zero();
        if delta > zero() {
            first.push(queued(ActionKind::Supply, symbol, format_exact(&delta)));
        } else if delta < zero() {
            let amount = if emptied { "max".to_owned() } else { format_exact(&-delta) };
            then.push(queued(ActionKind::Withdraw, symbol, amount));
        }
    }
    let mut borrows = Vec::new();
    for symbol in symbols(&[&opened.debt, &edited.debt]) {
        let delta = amount_of(&edited.debt, symbol) - amount_of(&opened.debt, symbol);
        let emptied = amount_of(&edited.debt, symbol) == zero();
        if delta > zero() {
            borrows.push(queued(ActionKind::Borrow, symbol, format_exact(&delta)));
        } else if delta < zero() {
            let amount = if emptied { "max".to_owned() } else { format_exact(&-delta) };
            first.push(queued(ActionKind::Repay, symbol, amount));
        }
    }
    // Borrow before withdraw: a withdrawal is what the Pool refuses first when the margin is thin.
    let actions: Vec<QueuedAction> = first.into_iter().chain(borrows).chain(then).collect();

    let switched: Vec<&str> = symbols(&[&opened.collateral, &edited.collateral])
        .into_iter()
        .filter(|s| collateral_switch(&opened.collateral, s) != collateral_switch(&edited.collateral, s))
        .collect();
    if !switched.is_empty() {
        excluded.push(format!(
            "Collateral on/off ({}) is left out: the transaction panel does not send collateral switches yet.",
            switched.join(", ")
        ));
    }
    let moved: Vec<&str> = edited
        .assets
        .iter()
        .filter(|a| opened.asset(&a.symbol).is_some_and(|(_, o)| o.price != a.price))
        .map(|a| a.symbol.as_str())
        .collect();
    if !moved.is_empty() {
        excluded.push(format!(
            "Price what-ifs ({}) are not transactions and are left out; the chain's prices apply.",
            moved.join(", ")
        ));
    }
    // Anything else (asset parameters, rates, e-mode, listed assets) is the market's, not the user's to sign.
    let market_of = |s: &Scenario| {
        let mut m = s.clone();
        m.collateral.clear();
        m.debt.clear();
        for a in &mut m.assets {
            a.price = None;
            // The reserve totals move with the user's own supply, borrow, withdraw and repay.
            a.total_supplied = None;
            a.total_borrowed = None;
            a.isolation_mode_total_debt = None;
        }
        m
    };
    if market_of(opened) != market_of(edited) {
        excluded.push(
            "Governance and market what-ifs (asset parameters, rates, e-mode, assets listed) are not transactions and are left out."
                .to_owned(),
        );
    }
    SignPlan { actions, excluded }
}

fn queued(kind: ActionKind, symbol: &str, amount: String) -> QueuedAction {
    QueuedAction { kind, symbol: symbol.to_owned(), amount }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballast_core::exact::PlainDecimal;

    fn holding(asset: &str, amount: &str) -> Holding {
        Holding { asset: asset.into(), amount: PlainDecimal::parse(amount).unwrap(), use_as_collateral: None }
    }

    fn position() -> Scenario {
        let mut s = crate::pages::plan::model::blank_scenario();
        s.assets = serde_json::from_str(
            r#"[{"symbol":"WETH","decimals":18,"price":"2000","ltv_bps":8000,"liquidation_threshold_bps":8250,"liquidation_bonus_bps":500},
                {"symbol":"USDC","decimals":6,"price":"1","ltv_bps":7700,"liquidation_threshold_bps":8000,"liquidation_bonus_bps":450},
                {"symbol":"DAI","decimals":18,"price":"1","ltv_bps":7500,"liquidation_threshold_bps":8000,"liquidation_bonus_bps":500}]"#,
        )
        .unwrap();
        s.collateral = vec![holding("WETH", "10"), holding("DAI", "500")];
        s.debt = vec![holding("USDC", "5000.5")];
        s
    }

    fn labels(plan: &SignPlan) -> Vec<String> {
        plan.actions.iter().map(QueuedAction::label).collect()
    }

    #[test]
    fn supply_and_borrow_edits_become_supply_then_borrow_by_the_exact_difference() {
        let mut opened = position();
        opened.assets[0].total_supplied = Some(PlainDecimal::parse("1000").unwrap());
        let mut edited = opened.clone();
        edited.assets[0].total_supplied = Some(PlainDecimal::parse("1002.25").unwrap());
        edited.collateral[0] = holding("WETH", "12.25");
        edited.debt[0] = holding("USDC", "8000.5");
        let plan = sign_plan(&opened, &edited);
        assert_eq!(labels(&plan), ["supply 2.25 WETH", "borrow 3000 USDC"]);
        assert!(plan.excluded.is_empty(), "{:?}", plan.excluded);
        assert_eq!(plan.panel_href(), "?view=positions&plan=supply:WETH:2.25,borrow:USDC:3000");
    }

    #[test]
    fn emptied_lines_are_max_and_partial_ones_exact_in_a_safe_order() {
        let opened = position();
        let mut edited = opened.clone();
        edited.collateral = vec![holding("WETH", "9.5")]; // DAI withdrawn entirely
        edited.debt = vec![]; // USDC repaid entirely
        edited.collateral.push(holding("USDC", "100")); // a new supply
        let plan = sign_plan(&opened, &edited);
        assert_eq!(labels(&plan), ["supply 100 USDC", "repay all USDC", "withdraw 0.5 WETH", "withdraw all DAI"]);
        assert_eq!(
            plan.panel_href(),
            "?view=positions&plan=supply:USDC:100,repay:USDC:max,withdraw:WETH:0.5,withdraw:DAI:max"
        );
    }

    #[test]
    fn price_governance_and_collateral_switch_edits_are_named_as_left_out() {
        let opened = position();
        let mut edited = opened.clone();
        edited.assets[0].price = Some(PlainDecimal::parse("1500").unwrap());
        edited.assets[2].liquidation_threshold_bps = Some(7000);
        edited.collateral[1].use_as_collateral = Some(false);
        let plan = sign_plan(&opened, &edited);
        assert!(plan.actions.is_empty());
        assert_eq!(plan.excluded.len(), 3, "{:?}", plan.excluded);
        assert!(plan.excluded[0].contains("Collateral on/off (DAI)"));
        assert!(plan.excluded[1].starts_with("Price what-ifs (WETH)"));
        assert!(plan.excluded[2].starts_with("Governance and market what-ifs"));
    }

    #[test]
    fn an_unedited_plan_has_nothing_to_sign() {
        let plan = sign_plan(&position(), &position());
        assert_eq!(plan, SignPlan::default());
    }
}
