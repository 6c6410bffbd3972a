//! What the health factor section shows, as plain data: the Leptos
//! [`HealthFactor`](super::HealthFactor) and the first frame (`crate::first_frame`)
//! draw the same verdict, so the figure painted before the page's controls load is
//! the one the page then shows.

use ballast_chain::price_status::VerdictBasis;
use ballast_core::display::{format_fixed, HealthBand, Rounding};
use ballast_core::Report;

use crate::data_source::human_utc;

/// What the health factor section shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The section's classes: its band, or `band-none` when there is no verdict.
    pub class: String,
    /// The band's name ("Safe", …) or "No verdict".
    pub label: String,
    /// The figure, rounded down to 2 decimals ("∞" with no debt).
    pub shown: String,
    /// The engine's full figure for `data-value` ("none" with no debt).
    pub value: String,
    /// Which kind of price the verdict rests on, when the caller knows.
    pub rests_on: Option<String>,
}

impl Verdict {
    /// The verdict on `report` (none yet: "∞"), resting on `basis` when given.
    pub fn of(report: Option<&Report>, basis: Option<&VerdictBasis>) -> Self {
        let exact = report.and_then(|r| r.health_factor_exact.as_ref());
        let band = HealthBand::of(exact);
        let shown = exact.map_or_else(|| "∞".to_owned(), |hf| format_fixed(hf, 2, Rounding::Down));
        let value = report.and_then(|r| r.health_factor.clone()).unwrap_or_else(|| "none".to_owned());
        let (class, label, rests_on) = match basis {
            Some(VerdictBasis::NoVerdict { untrusted }) => (
                "health-factor band-none".to_owned(),
                "No verdict".to_owned(),
                Some(format!(
                    "The price of {} cannot be trusted (stale, invalid or of unknown age).",
                    untrusted.join(", ")
                )),
            ),
            other => {
                let rests_on = other.map(|b| match b {
                    VerdictBasis::Live => "On live prices, all fresh.".to_owned(),
                    VerdictBasis::Snapshot { taken_at } => {
                        format!("On saved prices, not live (saved {}).", human_utc(taken_at))
                    }
                    VerdictBasis::WhatIf => "On what-if prices you set.".to_owned(),
                    VerdictBasis::NoVerdict { .. } => String::new(),
                });
                (format!("health-factor {}", band.css_class()), band.label().to_owned(), rests_on)
            }
        };
        Verdict { class, label, shown, value, rests_on }
    }
}
