use leptos::prelude::*;
use serde_json::json;

use super::lazy_chart::{Drawing, LazyChart};
use super::option::{chart, dashed_marks, line, mark, point, value_axis, value_axis_from_zero};

/// A health-factor curve ready to draw. The engine computed it exactly;
/// these f64s are for plotting only.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthPlot {
    /// What the x axis measures, with its unit.
    pub x_name: String,
    /// (x, health factor) in x order; `None` where nothing is owed.
    pub points: Vec<(f64, Option<f64>)>,
    /// Today's x, marked with a vertical line.
    pub today: f64,
}

impl HealthPlot {
    /// `data-first`: the first point as drawn, so tests can see the chart move.
    fn first_point(&self) -> String {
        self.points.first().map_or_else(String::new, |(x, hf)| match hf {
            Some(hf) => format!("{x},{hf}"),
            None => format!("{x},none"),
        })
    }

    /// The curve with the liquidation line (HF 1) and today's x marked; no
    /// debt is a gap. Today is not marked when it is unknown (no price).
    pub(crate) fn option(&self) -> serde_json::Value {
        let data = self.points.iter().map(|&(x, hf)| point(x, hf)).collect();
        let marks = [mark("Liquidation (HF 1)", "yAxis", 1.0), mark("Today", "xAxis", self.today)];
        let mut x_axis = value_axis(&self.x_name);
        x_axis["min"] = "dataMin".into();
        x_axis["max"] = "dataMax".into();
        // Left, not at x = 0: a crash's x axis ends at 0.
        let mut y_axis = value_axis_from_zero("Health factor");
        y_axis["axisLine"] = json!({ "onZero": false });
        let mut series = line("Health factor", data);
        series["markLine"] = dashed_marks(marks.into_iter().flatten().collect());
        chart(x_axis, y_axis, vec![series])
    }
}

/// One health-factor curve, drawn by [`LazyChart`] once ECharts has loaded
/// and redrawn whenever `plot` changes; `data-first` is its first point.
#[component]
pub fn HealthChart(
    /// The DOM id ECharts draws into; unique on the page.
    id: &'static str,
    /// A stable hook for tests.
    test_id: &'static str,
    /// What the chart shows, in the domain's words.
    title: String,
    /// The curve, or why the engine could not compute it.
    #[prop(into)]
    plot: Signal<Result<HealthPlot, String>>,
) -> impl IntoView {
    let chart = Signal::derive(move || {
        plot.with(|plot| match plot {
            Ok(plot) => Ok(Drawing {
                option: plot.option(),
                points: plot.points.len(),
                first: Some(plot.first_point()),
                marks: None,
            }),
            Err(e) => Err(format!("The engine could not chart this: {e}")),
        })
    });
    view! { <LazyChart id test_id title aria_label="Health factor chart" chart /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plot(today: f64) -> HealthPlot {
        HealthPlot {
            x_name: "WETH price (USD)".into(),
            points: vec![(150.0, Some(0.25)), (300.0, None), (3000.0, Some(1.5))],
            today,
        }
    }

    #[test]
    fn the_curve_has_a_gap_where_nothing_is_owed_and_marks_hf_1_and_today() {
        let option = plot(3000.0).option();
        let series = &option["series"][0];
        assert_eq!(series["data"], json!([[150.0, 0.25], [300.0, "-"], [3000.0, 1.5]]));
        assert_eq!(
            series["markLine"]["data"],
            json!([{ "name": "Liquidation (HF 1)", "yAxis": 1.0 }, { "name": "Today", "xAxis": 3000.0 }])
        );
        assert_eq!(option["xAxis"]["name"], "WETH price (USD)");
        assert_eq!((&option["xAxis"]["min"], &option["xAxis"]["max"]), (&json!("dataMin"), &json!("dataMax")));
        assert_eq!(option["yAxis"]["axisLine"]["onZero"], false);
    }

    #[test]
    fn without_a_price_today_is_not_marked() {
        let option = plot(f64::NAN).option();
        assert_eq!(option["series"][0]["markLine"]["data"], json!([{ "name": "Liquidation (HF 1)", "yAxis": 1.0 }]));
    }
}
