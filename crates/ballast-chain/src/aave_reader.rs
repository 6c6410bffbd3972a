//! An Aave V3 position read from chain, turned into a `ballast.scenario/1`.
//!
//! The reads, all `eth_call`s at one block:
//!
//! - the periphery `UiPoolDataProviderV3`: `getReservesData(provider)` (every
//!   reserve's configuration, indexes, rates, totals and oracle price, and the
//!   market's base currency) and `getUserReservesData(provider, user)` (the
//!   user's scaled balances, collateral flags and e-mode);
//! - the Pool: `getEModeCategoryData(id)`, `getUserEMode(user)`,
//!   `POOL_REVISION()` and, to check the result, `getUserAccountData(user)`;
//! - the block's timestamp, which brings the indexes forward as the Pool does.
//!
//! The data provider's return layout changes between periphery releases; each
//! layout is a submodule decoding into the layout-free types here
//! ([`MarketReserves`], [`UserReserves`]), which [`scenario_from_chain`] reads.
//! Implemented: [`periphery_v3_0_1`] (`@aave/periphery-v3@3.0.1`, deployed with
//! V3.0.x Pools and by the e2e harness) and [`periphery_origin`] (aave-v3-origin's
//! providers of 3.2, 3.3 and 3.4 on, which live markets serve: no stable debt,
//! virtual balances and deficits, e-mode categories with member bitmaps read
//! by `getEModes`). [`PeripheryLayout::for_pool_revision`] picks the layout
//! from `POOL_REVISION()`, which also picks the engine's rules; a 3.1 provider
//! is refused with a message saying so, and data in another layout than the
//! one expected is refused by its struct size, never misread.

mod abi_words;
pub mod periphery_origin;
pub mod periphery_v3_0_1;

use std::collections::HashSet;

use alloy_primitives::{Address, Bytes, I256, U256};
use alloy_sol_types::sol;
use ballast_core::aave_v3::interest::{compounded_interest, normalized_debt, normalized_income};
use ballast_core::aave_v3::math::ray_mul;
use ballast_core::aave_v3::revisions::AaveRevision;
use ballast_core::scenario::{MAX_ASSETS, MAX_TOKEN_DECIMALS};
use ballast_core::{Protocol, Scenario, ScenarioError};
use serde_json::{json, Map, Value};

pub use crate::aave_pool::{decode_user_account_data, get_user_account_data_calldata};
use crate::{calldata, decode_return, ReturnError};
pub use periphery_origin::OriginLayout;

sol! {
    /// The Pool's reads beyond `getUserAccountData`, as in `@aave/core-v3` 1.19.3 (v3.0.2).
    interface IPoolReads {
        struct EModeCategory {
            uint16 ltv;
            uint16 liquidationThreshold;
            uint16 liquidationBonus;
            address priceSource;
            string label;
        }

        function getUserEMode(address user) external view returns (uint256);
        function getEModeCategoryData(uint8 id) external view returns (EModeCategory memory);
        function POOL_REVISION() external view returns (uint256);
        /// Reserves ever listed, dropped ones included (their ids are not reused).
        function getReservesCount() external view returns (uint256);
    }
}

/// The base currency unit of a USD market: AaveOracle's `BASE_CURRENCY_UNIT`, 8 decimals.
const USD_UNIT: U256 = U256::from_limbs([100_000_000, 0, 0, 0]);
/// Rays (indexes, rates) have 27 decimals.
const RAY_DECIMALS: u32 = 27;

/// The market as `getReservesData` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketReserves {
    pub reserves: Vec<Reserve>,
    pub base_currency: BaseCurrency,
    /// `Pool.getReservesCount()`, dropped reserves included: e-mode bitmaps
    /// index reserves by id, which is the position in `reserves` only when
    /// this equals their number. Set it with [`MarketReserves::with_reserves_count`].
    pub reserves_count: Option<u64>,
}

impl MarketReserves {
    /// The market with the Pool's `getReservesCount()` read beside it.
    pub fn with_reserves_count(mut self, count: u64) -> Self {
        self.reserves_count = Some(count);
        self
    }
}

