//! The transaction panel: for the connected account's Aave V3 position on a
//! chain, an action becomes ordered steps (an exact approval first when the
//! Pool needs one), each checked right before it is signed: the position
//! read again, the engine's health factor after it (under 1: refused before
//! the wallet is asked), `eth_call` and `eth_estimateGas` from the user's
//! address with the revert in words, the calldata decoded, gas and fee.

use alloy_primitives::{Address, Bytes, B256, U256};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::calls::{allowance_calldata, approve_calldata, decode_allowance, decode_calldata, PoolCall};
use super::io::{fee_plan, next_nonce, read_live, send, simulate, wait, Landed, LivePosition};
use super::model::{
    approval_amount, chain_health_factor, engine_action, gwei, health_after, native_exact, parse_amount, parse_floor,
    revert_words, send_guard, token_units, tokens_exact, verdict, Amount, FeePlan, MarketReserve, Verdict,
    DEFAULT_FLOOR,
};
use crate::chain::settings::ChainSettings;
use crate::pages::positions::model::{default_chains, health_factor};
use crate::wallet::chains::chain_label;
use crate::wallet::{use_wallet, WalletError};

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
enum StepKind {
    Approve { reserve: MarketReserve, amount: U256 },
    Pool { call: PoolCall, reserve: MarketReserve, amount: Amount },
}

/// Where a step is.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Waiting,
    Checking,
    Ready(Box<Checked>),
    /// Refused before the wallet was asked (HF under 1, a simulated revert, a failed check).
    Refused(String),
    Signing,
    Pending(B256),
    Confirmed(B256),
    Failed(String),
    Replaced(B256),
    /// The user declined in the wallet: calm; the step can be checked again and signed.
    Declined,
}

impl Status {
    fn slug(&self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Checking => "checking",
            Status::Ready(_) => "ready",
            Status::Refused(_) => "refused",
            Status::Signing => "signing",
            Status::Pending(_) => "pending",
            Status::Confirmed(_) => "confirmed",
            Status::Failed(_) => "failed",
            Status::Replaced(_) => "replaced",
            Status::Declined => "declined",
        }
    }
}

/// A step checked and ready to sign.
#[derive(Debug, Clone, PartialEq)]
struct Checked {
    from: Address,
    to: Address,
    data: Bytes,
    fee: FeePlan,
    /// The engine's health factor after the step, on the position just read.
    hf_after: Option<num_rational::BigRational>,
    warning: Option<String>,
    /// The targets allowed for this step: the Pool, and for an approval its token.
    allowed: Vec<Address>,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    kind: StepKind,
    status: Status,
}

impl StepKind {
    fn slug(&self) -> &'static str {
        match self {
            StepKind::Approve { .. } => "approve",
            StepKind::Pool { call, .. } => call.slug(),
        }
    }
}

/// The decoded calldata in words: contract, function, amounts in tokens.
fn describe(data: &[u8], to: Address, pool: Address, reserves: &[MarketReserve]) -> String {
    let Some(call) = decode_calldata(data) else { return "calldata that does not decode".into() };
    let token = |a: Address| reserves.iter().find(|r| r.underlying == a);
    let contract = if to == pool { "Aave V3 Pool".to_owned() } else { token(to).map_or("a token".into(), |r| format!("{} token", r.symbol)) };
    if call.function == "approve" {
        let r = token(to);
        let amount = match r {
            Some(r) if call.amount == U256::MAX => format!("unlimited {}", r.symbol),
            Some(r) => format!("{} {}", tokens_exact(call.amount, r.decimals), r.symbol),
            None => call.amount.to_string(),
        };
        let spender = if call.asset_or_spender == pool { "the Aave V3 Pool".to_owned() } else { call.asset_or_spender.to_checksum(None) };
        return format!("{contract}.approve: lets {spender} take {amount}");
    }
    let (symbol, amount) = match token(call.asset_or_spender) {
        Some(r) => (r.symbol.clone(), tokens_exact(call.amount, r.decimals)),
        None => (call.asset_or_spender.to_checksum(None), call.amount.to_string()),
    };
    let for_whom = call.on_behalf_of.map(|a| a.to_checksum(None)).unwrap_or_default();
    format!("{contract}.{}: {amount} {symbol} for {for_whom}", call.function)
}

