//! Adding and removing assets (Aave): a new asset is listed with its price
//! and risk parameters, checked by the engine's scenario rules; supply and
//! borrow it with the action form.

use leptos::prelude::*;

use super::model::{add_asset, remove_asset, NewAsset};
use super::Edit;
use crate::components::Term;

#[component]
pub fn AssetEditor(edit: Edit) -> impl IntoView {
    let is_aave = move || edit.working.with(|w| matches!(w.protocol, ballast_core::Protocol::Aave(_)));
    let fields = RwSignal::new(NewAsset {
        decimals: "18".into(),
        ltv_percent: "75".into(),
        threshold_percent: "80".into(),
        bonus_percent: "5".into(),
        ..NewAsset::default()
    });
    let removing = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = move |result: Result<ballast_core::Scenario, String>| match result {
        Ok(next) => {
            edit.commit(next, None);
            error.set(None);
        }
        Err(problem) => error.set(Some(problem)),
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done(edit.working.with_untracked(|w| fields.with_untracked(|f| add_asset(w, f))));
    };
    let field = move |label: &'static str,
                      test_id: &'static str,
                      get: fn(&NewAsset) -> &String,
                      set: fn(&mut NewAsset, String)| {
        view! {
            <input
                type="text"
                aria-label=label
                placeholder=label
                data-testid=test_id
                prop:value=move || fields.with(|f| get(f).clone())
                on:input=move |ev| fields.update(|f| set(f, event_target_value(&ev)))
            />
        }
    };
    // A memo: the option lists are rebuilt only when the assets change, not on every price move.
    let symbols = Memo::new(move |_| edit.working.with(super::model::asset_symbols));
    view! {
        <Show when=is_aave>
            <form class="what-if action-form" data-testid="asset-editor" on:submit=add>
                <h3>"Assets"</h3>
                <div class="action-row">
                    {field("symbol", "new-asset-symbol", |f| &f.symbol, |f, v| f.symbol = v)}
                    {field("decimals", "new-asset-decimals", |f| &f.decimals, |f, v| f.decimals = v)}
                    {field("price in USD", "new-asset-price", |f| &f.price, |f, v| f.price = v)}
                    {field("LTV %", "new-asset-ltv", |f| &f.ltv_percent, |f, v| f.ltv_percent = v)}
                    {field("liquidation threshold %", "new-asset-threshold", |f| &f.threshold_percent, |f, v| f.threshold_percent = v)}
                    {field("liquidation bonus %", "new-asset-bonus", |f| &f.bonus_percent, |f, v| f.bonus_percent = v)}
                    <button type="submit" class="reset" data-testid="add-asset">"Add asset"</button>
                </div>
                <div class="action-row settings">
                    <select aria-label="Asset to remove" data-testid="remove-asset-select" prop:value=move || removing.get() on:change=move |ev| removing.set(event_target_value(&ev))>
                        <option value="">"choose an asset"</option>
                        {move || symbols.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                    </select>
                    <button
                        type="button"
                        class="reset"
                        data-testid="remove-asset"
                        on:click=move |_| {
                            let symbol = removing.get_untracked();
                            if symbol.is_empty() {
                                return error.set(Some("choose the asset to remove".into()));
                            }
                            done(edit.working.with_untracked(|w| remove_asset(w, &symbol)));
                            removing.set(String::new());
                        }
                    >
                        "Remove (with its amounts)"
                    </button>
                </div>
                <p class="muted">
                    <Term id="ltv">"LTV"</Term>", "<Term id="liquidation-threshold">"liquidation threshold"</Term>" and "
                    <Term id="liquidation-bonus">"liquidation bonus"</Term>
                    " in % (the bonus as the liquidator's premium, e.g. 5). Then supply or borrow it above."
                </p>
                <span class="field-error" role="alert" data-testid="asset-error">{move || error.get().unwrap_or_default()}</span>
            </form>
        </Show>
    }
}
