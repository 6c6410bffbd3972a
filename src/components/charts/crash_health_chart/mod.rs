use ballast_core::exact::to_f64_lossy;
use ballast_core::scenario::Scenario;
use ballast_core::what_if::{basket_health_curve, even_moves, non_stable_collateral};
use leptos::prelude::*;
use num_rational::BigRational;

use super::{HealthChart, HealthPlot};

/// Intervals between a 95 % drop and today.
const STEPS: u32 = 60;

/// The health factor when every collateral the scenario does not mark
/// `stable` drops by the same share at once, stables and debt held.
#[component]
pub fn CrashHealthChart(#[prop(into)] scenario: Signal<Scenario>) -> impl IntoView {
    // Off the input's path: the figures update at once, the curve a moment later.
    let scenario = super::use_throttled(scenario, super::CHART_FOLLOW_INTERVAL);
    let basket = Memo::new(move |_| scenario.with(non_stable_collateral));
    let moves = StoredValue::new(even_moves(
        &BigRational::new((-95).into(), 100.into()),
        &BigRational::from_integer(0.into()),
        STEPS,
    ));
    let hundred = BigRational::from_integer(100.into());
    let plot = Memo::new(move |_| {
        let curve = scenario.with(|s| moves.with_value(|m| basket_health_curve(s, m))).map_err(|e| e.to_string())?;
        Ok(HealthPlot {
            x_name: "Move of every non-stable collateral price (%)".to_owned(),
            points: curve
                .iter()
                .map(|(m, hf)| (to_f64_lossy(&(m * &hundred)), hf.as_ref().map(to_f64_lossy)))
                .collect(),
            today: 0.0,
        })
    });
    let names = move || basket.with(|b| b.join(", "));
    view! {
        <section class="chart-panel" aria-label="Health factor in a crash">
            <div class="chart-header">
                <h3>"Health factor in a crash"</h3>
            </div>
            <Show
                when=move || basket.with(|b| !b.is_empty())
                fallback=|| view! { <p class="muted" data-testid="crash-chart-none">"No collateral outside stablecoins: a crash of the other assets does not move this position's collateral."</p> }
            >
                <HealthChart
                    id="crash-health-chart"
                    test_id="crash-health-chart"
                    title=format!("{} falling together; stablecoins and debt held.", names())
                    plot
                />
            </Show>
        </section>
    }
}
