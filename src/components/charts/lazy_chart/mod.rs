use charming::theme::Theme;
use charming::{Chart, Echarts, WasmRenderer};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{after_next_paint, follow_width_and_dispose, load_echarts};

/// Any charming chart, drawn once ECharts has loaded (after first paint) and
/// redrawn when `chart` changes; `data-points` says how many points were
/// last drawn, for tests.
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
    /// The chart and how many data points it has.
    #[prop(into)]
    chart: Signal<(Chart, usize)>,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let drawn = RwSignal::new(None::<usize>);
    let echarts = StoredValue::new_local(None::<Echarts>);

    after_next_paint(move || {
        spawn_local(async move {
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
        chart.with(|(chart, points)| {
            if echarts.with_value(Option::is_none) {
                match WasmRenderer::new_opt(None, None).theme(Theme::Dark).render(id, chart) {
                    Ok(instance) => echarts.set_value(Some(instance)),
                    Err(e) => return problem.set(Some(format!("The chart could not be drawn: {e:?}"))),
                }
            } else {
                echarts.with_value(|e| e.iter().for_each(|e| WasmRenderer::update(e, chart)));
            }
            problem.set(None);
            drawn.set(Some(*points));
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
                data-points=move || drawn.get().map(|n| n.to_string())
            ></div>
            <p class="field-error" role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get().unwrap_or_default()}
            </p>
        </figure>
    }
}
