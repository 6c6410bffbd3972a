use ballast_core::display::{format_fixed, HealthBand, Rounding};
use ballast_core::Report;
use leptos::prelude::*;

use crate::components::Term;

/// The health factor, large, coloured by band, rounded down so it never looks
/// safer than it is; "∞" when there is no debt.
#[component]
pub fn HealthFactor(report: Report) -> impl IntoView {
    let band = HealthBand::of(report.health_factor_exact.as_ref());
    let shown =
        report.health_factor_exact.as_ref().map_or_else(|| "∞".to_owned(), |hf| format_fixed(hf, 2, Rounding::Down));
    let value = report.health_factor.clone().unwrap_or_else(|| "none".to_owned());
    view! {
        <section class=format!("health-factor {}", band.css_class()) aria-live="polite">
            <span class="health-factor-label"><Term id="health-factor">"Health factor"</Term></span>
            <span class="health-factor-value" data-testid="health-factor" data-value=value>{shown}</span>
            <span class="health-factor-band" data-testid="health-band">{band.label()}</span>
            <span class="health-factor-scale">{HealthBand::THRESHOLDS}</span>
        </section>
    }
}
