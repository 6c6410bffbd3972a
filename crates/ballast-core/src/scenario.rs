//! The scenario format, `ballast.scenario/1`: one position on one lending
//! protocol with the market parameters and prices it is valued at.
//!
//! The contract is `shared/spec/scenario.md`; extensions are documented in
//! `docs/scenario.md`. Parsing is strict: unknown fields, numbers that are not
//! decimal strings and out-of-range values are errors that name the field.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::aave_v3::revisions::AaveRevision;
use crate::exact::PlainDecimal;

/// The only schema this engine reads and writes.
pub const SCHEMA: &str = "ballast.scenario/1";
/// Largest input accepted, so hostile files cannot eat memory.
pub const MAX_INPUT_BYTES: usize = 1 << 20;
/// Most assets one scenario may list.
pub const MAX_ASSETS: usize = 64;
/// Basis points in 100 %.
pub const BPS_ONE: u32 = 10_000;
/// A token's decimals above this make `10^decimals` overflow a uint256, so the
/// Pool could not hold such a token.
pub const MAX_TOKEN_DECIMALS: u32 = 77;

/// An asset with its index in `assets`, for error paths.
pub(crate) type IndexedAsset<'a> = (usize, &'a Asset);

/// A scenario exactly as the file says it; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub schema: String,
    pub protocol: Protocol,
    pub assets: Vec<Asset>,
    /// aave-v3: the user's active efficiency-mode category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emode: Option<EModeCategory>,
    /// maker: the target price of DAI (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub par: Option<PlainDecimal>,
    /// liquity-v1: system totals, for recovery mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<LiquitySystem>,
    /// liquity-v1 (extension): the current base rate, a fraction (`"0.01"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_rate: Option<PlainDecimal>,
    /// aave-v3 (extension): e-mode categories the user could switch to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emode_categories: Vec<EModeCategory>,
    #[serde(default)]
    pub collateral: Vec<Holding>,
    #[serde(default)]
    pub debt: Vec<Holding>,
}

/// The lending protocol whose rules value the position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Aave V3 under one revision's rules: `aave-v3` is V3.0 as in npm
    /// `@aave/core-v3` 1.19.3; `aave-v3.2`, `aave-v3.3`, `aave-v3.5` the later
    /// ones (extensions; `aave-v3.1` and `aave-v3.4` read as 3.0 and 3.3, whose
    /// arithmetic they share).
    Aave(AaveRevision),
    /// A Maker (Sky) vault.
    Maker,
    /// A Liquity v1 trove.
    LiquityV1,
}

impl Protocol {
    /// The spec's Aave V3.0.
    pub const AAVE_V3: Protocol = Protocol::Aave(AaveRevision::V3_0);

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Aave(AaveRevision::V3_0) => "aave-v3",
            Protocol::Aave(revision) => revision.name(),
            Protocol::Maker => "maker",
            Protocol::LiquityV1 => "liquity-v1",
        }
    }

    /// Any Aave V3 revision.
    pub fn is_aave(self) -> bool {
        matches!(self, Protocol::Aave(_))
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "maker" => Some(Protocol::Maker),
            "liquity-v1" => Some(Protocol::LiquityV1),
            aave => AaveRevision::from_name(aave).map(Protocol::Aave),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Protocol {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Protocol {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Protocol::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown protocol {name:?}, expected one of \"aave-v3\", \"aave-v3.2\", \"aave-v3.3\", \"aave-v3.5\", \"maker\", \"liquity-v1\""
            ))
        })
    }
}

