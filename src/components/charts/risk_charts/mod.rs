//! The Risk page's charts, drawn from the engine's report: the minimum
//! health factor's histogram and the probability of liquidation by horizon.

use ballast_core::risk::run::HorizonPoint;
use ballast_core::risk::stats::Histogram;
use charming::component::Axis;
use charming::element::{AxisType, NameLocation, Tooltip, Trigger};
use charming::series::{Bar, Line};
use charming::Chart;
use leptos::prelude::*;

use super::LazyChart;

/// A bin's label: "1.00–1.05", the last "≥ 2.00".
fn bin_label(from: f64, to: f64) -> String {
    if to.is_infinite() {
        format!("≥ {from:.2}")
    } else {
        format!("{from:.2}–{to:.2}")
    }
}

/// The share of paths whose lowest health factor fell in each bin.
pub fn histogram_chart(histogram: &Histogram) -> (Chart, usize) {
    let labels: Vec<String> = histogram.bins.iter().map(|b| bin_label(b.from, b.to)).collect();
    let shares: Vec<f64> = histogram.bins.iter().map(|b| b.share * 100.0).collect();
    let n = shares.len();
    let chart = Chart::new()
        .background_color("transparent")
        .animation(false)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(labels)
                .name("Lowest health factor over the horizon")
                .name_location(NameLocation::Middle)
                .name_gap(28),
        )
        .y_axis(Axis::new().type_(AxisType::Value).name("Paths (%)").min(0))
        .series(Bar::new().name("Paths (%)").data(shares));
    (chart, n)
}

/// P(liquidated by day d) for every day to the horizon.
pub fn horizon_chart(points: &[HorizonPoint]) -> (Chart, usize) {
    let data: Vec<Vec<f64>> = points.iter().map(|p| vec![f64::from(p.day), p.probability.value * 100.0]).collect();
    let n = data.len();
    let chart = Chart::new()
        .background_color("transparent")
        .animation(false)
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new()
                .type_(AxisType::Value)
                .name("Horizon (days)")
                .name_location(NameLocation::Middle)
                .name_gap(28)
                .min(0),
        )
        .y_axis(Axis::new().type_(AxisType::Value).name("P(liquidation) (%)").min(0))
        .series(Line::new().name("P(liquidation) (%)").show_symbol(false).data(data));
    (chart, n)
}

/// The minimum health factor's distribution as a bar chart.
#[component]
pub fn MinHealthHistogram(#[prop(into)] histogram: Signal<Histogram>) -> impl IntoView {
    view! {
        <LazyChart
            id="risk-min-hf-chart"
            test_id="risk-min-hf-chart"
            title="Lowest health factor reached on each path, share of paths per band."
            aria_label="Histogram of the lowest health factor"
            chart=Signal::derive(move || Ok(histogram.with(histogram_chart).into()))
        />
    }
}

/// The probability of liquidation against the horizon.
#[component]
pub fn HorizonChart(#[prop(into)] points: Signal<Vec<HorizonPoint>>) -> impl IntoView {
    view! {
        <LazyChart
            id="risk-horizon-chart"
            test_id="risk-horizon-chart"
            title="Probability of liquidation by each day of the horizon (same paths)."
            aria_label="Probability of liquidation against the horizon"
            chart=Signal::derive(move || Ok(points.with(|p| horizon_chart(p)).into()))
        />
    }
}
