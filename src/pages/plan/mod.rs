//! The Plan page: a demo position valued by the engine, with its health
//! factor, values and liquidation prices. The start of the planner.

pub mod model;

use ballast_core::aave_v3::AccountData;
use ballast_core::display::{format_fixed, format_liquidation_price, format_percent_toward_zero, Rounding};
use ballast_core::exact::PlainDecimal;
use ballast_core::liquidation::Direction;
use ballast_core::{Report, Snapshot};
use leptos::prelude::*;
use num_rational::BigRational;

use crate::components::{Figure, HealthFactor};
use crate::data_source::human_utc;
use crate::url_state::{read_param, write_param, POSITION_PARAM};
use model::PositionPlan;

/// USD figures are shown with cents.
const USD_DECIMALS: u32 = 2;

#[component]
pub fn PlanPage(snapshot: Snapshot) -> impl IntoView {
    let positions: Vec<(String, String)> =
        snapshot.positions.iter().map(|p| (p.id().to_owned(), p.label().to_owned())).collect();
    let snapshot = StoredValue::new(snapshot);
    let selected = RwSignal::new(read_param(POSITION_PARAM));
    let plan =
        Signal::derive(move || snapshot.with_value(|s| PositionPlan::from_snapshot(s, selected.get().as_deref())));
    let current_id = move || plan.with(|p| p.as_ref().map(|p| p.id.clone()).unwrap_or_default());

    view! {
        <section class="plan">
            <div class="plan-toolbar">
                <label for="position-picker">"Demo position"</label>
                <select
                    id="position-picker"
                    data-testid="position-picker"
                    prop:value=current_id
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        write_param(POSITION_PARAM, &id);
                        selected.set(Some(id));
                    }
                >
                    {positions
                        .into_iter()
                        .map(|(id, label)| view! { <option value=id.clone()>{label}</option> })
                        .collect_view()}
                </select>
            </div>
            {move || match plan.get() {
                Some(plan) => view! { <PositionReport plan /> }.into_any(),
                None => view! { <p class="empty">"The snapshot holds no positions."</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn PositionReport(plan: PositionPlan) -> impl IntoView {
    let title = format!("{} · {}", plan.label, plan.protocol);
    let id = plan.id.clone();
    let body = match plan.report.clone() {
        Ok(report) => view! { <ReportView plan report /> }.into_any(),
        Err(error) => view! {
            <p class="error" role="alert" data-testid="engine-error">{format!("The engine refused this position: {error}")}</p>
        }
        .into_any(),
    };
    view! {
        <article class="position" data-testid="position" data-position=id>
            <h2>{title}</h2>
            {body}
        </article>
    }
}

fn usd(value: &BigRational, rounding: Rounding) -> String {
    format!("${}", format_fixed(value, USD_DECIMALS, rounding))
}

/// A report's exact USD string back to a rational; the engine prints these
/// exactly, so nothing is lost.
fn exact_usd(text: &str) -> Option<BigRational> {
    PlainDecimal::parse(text).ok().map(|d| d.to_rational())
}

#[component]
fn ReportView(plan: PositionPlan, report: Report) -> impl IntoView {
    let collateral = exact_usd(&report.collateral_value).map(|v| usd(&v, Rounding::Down)).unwrap_or_default();
    let debt = exact_usd(&report.debt_value).map(|v| usd(&v, Rounding::Up)).unwrap_or_default();
    let aave = report.aave_v3.map(|a| view! { <AaveAccount account=a /> });
    let lines = report.liquidation_prices.clone();
    let line_rows = lines
        .into_iter()
        .map(|line| {
            let current = plan.price_of(&line.asset);
            let distance = current
                .as_ref()
                .and_then(|c| line.distance_from(c))
                .map(|d| format_percent_toward_zero(&d, 1))
                .unwrap_or_else(|| "—".to_owned());
            let direction = match line.direction {
                Direction::Below => "falls below",
                Direction::Above => "rises above",
            };
            view! {
                <tr data-testid="liquidation-price" data-asset=line.asset.clone()>
                    <td>{line.asset.clone()}</td>
                    <td>{direction}</td>
                    <td class="num" data-value=line.price.clone()>{format!("${}", format_liquidation_price(&line, 4))}</td>
                    <td class="num">{distance}</td>
                </tr>
            }
        })
        .collect_view();
    let has_lines = !report.liquidation_prices.is_empty();
    let asset_rows = plan
        .assets
        .iter()
        .map(|a| {
            let (price, age) = match &a.price {
                Some(p) => (format!("${}", p.usd), format!("{} · {}", human_utc(&p.updated_at), p.source)),
                None => ("par".to_owned(), "debt valued at par".to_owned()),
            };
            view! {
                <tr data-asset=a.symbol.clone()>
                    <td>{a.symbol.clone()}</td>
                    <td class="num">{a.collateral.clone().unwrap_or_default()}</td>
                    <td class="num">{a.debt.clone().unwrap_or_default()}</td>
                    <td class="num">{price}</td>
                    <td class="muted">{age}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <div class="report">
            <HealthFactor report=report.clone() />
            <div class="figures">
                <Figure
                    label="Collateral value"
                    shown=collateral
                    value=report.collateral_value.clone()
                    test_id="collateral-value"
                    hint="Collateral that counts toward the health factor, at the prices shown (rounded down)."
                />
                <Figure
                    label="Debt value"
                    shown=debt
                    value=report.debt_value.clone()
                    test_id="debt-value"
                    hint="Everything owed, at the prices shown (rounded up)."
                />
                <Figure
                    label="Liquidatable now"
                    shown=if report.liquidatable { "Yes" } else { "No" }
                    value=report.liquidatable.to_string()
                    test_id="liquidatable"
                />
            </div>
            {aave}
            <h3>"Assets"</h3>
            <table class="assets">
                <thead>
                    <tr><th>"Asset"</th><th>"Collateral"</th><th>"Debt"</th><th>"Price"</th><th>"Price saved · source"</th></tr>
                </thead>
                <tbody>{asset_rows}</tbody>
            </table>
            <h3>"Liquidation prices"</h3>
            <p class="muted">"Each asset's price at which the health factor reaches 1, all other prices held; shown rounded toward today's price."</p>
            <Show when=move || has_lines fallback=|| view! { <p class="muted">"No single price move can liquidate this position."</p> }>
                <table class="lines">
                    <thead><tr><th>"Asset"</th><th>"Liquidated if it"</th><th>"Price"</th><th>"Move from today"</th></tr></thead>
                    <tbody>{line_rows.clone()}</tbody>
                </table>
            </Show>
        </div>
    }
}

#[component]
fn AaveAccount(account: AccountData) -> impl IntoView {
    let percent = |bps| {
        format!(
            "{} %",
            format_fixed(
                &(AccountData::bps_to_fraction(bps) * BigRational::from_integer(100.into())),
                2,
                Rounding::Down
            )
        )
    };
    view! {
        <div class="figures aave" data-testid="aave-account">
            <Figure
                label="Max LTV"
                shown=percent(account.ltv)
                value=account.ltv.to_string()
                test_id="aave-ltv"
                hint="The Pool's weighted average loan-to-value, floored to basis points."
            />
            <Figure
                label="Liquidation threshold"
                shown=percent(account.current_liquidation_threshold)
                value=account.current_liquidation_threshold.to_string()
                test_id="aave-threshold"
                hint="The Pool's weighted average liquidation threshold, floored to basis points."
            />
            <Figure
                label="Available to borrow"
                shown=usd(&AccountData::base_to_usd(account.available_borrows_base), Rounding::Down)
                value=account.available_borrows_base.to_string()
                test_id="aave-available-borrows"
                hint="getUserAccountData's availableBorrowsBase, in USD."
            />
        </div>
    }
}