/// The market's reference currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseCurrency {
    /// One unit of the reference currency in the oracle's integers (1e8 for USD).
    pub unit: U256,
    /// The data provider sets this to `unit` when the oracle has a
    /// `BASE_CURRENCY_UNIT`, and to an ETH/USD answer otherwise.
    pub price_in_usd: I256,
}

impl BaseCurrency {
    fn is_usd_8(&self) -> bool {
        self.unit == USD_UNIT && self.price_in_usd == I256::from_raw(USD_UNIT)
    }
}

/// One reserve, in the data provider's integers. Amounts are in the token's
/// smallest unit, indexes and rates are rays, LTV and friends basis points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reserve {
    pub underlying: Address,
    pub symbol: String,
    pub decimals: U256,
    pub ltv: U256,
    pub liquidation_threshold: U256,
    pub liquidation_bonus: U256,
    pub reserve_factor: U256,
    pub borrowing_enabled: bool,
    pub active: bool,
    pub frozen: bool,
    pub paused: bool,
    pub liquidity_index: U256,
    pub variable_borrow_index: U256,
    pub liquidity_rate: U256,
    pub variable_borrow_rate: U256,
    pub last_update_timestamp: u64,
    pub available_liquidity: U256,
    pub total_principal_stable_debt: U256,
    pub average_stable_rate: U256,
    pub stable_debt_last_update_timestamp: U256,
    pub total_scaled_variable_debt: U256,
    pub unbacked: U256,
    /// In the base currency's unit.
    pub price: U256,
    pub optimal_usage_ratio: U256,
    pub base_variable_borrow_rate: U256,
    pub variable_rate_slope1: U256,
    pub variable_rate_slope2: U256,
    /// In units of `10^-debt_ceiling_decimals` USD, like the ceiling.
    pub isolation_mode_total_debt: U256,
    pub debt_ceiling: U256,
    pub debt_ceiling_decimals: U256,
    pub borrowable_in_isolation: bool,
    /// Whole tokens; 0 is no cap.
    pub borrow_cap: U256,
    pub supply_cap: U256,
    /// The reserve's e-mode category (`id` 0: none). Layouts from 3.2 on have
    /// none per reserve: their categories list members in bitmaps.
    pub emode: EModeCategory,
    /// 3.1 and later: the underlying the Pool accounts for (virtual
    /// accounting), which tokens sent to the aToken without supplying do not
    /// change. What borrowers can take and what utilisation is computed on.
    pub virtual_underlying_balance: Option<U256>,
    /// 3.3 and later: debt written off in liquidations that left no
    /// collateral, still owed to suppliers until the Umbrella covers it.
    pub deficit: Option<U256>,
}

/// An e-mode category as the Pool stores it: v3.0 with one price source and
/// members marked per reserve, 3.2 on with member bitmaps and no price source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EModeCategory {
    pub id: u8,
    pub ltv: u16,
    pub liquidation_threshold: u16,
    pub liquidation_bonus: u16,
    /// The oracle asset whose price every member takes; zero: their own prices.
    pub price_source: Address,
    pub label: String,
    /// 3.2 and later.
    pub bitmaps: Option<EModeBitmaps>,
}

/// Which reserves a 3.2+ category counts as collateral and lets be borrowed:
/// bit `i` is the reserve with id `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EModeBitmaps {
    pub collateral: u128,
    pub borrowable: u128,
}

/// The user's side, as `getUserReservesData` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserReserves {
    pub reserves: Vec<UserReserve>,
    /// The user's e-mode category, 0 for none.
    pub emode_category: u8,
}

/// The user's balances in one reserve, scaled as the tokens store them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserReserve {
    pub underlying: Address,
    pub scaled_a_token_balance: U256,
    pub usage_as_collateral_enabled: bool,
    pub stable_borrow_rate: U256,
    pub scaled_variable_debt: U256,
    pub principal_stable_debt: U256,
    pub stable_borrow_last_update_timestamp: U256,
}

/// Calldata for `Pool.getUserEMode(user)`.
pub fn get_user_emode_calldata(user: Address) -> Bytes {
    calldata(&IPoolReads::getUserEModeCall { user })
}

