//! The connected wallet, for the whole app: which wallets exist, which one is
//! connected with which account on which chain, and the requests made through it.
//!
//! Connecting asks `eth_requestAccounts` only on the user's click. The wallet
//! picked is remembered by its rdns ([`REMEMBERED_WALLET_KEY`]); on the next
//! load it is asked `eth_accounts` only, which never opens the wallet: if it
//! still gives the page an account, the session is back, else nothing happens.
//!
//! ```ignore
//! let wallet = Wallet::provide(); // once, in App
//! let wallet = use_wallet();      // anywhere below
//! wallet.connect("uuid-of-the-picked-wallet");
//! let hash = wallet.request("eth_sendTransaction", json!([tx])).await?;
//! ```

use std::str::FromStr;

use alloy_primitives::Address;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

use super::chains::{add_chain_params, chain_id_hex, parse_chain_id};
use super::discovery::{discover_wallets, provider_of, WalletInfo};
use super::error::WalletError;
use super::provider::Eip1193Provider;

/// The `localStorage` key of the remembered wallet (`{"version":1,"rdns":"io.metamask"}`).
pub const REMEMBERED_WALLET_KEY: &str = "ballast.wallet";
const REMEMBERED_VERSION: u64 = 1;

/// The remembered wallet's rdns, from what was saved; anything unreadable is nothing.
pub fn remembered_rdns(saved: Option<&str>) -> Option<String> {
    let value: Value = serde_json::from_str(saved?).ok()?;
    if value.get("version")?.as_u64()? != REMEMBERED_VERSION {
        return None;
    }
    value.get("rdns")?.as_str().map(str::to_owned).filter(|r| !r.is_empty())
}

/// What is saved for a wallet.
pub fn remembered_json(rdns: &str) -> String {
    json!({ "version": REMEMBERED_VERSION, "rdns": rdns }).to_string()
}

/// The accounts a wallet gave (`eth_accounts` / `accountsChanged`); the first is the one used.
pub fn parse_accounts(value: &Value) -> Result<Vec<Address>, WalletError> {
    let list = value.as_array().ok_or_else(|| WalletError::BadAnswer(format!("accounts {value} are not a list")))?;
    list.iter()
        .map(|a| {
            a.as_str()
                .and_then(|s| Address::from_str(s).ok())
                .ok_or_else(|| WalletError::BadAnswer(format!("{a} is not an account")))
        })
        .collect()
}

/// A connected wallet's account and chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub wallet: WalletInfo,
    pub account: Address,
    pub chain_id: u64,
}

/// What the header says about the connection beside the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletNote {
    /// Waiting for the user in the wallet.
    Connecting(String),
    /// A normal outcome the user chose (declined): said calmly.
    Calm(String),
    /// Something went wrong.
    Problem(String),
}

/// The app's wallet state; `Copy`, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Wallet {
    pub wallets: RwSignal<Vec<WalletInfo>>,
    pub session: RwSignal<Option<Session>>,
    pub note: RwSignal<Option<WalletNote>>,
    /// Wallets whose events are already listened to.
    listening: StoredValue<Vec<String>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The wallet given to the app by [`Wallet::provide`].
pub fn use_wallet() -> Wallet {
    expect_context::<Wallet>()
}

impl Wallet {
    /// Creates the state, finds the wallets, quietly restores a remembered
    /// connection, and provides it as context.
    pub fn provide() -> Wallet {
        let wallet = Wallet {
            wallets: RwSignal::new(Vec::new()),
            session: RwSignal::new(None),
            note: RwSignal::new(None),
            listening: StoredValue::new(Vec::new()),
        };
        provide_context(wallet);
        let remembered =
            remembered_rdns(storage().and_then(|s| s.get_item(REMEMBERED_WALLET_KEY).ok().flatten()).as_deref());
        let restoring = StoredValue::new(remembered);
        discover_wallets(move |found| {
            let pending = restoring.get_value();
            if let Some(info) = pending.and_then(|rdns| found.iter().find(|w| w.remember_key() == rdns).cloned()) {
                restoring.set_value(None);
                spawn_local(wallet.restore(info));
            }
            wallet.wallets.set(found);
        });
        wallet
    }

    /// `eth_accounts` on a remembered wallet: connected again if it still gives an account.
    async fn restore(self, info: WalletInfo) {
        let Some(provider) = provider_of(&info.id) else { return };
        let Ok(accounts) = provider.request("eth_accounts", &json!([])).await else { return };
        let Some(&account) = parse_accounts(&accounts).ok().and_then(|a| a.first().copied()).as_ref() else { return };
        let Ok(chain) = provider.request("eth_chainId", &json!([])).await else { return };
        let Some(chain_id) = parse_chain_id(&chain) else { return };
        self.listen(&info, &provider);
        self.session.set(Some(Session { wallet: info, account, chain_id }));
    }

