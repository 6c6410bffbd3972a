//! Health-factor charts of the scenario being edited. The engine computes
//! every point exactly; only here are they turned into f64, in an ECharts
//! option written as JSON (`option`) and drawn through a small binding
//! (`echarts`).
//!
//! ECharts (about 1 MB) is kept off the critical path: index.html copies it
//! into the site but does not load it; [`load_echarts`] injects it once,
//! after the page has painted its figures, with the subresource-integrity
//! digest the build wrote into the page.

pub mod composition_chart;
pub mod crash_health_chart;
pub mod echarts;
pub mod health_chart;
pub mod interest_charts;
pub mod lazy_chart;
pub mod option;
pub mod price_health_chart;
pub mod risk_charts;
pub mod throttled;

use std::cell::RefCell;
use std::time::Duration;

use js_sys::{Function, Promise, Reflect};
use leptos::prelude::{
    on_cleanup, request_animation_frame, set_timeout, window_event_listener, LocalStorage, StoredValue, UpdateValue,
    WithValue,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub use composition_chart::CompositionChart;
pub use crash_health_chart::CrashHealthChart;
pub use echarts::EchartsInstance;
pub use health_chart::{HealthChart, HealthPlot};
pub use lazy_chart::{Drawing, LazyChart};
pub use price_health_chart::PriceHealthChart;
pub use risk_charts::{HorizonChart, MinHealthHistogram};
pub use throttled::use_throttled;

/// How often a chart follows the scenario while it changes (a slider being
/// dragged): often enough to look live, rarely enough to leave input alone.
pub const CHART_FOLLOW_INTERVAL: Duration = Duration::from_millis(100);

/// Relative, so a copy of the site served under any sub-path loads its own.
const ECHARTS_URL: &str = "echarts.min.js";
/// The meta tag holding ECharts' subresource-integrity digest, written into
/// the built page by the post-build hook (scripts/externalize-loader.mjs).
const ECHARTS_INTEGRITY_META: &str = "meta[name='ballast:integrity:echarts.min.js']";

thread_local! {
    /// The one load of ECharts every chart waits on.
    static ECHARTS: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Runs `f` after the next paint: a frame callback runs just before a
/// paint, and a timeout queued from it runs just after.
pub fn after_next_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, Duration::ZERO));
}

/// Keeps a chart's ECharts instance sized to the page's width (ECharts sizes
/// itself once), and frees its listeners and canvas when the chart leaves the page.
pub fn follow_width_and_dispose(echarts: StoredValue<Option<EchartsInstance>, LocalStorage>) {
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        echarts.with_value(|e| e.iter().for_each(EchartsInstance::resize));
    });
    on_cleanup(move || {
        resize.remove();
        if let Some(Some(instance)) = echarts.try_update_value(Option::take) {
            instance.dispose();
        }
    });
}

/// Resolves when the global `echarts` exists, injecting its script the
/// first time it is asked for.
pub async fn load_echarts() -> Result<(), String> {
    let promise = ECHARTS.with(|cell| cell.borrow_mut().get_or_insert_with(inject_echarts).clone());
    JsFuture::from(promise).await.map(|_| ()).map_err(|reason| match reason.as_string() {
        Some(why) => why,
        None => format!("the chart library ({ECHARTS_URL}) did not load, or did not match its integrity digest"),
    })
}

/// The digest the build wrote for ECharts; the script is not loaded without one.
fn echarts_integrity(document: &web_sys::Document) -> Option<String> {
    let meta = document.query_selector(ECHARTS_INTEGRITY_META).ok()??;
    meta.get_attribute("content").filter(|digest| digest.starts_with("sha384-"))
}

fn inject_echarts() -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        let Some(window) = web_sys::window() else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        if Reflect::has(&window, &JsValue::from_str("echarts")).unwrap_or(false) {
            let _ = resolve.call0(&JsValue::NULL);
            return;
        }
        let Some(integrity) = window.document().as_ref().and_then(echarts_integrity) else {
            let why = format!("the page carries no integrity digest for the chart library ({ECHARTS_URL})");
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&why));
            return;
        };
        let script = window.document().and_then(|d| {
            Some((d.create_element("script").ok()?.dyn_into::<web_sys::HtmlScriptElement>().ok()?, d.head()?))
        });
        let Some((script, head)) = script else {
            let _ = reject.call0(&JsValue::NULL);
            return;
        };
        // Checked by the browser: a file that does not match is not run.
        script.set_integrity(&integrity);
        script.set_cross_origin(Some("anonymous"));
        script.set_src(ECHARTS_URL);
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
        if head.append_child(&script).is_err() {
            let _ = reject.call0(&JsValue::NULL);
        }
    })
}