/// One asset the position touches, with the parameters its protocol needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    pub symbol: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
    /// The oracle price in USD per whole token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<PlainDecimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ltv_bps: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquidation_threshold_bps: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquidation_bonus_bps: Option<u32>,
    /// aave-v3: the e-mode category the asset belongs to (0 or absent: none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emode_category: Option<u32>,
    /// maker: the ilk's liquidation ratio `mat`, e.g. `"1.45"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquidation_ratio: Option<PlainDecimal>,
    /// maker (extension): the OSM's next price, effective within the hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_price: Option<PlainDecimal>,
    /// maker (extension): the ilk's dust, the smallest debt a vault may have, DAI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dust: Option<PlainDecimal>,
    /// maker (extension): the ilk's liquidation penalty `chop`, e.g. `"1.13"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chop: Option<PlainDecimal>,
    /// Extension: a USD stablecoin, for basket crash models (metadata only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable: Option<bool>,
    /// Extension (risk): annualised volatility of the price, a fraction
    /// (`"0.65"` for 65 %), overriding what the risk engine estimates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatility: Option<PlainDecimal>,
    /// Extension (risk): the price's move per unit of a market move, for
    /// correlated crash models (`"1.2"`); absent means 1 for non-stables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<PlainDecimal>,
    // aave-v3 reserve configuration and totals beyond what account data
    // needs: the Pool checks these when an action is tried (extensions; see
    // docs/scenario.md). All optional.
    /// Frozen: no new supply or borrow; withdraw and repay still work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<bool>,
    /// Paused: nothing at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    /// Default true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borrowing_enabled: Option<bool>,
    /// Whole tokens; absent or 0 means no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_cap: Option<PlainDecimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borrow_cap: Option<PlainDecimal>,
    /// Everything supplied to and borrowed from the reserve, all users, tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_supplied: Option<PlainDecimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_borrowed: Option<PlainDecimal>,
    /// Isolation mode: the debt ceiling in USD (2 decimals); absent or 0 means
    /// not an isolated asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debt_ceiling: Option<PlainDecimal>,
    /// Debt already borrowed against this isolated asset, USD (2 decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolation_mode_total_debt: Option<PlainDecimal>,
    /// May be borrowed by users in isolation mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borrowable_in_isolation: Option<bool>,
    /// Share of the liquidation bonus the protocol keeps, basis points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liquidation_protocol_fee_bps: Option<u32>,
    /// What suppliers earn, a yearly rate as a fraction (`"0.025"`, the
    /// Pool's liquidityRate), for projecting interest (at most 27 decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply_rate: Option<PlainDecimal>,
    /// What variable borrowers pay, a yearly rate as a fraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable_borrow_rate: Option<PlainDecimal>,
    /// The reserve's interest-rate strategy; with `total_supplied` and
    /// `total_borrowed` it gives the rates when they are not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_strategy: Option<RateStrategyInput>,
    /// Share of borrow interest kept by the protocol, basis points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserve_factor_bps: Option<u32>,
}

impl Asset {
    /// True when any aave-v3 reserve field is set.
    fn has_reserve_state(&self) -> bool {
        self.frozen.is_some()
            || self.paused.is_some()
            || self.borrowing_enabled.is_some()
            || self.supply_cap.is_some()
            || self.borrow_cap.is_some()
            || self.total_supplied.is_some()
            || self.total_borrowed.is_some()
            || self.debt_ceiling.is_some()
            || self.isolation_mode_total_debt.is_some()
            || self.borrowable_in_isolation.is_some()
            || self.liquidation_protocol_fee_bps.is_some()
            || self.supply_rate.is_some()
            || self.variable_borrow_rate.is_some()
            || self.rate_strategy.is_some()
            || self.reserve_factor_bps.is_some()
    }
}

/// Aave's default interest-rate strategy, every field a yearly fraction
/// (`"0.8"` optimal usage, `"0.04"` slope 1), at most 27 decimals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateStrategyInput {
    pub optimal_usage_ratio: PlainDecimal,
    pub base_variable_borrow_rate: PlainDecimal,
    pub variable_rate_slope1: PlainDecimal,
    pub variable_rate_slope2: PlainDecimal,
}

/// An amount of one asset held as collateral or owed as debt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    pub asset: String,
    pub amount: PlainDecimal,
    /// aave-v3 collateral only (extension): `false` when the user turned the
    /// asset off as collateral; it then neither counts nor can be seized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_as_collateral: Option<bool>,
}

