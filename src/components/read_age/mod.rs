//! How old a read from chain is, kept up to date while it is on screen.
//!
//! ```ignore
//! let age = use_read_age(Some(read_at_ms));
//! view! { <span>{move || age.with(|a| a.as_ref().map(|(text, _)| text.clone()))}</span> }
//! ```

use std::time::Duration;

use leptos::prelude::*;

use crate::data_source::read_age;

/// How often an age on screen is brought up to date.
pub const READ_AGE_TICK: Duration = Duration::from_secs(5);

/// The age of a read made at `read_at_ms` (the page's clock, ms) in words, and
/// whether it is too old to be taken as current (`data_source::read_age`),
/// against the clock as it is every [`READ_AGE_TICK`]; `None` without a read.
/// The tick stops with the owner that called it.
pub fn use_read_age(read_at_ms: Option<f64>) -> Memo<Option<(String, bool)>> {
    let tick = RwSignal::new(0u64);
    if read_at_ms.is_some() {
        if let Ok(interval) = set_interval_with_handle(move || tick.update(|t| *t += 1), READ_AGE_TICK) {
            on_cleanup(move || interval.clear());
        }
    }
    Memo::new(move |_| {
        tick.track();
        read_at_ms.map(|at| read_age(at, js_sys::Date::now()))
    })
}