#[component]
pub fn TransactPanel(
    settings: RwSignal<ChainSettings>,
    /// Called after a transaction is confirmed, so the page reads positions again.
    on_confirmed: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let wallet = use_wallet();
    let chains = Memo::new(move |_| settings.with(default_chains));
    let first_chain = move || {
        let list = chains.get_untracked();
        let wallet_chain = wallet.session.with_untracked(|s| s.as_ref().map(|s| s.chain_id));
        let fallback = settings.with_untracked(|s| s.market_chain_id);
        wallet_chain.filter(|c| list.contains(c)).or(Some(fallback).filter(|c| list.contains(c))).or(list.first().copied())
    };
    let target = RwSignal::new(first_chain());
    let live = RwSignal::new(None::<Result<LivePosition, String>>);
    let call = RwSignal::new(PoolCall::Supply);
    let asset = RwSignal::new(String::new());
    let amount_text = RwSignal::new(String::new());
    let max = RwSignal::new(false);
    let unlimited = RwSignal::new(false);
    let floor_text = RwSignal::new(DEFAULT_FLOOR.to_owned());
    let accept_floor = RwSignal::new(false);
    let steps = RwSignal::new(Vec::<Step>::new());
    let form_error = RwSignal::new(None::<String>);
    let chain_note = RwSignal::new(None::<String>);
    // One signing at a time, whatever the clicks: set before the wallet is asked.
    let sending = StoredValue::new(false);
    let reads = StoredValue::new(0u64);

    let account = move || wallet.session.with(|s| s.as_ref().map(|s| s.account));
    let refresh = move || {
        let (Some(owner), Some(chain_id)) = (account(), target.get()) else { return };
        let s = settings.get();
        let n = reads.get_value() + 1;
        reads.set_value(n);
        spawn_local(async move {
            let read = read_live(&s, chain_id, owner).await;
            if reads.get_value() == n {
                if let Ok(p) = &read {
                    if asset.get_untracked().is_empty() {
                        asset.set(p.reserves.first().map(|r| r.symbol.clone()).unwrap_or_default());
                    }
                }
                live.set(Some(read));
            }
        });
    };
    // Read when the account, the chain or the settings change.
    Effect::new(move |_| {
        if settings.with(|s| s.live_data) {
            refresh();
        } else {
            live.set(None);
        }
    });

    let set_status = move |i: usize, status: Status| {
        steps.update(|all| {
            if let Some(step) = all.get_mut(i) {
                step.status = status;
            }
        })
    };

    // Checks step `i` on a fresh read of the position.
    let check = move |i: usize| {
        let Some(step) = steps.with_untracked(|s| s.get(i).cloned()) else { return };
        let (Some(from), Some(chain_id)) = (wallet.session.with_untracked(|s| s.as_ref().map(|s| s.account)), target.get_untracked())
        else {
            return;
        };
        let s = settings.get_untracked();
        let floor = parse_floor(&floor_text.get_untracked());
        set_status(i, Status::Checking);
        spawn_local(async move {
            let position = match read_live(&s, chain_id, from).await {
                Ok(p) => p,
                Err(why) => return set_status(i, Status::Refused(format!("The position could not be read: {why}"))),
            };
            live.set(Some(Ok(position.clone())));
            let (to, data, hf_after, warning) = match &step.kind {
                StepKind::Approve { reserve, amount } => {
                    let hf = chain_health_factor(&position.account);
                    (reserve.underlying, approve_calldata(position.pool, *amount), hf, None)
                }
                StepKind::Pool { call, reserve, amount } => {
                    let action = engine_action(*call, &reserve.symbol, amount);
                    let hf = match health_after(&position.scenario, &action) {
                        Ok(hf) => hf,
                        Err(why) => return set_status(i, Status::Refused(format!("Refused: {why}. Nothing was sent to your wallet."))),
                    };
                    let floor = match floor {
                        Ok(f) => f,
                        Err(why) => return set_status(i, Status::Refused(format!("The safety floor: {why}."))),
                    };
                    let warning = match verdict(hf.as_ref(), &floor) {
                        Verdict::Refused(why) => return set_status(i, Status::Refused(why)),
                        Verdict::BelowFloor(why) => Some(why),
                        Verdict::Fine => None,
                    };
                    let units = match token_units(amount, reserve) {
                        Ok(u) => u,
                        Err(why) => return set_status(i, Status::Refused(why.to_string())),
                    };
                    (position.pool, call.calldata(reserve.underlying, units, from), hf, warning)
                }
            };
            if let Err(e) = simulate(wallet, from, to, &data).await {
                return set_status(i, Status::Refused(simulation_failure(&e)));
            }
            let fee = match fee_plan(wallet, from, to, &data).await {
                Ok(fee) => fee,
                Err(e) => return set_status(i, Status::Refused(simulation_failure(&e))),
            };
            let mut allowed = vec![position.pool];
            if let StepKind::Approve { reserve, .. } = &step.kind {
                allowed.push(reserve.underlying);
            }
            set_status(i, Status::Ready(Box::new(Checked { from, to, data, fee, hf_after, warning, allowed })));
        });
    };

    // Builds the steps of the form's action and checks the first.
    let review = move || {
        form_error.set(None);
        steps.set(Vec::new());
        let Some(Ok(position)) = live.get_untracked() else {
            return form_error.set(Some("The position has not been read yet.".into()));
        };
        let Some(reserve) = position.reserves.iter().find(|r| r.symbol == asset.get_untracked()).cloned() else {
            return form_error.set(Some("Pick an asset.".into()));
        };
        let c = call.get_untracked();
        let amount = match parse_amount(&amount_text.get_untracked(), max.get_untracked() && c.takes_max()) {
            Ok(a) => a,
            Err(e) => return form_error.set(Some(format!("Amount: {e}."))),
        };
        let units = match token_units(&amount, &reserve) {
            Ok(u) => u,
            Err(e) => return form_error.set(Some(format!("Amount: {e}."))),
        };
        let Some(from) = account() else { return };
        let pool_step = Step { kind: StepKind::Pool { call: c, reserve: reserve.clone(), amount: amount.clone() }, status: Status::Waiting };
        // The engine first: an action it refuses never reaches the wallet (not even to read an allowance).
        let refused = match health_after(&position.scenario, &engine_action(c, &reserve.symbol, &amount)) {
            Err(why) => Some(format!("Refused: {why}. Nothing was sent to your wallet.")),
            Ok(hf) => {
                let floor = parse_floor(&floor_text.get_untracked())
                    .unwrap_or_else(|_| num_rational::BigRational::from_integer(1.into()));
                match verdict(hf.as_ref(), &floor) {
                    Verdict::Refused(why) => Some(why),
                    _ => None,
                }
            }
        };
        if let Some(why) = refused {
            steps.set(vec![Step { status: Status::Refused(why), ..pool_step }]);
            return;
        }
        if !c.pulls_tokens() {
            steps.set(vec![pool_step]);
            return check(0);
        }
        let debt_units = position
            .scenario
            .debt
            .iter()
            .find(|h| h.asset == reserve.symbol)
            .and_then(|h| token_units(&Amount::Tokens(h.amount.clone()), &reserve).ok())
            .unwrap_or_default();
        let needed = approval_amount(units, debt_units, unlimited.get_untracked());
        let pool = position.pool;
        spawn_local(async move {
            let allowance = simulate(wallet, from, reserve.underlying, &allowance_calldata(from, pool))
                .await
                .ok()
                .and_then(|d| decode_allowance(&d));
            let Some(allowance) = allowance else {
                return form_error.set(Some(format!("{}'s allowance for the Pool could not be read.", reserve.symbol)));
            };
            let covered = if units == U256::MAX { allowance >= needed } else { allowance >= units };
            let mut list = Vec::new();
            if !covered {
                list.push(Step { kind: StepKind::Approve { reserve: reserve.clone(), amount: needed }, status: Status::Waiting });
            }
            list.push(pool_step);
            steps.set(list);
            check(0);
        });
    };

    let sign = move |i: usize| {
        if sending.get_value() {
            return;
        }
        let Some(Status::Ready(checked)) = steps.with_untracked(|s| s.get(i).map(|s| s.status.clone())) else { return };
        let Some(session) = wallet.session.get_untracked() else { return };
        let Some(chain_id) = target.get_untracked() else { return };
        if checked.warning.is_some() && !accept_floor.get_untracked() {
            return form_error.set(Some("Tick “Send it anyway” to send a step that goes under your safety floor.".into()));
        }
        if let Err(why) = send_guard(session.chain_id, chain_id, session.account, checked.from, checked.to, &checked.allowed) {
            return set_status(i, Status::Refused(why));
        }
        sending.set_value(true);
        set_status(i, Status::Signing);
        spawn_local(async move {
            let outcome = async {
                let nonce = next_nonce(wallet, checked.from).await?;
                let hash = send(wallet, checked.from, checked.to, &checked.data, &checked.fee).await?;
                set_status(i, Status::Pending(hash));
                Ok::<_, WalletError>((hash, wait(wallet, hash, checked.from, nonce).await?))
            }
            .await;
            sending.set_value(false);
            match outcome {
                Ok((hash, Landed::Confirmed { .. })) => {
                    set_status(i, Status::Confirmed(hash));
                    on_confirmed();
                    // The next step is checked on the position as it is now.
                    if steps.with_untracked(|s| s.len()) > i + 1 {
                        check(i + 1);
                    } else {
                        refresh();
                    }
                }
                Ok((_, Landed::Reverted { block })) => {
                    let why = match simulate(wallet, checked.from, checked.to, &checked.data).await {
                        Err(e) => simulation_failure(&e),
                        Ok(_) => "the simulation passes again now; the chain changed in between".into(),
                    };
                    set_status(i, Status::Failed(format!("Reverted on chain in block {block}: {why}")));
                    refresh();
                }
                Ok((hash, Landed::Replaced)) => {
                    set_status(i, Status::Replaced(hash));
                    refresh();
                }
                Err(e) if e.is_user_rejection() => set_status(i, Status::Declined),
                Err(e) => set_status(i, Status::Failed(format!("The wallet did not send it: {e}."))),
            }
        });
    };

    let switch = move |_| {
        let Some(chain_id) = target.get_untracked() else { return };
        chain_note.set(None);
        spawn_local(async move {
            match wallet.switch_chain(chain_id).await {
                Ok(()) => {}
                Err(e) if e.is_user_rejection() => chain_note.set(Some("You declined the switch in your wallet.".into())),
                Err(e) => chain_note.set(Some(format!("The wallet did not switch: {e}."))),
            }
        });
    };

    view! {
        <Show when=move || wallet.session.with(Option::is_some)>
            <section class="transact" data-testid="transact">
                <h3>"Transact as "<code data-testid="transact-account">{move || account().map(|a| a.to_checksum(None))}</code></h3>
                <label>"Chain "
                    <select data-testid="transact-chain" on:change=move |ev| {
                        target.set(event_target_value(&ev).parse().ok());
                        steps.set(Vec::new());
                    }>
                        {move || chains.get().into_iter().map(|id| view! {
                            <option value=id.to_string() selected=move || target.get() == Some(id)>{chain_label(id)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || {
                    let (Some(session), Some(chain_id)) = (wallet.session.get(), target.get()) else { return None };
                    (session.chain_id != chain_id).then(|| view! {
                        <p class="warning" role="alert" data-testid="wrong-chain">
                            {format!("Your wallet is on {}; this position is on {}. ", chain_label(session.chain_id), chain_label(chain_id))}
                            <button data-testid="switch-chain" on:click=switch>{format!("Switch the wallet to {}", chain_label(chain_id))}</button>
                        </p>
                    })
                }}
                {move || chain_note.get().map(|n| view! { <p class="muted" role="status" data-testid="chain-note">{n}</p> })}
                {move || match live.get() {
                    None if !settings.with(|s| s.live_data) => Some(view! {
                        <p class="muted" data-testid="transact-live-off">"Turn on live data above: the position is read from chain before anything is signed."</p>
                    }.into_any()),
                    None => Some(view! { <p class="muted">"Reading your position…"</p> }.into_any()),
                    Some(Err(why)) => Some(view! { <p class="error" role="alert" data-testid="transact-error">{format!("Your position could not be read: {why}")}</p> }.into_any()),
                    Some(Ok(p)) => {
                        let hf = health_factor(chain_health_factor(&p.account).as_ref());
                        Some(view! {
                            <p data-testid="transact-position">{format!("{} · health factor ", p.market)}
                                <strong data-testid="chain-hf" data-value=hf.value>{hf.text}</strong>
                                " (the chain's getUserAccountData)"
                            </p>
                        }.into_any())
                    }
                }}
                <form class="transact-form" on:submit=move |ev| { ev.prevent_default(); review(); }>
                    <select data-testid="tx-action" on:change=move |ev| {
                        if let Some(c) = PoolCall::from_slug(&event_target_value(&ev)) { call.set(c); }
                    }>
                        {PoolCall::ALL.into_iter().map(|c| view! { <option value=c.slug()>{c.slug()}</option> }).collect_view()}
                    </select>
                    <select data-testid="tx-asset" on:change=move |ev| asset.set(event_target_value(&ev))>
                        {move || live.get().and_then(Result::ok).map(|p| p.reserves.into_iter().map(|r| {
                            let symbol = r.symbol.clone();
                            view! { <option value=symbol.clone() selected=move || asset.get() == symbol>{r.symbol.clone()}</option> }
                        }).collect_view())}
                    </select>
                    <input type="text" data-testid="tx-amount" placeholder="amount" inputmode="decimal" autocomplete="off"
                        prop:value=move || amount_text.get() on:input=move |ev| amount_text.set(event_target_value(&ev)) />
                    <Show when=move || call.get().takes_max()>
                        <label><input type="checkbox" data-testid="tx-max" prop:checked=move || max.get()
                            on:change=move |ev| max.set(event_target_checked(&ev)) />" all of it (max)"</label>
                    </Show>
                    <Show when=move || call.get().pulls_tokens()>
                        <label class="unlimited"><input type="checkbox" data-testid="tx-unlimited" prop:checked=move || unlimited.get()
                            on:change=move |ev| unlimited.set(event_target_checked(&ev)) />
                            " Approve an unlimited amount (the Pool could then take any amount of this token from you later)"</label>
                    </Show>
                    <label>" Safety floor "<input type="text" size="5" data-testid="tx-floor" prop:value=move || floor_text.get()
                        on:input=move |ev| floor_text.set(event_target_value(&ev)) /></label>
                    <button type="submit" data-testid="tx-review">"Check"</button>
                </form>
                {move || form_error.get().map(|e| view! { <p class="error" role="alert" data-testid="tx-form-error">{e}</p> })}
                <ol class="tx-steps">
                    {move || {
                        let pool = live.with(|l| l.as_ref().and_then(|r| r.as_ref().ok()).map(|p| (p.pool, p.reserves.clone())));
                        steps.get().into_iter().enumerate().map(|(i, step)| {
                            let (pool, reserves) = pool.clone().unwrap_or_default();
                            step_view(i, step, pool, &reserves, accept_floor, sign, check)
                        }).collect_view()
                    }}
                </ol>
            </section>
        </Show>
    }
}

/// A failed simulation in words.
fn simulation_failure(e: &WalletError) -> String {
    match e.revert_data() {
        Some(data) => format!("The simulation reverts: {}. Nothing was sent.", revert_words(&data)),
        None if e.is_user_rejection() => "You declined.".into(),
        None => format!("The simulation failed: {}. Nothing was sent.", e.message()),
    }
}

fn step_view(
    i: usize,
    step: Step,
    pool: Address,
    reserves: &[MarketReserve],
    accept_floor: RwSignal<bool>,
    sign: impl Fn(usize) + Copy + Send + Sync + 'static,
    recheck: impl Fn(usize) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let kind = step.kind.slug();
    let status = step.status.slug();
    let title = match &step.kind {
        StepKind::Approve { reserve, amount } if *amount == U256::MAX => format!("Approve unlimited {}", reserve.symbol),
        StepKind::Approve { reserve, amount } => format!("Approve {} {}", tokens_exact(*amount, reserve.decimals), reserve.symbol),
        StepKind::Pool { call, reserve, amount } => match amount {
            Amount::Max => format!("{} all {}", call.slug(), reserve.symbol),
            Amount::Tokens(d) => format!("{} {d} {}", call.slug(), reserve.symbol),
        },
    };
    let body = match step.status {
        Status::Waiting => view! { <p class="muted">"Waits for the step before."</p> }.into_any(),
        Status::Checking => view! { <p class="muted">"Reading the position, simulating and estimating…"</p> }.into_any(),
        Status::Refused(why) => view! { <p class="error" role="alert" data-testid="tx-reason">{why}</p> }.into_any(),
        Status::Ready(c) => {
            let hf = health_factor(c.hf_after.as_ref());
            let fee = &c.fee;
            view! {
                <p data-testid="tx-decoded">{describe(&c.data, c.to, pool, reserves)}</p>
                <p>"Health factor after (engine): "<strong data-testid="tx-hf-after" data-value=hf.value>{hf.text}</strong></p>
                <p data-testid="tx-fee" data-gas=fee.gas_estimate.to_string() data-gas-limit=fee.gas_limit.to_string()
                    data-max-fee-per-gas=fee.max_fee_per_gas.to_string() data-max-priority-fee-per-gas=fee.max_priority_fee_per_gas.to_string()>
                    {format!("Gas {} (limit {}) · fee about {} ETH, at most {} ETH (base fee {} gwei + tip {} gwei)",
                        fee.gas_estimate, fee.gas_limit, native_exact(fee.likely_cost()), native_exact(fee.max_cost()),
                        gwei(fee.base_fee), gwei(fee.max_priority_fee_per_gas))}
                </p>
                {c.warning.clone().map(|w| view! {
                    <p class="warning" role="alert" data-testid="tx-warning">{w}" "
                        <label><input type="checkbox" data-testid="tx-accept-floor" prop:checked=move || accept_floor.get()
                            on:change=move |ev| accept_floor.set(event_target_checked(&ev)) />" Send it anyway"</label>
                    </p>
                })}
                <button data-testid="tx-sign" on:click=move |_| sign(i)>"Sign and send"</button>
            }
            .into_any()
        }
        Status::Signing => view! { <p class="muted">"Waiting for you in the wallet…"</p><button data-testid="tx-sign" disabled=true>"Sign and send"</button> }.into_any(),
        Status::Pending(hash) => view! { <p>"Pending: "<code data-testid="tx-hash">{hash.to_string()}</code></p><button data-testid="tx-sign" disabled=true>"Sign and send"</button> }.into_any(),
        Status::Confirmed(hash) => view! { <p>"Confirmed: "<code data-testid="tx-hash">{hash.to_string()}</code></p> }.into_any(),
        Status::Failed(why) => view! { <p class="error" role="alert" data-testid="tx-reason">{why}</p> }.into_any(),
        Status::Replaced(hash) => view! {
            <p class="warning" role="alert" data-testid="tx-reason">
                "Replaced: another transaction used its nonce (sped up or cancelled in the wallet). "<code data-testid="tx-hash">{hash.to_string()}</code>" will not be mined."
            </p>
        }.into_any(),
        Status::Declined => view! {
            <p class="muted" role="status" data-testid="tx-reason">"You declined in your wallet. Nothing was sent."</p>
            <button data-testid="tx-check-again" on:click=move |_| recheck(i)>"Check again"</button>
        }.into_any(),
    };
    view! {
        <li class="tx-step" data-testid="tx-step" data-kind=kind data-status=status>
            <strong>{title}</strong>
            {body}
        </li>
    }
}
