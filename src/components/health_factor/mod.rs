mod verdict;

use ballast_chain::price_status::VerdictBasis;
use ballast_core::display::HealthBand;
use ballast_core::Report;
use leptos::prelude::*;

use crate::components::Term;
pub use verdict::Verdict;

/// The health factor, large, coloured by band, rounded down so it never looks
/// safer than it is; "∞" when there is no debt. With a `basis`, the band says
/// which kind of price it rests on, and no band (no verdict) is given over a
/// price that cannot be trusted. Updated in place as `report` changes (`None`:
/// no report yet, shown as "∞" with no number behind it).
#[component]
pub fn HealthFactor(
    #[prop(into)] report: Signal<Option<Report>>,
    #[prop(optional, into)] basis: MaybeProp<VerdictBasis>,
) -> impl IntoView {
    let verdict = Memo::new(move |_| report.with(|r| basis.with(|b| Verdict::of(r.as_ref(), b.as_ref()))));
    let field = move |f: fn(&Verdict) -> String| move || verdict.with(f);
    view! {
        <section class=field(|v| v.class.clone()) aria-live="polite">
            <span class="health-factor-label"><Term id="health-factor">"Health factor"</Term></span>
            <span class="health-factor-value" data-testid="health-factor" data-value=field(|v| v.value.clone())>
                {field(|v| v.shown.clone())}
            </span>
            <span class="health-factor-band" data-testid="health-band">{field(|v| v.label.clone())}</span>
            {move || {
                verdict
                    .with(|v| v.rests_on.clone())
                    .map(|r| view! { <span class="health-factor-basis" data-testid="health-basis">{r}</span> })
            }}
            <span class="health-factor-scale">{HealthBand::THRESHOLDS}</span>
        </section>
    }
}

/// The health factor as one line pinned to the top of the what-if controls
/// while they scroll: the full [`HealthFactor`] sits below them and the action
/// form (below the fold of a phone, and of a 720-pixel laptop screen), so
/// whoever drags a price sees the figure move. The same number, rounded the
/// same way; no band (its basis is the full section's), and a dash when the
/// engine has no report (it refused the position).
#[component]
pub fn HealthFactorPin(#[prop(into)] report: Signal<Option<Report>>) -> impl IntoView {
    let verdict = Memo::new(move |_| report.with(|r| r.as_ref().map(|r| Verdict::of(Some(r), None))));
    let shown = move || verdict.with(|v| v.as_ref().map_or_else(|| "—".to_owned(), |v| v.shown.clone()));
    let value = move || verdict.with(|v| v.as_ref().map_or_else(|| "refused".to_owned(), |v| v.value.clone()));
    view! {
        <p class="health-factor-pin" aria-hidden="true">
            <span>"Health factor"</span>
            <span class="health-factor-pin-value" data-testid="health-factor-pin" data-value=value>{shown}</span>
        </p>
    }
}
