//! The Plan page's model: a demo position, the what-if scenario the user is
//! editing, and the rows the page shows — every figure from the engine.

use ballast_chain::price_status::VerdictBasis;
use ballast_core::aave_v3::solvers::{less_margin, max_borrow};
use ballast_core::aave_v3::Position;
use ballast_core::exact::PlainDecimal;
use ballast_core::scenario::{Holding, Scenario};
use ballast_core::snapshot::SavedPrice;
use ballast_core::what_if::{move_between, price_after_move};
use ballast_core::{Protocol, Snapshot};
use num_rational::BigRational;

/// A "max borrow" offered to users stays this far (basis points) under the
/// Pool's exact limit: interest and prices move before the transaction lands.
pub const MAX_BORROW_MARGIN_BPS: u32 = 100;

/// One demo position as saved in the snapshot.
#[derive(Debug, Clone)]
pub struct PositionPlan {
    pub id: String,
    pub label: String,
    pub protocol: Protocol,
    /// The position at the saved prices.
    pub scenario: Scenario,
    /// Each asset's saved price with its age and origin.
    pub saved_prices: Vec<(String, SavedPrice)>,
}

/// The shared scenario an address carries, if any: a link in the fragment
/// wins over the `scenario` query parameter older links used. With none, the
/// Plan page opens a snapshot position.
pub fn shared_link(fragment: &str, scenario_param: Option<String>) -> Option<String> {
    ballast_core::share::in_fragment(fragment).map(str::to_owned).or(scenario_param)
}

/// An asset of the position as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetRow {
    pub symbol: String,
    pub collateral: Option<String>,
    pub debt: Option<String>,
    /// The price in use, `None` for a debt valued at par.
    pub price: Option<String>,
    pub saved: Option<SavedPrice>,
    /// The user moved this price away from the saved one.
    pub what_if: bool,
    /// aave-v3: the most the Pool would lend now, less the margin, in tokens.
    pub max_borrow: Option<String>,
}

impl PositionPlan {
    /// The snapshot's position `id`, or its first one when `id` is unknown
    /// (a stale link still shows something true).
    pub fn from_snapshot(snapshot: &Snapshot, id: Option<&str>) -> Option<Self> {
        let position = id
            .and_then(|id| snapshot.positions.iter().find(|p| p.id() == id))
            .or_else(|| snapshot.positions.first())?;
        let scenario = snapshot.scenario(position.id()).ok()?;
        let saved_prices = scenario
            .assets
            .iter()
            .filter_map(|a| snapshot.saved_price(scenario.protocol, &a.symbol).map(|p| (a.symbol.clone(), p.clone())))
            .collect();
        Some(Self {
            id: position.id().to_owned(),
            label: position.label().to_owned(),
            protocol: position.protocol(),
            scenario,
            saved_prices,
        })
    }

    /// The heading naming the position and its protocol.
    pub fn title(&self) -> String {
        format!("{} · {}", self.label, self.protocol)
    }

    /// What the verdict on the position's own prices rests on: saved prices,
    /// dated by the oldest of them.
    pub fn saved_basis(&self) -> VerdictBasis {
        let oldest_saved = self.saved_prices.iter().map(|(_, s)| s.updated_at.clone()).min();
        VerdictBasis::Snapshot { taken_at: oldest_saved.unwrap_or_else(|| "an unknown time".to_owned()) }
    }

    /// A scenario opened from outside the snapshot (a link, a saved entry, a
    /// file): its own prices are the baseline, labelled with `source`.
    pub fn opened(scenario: Scenario, id: &str, label: &str, source: &str) -> Self {
        let saved_prices = scenario
            .assets
            .iter()
            .filter_map(|a| {
                let usd = a.price.clone()?;
                Some((a.symbol.clone(), SavedPrice { usd, updated_at: "unknown".into(), source: source.into() }))
            })
            .collect();
        Self { id: id.into(), label: label.into(), protocol: scenario.protocol, scenario, saved_prices }
    }

