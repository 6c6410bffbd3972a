//! The transaction panel: for the connected account's Aave V3 position on a
//! chain, an action becomes ordered steps (an exact approval first when the
//! Pool needs one), each checked right before it is signed: the position
//! read again, the engine's health factor after it (under 1: refused before
//! the wallet is asked), `eth_call` and `eth_estimateGas` from the user's
//! address with the revert in words, the calldata decoded, gas and fee.

use alloy_primitives::{Address, B256, U256};
use ballast_chain::aave_actions::{pool_tx, AaveAction, DescribeContext, TokenInfo, TxRequest};
use ballast_chain::tx_fees::{wei_to_eth, wei_to_eth_rounded_up, FeeQuote};
use ballast_chain::tx_guard::check_before_send;
use ballast_chain::tx_plan::{plan_transactions, PlanOptions, PlanStep};
use ballast_chain::tx_rpc::TxProgress;
use leptos::prelude::*;
use leptos::task::spawn_local;
use num_rational::BigRational;

use super::io::{next_nonce, quote, read_assets, read_live, send, simulate, wait, wait_for_block, LivePosition};
use super::model::{
    collateral_rows, emode_choices, judge, name_emode_steps, parse_floor, parse_plan_param, permit_checks,
    same_account, simulation_failure, ActionKind, Judged, QueuedAction, DEFAULT_FLOOR, PLAN_PARAM,
};
use super::sequence::{check_is_stale, nonce_checks_send, permit_deadline, too_soon_after_recheck};
use super::steps::StepBoard;
use crate::chain::settings::ChainSettings;
use crate::components::use_read_age;
use crate::data_source::{node_behind, node_behind_text};
use crate::pages::positions::model::{default_chains, health_factor};
use crate::url_state::{read_param, remove_param};
use crate::wallet::chains::chain_label;
use crate::wallet::{use_wallet, WalletError};

/// Where a step is.
#[derive(Debug, Clone, PartialEq)]
enum Status {
    Waiting,
    Checking,
    /// A permit to sign before the call can be simulated.
    NeedsPermit(Box<Judged>),
    Ready(Box<Checked>),
    /// Refused before the wallet was asked to send (HF under 1, a simulated revert, a failed check).
    Refused(String),
    Signing,
    /// The wallet is asked for a permit signature: nothing it does sends a
    /// transaction, so the user may stop waiting for one that hangs.
    SigningPermit,
    /// The user stopped waiting for a permit signature; a late answer is ignored.
    StoppedWaiting,
    Pending(B256),
    Confirmed(B256),
    Failed(String),
    Replaced(B256),
    /// The user declined in the wallet: calm; the step can be checked again.
    Declined,
}

