use ballast_core::exact::to_f64_lossy;
use ballast_core::scenario::Scenario;
use ballast_core::what_if::{even_moves, health_curve, largest_collateral};
use leptos::prelude::*;
use num_rational::BigRational;

use super::{HealthChart, HealthPlot};

/// Intervals between −95 % and +100 % of today's price.
const STEPS: u32 = 60;

/// The health factor against one asset's price, every other price held:
/// −95 % to +100 % of today's price. Starts on the largest collateral.
#[component]
pub fn PriceHealthChart(#[prop(into)] scenario: Signal<Scenario>) -> impl IntoView {
    // Off the input's path: the figures update at once, the curve a moment later.
    let scenario = super::use_throttled(scenario, super::CHART_FOLLOW_INTERVAL);
    let priced = Memo::new(move |_| {
        scenario.with(|s| s.assets.iter().filter(|a| a.price.is_some()).map(|a| a.symbol.clone()).collect::<Vec<_>>())
    });
    let asset = RwSignal::new(
        scenario
            .with_untracked(largest_collateral)
            .or_else(|| priced.with_untracked(|p| p.first().cloned()))
            .unwrap_or_default(),
    );
    let moves = StoredValue::new(even_moves(
        &BigRational::new((-95).into(), 100.into()),
        &BigRational::from_integer(1.into()),
        STEPS,
    ));
    let plot = Memo::new(move |_| {
        let symbol = asset.get();
        scenario.with(|s| {
            let today = s.asset(&symbol).and_then(|(_, a)| a.price.as_ref()).map(|p| to_f64_lossy(&p.to_rational()));
            let curve = moves.with_value(|m| health_curve(s, &symbol, m)).map_err(|e| e.to_string())?;
            Ok(HealthPlot {
                x_name: format!("{symbol} price (USD)"),
                points: curve
                    .iter()
                    .map(|(price, hf)| (to_f64_lossy(&price.to_rational()), hf.as_ref().map(to_f64_lossy)))
                    .collect(),
                today: today.unwrap_or(f64::NAN),
            })
        })
    });
    view! {
        <section class="chart-panel" aria-label="Health factor against a price">
            <div class="chart-header">
                <h3>"Health factor against a price"</h3>
                <select
                    aria-label="Asset to move"
                    data-testid="price-chart-asset"
                    prop:value=move || asset.get()
                    on:change=move |ev| asset.set(event_target_value(&ev))
                >
                    {move || {
                        priced.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()
                    }}
                </select>
            </div>
            <HealthChart
                id="price-health-chart"
                test_id="price-health-chart"
                title=String::from("Every other price held; the engine's health factor at each price.")
                plot
            />
        </section>
    }
}
