//! A signal that follows another at most once per interval, always ending on
//! its latest value: the charts follow the scenario this way, so dragging a
//! slider updates the figures at once while each chart's 61 exact evaluations
//! and its redraw run in a task of their own, never in the input's.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;

/// `source`, delayed by up to `interval` and coalesced: however many changes
/// arrive within one interval, the returned signal changes once, to the last.
///
/// ```ignore
/// let for_charts = use_throttled(scenario, Duration::from_millis(100));
/// ```
pub fn use_throttled<T>(source: Signal<T>, interval: Duration) -> Signal<T>
where
    T: Clone + Send + Sync + 'static,
{
    let followed = RwSignal::new(source.get_untracked());
    let scheduled = Rc::new(Cell::new(false));
    Effect::new(move |previous: Option<()>| {
        source.track();
        // The first run is the value `followed` starts with.
        if previous.is_none() || scheduled.replace(true) {
            return;
        }
        let scheduled = Rc::clone(&scheduled);
        set_timeout(
            move || {
                scheduled.set(false);
                // Both may be gone by then: the chart left the page.
                if let Some(latest) = source.try_get_untracked() {
                    _ = followed.try_set(latest);
                }
            },
            interval,
        );
    });
    followed.into()
}