/// An Aave V3 efficiency-mode category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EModeCategory {
    pub id: u32,
    pub ltv_bps: u32,
    pub liquidation_threshold_bps: u32,
    pub liquidation_bonus_bps: u32,
    /// The category's own price source; `null` uses each asset's price.
    #[serde(default)]
    pub price: Option<PlainDecimal>,
    /// aave-v3.2 and later (extension): the assets that count as collateral
    /// with the category's parameters, and those borrowable in it. Absent:
    /// every asset whose `emode_category` is this id, as the 3.2 upgrade
    /// migrated 3.0 categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collateral_assets: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub borrowable_assets: Option<Vec<String>>,
}

/// Liquity v1 system totals, this trove included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiquitySystem {
    pub total_collateral: PlainDecimal,
    pub total_debt: PlainDecimal,
}

/// A scenario the engine refuses, with the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ScenarioError {
    /// Where in the scenario, e.g. `assets[1].price`; `scenario` for the whole.
    pub field: String,
    pub problem: String,
}

impl ScenarioError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        // One line always: a key or value with a newline in it is shown escaped.
        let one_line = |s: String| {
            if s.chars().any(char::is_control) {
                s.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
            } else {
                s
            }
        };
        Self { field: one_line(field.into()), problem: one_line(problem.into()) }
    }
}

impl Scenario {
    /// Parses and validates a scenario file.
    ///
    /// ```
    /// let s = ballast_core::Scenario::parse(r#"{"schema":"ballast.scenario/1","protocol":"aave-v3",
    ///   "assets":[],"collateral":[],"debt":[]}"#).unwrap();
    /// assert_eq!(s.protocol, ballast_core::Protocol::AAVE_V3);
    /// ```
    pub fn parse(json: &str) -> Result<Self, ScenarioError> {
        if json.len() > MAX_INPUT_BYTES {
            return Err(ScenarioError::new(
                "scenario",
                format!("is {} bytes; at most {} (1 MiB) are accepted", json.len(), MAX_INPUT_BYTES),
            ));
        }
        // First as a tree, so arrays standing in for objects are refused: serde
        // would read them by field position, which this format never promises.
        let tree: serde_json::Value =
            serde_json::from_str(json).map_err(|e| ScenarioError::new("scenario", serde_problem(&e)))?;
        require_objects(&tree)?;
        // Then read from the text itself, which (unlike the tree) refuses a key
        // given twice instead of keeping the last.
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let scenario: Scenario = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." || path.is_empty() { "scenario".to_owned() } else { path };
            ScenarioError::new(field, serde_problem(&e.into_inner()))
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// The scenario as compact JSON, in the same format it was read from.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| unreachable!("a scenario always serialises: {e}"))
    }

    /// The asset listed under `symbol`, with its index in `assets`.
    pub fn asset(&self, symbol: &str) -> Option<(usize, &Asset)> {
        self.assets.iter().enumerate().find(|(_, a)| a.symbol == symbol)
    }

