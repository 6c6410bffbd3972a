//! The Risk page: how likely a demo position is to be liquidated over a
//! horizon, what it could lose, what its collateral fetches when sold, and
//! how good that collateral is. The simulation runs in a Web Worker with its
//! own wasm (`risk_worker`), started only when the user starts a run; the
//! page shows its progress, can cancel it, and shows the engine's report.

pub mod live_history;
pub mod model;
pub mod worker;

use std::time::Duration;

use ballast_core::risk::history::default_volatility;
use ballast_core::risk::run::{demo_market, DemoMarket, MarketInputs, RiskReport};
use ballast_core::{Scenario, Snapshot};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::charts::{after_next_paint, load_echarts, HorizonChart, MinHealthHistogram};
use crate::components::Figure;
use crate::risk_worker::WorkerMessage;
use live_history::{load_live_market, HistoryState};
use model::{health_factor, probability_shown, trim_number, usd, RiskForm, HORIZONS};
use worker::RiskWorker;

/// Where a run is.
#[derive(Debug, Clone, PartialEq)]
enum RunState {
    Idle,
    Running { done: u32, total: u32 },
    Cancelled,
    Failed(String),
    Done { report: Box<RiskReport>, elapsed_ms: f64 },
}

/// The position shown: its scenario and the market inputs for it.
#[derive(Debug, Clone, PartialEq)]
struct Subject {
    scenario: Scenario,
    market: MarketInputs,
}

fn subject(snapshot: &Snapshot, demo: &DemoMarket, id: &str) -> Result<Subject, String> {
    let scenario = snapshot.scenario(id).map_err(|e| e.to_string())?;
    let market = demo.inputs.for_position(&scenario).map_err(|e| e.to_string())?;
    Ok(Subject { scenario, market })
}

