//! The Positions page (`?view=positions`): every Aave V3 position of the
//! watched addresses on the configured chains, as `ballast_core::dashboard`
//! builds it, riskiest first, with totals.
//!
//! With live data off (the default) nothing is sent: the snapshot's demo
//! positions are shown and the page says how to watch an address. With it on,
//! each chain is read by its own task (two Multicall3 batches per market and
//! address, see `ballast_chain::aave_position`), with its own progress and
//! error, so one failing node never blanks the others. On Ethereum, each
//! address's Liquity v1 trove is read too (one batch, `ballast_chain::liquity_reader`).

pub mod model;

use std::collections::BTreeMap;

use alloy_primitives::Address;
use ballast_chain::aave_markets::{decode_pool, get_pool_calldata, MarketAddresses};
use ballast_chain::aave_position::{self, PositionRead};
use ballast_chain::jsonrpc::{decode_call_result, BlockTag, Request};
use ballast_chain::liquity_reader::{liquity_dashboard_input, read_trove, LiquityContracts, TroveStatus};
use ballast_chain::multicall::{aggregate3_calldata, decode_aggregate3, Call, CallOutcome, MULTICALL3};
use ballast_core::dashboard::{dashboard, AssetLine, Dashboard, HealthSource, PositionInput, PositionRow};
use ballast_core::display::{HealthBand, Rounding};
use ballast_core::{Scenario, Snapshot};
use leptos::prelude::*;
use leptos::task::spawn_local;
use num_rational::BigRational;

use crate::chain::registry;
use crate::chain::rpc::RpcClient;
use crate::chain::settings::{self, ChainSettings};
use crate::components::use_read_age;
use crate::data_source::{node_behind, node_behind_text};
use crate::url_state::{read_param, remove_param, write_param};
use model::{
    address_param, chain_outcome, default_chains, has_position, markets_for, parse_address, parse_address_param,
    parse_chains_param, plan_link, position_label, reads_liquity, MarketSource, Shown, WatchList, ADDRESS_PARAM,
    CHAINS_PARAM, WATCH_LIST_KEY,
};

/// How far one chain's reads have come.
#[derive(Debug, Clone, PartialEq)]
enum ChainState {
    Loading {
        done: usize,
        of: usize,
    },
    /// All read; `read_at_ms` is when the reads started (the page's clock), so
    /// the age shown is never younger than the oldest figure.
    Done {
        read_at_ms: f64,
        /// How far the oldest block read was behind the clock, when too far to call its figures
        /// current (`data_source::node_behind`).
        node_behind_secs: Option<u64>,
    },
    /// Nothing could be read on this chain.
    Failed(String),
}

/// One chain's reads: its state, what was found, and what failed on it.
#[derive(Debug, Clone, PartialEq)]
struct ChainReads {
    chain_id: u64,
    name: &'static str,
    state: ChainState,
    found: Vec<Found>,
    /// Reads that failed while others on the chain worked.
    faults: Vec<String>,
}

/// A position read from chain, with whose it is.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    owner: Address,
    input: PositionInput,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_watch_list() -> (WatchList, Vec<String>) {
    let saved = storage().and_then(|s| s.get_item(WATCH_LIST_KEY).ok().flatten());
    WatchList::from_saved(saved.as_deref())
}

fn save_watch_list(list: &WatchList) -> Result<(), String> {
    let storage = storage().ok_or_else(|| "this browser gives the page no local storage".to_owned())?;
    storage
        .set_item(WATCH_LIST_KEY, &list.to_json())
        .map_err(|_| "the browser refused to save the watch list (storage full or private mode)".to_owned())
}