    /// Checks everything the format and the protocol's rules require.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.schema != SCHEMA {
            return Err(ScenarioError::new("schema", format!("is {:?}; expected {SCHEMA:?}", self.schema)));
        }
        if self.assets.len() > MAX_ASSETS {
            return Err(ScenarioError::new(
                "assets",
                format!("lists {} assets; at most {MAX_ASSETS} are accepted", self.assets.len()),
            ));
        }
        let mut seen = HashSet::new();
        for (i, asset) in self.assets.iter().enumerate() {
            if asset.symbol.trim().is_empty() {
                return Err(ScenarioError::new(format!("assets[{i}].symbol"), "is empty"));
            }
            if !seen.insert(asset.symbol.as_str()) {
                return Err(ScenarioError::new(
                    format!("assets[{i}].symbol"),
                    format!("{:?} is listed twice; list each asset once", asset.symbol),
                ));
            }
            if let Some(price) = &asset.price {
                if price.is_zero() {
                    return Err(ScenarioError::new(format!("assets[{i}].price"), "must be more than 0"));
                }
            }
        }
        for (list, holdings) in [("collateral", &self.collateral), ("debt", &self.debt)] {
            let mut held = HashSet::new();
            for (i, h) in holdings.iter().enumerate() {
                if self.asset(&h.asset).is_none() {
                    return Err(ScenarioError::new(
                        format!("{list}[{i}].asset"),
                        format!("{:?} is not listed in assets", h.asset),
                    ));
                }
                if h.use_as_collateral.is_some() && (list == "debt" || !self.protocol.is_aave()) {
                    return Err(ScenarioError::new(
                        format!("{list}[{i}].use_as_collateral"),
                        "applies only to aave-v3 collateral; remove it",
                    ));
                }
                if !held.insert(h.asset.as_str()) {
                    return Err(ScenarioError::new(
                        format!("{list}[{i}].asset"),
                        format!("{:?} appears twice in {list}; give one amount per asset", h.asset),
                    ));
                }
            }
        }
        match self.protocol {
            Protocol::Aave(_) => crate::aave_v3::validate(self),
            Protocol::Maker => crate::maker::validate(self),
            Protocol::LiquityV1 => crate::liquity_v1::validate(self),
        }
    }

    /// The one collateral and one debt holding of a maker or liquity-v1 position.
    pub(crate) fn single_pair(&self) -> Result<(&Holding, &Holding), ScenarioError> {
        let protocol = self.protocol;
        let one = |list: &'static str, holdings: &'_ [Holding]| -> Result<(), ScenarioError> {
            if holdings.len() != 1 {
                return Err(ScenarioError::new(
                    list,
                    format!("has {} entries; a {protocol} position has exactly one", holdings.len()),
                ));
            }
            Ok(())
        };
        one("collateral", &self.collateral)?;
        one("debt", &self.debt)?;
        Ok((&self.collateral[0], &self.debt[0]))
    }

    /// The priced collateral asset and the debt asset of a maker or liquity-v1
    /// position, with their indexes in `assets`, after the checks both share.
    pub(crate) fn vault_assets(&self) -> Result<(IndexedAsset<'_>, IndexedAsset<'_>), ScenarioError> {
        let (collateral, debt) = self.single_pair()?;
        let (ci, c) =
            self.asset(&collateral.asset).ok_or_else(|| ScenarioError::new("collateral[0].asset", "is not listed"))?;
        if c.price.is_none() {
            return Err(ScenarioError::new(format!("assets[{ci}].price"), format!("is required for {}", c.symbol)));
        }
        let (di, d) = self.asset(&debt.asset).ok_or_else(|| ScenarioError::new("debt[0].asset", "is not listed"))?;
        if collateral.asset == debt.asset {
            return Err(ScenarioError::new("debt[0].asset", "must differ from the collateral asset"));
        }
        Ok(((ci, c), (di, d)))
    }

    /// Rejects fields that `protocol` does not use, so nobody believes a value
    /// was applied when it was not.
    pub(crate) fn reject_unused_fields(&self) -> Result<(), ScenarioError> {
        let p = self.protocol;
        let unused = |field: &str| ScenarioError::new(field, format!("is not used by {p}; remove it"));
        if !p.is_aave() && self.emode.is_some() {
            return Err(unused("emode"));
        }
        if !p.is_aave() && !self.emode_categories.is_empty() {
            return Err(unused("emode_categories"));
        }
        if p != Protocol::Maker && self.par.is_some() {
            return Err(unused("par"));
        }
        if p != Protocol::LiquityV1 && self.system.is_some() {
            return Err(unused("system"));
        }
        if p != Protocol::LiquityV1 && self.base_rate.is_some() {
            return Err(unused("base_rate"));
        }
        for (i, a) in self.assets.iter().enumerate() {
            let aave_only = [
                ("decimals", a.decimals.is_some()),
                ("ltv_bps", a.ltv_bps.is_some()),
                ("liquidation_threshold_bps", a.liquidation_threshold_bps.is_some()),
                ("liquidation_bonus_bps", a.liquidation_bonus_bps.is_some()),
                ("emode_category", a.emode_category.is_some()),
            ];
            if !p.is_aave() {
                if let Some((name, _)) = aave_only.iter().find(|(_, present)| *present) {
                    return Err(unused(&format!("assets[{i}].{name}")));
                }
            }
            if !p.is_aave() && a.has_reserve_state() {
                return Err(unused(&format!("assets[{i}]: the reserve fields (caps, flags, isolation)")));
            }
            for (name, present) in [
                ("liquidation_ratio", a.liquidation_ratio.is_some()),
                ("next_price", a.next_price.is_some()),
                ("dust", a.dust.is_some()),
                ("chop", a.chop.is_some()),
            ] {
                if p != Protocol::Maker && present {
                    return Err(unused(&format!("assets[{i}].{name}")));
                }
            }
        }
        Ok(())
    }
}