    fn saved(&self, symbol: &str) -> Option<&SavedPrice> {
        self.saved_prices.iter().find(|(s, _)| s == symbol).map(|(_, p)| p)
    }

    /// The saved price of `symbol`, exact.
    pub fn saved_price(&self, symbol: &str) -> Option<BigRational> {
        self.saved(symbol).map(|p| p.usd.to_rational())
    }

    /// Assets whose price the user can move: those with a saved price.
    pub fn priced_assets(&self) -> Vec<String> {
        self.saved_prices.iter().map(|(s, _)| s.clone()).collect()
    }

    /// The table rows for the scenario being edited.
    pub fn rows(&self, working: &Scenario) -> Vec<AssetRow> {
        // Solvers follow V3.0's checks, so later revisions get none rather than a wrong one.
        let position = (working.protocol == Protocol::AAVE_V3).then(|| Position::from_scenario(working).ok()).flatten();
        working
            .assets
            .iter()
            .map(|a| {
                let amount =
                    |holdings: &[Holding]| holdings.iter().find(|h| h.asset == a.symbol).map(|h| h.amount.to_string());
                let saved = self.saved(&a.symbol).cloned();
                let what_if = match (&a.price, &saved) {
                    (Some(now), Some(saved)) => now.to_rational() != saved.usd.to_rational(),
                    _ => false,
                };
                let max_borrow = position.as_ref().and_then(|p| {
                    let raw = max_borrow(p, &a.symbol).ok()?;
                    Some(p.reserve(&a.symbol)?.tokens_text(less_margin(raw, MAX_BORROW_MARGIN_BPS)))
                });
                AssetRow {
                    symbol: a.symbol.clone(),
                    collateral: amount(&working.collateral),
                    debt: amount(&working.debt),
                    price: a.price.as_ref().map(ToString::to_string),
                    saved,
                    what_if,
                    max_borrow,
                }
            })
            .collect()
    }
}

/// Every listed asset's symbol, in order (the forms' option lists).
pub fn asset_symbols(s: &Scenario) -> Vec<String> {
    s.assets.iter().map(|a| a.symbol.clone()).collect()
}

/// `working` with `symbol`'s price set to `price`; the scenario is unchanged
/// when the engine refuses the price (the caller shows why).
pub fn with_price(working: &Scenario, symbol: &str, price: PlainDecimal) -> Result<Scenario, String> {
    let mut next = working.clone();
    let asset = next.assets.iter_mut().find(|a| a.symbol == symbol).ok_or_else(|| format!("{symbol} is not listed"))?;
    asset.price = Some(price);
    next.validate().map_err(|e| e.problem)?;
    Ok(next)
}

/// The price after moving the saved one by `percent` (a slider's value),
/// rounded toward danger as the engine does.
pub fn price_for_slider(plan: &PositionPlan, working: &Scenario, symbol: &str, percent: i32) -> Option<PlainDecimal> {
    let mut base = working.clone();
    let saved = plan.saved(symbol)?.usd.clone();
    base.assets.iter_mut().find(|a| a.symbol == symbol)?.price = Some(saved);
    price_after_move(&base, symbol, &BigRational::new(percent.into(), 100.into())).ok()
}

/// The slider position (whole percent) for `price`, `symbol`'s price in use.
pub fn price_percent(plan: &PositionPlan, symbol: &str, price: Option<&PlainDecimal>) -> i32 {
    let (Some(saved), Some(now)) = (plan.saved_price(symbol), price.map(PlainDecimal::to_rational)) else {
        return 0;
    };
    let percent = move_between(&saved, &now) * BigRational::from_integer(100.into());
    percent.round().to_integer().try_into().unwrap_or(0)
}

/// What one liquidation call would do to the position now (aave-v3), in
/// tokens, from the engine's `LiquidationLogic`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiquidationPreview {
    pub collateral_asset: String,
    pub debt_asset: String,
    pub close_factor_percent: u32,
    pub bonus_percent: String,
    /// Exact token amounts.
    pub debt_repaid: String,
    pub collateral_seized: String,
    pub protocol_fee: String,
    /// The health factor after the call, exact; `None` when no debt remains.
    pub health_factor_after: Option<String>,
}

