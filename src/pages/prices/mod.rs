//! The Prices page (`?view=prices`): every price the configured Aave market
//! uses, where it comes from, how old it is and whether it can be trusted.
//!
//! With live data off (the default) it shows the embedded snapshot and sends
//! nothing. With it on, it finds the market from its PoolAddressesProvider
//! once, then refreshes with one JSON-RPC batch per refresh: on a timer that
//! backs off after failures, or on the refresh button (never two at once).

pub mod model;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ballast_chain::aave_prices::{discover, MarketOracles, RefreshPlan};
use ballast_core::Snapshot;
use leptos::prelude::*;
use leptos::task::spawn_local;

use ballast_chain::pyth::{self, FeedId, PythPrice};
use ballast_chain::pyth_access::{access_refused, PythApiKey, KEY_NEEDED};

use crate::app::LiveData;
use crate::chain::backoff::RetryPolicy;
use crate::chain::http::{fetch_text_retrying_with, sleep_ms, HttpError};
use crate::chain::registry::{CHAINS, LOCAL_CHAIN_ID};
use crate::chain::rpc::RpcClient;
use crate::chain::settings::{self, check_address, check_url, ChainSettings};
use crate::data_source::{block_behind, human_duration};
use model::{block_lag_secs, sequencer_banner, Badge, Board, NotLive, PriceRow};

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// What the live side is doing, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LiveState {
    Off,
    Finding,
    Ready,
    /// The market could not be found; nothing to show yet.
    Failed(String),
}

