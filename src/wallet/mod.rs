//! The user's own wallet, injected in the browser (EIP-1193), one concern per
//! file: [`discovery`] finds wallets (EIP-6963, then `window.ethereum`),
//! [`provider`] calls one, [`connection`] holds the connected account and
//! chain for the app, [`chains`] switches and adds chains, [`error`] says why
//! a request failed, [`button`] is the header's control.
//!
//! Ballast never holds a key: every signature is the wallet's, on the user's click.

pub mod button;
pub mod chains;
pub mod connection;
pub mod discovery;
pub mod error;
pub mod provider;

pub use button::WalletButton;
pub use connection::{use_wallet, Session, Wallet};
pub use error::WalletError;
