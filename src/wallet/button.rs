//! The header's wallet control: "Connect wallet" opens the picker of every
//! wallet found; once connected, the account and chain, and "Disconnect".

use leptos::prelude::*;

use super::chains::chain_label;
use super::connection::{use_wallet, WalletNote};

/// `0x1234…abcd`, the way wallets shorten an account.
pub fn short_account(checksummed: &str) -> String {
    match (checksummed.get(..6), checksummed.get(checksummed.len().saturating_sub(4)..)) {
        (Some(head), Some(tail)) if checksummed.len() > 12 => format!("{head}…{tail}"),
        _ => checksummed.to_owned(),
    }
}

#[component]
pub fn WalletButton() -> impl IntoView {
    let wallet = use_wallet();
    let picking = RwSignal::new(false);
    let connected = move || {
        wallet.session.get().map(|s| {
            let account = s.account.to_checksum(None);
            view! {
                <span class="wallet-session" data-testid="wallet-session" data-account=account.clone()
                    data-chain-id=s.chain_id.to_string() data-wallet=s.wallet.remember_key().to_owned()>
                    {s.wallet.icon.clone().map(|src| view! { <img class="wallet-icon" src=src alt="" /> })}
                    <code data-testid="wallet-account" title=account.clone()>{short_account(&account)}</code>
                    " on "<span data-testid="wallet-chain">{chain_label(s.chain_id)}</span>
                    " "
                    <button class="link-button" data-testid="wallet-disconnect" on:click=move |_| wallet.disconnect()>"Disconnect"</button>
                </span>
            }
        })
    };
    let picker = move || {
        picking.get().then(|| {
            let wallets = wallet.wallets.get();
            view! {
                <div class="wallet-picker" role="dialog" aria-label="Pick a wallet" data-testid="wallet-picker">
                    {if wallets.is_empty() {
                        view! {
                            <p class="muted" data-testid="no-wallet">
                                "No wallet was found in this browser. Install a browser wallet to sign transactions; \
                                 watching an address needs none."
                            </p>
                        }.into_any()
                    } else {
                        wallets.into_iter().map(|w| {
                            let id = w.id.clone();
                            view! {
                                <button class="wallet-choice" data-testid="wallet-choice" data-wallet=w.remember_key().to_owned()
                                    on:click=move |_| { picking.set(false); wallet.connect(id.clone()); }>
                                    {w.icon.clone().map(|src| view! { <img class="wallet-icon" src=src alt="" /> })}
                                    {w.name.clone()}
                                </button>
                            }
                        }).collect_view().into_any()
                    }}
                    <button class="link-button" on:click=move |_| picking.set(false)>"Cancel"</button>
                </div>
            }
        })
    };
    let note = move || {
        wallet.note.get().map(|n| {
            let (kind, text) = match n {
                WalletNote::Connecting(t) => ("connecting", t),
                WalletNote::Calm(t) => ("calm", t),
                WalletNote::Problem(t) => ("problem", t),
            };
            view! { <span class=format!("wallet-note wallet-note-{kind}") role="status" data-testid="wallet-note" data-kind=kind>{text}</span> }
        })
    };
    view! {
        <div class="wallet" data-testid="wallet">
            {connected}
            <Show when=move || wallet.session.with(Option::is_none)>
                <button data-testid="wallet-connect" on:click=move |_| picking.update(|p| *p = !*p)>"Connect wallet"</button>
            </Show>
            {picker}
            {note}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_shortened_as_wallets_do() {
        assert_eq!(short_account("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"), "0xa0Ee…9720");
        assert_eq!(short_account("0x12"), "0x12");
    }
}