/// The preview for the default pair (largest debt, largest collateral), or
/// `None` when the position cannot be liquidated at these prices.
pub fn liquidation_preview(working: &Scenario) -> Option<LiquidationPreview> {
    use ballast_core::aave_v3::liquidation_call::{default_pair, liquidation_call};
    if working.protocol != Protocol::AAVE_V3 {
        return None;
    }
    let position = Position::from_scenario(working).ok()?;
    let (collateral, debt) = default_pair(&position)?;
    let outcome = liquidation_call(&position, &collateral, &debt, None).ok()?;
    let c = position.reserve(&collateral)?;
    let d = position.reserve(&debt)?;
    let after = outcome.after.account_data().ok()?;
    Some(LiquidationPreview {
        close_factor_percent: outcome.close_factor_bps / 100,
        bonus_percent: ballast_core::exact::format_exact(&BigRational::new(
            (i64::from(outcome.liquidation_bonus_bps) - 10_000).into(),
            100.into(),
        )),
        debt_repaid: d.tokens_text(outcome.debt_repaid),
        collateral_seized: c.tokens_text(outcome.collateral_to_liquidator),
        protocol_fee: c.tokens_text(outcome.protocol_fee),
        health_factor_after: after.health_factor_exact().map(|hf| ballast_core::exact::format_exact(&hf)),
        collateral_asset: collateral,
        debt_asset: debt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's aave-v3 example with WETH at `weth_price`.
    pub(super) fn spec_at(weth_price: &str) -> Scenario {
        let json = include_str!("../../../crates/ballast-cli/tests/fixtures/spec-aave-v3.json")
            .replace(r#""price": "2000""#, &format!(r#""price": "{weth_price}""#));
        Scenario::parse(&json).unwrap()
    }

    #[test]
    fn the_preview_shows_what_the_pool_would_let_a_liquidator_do() {
        assert_eq!(liquidation_preview(&spec_at("2000")), None);
        // HF 0.9899 ≥ 0.95: half of 5000 USDC, seizing 4.3754375 WETH (5 % bonus);
        // 5.6245625 WETH × 600 × 82.5 % against 2500 USDC × 1.0001 leaves HF 1.1135…
        let p = liquidation_preview(&spec_at("600")).unwrap();
        assert_eq!((p.collateral_asset.as_str(), p.debt_asset.as_str()), ("WETH", "USDC"));
        assert_eq!(p.close_factor_percent, 50);
        assert_eq!(p.bonus_percent, "5");
        assert_eq!(p.debt_repaid, "2500");
        assert_eq!(p.collateral_seized, "4.3754375");
        assert_eq!(p.health_factor_after.as_deref(), Some("1.113552019798020198"));
    }

    #[test]
    fn a_link_in_the_fragment_wins_over_the_query_and_none_opens_a_snapshot_position() {
        assert_eq!(shared_link("#scenario=1.abc&x=1", Some("1.old".into())).as_deref(), Some("1.abc"));
        assert_eq!(shared_link("#x=1", Some("1.old".into())).as_deref(), Some("1.old"));
        assert_eq!(shared_link("", None), None);
        assert_eq!(shared_link("#scenarios=1.abc", None), None);
    }

    #[test]
    fn the_verdict_on_saved_prices_is_dated_by_the_oldest_of_them() {
        let snapshot = Snapshot::parse(include_str!("../../../public/snapshot.json")).unwrap();
        let plan = PositionPlan::from_snapshot(&snapshot, Some("aave-demo")).unwrap();
        let oldest = plan.saved_prices.iter().map(|(_, s)| s.updated_at.clone()).min().unwrap();
        assert!(plan.saved_prices.iter().any(|(_, s)| s.updated_at != oldest), "the demo's prices have different ages");
        assert_eq!(plan.saved_basis(), VerdictBasis::Snapshot { taken_at: oldest });
        let unpriced = PositionPlan { saved_prices: Vec::new(), ..plan };
        assert_eq!(unpriced.saved_basis(), VerdictBasis::Snapshot { taken_at: "an unknown time".into() });
        assert_eq!(unpriced.title(), "ETH, BTC and staked ETH against stablecoins · aave-v3");
    }
}

/// Undo and redo over the scenario being edited. Consecutive slider moves of
/// one asset count as one edit, so undo goes back a whole drag.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditHistory {
    past: Vec<(Scenario, Option<String>)>,
    future: Vec<Scenario>,
}

/// Edits kept for undo; older ones are dropped.
pub const MAX_UNDO: usize = 100;

impl EditHistory {
    /// Records that `before` was replaced. `group` names an edit that merges
    /// with the previous one of the same name (a slider being dragged).
    pub fn record(&mut self, before: Scenario, group: Option<String>) {
        self.future.clear();
        if group.is_some() && self.past.last().is_some_and(|(_, g)| *g == group) {
            return;
        }
        self.past.push((before, group));
        if self.past.len() > MAX_UNDO {
            self.past.remove(0);
        }
    }

    /// The scenario before the last edit, given the current one.
    pub fn undo(&mut self, current: Scenario) -> Option<Scenario> {
        let (before, _) = self.past.pop()?;
        self.future.push(current);
        Some(before)
    }

    /// The scenario the last undo left, given the current one.
    pub fn redo(&mut self, current: Scenario) -> Option<Scenario> {
        let after = self.future.pop()?;
        self.past.push((current, None));
        Some(after)
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
}

/// The action a form describes, or why it cannot be one.
pub fn form_action(kind: &str, asset: &str, amount: &str) -> Result<ballast_core::aave_v3::actions::Action, String> {
    use ballast_core::aave_v3::actions::{Action, AmountOrMax};
    let amount = amount.trim();
    let tokens = || PlainDecimal::parse(amount).map_err(|e| format!("the amount {e}"));
    let tokens_or_max = || if amount == "max" { Ok(AmountOrMax::Max) } else { tokens().map(AmountOrMax::Tokens) };
    let asset = asset.to_owned();
    Ok(match kind {
        "supply" => Action::Supply { asset, amount: tokens()? },
        "borrow" => Action::Borrow { asset, amount: tokens()? },
        "withdraw" => Action::Withdraw { asset, amount: tokens_or_max()? },
        "repay" => Action::Repay { asset, amount: tokens_or_max()? },
        other => return Err(format!("unknown action {other:?}")),
    })
}

#[cfg(test)]
mod history_tests {
    use super::tests::spec_at as scenario_with_weth;
    use super::*;

    #[test]
    fn a_drag_undoes_as_one_edit_and_redo_restores_it() {
        let mut h = EditHistory::default();
        let (a, b, c, d) = (
            scenario_with_weth("2000"),
            scenario_with_weth("1900"),
            scenario_with_weth("1800"),
            scenario_with_weth("1700"),
        );
        h.record(a.clone(), Some("WETH".into()));
        h.record(b.clone(), Some("WETH".into()));
        h.record(c.clone(), None);
        assert_eq!(h.undo(d.clone()), Some(c.clone()));
        assert_eq!(h.undo(c.clone()), Some(a.clone()), "the two slider steps were one edit");
        assert!(!h.can_undo());
        assert_eq!(h.redo(a), Some(c.clone()));
        assert_eq!(h.redo(c), Some(d));
        assert!(!h.can_redo());
    }

    #[test]
    fn forms_become_actions_or_say_why_not() {
        assert!(form_action("repay", "USDC", "max").is_ok());
        assert_eq!(form_action("borrow", "USDC", "max").unwrap_err(), "the amount \"max\" is not a plain decimal (digits with an optional single point, e.g. \"2000.5\"; no signs, exponents or spaces)");
        assert!(form_action("borrow", "USDC", " 12.5 ").is_ok());
    }
}

/// A percentage typed by a user ("82.5") in basis points, or why it is not one.
pub fn percent_to_bps(text: &str) -> Result<u32, String> {
    let text = text.trim().trim_end_matches('%').trim_end();
    let value = PlainDecimal::parse(text).map_err(|e| format!("the percentage {e}"))?;
    let bps = value
        .to_scaled_integer(2)
        .ok_or_else(|| format!("{text} % has more than 2 decimals; Aave sets these in basis points (0.01 %)"))?;
    u32::try_from(bps).ok().filter(|b| *b <= 10_000).ok_or_else(|| format!("{text} % is more than 100 %"))
}

/// The governance change a form describes, or why it cannot be one.
pub fn governance_action(
    kind: &str,
    asset: &str,
    value: &str,
) -> Result<ballast_core::aave_v3::actions::Action, String> {
    use ballast_core::aave_v3::actions::Action;
    let asset = asset.to_owned();
    Ok(match kind {
        "ltv" => Action::SetLtv { asset, ltv_bps: percent_to_bps(value)? },
        "threshold" => Action::SetLiquidationThreshold { asset, liquidation_threshold_bps: percent_to_bps(value)? },
        "freeze" => Action::Freeze { asset },
        "remove-emode" => {
            let id = value.trim().parse::<u32>().map_err(|_| format!("{value:?} is not an e-mode category number"))?;
            if id == 0 {
                return Err("category 0 is no e-mode; name a category from 1 to 255".into());
            }
            Action::RemoveEmodeCategory { id }
        }
        other => return Err(format!("unknown governance change {other:?}")),
    })
}

#[cfg(test)]
mod governance_tests {
    use super::tests::spec_at;
    use super::*;
    use ballast_core::aave_v3::actions::Action;

    #[test]
    fn percentages_become_basis_points_or_say_why_not() {
        assert_eq!(percent_to_bps("82.5"), Ok(8250));
        assert_eq!(percent_to_bps(" 75 % "), Ok(7500));
        assert_eq!(percent_to_bps("100"), Ok(10_000));
        assert_eq!(percent_to_bps("0.01"), Ok(1));
        assert_eq!(
            percent_to_bps("82.555").unwrap_err(),
            "82.555 % has more than 2 decimals; Aave sets these in basis points (0.01 %)"
        );
        assert_eq!(percent_to_bps("100.01").unwrap_err(), "100.01 % is more than 100 %");
        assert!(percent_to_bps("-5").unwrap_err().starts_with("the percentage "));
    }

    #[test]
    fn a_lower_threshold_goes_through_the_engine_and_moves_the_health_factor() {
        let s = spec_at("2000");
        let action = governance_action("threshold", "WETH", "81").unwrap();
        assert_eq!(action, Action::SetLiquidationThreshold { asset: "WETH".into(), liquidation_threshold_bps: 8100 });
        let next = ballast_core::apply_actions(&s, &[action]).unwrap();
        // 10 WETH × 2000 × 81 % / (5000 USDC × 1.0001) = 3.239676…, down from 3.29967…
        let hf = ballast_core::evaluate(&next).unwrap().health_factor.unwrap();
        assert!(hf.starts_with("3.239676"), "{hf}");
        // Under the LTV (80 %) the engine refuses, naming the bound.
        let refused = ballast_core::apply_actions(&s, &[governance_action("threshold", "WETH", "79").unwrap()]);
        assert!(refused.unwrap_err().to_string().contains("between WETH's LTV 8000 and 10000"));
        assert_eq!(
            governance_action("remove-emode", "WETH", "0").unwrap_err(),
            "category 0 is no e-mode; name a category from 1 to 255"
        );
        assert_eq!(governance_action("freeze", "USDC", "").unwrap(), Action::Freeze { asset: "USDC".into() });
    }
}

/// One row of a loop or unwind table, in tokens and exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopRow {
    /// Borrowed (loop) or withdrawn (unwind).
    pub taken: String,
    /// Supplied (loop) or repaid (unwind).
    pub given: String,
    /// The health factor between the round's two Pool steps (after the
    /// borrow, or after the withdrawal): its lowest point, exact.
    pub lowest_health_factor: String,
    /// The health factor after the round, exact; `None` once no debt is left.
    pub health_factor: Option<String>,
}

/// The engine's loop plan laid out for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoopView {
    pub steps: Vec<LoopRow>,
    pub unwind: Vec<LoopRow>,
    /// Collateral value over equity after looping, exact.
    pub leverage: String,
    /// The collateral price move (a fraction) that liquidates, before and
    /// after looping; `None` when no fall liquidates.
    pub unlooped_move: Option<BigRational>,
    pub looped_move: Option<BigRational>,
}

/// Plans a loop of `collateral` bought with borrowed `debt` at the oracle
/// price ratio less `slippage_percent`, up to `target_leverage`, never
/// leaving the health factor under `min_health_factor` (borrows keep
/// [`MAX_BORROW_MARGIN_BPS`] under the Pool's limit).
pub fn loop_view(
    working: &Scenario,
    collateral: &str,
    debt: &str,
    target_leverage: &str,
    slippage_percent: &str,
    min_health_factor: &str,
) -> Result<LoopView, String> {
    use ballast_core::aave_v3::looping::{
        health_factor_text, health_factor_wad, oracle_swap_rate, plan_loop, wad_text, LoopParams, LoopTarget,
    };
    use ballast_core::exact::format_exact;
    if working.protocol != Protocol::AAVE_V3 {
        return Err("looping is planned on Aave V3.0 positions".into());
    }
    let position = Position::from_scenario(working).map_err(|e| e.to_string())?;
    let target = PlainDecimal::parse(target_leverage.trim()).map_err(|e| format!("the target leverage {e}"))?;
    let slippage_bps = percent_to_bps(slippage_percent).map_err(|e| format!("slippage: {e}"))?;
    let floor = PlainDecimal::parse(min_health_factor.trim()).map_err(|e| format!("the health factor floor {e}"))?;
    // plan_loop refuses equal assets, a leverage of 1 or less and a floor under 1.
    let min_health_factor = health_factor_wad(&floor).ok_or("the health factor floor has more than 18 decimals")?;
    let swap_rate = oracle_swap_rate(&position, debt, collateral).ok_or("both assets need a price")?;
    let params = LoopParams {
        collateral_asset: collateral.into(),
        debt_asset: debt.into(),
        swap_rate,
        slippage_bps,
        target: LoopTarget::Leverage(target.to_rational()),
        borrow_margin_bps: MAX_BORROW_MARGIN_BPS,
        min_health_factor,
    };
    let plan = plan_loop(&position, &params).map_err(|e| e.to_string())?;
    let (c, d) =
        (position.reserve(collateral).ok_or("unknown collateral")?, position.reserve(debt).ok_or("unknown debt")?);
    Ok(LoopView {
        steps: plan
            .steps
            .iter()
            .map(|s| LoopRow {
                taken: d.tokens_text(s.borrowed),
                given: c.tokens_text(s.supplied),
                lowest_health_factor: wad_text(s.health_factor_after_borrow),
                health_factor: health_factor_text(s.health_factor),
            })
            .collect(),
        unwind: plan
            .unwind
            .iter()
            .map(|s| LoopRow {
                taken: c.tokens_text(s.withdrawn),
                given: d.tokens_text(s.repaid),
                lowest_health_factor: wad_text(s.health_factor_after_withdraw),
                health_factor: health_factor_text(s.health_factor),
            })
            .collect(),
        leverage: format_exact(&plan.leverage),
        unlooped_move: plan.unlooped_liquidation.map(|l| l.move_fraction),
        looped_move: plan.looped_liquidation.map(|l| l.move_fraction),
    })
}

#[cfg(test)]
mod loop_tests {
    use super::tests::spec_at;
    use super::*;

    #[test]
    fn a_loop_to_3x_is_laid_out_with_its_unwind_and_brings_liquidation_closer() {
        let view = loop_view(&spec_at("2000"), "WETH", "USDC", "3", "0.3", "1.1").unwrap();
        assert!(!view.steps.is_empty() && !view.unwind.is_empty());
        let leverage = PlainDecimal::parse(&view.leverage).unwrap().to_rational();
        let (low, high) = (BigRational::new(2997.into(), 1000.into()), BigRational::new(3003.into(), 1000.into()));
        assert!(low < leverage && leverage < high, "{}", view.leverage);
        // Before: WETH may fall 69.69… % (5000.5 / 16500 − 1); after, much less.
        let one = BigRational::from_integer(1.into());
        assert_eq!(view.unlooped_move, Some(BigRational::new(50_005.into(), 165_000.into()) - &one));
        let looped = view.looped_move.unwrap();
        assert!(looped > BigRational::new((-3).into(), 10.into()), "{looped}");
        let at_least_floor =
            |hf: &str| PlainDecimal::parse(hf).unwrap().to_rational() >= BigRational::new(11.into(), 10.into());
        for row in view.steps.iter().chain(&view.unwind) {
            assert!(at_least_floor(&row.lowest_health_factor), "{row:?}");
            assert!(row.health_factor.as_deref().is_none_or(at_least_floor), "{row:?}");
        }
        // The unwind ends with no debt: no health factor, not the Pool's U256::MAX as a number.
        assert_eq!(view.unwind.last().unwrap().health_factor, None);
        assert!(view.steps.iter().chain(&view.unwind[..view.unwind.len() - 1]).all(|r| r.health_factor.is_some()));
    }

    #[test]
    fn loop_inputs_are_checked_with_clear_messages() {
        let s = spec_at("2000");
        assert_eq!(
            loop_view(&s, "WETH", "WETH", "3", "0", "1.1").unwrap_err(),
            "the collateral and the debt asset must differ"
        );
        assert_eq!(
            loop_view(&s, "WETH", "USDC", "1", "0", "1.1").unwrap_err(),
            "the target leverage must be more than 1 (collateral over equity)"
        );
        assert_eq!(
            loop_view(&s, "WETH", "USDC", "3", "0", "0.9").unwrap_err(),
            "the health factor floor must be at least 1"
        );
        assert!(loop_view(&s, "WETH", "USDC", "3", "101", "1.1").unwrap_err().starts_with("slippage: "));
    }
}

/// An empty Aave V3.0 position to build from scratch.
pub fn blank_scenario() -> Scenario {
    Scenario::parse(r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[],"collateral":[],"debt":[]}"#)
        .unwrap_or_else(|e| unreachable!("the blank scenario is valid: {e}"))
}

/// The fields of the "add an asset" form (aave-v3), as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewAsset {
    pub symbol: String,
    pub decimals: String,
    pub price: String,
    pub ltv_percent: String,
    pub threshold_percent: String,
    pub bonus_percent: String,
}