/// The format's objects must be JSON objects: the scenario, each entry of
/// its lists, `emode` and `system`.
fn require_objects(tree: &serde_json::Value) -> Result<(), ScenarioError> {
    use serde_json::Value;
    let object = |v: &Value, at: &str| match v {
        Value::Object(_) => Ok(()),
        _ => Err(ScenarioError::new(at, "must be a JSON object")),
    };
    object(tree, "scenario")?;
    for list in ["assets", "collateral", "debt", "emode_categories"] {
        if let Some(Value::Array(items)) = tree.get(list) {
            for (i, item) in items.iter().enumerate() {
                object(item, &format!("{list}[{i}]"))?;
            }
        }
    }
    for key in ["emode", "system"] {
        if let Some(v) = tree.get(key).filter(|v| !v.is_null()) {
            object(v, key)?;
        }
    }
    Ok(())
}

/// What serde_json found wrong, for a message that also names the field: a syntax error keeps
/// serde_json's " at line 3 column 7", the only clue to where it is; an error in a value loses it,
/// since the field path says more.
pub fn serde_problem(e: &serde_json::Error) -> String {
    let message = e.to_string();
    if let Some(position) = message.strip_prefix("recursion limit exceeded") {
        // serde_json's own depth limit, reached before any field could be named.
        return format!("is nested too deeply (over 128 levels){position}");
    }
    if e.is_syntax() || e.is_eof() {
        message
    } else {
        strip_serde_position(&message)
    }
}

