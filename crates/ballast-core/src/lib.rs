//! Ballast's engine: exact lending-protocol math on scenarios.
//!
//! Pure and IO-free, so the browser app, the `ballast` CLI and the tests all
//! run one code path. Protocol arithmetic is done as the contracts do it
//! (uint256 with their rounding); every other figure is an exact rational,
//! printed exactly or with its rounding named.
//!
//! ```
//! let scenario = ballast_core::Scenario::parse(r#"{
//!   "schema": "ballast.scenario/1", "protocol": "maker",
//!   "assets": [ { "symbol": "ETH", "price": "2000", "liquidation_ratio": "1.45" }, { "symbol": "DAI" } ],
//!   "collateral": [ { "asset": "ETH", "amount": "10" } ],
//!   "debt": [ { "asset": "DAI", "amount": "5000" } ] }"#).unwrap();
//! let report = ballast_core::evaluate(&scenario).unwrap();
//! assert_eq!(report.liquidation_prices[0].price, "725");
//! ```

pub mod aave_v3;
pub mod composition;
pub mod dashboard;
pub mod display;
pub mod exact;
pub mod liquidation;
pub mod liquity_v1;
pub mod maker;
pub mod oracle_lag;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod share;
pub mod snapshot;
pub mod vault_actions;
pub mod what_if;

pub use liquidation::{Direction, LiquidationPrice};
pub use report::Report;
pub use scenario::{Protocol, Scenario, ScenarioError};
pub use snapshot::Snapshot;

/// Values a scenario by its protocol's rules.
pub fn evaluate(scenario: &Scenario) -> Result<Report, ScenarioError> {
    scenario.validate()?;
    match scenario.protocol {
        Protocol::Aave(_) => aave_v3::evaluate(scenario),
        Protocol::Maker => maker::evaluate(scenario),
        Protocol::LiquityV1 => liquity_v1::evaluate(scenario),
    }
}

/// Applies what-if actions to a scenario of any protocol, in order, and
/// returns the scenario after them, or the protocol's refusal.
pub fn apply_actions(
    scenario: &Scenario,
    actions: &[aave_v3::actions::Action],
) -> Result<Scenario, aave_v3::actions::WhatIfError> {
    match scenario.protocol {
        Protocol::Aave(_) => aave_v3::apply_actions(scenario, actions),
        Protocol::Maker | Protocol::LiquityV1 => vault_actions::apply_actions(scenario, actions),
    }
}

/// Parses a scenario file and values it: what `ballast eval` does.
pub fn evaluate_json(json: &str) -> Result<Report, ScenarioError> {
    evaluate(&Scenario::parse(json)?)
}
