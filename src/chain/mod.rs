//! The app's chain access: which chains exist and where their nodes are
//! ([`registry`], [`settings`]), and the IO that reaches them ([`rpc`] for
//! JSON-RPC batches, [`http`] for plain HTTP with a deadline), retried and
//! polled per [`backoff`].
//!
//! Nothing is sent while the user's live-data switch is off
//! ([`rpc::RpcClient::from_settings`] refuses).
//!
//! ```ignore
//! let (settings, _notice) = chain::settings::load();
//! let client = chain::rpc::RpcClient::from_settings(&settings, 1)?;
//! let results = client.batch(&[Request::latest_block(1)]).await?;
//! ```

pub mod backoff;
pub mod http;
pub mod registry;
pub mod rpc;
pub mod settings;