/// Decodes `Pool.getUserEMode`'s return data: the category id.
pub fn decode_user_emode(data: &[u8]) -> Result<u8, ReaderError> {
    let id = decode_return::<IPoolReads::getUserEModeCall>(data)?;
    u8::try_from(id).map_err(|_| ReaderError::UserEMode(id))
}

/// Calldata for `Pool.getEModeCategoryData(id)`.
pub fn get_emode_category_data_calldata(id: u8) -> Bytes {
    calldata(&IPoolReads::getEModeCategoryDataCall { id })
}

/// Decodes `Pool.getEModeCategoryData(id)`'s return data.
pub fn decode_emode_category_data(id: u8, data: &[u8]) -> Result<EModeCategory, ReturnError> {
    let c = decode_return::<IPoolReads::getEModeCategoryDataCall>(data)?;
    Ok(EModeCategory {
        id,
        ltv: c.ltv,
        liquidation_threshold: c.liquidationThreshold,
        liquidation_bonus: c.liquidationBonus,
        price_source: c.priceSource,
        label: c.label,
        bitmaps: None,
    })
}

/// Calldata for `Pool.POOL_REVISION()` (a public constant in v3.0.2).
pub fn pool_revision_calldata() -> Bytes {
    calldata(&IPoolReads::POOL_REVISIONCall {})
}

/// Decodes `POOL_REVISION()`'s return data.
pub fn decode_pool_revision(data: &[u8]) -> Result<U256, ReturnError> {
    decode_return::<IPoolReads::POOL_REVISIONCall>(data)
}

/// Calldata for `Pool.getReservesCount()` (3.1 and later; needed with e-mode bitmaps).
pub fn get_reserves_count_calldata() -> Bytes {
    calldata(&IPoolReads::getReservesCountCall {})
}

/// Decodes `getReservesCount()`'s return data.
pub fn decode_reserves_count(data: &[u8]) -> Result<u64, ReaderError> {
    let count = decode_return::<IPoolReads::getReservesCountCall>(data)?;
    u64::try_from(count).map_err(|_| ReaderError::ReservesCount(count))
}

/// Which `UiPoolDataProviderV3` return layout a Pool revision comes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeripheryLayout {
    /// `@aave/periphery-v3@3.0.1`, next to V3.0.x Pools: [`periphery_v3_0_1`].
    V3_0_1,
    /// aave-v3-origin's, next to 3.2, 3.3, and 3.4 and later Pools: [`periphery_origin`].
    Origin(OriginLayout),
}

impl PeripheryLayout {
    /// The layout to decode for a Pool's `POOL_REVISION()` (see
    /// [`AaveRevision::from_pool_revision`] for the numbers): 1–3 are V3.0.x,
    /// 6 is 3.2, 7 is 3.3, 8 and 9 are 3.4 and 3.5. 3.1 (4, and 5, a 3.2
    /// development number) serves a layout not decoded here, and anything
    /// else is not a revision Ballast knows.
    pub fn for_pool_revision(pool_revision: U256) -> Result<Self, ReaderError> {
        match u32::try_from(pool_revision) {
            Ok(1..=3) => Ok(PeripheryLayout::V3_0_1),
            Ok(6) => Ok(PeripheryLayout::Origin(OriginLayout::V3_2)),
            Ok(7) => Ok(PeripheryLayout::Origin(OriginLayout::V3_3)),
            Ok(8 | 9) => Ok(PeripheryLayout::Origin(OriginLayout::V3_4)),
            Ok(4 | 5) => Err(ReaderError::UnsupportedLayout(pool_revision)),
            _ => Err(ReaderError::UnknownRevision(pool_revision)),
        }
    }

    /// Decodes `getReservesData` in this layout.
    pub fn decode_reserves_data(self, data: &[u8]) -> Result<MarketReserves, ReturnError> {
        match self {
            PeripheryLayout::V3_0_1 => periphery_v3_0_1::decode_reserves_data(data),
            PeripheryLayout::Origin(layout) => periphery_origin::decode_reserves_data_in(layout, data),
        }
    }

    /// Decodes `getUserReservesData` in this layout.
    pub fn decode_user_reserves_data(self, data: &[u8]) -> Result<UserReserves, ReturnError> {
        match self {
            PeripheryLayout::V3_0_1 => periphery_v3_0_1::decode_user_reserves_data(data),
            PeripheryLayout::Origin(_) => periphery_origin::decode_user_reserves_data(data),
        }
    }

