//! The "Sign these changes" box of a plan opened from a live position: the
//! edits as ordered actions ([`super::sign::sign_plan`]), what is left out,
//! and a link opening the transaction panel with them. Nothing is sent from
//! here: the panel simulates and checks each step and the wallet asks.

use ballast_core::scenario::Scenario;
use leptos::prelude::*;

use super::model::PositionPlan;
use super::sign::sign_plan;

#[component]
pub fn SignChanges(plan: StoredValue<PositionPlan>, working: RwSignal<Scenario>) -> impl IntoView {
    let signed = Memo::new(move |_| plan.with_value(|p| working.with(|w| sign_plan(&p.scenario, w))));
    view! {
        <section class="what-if sign-changes" data-testid="sign-changes" aria-label="Sign these changes">
            <h3>"Sign these changes"</h3>
            {move || {
                let s = signed.get();
                let steps = if s.actions.is_empty() {
                    view! {
                        <p class="muted" data-testid="sign-nothing">
                            "No supply, withdraw, borrow or repay edits yet: those are what can be signed."
                        </p>
                    }
                    .into_any()
                } else {
                    let href = s.panel_href();
                    view! {
                        <ol>
                            {s.actions.iter().map(|a| view! { <li data-testid="sign-action">{a.label()}</li> }).collect_view()}
                        </ol>
                        <a class="button" data-testid="sign-open-panel" href=href>"Sign these changes"</a>
                        <p class="muted">
                            "Opens the transaction panel: each step is simulated and checked against your connected \
                             wallet's position on chain, and nothing is sent until you sign it there."
                        </p>
                    }
                    .into_any()
                };
                view! {
                    {steps}
                    {s.excluded.into_iter().map(|e| view! { <p class="muted" data-testid="sign-excluded">{e}</p> }).collect_view()}
                }
            }}
        </section>
    }
}
