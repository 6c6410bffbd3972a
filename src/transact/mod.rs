//! Transactions on Aave V3 through the user's wallet, simulated and checked
//! first. The calls, plans, fees, guards and revert words are
//! `ballast_chain`'s (`aave_actions`, `tx_plan`, `tx_fees`, `tx_guard`,
//! `revert`, `tx_rpc`); here [`model`] joins them to the form (pure), [`io`]
//! reads the position and talks to the wallet, [`panel`] is the UI on the
//! Positions page.

pub mod io;
pub mod model;
pub mod panel;
pub mod sequence;
pub mod steps;

pub use panel::TransactPanel;