    /// How the e-mode categories are read: V3.0.x one `Pool.getEModeCategoryData(id)`
    /// per category a reserve names; origin layouts all at once with
    /// `getEModes(provider)` to the data provider ([`periphery_origin::decode_emodes`]),
    /// and the Pool's `getReservesCount()` beside it ([`MarketReserves::with_reserves_count`]).
    pub fn emodes_from_provider(self) -> bool {
        matches!(self, PeripheryLayout::Origin(_))
    }
}

/// Why chain data does not make a scenario.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReaderError {
    #[error(transparent)]
    Return(#[from] ReturnError),
    #[error(
        "the market's base currency is not USD with 8 decimals (unit {unit}, price in USD {price_in_usd}): \
         only USD markets (AaveOracle BASE_CURRENCY_UNIT 1e8) can be read"
    )]
    BaseCurrency { unit: U256, price_in_usd: I256 },
    #[error("Pool revision {0} is not one Ballast models")]
    UnknownRevision(U256),
    #[error(
        "Pool revision {0} (Aave 3.1) comes with a data-provider layout Ballast does not decode \
         (it reads V3.0.x and 3.2 or later)"
    )]
    UnsupportedLayout(U256),
    #[error("getReservesCount returned {0}, not a count")]
    ReservesCount(U256),
    #[error(
        "the Pool counts {count} reserves but lists {listed}: a dropped reserve leaves a gap in the ids, \
         so e-mode bitmaps cannot be matched to reserves"
    )]
    ReserveIdGap { count: u64, listed: usize },
    #[error("e-mode category {0} has bitmaps but the Pool's getReservesCount was not read")]
    MissingReservesCount(u8),
    #[error("getUserEMode returned {0}, not a category id (0-255)")]
    UserEMode(U256),
    #[error("the user has a balance in {0}, which is not among the market's reserves")]
    UnknownReserve(Address),
    #[error("reserve {asset}: {field} is {value}, {problem}")]
    Field { asset: String, field: &'static str, value: String, problem: &'static str },
    #[error("two reserves are called {0:?}; a scenario names assets by symbol")]
    DuplicateSymbol(String),
    #[error("reserve {0}: its indexes cannot be brought to the block timestamp (a timestamp before its last update, or an overflow)")]
    Interest(String),
    #[error("the user holds {count} reserves, more than the {MAX_ASSETS} a scenario lists")]
    TooManyAssets { count: usize },
    #[error("the user is in e-mode category {0}, for which no data was read")]
    MissingEModeCategory(u8),
    #[error(
        "e-mode category {id} takes its price from {price_source}, which is not a reserve; its price was not read"
    )]
    EModePriceSource { id: u8, price_source: Address },
    #[error("the scenario read from chain is not valid: {0}")]
    Scenario(#[from] ScenarioError),
}