#[component]
pub fn PricesPage(snapshot: Snapshot) -> impl IntoView {
    let (loaded, notice) = settings::load();
    let settings = RwSignal::new(loaded);
    // Bumped on every saved change, so the live loop finds the market again.
    let generation = RwSignal::new(0u64);
    let notice = RwSignal::new(notice);
    let board = RwSignal::new(None::<Board>);
    let state = RwSignal::new(LiveState::Off);
    let manual = RwSignal::new(false);
    let in_flight = RwSignal::new(false);
    let now = RwSignal::new(now_ms());

    if let Ok(handle) = set_interval_with_handle(move || now.set(now_ms()), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    let alive = Arc::new(AtomicBool::new(true));
    {
        let alive = alive.clone();
        on_cleanup(move || alive.store(false, Ordering::Relaxed));
    }
    spawn_local(live_loop(alive, settings, generation, board, state, manual, in_flight));

    let live_badge = use_context::<LiveData>();
    let save = move |changed: ChainSettings| {
        if let Err(why) = settings::save(&changed) {
            notice.set(Some(format!("Not saved: {why}. The change holds until you leave the page.")));
        }
        if let Some(LiveData(live)) = live_badge {
            live.set(changed.live_data);
        }
        settings.set(changed);
        generation.update(|g| *g += 1);
    };

    let live = move || settings.with(|s| s.live_data);
    view! {
        <section class="prices" data-testid="prices-page">
            <h2>"Prices"</h2>
            {move || notice.get().map(|n| view! { <p class="notice" role="status" data-testid="settings-notice">{n}</p> })}
            <div class="prices-toolbar">
                <label class="live-switch">
                    <input
                        type="checkbox"
                        data-testid="live-data"
                        prop:checked=live
                        on:change=move |ev| {
                            let mut changed = settings.get_untracked();
                            changed.live_data = event_target_checked(&ev);
                            save(changed);
                        }
                    />
                    " Live data"
                </label>
                <span class="muted">
                    {move || if live() {
                        let s = settings.get();
                        let url = s.rpc_url(s.market_chain_id).unwrap_or_else(|e| e.to_string());
                        format!("Reading {} through {url}", s.market_chain().map_or("an unknown chain", |c| c.name))
                    } else {
                        "Off: the saved snapshot is shown and nothing is sent over the network.".to_owned()
                    }}
                </span>
                <button
                    data-testid="refresh"
                    disabled=move || !live() || in_flight.get()
                    on:click=move |_| manual.set(true)
                >
                    {move || if in_flight.get() { "Refreshing…" } else { "Refresh" }}
                </button>
            </div>
            <ChainSettingsForm settings save />
            {move || (live() && settings.with(|s| !s.pyth_api_key.is_set())).then(|| view! {
                <p class="notice" role="status" data-testid="pyth-key-notice">
                    {format!("No Pyth API key is set. {KEY_NEEDED}. If Hermes refuses, it is not asked again until \
                              you save a key or press Refresh; Chainlink and Aave prices do not need one.")}
                </p>
            })}
            {move || if live() {
                view! { <LiveBoard board state now /> }.into_any()
            } else {
                view! { <SnapshotPrices snapshot=snapshot.clone() /> }.into_any()
            }}
        </section>
    }
}

/// Finds the market and refreshes it until the page goes away.
async fn live_loop(
    alive: Arc<AtomicBool>,
    settings: RwSignal<ChainSettings>,
    generation: RwSignal<u64>,
    board: RwSignal<Option<Board>>,
    state: RwSignal<LiveState>,
    manual: RwSignal<bool>,
    in_flight: RwSignal<bool>,
) {
    let mut seen = None;
    let mut market: Option<(MarketOracles, RefreshPlan)> = None;
    let mut failures = 0u32;
    let mut next_at = 0u64;
    // Hermes refused access (401/403): not asked again on the timer until the
    // settings change (a key saved) or the user presses Refresh.
    let mut pyth_refused = false;
    while alive.load(Ordering::Relaxed) {
        let (Some(s), Some(gen)) = (settings.try_get_untracked(), generation.try_get_untracked()) else { return };
        if seen != Some(gen) {
            seen = Some(gen);
            market = None;
            failures = 0;
            next_at = 0;
            pyth_refused = false;
            board.set(None);
            state.set(if s.live_data { LiveState::Finding } else { LiveState::Off });
        }
        let asked = manual.try_get_untracked().unwrap_or(false);
        if !s.live_data || (now_ms() < next_at && !asked) {
            sleep_ms(200).await;
            continue;
        }
        manual.set(false);
        in_flight.set(true);
        let ask_pyth = asked || !pyth_refused;
        let (ok, refused) = refresh_once(&s, &mut market, board, state, ask_pyth).await;
        pyth_refused = if ask_pyth { refused } else { pyth_refused };
        if !alive.load(Ordering::Relaxed) {
            return;
        }
        in_flight.set(false);
        failures = if ok { 0 } else { failures.saturating_add(1) };
        next_at = now_ms() + u64::from(s.poll_schedule().next_in_secs(failures)) * 1000;
    }
}

/// One refresh: finds the market first if need be, and reads Pyth too when
/// `ask_pyth`. `(false, _)` when the chain read failed; `(_, true)` when
/// Hermes refused access.
async fn refresh_once(
    s: &ChainSettings,
    market: &mut Option<(MarketOracles, RefreshPlan)>,
    board: RwSignal<Option<Board>>,
    state: RwSignal<LiveState>,
    ask_pyth: bool,
) -> (bool, bool) {
    let chain_id = s.market_chain_id;
    let client = match RpcClient::from_settings(s, chain_id) {
        Ok(client) => client,
        Err(e) => {
            state.set(LiveState::Failed(e.to_string()));
            return (false, false);
        }
    };
    if market.is_none() {
        let provider = match s.addresses_provider(chain_id) {
            Ok(provider) => provider,
            Err(e) => {
                state.set(LiveState::Failed(e.to_string()));
                return (false, false);
            }
        };
        state.set(LiveState::Finding);
        let found = discover(provider, |requests| {
            let client = client.clone();
            async move { client.batch(&requests).await }
        })
        .await;
        match found {
            Ok(found) => {
                board.set(Some(Board::new(chain_id, &found, s)));
                let plan = RefreshPlan::new(&found);
                *market = Some((found, plan));
                state.set(LiveState::Ready);
            }
            Err(e) => {
                state.set(LiveState::Failed(format!("The market could not be read: {e}")));
                return (false, false);
            }
        }
    }
    let Some((found, plan)) = market.as_ref() else { return (false, false) };
    let answers = client.batch(&plan.requests).await;
    let at = now_ms();
    let heartbeats: Vec<Option<u64>> = board
        .with_untracked(|b| b.as_ref().map(|b| b.rows.iter().map(|r| r.heartbeat.secs).collect()))
        .unwrap_or_default();
    let refresh = answers
        .map(|answers| plan.read(found, &answers, |i| heartbeats.get(i).copied().flatten(), at / 1000))
        .map_err(|e| e.to_string());
    let ok = refresh.is_ok();
    // Pyth in the same refresh, one request for every feed; applied together so the page
    // (and its tests) see one refresh at a time.
    let ids = board.with_untracked(|b| b.as_ref().map(Board::pyth_ids)).unwrap_or_default();
    let pyth = if ids.is_empty() || !ask_pyth { None } else { Some(read_hermes(s, &ids).await) };
    let refused = matches!(pyth, Some(Err(HermesFault { refused: true, .. })));
    let pyth_at = now_ms();
    board.update(|b| {
        if let Some(b) = b {
            b.apply(refresh, at);
            if let Some(pyth) = pyth {
                b.apply_pyth(pyth.map_err(|f| f.message), pyth_at);
            }
        }
    });
    (ok, refused)
}

/// Why Hermes gave no prices, in words; `refused` when it refused access.
struct HermesFault {
    message: String,
    refused: bool,
}

/// The latest Pyth prices of `ids` from the configured Hermes, in one
/// request, with the user's Pyth API key when one is set.
async fn read_hermes(s: &ChainSettings, ids: &[FeedId]) -> Result<Vec<PythPrice>, HermesFault> {
    let fault = |message: String| HermesFault { message, refused: false };
    let url = pyth::latest_price_url(&s.hermes_url, ids).map_err(|e| fault(format!("Hermes: {e}")))?;
    let authorization = s.pyth_api_key.authorization();
    let body = fetch_text_retrying_with(&url, None, s.timeout_ms, RetryPolicy::default(), authorization.as_deref())
        .await
        .map_err(|e| match &e {
            HttpError::Status { status, .. } => match access_refused("Hermes", *status, s.pyth_api_key.is_set()) {
                Some(why) => HermesFault {
                    message: format!("{why}. Hermes is not asked again until a key is saved or you press Refresh."),
                    refused: true,
                },
                None => fault(format!("Hermes: {e}")),
            },
            _ => fault(format!("Hermes: {e}")),
        })?;
    pyth::parse_latest(&body, ids).map_err(|e| fault(format!("Hermes: {e}")))
}

#[component]
fn LiveBoard(board: RwSignal<Option<Board>>, state: RwSignal<LiveState>, now: RwSignal<u64>) -> impl IntoView {
    view! {
        {move || match state.get() {
            LiveState::Failed(why) => Some(view! { <p class="error" role="alert" data-testid="market-error">{why}</p> }.into_any()),
            LiveState::Finding => Some(view! { <p class="loading">"Finding the market's price sources…"</p> }.into_any()),
            _ => None,
        }}
        {move || board.with(|b| b.as_ref().map(|b| {
            let t = now.get();
            let block = match (&b.block, &b.block_fault) {
                (Some(block), fault) => {
                    let lag = block_lag_secs(block, t);
                    let lag_text = if lag >= 0 {
                        format!("{} behind your clock", human_duration(lag.unsigned_abs()))
                    } else {
                        format!("{} ahead of your clock", human_duration(lag.unsigned_abs()))
                    };
                    let behind = match b.not_live() {
                        Some(NotLive::NodeBehind { .. }) => " That is too far behind for its prices to be called live: the node may be stalled or the chain halted.",
                        _ if b.chain_id == LOCAL_CHAIN_ID && block_behind(block.value.timestamp, block.read_at_ms as f64).is_some() => " This local development chain keeps its own clock, so prices are judged by it.",
                        _ => "",
                    };
                    format!(
                        "Latest block #{} at {} (Unix), {lag_text}. Chainlink ages are measured on this block's time.{behind}{}",
                        block.value.number,
                        block.value.timestamp,
                        fault.as_ref().map(|f| format!(" Last refresh failed: {f}")).unwrap_or_default(),
                    )
                }
                (None, Some(fault)) => format!("No block read yet: {fault}"),
                (None, None) => "Reading…".to_owned(),
            };
            let lag = b.block.as_ref().map(|bl| block_lag_secs(bl, t)).unwrap_or_default();
            let banner = match &b.sequencer {
                Some(Ok(reading)) => sequencer_banner(reading, t).map(|banner| {
                    view! { <p class="banner banner-danger" role="alert" data-testid="sequencer-banner" data-state=banner.kind>{banner.text}</p> }.into_any()
                }),
                Some(Err(why)) => Some(view! {
                    <p class="banner banner-warning" role="alert" data-testid="sequencer-banner" data-state="unknown">
                        {format!("The sequencer's status could not be read, so borrows and liquidations may be paused: {why}")}
                    </p>
                }.into_any()),
                None => None,
            };
            view! {
                {banner}
                <p class="block-age muted" data-testid="block-age" data-lag=lag.to_string() data-refreshes=b.refreshes.to_string() data-pyth-reads=b.pyth_reads.to_string()>{block}</p>
                <table class="prices-table">
                    <thead><tr>
                        <th>"Asset"</th><th>"Price"</th><th>"AaveOracle"</th><th>"Source"</th><th>"Round"</th>
                        <th>"Heartbeat"</th><th>"Status"</th><th>"Pyth"</th>
                    </tr></thead>
                    <tbody>
                        {b.rows.iter().map(|row| price_row(row, b.badge(row, t), t)).collect_view()}
                    </tbody>
                </table>
            }
        }))}
    }
}

fn price_row(row: &PriceRow, badge: Badge, now: u64) -> impl IntoView {
    let reading = row.last_good.as_ref().map(|g| &g.value);
    let price = reading.map(|r| r.price.normalized().to_string());
    let price_value = price.clone().unwrap_or_default();
    let round = reading.and_then(|r| r.round).map(|r| r.round_id.to_string());
    let underlying = reading.and_then(|r| r.underlying.clone()).map(|u| match u {
        Ok((round, price)) => format!("wraps a feed at {} (round {})", price.normalized(), round.round_id),
        Err(why) => format!("its wrapped feed could not be read: {why}"),
    });
    let aave = match &row.aave_price {
        Some(Ok(p)) => p.normalized().to_string(),
        Some(Err(why)) => format!("unavailable: {why}"),
        None => "—".to_owned(),
    };
    let heartbeat = match row.heartbeat.secs {
        Some(secs) if row.heartbeat.verified => format!("{} ({})", human_duration(secs), row.heartbeat.source),
        Some(secs) => format!("{} (unverified: {})", human_duration(secs), row.heartbeat.source),
        None => format!("unknown ({})", row.heartbeat.source),
    };
    let kind = if row.adapter { "adapter, latestAnswer only" } else { "Chainlink feed" };
    view! {
        <tr data-testid="price-row" data-symbol=row.symbol.clone()>
            <td>{row.symbol.clone()}</td>
            <td class="num" data-testid="price-value" data-value=price_value>{price.unwrap_or_else(|| "—".into())}</td>
            <td class="num" data-testid="aave-price">{aave}</td>
            <td>
                <span data-testid="price-source">{format!("{} ({kind})", if row.description.is_empty() { "no description" } else { &row.description })}</span>
                <br/><code class="muted">{row.source.to_string()}</code>
                {underlying.map(|u| view! { <br/><span class="muted" data-testid="price-underlying">{u}</span> })}
            </td>
            <td data-testid="price-round">{round.unwrap_or_else(|| "none".into())}</td>
            <td data-testid="price-heartbeat" data-verified=row.heartbeat.verified.to_string()>{heartbeat}</td>
            <td>
                <span class=format!("badge badge-{}", badge.kind) data-testid="price-status" data-status=badge.kind
                    data-age=badge.age_secs.map(|a| a.to_string()).unwrap_or_default()>{badge.text}</span>
                {row.fault.clone().map(|f| view! { <p class="fault" data-testid="price-fault">{f}</p> })}
            </td>
            <td data-testid="pyth">{pyth_cell(row, now)}</td>
        </tr>
    }
}

fn pyth_cell(row: &PriceRow, now: u64) -> impl IntoView {
    let fault = row.pyth_fault.clone().map(|f| view! { <p class="fault" data-testid="pyth-fault">{f}</p> });
    let shown = match (row.pyth_id, row.pyth_view(now)) {
        (None, _) => Some(view! { <span class="muted">"no Pyth feed known"</span> }.into_any()),
        (Some(_), None) => None,
        (Some(_), Some(v)) => {
            let deviation = v.deviation.map(|d| match d {
                Ok(d) => view! {
                    <span class=if d.warn { "deviation deviation-warn" } else { "deviation" } data-testid="pyth-deviation"
                        data-percent=d.percent.to_string() data-warn=d.warn.to_string()>
                        {format!("{}{} % from Chainlink (threshold {} %)", if d.warn { "⚠ " } else { "" }, d.percent, v.threshold_percent)}
                    </span>
                }.into_any(),
                Err(why) => view! { <span class="muted" data-testid="pyth-deviation">{why}</span> }.into_any(),
            });
            Some(view! {
                <span data-testid="pyth-price" data-value=v.price.normalized().to_string()>{v.price.normalized().to_string()}</span>
                " ± " <span data-testid="pyth-conf">{v.confidence.normalized().to_string()}</span>
                <br/><span class=format!("badge badge-{}", v.badge.kind) data-testid="pyth-status" data-status=v.badge.kind>{v.badge.text}</span>
                <br/>{deviation}
            }.into_any())
        }
    };
    view! { {shown} {fault} }
}

#[component]
fn SnapshotPrices(snapshot: Snapshot) -> impl IntoView {
    let taken_at = snapshot.taken_at.clone();
    view! {
        <p class="muted">{format!("Saved prices from the snapshot of {taken_at}. Turn on live data to read the oracles.")}</p>
        <table class="prices-table" data-testid="snapshot-prices">
            <thead><tr><th>"Asset"</th><th>"Price"</th><th>"Source"</th><th>"Status"</th></tr></thead>
            <tbody>
                {snapshot.aave_v3.assets.iter().map(|a| view! {
                    <tr data-testid="price-row" data-symbol=a.symbol.clone()>
                        <td>{a.symbol.clone()}</td>
                        <td class="num" data-testid="price-value" data-value=a.price.usd.to_string()>{a.price.usd.to_string()}</td>
                        <td>{a.price.source.clone()}</td>
                        <td><span class="badge badge-snapshot" data-testid="price-status" data-status="snapshot">
                            {format!("snapshot: updated {}", a.price.updated_at)}
                        </span></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The chain settings: endpoints, market, Hermes. Saved on "Save"; a field
/// that does not check out is named and nothing is saved.
#[component]
fn ChainSettingsForm(
    settings: RwSignal<ChainSettings>,
    save: impl Fn(ChainSettings) + Copy + 'static,
) -> impl IntoView {
    let draft = RwSignal::new(settings.get_untracked());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    // The key as typed, checked on Save; shown only while the user asks.
    let key_text = RwSignal::new(String::new());
    let show_key = RwSignal::new(false);
    Effect::new(move |_| {
        let s = settings.get();
        key_text.set(s.pyth_api_key.expose().to_owned());
        draft.set(s);
    });
    let submit = move |_| {
        let mut d = draft.get_untracked();
        match key_text.with_untracked(|t| PythApiKey::parse(t)) {
            Ok(key) => d.pyth_api_key = key,
            Err(e) => {
                saved.set(false);
                return error.set(Some(e.to_string()));
            }
        }
        let checked = d
            .rpc_urls
            .values()
            .try_for_each(|u| check_url(u).map(|_| ()))
            .and_then(|_| d.addresses_providers.values().try_for_each(|a| check_address(a).map(|_| ())))
            .and_then(|_| check_url(&d.hermes_url).map(|_| ()))
            .and_then(|_| check_url(&d.benchmarks_url).map(|_| ()))
            .map_err(|e| e.to_string());
        match checked {
            Ok(()) => {
                error.set(None);
                saved.set(true);
                save(d);
            }
            Err(why) => {
                saved.set(false);
                error.set(Some(why));
            }
        }
    };
    view! {
        <details class="chain-settings" data-testid="chain-settings">
            <summary>"Chain settings"</summary>
            <label>
                "Market chain "
                <select data-testid="market-chain" on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse::<u64>() {
                        draft.update(|d| d.market_chain_id = id);
                    }
                }>
                    {CHAINS.iter().map(|c| {
                        let id = c.chain_id;
                        view! { <option value=id.to_string() selected=move || draft.with(|d| d.market_chain_id == id)>{c.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <table class="settings-table">
                <thead><tr><th>"Chain"</th><th>"RPC endpoint"</th><th>"Aave PoolAddressesProvider"</th></tr></thead>
                <tbody>
                    {CHAINS.iter().map(|c| {
                        let id = c.chain_id;
                        view! {
                            <tr>
                                <td>{c.name}</td>
                                <td><input type="url" data-testid=format!("rpc-url-{id}") placeholder=c.default_rpc_url
                                    prop:value=move || draft.with(|d| d.rpc_urls.get(&id).cloned().unwrap_or_default())
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        draft.update(|d| { if v.trim().is_empty() { d.rpc_urls.remove(&id); } else { d.rpc_urls.insert(id, v.trim().to_owned()); } });
                                    }/></td>
                                <td><input type="text" data-testid=format!("provider-{id}")
                                    placeholder=c.aave_v3_addresses_provider().map(|a| a.to_string()).unwrap_or_else(|| "0x…".into())
                                    prop:value=move || draft.with(|d| d.addresses_providers.get(&id).cloned().unwrap_or_default())
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        draft.update(|d| { if v.trim().is_empty() { d.addresses_providers.remove(&id); } else { d.addresses_providers.insert(id, v.trim().to_owned()); } });
                                    }/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <label>
                "Pyth Hermes endpoint "
                <input type="url" data-testid="hermes-url" prop:value=move || draft.with(|d| d.hermes_url.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.hermes_url = v.trim().to_owned()); }/>
            </label>
            <label>
                "Pyth price history (Risk page) "
                <input type="url" data-testid="benchmarks-url" prop:value=move || draft.with(|d| d.benchmarks_url.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.benchmarks_url = v.trim().to_owned()); }/>
            </label>
            <label>
                "Pyth API key "
                <input type=move || if show_key.get() { "text" } else { "password" } data-testid="pyth-api-key"
                    autocomplete="off" spellcheck="false" prop:value=move || key_text.get()
                    on:input=move |ev| key_text.set(event_target_value(&ev))/>
                <button type="button" data-testid="pyth-api-key-show" aria-pressed=move || show_key.get().to_string()
                    on:click=move |_| show_key.update(|s| *s = !*s)>
                    {move || if show_key.get() { "Hide" } else { "Show" }}
                </button>
            </label>
            <p class="muted">"Your own key from Pyth (Hermes and the price history need one since 26 Aug 2026). It stays in \
                this browser and is sent only, as a bearer token, to the two Pyth endpoints above."</p>
            <button data-testid="save-settings" on:click=submit>"Save"</button>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="settings-error">{e}</p> })}
            {move || saved.get().then(|| view! { <p class="muted" data-testid="settings-saved">"Saved."</p> })}
        </details>
    }
}
