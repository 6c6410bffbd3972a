//! How old a read from chain is, kept up to date while it is on screen.
//!
//! ```ignore
//! let age = use_read_age(Some(read_at_ms));
//! view! {
//!     <span data-stale=move || age.stale.get().to_string()>{move || age.text.get()}</span>
//! }
//! ```

use std::time::Duration;

use leptos::prelude::*;

use crate::data_source::read_age;

/// How often an age on screen is brought up to date.
pub const READ_AGE_TICK: Duration = Duration::from_secs(5);

/// A read's age as [`use_read_age`] keeps it.
#[derive(Clone, Copy)]
pub struct UseReadAgeReturn {
    /// "read 3 min ago"; `None` without a read.
    pub text: Signal<Option<String>>,
    /// Too old to be taken as current (`data_source::READ_FRESH_FOR_MS`); false without a read.
    pub stale: Signal<bool>,
}

/// The age of a read made at `read_at_ms` (the page's clock, ms), from
/// `data_source::read_age`, against the clock as it is every
/// [`READ_AGE_TICK`]. The tick stops with the owner that called it.
pub fn use_read_age(read_at_ms: Option<f64>) -> UseReadAgeReturn {
    let tick = RwSignal::new(0u64);
    if read_at_ms.is_some() {
        if let Ok(interval) = set_interval_with_handle(move || tick.update(|t| *t += 1), READ_AGE_TICK) {
            on_cleanup(move || interval.clear());
        }
        // A hidden tab's timers are throttled: on coming back, the age is brought up to date at once
        // rather than at the next tick.
        let shown = window_event_listener_untyped("visibilitychange", move |_| tick.update(|t| *t += 1));
        on_cleanup(move || shown.remove());
    }
    let age = Memo::new(move |_| {
        tick.track();
        read_at_ms.map(|at| read_age(at, js_sys::Date::now()))
    });
    UseReadAgeReturn {
        text: Signal::derive(move || age.with(|a| a.as_ref().map(|(text, _)| text.clone()))),
        stale: Signal::derive(move || age.with(|a| a.as_ref().is_some_and(|(_, stale)| *stale))),
    }
}
