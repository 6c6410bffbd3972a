//! The embedded snapshot, `ballast.snapshot/1`: a demo market with saved
//! prices and demo positions, used whenever no live data is configured.
//!
//! Every value carries where it came from: a cited public figure, or the word
//! "example". [`Snapshot::scenario`] turns a demo position into an ordinary
//! scenario, so the app and `ballast eval` value it through one code path.

use serde::{Deserialize, Serialize};

use crate::exact::PlainDecimal;
use crate::scenario::{
    Asset, EModeCategory, Holding, LiquitySystem, Protocol, RateStrategyInput, Scenario, ScenarioError, SCHEMA,
};

/// The only snapshot schema this engine reads.
pub const SNAPSHOT_SCHEMA: &str = "ballast.snapshot/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema: String,
    /// When the prices were saved (RFC 3339, UTC).
    pub taken_at: String,
    pub title: String,
    /// What the snapshot is and is not, shown to the user.
    pub notice: String,
    pub aave_v3: AaveMarket,
    pub maker: MakerMarket,
    pub liquity_v1: LiquityMarket,
    pub positions: Vec<DemoPosition>,
}

/// A saved Aave V3-style market.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AaveMarket {
    pub name: String,
    pub source: String,
    pub emode_categories: Vec<SavedEModeCategory>,
    pub assets: Vec<SavedAsset>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedEModeCategory {
    pub id: u32,
    pub label: String,
    pub ltv_bps: u32,
    pub liquidation_threshold_bps: u32,
    pub liquidation_bonus_bps: u32,
    pub price: Option<PlainDecimal>,
    pub source: String,
}