impl Status {
    fn slug(&self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Checking => "checking",
            Status::NeedsPermit(_) => "permit",
            Status::Ready(_) => "ready",
            Status::Refused(_) => "refused",
            Status::Signing | Status::SigningPermit => "signing",
            Status::StoppedWaiting => "stopped",
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
    chain_id: u64,
    tx: TxRequest,
    fee: FeeQuote,
    /// The calldata in words (`ballast_chain::aave_actions::describe`).
    summary: String,
    /// The engine's health factor after the step, on the position just read.
    after: Option<BigRational>,
    warning: Option<String>,
    /// "Send it anyway" ticked for this check's warning: a new check (the
    /// next step, or this one again) asks again.
    accepted: bool,
    /// When this check's position read started (the page's clock, ms), the
    /// oldest thing it rests on: an older one is made again before a send
    /// (`sequence::check_is_stale`).
    checked_at_ms: f64,
    /// When this check was shown (ms); with `rechecked`, clicks right after it
    /// do not send (`sequence::too_soon_after_recheck`).
    shown_at_ms: f64,
    /// This check was made again at "Sign and send" because the one before was too old.
    rechecked: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    plan: PlanStep,
    /// The wallet's permit signature, once given.
    signature: Option<String>,
    status: Status,
}

impl Step {
    fn kind(&self) -> String {
        match &self.plan {
            PlanStep::Approve { .. } => "approve".into(),
            PlanStep::Call { action, .. } => action.function().into(),
            PlanStep::PermitCall { call, .. } => format!("{}-with-permit", call.action.function()),
        }
    }
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
        wallet_chain
            .filter(|c| list.contains(c))
            .or(Some(fallback).filter(|c| list.contains(c)))
            .or(list.first().copied())
    };
    let target = RwSignal::new(first_chain());
    let live = RwSignal::new(None::<Result<LivePosition, String>>);
    let kind = RwSignal::new(ActionKind::Supply);
    let asset = RwSignal::new(String::new());
    let amount_text = RwSignal::new(String::new());
    let max = RwSignal::new(false);
    let unlimited = RwSignal::new(false);
    let use_permit = RwSignal::new(true);
    let floor_text = RwSignal::new(DEFAULT_FLOOR.to_owned());
    let steps = RwSignal::new(StepBoard::<Step>::default());
    // Which permit request is awaited: a late answer to an earlier one (the user stopped waiting) is ignored.
    let permit_attempt = StoredValue::new(0u64);
    // The e-mode category picked in the form (None: the current one).
    let emode_pick = RwSignal::new(None::<u8>);
    // A plan of several actions: from the link (`?plan=`, the planner's way in) or added here.
    let (from_link, link_notices) = read_param(PLAN_PARAM).map(|t| parse_plan_param(&t)).unwrap_or_default();
    let queue = RwSignal::new(from_link);
    let form_error = RwSignal::new((!link_notices.is_empty()).then(|| link_notices.join(" ")));
    let chain_note = RwSignal::new(None::<String>);
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
                        asset.set(p.tokens.first().map(|t| t.symbol.clone()).unwrap_or_default());
                    }
                }
                live.set(Some(read));
                emode_pick.set(None);
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

    // Writes to the list `generation` only: a list replaced since keeps its own statuses.
    let set_status = move |generation: u64, i: usize, status: Status| {
        steps.update(|board| {
            board.update(generation, i, |step| step.status = status);
        })
    };
    // A new list, unless a step is waiting for the wallet or the chain (said in the form).
    let replace_steps = move |list: Vec<Step>| {
        let mut replaced = Ok(0);
        steps.update(|board| replaced = board.replace(list));
        replaced.map_err(|why| form_error.set(Some(format!("Not now: {why}.")))).is_ok()
    };
    // One wallet request at a time, whatever the clicks: marked before the wallet is asked.
    let in_flight = move || steps.with_untracked(|b| b.in_flight().is_some());
    let begin = move |generation: u64, i: usize| {
        let mut began = false;
        steps.update(|board| began = board.begin(generation, i));
        began
    };
    let end = move || steps.update(StepBoard::end);

    // Checks step `i` on a fresh read of the position: the engine's verdict,
    // the send checks, eth_call and eth_estimateGas from the user, the fee.
    // `rechecked`: asked for by "Sign and send" because the step's last check was too old.
    let check = move |i: usize, rechecked: bool| {
        let Some((generation, step)) = steps.with_untracked(|b| b.get(i).cloned().map(|s| (b.generation(), s))) else {
            return;
        };
        let (Some(session), Some(chain_id)) = (wallet.session.get_untracked(), target.get_untracked()) else {
            // Said on the step, not left showing what it showed before (a permit wait, a ready send).
            let why = "Not checked: connect your wallet and choose the chain, then check again.";
            return set_status(generation, i, Status::Refused(why.into()));
        };
        let from = session.account;
        let s = settings.get_untracked();
        let floor = parse_floor(&floor_text.get_untracked());
        let unlimited = unlimited.get_untracked();
        set_status(generation, i, Status::Checking);
        spawn_local(async move {
            let refuse = |why: String| set_status(generation, i, Status::Refused(why));
            let position = match read_live(&s, chain_id, from).await {
                Ok(p) => p,
                Err(why) => return refuse(format!("The position could not be read: {why}")),
            };
            // A list replaced meanwhile (another check, another chain): this read is not the panel's any more.
            if steps.with_untracked(|b| b.generation()) != generation {
                return;
            }
            live.set(Some(Ok(position.clone())));
            let floor = match floor {
                Ok(f) => f,
                Err(why) => return refuse(format!("The safety floor: {why}.")),
            };
            let action = match &step.plan {
                PlanStep::Approve { .. } => None,
                PlanStep::Call { action, .. } => Some(action.clone()),
                PlanStep::PermitCall { call, .. } => Some(call.action.clone()),
            };
            let judged = match action {
                Some(action) => match judge(&position.scenario, &[action], &position.tokens, &floor) {
                    Ok(j) => j,
                    Err(why) => return refuse(why),
                },
                None => Judged { after: position.account.health_factor_exact(), warning: None },
            };
            let tx = match (&step.plan, &step.signature) {
                (PlanStep::Approve { tx, .. } | PlanStep::Call { tx, .. }, _) => tx.clone(),
                (PlanStep::PermitCall { call, .. }, Some(signature)) => match call.tx(signature) {
                    Ok(tx) => tx,
                    Err(why) => return refuse(format!("The permit cannot be used: {why}.")),
                },
                (PlanStep::PermitCall { .. }, None) => {
                    return set_status(generation, i, Status::NeedsPermit(Box::new(judged)))
                }
            };
            let wallet_chain = wallet.session.with_untracked(|s| s.as_ref().map_or(0, |s| s.chain_id));
            let context = DescribeContext { pool: position.pool, user: from, tokens: &position.tokens };
            let description = match check_before_send(&tx, chain_id, wallet_chain, &context, unlimited) {
                Ok(d) => d,
                Err(why) => return refuse(format!("Not sent: {why}.")),
            };
            if let Err(e) = simulate(wallet, from, &tx).await {
                return refuse(simulation_failure(&e));
            }
            let fee = match quote(wallet, from, &tx).await {
                Ok(fee) => fee,
                Err(e) => return refuse(simulation_failure(&e)),
            };
            set_status(
                generation,
                i,
                Status::Ready(Box::new(Checked {
                    from,
                    chain_id,
                    tx,
                    fee,
                    summary: description.to_string(),
                    after: judged.after,
                    warning: judged.warning,
                    accepted: false,
                    checked_at_ms: position.read_at_ms,
                    shown_at_ms: js_sys::Date::now(),
                    rechecked,
                })),
            );
        });
    };

    // Actions as ordered steps (an approval or permit first where the Pool pulls tokens);
    // `label` names them all when the engine refuses them.
    let review_actions = move |actions: Vec<AaveAction>, label: String| {
        form_error.set(None);
        if !replace_steps(Vec::new()) {
            return;
        }
        let Some(Ok(position)) = live.get_untracked() else {
            return form_error.set(Some("The position has not been read yet.".into()));
        };
        let Some(from) = account() else { return };
        let Some(chain_id) = target.get_untracked() else { return };
        if actions.is_empty() {
            return form_error.set(Some("Nothing to check: add an action.".into()));
        }
        let floor = match parse_floor(&floor_text.get_untracked()) {
            Ok(f) => f,
            Err(why) => return form_error.set(Some(format!("The safety floor: {why}."))),
        };
        // The engine first: a plan it refuses never reaches the wallet, not even as a read.
        if let Err(why) = judge(&position.scenario, &actions, &position.tokens, &floor) {
            let (action, tx) = match pool_tx(position.pool, from, &actions[0]) {
                Ok(tx) => (actions[0].clone(), tx),
                Err(e) => return form_error.set(Some(format!("{e}."))),
            };
            replace_steps(vec![Step {
                plan: PlanStep::Call { label, action_index: 0, action, tx },
                signature: None,
                status: Status::Refused(why),
            }]);
            return;
        }
        let mut tokens: Vec<TokenInfo> = Vec::new();
        for a in &actions {
            if let Some(t) = a.asset().and_then(|asset| position.tokens.iter().find(|t| t.address == asset)) {
                if !tokens.contains(t) {
                    tokens.push(t.clone());
                }
            }
        }
        let s = settings.get_untracked();
        let mut options = PlanOptions::new(U256::from(permit_deadline(position.timestamp, js_sys::Date::now())));
        options.unlimited_approval = unlimited.get_untracked();
        options.use_permit = use_permit.get_untracked();
        spawn_local(async move {
            let assets = match read_assets(&s, chain_id, &position, from, &tokens).await {
                Ok(a) => a,
                Err(why) => return form_error.set(Some(format!("Balances and allowances could not be read: {why}"))),
            };
            match plan_transactions(position.pool, from, &actions, &assets, &options) {
                Ok(mut plan) => {
                    name_emode_steps(&mut plan, &position.emode_labels);
                    let list = plan.into_iter().map(|plan| Step { plan, signature: None, status: Status::Waiting });
                    if replace_steps(list.collect()) {
                        check(0, false);
                    }
                }
                Err(why) => form_error.set(Some(format!("Not possible: {why}."))),
            }
        });
    };
    let review = move |queued: Vec<QueuedAction>| {
        let tokens = live.with_untracked(|l| match l {
            Some(Ok(p)) => Some(p.tokens.clone()),
            _ => None,
        });
        let Some(tokens) = tokens else {
            if replace_steps(Vec::new()) {
                form_error.set(Some("The position has not been read yet.".into()));
            }
            return;
        };
        match queued.iter().map(|q| q.resolve(&tokens)).collect::<Result<Vec<_>, _>>() {
            Ok(actions) => {
                review_actions(actions, queued.iter().map(QueuedAction::label).collect::<Vec<_>>().join(", then "))
            }
            Err(why) => {
                if replace_steps(Vec::new()) {
                    form_error.set(Some(format!("{why}.")))
                }
            }
        }
    };
    let form_action = move || QueuedAction {
        kind: kind.get_untracked(),
        symbol: asset.get_untracked(),
        amount: if max.get_untracked() && kind.get_untracked().takes_max() {
            "max".into()
        } else {
            amount_text.get_untracked()
        },
    };

    let sign_permit = move |i: usize| {
        if in_flight() {
            return;
        }
        let Some((generation, PlanStep::PermitCall { call, .. })) =
            steps.with_untracked(|b| b.get(i).map(|s| (b.generation(), s.plan.clone())))
        else {
            return;
        };
        let Some(session) = wallet.session.get_untracked() else { return };
        // As before a send: the account the permit is for, on the chain it names.
        if let Err(why) = permit_checks(session.account, session.chain_id, target.get_untracked(), &call.permit) {
            return set_status(generation, i, Status::Refused(why));
        }
        if !begin(generation, i) {
            return;
        }
        set_status(generation, i, Status::SigningPermit);
        let attempt = permit_attempt.get_value() + 1;
        permit_attempt.set_value(attempt);
        spawn_local(async move {
            let signed = wallet.request("eth_signTypedData_v4", call.permit.sign_params()).await;
            if permit_attempt.get_value() != attempt {
                return; // stopped waiting for it: the step has moved on
            }
            end();
            match signed {
                Ok(sig) => {
                    let sig = sig.as_str().unwrap_or_default().to_owned();
                    let mut kept = false;
                    steps.update(|board| kept = board.update(generation, i, |step| step.signature = Some(sig)));
                    if kept {
                        check(i, false);
                    }
                }
                Err(e) if e.is_user_rejection() => set_status(generation, i, Status::Declined),
                Err(e) => set_status(
                    generation,
                    i,
                    Status::Failed(format!(
                        "The wallet did not sign the permit: {e}. To use an approval transaction instead, untick \
                         “Sign a permit instead of an approval” above and check the action again."
                    )),
                ),
            }
        });
    };

    // A permit request the wallet never answers would hold the panel (one wallet request at a time):
    // a signature sends nothing, so it can be let go of.
    let stop_waiting = move |i: usize| {
        // Only this step's own wait: never a lock another step holds for a real send.
        let Some(generation) = steps.with_untracked(|b| {
            b.get(i)
                .filter(|s| matches!(s.status, Status::SigningPermit) && b.in_flight() == Some(i))
                .map(|_| b.generation())
        }) else {
            return;
        };
        permit_attempt.update_value(|a| *a += 1);
        end();
        set_status(generation, i, Status::StoppedWaiting);
    };

    let sign = move |i: usize| {
        if in_flight() {
            return;
        }
        let Some((generation, Status::Ready(checked))) =
            steps.with_untracked(|b| b.get(i).map(|s| (b.generation(), s.status.clone())))
        else {
            return;
        };
        // A check over a minute old may rest on prices and a position that have moved since: it is made
        // again, and the user sends what the new one shows (a refusal or a new warning included).
        let now = js_sys::Date::now();
        if check_is_stale(checked.checked_at_ms, now) {
            form_error.set(None);
            return check(i, true);
        }
        if checked.rechecked && too_soon_after_recheck(checked.shown_at_ms, now) {
            return form_error.set(Some("The figures of this step have just changed: read them, then send.".into()));
        }
        if checked.warning.is_some() && !checked.accepted {
            return form_error.set(Some("Tick “Send it anyway” to send a step with a warning.".into()));
        }
        // Right before sending: the same account, the position's chain, the market's Pool or token.
        let send_checks = move |checked: &Checked| {
            // Run again after the nonce read: a check that aged past its minute meanwhile is not sent.
            if check_is_stale(checked.checked_at_ms, js_sys::Date::now()) {
                return Err("This step's check is over a minute old: check it again. Nothing was sent.".to_owned());
            }
            let Some(session) = wallet.session.get_untracked() else {
                return Err("The wallet is not connected. Nothing was sent.".to_owned());
            };
            same_account(session.account, checked.from)?;
            live.with_untracked(|l| match l {
                Some(Ok(p)) => {
                    let context = DescribeContext { pool: p.pool, user: checked.from, tokens: &p.tokens };
                    let unlimited = unlimited.get_untracked();
                    check_before_send(&checked.tx, checked.chain_id, session.chain_id, &context, unlimited)
                        .map(|_| ())
                        .map_err(|why| format!("Not sent: {why}."))
                }
                _ => Err("The position is not read: check again. Nothing was sent.".into()),
            })
        };
        if let Err(why) = send_checks(&checked) {
            return set_status(generation, i, Status::Refused(why));
        }
        if !begin(generation, i) {
            return;
        }
        set_status(generation, i, Status::Signing);
        spawn_local(async move {
            // The nonce first, then the checks once more: nothing awaited stands between them and the send.
            let sent: Result<_, WalletError> = nonce_checks_send(
                || next_nonce(wallet, checked.from),
                || send_checks(&checked),
                || send(wallet, checked.from, &checked.tx, checked.chain_id, &checked.fee),
            )
            .await;
            let (hash, nonce) = match sent {
                Ok(Ok(sent)) => sent,
                Ok(Err(why)) => {
                    end();
                    return set_status(generation, i, Status::Refused(why));
                }
                Err(e) => {
                    end();
                    return set_status(
                        generation,
                        i,
                        if e.is_user_rejection() {
                            Status::Declined
                        } else {
                            Status::Failed(format!("The wallet did not send it: {e}."))
                        },
                    );
                }
            };
            set_status(generation, i, Status::Pending(hash));
            // From here on the transaction may be mined: no outcome below says it was not sent.
            let progress = wait(wallet, hash, checked.from, nonce, checked.chain_id).await;
            end();
            match progress {
                TxProgress::Confirmed(receipt) => {
                    set_status(generation, i, Status::Confirmed(hash));
                    // The settings' node may be a block behind the wallet's: read once it has the receipt's block.
                    wait_for_block(&settings.get_untracked(), checked.chain_id, receipt.block_number).await;
                    on_confirmed();
                    // The next step is checked on the position as it is now, unless the list was replaced.
                    if steps.with_untracked(|b| b.generation() == generation && b.len() > i + 1) {
                        check(i + 1, false);
                    } else {
                        refresh();
                    }
                }
                TxProgress::Failed(receipt) => {
                    let why = match simulate(wallet, checked.from, &checked.tx).await {
                        Err(e) => simulation_failure(&e),
                        Ok(_) => "it would pass now: the chain changed in between".into(),
                    };
                    set_status(
                        generation,
                        i,
                        Status::Failed(format!("Reverted on chain in block {}. {why}", receipt.block_number)),
                    );
                    refresh();
                }
                TxProgress::Replaced => {
                    set_status(generation, i, Status::Replaced(hash));
                    refresh();
                }
                TxProgress::Pending => set_status(generation, i, Status::Pending(hash)),
            }
        });
    };

    // "Send it anyway" for step `i` as it was checked.
    let accept = move |i: usize, accepted: bool| {
        steps.update(|board| {
            let generation = board.generation();
            board.update(generation, i, |step| {
                if let Status::Ready(checked) = &mut step.status {
                    checked.accepted = accepted;
                }
            });
        })
    };

    let switch = move |_| {
        let Some(chain_id) = target.get_untracked() else { return };
        chain_note.set(None);
        spawn_local(async move {
            match wallet.switch_chain(chain_id).await {
                Ok(()) => {}
                Err(e) if e.is_user_rejection() => {
                    chain_note.set(Some("You declined the switch in your wallet.".into()))
                }
                Err(e) => chain_note.set(Some(format!("The wallet did not switch: {e}."))),
            }
        });
    };

    view! {
        <Show when=move || wallet.session.with(Option::is_some)>
            <section class="transact" data-testid="transact">
                <h3>"Transact as "<code data-testid="transact-account">{move || account().map(|a| a.to_checksum(None))}</code></h3>
                <label>"Chain "
                    <select data-testid="transact-chain" disabled=move || steps.with(|b| b.in_flight().is_some()) on:change=move |ev| {
                        target.set(event_target_value(&ev).parse().ok());
                        replace_steps(Vec::new());
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
                    None if !settings.with(|s| s.live_data) => view! {
                        <p class="muted" data-testid="transact-live-off">"Turn on live data above: the position is read from chain before anything is signed."</p>
                    }.into_any(),
                    None => view! { <p class="muted">"Reading your position…"</p> }.into_any(),
                    Some(Err(why)) => view! { <p class="error" role="alert" data-testid="transact-error">{format!("Your position could not be read: {why}")}</p> }.into_any(),
                    Some(Ok(p)) => {
                        let hf = health_factor(p.account.health_factor_exact().as_ref());
                        let age = use_read_age(Some(p.read_at_ms));
                        // The position was read on the chain the panel targets.
                        let behind = target.get_untracked().and_then(|chain_id| node_behind(chain_id, p.timestamp, p.read_at_ms));
                        view! {
                            <p data-testid="transact-position" data-stale=move || age.stale.get().to_string()>{format!("{} · health factor ", p.market)}
                                <strong data-testid="chain-hf" data-value=hf.value>{hf.text}</strong>
                                " (the chain's getUserAccountData) · "
                                <span data-testid="transact-read-age">{move || age.text.get()}</span>
                                {move || age.stale.get().then(|| view! {
                                    <span class="warning" role="status" data-testid="transact-stale">
                                        " These figures may be out of date: prices move. "
                                        <button type="button" data-testid="transact-reread" on:click=move |_| refresh()>"Read again"</button>
                                    </span>
                                })}
                            </p>
                            {behind.map(|lag| view! {
                                <p class="warning" role="status" data-testid="transact-node-behind" data-lag=lag.to_string()>{node_behind_text(lag)}</p>
                            })}
                            {collateral_and_emode(&p, emode_pick, review_actions)}
                        }.into_any()
                    }
                }}
                <form class="transact-form" on:submit=move |ev| { ev.prevent_default(); review(vec![form_action()]); }>
                    <select data-testid="tx-action" on:change=move |ev| {
                        if let Some(k) = ActionKind::from_slug(&event_target_value(&ev)) { kind.set(k); }
                    }>
                        {ActionKind::ALL.into_iter().map(|k| view! { <option value=k.slug()>{k.slug()}</option> }).collect_view()}
                    </select>
                    <select data-testid="tx-asset" on:change=move |ev| asset.set(event_target_value(&ev))>
                        {move || live.get().and_then(Result::ok).map(|p| p.tokens.into_iter().map(|t| {
                            let symbol = t.symbol.clone();
                            view! { <option value=symbol.clone() selected=move || asset.get() == symbol>{t.symbol.clone()}</option> }
                        }).collect_view())}
                    </select>
                    <input type="text" data-testid="tx-amount" placeholder="amount" inputmode="decimal" autocomplete="off"
                        prop:value=move || amount_text.get() on:input=move |ev| amount_text.set(event_target_value(&ev)) />
                    <Show when=move || kind.get().takes_max()>
                        <label><input type="checkbox" data-testid="tx-max" prop:checked=move || max.get()
                            on:change=move |ev| max.set(event_target_checked(&ev)) />" all of it (max)"</label>
                    </Show>
                    // Also for a plan's steps that take tokens in, which the permit option decides too.
                    <Show when=move || kind.get().pulls_tokens() || queue.with(|q| q.iter().any(|a| a.kind.pulls_tokens()))>
                        <label><input type="checkbox" data-testid="tx-permit" prop:checked=move || use_permit.get()
                            on:change=move |ev| use_permit.set(event_target_checked(&ev)) />
                            " Sign a permit instead of an approval where the token allows"</label>
                        <label class="unlimited"><input type="checkbox" data-testid="tx-unlimited" prop:checked=move || unlimited.get()
                            on:change=move |ev| unlimited.set(event_target_checked(&ev)) />
                            " Approve an unlimited amount (the Pool could then take any amount of this token from you later)"</label>
                    </Show>
                    <label>" Safety floor "<input type="text" size="5" data-testid="tx-floor" prop:value=move || floor_text.get()
                        on:input=move |ev| floor_text.set(event_target_value(&ev)) /></label>
                    <button type="submit" data-testid="tx-review">"Check"</button>
                    <button type="button" data-testid="tx-add" on:click=move |_| queue.update(|q| q.push(form_action()))>"Add to the plan"</button>
                </form>
                <Show when=move || queue.with(|q| !q.is_empty())>
                    <div class="tx-plan" data-testid="tx-plan">
                        <strong>"Plan, signed in this order: "</strong>
                        <ol>{move || queue.get().into_iter().map(|q| view! { <li data-testid="plan-action">{q.label()}</li> }).collect_view()}</ol>
                        <button data-testid="tx-review-plan" on:click=move |_| review(queue.get_untracked())>"Check the plan"</button>
                        " "
                        <button class="link-button" data-testid="tx-clear-plan" on:click=move |_| { queue.set(Vec::new()); remove_param(PLAN_PARAM); }>"Clear"</button>
                    </div>
                </Show>
                {move || form_error.get().map(|e| view! { <p class="error" role="alert" data-testid="tx-form-error">{e}</p> })}
                <ol class="tx-steps">
                    {move || steps.with(|b| b.steps().to_vec()).into_iter().enumerate().map(|(i, step)| {
                        step_view(i, step, target.get(), StepActions { sign, sign_permit, recheck: move |i| check(i, false), accept, stop_waiting })
                    }).collect_view()}
                </ol>
            </section>
        </Show>
    }
}