/// `working` with `asset` listed (not yet held), validated by the engine's
/// own scenario checks; the message names the field at fault.
pub fn add_asset(working: &Scenario, asset: &NewAsset) -> Result<Scenario, String> {
    if !matches!(working.protocol, Protocol::Aave(_)) {
        return Err(format!("{} positions have exactly one collateral and one debt asset", working.protocol));
    }
    let symbol = asset.symbol.trim();
    if symbol.is_empty() {
        return Err("give the asset a symbol".into());
    }
    if working.asset(symbol).is_some() {
        return Err(format!("{symbol} is listed already"));
    }
    let decimals: u32 = asset
        .decimals
        .trim()
        .parse()
        .map_err(|_| format!("decimals {:?} is not a whole number", asset.decimals.trim()))?;
    let price = PlainDecimal::parse(asset.price.trim()).map_err(|e| format!("the price {e}"))?;
    let ltv = percent_to_bps(&asset.ltv_percent).map_err(|e| format!("LTV: {e}"))?;
    let threshold = percent_to_bps(&asset.threshold_percent).map_err(|e| format!("liquidation threshold: {e}"))?;
    // The bonus is typed as the liquidator's premium (5 %); Aave stores 100 % + it.
    let bonus = percent_to_bps(&asset.bonus_percent).map_err(|e| format!("liquidation bonus: {e}"))?;
    let mut tree = serde_json::to_value(working).map_err(|e| e.to_string())?;
    let entry = serde_json::json!({
        "symbol": symbol, "decimals": decimals, "price": price.as_str(),
        "ltv_bps": ltv, "liquidation_threshold_bps": threshold, "liquidation_bonus_bps": 10_000 + bonus,
    });
    tree.get_mut("assets").and_then(|a| a.as_array_mut()).ok_or("the scenario has no asset list")?.push(entry);
    Scenario::parse(&tree.to_string()).map_err(|e| e.to_string())
}

