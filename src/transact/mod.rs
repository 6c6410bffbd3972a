//! Transactions on Aave V3 through the user's wallet, simulated and checked
//! first: [`calls`] encodes and decodes them, [`model`] decides what may be
//! sent (pure), [`io`] reads the position and talks to the wallet, [`panel`]
//! is the UI on the Positions page.

pub mod calls;
pub mod io;
pub mod model;
pub mod panel;

pub use panel::TransactPanel;