/// serde_json appends " at line 1 column 42"; the field path says more.
pub fn strip_serde_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// Checks a basis-point field is within 0..=max.
pub(crate) fn check_bps(field: String, value: u32, max: u32) -> Result<(), ScenarioError> {
    if value > max {
        return Err(ScenarioError::new(field, format!("is {value}; at most {max} basis points")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_EXAMPLE: &str = r#"{
      "schema": "ballast.scenario/1",
      "protocol": "aave-v3",
      "assets": [
        { "symbol": "WETH", "decimals": 18, "price": "2000",
          "ltv_bps": 8000, "liquidation_threshold_bps": 8250,
          "liquidation_bonus_bps": 10500 },
        { "symbol": "USDC", "decimals": 6, "price": "1.0001",
          "ltv_bps": 7700, "liquidation_threshold_bps": 8000,
          "liquidation_bonus_bps": 10450 }
      ],
      "collateral": [ { "asset": "WETH", "amount": "10" } ],
      "debt":       [ { "asset": "USDC", "amount": "5000" } ]
    }"#;

    fn error_of(json: &str) -> String {
        Scenario::parse(json).unwrap_err().to_string()
    }

    #[test]
    fn round_trips_the_spec_example() {
        let s = Scenario::parse(SPEC_EXAMPLE).unwrap();
        assert_eq!(Scenario::parse(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn names_the_field_of_an_unknown_key() {
        let json = SPEC_EXAMPLE.replace("\"liquidation_bonus_bps\": 10500", "\"liquidation_bonus\": 10500");
        let e = error_of(&json);
        assert!(
            e.starts_with("assets[0].liquidation_bonus: unknown field `liquidation_bonus`, expected one of"),
            "{e}"
        );
    }

    #[test]
    fn refuses_json_numbers_where_decimal_strings_are_required() {
        let e = error_of(&SPEC_EXAMPLE.replace("\"price\": \"2000\"", "\"price\": 2000"));
        assert!(e.starts_with("assets[0].price: 2000 is a JSON number"), "{e}");
    }

    #[test]
    fn refuses_an_exponent_and_names_the_amount() {
        let e = error_of(&SPEC_EXAMPLE.replace("\"amount\": \"10\"", "\"amount\": \"1e1\""));
        assert!(e.starts_with("collateral[0].amount: \"1e1\" is not a plain decimal"), "{e}");
    }

    #[test]
    fn refuses_a_holding_of_an_unlisted_asset() {
        let e = error_of(&SPEC_EXAMPLE.replace("{ \"asset\": \"USDC\"", "{ \"asset\": \"USDT\""));
        assert_eq!(e, "debt[0].asset: \"USDT\" is not listed in assets");
    }

    #[test]
    fn refuses_a_zero_price_and_a_wrong_schema() {
        assert_eq!(error_of(&SPEC_EXAMPLE.replace("\"1.0001\"", "\"0\"")), "assets[1].price: must be more than 0");
        assert_eq!(
            error_of(&SPEC_EXAMPLE.replace("ballast.scenario/1", "ballast.scenario/2")),
            "schema: is \"ballast.scenario/2\"; expected \"ballast.scenario/1\""
        );
    }

    #[test]
    fn refuses_oversized_input_and_trailing_garbage() {
        let big = format!("{}{}", SPEC_EXAMPLE, " ".repeat(MAX_INPUT_BYTES));
        assert!(error_of(&big).starts_with("scenario: is 1049"), "{}", error_of(&big));
        assert!(error_of(&format!("{SPEC_EXAMPLE} {{}}")).starts_with("scenario: trailing characters"));
        // A syntax error says where it is: there is no field to name.
        let missing_comma = SPEC_EXAMPLE.replacen("\",\n", "\"\n", 1);
        assert_ne!(missing_comma, SPEC_EXAMPLE);
        assert!(error_of(&missing_comma).contains(" at line "), "{}", error_of(&missing_comma));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(error_of(&deep), "scenario: is nested too deeply (over 128 levels) at line 1 column 128");
    }

    #[test]
    fn refuses_arrays_in_place_of_objects_and_keys_given_twice() {
        let positional = r#"["ballast.scenario/1","aave-v3",[],null,null,null,null,[],[],[]]"#;
        assert_eq!(error_of(positional), "scenario: must be a JSON object");
        let asset_as_array = SPEC_EXAMPLE.replace(
            r#"{ "symbol": "USDC", "decimals": 6, "price": "1.0001",
          "ltv_bps": 7700, "liquidation_threshold_bps": 8000,
          "liquidation_bonus_bps": 10450 }"#,
            r#"["USDC", 6, "1.0001", 7700, 8000, 10450]"#,
        );
        assert_eq!(error_of(&asset_as_array), "assets[1]: must be a JSON object");
        let twice = SPEC_EXAMPLE.replace(r#""price": "2000","#, r#""price": "2000", "price": "1","#);
        assert_eq!(error_of(&twice), "assets[0]: duplicate field `price`");
    }

    #[test]
    fn an_error_stays_on_one_line_whatever_the_key() {
        let e = error_of(&SPEC_EXAMPLE.replace(r#""schema""#, r#""sch\nema""#));
        assert!(!e.contains('\n'), "{e}");
        assert!(e.starts_with("sch\\nema: unknown field `sch\\nema`"), "{e}");
    }

    #[test]
    fn refuses_too_many_assets() {
        let assets: Vec<String> =
            (0..65).map(|i| format!(r#"{{"symbol":"A{i}","decimals":18,"price":"1"}}"#)).collect();
        let json = format!(
            r#"{{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[{}],"collateral":[],"debt":[]}}"#,
            assets.join(",")
        );
        assert_eq!(error_of(&json), "assets: lists 65 assets; at most 64 are accepted");
    }
}