/// `working` without `symbol`: not listed, not held.
pub fn remove_asset(working: &Scenario, symbol: &str) -> Result<Scenario, String> {
    let mut next = working.clone();
    next.assets.retain(|a| a.symbol != symbol);
    if next.assets.len() == working.assets.len() {
        return Err(format!("{symbol} is not listed"));
    }
    next.collateral.retain(|h| h.asset != symbol);
    next.debt.retain(|h| h.asset != symbol);
    next.validate().map_err(|e| e.to_string())?;
    Ok(next)
}

#[cfg(test)]
mod asset_tests {
    use super::*;

    fn weth() -> NewAsset {
        NewAsset {
            symbol: "WETH".into(),
            decimals: "18".into(),
            price: "2000".into(),
            ltv_percent: "80".into(),
            threshold_percent: "82.5".into(),
            bonus_percent: "5".into(),
        }
    }

    #[test]
    fn a_blank_scenario_takes_assets_and_then_actions_to_the_spec_example() {
        use ballast_core::aave_v3::actions::Action;
        let s = add_asset(&blank_scenario(), &weth()).unwrap();
        let usdc = NewAsset {
            symbol: "USDC".into(),
            decimals: "6".into(),
            price: "1.0001".into(),
            ltv_percent: "77".into(),
            threshold_percent: "80".into(),
            bonus_percent: "4.5".into(),
        };
        let s = add_asset(&s, &usdc).unwrap();
        let s = ballast_core::apply_actions(
            &s,
            &[
                Action::Supply { asset: "WETH".into(), amount: PlainDecimal::parse("10").unwrap() },
                Action::Borrow { asset: "USDC".into(), amount: PlainDecimal::parse("5000").unwrap() },
            ],
        )
        .unwrap();
        // The spec example's figures, built by hand.
        assert_eq!(ballast_core::evaluate(&s).unwrap().health_factor.as_deref(), Some("3.29967003299670033"));
        let s = remove_asset(&s, "USDC").unwrap();
        assert_eq!(ballast_core::evaluate(&s).unwrap().health_factor, None);
        assert_eq!(remove_asset(&s, "USDC").unwrap_err(), "USDC is not listed");
    }

    #[test]
    fn a_new_asset_is_checked_field_by_field() {
        let s = add_asset(&blank_scenario(), &weth()).unwrap();
        assert_eq!(add_asset(&s, &weth()).unwrap_err(), "WETH is listed already");
        let bad = NewAsset { symbol: "X".into(), threshold_percent: "79".into(), ..weth() };
        let problem = add_asset(&s, &bad).unwrap_err();
        assert!(problem.starts_with("assets[1]."), "{problem}");
        let bad = NewAsset { symbol: "X".into(), decimals: "eighteen".into(), ..weth() };
        assert_eq!(add_asset(&s, &bad).unwrap_err(), "decimals \"eighteen\" is not a whole number");
        let bad = NewAsset { symbol: " ".into(), ..weth() };
        assert_eq!(add_asset(&s, &bad).unwrap_err(), "give the asset a symbol");
    }
}
