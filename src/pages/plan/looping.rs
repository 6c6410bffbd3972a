//! The loop planner: borrow, swap to collateral, supply, repeat up to a
//! target leverage — each round through the Pool's checks — and the unwind
//! that takes it apart, with the liquidating fall before and after side by
//! side. A preview: the scenario being edited is not changed.

use ballast_core::display::{format_fixed, format_percent_toward_zero, Rounding};
use ballast_core::exact::{format_exact, PlainDecimal};
use ballast_core::scenario::Scenario;
use leptos::prelude::*;
use num_rational::BigRational;

use super::model::{loop_view, LoopRow, LoopView};
use crate::components::Term;

fn rounded(text: &str, decimals: u32) -> String {
    PlainDecimal::parse(text)
        .map_or_else(|_| text.to_owned(), |d| format_fixed(&d.to_rational(), decimals, Rounding::Down))
}

fn fall(fraction: &Option<BigRational>) -> (String, String) {
    match fraction {
        Some(f) => (format_percent_toward_zero(f, 1), format_exact(f)),
        None => ("no fall liquidates".to_owned(), "none".to_owned()),
    }
}

fn rows(rows: Vec<LoopRow>, test_id: &'static str) -> impl IntoView {
    rows.into_iter()
        .enumerate()
        .map(|(i, r)| {
            view! {
                <tr data-testid=test_id>
                    <td class="num" data-value=(i + 1).to_string()>{i + 1}</td>
                    <td class="num" data-value=r.taken.clone()>{rounded(&r.taken, 6)}</td>
                    <td class="num" data-value=r.given.clone()>{rounded(&r.given, 6)}</td>
                    <td class="num" data-value=r.lowest_health_factor.clone()>{rounded(&r.lowest_health_factor, 2)}</td>
                    <td class="num" data-value=r.health_factor.clone().unwrap_or_else(|| "none".to_owned())>
                        {r.health_factor.as_deref().map_or_else(|| "∞ (no debt)".to_owned(), |hf| rounded(hf, 2))}
                    </td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
fn LoopResult(view: LoopView, collateral: String, debt: String) -> impl IntoView {
    let (before, before_value) = fall(&view.unlooped_move);
    let (after, after_value) = fall(&view.looped_move);
    view! {
        <div class="loop-result" data-testid="loop-result">
            <div class="figures">
                <div class="figure">
                    <span class="figure-label">"Leverage reached"</span>
                    <span class="figure-value" data-testid="loop-leverage" data-value=view.leverage.clone()>
                        {format!("{}×", rounded(&view.leverage, 2))}
                    </span>
                </div>
                <div class="figure">
                    <span class="figure-label">{format!("{collateral} move that liquidates, unlooped")}</span>
                    <span class="figure-value" data-testid="loop-unlooped-move" data-value=before_value>{before}</span>
                </div>
                <div class="figure">
                    <span class="figure-label">{format!("{collateral} move that liquidates, looped")}</span>
                    <span class="figure-value" data-testid="loop-looped-move" data-value=after_value>{after}</span>
                </div>
            </div>
            <div class="loop-tables">
                <table class="lines">
                    <caption>"Loop: borrow, swap, supply"</caption>
                    <thead><tr><th>"Round"</th><th>{format!("Borrow {debt}")}</th><th>{format!("Supply {collateral}")}</th><th><Term id="health-factor">"HF after borrow"</Term></th><th>"HF after supply"</th></tr></thead>
                    <tbody>{rows(view.steps, "loop-step")}</tbody>
                </table>
                <table class="lines">
                    <caption>"Unwind: withdraw, swap, repay"</caption>
                    <thead><tr><th>"Round"</th><th>{format!("Withdraw {collateral}")}</th><th>{format!("Repay {debt}")}</th><th><Term id="health-factor">"HF after withdraw"</Term></th><th>"HF after repay"</th></tr></thead>
                    <tbody>{rows(view.unwind, "unwind-step")}</tbody>
                </table>
            </div>
        </div>
    }
}

#[component]
pub fn LoopPlanner(working: RwSignal<Scenario>) -> impl IntoView {
    let is_aave = move || working.with(|w| w.protocol == ballast_core::Protocol::AAVE_V3);
    let first = |pick: fn(&Scenario) -> Option<String>| working.with_untracked(pick).unwrap_or_default();
    let collateral = RwSignal::new(first(|w| w.collateral.first().map(|h| h.asset.clone())));
    let debt = RwSignal::new(first(|w| w.debt.first().map(|h| h.asset.clone())));
    let leverage = RwSignal::new("2".to_owned());
    let slippage = RwSignal::new("0.3".to_owned());
    let floor = RwSignal::new("1.1".to_owned());
    let result = RwSignal::new(None::<Result<(LoopView, String, String), String>>);
    // A memo: the option lists are rebuilt only when the assets change, not on every price move.
    let symbols = Memo::new(move |_| working.with(super::model::asset_symbols));
    let options = move || {
        symbols.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()
    };
    let plan = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, d) = (collateral.get_untracked(), debt.get_untracked());
        let planned = working.with_untracked(|w| {
            loop_view(w, &c, &d, &leverage.get_untracked(), &slippage.get_untracked(), &floor.get_untracked())
        });
        result.set(Some(planned.map(|v| (v, c, d))));
    };
    let text_input = move |label: &'static str, test_id: &'static str, value: RwSignal<String>| {
        view! {
            <label>
                {label}
                <input type="text" inputmode="decimal" data-testid=test_id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <Show when=is_aave>
            <form class="what-if action-form loop-planner" data-testid="loop-planner" on:submit=plan>
                <h3>"What if I loop?"</h3>
                <div class="action-row">
                    <label>"Supply " <select data-testid="loop-collateral" prop:value=move || collateral.get() on:change=move |ev| collateral.set(event_target_value(&ev))>{options}</select></label>
                    <label>" bought with borrowed " <select data-testid="loop-debt" prop:value=move || debt.get() on:change=move |ev| debt.set(event_target_value(&ev))>{options}</select></label>
                    {text_input("Target leverage ×", "loop-leverage-input", leverage)}
                    {text_input("Slippage %", "loop-slippage", slippage)}
                    {text_input("Keep HF ≥", "loop-floor", floor)}
                    <button type="submit" class="reset" data-testid="loop-plan">"Plan"</button>
                </div>
                <p class="muted">"Swaps at the oracle price less slippage; each borrow stays 1 % under the Pool's limit and no step leaves the health factor under the floor, not even between a round's borrow and its supply (separate transactions). A preview: your scenario is not changed."</p>
                {move || match result.get() {
                    Some(Ok((view, collateral, debt))) => view! { <LoopResult view collateral debt /> }.into_any(),
                    Some(Err(problem)) => view! { <p class="field-error" role="alert" data-testid="loop-error">{problem}</p> }.into_any(),
                    None => ().into_any(),
                }}
            </form>
        </Show>
    }
}