/// The user's position as a scenario, valued as the Pool values it at
/// `timestamp` (the block the reads were made at).
///
/// - Amounts are the tokens' `balanceOf`: scaled balances `rayMul` the
///   reserve's normalized income or debt at `timestamp`; stable debt
///   compounds at the user's rate since their last update.
/// - Prices are `priceInMarketReferenceCurrency` over the 1e8 unit; a market
///   in any other base currency is refused.
/// - `emode_categories` are `getEModeCategoryData` reads; a category used by a
///   reserve but not read is taken from the reserve's copy. The user's
///   category is required. A category's price source must be a reserve (its
///   oracle price is then known); other categories with a foreign source are
///   left out of `emode_categories`.
/// - Reserves the user does not hold are listed too (what-if actions need
///   them), except inactive or zero-priced ones, and up to the scenario's
///   asset limit, held reserves first.
/// - `total_supplied` is what the aTokens and the treasury's accrual are
///   claims on (rounding aside): from 3.1 the Pool's virtual balance plus debt,
///   deficit and unbacked aTokens; in V3.0.x layouts the aToken's underlying balance plus debt
///   and unbacked aTokens (see `reserve_supplied`). `liquidation_protocol_fee_bps`
///   is in neither layout and is left out.
/// - 3.2+ categories (with bitmaps, from `getEModes`) list their collateral
///   and borrowable assets by symbol; bit `i` is the reserve with id `i`, so
///   `market.reserves_count` must be read ([`MarketReserves::with_reserves_count`])
///   and equal the number of reserves listed, or the read is refused.
pub fn scenario_from_chain(
    market: &MarketReserves,
    user: &UserReserves,
    emode_categories: &[EModeCategory],
    pool_revision: U256,
    timestamp: u64,
) -> Result<Scenario, ReaderError> {
    let base = market.base_currency;
    if !base.is_usd_8() {
        return Err(ReaderError::BaseCurrency { unit: base.unit, price_in_usd: base.price_in_usd });
    }
    let revision = u32::try_from(pool_revision)
        .ok()
        .and_then(AaveRevision::from_pool_revision)
        .ok_or(ReaderError::UnknownRevision(pool_revision))?;

    let mut symbols = HashSet::new();
    for reserve in &market.reserves {
        if !symbols.insert(reserve.symbol.as_str()) {
            return Err(ReaderError::DuplicateSymbol(reserve.symbol.clone()));
        }
    }

    // The user's holdings, in reserve order.
    let mut holdings = Vec::new();
    for held in &user.reserves {
        let reserve = market
            .reserves
            .iter()
            .position(|r| r.underlying == held.underlying)
            .ok_or(ReaderError::UnknownReserve(held.underlying))?;
        let balances = UserBalances::at(&market.reserves[reserve], held, timestamp)?;
        if balances.supplied > U256::ZERO || balances.debt > U256::ZERO || held.usage_as_collateral_enabled {
            holdings.push((reserve, held, balances));
        }
    }
    holdings.sort_by_key(|(reserve, ..)| *reserve);
    if holdings.len() > MAX_ASSETS {
        return Err(ReaderError::TooManyAssets { count: holdings.len() });
    }

    let categories = categories(market, emode_categories);
    let user_category = match user.emode_category {
        0 => None,
        id => Some(categories.iter().find(|c| c.id == id).ok_or(ReaderError::MissingEModeCategory(id))?),
    };
    // Held reserves always; the others while there is room and they can be valued.
    let held: HashSet<usize> = holdings.iter().map(|(reserve, ..)| *reserve).collect();
    let mut room = MAX_ASSETS - held.len();
    let mut assets = Vec::new();
    for (i, reserve) in market.reserves.iter().enumerate() {
        if !held.contains(&i) {
            if room == 0 || !reserve.active || reserve.price.is_zero() {
                continue;
            }
            room -= 1;
        }
        assets.push(asset_json(reserve, timestamp)?);
    }

    // The symbols the scenario lists: bitmap members outside it are left out of the lists.
    let listed_symbols: HashSet<String> =
        assets.iter().filter_map(|a| a["symbol"].as_str().map(str::to_owned)).collect();
    let category_json = |c: &EModeCategory| -> Result<Option<Value>, ReaderError> {
        let price = if c.price_source == Address::ZERO {
            Value::Null
        } else {
            match market.reserves.iter().find(|r| r.underlying == c.price_source) {
                Some(r) => json!(units(r.price, 8)),
                None => return Ok(None),
            }
        };
        let mut category = json!({
            "id": c.id,
            "ltv_bps": c.ltv,
            "liquidation_threshold_bps": c.liquidation_threshold,
            "liquidation_bonus_bps": c.liquidation_bonus,
            "price": price,
        });
        if let Some(bitmaps) = c.bitmaps {
            let members = |bitmap: u128| -> Result<Vec<&str>, ReaderError> {
                reserves_by_id(market, c.id)?;
                Ok(market
                    .reserves
                    .iter()
                    .enumerate()
                    .filter(|(id, _)| *id < 128 && bitmap >> id & 1 == 1)
                    .map(|(_, r)| r.symbol.as_str())
                    .filter(|symbol| listed_symbols.contains(*symbol))
                    .collect())
            };
            category["collateral_assets"] = json!(members(bitmaps.collateral)?);
            category["borrowable_assets"] = json!(members(bitmaps.borrowable)?);
        }
        Ok(Some(category))
    };

    let mut collateral = Vec::new();
    let mut debt = Vec::new();
    for (reserve, held, balances) in &holdings {
        let reserve = &market.reserves[*reserve];
        let decimals = token_decimals(reserve)?;
        if balances.supplied > U256::ZERO || held.usage_as_collateral_enabled {
            let mut holding = json!({ "asset": reserve.symbol, "amount": units(balances.supplied, decimals) });
            if !held.usage_as_collateral_enabled {
                holding["use_as_collateral"] = json!(false);
            }
            collateral.push(holding);
        }
        if balances.debt > U256::ZERO {
            debt.push(json!({ "asset": reserve.symbol, "amount": units(balances.debt, decimals) }));
        }
    }

    let mut scenario = Map::new();
    scenario.insert("schema".into(), json!("ballast.scenario/1"));
    scenario.insert("protocol".into(), json!(Protocol::Aave(revision).as_str()));
    scenario.insert("assets".into(), Value::Array(assets));
    if let Some(c) = user_category {
        let emode =
            category_json(c)?.ok_or(ReaderError::EModePriceSource { id: c.id, price_source: c.price_source })?;
        scenario.insert("emode".into(), emode);
    }
    let mut listed = Vec::new();
    for c in &categories {
        listed.extend(category_json(c)?);
    }
    if !listed.is_empty() {
        scenario.insert("emode_categories".into(), Value::Array(listed));
    }
    scenario.insert("collateral".into(), Value::Array(collateral));
    scenario.insert("debt".into(), Value::Array(debt));

    // Through serde, so the result is exactly what a scenario file would parse to.
    let scenario: Scenario = serde_json::from_value(Value::Object(scenario))
        .map_err(|e| ScenarioError::new("scenario", ballast_core::scenario::strip_serde_position(&e.to_string())))?;
    scenario.validate()?;
    Ok(scenario)
}

