use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::echarts::EchartsInstance;
use super::{after_next_paint, follow_width_and_dispose, load_echarts};

/// What one chart draws: its ECharts option (built in the chart's module from
/// the engine's figures, see `option`), how many data points it has and, for
/// tests, its first point as drawn and what its marker lines mark.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    pub option: serde_json::Value,
    pub points: usize,
    pub first: Option<String>,
    pub marks: Option<String>,
}

impl From<(serde_json::Value, usize)> for Drawing {
    fn from((option, points): (serde_json::Value, usize)) -> Self {
        Self { option, points, first: None, marks: None }
    }
}

/// Any ECharts chart, drawn once ECharts has loaded (after first paint) and
/// redrawn when `chart` changes; `data-points` (and `data-first` and
/// `data-marks`, when the drawing has them) say what was last drawn, for tests. Every chart on the
/// site goes through this one load-then-render effect.
#[component]
pub fn LazyChart(
    /// The DOM id ECharts draws into; unique on the page.
    id: &'static str,
    /// A stable hook for tests.
    test_id: &'static str,
    /// What the chart shows, in the domain's words.
    #[prop(into)]
    title: String,
    /// What the picture shows, for screen readers.
    aria_label: &'static str,
    /// The drawing, or why there is none (shown in its place).
    #[prop(into)]
    chart: Signal<Result<Drawing, String>>,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let drawn = RwSignal::new(None::<(usize, Option<String>, Option<String>)>);
    let echarts = StoredValue::new_local(None::<EchartsInstance>);

    after_next_paint(move || {
        spawn_local(async move {
            // The chart may be gone by then (another position was picked).
            match load_echarts().await {
                // Every chart on the page waits on the same load; each draws in a task of its own
                // (timeouts run one per task, in order), so input between them is not held up
                // while they all draw.
                Ok(()) => set_timeout(move || _ = ready.try_set(true), Duration::ZERO),
                Err(e) => _ = problem.try_set(Some(e)),
            }
        })
    });

    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        chart.with(|drawing| {
            let drawing = match drawing {
                Ok(drawing) => drawing,
                Err(e) => return problem.set(Some(e.clone())),
            };
            let drawn_now = echarts.with_value(|instance| match instance {
                Some(instance) => instance.update(&drawing.option).map(|()| None),
                None => EchartsInstance::draw(id, &drawing.option).map(Some),
            });
            match drawn_now {
                Ok(Some(instance)) => echarts.set_value(Some(instance)),
                Ok(None) => {}
                Err(e) => return problem.set(Some(e)),
            }
            problem.set(None);
            drawn.set(Some((drawing.points, drawing.first.clone(), drawing.marks.clone())));
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
                aria-label=aria_label
                data-points=move || drawn.with(|d| d.as_ref().map(|(n, _, _)| n.to_string()))
                data-first=move || drawn.with(|d| d.as_ref().and_then(|(_, first, _)| first.clone()))
                data-marks=move || drawn.with(|d| d.as_ref().and_then(|(_, _, marks)| marks.clone()))
            ></div>
            <p class="field-error" role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </figure>
    }
}