#[component]
pub fn PositionsPage(snapshot: Snapshot) -> impl IntoView {
    let (loaded, settings_notice) = settings::load();
    let mut notices: Vec<String> = settings_notice.into_iter().collect();
    let (saved_list, list_notices) = load_watch_list();
    notices.extend(list_notices);
    // A link's addresses are what it shows; without one, the saved watch list.
    let first_addresses = match read_param(ADDRESS_PARAM) {
        Some(text) => {
            let (addresses, link_notices) = parse_address_param(&text);
            notices.extend(link_notices);
            addresses
        }
        None => saved_list.addresses.clone(),
    };
    let link_chains = read_param(CHAINS_PARAM).map(|text| {
        let (chains, link_notices) = parse_chains_param(&text);
        notices.extend(link_notices);
        chains
    });

    let settings = RwSignal::new(loaded);
    let notices = RwSignal::new(notices);
    let addresses = RwSignal::new(first_addresses);
    let watch_list = RwSignal::new(saved_list);
    let chains = Memo::new(move |_| link_chains.clone().unwrap_or_else(|| settings.with(default_chains)));
    let reads = RwSignal::new(Vec::<ChainReads>::new());
    let reload = RwSignal::new(0u64);
    let generation = StoredValue::new(0u64);

    // Every change of what is watched, where, or the switch starts the reads over.
    Effect::new(move |_| {
        reload.track();
        let s = settings.get();
        let watched = addresses.get();
        let chain_ids = chains.get();
        let gen = generation.get_value() + 1;
        generation.set_value(gen);
        if !s.live_data || watched.is_empty() {
            reads.set(Vec::new());
            return;
        }
        reads.set(
            chain_ids
                .iter()
                .map(|&id| ChainReads {
                    chain_id: id,
                    name: registry::chain(id).map_or("unknown chain", |c| c.name),
                    state: ChainState::Loading { done: 0, of: 0 },
                    found: Vec::new(),
                    faults: Vec::new(),
                })
                .collect(),
        );
        for id in chain_ids {
            spawn_local(read_chain(s.clone(), id, watched.clone(), reads, generation, gen));
        }
    });

    let live = move || settings.with(|s| s.live_data);
    let inputs = Memo::new(move |_| -> Vec<(Address, PositionInput)> {
        if live() {
            reads.with(|r| r.iter().flat_map(|c| c.found.iter().map(|f| (f.owner, f.input.clone()))).collect())
        } else {
            demo_inputs(&snapshot)
        }
    });
    let board = Memo::new(move |_| inputs.with(|i| dashboard(&i.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>())));

    let set_live = move |on: bool| {
        let mut changed = settings.get_untracked();
        changed.live_data = on;
        if let Err(why) = settings::save(&changed) {
            notices.update(|n| n.push(format!("Not saved: {why}. The change holds until you leave the page.")));
        }
        settings.set(changed);
    };
    let keep = move |list: Vec<Address>| {
        if list.is_empty() {
            remove_param(ADDRESS_PARAM);
        } else {
            write_param(ADDRESS_PARAM, &address_param(&list));
        }
        addresses.set(list);
    };
    let save_list = move |list: WatchList| {
        if let Err(why) = save_watch_list(&list) {
            notices.update(|n| n.push(format!("The watch list was not saved: {why}.")));
        }
        watch_list.set(list);
    };

    view! {
        <section class="positions" data-testid="positions-page">
            <h2>"Positions"</h2>
            {move || notices.get().into_iter().map(|n| view! { <p class="notice" role="status" data-testid="positions-notice">{n}</p> }).collect_view()}
            <div class="prices-toolbar">
                <label class="live-switch">
                    <input type="checkbox" data-testid="live-data" prop:checked=live
                        on:change=move |ev| set_live(event_target_checked(&ev)) />
                    " Live data"
                </label>
                <button data-testid="reload" disabled=move || !live() on:click=move |_| reload.update(|r| *r += 1)>"Read again"</button>
            </div>
            <WatchForm addresses watch_list keep save_list />
            <crate::transact::TransactPanel settings on_confirmed=move || reload.update(|r| *r += 1) />
            <ChainList reads />
            <EmptyState live=Signal::derive(live) addresses reads board />
            <TotalsView board />
            <div class="position-list">
                {move || {
                    let lookup: BTreeMap<(String, String), (Option<Address>, Scenario)> = inputs.with(|i| {
                        i.iter()
                            .map(|(owner, p)| ((p.chain.clone(), p.market.clone()), ((*owner != Address::ZERO).then_some(*owner), p.scenario.clone())))
                            .collect()
                    });
                    board.with(|b| b.rows.iter().map(|row| {
                        let found = lookup.get(&(row.chain.clone(), row.market.clone())).cloned();
                        view! { <PositionView row=row.clone() found /> }
                    }).collect_view())
                }}
                {move || board.with(|b| b.failed.iter().map(|f| view! {
                    <p class="error" role="alert" data-testid="position-error">
                        {format!("{} · {}: the engine could not evaluate this position: {}", f.chain, f.market, f.error)}
                    </p>
                }).collect_view())}
            </div>
        </section>
    }
}

