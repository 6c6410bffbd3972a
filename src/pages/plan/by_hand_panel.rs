//! The forms for a Maker vault or a Liquity v1 trove typed in by hand; the
//! scenario is built and checked in `by_hand`, and opens in the planner.

use leptos::prelude::*;

use super::by_hand::{liquity_trove, maker_vault, LiquityTroveFields, MakerVaultFields};
use super::keep_panel::Opened;
use crate::components::Term;

/// The forms' fields and whether they are shown live with the page, so a
/// protocol switch can fill and open them.
#[derive(Clone, Copy)]
pub struct ByHandForms {
    pub vault: RwSignal<MakerVaultFields>,
    pub trove: RwSignal<LiquityTroveFields>,
    pub shown: RwSignal<bool>,
}

impl Default for ByHandForms {
    fn default() -> Self {
        Self {
            vault: RwSignal::new(MakerVaultFields::default()),
            trove: RwSignal::new(LiquityTroveFields::default()),
            shown: RwSignal::new(false),
        }
    }
}

#[component]
pub fn ByHandPanel(open: Callback<Opened>, forms: ByHandForms) -> impl IntoView {
    let ByHandForms { vault, trove, shown } = forms;
    let vault_error = RwSignal::new(None::<String>);
    let trove_error = RwSignal::new(None::<String>);
    let open_vault = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match vault.with_untracked(maker_vault) {
            Ok(scenario) => {
                vault_error.set(None);
                let label = format!("Maker vault {} typed in", vault.with_untracked(|f| f.ilk.trim().to_owned()));
                open.run(Opened { id: "typed", label, scenario });
            }
            Err(problem) => vault_error.set(Some(problem)),
        }
    };
    let open_trove = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match trove.with_untracked(liquity_trove) {
            Ok(scenario) => {
                trove_error.set(None);
                open.run(Opened { id: "typed", label: "Liquity trove typed in".into(), scenario });
            }
            Err(problem) => trove_error.set(Some(problem)),
        }
    };
    let vault_field = move |label: &'static str,
                            test_id: &'static str,
                            get: fn(&MakerVaultFields) -> &String,
                            set: fn(&mut MakerVaultFields, String)| {
        view! {
            <input
                type="text"
                aria-label=label
                placeholder=label
                data-testid=test_id
                prop:value=move || vault.with(|f| get(f).clone())
                on:input=move |ev| vault.update(|f| set(f, event_target_value(&ev)))
            />
        }
    };
    let trove_field = move |label: &'static str,
                            test_id: &'static str,
                            get: fn(&LiquityTroveFields) -> &String,
                            set: fn(&mut LiquityTroveFields, String)| {
        view! {
            <input
                type="text"
                aria-label=label
                placeholder=label
                data-testid=test_id
                prop:value=move || trove.with(|f| get(f).clone())
                on:input=move |ev| trove.update(|f| set(f, event_target_value(&ev)))
            />
        }
    };
    view! {
        <details
            class="by-hand"
            data-testid="by-hand"
            prop:open=move || shown.get()
            on:toggle=move |ev| shown.set(event_target::<web_sys::Element>(&ev).has_attribute("open"))
        >
            <summary>"Enter a Maker vault or a Liquity trove by hand"</summary>
            <form class="what-if action-form" data-testid="maker-form" on:submit=open_vault>
                <h3>"Maker vault"</h3>
                <div class="action-row">
                    {vault_field("ilk", "maker-ilk", |f| &f.ilk, |f, v| f.ilk = v)}
                    {vault_field("collateral amount", "maker-collateral", |f| &f.collateral, |f, v| f.collateral = v)}
                    {vault_field("collateral price in USD", "maker-price", |f| &f.price, |f, v| f.price = v)}
                    {vault_field("liquidation ratio (mat)", "maker-mat", |f| &f.liquidation_ratio, |f, v| f.liquidation_ratio = v)}
                    {vault_field("debt (DAI)", "maker-debt", |f| &f.debt, |f, v| f.debt = v)}
                </div>
                <div class="action-row settings">
                    {vault_field("par (optional, default 1)", "maker-par", |f| &f.par, |f, v| f.par = v)}
                    {vault_field("dust in DAI (optional)", "maker-dust", |f| &f.dust, |f, v| f.dust = v)}
                    {vault_field("chop (optional, e.g. 1.13)", "maker-chop", |f| &f.chop, |f, v| f.chop = v)}
                    <button type="submit" class="reset" data-testid="open-maker">"Plan this vault"</button>
                </div>
                <p class="muted">
                    "The liquidation ratio is the lowest "<Term id="collateral-ratio">"collateral ratio"</Term>
                    " the vault may have, as a factor (1.45 for 145 %); chop likewise (1.13 for a 13 % penalty)."
                </p>
                <span class="field-error" role="alert" data-testid="maker-error">
                    {move || vault_error.get().unwrap_or_default()}
                </span>
            </form>
            <form class="what-if action-form" data-testid="liquity-form" on:submit=open_trove>
                <h3>"Liquity v1 trove"</h3>
                <div class="action-row">
                    {trove_field("collateral (ETH)", "liquity-collateral", |f| &f.collateral, |f, v| f.collateral = v)}
                    {trove_field("ETH price in USD", "liquity-price", |f| &f.price, |f, v| f.price = v)}
                    {trove_field("debt (LUSD)", "liquity-debt", |f| &f.debt, |f, v| f.debt = v)}
                </div>
                <div class="action-row settings">
                    {trove_field("system total collateral (ETH, optional)", "liquity-total-collateral", |f| &f.total_collateral, |f, v| f.total_collateral = v)}
                    {trove_field("system total debt (LUSD, optional)", "liquity-total-debt", |f| &f.total_debt, |f, v| f.total_debt = v)}
                    <button type="submit" class="reset" data-testid="open-liquity">"Plan this trove"</button>
                </div>
                <p class="muted">
                    "The debt includes the 200 LUSD gas compensation. With the system totals the planner knows whether the system is in "
                    <Term id="recovery-mode">"recovery mode"</Term>"."
                </p>
                <span class="field-error" role="alert" data-testid="liquity-error">
                    {move || trove_error.get().unwrap_or_default()}
                </span>
            </form>
        </details>
    }
}
