use charming::component::Axis;
use charming::element::{
    AxisLine, AxisType, Label, LabelPosition, LineStyle, LineStyleType, MarkLine, MarkLineData, MarkLineVariant,
    Symbol, Tooltip, Trigger,
};
use charming::series::Line;
use charming::{val, Chart};
use leptos::prelude::*;

use super::lazy_chart::{Drawing, LazyChart};

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

    fn chart(&self) -> Chart {
        // ECharts leaves a gap at "-": no debt, no health factor.
        let data: Vec<_> =
            self.points.iter().map(|&(x, hf)| hf.map_or_else(|| val![x, "-"], |hf| val![x, hf])).collect();
        let marks = MarkLine::new()
            .silent(true)
            .symbol(vec![Symbol::None, Symbol::None])
            .label(Label::new().formatter("{b}").position(LabelPosition::InsideEndTop))
            .line_style(LineStyle::new().type_(LineStyleType::Dashed))
            .data(vec![
                MarkLineVariant::Simple(MarkLineData::new().name("Liquidation (HF 1)").y_axis(1)),
                MarkLineVariant::Simple(MarkLineData::new().name("Today").x_axis(self.today)),
            ]);
        Chart::new()
            .background_color("transparent")
            .animation(false)
            .tooltip(Tooltip::new().trigger(Trigger::Axis))
            .x_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .name(self.x_name.as_str())
                    .name_location(charming::element::NameLocation::Middle)
                    .name_gap(28)
                    .min("dataMin")
                    .max("dataMax"),
            )
            // Left, not at x = 0: a crash's x axis ends at 0.
            .y_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .name("Health factor")
                    .min(0)
                    .axis_line(AxisLine::new().on_zero(false)),
            )
            .series(Line::new().name("Health factor").show_symbol(false).data(data).mark_line(marks))
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
                chart: plot.chart(),
                points: plot.points.len(),
                first: Some(plot.first_point()),
                marks: None,
            }),
            Err(e) => Err(format!("The engine could not chart this: {e}")),
        })
    });
    view! { <LazyChart id test_id title aria_label="Health factor chart" chart /> }
}