/// The snapshot's demo positions at their saved prices (no owner).
fn demo_inputs(snapshot: &Snapshot) -> Vec<(Address, PositionInput)> {
    snapshot
        .positions
        .iter()
        .filter_map(|p| {
            let scenario = snapshot.scenario(p.id()).ok()?;
            Some((
                Address::ZERO,
                PositionInput {
                    chain: "Demo snapshot".into(),
                    market: p.label().to_owned(),
                    scenario,
                    chain_account: None,
                    vault_borrow_apy: None,
                },
            ))
        })
        .collect()
}

/// Reads every market of one chain for every watched address, updating that
/// chain's entry only (and only while `gen` is still the current reads).
async fn read_chain(
    s: ChainSettings,
    chain_id: u64,
    owners: Vec<Address>,
    reads: RwSignal<Vec<ChainReads>>,
    generation: StoredValue<u64>,
    gen: u64,
) {
    let read_at_ms = js_sys::Date::now();
    let update = move |change: &dyn Fn(&mut ChainReads)| {
        if generation.try_get_value() != Some(gen) {
            return;
        }
        reads.update(|all| {
            if let Some(entry) = all.iter_mut().find(|c| c.chain_id == chain_id) {
                change(entry);
            }
        });
    };
    let setup = RpcClient::from_settings(&s, chain_id)
        .map_err(|e| e.to_string())
        .and_then(|client| markets_for(&s, chain_id).map(|markets| (client, markets)));
    let (client, markets) = match setup {
        Ok(setup) => setup,
        Err(why) => return update(&|c| c.state = ChainState::Failed(why.clone())),
    };
    let liquity = reads_liquity(chain_id);
    let of = (markets.len() + usize::from(liquity)) * owners.len();
    update(&|c| c.state = ChainState::Loading { done: 0, of });
    let name = registry::chain(chain_id).map_or("unknown chain", |c| c.name);
    let (mut done, mut failures, mut first_failure) = (0, 0, None::<String>);
    // The oldest block any position was read at: a node behind makes every figure older than its age says.
    let mut oldest_block = None::<u64>;
    for market in &markets {
        let addresses = match resolve_market(&client, &market.source).await {
            Ok(addresses) => addresses,
            Err(why) => {
                let why = format!("{}: {why}", market.name);
                failures += owners.len();
                done += owners.len();
                first_failure.get_or_insert(why.clone());
                update(&|c| {
                    c.faults.push(why.clone());
                    c.state = ChainState::Loading { done, of };
                });
                continue;
            }
        };
        for &owner in &owners {
            let read = read_position(&client, &addresses, owner).await;
            done += 1;
            if let Ok(read) = &read {
                oldest_block = Some(oldest_block.map_or(read.timestamp, |t| t.min(read.timestamp)));
            }
            match read {
                Ok(read) if has_position(&read.scenario) => {
                    let input = read.dashboard_input(name, &position_label(&market.name, owner));
                    update(&|c| c.found.push(Found { owner, input: input.clone() }));
                }
                Ok(_) => {}
                Err(why) => {
                    let why = format!("{} for {}: {why}", market.name, owner.to_checksum(None));
                    failures += 1;
                    first_failure.get_or_insert(why.clone());
                    update(&|c| c.faults.push(why.clone()));
                }
            }
            update(&|c| c.state = ChainState::Loading { done, of });
        }
    }
    if liquity {
        for &owner in &owners {
            let read = read_liquity_trove(&client, owner, name).await;
            done += 1;
            match read {
                Ok(Some(mut input)) => {
                    input.market = position_label("Liquity v1", owner);
                    update(&|c| c.found.push(Found { owner, input: input.clone() }));
                }
                Ok(None) => {}
                Err(why) => {
                    let why = format!("Liquity v1 for {}: {why}", owner.to_checksum(None));
                    failures += 1;
                    first_failure.get_or_insert(why.clone());
                    update(&|c| c.faults.push(why.clone()));
                }
            }
            update(&|c| c.state = ChainState::Loading { done, of });
        }
    }
    let state = match chain_outcome(of, failures, first_failure.as_deref()) {
        Err(why) => ChainState::Failed(why),
        Ok(()) => ChainState::Done {
            read_at_ms,
            node_behind_secs: oldest_block.and_then(|block| node_behind(chain_id, block, read_at_ms)),
        },
    };
    update(&|c| {
        c.state = state.clone();
        if matches!(state, ChainState::Failed(_)) {
            c.faults.clear();
        }
    });
}

