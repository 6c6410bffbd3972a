//! Governance what-ifs on an Aave position: a lower LTV or liquidation
//! threshold for one asset, a frozen reserve, an e-mode category removed.
//! Each goes through the engine's checks; a refusal changes nothing.

use leptos::prelude::*;

use super::model::governance_action;
use super::Edit;
use crate::components::Term;

#[component]
pub fn GovernanceForm(edit: Edit) -> impl IntoView {
    let kind = RwSignal::new("threshold".to_owned());
    let asset =
        RwSignal::new(edit.working.with_untracked(|w| w.assets.first().map(|a| a.symbol.clone())).unwrap_or_default());
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let is_aave = move || edit.working.with(|w| matches!(w.protocol, ballast_core::Protocol::Aave(_)));
    // A memo: the option lists are rebuilt only when the assets change, not on every price move.
    let symbols = Memo::new(move |_| edit.working.with(super::model::asset_symbols));
    let needs_value = move || kind.with(|k| k != "freeze");
    let placeholder = move || if kind.with(|k| k == "remove-emode") { "category id, e.g. 1" } else { "new %, e.g. 75" };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = match governance_action(&kind.get_untracked(), &asset.get_untracked(), &value.get_untracked()) {
            Ok(action) => action,
            Err(problem) => return error.set(Some(problem)),
        };
        match edit.working.with_untracked(|w| ballast_core::apply_actions(w, &[action])) {
            Ok(next) => {
                edit.commit(next, None);
                error.set(None);
            }
            Err(refusal) => error.set(Some(refusal.to_string())),
        }
    };
    view! {
        <Show when=is_aave>
            <form class="what-if action-form" data-testid="governance-form" on:submit=apply>
                <h3>"What if governance…"</h3>
                <div class="action-row">
                    <select aria-label="Governance change" data-testid="governance-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="threshold">"sets the liquidation threshold of"</option>
                        <option value="ltv">"sets the LTV of"</option>
                        <option value="freeze">"freezes"</option>
                        <option value="remove-emode">"removes e-mode category"</option>
                    </select>
                    <Show when=move || kind.with(|k| k != "remove-emode")>
                        <select aria-label="Asset" data-testid="governance-asset" prop:value=move || asset.get() on:change=move |ev| asset.set(event_target_value(&ev))>
                            {move || symbols.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                        </select>
                    </Show>
                    <Show when=needs_value>
                        <input
                            type="text"
                            inputmode="decimal"
                            aria-label="New value: a percentage, or the e-mode category id"
                            placeholder=placeholder
                            data-testid="governance-value"
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))
                        />
                    </Show>
                    <button type="submit" class="reset" data-testid="governance-apply">"Apply"</button>
                </div>
                <p class="muted">
                    <Term id="ltv">"LTV"</Term>
                    " and "
                    <Term id="liquidation-threshold">"liquidation threshold"</Term>
                    " in %, to 0.01 %. A frozen reserve takes no new supply or borrow; removing an "
                    <Term id="e-mode">"e-mode"</Term>
                    " category puts its assets back on their own parameters."
                </p>
                <span class="field-error" role="alert" data-testid="governance-error">{move || error.get().unwrap_or_default()}</span>
            </form>
        </Show>
    }
}
