use ballast_core::composition::composition;
use ballast_core::display::{format_fixed, Rounding};
use ballast_core::exact::format_exact;
use ballast_core::scenario::Scenario;
use leptos::prelude::*;
use num_rational::BigRational;

use super::interest_charts;
use super::LazyChart;

/// What the position is made of: collateral and debt value per asset, as a
/// chart and as a table (exact values in `data-value`) that sums to the
/// report's totals. Follows the scenario off the input's path.
#[component]
pub fn CompositionChart(#[prop(into)] scenario: Signal<Scenario>) -> impl IntoView {
    let scenario = super::use_throttled(scenario, super::CHART_FOLLOW_INTERVAL);
    let parts = Memo::new(move |_| scenario.with(composition).map_err(|e| e.to_string()));
    let chart = Signal::derive(move || {
        parts.with(|p| {
            p.as_ref()
                .map(|p| interest_charts::composition(p))
                .map_err(|e| format!("The engine could not value this: {e}"))
        })
    });
    let zero = BigRational::from_integer(0.into());
    let rows = move || {
        parts.get().unwrap_or_default().into_iter().filter(|p| p.collateral != zero || p.debt != zero).map(|p| {
            let usd = |v: &BigRational, rounding| format!("${}", format_fixed(v, 2, rounding));
            view! {
                <tr data-testid="composition-row" data-asset=p.asset.clone()>
                    <td>{p.asset.clone()}</td>
                    <td class="num" data-testid="composition-collateral" data-value=format_exact(&p.collateral)>{usd(&p.collateral, Rounding::Down)}</td>
                    <td class="num" data-testid="composition-debt" data-value=format_exact(&p.debt)>{usd(&p.debt, Rounding::Up)}</td>
                </tr>
            }
        }).collect_view()
    };
    view! {
        <section class="chart-panel" aria-label="Composition of collateral and debt">
            <div class="chart-header">
                <h3>"Collateral and debt by asset"</h3>
            </div>
            <LazyChart
                id="composition-chart"
                test_id="composition-chart"
                title="Each asset's value in USD at the prices in use; collateral turned off counts nothing."
                aria_label="Collateral and debt by asset"
                chart
            />
            <table class="composition" data-testid="composition-table">
                <thead><tr><th>"Asset"</th><th>"Collateral (USD)"</th><th>"Debt (USD)"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