/// A user's token balances at a timestamp, as the tokens' `balanceOf` gives them.
struct UserBalances {
    supplied: U256,
    debt: U256,
}

impl UserBalances {
    fn at(reserve: &Reserve, user: &UserReserve, timestamp: u64) -> Result<Self, ReaderError> {
        let interest = || ReaderError::Interest(reserve.symbol.clone());
        let supplied = if user.scaled_a_token_balance.is_zero() {
            U256::ZERO
        } else {
            ray_mul(user.scaled_a_token_balance, reserve_income(reserve, timestamp)?).ok_or_else(interest)?
        };
        let variable = if user.scaled_variable_debt.is_zero() {
            U256::ZERO
        } else {
            ray_mul(user.scaled_variable_debt, reserve_debt_index(reserve, timestamp)?).ok_or_else(interest)?
        };
        // StableDebtToken.balanceOf: the principal compounded at the user's rate since their last update.
        let stable = if user.principal_stable_debt.is_zero() {
            U256::ZERO
        } else {
            let since =
                timestamp_of(reserve, "stableBorrowLastUpdateTimestamp", user.stable_borrow_last_update_timestamp)?;
            let growth = compounded_interest(user.stable_borrow_rate, since, timestamp).ok_or_else(interest)?;
            ray_mul(user.principal_stable_debt, growth).ok_or_else(interest)?
        };
        Ok(Self { supplied, debt: variable.checked_add(stable).ok_or_else(interest)? })
    }
}

fn reserve_income(reserve: &Reserve, timestamp: u64) -> Result<U256, ReaderError> {
    normalized_income(reserve.liquidity_rate, reserve.liquidity_index, reserve.last_update_timestamp, timestamp)
        .ok_or_else(|| ReaderError::Interest(reserve.symbol.clone()))
}

fn reserve_debt_index(reserve: &Reserve, timestamp: u64) -> Result<U256, ReaderError> {
    normalized_debt(
        reserve.variable_borrow_rate,
        reserve.variable_borrow_index,
        reserve.last_update_timestamp,
        timestamp,
    )
    .ok_or_else(|| ReaderError::Interest(reserve.symbol.clone()))
}