/// One `aggregate3` to Multicall3, its outcomes in the calls' order.
pub(crate) async fn aggregate(client: &RpcClient, calls: &[Call]) -> Result<Vec<CallOutcome>, String> {
    let data = aggregate3_calldata(calls).map_err(|e| e.to_string())?;
    let request = Request::eth_call(1, MULTICALL3, &data, BlockTag::Latest);
    let mut answers = client.batch(&[request]).await.map_err(|e| e.to_string())?;
    let answer = answers.pop().ok_or_else(|| "the node sent no answer".to_owned())?;
    let value = answer.map_err(|e| format!("Multicall3's aggregate3 failed: {e}"))?;
    let bytes = decode_call_result(&value).map_err(|e| e.to_string())?;
    decode_aggregate3(&bytes, calls.len()).map_err(|e| e.to_string())
}

/// A market's addresses: listed ones as they are; a market from the settings
/// has its Pool read from its PoolAddressesProvider.
pub(crate) async fn resolve_market(client: &RpcClient, source: &MarketSource) -> Result<MarketAddresses, String> {
    match *source {
        MarketSource::Listed(addresses) => Ok(addresses),
        MarketSource::Custom { provider, ui_pool_data_provider } => {
            let request = Request::eth_call(1, provider, &get_pool_calldata(), BlockTag::Latest);
            let mut answers = client.batch(&[request]).await.map_err(|e| e.to_string())?;
            let answer = answers.pop().ok_or_else(|| "the node sent no answer".to_owned())?;
            let value = answer.map_err(|e| format!("PoolAddressesProvider.getPool() failed: {e}"))?;
            let bytes = decode_call_result(&value).map_err(|e| e.to_string())?;
            let pool = decode_pool(&bytes).map_err(|e| format!("getPool(): {e}"))?;
            Ok(MarketAddresses {
                pool_addresses_provider: provider,
                pool,
                // Not needed for a position's reads.
                oracle: Address::ZERO,
                ui_pool_data_provider,
                pool_data_provider: Address::ZERO,
                price_oracle_sentinel: None,
            })
        }
    }
}

/// One position's two batches (see `ballast_chain::aave_position`).
async fn read_position(client: &RpcClient, market: &MarketAddresses, owner: Address) -> Result<PositionRead, String> {
    let first = aggregate(client, &aave_position::revision_calls(market)).await?;
    let plan = aave_position::plan(&first, owner).map_err(|e| e.to_string())?;
    let second = aggregate(client, &plan.calls(market)).await?;
    plan.read(&second).map_err(|e| e.to_string())
}

/// An address's Liquity v1 trove on Ethereum, in one batch; `None` when it has no open trove.
async fn read_liquity_trove(client: &RpcClient, owner: Address, chain: &str) -> Result<Option<PositionInput>, String> {
    let outcomes = aggregate(client, &LiquityContracts::mainnet().trove_calls(owner)).await?;
    let reads = read_trove(&outcomes).map_err(|e| e.to_string())?;
    if reads.status != TroveStatus::Active {
        return Ok(None);
    }
    liquity_dashboard_input(&reads, chain).map(Some).map_err(|e| e.to_string())
}