/// Collateral on/off per reserve the user supplies, and the e-mode category:
/// each change is checked like any action (engine HF after, simulation, fee).
fn collateral_and_emode<R>(position: &LivePosition, emode_pick: RwSignal<Option<u8>>, review: R) -> impl IntoView
where
    R: Fn(Vec<AaveAction>, String) + Copy + Send + Sync + 'static,
{
    let rows = collateral_rows(&position.scenario, &position.tokens);
    let choices = emode_choices(&position.scenario, &position.emode_labels);
    let current = choices.iter().find(|c| c.current).map_or(0, |c| c.id);
    let rows = (!rows.is_empty()).then(|| {
        view! {
            <ul class="tx-collateral" data-testid="tx-collateral">
                {rows.into_iter().map(|row| {
                    let symbol = row.token.symbol.clone();
                    let (state, button) = if row.enabled {
                        ("used as collateral", format!("Stop using {symbol} as collateral"))
                    } else {
                        ("not used as collateral", format!("Use {symbol} as collateral"))
                    };
                    let label = button.clone();
                    let action = row.toggle();
                    view! {
                        <li data-testid="collateral-row" data-asset=symbol.clone() data-enabled=row.enabled.to_string()>
                            {format!("{symbol}: {state} ")}
                            <button type="button" data-testid="collateral-toggle"
                                on:click=move |_| review(vec![action.clone()], label.clone())>{button}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let emode = (choices.len() > 1).then(|| {
        let options = choices.clone();
        view! {
            <p class="tx-emode" data-testid="tx-emode" data-current=current.to_string()>
                "E-mode "
                <select data-testid="emode-select" on:change=move |ev| emode_pick.set(event_target_value(&ev).parse().ok())>
                    {options.into_iter().map(|c| {
                        let text = if c.current { format!("{} (current)", c.label) } else { c.label.clone() };
                        let id = c.id;
                        view! { <option value=id.to_string() selected=move || emode_pick.get().unwrap_or(current) == id>{text}</option> }
                    }).collect_view()}
                </select>
                " "
                <button type="button" data-testid="emode-apply" disabled=move || emode_pick.get().unwrap_or(current) == current
                    on:click=move |_| {
                    let id = emode_pick.get_untracked().unwrap_or(current);
                    let label = choices.iter().find(|c| c.id == id).map_or_else(String::new, |c| c.label.clone());
                    let label = if id == 0 { "Leave e-mode".to_owned() } else { format!("Switch to e-mode {label}") };
                    review(vec![AaveAction::SetEMode { category: id }], label)
                }>"Check the e-mode change"</button>
            </p>
        }
    });
    view! { {rows}{emode} }
}

/// What a step's buttons do.
#[derive(Clone, Copy)]
struct StepActions<S, P, R, A, W> {
    sign: S,
    sign_permit: P,
    recheck: R,
    /// Ticks or unticks "Send it anyway" on a checked step.
    accept: A,
    /// Gives up on a permit signature the wallet has not answered.
    stop_waiting: W,
}

fn fee_line(fee: &FeeQuote) -> String {
    format!(
        "Gas {} (limit {}) · fee about {} ETH, at most {} ETH (base fee {} gwei + tip {} gwei)",
        fee.gas_estimate,
        fee.gas_limit,
        wei_to_eth(fee.expected_cost_wei()),
        wei_to_eth(fee.max_cost_wei()),
        gwei(fee.next_base_fee_per_gas),
        gwei(fee.max_priority_fee_per_gas),
    )
}

/// A time of the page's clock (ms) as the user's clock shows it, to the second.
fn clock_time(ms: f64) -> String {
    js_sys::Date::new(&ms.into()).to_locale_time_string("en-GB").into()
}

/// Wei per gas in gwei, rounded up to 3 decimals (`wei_to_eth_rounded_up` at the gwei scale).
fn gwei(wei_per_gas: u128) -> String {
    wei_to_eth_rounded_up(U256::from(wei_per_gas) * U256::from(1_000_000_000u64), 12)
}

fn step_view<S, P, R, A, W>(
    i: usize,
    step: Step,
    chain_id: Option<u64>,
    act: StepActions<S, P, R, A, W>,
) -> impl IntoView
where
    S: Fn(usize) + Copy + Send + Sync + 'static,
    P: Fn(usize) + Copy + Send + Sync + 'static,
    R: Fn(usize) + Copy + Send + Sync + 'static,
    A: Fn(usize, bool) + Copy + Send + Sync + 'static,
    W: Fn(usize) + Copy + Send + Sync + 'static,
{
    let kind = step.kind();
    let status = step.status.slug();
    // When a ready step was shown, on the page's clock (ms): tests time their clicks by it.
    let shown_at = match &step.status {
        Status::Ready(c) => Some(c.shown_at_ms.to_string()),
        _ => None,
    };
    let title = step.plan.label().to_owned();
    // The warning, and on a checked step its own "Send it anyway" (`accepted`).
    let warning = move |w: Option<String>, accepted: Option<bool>| {
        w.map(|w| {
            let tick = accepted.map(|accepted| {
                view! {
                    <label><input type="checkbox" data-testid="tx-accept-floor" prop:checked=accepted
                        on:change=move |ev| (act.accept)(i, event_target_checked(&ev)) />" Send it anyway"</label>
                }
            });
            view! { <p class="warning" role="alert" data-testid="tx-warning">{w}" "{tick}</p> }
        })
    };
    // The explorer's page beside a hash, on chains that have one (none for a local chain).
    let explorer = move |hash: String| {
        chain_id.and_then(|id| crate::chain::registry::tx_explorer_link(id, &hash)).map(|href| {
            view! { " "<a data-testid="tx-explorer" href=href target="_blank" rel="noopener noreferrer">"View on the explorer"</a> }
        })
    };
    let body = match step.status {
        Status::Waiting => view! { <p class="muted">"Waits for the step before."</p> }.into_any(),
        Status::Checking => view! { <p class="muted">"Reading the position, simulating and estimating…"</p> }.into_any(),
        Status::Refused(why) => view! { <p class="error" role="alert" data-testid="tx-reason">{why}</p> }.into_any(),
        Status::NeedsPermit(judged) => {
            let hf = health_factor(judged.after.as_ref());
            view! {
                <p>"Health factor after (engine): "<strong data-testid="tx-hf-after" data-value=hf.value>{hf.text}</strong></p>
                {warning(judged.warning, None)}
                <p class="muted">"Your wallet signs a permit for this exact amount (no approval transaction); the call is then simulated before you send it."</p>
                <p class="muted" data-testid="tx-permit-fallback">"If your wallet cannot sign it (some hang or fail on permits), untick “Sign a permit instead of an approval” above and check the action again: an approval transaction comes first instead."</p>
                <button data-testid="tx-sign-permit" on:click=move |_| (act.sign_permit)(i)>"Sign the permit"</button>
            }
            .into_any()
        }
        Status::Ready(c) => {
            let hf = health_factor(c.after.as_ref());
            let fee = c.fee;
            view! {
                <p data-testid="tx-decoded">{c.summary.clone()}</p>
                <p>"Health factor after (engine): "<strong data-testid="tx-hf-after" data-value=hf.value>{hf.text}</strong></p>
                <p data-testid="tx-fee" data-gas=fee.gas_estimate.to_string() data-gas-limit=fee.gas_limit.to_string()
                    data-max-fee-per-gas=fee.max_fee_per_gas.to_string() data-max-priority-fee-per-gas=fee.max_priority_fee_per_gas.to_string()>
                    {fee_line(&fee)}
                </p>
                {warning(c.warning.clone(), Some(c.accepted))}
                <p class="muted" data-testid="tx-checked-at">
                    {format!("As read at {}; a check over a minute old is made again when you send.", clock_time(c.checked_at_ms))}
                </p>
                {c.rechecked.then(|| view! {
                    <p class="muted" role="status" data-testid="tx-rechecked">
                        "Checked again: the last check was over a minute old, so nothing was sent. These are the figures now; send if they still suit you."
                    </p>
                })}
                <button data-testid="tx-sign" on:click=move |_| (act.sign)(i)>"Sign and send"</button>
            }
            .into_any()
        }
        Status::Signing => view! { <p class="muted">"Waiting for you in the wallet…"</p><button data-testid="tx-sign" disabled=true>"Sign and send"</button> }.into_any(),
        Status::SigningPermit => view! {
            <p class="muted">"Waiting for the permit signature in your wallet…"</p>
            <button data-testid="tx-stop-waiting" on:click=move |_| (act.stop_waiting)(i)>"Stop waiting"</button>
        }.into_any(),
        Status::StoppedWaiting => view! {
            <p class="muted" role="status" data-testid="tx-reason">
                "You stopped waiting for the wallet, and nothing was sent. The request may still be open in your wallet: \
                 reject it there (a signature that comes late is ignored and sends nothing). Check again to sign the \
                 permit anew, or untick “Sign a permit instead of an approval” above and check the action again for \
                 an approval transaction instead."
            </p>
            <button data-testid="tx-check-again" on:click=move |_| (act.recheck)(i)>"Check again"</button>
        }.into_any(),
        Status::Pending(hash) => view! { <p>"Pending: "<code data-testid="tx-hash">{hash.to_string()}</code>{explorer(hash.to_string())}</p><button data-testid="tx-sign" disabled=true>"Sign and send"</button> }.into_any(),
        Status::Confirmed(hash) => view! { <p>"Confirmed: "<code data-testid="tx-hash">{hash.to_string()}</code>{explorer(hash.to_string())}</p> }.into_any(),
        Status::Failed(why) => view! { <p class="error" role="alert" data-testid="tx-reason">{why}</p> }.into_any(),
        Status::Replaced(hash) => view! {
            <p class="warning" role="alert" data-testid="tx-reason">
                "Replaced: another transaction used its nonce (sped up or cancelled in the wallet). "<code data-testid="tx-hash">{hash.to_string()}</code>" will not be mined."
            </p>
        }.into_any(),
        Status::Declined => view! {
            <p class="muted" role="status" data-testid="tx-reason">"You declined in your wallet. Nothing was sent."</p>
            <button data-testid="tx-check-again" on:click=move |_| (act.recheck)(i)>"Check again"</button>
        }.into_any(),
    };
    view! {
        <li class="tx-step" data-testid="tx-step" data-kind=kind data-status=status data-shown-at=shown_at>
            <strong>{title}</strong>
            {body}
        </li>
    }
}