/// Checks that list positions are reserve ids, as bitmaps need: the Pool's
/// count of reserves ever listed must be the number listed.
fn reserves_by_id(market: &MarketReserves, category: u8) -> Result<(), ReaderError> {
    match market.reserves_count {
        None => Err(ReaderError::MissingReservesCount(category)),
        Some(count) if usize::try_from(count).ok() != Some(market.reserves.len()) => {
            Err(ReaderError::ReserveIdGap { count, listed: market.reserves.len() })
        }
        Some(_) => Ok(()),
    }
}

/// The categories read from the Pool, then those only the reserves' copies
/// describe, each once, by id; ids without a configured LTV are not categories.
fn categories(market: &MarketReserves, read: &[EModeCategory]) -> Vec<EModeCategory> {
    let mut out: Vec<EModeCategory> = Vec::new();
    for c in read.iter().chain(market.reserves.iter().map(|r| &r.emode)) {
        if c.id != 0 && c.ltv != 0 && !out.iter().any(|o| o.id == c.id) {
            out.push(c.clone());
        }
    }
    out.sort_by_key(|c| c.id);
    out
}

fn asset_json(reserve: &Reserve, timestamp: u64) -> Result<Value, ReaderError> {
    let decimals = token_decimals(reserve)?;
    let mut asset = json!({
        "symbol": reserve.symbol,
        "decimals": decimals,
        "price": units(reserve.price, 8),
        "ltv_bps": bps(reserve, "ltv", reserve.ltv)?,
        "liquidation_threshold_bps": bps(reserve, "liquidationThreshold", reserve.liquidation_threshold)?,
        "liquidation_bonus_bps": bps(reserve, "liquidationBonus", reserve.liquidation_bonus)?,
        "frozen": reserve.frozen,
        "paused": reserve.paused,
        "borrowing_enabled": reserve.borrowing_enabled,
        "supply_cap": reserve.supply_cap.to_string(),
        "borrow_cap": reserve.borrow_cap.to_string(),
        "total_supplied": units(reserve_supplied(reserve, timestamp)?, decimals),
        "total_borrowed": units(reserve_borrowed(reserve, timestamp)?, decimals),
        "borrowable_in_isolation": reserve.borrowable_in_isolation,
        "reserve_factor_bps": bps(reserve, "reserveFactor", reserve.reserve_factor)?,
        "supply_rate": units(reserve.liquidity_rate, RAY_DECIMALS),
        "variable_borrow_rate": units(reserve.variable_borrow_rate, RAY_DECIMALS),
        "rate_strategy": {
            "optimal_usage_ratio": units(reserve.optimal_usage_ratio, RAY_DECIMALS),
            "base_variable_borrow_rate": units(reserve.base_variable_borrow_rate, RAY_DECIMALS),
            "variable_rate_slope1": units(reserve.variable_rate_slope1, RAY_DECIMALS),
            "variable_rate_slope2": units(reserve.variable_rate_slope2, RAY_DECIMALS),
        },
    });
    if reserve.emode.id != 0 {
        asset["emode_category"] = json!(reserve.emode.id);
    }
    if !reserve.debt_ceiling.is_zero() {
        let decimals = u32::try_from(reserve.debt_ceiling_decimals)
            .ok()
            .filter(|d| *d <= MAX_TOKEN_DECIMALS)
            .ok_or_else(|| field_error(reserve, "debtCeilingDecimals", reserve.debt_ceiling_decimals, "too many"))?;
        asset["debt_ceiling"] = json!(units(reserve.debt_ceiling, decimals));
        asset["isolation_mode_total_debt"] = json!(units(reserve.isolation_mode_total_debt, decimals));
    }
    Ok(asset)
}

/// What the aTokens (and the treasury's accrual) are claims on: the
/// underlying the Pool holds for them plus what is lent out.
///
/// - 3.1 and later: the Pool's virtual balance, plus debt, deficit and (up to
///   3.3) unbacked aTokens. Exact
///   to the Pool's own books (tokens sent to the aToken without a supply are
///   not counted, as the Pool does not count them), and `total_supplied −
///   total_borrowed` is the liquidity the rate strategy sees, deficit aside.
/// - V3.0.x layouts have no virtual balance: the aToken's underlying balance
///   stands in, plus debt and unbacked aTokens. Tokens sent straight to the
///   aToken inflate it; the data provider gives nothing better (the scaled
///   aToken supply is not in it).
fn reserve_supplied(reserve: &Reserve, timestamp: u64) -> Result<U256, ReaderError> {
    let held = match (reserve.virtual_underlying_balance, reserve.deficit) {
        (Some(virtual_balance), deficit) => {
            virtual_balance.checked_add(deficit.unwrap_or_default()).and_then(|v| v.checked_add(reserve.unbacked))
        }
        (None, _) => reserve.available_liquidity.checked_add(reserve.unbacked),
    };
    held.and_then(|held| held.checked_add(reserve_borrowed(reserve, timestamp).ok()?))
        .ok_or_else(|| ReaderError::Interest(reserve.symbol.clone()))
}

