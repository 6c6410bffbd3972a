//! The `ballast eval` report: see `shared/spec/scenario.md`.

use num_rational::BigRational;
use serde::Serialize;

use crate::aave_v3::AccountData;
use crate::liquidation::LiquidationPrice;

/// What the engine says about a scenario. Field order is the spec's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The protocol's own measure, 1 at the liquidation line; `None` without debt.
    pub health_factor: Option<String>,
    /// The same, exact, for display rounding.
    #[serde(skip)]
    pub health_factor_exact: Option<BigRational>,
    /// liquity-v1 with system totals only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery_mode: Option<bool>,
    /// USD, exact.
    pub collateral_value: String,
    pub debt_value: String,
    pub liquidatable: bool,
    pub liquidation_prices: Vec<LiquidationPrice>,
    /// aave-v3 only: `getUserAccountData`, digit for digit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aave_v3: Option<AccountData>,
    /// maker, when the scenario gives `next_price` or `dust` (extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maker: Option<crate::maker::VaultDetails>,
    /// liquity-v1, when the scenario gives `base_rate` (extension).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liquity_v1: Option<crate::liquity_v1::TroveDetails>,
    /// The rules that produced the figures when they are not the protocol's
    /// default (an Aave revision after 3.0, e.g. `"aave-v3.3"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<String>,
}

impl Report {
    /// Compact JSON, one line.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| unreachable!("a report always serialises: {e}"))
    }

    /// Indented JSON for people.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| unreachable!("a report always serialises: {e}"))
    }
}
