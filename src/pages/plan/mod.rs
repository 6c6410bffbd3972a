//! The Plan page: a demo position valued by the engine, with its health
//! factor, values, liquidation prices and the most it could borrow, and
//! what-if prices that recompute everything as they move. The start of the
//! planner.

pub mod assets;
pub mod by_hand;
pub mod by_hand_panel;
pub mod governance;
pub mod interest;
pub mod keep;
pub mod keep_panel;
pub mod looping;
pub mod model;
pub mod report_view;
pub mod sign;
pub mod sign_panel;

use ballast_core::exact::PlainDecimal;
use ballast_core::scenario::Scenario;
use ballast_core::Snapshot;
use leptos::prelude::*;

use crate::components::{CrashHealthChart, HealthFactorPin, PriceHealthChart, Term};
use crate::url_state::{
    current_url, read_fragment, read_param, remove_param, write_fragment, write_param, POSITION_PARAM, SCENARIO_PARAM,
};
use keep_panel::{KeepPanel, Opened};
use model::{form_action, price_for_slider, price_percent, with_price, EditHistory, PositionPlan};

/// The scenario being edited and its undo history, changed only together.
#[derive(Clone, Copy)]
pub struct Edit {
    working: RwSignal<Scenario>,
    history: RwSignal<EditHistory>,
}

impl Edit {
    /// Replaces the scenario, recording the old one (edits of one `group`,
    /// such as a slider being dragged, undo as one).
    fn commit(self, next: Scenario, group: Option<String>) {
        let before = self.working.get_untracked();
        if before == next {
            return;
        }
        self.history.update(|h| h.record(before, group));
        self.working.set(next);
    }

    fn undo(self) {
        let current = self.working.get_untracked();
        if let Some(before) = self.history.try_update(|h| h.undo(current)).flatten() {
            self.working.set(before);
        }
    }

    fn redo(self) {
        let current = self.working.get_untracked();
        if let Some(after) = self.history.try_update(|h| h.redo(current)).flatten() {
            self.working.set(after);
        }
    }
}

/// Supply, withdraw, borrow or repay through the protocol's own checks; a
/// refusal is shown with the protocol's reason and changes nothing.
#[component]
fn ActionForm(edit: Edit) -> impl IntoView {
    let kind = RwSignal::new("borrow".to_owned());
    let asset =
        RwSignal::new(edit.working.with_untracked(|w| w.assets.first().map(|a| a.symbol.clone())).unwrap_or_default());
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // A memo: the option list is rebuilt only when the assets change, not on every price move.
    let symbols = Memo::new(move |_| edit.working.with(model::asset_symbols));
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let action = match form_action(&kind.get_untracked(), &asset.get_untracked(), &amount.get_untracked()) {
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
        <form class="what-if action-form" data-testid="action-form" on:submit=apply>
            <h3>"What if I…"</h3>
            <div class="action-row">
                <select aria-label="Action" data-testid="action-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    <option value="supply">"supply"</option>
                    <option value="withdraw">"withdraw"</option>
                    <option value="borrow">"borrow"</option>
                    <option value="repay">"repay"</option>
                </select>
                <input
                    type="text"
                    inputmode="decimal"
                    aria-label="Amount (or max to withdraw or repay all)"
                    placeholder="amount or max"
                    data-testid="action-amount"
                    prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev))
                />
                <select aria-label="Asset" data-testid="action-asset" prop:value=move || asset.get() on:change=move |ev| asset.set(event_target_value(&ev))>
                    {move || symbols.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                </select>
                <button type="submit" class="reset" data-testid="action-apply">"Apply"</button>
            </div>
            <PositionSettings edit error />
            <span class="field-error" role="alert" data-testid="action-error">{move || error.get().unwrap_or_default()}</span>
        </form>
    }
}