/// Variable and stable debt, as the debt tokens' `totalSupply` gives them.
fn reserve_borrowed(reserve: &Reserve, timestamp: u64) -> Result<U256, ReaderError> {
    let interest = || ReaderError::Interest(reserve.symbol.clone());
    let variable =
        ray_mul(reserve.total_scaled_variable_debt, reserve_debt_index(reserve, timestamp)?).ok_or_else(interest)?;
    let stable = if reserve.total_principal_stable_debt.is_zero() {
        U256::ZERO
    } else {
        let since = timestamp_of(reserve, "stableDebtLastUpdateTimestamp", reserve.stable_debt_last_update_timestamp)?;
        let growth = compounded_interest(reserve.average_stable_rate, since, timestamp).ok_or_else(interest)?;
        ray_mul(reserve.total_principal_stable_debt, growth).ok_or_else(interest)?
    };
    variable.checked_add(stable).ok_or_else(interest)
}

fn token_decimals(reserve: &Reserve) -> Result<u32, ReaderError> {
    u32::try_from(reserve.decimals)
        .ok()
        .filter(|d| *d <= MAX_TOKEN_DECIMALS)
        .ok_or_else(|| field_error(reserve, "decimals", reserve.decimals, "more than a uint256 amount can carry"))
}

/// A basis-point field; the Pool packs them in 16 bits.
fn bps(reserve: &Reserve, field: &'static str, value: U256) -> Result<u32, ReaderError> {
    u16::try_from(value)
        .map(u32::from)
        .map_err(|_| field_error(reserve, field, value, "more than 16 bits of basis points"))
}

fn timestamp_of(reserve: &Reserve, field: &'static str, value: U256) -> Result<u64, ReaderError> {
    u64::try_from(value).map_err(|_| field_error(reserve, field, value, "not a timestamp"))
}

fn field_error(reserve: &Reserve, field: &'static str, value: U256, problem: &'static str) -> ReaderError {
    ReaderError::Field { asset: reserve.symbol.clone(), field, value: value.to_string(), problem }
}

/// `value × 10^-decimals` as a plain decimal, exactly ("1.5", "0.000001", "0").
pub(crate) fn units(value: U256, decimals: u32) -> String {
    units_of_digits(&value.to_string(), decimals)
}

/// [`units`] for an integer of any width, given by its decimal digits.
pub(crate) fn units_of_digits(digits: &str, decimals: u32) -> String {
    let decimals = decimals as usize;
    if decimals == 0 {
        return digits.to_owned();
    }
    let padded = format!("{digits:0>width$}", width = decimals + 1);
    let (int, frac) = padded.split_at(padded.len() - decimals);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_exact_plain_decimals() {
        assert_eq!(units(U256::from(300_000_000_000u64), 8), "3000");
        assert_eq!(units(U256::from(99_990_000u64), 8), "0.9999");
        assert_eq!(units(U256::from(1u64), 6), "0.000001");
        assert_eq!(units(U256::ZERO, 18), "0");
        assert_eq!(units(U256::from(42u64), 0), "42");
    }

    #[test]
    fn pool_calls_use_the_pools_selectors() {
        // keccak256 of each signature, first 4 bytes.
        assert_eq!(alloy_primitives::hex::encode(&pool_revision_calldata()[..4]), "0148170e");
        assert_eq!(alloy_primitives::hex::encode(&get_emode_category_data_calldata(1)[..4]), "6c6f6ae1");
        assert_eq!(alloy_primitives::hex::encode(&get_user_emode_calldata(Address::ZERO)[..4]), "eddf1b79");
    }
}
