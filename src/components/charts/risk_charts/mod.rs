//! The Risk page's charts, drawn from the engine's report: the minimum
//! health factor's histogram and the probability of liquidation by horizon.

use ballast_core::risk::run::HorizonPoint;
use ballast_core::risk::stats::Histogram;
use leptos::prelude::*;
use serde_json::json;

use super::option::{chart, line, point, value_axis, value_axis_from_zero};
use super::{Drawing, LazyChart};

/// A bin's label: "1.00–1.05", the last "≥ 2.00".
fn bin_label(from: f64, to: f64) -> String {
    if to.is_infinite() {
        format!("≥ {from:.2}")
    } else {
        format!("{from:.2}–{to:.2}")
    }
}

/// The share of paths whose lowest health factor fell in each bin.
pub fn histogram_chart(histogram: &Histogram) -> Drawing {
    let labels: Vec<String> = histogram.bins.iter().map(|b| bin_label(b.from, b.to)).collect();
    let shares: Vec<f64> = histogram.bins.iter().map(|b| b.share * 100.0).collect();
    let n = shares.len();
    let mut x_axis = value_axis("Lowest health factor over the horizon");
    x_axis["type"] = "category".into();
    x_axis["data"] = labels.into();
    let series = json!({ "type": "bar", "name": "Paths (%)", "data": shares });
    (chart(x_axis, value_axis_from_zero("Paths (%)"), vec![series]), n).into()
}

/// P(liquidated by day d) for every day to the horizon.
pub fn horizon_chart(points: &[HorizonPoint]) -> Drawing {
    let data: Vec<_> = points.iter().map(|p| point(f64::from(p.day), Some(p.probability.value * 100.0))).collect();
    let n = data.len();
    let mut x_axis = value_axis("Horizon (days)");
    x_axis["min"] = 0.into();
    let series = line("P(liquidation) (%)", data);
    (chart(x_axis, value_axis_from_zero("P(liquidation) (%)"), vec![series]), n).into()
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
            chart=Signal::derive(move || Ok(histogram.with(histogram_chart)))
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
            chart=Signal::derive(move || Ok(points.with(|p| horizon_chart(p))))
        />
    }
}

#[cfg(test)]
mod tests {
    use ballast_core::risk::stats::{Bin, Estimate};

    use super::*;

    #[test]
    fn the_histogram_labels_each_band_and_shows_percent_of_paths() {
        let histogram = Histogram {
            bins: vec![
                Bin { from: 1.0, to: 1.05, count: 3, share: 0.3 },
                Bin { from: 2.0, to: f64::INFINITY, count: 7, share: 0.7 },
            ],
            below: 0,
            above: 0,
        };
        let drawing = histogram_chart(&histogram);
        assert_eq!(drawing.option["xAxis"]["data"], json!(["1.00–1.05", "≥ 2.00"]));
        assert_eq!(drawing.option["series"][0]["data"], json!([30.0, 70.0]));
        assert_eq!(drawing.points, 2);
    }

    #[test]
    fn the_horizon_chart_plots_each_day_in_percent() {
        let points = [
            HorizonPoint { day: 1, probability: Estimate { value: 0.0, std_error: 0.0 } },
            HorizonPoint { day: 7, probability: Estimate { value: 0.125, std_error: 0.01 } },
        ];
        let drawing = horizon_chart(&points);
        assert_eq!(drawing.option["series"][0]["data"], json!([[1.0, 0.0], [7.0, 12.5]]));
        assert_eq!(drawing.points, 2);
    }
}