/// Aave settings the user can change: each collateral on or off, and the
/// efficiency-mode category. Each change goes through the Pool's checks.
#[component]
fn PositionSettings(edit: Edit, error: RwSignal<Option<String>>) -> impl IntoView {
    use ballast_core::aave_v3::actions::Action;
    // True when the Pool accepts the change. A refused one changes nothing, so
    // the control that asked for it is put back by its handler.
    let apply = move |action: Action| -> bool {
        match edit.working.with_untracked(|w| ballast_core::apply_actions(w, &[action])) {
            Ok(next) => {
                edit.commit(next, None);
                error.set(None);
                true
            }
            Err(refusal) => {
                error.set(Some(refusal.to_string()));
                false
            }
        }
    };
    let is_aave = move || edit.working.with(|w| w.protocol == ballast_core::Protocol::AAVE_V3);
    // Memos: the checkboxes and options are rebuilt only when they change.
    let collateral = Memo::new(move |_| {
        edit.working.with(|w| {
            w.collateral.iter().map(|h| (h.asset.clone(), h.use_as_collateral != Some(false))).collect::<Vec<_>>()
        })
    });
    let percent = |bps: u32| format!("{}.{:02} %", bps / 100, bps % 100);
    let categories = Memo::new(move |_| {
        edit.working.with(|w| {
            w.emode_categories
                .iter()
                .map(|c| {
                    let label = format!(
                        "category {} · LTV {} · threshold {}",
                        c.id,
                        percent(c.ltv_bps),
                        percent(c.liquidation_threshold_bps)
                    );
                    (c.id, label)
                })
                .collect::<Vec<_>>()
        })
    });
    let current = move || edit.working.with(|w| w.emode.as_ref().map_or(0, |e| e.id).to_string());
    view! {
        <Show when=is_aave>
            <div class="action-row settings">
                <Term id="e-mode">"E-mode"</Term>
                <label>
                    <select
                        aria-label="E-mode category"
                        data-testid="emode-select"
                        prop:value=current
                        on:change=move |ev| {
                            let Ok(id) = event_target_value(&ev).parse::<u32>() else { return };
                            if !apply(Action::SetEmode { id }) {
                                event_target::<web_sys::HtmlSelectElement>(&ev).set_value(&current());
                            }
                        }
                    >
                        <option value="0">"off"</option>
                        {move || {
                            categories
                                .get()
                                .into_iter()
                                .map(|(id, label)| view! { <option value=id.to_string()>{label}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
                <span class="muted"><Term id="collateral">"As collateral:"</Term></span>
                {move || {
                    collateral
                        .get()
                        .into_iter()
                        .map(|(asset, on)| {
                            let symbol = asset.clone();
                            let data_asset = asset.clone();
                            view! {
                                <label class="collateral-toggle" data-asset=data_asset>
                                    <input
                                        type="checkbox"
                                        data-testid="collateral-toggle"
                                        prop:checked=on
                                        on:change=move |ev| {
                                            let enabled = event_target_checked(&ev);
                                            if !apply(Action::SetCollateral { asset: symbol.clone(), enabled }) {
                                                event_target::<web_sys::HtmlInputElement>(&ev).set_checked(!enabled);
                                            }
                                        }
                                    />
                                    {asset}
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </Show>
    }
}

/// Groups mounted one per frame after the first paint: the report's tables,
/// then the panels below the report (see `Planner`).
const BELOW_REPORT_GROUPS: u8 = 6;

/// Counts `mounted` up to `groups`, one per animation frame from the next one.
/// Started from a frame callback, the first count comes a frame after the
/// first paint: a timeout queued there could run before the tasks that follow
/// the paint. Stops when the page is gone.
fn mount_in_frames(mounted: RwSignal<u8>, groups: u8) {
    request_animation_frame(move || {
        let Some(now) = mounted.try_update(|m| {
            *m += 1;
            *m
        }) else {
            return;
        };
        if now < groups {
            mount_in_frames(mounted, groups);
        }
    });
}

#[component]
pub fn PlanPage(snapshot: Snapshot) -> impl IntoView {
    let positions: Vec<(String, String)> =
        snapshot.positions.iter().map(|p| (p.id().to_owned(), p.label().to_owned())).collect();
    let snapshot = StoredValue::new(snapshot);
    let selected = RwSignal::new(read_param(POSITION_PARAM));
    // A shared link (in the fragment; older links put it in the query) wins
    // until another position is picked.
    let link = model::shared_link(&read_fragment(), read_param(SCENARIO_PARAM));
    let hand_off = link.as_deref().map(sign::live_hand_off);
    let handed_off = hand_off == Some(sign::LiveHandOff::Confirmed);
    let mut live_unproven = None;
    let (from_link, link_problem) = match link.map(|l| ballast_core::share::decode(&l)) {
        // Opened from this tab's Positions page's live read: its edits can be signed.
        Some(Ok(scenario)) => match read_param(sign::LIVE_PARAM) {
            Some(chain) if handed_off => {
                (Some(Opened { id: "live", label: format!("Live position on {chain}"), scenario }), None)
            }
            unproven => {
                live_unproven = unproven.map(|chain| (chain, hand_off == Some(sign::LiveHandOff::NoSessionStorage)));
                (Some(Opened { id: "shared", label: "Shared scenario".into(), scenario }), None)
            }
        },
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (None, None),
    };
    let live_unproven = RwSignal::new(live_unproven);
    let opened = RwSignal::new(from_link);
    let link_problem = RwSignal::new(link_problem);
    let plan = Signal::derive(move || match opened.get() {
        Some(o) => {
            let source = match o.id {
                "saved" => "saved scenario",
                "imported" => "imported file",
                "blank" | "typed" => "typed in",
                "earlier" => "your earlier plan",
                "live" => "live position",
                _ => "shared link",
            };
            Some(PositionPlan::opened(o.scenario, o.id, &o.label, source))
        }
        None => snapshot.with_value(|s| PositionPlan::from_snapshot(s, selected.get().as_deref())),
    });
    let link_error = move || {
        link_problem.get().map(|e| format!("The shared link could not be read ({e}); showing a demo position instead."))
    };
    let current_id = move || plan.with(|p| p.as_ref().map(|p| p.id.clone()).unwrap_or_default());
    // The plan on screen and its scenario as edited, so opening another one
    // keeps it a click away ("Back to …") instead of losing the edits.
    let showing = StoredValue::new(None::<(String, RwSignal<Scenario>)>);
    let previous = RwSignal::new(None::<Opened>);
    // Opening a saved or imported scenario: the address no longer holds what is shown.
    let remember_current = move || {
        let earlier = showing.get_value().and_then(|(label, working)| {
            let scenario = working.try_get_untracked()?;
            let label = label.strip_suffix(" (as you left it)").unwrap_or(&label).to_owned();
            Some(Opened { id: "earlier", label: format!("{label} (as you left it)"), scenario })
        });
        previous.set(earlier);
    };
    let open = Callback::new(move |o: Opened| {
        remember_current();
        remove_param(SCENARIO_PARAM);
        remove_param(sign::LIVE_PARAM);
        write_fragment(None);
        link_problem.set(None);
        live_unproven.set(None);
        opened.set(Some(o));
    });
    // The first frame shows the what-if controls and the report's figures;
    // what lies below them (the report's tables, charts, forms, the year's
    // interest outlook) is built after it is painted, one group per frame, so
    // no one task after the first paint builds it all (a click or key waits
    // for the task running when it comes).
    let below_report = RwSignal::new(0u8);
    request_animation_frame(move || mount_in_frames(below_report, BELOW_REPORT_GROUPS));
    let below_report = Signal::from(below_report);
    let forms = by_hand_panel::ByHandForms::default();
    // Another protocol for the plan on screen: its by-hand form, filled from
    // the plan, for the user to complete; nothing changes until it is opened.
    let switch = Callback::new(move |(protocol, scenario): (String, Scenario)| match protocol.as_str() {
        "maker" | "liquity-v1" => {
            let (vault, trove) = by_hand::fields_from(&scenario);
            forms.vault.set(vault);
            forms.trove.set(trove);
            forms.shown.set(true);
        }
        _ => {
            open.run(Opened { id: "blank", label: "Blank Aave V3 scenario".into(), scenario: model::blank_scenario() })
        }
    });

    view! {
        <section class="plan">
            <div class="plan-toolbar">
                <label for="position-picker">"Demo position"</label>
                <select
                    id="position-picker"
                    data-testid="position-picker"
                    prop:value=current_id
                    on:change=move |ev| {
                        let id = event_target_value(&ev);
                        if id == "blank" {
                            open.run(Opened { id: "blank", label: "Blank Aave V3 scenario".into(), scenario: model::blank_scenario() });
                            return;
                        }
                        remember_current();
                        write_param(POSITION_PARAM, &id);
                        remove_param(SCENARIO_PARAM);
                        remove_param(sign::LIVE_PARAM);
                        write_fragment(None);
                        opened.set(None);
                        selected.set(Some(id));
                    }
                >
                    {positions
                        .into_iter()
                        .map(|(id, label)| view! { <option value=id.clone()>{label}</option> })
                        .collect_view()}
                    {move || opened.get().filter(|o| o.id != "blank").map(|o| view! { <option value=o.id>{o.label}</option> })}
                    <option value="blank">"Blank Aave V3 scenario"</option>
                </select>
            </div>
            {move || previous.get().map(|earlier| {
                let label = format!("Back to {}", earlier.label);
                view! {
                    <p class="plan-toolbar">
                        <button class="reset" data-testid="back-to-previous" on:click=move |_| open.run(earlier.clone())>{label}</button>
                    </p>
                }
            })}
            <by_hand_panel::ByHandPanel open forms />
            <p class="error" role="alert" data-testid="link-error" hidden=move || link_error().is_none()>
                {link_error}
            </p>
            <p class="notice" data-testid="live-unproven" hidden=move || live_unproven.with(Option::is_none)>
                {move || live_unproven.get().map(|(chain, no_storage)| if no_storage {
                    format!(
                        "This link says it holds a position read live on {chain}, but this browser gives the page no \
                         session storage, so Ballast cannot tell that this tab read it: its figures are shown as a \
                         shared scenario and cannot be signed from here. Allow site storage to plan changes you can sign."
                    )
                } else {
                    format!(
                        "This link says it holds a position read live on {chain}, but this tab's Positions page did \
                         not read it: its figures are shown as a shared scenario, not as your position, and cannot be \
                         signed from here. Watch the address on the Positions page to plan changes you can sign."
                    )
                })}
            </p>
            {move || match plan.get() {
                Some(plan) => view! { <Planner plan open showing switch below_report /> }.into_any(),
                None => view! { <p class="empty">"The snapshot holds no positions."</p> }.into_any(),
            }}
        </section>
    }
}

/// One position with what-if prices: the controls stay mounted while the
/// report below them recomputes through the engine on every change.
#[component]
fn Planner(
    plan: PositionPlan,
    open: Callback<Opened>,
    showing: StoredValue<Option<(String, RwSignal<Scenario>)>>,
    switch: Callback<(String, Scenario)>,
    /// How many groups below the figures are mounted (the report's tables,
    /// then the panels below the report; 0 until the first frame is painted).
    below_report: Signal<u8>,
) -> impl IntoView {
    let title = plan.title();
    let label = plan.label.clone();
    let id = plan.id.clone();
    let working = RwSignal::new(plan.scenario.clone());
    showing.set_value(Some((label.clone(), working)));
    let family = match plan.protocol {
        ballast_core::Protocol::Aave(_) => "aave-v3",
        ballast_core::Protocol::Maker => "maker",
        ballast_core::Protocol::LiquityV1 => "liquity-v1",
    };
    let symbols = plan.priced_assets();
    let plan = StoredValue::new(plan);
    let report = Memo::new(move |_| working.with(ballast_core::evaluate));
    // The engine's refusal, if any: the report view is rebuilt only when this changes.
    let refusal = Memo::new(move |_| report.with(|r| r.as_ref().err().map(ToString::to_string)));
    // The report when the engine accepts the position: one copy per change, for the pinned line and the report view.
    let accepted = Memo::new(move |_| report.with(|r| r.as_ref().ok().cloned()));
    let changed = move || plan.with_value(|p| working.with(|w| *w != p.scenario));
    let share_link = RwSignal::new(None::<Result<String, String>>);
    let history = RwSignal::new(EditHistory::default());
    let edit = Edit { working, history };

    view! {
        // Busy until the last group below the figures is mounted (assistive
        // technology waits for it; so do the browser tests).
        <article
            class="position"
            data-testid="position"
            data-position=id
            aria-busy=move || (below_report.get() < BELOW_REPORT_GROUPS).to_string()
        >
            <h2>{title}</h2>
            <div class="plan-toolbar">
                <label for="protocol-choice">"Protocol"</label>
                <select
                    id="protocol-choice"
                    data-testid="protocol-choice"
                    prop:value=family
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        // The plan changes only once the chosen protocol's form is opened.
                        event_target::<web_sys::HtmlSelectElement>(&ev).set_value(family);
                        if chosen != family {
                            switch.run((chosen, working.get_untracked()));
                        }
                    }
                >
                    <option value="aave-v3">"Aave V3"</option>
                    <option value="maker">"Maker vault"</option>
                    <option value="liquity-v1">"Liquity v1 trove"</option>
                </select>
                <span class="muted">"Another protocol opens its form above, filled from this plan; this plan stays one click away."</span>
            </div>
            <section class="what-if" aria-label="What-if prices">
                <HealthFactorPin report=accepted />
                <div class="what-if-header">
                    <h3>"What if prices move?"</h3>
                    <button
                        class="reset"
                        data-testid="share"
                        on:click=move |_| {
                            match working.with_untracked(ballast_core::share::link) {
                                Ok(link) => {
                                    remove_param(SCENARIO_PARAM);
                                    // A shared plan is not the recipient's live position.
                                    remove_param(sign::LIVE_PARAM);
                                    write_fragment(Some(&format!("{}={link}", ballast_core::share::LINK_PARAM)));
                                    share_link.set(current_url().map(Ok));
                                }
                                Err(e) => share_link.set(Some(Err(format!("This plan cannot be shared as a link: {e}")))),
                            }
                        }
                    >
                        "Share this plan"
                    </button>
                    <button
                        class="reset"
                        data-testid="reset-what-if"
                        disabled=move || !changed()
                        on:click=move |_| edit.commit(plan.with_value(|p| p.scenario.clone()), None)
                    >
                        "Back to saved prices"
                    </button>
                    <button
                        class="reset"
                        data-testid="undo"
                        disabled=move || !history.with(EditHistory::can_undo)
                        on:click=move |_| edit.undo()
                    >
                        "Undo"
                    </button>
                    <button
                        class="reset"
                        data-testid="redo"
                        disabled=move || !history.with(EditHistory::can_redo)
                        on:click=move |_| edit.redo()
                    >
                        "Redo"
                    </button>
                </div>
                {move || match share_link.get() {
                    Some(Ok(link)) => view! {
                        <label class="share-link">
                            "Link to this plan (the address bar has it too; the part after # never reaches a server): "
                            <input readonly data-testid="share-link" prop:value=link />
                        </label>
                    }
                    .into_any(),
                    Some(Err(problem)) => view! { <p class="field-error" role="alert" data-testid="share-error">{problem}</p> }.into_any(),
                    None => ().into_any(),
                }}
                {symbols
                    .into_iter()
                    .map(|symbol| view! { <PriceControl plan edit symbol /> })
                    .collect_view()}
            </section>
            <ActionForm edit />
            {(plan.with_value(|p| p.id == "live")).then(|| view! { <sign_panel::SignChanges plan working /> })}
            // Also on edits that leave the report as it was (an asset listed, not held): the table shows it.
            // Mounted once and updated in place; rebuilt only between a report and a refusal.
            {move || match refusal.get() {
                None => {
                    let tables = Signal::derive(move || below_report.get() >= 1);
                    view! { <report_view::ReportView plan working report=accepted tables /> }.into_any()
                }
                Some(error) => view! {
                    <p class="error" role="alert" data-testid="engine-error">
                        {format!("The engine refused this position: {error}")}
                    </p>
                }
                .into_any(),
            }}
            // Below the report, so mounting them after the first frame moves nothing already painted:
            // the charts of the report (ECharts itself arrives later still), then the editors and panels.
            <Show when=move || { below_report.get() >= 2 }>
                <div class="charts">
                    <PriceHealthChart scenario=working />
                    <CrashHealthChart scenario=working />
                    <crate::components::charts::CompositionChart scenario=working />
                </div>
            </Show>
            <Show when=move || { below_report.get() >= 3 }>
                <assets::AssetEditor edit />
                <governance::GovernanceForm edit />
            </Show>
            // One panel per frame: the interest outlook (a year of daily steps) is a task of its own.
            <Show when=move || { below_report.get() >= 4 }>
                <interest::InterestPanel plan edit />
            </Show>
            <Show when=move || { below_report.get() >= 5 }>
                <looping::LoopPlanner working />
            </Show>
            <Show when=move || { below_report.get() >= 6 }>
                <KeepPanel working label=label.clone() open />
            </Show>
        </article>
    }
}

/// A slider (−95 % … +300 % of the saved price) and an exact typed price for
/// one asset. A slider's price is rounded toward danger by the engine.
#[component]
fn PriceControl(plan: StoredValue<PositionPlan>, edit: Edit, symbol: String) -> impl IntoView {
    let working = edit.working;
    let sym = StoredValue::new(symbol.clone());
    // This asset's price alone: another asset's move leaves this control untouched.
    let price = Memo::new(move |_| working.with(|w| sym.with_value(|s| w.asset(s).and_then(|(_, a)| a.price.clone()))));
    let percent = Memo::new(move |_| {
        price.with(|now| plan.with_value(|p| sym.with_value(|s| price_percent(p, s, now.as_ref()))))
    });
    let price_text = Memo::new(move |_| price.with(|p| p.as_ref().map(ToString::to_string)).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let set_price = move |price: PlainDecimal| {
        let next = working.with_untracked(|w| sym.with_value(|s| with_price(w, s, price)));
        match next {
            Ok(next) => {
                edit.commit(next, Some(sym.get_value()));
                error.set(None);
            }
            Err(problem) => error.set(Some(problem)),
        }
    };
    let slider_label = format!("{symbol} price move");
    let input_label = format!("{symbol} price in USD");
    view! {
        <div class="price-control" data-testid="price-control" data-asset=symbol.clone()>
            <span class="price-symbol">{symbol.clone()}</span>
            <input
                type="range"
                min="-95"
                max="300"
                step="1"
                aria-label=slider_label
                data-testid="price-slider"
                prop:value=move || percent.get().to_string()
                on:input=move |ev| {
                    let Ok(pct) = event_target_value(&ev).parse::<i32>() else { return };
                    let price = working.with_untracked(|w| plan.with_value(|p| sym.with_value(|s| price_for_slider(p, w, s, pct))));
                    if let Some(price) = price {
                        set_price(price);
                    }
                }
            />
            <span class="price-move" data-value=move || percent.get().to_string()>{move || format!("{:+} %", percent.get())}</span>
            <input
                type="text"
                inputmode="decimal"
                aria-label=input_label
                data-testid="price-input"
                prop:value=move || price_text.get()
                data-value=move || price_text.get()
                on:change=move |ev| match PlainDecimal::parse(event_target_value(&ev).trim()) {
                    Ok(price) if !price.is_zero() => set_price(price),
                    Ok(_) => error.set(Some("a price must be more than 0".to_owned())),
                    Err(e) => error.set(Some(format!("the price {e}"))),
                }
            />
            <span class="field-error" role="alert" data-testid="price-error">
                {move || error.get().unwrap_or_default()}
            </span>
        </div>
    }
}