/// Entering an address, and the watch list with its remove buttons.
#[component]
fn WatchForm(
    addresses: RwSignal<Vec<Address>>,
    watch_list: RwSignal<WatchList>,
    keep: impl Fn(Vec<Address>) + Copy + Send + Sync + 'static,
    save_list: impl Fn(WatchList) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let watch = move || match parse_address(&typed.get_untracked()) {
        Ok(address) => {
            error.set(None);
            typed.set(String::new());
            let mut list = watch_list.get_untracked();
            list.add(address);
            save_list(list);
            let mut shown = addresses.get_untracked();
            if !shown.contains(&address) {
                shown.push(address);
            }
            keep(shown);
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    view! {
        <form class="watch-form" data-testid="watch-form" on:submit=move |ev| { ev.prevent_default(); watch(); }>
            <label>
                "Watch an address "
                <input type="text" data-testid="watch-address" placeholder="0x…" autocomplete="off" spellcheck="false"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <button type="submit" data-testid="watch">"Watch"</button>
            <UseConnectedAccount addresses watch_list keep save_list />
            <span class="muted">" No wallet needed: positions are public on chain."</span>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="watch-error">{e}</p> })}
        </form>
        <ul class="watched" data-testid="watched">
            {move || addresses.get().into_iter().map(|a| {
                let text = a.to_checksum(None);
                view! {
                    <li data-testid="watched-address" data-address=text.clone()>
                        <code>{text.clone()}</code>
                        " "
                        <button data-testid="unwatch" on:click=move |_| {
                            let mut list = watch_list.get_untracked();
                            list.remove(a);
                            save_list(list);
                            keep(addresses.get_untracked().into_iter().filter(|x| *x != a).collect());
                        }>"Remove"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// "Use the connected account": watches the wallet's account like a typed one.
#[component]
fn UseConnectedAccount(
    addresses: RwSignal<Vec<Address>>,
    watch_list: RwSignal<WatchList>,
    keep: impl Fn(Vec<Address>) + Copy + Send + Sync + 'static,
    save_list: impl Fn(WatchList) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let wallet = crate::wallet::use_wallet();
    let connected = move || wallet.session.with(|s| s.as_ref().map(|s| s.account));
    move || {
        connected().map(|account| {
            view! {
                <button type="button" data-testid="watch-connected" on:click=move |_| {
                    let mut list = watch_list.get_untracked();
                    list.add(account);
                    save_list(list);
                    let mut shown = addresses.get_untracked();
                    if !shown.contains(&account) {
                        shown.push(account);
                    }
                    keep(shown);
                }>"Use the connected account"</button>
            }
        })
    }
}

/// Each chain's progress and error, apart; a finished chain says how old its
/// read is, and when it is too old to be taken as current (`data_source::read_age`).
#[component]
fn ChainList(reads: RwSignal<Vec<ChainReads>>) -> impl IntoView {
    view! {
        <ul class="chain-reads">
            {move || reads.get().into_iter().map(|c| {
                let found = c.found.len();
                let (state, text) = match &c.state {
                    ChainState::Loading { done, of } => ("loading", format!("reading… {done} of {of} reads done")),
                    ChainState::Done { .. } => ("done", format!("{found} position(s) found")),
                    ChainState::Failed(why) => ("failed", format!("could not be read: {why}")),
                };
                let (read_at_ms, node_behind_secs) = match c.state {
                    ChainState::Done { read_at_ms, node_behind_secs } => (Some(read_at_ms), node_behind_secs),
                    _ => (None, None),
                };
                let age = use_read_age(read_at_ms);
                let failed = state == "failed";
                view! {
                    <li data-testid="chain-status" data-chain-id=c.chain_id.to_string() data-state=state
                        data-stale=move || read_at_ms.map(|_| age.stale.get().to_string())>
                        <strong>{c.name}</strong>": "
                        <span class:error=failed role=failed.then_some("alert") data-testid="chain-status-text">
                            {text}
                            {move || age.text.get().map(|age| format!(" · {age}"))}
                        </span>
                        {move || age.stale.get().then(|| view! {
                            <span class="warning" role="status" data-testid="chain-stale">
                                " These figures may be out of date: prices move. Read again for current ones."
                            </span>
                        })}
                        {node_behind_secs.map(|lag| view! {
                            <p class="warning" role="status" data-testid="chain-node-behind" data-lag=lag.to_string()>
                                {node_behind_text(lag)}
                            </p>
                        })}
                        {c.faults.iter().map(|f| view! { <p class="fault" data-testid="chain-fault">{f.clone()}</p> }).collect_view()}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// What to do when there is nothing (or nothing live) to show.
#[component]
fn EmptyState(
    live: Signal<bool>,
    addresses: RwSignal<Vec<Address>>,
    reads: RwSignal<Vec<ChainReads>>,
    board: Memo<Dashboard>,
) -> impl IntoView {
    move || {
        let (kind, text) = if !live.get() {
            (
                "live-off",
                "Live data is off, so nothing is read from any chain: below are the snapshot's demo positions at \
                 saved prices. Turn on live data, then watch an address to see its positions.",
            )
        } else if addresses.with(Vec::is_empty) {
            ("no-address", "Enter an address above to see its Aave V3 positions on the configured chains.")
        } else if reads.with(Vec::is_empty) {
            (
                "no-chain",
                "No chain to read: the link's ?chains= names none Ballast knows. Remove it to read every chain \
                 with an Aave V3 market.",
            )
        } else if reads.with(|r| r.iter().all(|c| matches!(c.state, ChainState::Loading { .. }))) {
            return None;
        } else if board.with(|b| b.rows.is_empty() && b.failed.is_empty())
            && reads.with(|r| r.iter().all(|c| !matches!(c.state, ChainState::Loading { .. })))
        {
            (
                "none-found",
                "No Aave V3 position (nor, on Ethereum, Liquity trove) was found for the watched addresses on the chains \
                 read. Check the address, \
                 or add chains with ?chains= in the link.",
            )
        } else {
            return None;
        };
        Some(view! { <p class="empty muted" data-testid="empty-state" data-kind=kind>{text}</p> })
    }
}

#[component]
fn TotalsView(board: Memo<Dashboard>) -> impl IntoView {
    move || {
        board.with(|b| {
            if b.rows.is_empty() {
                return None;
            }
            let t = &b.totals;
            let figure = |label: &'static str, id: &'static str, s: Shown| {
                view! {
                    <div class="figure">
                        <span class="figure-label">{label}</span>
                        <span class="figure-value" data-testid=id data-value=s.value>{s.text}</span>
                    </div>
                }
            };
            Some(view! {
                <div class="totals figures" data-testid="totals">
                    {figure("Total collateral", "total-collateral", model::usd(&t.collateral_usd, Rounding::Down))}
                    {figure("Total debt", "total-debt", model::usd(&t.debt_usd, Rounding::Up))}
                    {figure("Net worth", "net-worth", model::usd(&t.net_worth, Rounding::Down))}
                    {figure("Supply APY (weighted)", "total-supply-apy", model::percent(t.supply_apy.as_ref()))}
                    {figure("Borrow APY (weighted)", "total-borrow-apy", model::percent(t.borrow_apy.as_ref()))}
                    {figure("Lowest health factor", "lowest-hf", model::health_factor(t.lowest_health_factor.as_ref()))}
                </div>
            })
        })
    }
}

fn asset_lines(lines: &[AssetLine], test_id: &'static str, rounding: Rounding) -> impl IntoView {
    lines
        .iter()
        .map(|l| {
            let amount = model::amount(&l.amount, rounding);
            let usd = model::usd(&l.usd, rounding);
            let apy = model::percent(l.apy.as_ref());
            view! {
                <tr data-testid=test_id data-asset=l.asset.clone() data-counts=l.counts_as_collateral.to_string()>
                    <td>{l.asset.clone()}{(!l.counts_as_collateral && test_id == "collateral-line").then_some(" (not collateral)")}</td>
                    <td class="num" data-testid="line-amount" data-value=amount.value>{amount.text}</td>
                    <td class="num" data-testid="line-usd" data-value=usd.value>{usd.text}</td>
                    <td class="num" data-testid="line-apy" data-value=apy.value>{apy.text}</td>
                </tr>
            }
        })
        .collect_view()
}

/// One position: what it holds and owes, how healthy it is and what to watch.
#[component]
fn PositionView(row: PositionRow, found: Option<(Option<Address>, Scenario)>) -> impl IntoView {
    let hf = model::health_factor(row.health_factor.as_ref());
    let engine_hf = model::health_factor(row.engine_health_factor.as_ref());
    let band = HealthBand::of(row.health_factor.as_ref());
    let source = match row.health_source {
        HealthSource::Chain => "the chain's getUserAccountData",
        HealthSource::Engine => "the engine",
    };
    let owner = found.as_ref().and_then(|(o, _)| *o).map(|o| o.to_checksum(None)).unwrap_or_default();
    // A live read (an owner) opens as a live position, whose edits can be signed.
    // The planner believes the live label only with the tab's hand-off (sign::hand_off_live).
    let plan = found.as_ref().map(|(owner, s)| match owner {
        Some(_) => {
            // Encoded once: the link and the tab's hand-off carry the same text.
            let share = ballast_core::share::encode(s);
            (model::live_plan_link(&share, &row.chain), Some(share))
        }
        None => (plan_link(s), None),
    });
    let ltv_used = model::percent(row.ltv_used.as_ref());
    let ltv_max = model::percent(row.ltv_max.as_ref());
    let threshold = model::percent(row.liquidation_threshold.as_ref());
    let distance = row.riskiest.as_ref().map(|d| {
        let change = model::percent(Some(&d.change));
        // Rounded toward today's price, so the line shown is never further away than the real one.
        let toward_today = if d.change < BigRational::from_integer(0.into()) { Rounding::Up } else { Rounding::Down };
        let price = model::usd(&d.liquidation_price, toward_today);
        view! {
            <span data-testid="distance" data-asset=d.asset.clone() data-value=change.value>
                {format!("{} if {} moves {} (to {})", "Liquidation", d.asset, change.text, price.text)}
            </span>
        }
    });
    let f = &row.flags;
    let mut flags: Vec<(&'static str, String, String)> = Vec::new();
    if row.liquidatable {
        flags.push(("liquidatable", String::new(), "Liquidatable now".into()));
    }
    if let Some(id) = f.emode {
        flags.push(("emode", id.to_string(), format!("E-mode {id}")));
    }
    if let Some(asset) = &f.isolation {
        flags.push(("isolation", asset.clone(), format!("Isolation mode ({asset})")));
    }
    if !f.ltv_zero_collateral.is_empty() {
        let list = f.ltv_zero_collateral.join(",");
        flags.push((
            "ltv-zero",
            list.clone(),
            format!("LTV 0 collateral: {list} (blocks withdrawing other collateral)"),
        ));
    }
    if !f.frozen.is_empty() {
        let list = f.frozen.join(",");
        flags.push(("frozen", list.clone(), format!("Frozen: {list}")));
    }
    if !f.paused.is_empty() {
        let list = f.paused.join(",");
        flags.push(("paused", list.clone(), format!("Paused: {list}")));
    }
    if f.recovery_mode {
        flags.push(("recovery", String::new(), "Recovery mode".into()));
    }
    view! {
        <article class="position" data-testid="position" data-chain=row.chain.clone() data-owner=owner
            data-protocol=row.protocol.as_str() data-liquidatable=row.liquidatable.to_string()>
            <h3>
                <span data-testid="position-chain">{row.chain.clone()}</span>" · "
                <span data-testid="position-market">{row.market.clone()}</span>" · "
                <span data-testid="position-protocol">{row.protocol.as_str()}</span>
            </h3>
            <div class="figures">
                <div class="figure">
                    <span class="figure-label">"Health factor"</span>
                    <span class=format!("figure-value {}", band.css_class()) data-testid="hf" data-value=hf.value>{hf.text}</span>
                    <span class="muted" data-testid="hf-source">{format!(" from {source}")}</span>
                </div>
                <div class="figure">
                    <span class="figure-label">"Engine's health factor"</span>
                    <span class="figure-value" data-testid="engine-hf" data-value=engine_hf.value>{engine_hf.text}</span>
                </div>
                <div class="figure">
                    <span class="figure-label">"LTV used / max"</span>
                    <span class="figure-value">
                        <span data-testid="ltv-used" data-value=ltv_used.value>{ltv_used.text}</span>" / "
                        <span data-testid="ltv-max" data-value=ltv_max.value>{ltv_max.text}</span>
                    </span>
                    <span class="muted">" liquidation at "<span data-testid="liquidation-threshold" data-value=threshold.value>{threshold.text}</span></span>
                </div>
            </div>
            <p data-testid="distance-line">{distance.map(IntoView::into_view)}</p>
            <ul class="flags">
                {flags.into_iter().map(|(kind, value, text)| view! {
                    <li class="badge" data-testid="flag" data-flag=kind data-value=value>{text}</li>
                }).collect_view()}
            </ul>
            <table class="lines">
                <thead><tr><th>"Supplied"</th><th>"Amount"</th><th>"USD"</th><th>"APY"</th></tr></thead>
                <tbody>{asset_lines(&row.collateral, "collateral-line", Rounding::Down)}</tbody>
                <thead><tr><th>"Borrowed"</th><th>"Amount"</th><th>"USD"</th><th>"APY"</th></tr></thead>
                <tbody>{asset_lines(&row.debt, "debt-line", Rounding::Up)}</tbody>
            </table>
            {row.warnings.iter().map(|w| view! { <p class="warning" role="alert" data-testid="warning">{format!("⚠ {w}")}</p> }).collect_view()}
            {plan.map(|(href, live)| view! {
                <a
                    class="button"
                    data-testid="plan-link"
                    href=href
                    on:click=move |_| {
                        if let Some(share) = &live {
                            crate::pages::plan::sign::hand_off_live(share);
                        }
                    }
                >
                    "Open in the planner"
                </a>
            })}
        </article>
    }
}