#[component]
pub fn RiskPage(snapshot: Snapshot) -> impl IntoView {
    let demo = match demo_market(&snapshot) {
        Ok(demo) => demo,
        Err(e) => {
            return view! { <p class="error" role="alert">{format!("The demo market could not be built: {e}")}</p> }
                .into_any()
        }
    };
    // ECharts is big: fetch it while the user reads the inputs, not during a run.
    after_next_paint(|| spawn_local(async { _ = load_echarts().await }));
    let positions: Vec<(String, String)> =
        snapshot.positions.iter().map(|p| (p.id().to_owned(), p.label().to_owned())).collect();
    let first = positions.first().map(|(id, _)| id.clone()).unwrap_or_default();
    let position = RwSignal::new(first);
    let snapshot = StoredValue::new(snapshot);
    let (chain_settings, _) = crate::chain::settings::load();
    let history = RwSignal::new(HistoryState::Synthetic);
    let no_key = RwSignal::new(chain_settings.live_data && !chain_settings.pyth_api_key.is_set());
    let synthetic = StoredValue::new(demo.clone());
    let demo = RwSignal::new(demo);
    // One attempt on arrival; again only when the user asks (e.g. after saving a
    // Pyth API key), with the settings as saved then.
    let load_history = move || {
        let (chain_settings, _) = crate::chain::settings::load();
        no_key.set(chain_settings.live_data && !chain_settings.pyth_api_key.is_set());
        if !chain_settings.live_data {
            demo.set(synthetic.get_value());
            return history.set(HistoryState::Synthetic);
        }
        history.set(HistoryState::Loading { host: crate::chain::http::host_of(&chain_settings.benchmarks_url) });
        spawn_local(async move {
            let now_secs = (js_sys::Date::now() / 1000.0) as i64;
            let Some(synthetic) = synthetic.try_get_value() else { return };
            match load_live_market(&chain_settings, &synthetic, now_secs).await {
                Ok((market, description)) => {
                    _ = demo.try_set(market);
                    _ = history.try_set(HistoryState::Live { description });
                }
                Err(reason) => _ = history.try_set(HistoryState::Fallback { reason }),
            }
        });
    };
    load_history();
    let subject = Memo::new(move |_| position.with(|id| snapshot.with_value(|s| demo.with(|d| subject(s, d, id)))));
    let form = RwSignal::new(None::<RiskForm>);
    Effect::new(move |_| subject.with(|s| form.set(s.as_ref().ok().map(|s| RiskForm::new(&s.market)))));
    let state = RwSignal::new(RunState::Idle);
    let problems = RwSignal::new(Vec::<String>::new());
    let request_json = RwSignal::new(None::<String>);
    let worker = StoredValue::new_local(None::<RiskWorker>);
    // Which run the page is waiting for; a cancelled run's late messages are ignored.
    let run_id = RwSignal::new(0u32);

    let start = move |_| {
        let Ok(subject) = subject.get_untracked() else { return };
        let Some(f) = form.get_untracked() else { return };
        let request = match f.request(&subject.scenario, &subject.market) {
            Ok(r) => r,
            Err(p) => return problems.set(p),
        };
        problems.set(Vec::new());
        worker.set_value(None);
        let run = run_id.get_untracked() + 1;
        run_id.set(run);
        state.set(RunState::Running { done: 0, total: request.options.paths });
        // The worker starts in a task of its own, so the click's task stays short.
        set_timeout(
            move || {
                if run_id.get_untracked() != run {
                    return; // cancelled or restarted meanwhile
                }
                let json = match serde_json::to_string(&request) {
                    Ok(json) => json,
                    Err(e) => return state.set(RunState::Failed(e.to_string())),
                };
                request_json.set(Some(json.clone()));
                let on_message = move |m: WorkerMessage| {
                    if run_id.get_untracked() != run {
                        return;
                    }
                    let finished = !matches!(m, WorkerMessage::Progress(_) | WorkerMessage::Ready);
                    match m {
                        WorkerMessage::Ready => {}
                        WorkerMessage::Progress(p) => state.set(RunState::Running { done: p.done, total: p.total }),
                        WorkerMessage::Done { report, elapsed_ms } => state.set(RunState::Done { report, elapsed_ms }),
                        WorkerMessage::Failed { message } => state.set(RunState::Failed(message)),
                    }
                    if finished {
                        // Not from inside the worker's own handler: let it return first.
                        set_timeout(move || worker.set_value(None), Duration::ZERO);
                    }
                };
                match RiskWorker::start(json, on_message) {
                    Ok(w) => worker.set_value(Some(w)),
                    Err(e) => state.set(RunState::Failed(e)),
                }
            },
            Duration::ZERO,
        );
    };
    let cancel = move |_| {
        run_id.update(|r| *r += 1);
        worker.set_value(None);
        state.set(RunState::Cancelled);
    };
    on_cleanup(move || worker.set_value(None));
    let running = move || matches!(state.get(), RunState::Running { .. });

    view! {
        <section class="risk" data-testid="risk-page">
            <h2>"Risk"</h2>
            <p class="muted">
                "How likely this position is to be liquidated over a horizon, simulated over correlated price paths "
                "(geometric Brownian motion, daily steps, interest accrued). The volatilities and correlations below are "
                "the demo's documented assumptions, or with live data on estimates from Pyth's daily prices; change any "
                "of them. Same inputs and seed, same figures, in the "
                "browser and on the command line ("<code>"ballast risk"</code>")."
            </p>
            <label>
                "Position "
                <select
                    data-testid="risk-position"
                    prop:value=move || position.get()
                    on:change=move |ev| {
                        run_id.update(|r| *r += 1);
                        worker.set_value(None);
                        state.set(RunState::Idle);
                        position.set(event_target_value(&ev));
                    }
                >
                    {positions
                        .iter()
                        .map(|(id, label)| view! { <option value=id.clone()>{label.clone()}</option> })
                        .collect_view()}
                </select>
            </label>
            {move || no_key.get().then(|| view! {
                <p class="notice" role="status" data-testid="risk-history-key">
                    {format!("No Pyth API key is set. {}.", ballast_chain::pyth_access::KEY_NEEDED)}
                </p>
            })}
            <HistoryNotice history retry=load_history />
            {move || match subject.get() {
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Ok(s) => view! { <Inputs market=s.market demo form /> }.into_any(),
            }}
            <RunOptionsForm form />
            <div class="risk-run">
                <button
                    type="button"
                    data-testid="risk-start"
                    disabled=move || running() || history.with(HistoryState::is_loading)
                    on:click=start
                >
                    "Run simulation"
                </button>
                <button type="button" class="reset" data-testid="risk-cancel" disabled=move || !running() on:click=cancel>
                    "Cancel"
                </button>
                <RunStatus state />
            </div>
            <ul class="field-error" role="alert" data-testid="risk-problems">
                {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
            {move || match state.get() {
                RunState::Done { report, .. } => view! { <Results report=*report /> }.into_any(),
                _ => ().into_any(),
            }}
            <details class="risk-request">
                <summary>"This run's request as JSON (for " <code>"ballast risk -"</code> ")"</summary>
                <pre data-testid="risk-request">{move || request_json.get().unwrap_or_default()}</pre>
            </details>
        </section>
    }
    .into_any()
}

/// Where the market history comes from, when live data is on.
#[component]
fn HistoryNotice(history: RwSignal<HistoryState>, retry: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    move || match history.get() {
        HistoryState::Synthetic => ().into_any(),
        HistoryState::Loading { host } => view! {
            <p class="muted" role="status" data-testid="risk-history-loading">
                {format!("Reading a year of daily prices from {host}…")}
            </p>
        }
        .into_any(),
        HistoryState::Live { description } => view! {
            <p class="notice" data-testid="risk-history-source">{format!("Price history: {description}.")}</p>
        }
        .into_any(),
        HistoryState::Fallback { reason } => view! {
            <p class="notice error" role="alert" data-testid="risk-history-fault">
                {format!(
                    "Live price history could not be used ({reason}); the figures below use the synthetic demo series \
                     and the demo's assumptions instead."
                )}
                " "
                <button type="button" data-testid="risk-history-retry" on:click=move |_| retry()>"Try again"</button>
            </p>
        }
        .into_any(),
    }
}

/// The progress bar and what the run is doing.
#[component]
fn RunStatus(state: RwSignal<RunState>) -> impl IntoView {
    let status = move || match state.get() {
        RunState::Idle => "Not run yet.".to_owned(),
        RunState::Running { done, total } => format!("Simulating… {done} of {total} paths"),
        RunState::Cancelled => "Cancelled.".to_owned(),
        RunState::Failed(e) => format!("The run failed: {e}"),
        RunState::Done { report, elapsed_ms } => format!(
            "Done: {} paths × {} days in {:.0} ms (in the worker).",
            report.options.paths, report.options.horizon_days, elapsed_ms
        ),
    };
    let progress = move || match state.get() {
        RunState::Running { done, total } => Some((done, total)),
        _ => None,
    };
    view! {
        <progress
            data-testid="risk-progress"
            hidden=move || progress().is_none()
            max=move || progress().map_or(1, |(_, t)| t)
            value=move || progress().map_or(0, |(d, _)| d)
            data-done=move || progress().map(|(d, _)| d.to_string())
        ></progress>
        <span data-testid="risk-status" role="status">{status}</span>
    }
}

/// Each asset's volatility (defaults, estimates from the history, synthetic
/// or Pyth's, the value used) and the correlation matrix, editable.
#[component]
fn Inputs(market: MarketInputs, demo: RwSignal<DemoMarket>, form: RwSignal<Option<RiskForm>>) -> impl IntoView {
    let synthetic = demo.with_untracked(|d| d.histories.iter().any(|h| h.synthetic));
    let estimated_from = if synthetic { "synthetic" } else { "Pyth" };
    let symbols: Vec<String> = market.assets.iter().map(|a| a.symbol.clone()).collect();
    let rows = market
        .assets
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let estimate =
                demo.with_untracked(|d| d.estimate.volatilities.iter().find(|v| v.symbol == a.symbol).cloned());
            let basis = default_volatility(&a.symbol).map_or("no default: enter one", |d| d.basis);
            let symbol = a.symbol.clone();
            view! {
                <tr data-asset=symbol.clone()>
                    <th scope="row">{symbol.clone()}</th>
                    <td class="num">
                        <input
                            type="text"
                            inputmode="decimal"
                            class="num-input"
                            aria-label=format!("Volatility of {symbol}, % a year")
                            data-testid="risk-volatility"
                            prop:value=move || form.with(|f| f.as_ref().and_then(|f| f.volatility_percent.get(i).cloned()))
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                form.update(|f| {
                                    if let Some(v) = f.as_mut().and_then(|f| f.volatility_percent.get_mut(i)) {
                                        *v = text;
                                    }
                                });
                            }
                        />
                        " %"
                    </td>
                    // The assumption itself: with live data on, `a.volatility` holds the estimate.
                    <td class="num" data-testid="risk-default-volatility">{default_volatility(&a.symbol).map_or_else(|| "none".to_owned(), |d| format!("{} %", trim_number(d.volatility * 100.0)))}</td>
                    <td class="num">
                        "$"
                        <input
                            type="text"
                            inputmode="decimal"
                            class="num-input depth-input"
                            aria-label=format!("USD of sales that move the price of {symbol} 2 %")
                            data-testid="risk-depth"
                            prop:value=move || form.with(|f| f.as_ref().and_then(|f| f.two_percent_depth.get(i).cloned()))
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                form.update(|f| {
                                    if let Some(v) = f.as_mut().and_then(|f| f.two_percent_depth.get_mut(i)) {
                                        *v = text;
                                    }
                                });
                            }
                        />
                    </td>
                    <td class="num" data-testid="risk-simple-volatility" data-value=estimate.as_ref().map(|e| e.simple.to_string())>
                        {estimate.as_ref().map(|e| format!("{:.1} %", e.simple * 100.0))}
                    </td>
                    <td class="num" data-testid="risk-ewma-volatility" data-value=estimate.as_ref().map(|e| e.ewma.to_string())>
                        {estimate.as_ref().map(|e| format!("{:.1} %", e.ewma * 100.0))}
                    </td>
                    <td class="muted">{basis}</td>
                </tr>
            }
        })
        .collect_view();
    let n = symbols.len();
    let header = symbols.iter().map(|s| view! { <th scope="col">{s.clone()}</th> }).collect_view();
    let matrix = (0..n)
        .map(|i| {
            let cells = (0..n)
                .map(|j| {
                    let cell = move || form.with(|f| f.as_ref().and_then(|f| f.correlation.get(i)?.get(j).cloned()));
                    if i == j {
                        view! { <td class="num">"1"</td> }.into_any()
                    } else {
                        view! {
                            <td class="num">
                                <input
                                    type="text"
                                    inputmode="decimal"
                                    class="num-input"
                                    data-testid="risk-correlation"
                                    aria-label=format!("Correlation of {} and {}", symbols[i], symbols[j])
                                    prop:value=cell
                                    on:input=move |ev| {
                                        let text = event_target_value(&ev);
                                        form.update(|f| {
                                            if let Some(f) = f.as_mut() {
                                                f.set_correlation(i, j, text);
                                            }
                                        });
                                    }
                                />
                            </td>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{symbols[i].clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <section class="risk-inputs" aria-label="Market inputs">
            <h3>"Market inputs"</h3>
            <p class="notice" data-testid="risk-inputs-source">
                {market.source.clone()}
                {if synthetic {
                    ". The estimates are from a synthetic demo series generated with the default volatility (366 daily \
                     closes, seeded), not market history: they show how far a year of data leaves an estimate from the truth."
                } else {
                    ". The estimates are from Pyth's daily closes (log returns, annualised by √365); the defaults are the \
                     demo's assumptions, for comparison."
                }}
            </p>
            <table class="assets">
                <thead>
                    <tr>
                        <th scope="col">"Asset"</th>
                        <th scope="col">"Volatility used"</th>
                        <th scope="col">"Default"</th>
                        <th scope="col" title="USD of sales that move the price 2 % (example figures; empty for unknown)">"2 % depth"</th>
                        <th scope="col">{format!("Simple ({estimated_from})")}</th>
                        <th scope="col">{format!("EWMA λ 0.94 ({estimated_from})")}</th>
                        <th scope="col">"Basis of the default"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <h4>"Correlation of daily returns"</h4>
            <p class="muted">"A matrix that is not positive semi-definite is repaired (eigenvalues clipped) and the results say so."</p>
            <table class="assets correlation" data-testid="risk-correlation-matrix">
                <thead><tr><th></th>{header}</tr></thead>
                <tbody>{matrix}</tbody>
            </table>
        </section>
    }
}

/// Horizon, paths, seed and tails.
#[component]
fn RunOptionsForm(form: RwSignal<Option<RiskForm>>) -> impl IntoView {
    let field = move |get: fn(&RiskForm) -> String| move || form.with(|f| f.as_ref().map(get)).unwrap_or_default();
    let set = move |put: fn(&mut RiskForm, String)| {
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            form.update(|f| {
                if let Some(f) = f.as_mut() {
                    put(f, text);
                }
            });
        }
    };
    let custom = move || form.with(|f| f.as_ref().is_some_and(|f| f.horizon == "custom"));
    let fat = move || form.with(|f| f.as_ref().is_some_and(|f| f.fat_tails));
    view! {
        <div class="action-row risk-options">
            <label>
                "Horizon "
                <select data-testid="risk-horizon" prop:value=field(|f| f.horizon.clone()) on:change=set(|f, v| f.horizon = v)>
                    {HORIZONS
                        .iter()
                        .map(|d| view! { <option value=d.to_string()>{format!("{d} day{}", if *d == 1 { "" } else { "s" })}</option> })
                        .collect_view()}
                    <option value="custom">"custom"</option>
                </select>
            </label>
            <label hidden=move || !custom()>
                "Days "
                <input type="text" inputmode="numeric" class="num-input" data-testid="risk-custom-days"
                    prop:value=field(|f| f.custom_days.clone()) on:input=set(|f, v| f.custom_days = v) />
            </label>
            <label>
                "Paths "
                <input type="text" inputmode="numeric" class="num-input" data-testid="risk-paths"
                    prop:value=field(|f| f.paths.clone()) on:input=set(|f, v| f.paths = v) />
            </label>
            <label>
                "Seed "
                <input type="text" inputmode="numeric" class="num-input" data-testid="risk-seed"
                    prop:value=field(|f| f.seed.clone()) on:input=set(|f, v| f.seed = v) />
            </label>
            <label>
                <input type="checkbox" data-testid="risk-fat-tails" prop:checked=fat
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        form.update(|f| if let Some(f) = f.as_mut() { f.fat_tails = on });
                    } />
                " Fat tails (Student-t, ν "
                <input type="text" inputmode="decimal" class="num-input" data-testid="risk-dof" disabled=move || !fat()
                    prop:value=field(|f| f.degrees_of_freedom.clone()) on:input=set(|f, v| f.degrees_of_freedom = v) />
                ")"
            </label>
        </div>
    }
}

/// Every figure of a finished run, as the engine reported it.
#[component]
fn Results(report: RiskReport) -> impl IntoView {
    let sim = &report.simulation;
    let p = sim.liquidation_probability;
    let days = sim.days_to_liquidation;
    let histogram = sim.min_health_factor.histogram.clone();
    let by_day = report.probability_by_day.clone();
    let quantile = |probability: f64| {
        sim.min_health_factor.quantiles.iter().find(|q| (q.probability - probability).abs() < 1e-12).map(|q| q.value)
    };
    let (median, worst) = (quantile(0.5), quantile(0.01));
    let loss = report.loss.clone();
    let liquidity = report.liquidity.clone();
    let tails = match report.options.tails {
        ballast_core::risk::Tails::Normal => "normal shocks".to_owned(),
        ballast_core::risk::Tails::StudentT { degrees_of_freedom } => {
            format!("Student-t shocks, ν {}", trim_number(degrees_of_freedom))
        }
    };
    // The headline figures come with the worker's message; the tables and
    // the charts follow a frame apart each, so no single main-thread task
    // renders everything at once.
    let stage = RwSignal::new(0u8);
    after_next_paint(move || {
        _ = stage.try_set(1);
        after_next_paint(move || _ = stage.try_set(2));
    });
    let details = move || stage.get() >= 1;
    let charts = move || stage.get() >= 2;
    let quality = report.quality.clone();
    view! {
        <section class="risk-results" data-testid="risk-results" aria-label="Results">
            <h3>{format!("Over {} days ({} paths, seed {}, {tails})", report.options.horizon_days, report.options.paths, report.options.seed)}</h3>
            {report.correlation_repaired.then(|| view! {
                <p class="notice" data-testid="risk-correlation-repaired">
                    "The correlation entered was not positive semi-definite; the nearest one by eigenvalue clipping was simulated."
                </p>
            })}
            <div class="figures">
                <Figure label="Probability of liquidation" test_id="risk-probability"
                    shown=probability_shown(&p, report.options.paths)
                    value=p.value.to_string()
                    hint="Share of paths whose health factor fell below 1 on some day, ± one standard error (with none or all of them, the 95 % bound)." />
                <Figure label="Health factor today" test_id="risk-start-hf"
                    shown=health_factor(sim.starting_health_factor) value=sim.starting_health_factor.to_string() />
                <Figure label="Median lowest health factor" test_id="risk-median-min-hf"
                    shown=median.map_or_else(|| "—".to_owned(), health_factor) value=median.map(|m| m.to_string()).unwrap_or_default() />
                <Figure label="Lowest health factor, worst 1 %" test_id="risk-p1-min-hf"
                    shown=worst.map_or_else(|| "—".to_owned(), health_factor) value=worst.map(|m| m.to_string()).unwrap_or_default() />
                <Figure label="Expected day of liquidation (if liquidated)" test_id="risk-days-to-liquidation"
                    shown=days.map_or_else(|| "no path liquidated".to_owned(), |d| format!("day {:.1} ± {:.1}", d.value, d.std_error))
                    value=days.map(|d| d.value.to_string()).unwrap_or_default() />
            </div>
            <Show when=charts>
                <div class="charts">
                    <MinHealthHistogram histogram=Signal::stored(histogram.clone()) />
                    <HorizonChart points=Signal::stored(by_day.clone()) />
                </div>
            </Show>
            <Show when=details>
                <Loss loss=loss.clone() />
                <Liquidity liquidity=liquidity.clone() />
                <Quality quality=quality.clone() />
            </Show>
        </section>
    }
}

#[component]
fn Loss(loss: ballast_core::risk::loss::LossSummary) -> impl IntoView {
    view! {
            <h4>"Loss of net value (collateral − debt) over the horizon"</h4>
            <table class="assets" data-testid="risk-loss">
                <thead><tr><th>"Confidence"</th><th>"Value at risk"</th><th>"Expected shortfall"</th></tr></thead>
                <tbody>
                    {loss.tail.iter().map(|t| view! {
                        <tr data-confidence=t.confidence.to_string()>
                            <th scope="row">{format!("{:.0} %", t.confidence * 100.0)}</th>
                            <td class="num" data-testid="risk-var" data-value=t.value_at_risk.to_string()>{usd(t.value_at_risk)}</td>
                            <td class="num" data-testid="risk-es" data-value=t.expected_shortfall.to_string()>{usd(t.expected_shortfall)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="muted">
                {format!("Net value today {}; expected at the horizon {} (mean liquidation cost {}). A loss counts price moves, interest (an Aave reserve's rates; a Maker vault's stability fee is not modelled, so its debt is held) and what a liquidation takes beyond the debt.",
                    usd(loss.starting_net_value), usd(loss.expected_net_value.value), usd(loss.expected_liquidation_cost.value))}
            </p>
    }
}

#[component]
fn Liquidity(liquidity: ballast_core::risk::liquidity::LiquidityReport) -> impl IntoView {
    let flagged = liquidity.flagged;
    view! {
        <h4>"Liquidity-adjusted collateral"</h4>
        <div class="figures">
            <Figure label="Collateral at oracle prices" test_id="risk-collateral-value"
                shown=usd(liquidity.collateral_value) value=liquidity.collateral_value.to_string() />
            <Figure label="If all sold into its market" test_id="risk-adjusted-collateral"
                shown=usd(liquidity.liquidity_adjusted_collateral_value) value=liquidity.liquidity_adjusted_collateral_value.to_string() />
            <Figure label="Health factor on that basis" test_id="risk-adjusted-hf"
                shown=health_factor(liquidity.liquidity_adjusted_health_factor) value=liquidity.liquidity_adjusted_health_factor.to_string() />
        </div>
        <p class=if flagged { "error" } else { "muted" } data-testid="risk-liquidity-flag" data-flagged=flagged.to_string()>
            {if flagged {
                "Too large for its market: selling what a liquidation seizes would fetch less than the debt it repays, so liquidators would lose money and liquidation may come late or not at all.".to_owned()
            } else {
                match liquidity.liquidation_price_ratio {
                    Some(_) if liquidity.seized.is_empty() => "No collateral here counts toward liquidation, so a liquidation would seize nothing to sell.".to_owned(),
                    Some(r) if r >= 1.0 => "Liquidatable at today's prices: selling what a liquidation seizes still covers the debt it repays (within the liquidators' bonus).".to_owned(),
                    Some(r) => format!("At the liquidation point (collateral prices × {r:.3}) selling the seized collateral still covers the debt it repays (within the liquidators' bonus)."),
                    None => "A fall of the collateral's price cannot liquidate this position.".to_owned(),
                }
            }}
        </p>
        {(!liquidity.depth_unknown.is_empty()).then(|| view! {
            <p class="notice">{format!("No market depth for {}: taken at the oracle price.", liquidity.depth_unknown.join(", "))}</p>
        })}
        <p class="muted">"Depths (USD that moves the price 2 %, editable with the inputs) start at the demo's example figures; a sale walks a linear book, see docs/risk.md."</p>
    }
}

#[component]
fn Quality(quality: Vec<ballast_core::risk::quality::QualityIndex>) -> impl IntoView {
    let input = |key: &str, x: Option<f64>| match (key, x) {
        (_, None) => "unknown".to_owned(),
        ("volatility" | "oracle_deviation" | "concentration", Some(x)) => format!("{} %", trim_number(x * 100.0)),
        ("liquidity", Some(x)) => usd(x),
        ("oracle_heartbeat", Some(x)) => format!("{} s", trim_number(x)),
        (_, Some(x)) => trim_number(x),
    };
    view! {
        <h4>"Collateral quality index (0–100)"</h4>
        <p class="muted">
            "Index = Σ weight × score / Σ weight. Each score maps its input linearly (or in log₁₀) from a worst value (0) to a "
            "best (100), clamped; an unknown input scores 0. Oracle and holder figures are the demo's examples."
        </p>
        {quality.into_iter().map(|q| view! {
            <table class="assets quality" data-testid="risk-quality" data-asset=q.asset.clone() data-score=q.score.to_string()>
                <caption>{format!("{}: {:.1}", q.asset, q.score)}</caption>
                <thead><tr><th>"Component"</th><th>"Input"</th><th>"Weight"</th><th>"Score"</th><th>"Points"</th><th>"Formula"</th></tr></thead>
                <tbody>
                    {q.components.iter().map(|c| view! {
                        <tr>
                            <th scope="row">{c.key.replace('_', " ")}</th>
                            <td class="num">{input(&c.key, c.input)}</td>
                            <td class="num">{trim_number(c.weight)}</td>
                            <td class="num">{format!("{:.1}", c.score)}</td>
                            <td class="num">{format!("{:.2}", c.contribution)}</td>
                            <td><code>{c.formula.clone()}</code></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        }).collect_view()}
    }
}