    /// Connects to the wallet `id` (from the list): `eth_requestAccounts`, on the user's click only.
    pub fn connect(self, id: String) {
        let Some(info) = self.wallets.get_untracked().into_iter().find(|w| w.id == id) else { return };
        let Some(provider) = provider_of(&id) else { return };
        self.note.set(Some(WalletNote::Connecting(format!("Confirm the connection in {}…", info.name))));
        spawn_local(async move {
            let outcome = async {
                let accounts = parse_accounts(&provider.request("eth_requestAccounts", &json!([])).await?)?;
                let account = *accounts.first().ok_or(WalletError::Unauthorized)?;
                let chain = provider.request("eth_chainId", &json!([])).await?;
                let chain_id =
                    parse_chain_id(&chain).ok_or_else(|| WalletError::BadAnswer(format!("chain id {chain}")))?;
                Ok::<_, WalletError>((account, chain_id))
            }
            .await;
            match outcome {
                Ok((account, chain_id)) => {
                    self.listen(&info, &provider);
                    if let Some(s) = storage() {
                        let _ = s.set_item(REMEMBERED_WALLET_KEY, &remembered_json(info.remember_key()));
                    }
                    self.note.set(None);
                    self.session.set(Some(Session { wallet: info, account, chain_id }));
                }
                Err(e) if e.is_user_rejection() => self.note.set(Some(WalletNote::Calm(format!(
                    "You declined the connection in {}. Nothing was shared.",
                    info.name
                )))),
                Err(e) => self.note.set(Some(WalletNote::Problem(format!("{} did not connect: {e}.", info.name)))),
            }
        });
    }

    /// Forgets the connection here (the wallet itself keeps its own permission).
    pub fn disconnect(self) {
        self.session.set(None);
        self.note.set(None);
        if let Some(s) = storage() {
            let _ = s.remove_item(REMEMBERED_WALLET_KEY);
        }
    }

    /// Follows the wallet's account and chain while it is the connected one.
    fn listen(self, info: &WalletInfo, provider: &Eip1193Provider) {
        if self.listening.with_value(|l| l.contains(&info.id)) {
            return;
        }
        self.listening.update_value(|l| l.push(info.id.clone()));
        let id = info.id.clone();
        let is_current = move |session: &Option<Session>| session.as_ref().is_some_and(|s| s.wallet.id == id);
        let current = is_current.clone();
        provider.on("accountsChanged", move |payload| {
            if !self.session.with_untracked(&current) {
                return;
            }
            match parse_accounts(&payload).ok().and_then(|a| a.first().copied()) {
                Some(account) => self.session.update(|s| {
                    if let Some(s) = s {
                        s.account = account;
                    }
                }),
                // The wallet took the page's access away.
                None => {
                    self.session.set(None);
                    self.note.set(Some(WalletNote::Calm("The wallet disconnected this page.".into())));
                }
            }
        });
        let current = is_current.clone();
        provider.on("chainChanged", move |payload| {
            if !self.session.with_untracked(&current) {
                return;
            }
            if let Some(chain_id) = parse_chain_id(&payload) {
                self.session.update(|s| {
                    if let Some(s) = s {
                        s.chain_id = chain_id;
                    }
                });
            }
        });
        provider.on("disconnect", move |_| {
            if self.session.with_untracked(&is_current) {
                self.session.set(None);
                self.note.set(Some(WalletNote::Problem("The wallet lost its connection to the chain.".into())));
            }
        });
    }

    /// A request to the connected wallet.
    pub async fn request(self, method: &str, params: Value) -> Result<Value, WalletError> {
        let id = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.wallet.id.clone()))
            .ok_or(WalletError::NotConnected)?;
        let provider = provider_of(&id).ok_or(WalletError::NotConnected)?;
        provider.request(method, &params).await
    }

    /// Asks the wallet to switch to `chain_id`; a wallet that does not know
    /// the chain (4902) is asked to add it from the registry, then to switch.
    pub async fn switch_chain(self, chain_id: u64) -> Result<(), WalletError> {
        let params = json!([{ "chainId": chain_id_hex(chain_id) }]);
        match self.request("wallet_switchEthereumChain", params.clone()).await {
            Err(WalletError::UnrecognizedChain) => {
                let (settings, _) = crate::chain::settings::load();
                let add = add_chain_params(chain_id, &settings).ok_or(WalletError::UnrecognizedChain)?;
                self.request("wallet_addEthereumChain", json!([add])).await?;
                // Most wallets switch on adding; asking again is harmless when they did.
                if self.session.with_untracked(|s| s.as_ref().map(|s| s.chain_id)) != Some(chain_id) {
                    self.request("wallet_switchEthereumChain", params).await?;
                }
                Ok(())
            }
            other => other.map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_wallet_round_trips_and_junk_is_nothing() {
        assert_eq!(remembered_rdns(Some(&remembered_json("io.metamask"))).as_deref(), Some("io.metamask"));
        assert_eq!(remembered_rdns(Some(r#"{"version":2,"rdns":"io.metamask"}"#)), None);
        assert_eq!(remembered_rdns(Some(r#"{"version":1,"rdns":""}"#)), None);
        assert_eq!(remembered_rdns(Some("not json")), None);
        assert_eq!(remembered_rdns(None), None);
    }

    #[test]
    fn accounts_parse_in_any_case_and_junk_is_refused() {
        let lower = json!(["0xa0ee7a142d267c1f36714e4a8f75612f20a79720"]);
        let parsed = parse_accounts(&lower).unwrap();
        assert_eq!(parsed[0].to_checksum(None), "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720");
        assert!(parse_accounts(&json!([])).unwrap().is_empty());
        assert!(matches!(parse_accounts(&json!(["0x12"])), Err(WalletError::BadAnswer(_))));
        assert!(matches!(parse_accounts(&json!("0x12")), Err(WalletError::BadAnswer(_))));
    }
}
