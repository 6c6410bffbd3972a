use charming::component::Axis;
use charming::element::{
    AxisLine, AxisType, Label, LabelPosition, LineStyle, LineStyleType, MarkLine, MarkLineData, MarkLineVariant,
    Symbol, Tooltip, Trigger,
};
use charming::series::Line;
use charming::theme::Theme;
use charming::{val, Chart, Echarts, WasmRenderer};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{after_next_paint, follow_width_and_dispose, load_echarts};

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

/// One health-factor curve, drawn once ECharts has loaded (after first
/// paint) and redrawn whenever `plot` changes. `data-points` and
/// `data-first` describe what was last drawn.
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
    let ready = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let drawn = RwSignal::new(None::<(usize, String)>);
    let echarts = StoredValue::new_local(None::<Echarts>);

    after_next_paint(move || {
        spawn_local(async move {
            // The chart may be gone by then (another position was picked).
            match load_echarts().await {
                Ok(()) => _ = ready.try_set(true),
                Err(e) => _ = problem.try_set(Some(e)),
            }
        })
    });

    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        plot.with(|plot| {
            let plot = match plot {
                Ok(plot) => plot,
                Err(e) => return problem.set(Some(format!("The engine could not chart this: {e}"))),
            };
            let chart = plot.chart();
            let fresh = echarts.with_value(Option::is_none);
            if fresh {
                match WasmRenderer::new_opt(None, None).theme(Theme::Dark).render(id, &chart) {
                    Ok(instance) => echarts.set_value(Some(instance)),
                    Err(e) => return problem.set(Some(format!("The chart could not be drawn: {e:?}"))),
                }
            } else {
                echarts.with_value(|e| e.iter().for_each(|e| WasmRenderer::update(e, &chart)));
            }
            problem.set(None);
            drawn.set(Some((plot.points.len(), plot.first_point())));
        });
    });

    follow_width_and_dispose(echarts);

    view! {
        <figure class="chart" data-testid=test_id>
            <figcaption>{title}</figcaption>
            <div
                id=id
                class="chart-canvas"
                role="img"
                aria-label="Health factor chart"
                data-points=move || drawn.with(|d| d.as_ref().map(|(n, _)| n.to_string()))
                data-first=move || drawn.with(|d| d.as_ref().map(|(_, first)| first.clone()))
            ></div>
            <p class="field-error" role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </figure>
    }
}