/// A price as it was read, with its age and origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPrice {
    /// USD per whole token.
    pub usd: PlainDecimal,
    /// When the oracle last updated it (RFC 3339, UTC).
    pub updated_at: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedAsset {
    pub symbol: String,
    pub name: String,
    pub decimals: u32,
    pub price: SavedPrice,
    pub ltv_bps: u32,
    pub liquidation_threshold_bps: u32,
    pub liquidation_bonus_bps: u32,
    #[serde(default)]
    pub emode_category: u32,
    /// Whether the asset is a USD stablecoin (for basket crash models).
    pub stable: bool,
    pub parameters_source: String,
    /// The reserve's interest-rate strategy, reserve factor and totals over
    /// all users (tokens): with them the engine gives the rates interest
    /// projections use. All or none; `rates_source` says where they came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_strategy: Option<RateStrategyInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserve_factor_bps: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_supplied: Option<PlainDecimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_borrowed: Option<PlainDecimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rates_source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakerMarket {
    pub par: PlainDecimal,
    pub ilks: Vec<MakerIlk>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakerIlk {
    /// The ilk name, e.g. `ETH-A`.
    pub ilk: String,
    pub collateral: String,
    pub price: SavedPrice,
    /// `mat`, the liquidation ratio.
    pub liquidation_ratio: PlainDecimal,
    /// Minimum debt per vault, DAI.
    pub dust: PlainDecimal,
    /// Liquidation penalty factor, e.g. `"1.13"`.
    pub chop: PlainDecimal,
    pub stability_fee_apy: PlainDecimal,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiquityMarket {
    pub collateral: String,
    pub price: SavedPrice,
    pub system: LiquitySystem,
    pub system_source: String,
    /// Protocol constants (MCR, CCR, gas compensation, minimum net debt) and
    /// where they are defined.
    pub constants_source: String,
}

/// A demo position in one of the saved markets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "protocol", deny_unknown_fields)]
pub enum DemoPosition {
    #[serde(rename = "aave-v3")]
    AaveV3 {
        id: String,
        label: String,
        #[serde(default)]
        emode: Option<u32>,
        collateral: Vec<Holding>,
        debt: Vec<Holding>,
    },
    #[serde(rename = "maker")]
    Maker { id: String, label: String, ilk: String, collateral: PlainDecimal, debt: PlainDecimal },
    #[serde(rename = "liquity-v1")]
    LiquityV1 { id: String, label: String, collateral: PlainDecimal, debt: PlainDecimal },
}

impl DemoPosition {
    pub fn id(&self) -> &str {
        match self {
            DemoPosition::AaveV3 { id, .. } | DemoPosition::Maker { id, .. } | DemoPosition::LiquityV1 { id, .. } => id,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            DemoPosition::AaveV3 { label, .. }
            | DemoPosition::Maker { label, .. }
            | DemoPosition::LiquityV1 { label, .. } => label,
        }
    }

    pub fn protocol(&self) -> Protocol {
        match self {
            DemoPosition::AaveV3 { .. } => Protocol::AAVE_V3,
            DemoPosition::Maker { .. } => Protocol::Maker,
            DemoPosition::LiquityV1 { .. } => Protocol::LiquityV1,
        }
    }
}

/// A snapshot that cannot be read or a position it does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot: {0}")]
    Malformed(String),
    #[error("snapshot: no position with id {0:?}")]
    UnknownPosition(String),
    #[error("snapshot position {position:?}: {error}")]
    InvalidPosition { position: String, error: ScenarioError },
}

impl Snapshot {
    /// Parses a snapshot file and checks that every demo position makes a
    /// valid scenario.
    pub fn parse(json: &str) -> Result<Self, SnapshotError> {
        // Plain serde_json, not serde_path_to_error: the snapshot is our own published file, and the
        // path tracker would compile a second copy of all its deserialisation into every page's wasm
        // (docs/size.md). serde_json's message names the line and column instead.
        let snapshot: Snapshot = serde_json::from_str(json).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        if snapshot.schema != SNAPSHOT_SCHEMA {
            return Err(SnapshotError::Malformed(format!(
                "schema is {:?}; expected {SNAPSHOT_SCHEMA:?}",
                snapshot.schema
            )));
        }
        for position in &snapshot.positions {
            snapshot.scenario(position.id())?;
        }
        Ok(snapshot)
    }

    /// The demo position `id` as a scenario valued at the saved prices.
    pub fn scenario(&self, id: &str) -> Result<Scenario, SnapshotError> {
        let position = self
            .positions
            .iter()
            .find(|p| p.id() == id)
            .ok_or_else(|| SnapshotError::UnknownPosition(id.to_owned()))?;
        let scenario = match position {
            DemoPosition::AaveV3 { emode, collateral, debt, .. } => self.aave_scenario(*emode, collateral, debt),
            DemoPosition::Maker { ilk, collateral, debt, .. } => self.maker_scenario(ilk, collateral, debt),
            DemoPosition::LiquityV1 { collateral, debt, .. } => Ok(self.liquity_scenario(collateral, debt)),
        }
        .and_then(|s| s.validate().map(|()| s));
        scenario.map_err(|error| SnapshotError::InvalidPosition { position: id.to_owned(), error })
    }

    /// The saved price of `symbol` in the market `protocol` values it in, with
    /// its age and source; `None` for a debt valued at par (DAI, LUSD).
    pub fn saved_price(&self, protocol: Protocol, symbol: &str) -> Option<&SavedPrice> {
        match protocol {
            Protocol::Aave(_) => self.aave_v3.assets.iter().find(|a| a.symbol == symbol).map(|a| &a.price),
            Protocol::Maker => self.maker.ilks.iter().find(|i| i.collateral == symbol).map(|i| &i.price),
            Protocol::LiquityV1 => (self.liquity_v1.collateral == symbol).then_some(&self.liquity_v1.price),
        }
    }

    fn aave_scenario(
        &self,
        emode: Option<u32>,
        collateral: &[Holding],
        debt: &[Holding],
    ) -> Result<Scenario, ScenarioError> {
        let held = |symbol: &str| collateral.iter().chain(debt).any(|h| h.asset == symbol);
        let assets = self
            .aave_v3
            .assets
            .iter()
            .filter(|a| held(&a.symbol))
            .map(|a| Asset {
                symbol: a.symbol.clone(),
                decimals: Some(a.decimals),
                price: Some(a.price.usd.clone()),
                ltv_bps: Some(a.ltv_bps),
                liquidation_threshold_bps: Some(a.liquidation_threshold_bps),
                liquidation_bonus_bps: Some(a.liquidation_bonus_bps),
                emode_category: (a.emode_category != 0).then_some(a.emode_category),
                liquidation_ratio: None,
                // Travels with the scenario (and share links) for basket crash charts.
                stable: Some(a.stable),
                rate_strategy: a.rate_strategy.clone(),
                reserve_factor_bps: a.reserve_factor_bps,
                total_supplied: a.total_supplied.clone(),
                total_borrowed: a.total_borrowed.clone(),
                ..bare_asset(&a.symbol)
            })
            .collect();
        // Every category travels with the scenario, so the user can switch.
        let categories: Vec<EModeCategory> = self
            .aave_v3
            .emode_categories
            .iter()
            .map(|c| EModeCategory {
                id: c.id,
                ltv_bps: c.ltv_bps,
                liquidation_threshold_bps: c.liquidation_threshold_bps,
                liquidation_bonus_bps: c.liquidation_bonus_bps,
                price: c.price.clone(),
                collateral_assets: None,
                borrowable_assets: None,
            })
            .collect();
        let emode = match emode {
            None => None,
            Some(id) => Some(
                categories
                    .iter()
                    .find(|c| c.id == id)
                    .cloned()
                    .ok_or_else(|| ScenarioError::new("emode", format!("category {id} is not in the snapshot")))?,
            ),
        };
        Ok(Scenario {
            schema: SCHEMA.to_owned(),
            protocol: Protocol::AAVE_V3,
            assets,
            emode,
            emode_categories: categories,
            par: None,
            system: None,
            base_rate: None,
            collateral: collateral.to_vec(),
            debt: debt.to_vec(),
        })
    }

    fn maker_scenario(
        &self,
        ilk: &str,
        collateral: &PlainDecimal,
        debt: &PlainDecimal,
    ) -> Result<Scenario, ScenarioError> {
        let ilk = self
            .maker
            .ilks
            .iter()
            .find(|i| i.ilk == ilk)
            .ok_or_else(|| ScenarioError::new("ilk", format!("{ilk:?} is not in the snapshot")))?;
        Ok(Scenario {
            schema: SCHEMA.to_owned(),
            protocol: Protocol::Maker,
            assets: vec![
                Asset {
                    price: Some(ilk.price.usd.clone()),
                    liquidation_ratio: Some(ilk.liquidation_ratio.clone()),
                    ..bare_asset(&ilk.collateral)
                },
                bare_asset("DAI"),
            ],
            emode: None,
            emode_categories: Vec::new(),
            par: Some(self.maker.par.clone()),
            system: None,
            base_rate: None,
            collateral: vec![Holding {
                asset: ilk.collateral.clone(),
                amount: collateral.clone(),
                use_as_collateral: None,
            }],
            debt: vec![Holding { asset: "DAI".into(), amount: debt.clone(), use_as_collateral: None }],
        })
    }

    fn liquity_scenario(&self, collateral: &PlainDecimal, debt: &PlainDecimal) -> Scenario {
        let market = &self.liquity_v1;
        Scenario {
            schema: SCHEMA.to_owned(),
            protocol: Protocol::LiquityV1,
            assets: vec![
                Asset { price: Some(market.price.usd.clone()), ..bare_asset(&market.collateral) },
                bare_asset("LUSD"),
            ],
            emode: None,
            emode_categories: Vec::new(),
            par: None,
            system: Some(market.system.clone()),
            base_rate: None,
            collateral: vec![Holding {
                asset: market.collateral.clone(),
                amount: collateral.clone(),
                use_as_collateral: None,
            }],
            debt: vec![Holding { asset: "LUSD".into(), amount: debt.clone(), use_as_collateral: None }],
        }
    }
}

fn bare_asset(symbol: &str) -> Asset {
    Asset {
        symbol: symbol.to_owned(),
        decimals: None,
        price: None,
        ltv_bps: None,
        liquidation_threshold_bps: None,
        liquidation_bonus_bps: None,
        emode_category: None,
        liquidation_ratio: None,
        next_price: None,
        dust: None,
        chop: None,
        stable: None,
        volatility: None,
        beta: None,
        frozen: None,
        paused: None,
        borrowing_enabled: None,
        supply_cap: None,
        borrow_cap: None,
        total_supplied: None,
        total_borrowed: None,
        debt_ceiling: None,
        isolation_mode_total_debt: None,
        borrowable_in_isolation: None,
        liquidation_protocol_fee_bps: None,
        supply_rate: None,
        variable_borrow_rate: None,
        rate_strategy: None,
        reserve_factor_bps: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_snapshot_names_the_problem_and_where_it_is() {
        // A price given as a number, not a decimal string, on line 5.
        let bad = SNAPSHOT.replacen(r#""usd": "3000""#, r#""usd": 3000"#, 1);
        let Err(SnapshotError::Malformed(message)) = Snapshot::parse(&bad) else {
            panic!("parsed a malformed snapshot")
        };
        assert!(message.contains("line 5"), "{message}");
        assert!(message.starts_with("3000 is a JSON number; write it as a string"), "{message}");
    }

    const SNAPSHOT: &str = r#"{
      "schema": "ballast.snapshot/1", "taken_at": "2026-11-20T12:00:00Z", "title": "t", "notice": "n",
      "aave_v3": { "name": "m", "source": "example", "emode_categories": [], "assets": [
        { "symbol": "WETH", "name": "Wrapped Ether", "decimals": 18,
          "price": { "usd": "3000", "updated_at": "2026-11-20T11:59:11Z", "source": "example" },
          "ltv_bps": 8050, "liquidation_threshold_bps": 8300, "liquidation_bonus_bps": 10500, "stable": false,
          "parameters_source": "example" },
        { "symbol": "USDC", "name": "USD Coin", "decimals": 6,
          "price": { "usd": "1", "updated_at": "2026-11-20T11:21:09Z", "source": "example" },
          "ltv_bps": 7500, "liquidation_threshold_bps": 7800, "liquidation_bonus_bps": 10450, "stable": true,
          "parameters_source": "example" } ] },
      "maker": { "par": "1", "ilks": [] },
      "liquity_v1": { "collateral": "ETH",
        "price": { "usd": "3000", "updated_at": "2026-11-20T11:59:11Z", "source": "example" },
        "system": { "total_collateral": "230000", "total_debt": "95000000" },
        "system_source": "example", "constants_source": "example" },
      "positions": [ { "protocol": "aave-v3", "id": "demo", "label": "demo",
        "collateral": [ { "asset": "WETH", "amount": "1" }, { "asset": "USDC", "amount": "100" } ],
        "debt": [ { "asset": "USDC", "amount": "1000" } ] } ]
    }"#;

    #[test]
    fn aave_scenarios_carry_the_stable_flag() {
        let scenario = Snapshot::parse(SNAPSHOT).unwrap().scenario("demo").unwrap();
        let stable: Vec<_> = scenario.assets.iter().map(|a| (a.symbol.as_str(), a.stable)).collect();
        assert_eq!(stable, [("WETH", Some(false)), ("USDC", Some(true))]);
        assert_eq!(crate::what_if::non_stable_collateral(&scenario), ["WETH"]);
        // The flag survives a share link.
        assert_eq!(crate::share::decode(&crate::share::encode(&scenario)).unwrap(), scenario);
    }
}
