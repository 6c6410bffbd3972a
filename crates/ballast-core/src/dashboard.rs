//! The dashboard model: several evaluated positions (any chain, any
//! protocol) as rows a person reads, with totals, sorted by risk. Pure: the
//! app reads the chain, builds each position's scenario, and hands them here.
//!
//! Every figure is an exact rational; the UI rounds for display. For an Aave
//! position read from chain, the health factor and totals shown are the
//! chain's own `getUserAccountData`; the engine's figures for the same
//! position are computed beside them, and any difference becomes a warning on
//! the row, never a silent substitution.
//!
//! APYs: an Aave rate (the Pool's `liquidityRate` or `variableBorrowRate`, a
//! yearly rate) compounds over a year as the Pool's
//! `calculateCompoundedInterest` does, which is also what `@aave/math-utils`
//! shows as APY. A Maker vault's borrow APY is its stability fee when the
//! caller read it; a Liquity v1 trove pays no interest (a one-time fee), and
//! vault collateral earns nothing.

use alloy_primitives::U256;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, Zero};

use crate::aave_v3::interest::{compounded_interest, SECONDS_PER_YEAR};
use crate::aave_v3::math::RAY;
use crate::aave_v3::AccountData;
use crate::exact::{format_exact, pow10, PlainDecimal};
use crate::liquidation::LiquidationPrice;
use crate::{liquity_v1, Protocol, Report, Scenario};

/// One position to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionInput {
    /// Where it lives, e.g. `Ethereum`.
    pub chain: String,
    /// Which market, vault type or system, e.g. `Core`, `ETH-A`, `Liquity`.
    pub market: String,
    pub scenario: Scenario,
    /// Aave: the chain's `getUserAccountData`, read at the block the scenario was read at.
    pub chain_account: Option<AccountData>,
    /// Maker: the stability fee per year, a fraction (e.g. from the Jug).
    pub vault_borrow_apy: Option<BigRational>,
}

/// One asset held or owed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetLine {
    pub asset: String,
    /// Whole tokens.
    pub amount: BigRational,
    /// Price in USD per whole token (debt at par for Maker, 1 for LUSD).
    pub price: BigRational,
    pub usd: BigRational,
    /// Yearly yield (collateral) or cost (debt), a fraction; `None` when not known.
    pub apy: Option<BigRational>,
    /// Collateral only: whether it counts toward borrowing power (Aave's switch).
    pub counts_as_collateral: bool,
}

/// Whose health factor a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthSource {
    /// The chain's `getUserAccountData`.
    Chain,
    /// The engine, from the scenario (hand-entered or vault positions).
    Engine,
}

/// The nearest liquidation line: how far the price of one asset must move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distance {
    pub asset: String,
    pub price: BigRational,
    pub liquidation_price: BigRational,
    /// `(liquidation_price − price) / price`: −0.3 is a 30 % fall.
    pub change: BigRational,
}

/// What a row should call attention to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    /// The user's Aave e-mode category.
    pub emode: Option<u32>,
    /// The isolated asset, when the position is in Aave's isolation mode.
    pub isolation: Option<String>,
    /// Collateral switched on whose LTV is 0: it adds no borrowing power, and
    /// while held it blocks withdrawing other collateral.
    pub ltv_zero_collateral: Vec<String>,
    /// Held or owed reserves that are frozen (no supply or borrow) or paused (nothing).
    pub frozen: Vec<String>,
    pub paused: Vec<String>,
    /// Liquity: the system is in recovery mode.
    pub recovery_mode: bool,
}

/// One position, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionRow {
    pub chain: String,
    pub market: String,
    pub protocol: Protocol,
    pub collateral: Vec<AssetLine>,
    pub debt: Vec<AssetLine>,
    /// Everything supplied, collateral or not.
    pub collateral_usd: BigRational,
    pub debt_usd: BigRational,
    pub net_usd: BigRational,
    /// Weighted by USD over the lines; `None` when a line's APY is unknown.
    pub supply_apy: Option<BigRational>,
    pub borrow_apy: Option<BigRational>,
    /// `None` without debt.
    pub health_factor: Option<BigRational>,
    pub health_source: HealthSource,
    pub engine_health_factor: Option<BigRational>,
    pub liquidatable: bool,
    /// Debt over the collateral that counts.
    pub ltv_used: Option<BigRational>,
    /// The most that may be borrowed against it, as a fraction of it.
    pub ltv_max: Option<BigRational>,
    /// Where liquidation starts, as a fraction of it.
    pub liquidation_threshold: Option<BigRational>,
    pub riskiest: Option<Distance>,
    pub flags: Flags,
    /// Engine and chain disagreeing, inputs missing: shown, never hidden.
    pub warnings: Vec<String>,
}

/// Across every position shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub collateral_usd: BigRational,
    pub debt_usd: BigRational,
    pub net_worth: BigRational,
    pub supply_apy: Option<BigRational>,
    pub borrow_apy: Option<BigRational>,
    pub lowest_health_factor: Option<BigRational>,
}

/// A position that could not be evaluated, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedPosition {
    pub chain: String,
    pub market: String,
    pub error: String,
}

/// The whole view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    /// Riskiest first: liquidatable, then by health factor (lowest first),
    /// then positions without debt; ties by debt, largest first.
    pub rows: Vec<PositionRow>,
    pub totals: Totals,
    /// Shown apart; they do not blank the others or count in the totals.
    pub failed: Vec<FailedPosition>,
}

/// Builds the dashboard; a position that does not evaluate goes to `failed`.
pub fn dashboard(positions: &[PositionInput]) -> Dashboard {
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for p in positions {
        match crate::evaluate(&p.scenario) {
            Ok(report) => rows.push(row(p, &report)),
            Err(e) => {
                failed.push(FailedPosition { chain: p.chain.clone(), market: p.market.clone(), error: e.to_string() })
            }
        }
    }
    rows.sort_by(|a, b| {
        b.liquidatable
            .cmp(&a.liquidatable)
            .then_with(|| match (&a.health_factor, &b.health_factor) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| b.debt_usd.cmp(&a.debt_usd))
    });
    let totals = totals(&rows);
    Dashboard { rows, totals, failed }
}

fn totals(rows: &[PositionRow]) -> Totals {
    let sum = |f: fn(&PositionRow) -> &BigRational| rows.iter().map(f).fold(BigRational::zero(), |a, b| a + b);
    let collateral_usd = sum(|r| &r.collateral_usd);
    let debt_usd = sum(|r| &r.debt_usd);
    Totals {
        net_worth: &collateral_usd - &debt_usd,
        supply_apy: weighted_apy(rows.iter().flat_map(|r| &r.collateral)),
        borrow_apy: weighted_apy(rows.iter().flat_map(|r| &r.debt)),
        lowest_health_factor: rows.iter().filter_map(|r| r.health_factor.clone()).min(),
        collateral_usd,
        debt_usd,
    }
}

/// `Σ usd × apy / Σ usd` over the lines; `None` when a line worth anything
/// has no known APY: an average of the rest would pass for the whole (a Maker
/// vault's 0 % collateral alone read as "Supply APY 0.00 %" beside Aave
/// supplies whose rates were not read).
fn weighted_apy<'a>(lines: impl Iterator<Item = &'a AssetLine>) -> Option<BigRational> {
    let (mut weighted, mut weight) = (BigRational::zero(), BigRational::zero());
    for line in lines {
        match &line.apy {
            Some(apy) => {
                weighted += &line.usd * apy;
                weight += &line.usd;
            }
            None if line.usd.is_zero() => {}
            None => return None,
        }
    }
    (!weight.is_zero()).then(|| weighted / weight)
}

fn row(p: &PositionInput, report: &Report) -> PositionRow {
    let s = &p.scenario;
    let mut warnings = Vec::new();
    let price_of = |asset: &str| -> BigRational {
        match s.protocol {
            Protocol::Maker if s.collateral.first().is_none_or(|c| c.asset != asset) => {
                s.par.as_ref().map_or_else(BigRational::one, PlainDecimal::to_rational)
            }
            Protocol::LiquityV1 if s.collateral.first().is_none_or(|c| c.asset != asset) => BigRational::one(),
            _ => s.asset(asset).and_then(|(_, a)| a.price.as_ref()).map_or_else(BigRational::zero, |p| p.to_rational()),
        }
    };
    let collateral: Vec<AssetLine> = s
        .collateral
        .iter()
        .map(|h| {
            let asset = s.asset(&h.asset).map(|(_, a)| a);
            let apy = match s.protocol {
                Protocol::Aave(_) => asset.and_then(|a| a.supply_rate.as_ref()).and_then(yearly_apy),
                _ => Some(BigRational::zero()),
            };
            line(&h.asset, &h.amount, price_of(&h.asset), apy, h.use_as_collateral != Some(false))
        })
        .collect();
    let debt: Vec<AssetLine> = s
        .debt
        .iter()
        .map(|h| {
            let apy = match s.protocol {
                Protocol::Aave(_) => {
                    s.asset(&h.asset).and_then(|(_, a)| a.variable_borrow_rate.as_ref()).and_then(yearly_apy)
                }
                Protocol::Maker => p.vault_borrow_apy.clone(),
                Protocol::LiquityV1 => Some(BigRational::zero()),
            };
            line(&h.asset, &h.amount, price_of(&h.asset), apy, false)
        })
        .collect();
    for l in collateral.iter().chain(&debt).filter(|l| l.apy.is_none()) {
        warnings.push(format!("{}: no rate was read, so its APY is not known and not in the averages", l.asset));
    }
    let collateral_usd: BigRational = collateral.iter().map(|l| l.usd.clone()).sum();
    let debt_usd: BigRational = debt.iter().map(|l| l.usd.clone()).sum();

    let engine_health_factor = report.health_factor_exact.clone();
    let (health_factor, health_source, ltv_used, ltv_max, liquidation_threshold) = match s.protocol {
        Protocol::Aave(_) => {
            let engine = report.aave_v3.as_ref();
            if let (Some(chain), Some(engine)) = (&p.chain_account, engine) {
                warnings.extend(account_differences(chain, engine));
            }
            let shown = p.chain_account.as_ref().or(engine);
            let source = if p.chain_account.is_some() { HealthSource::Chain } else { HealthSource::Engine };
            match shown {
                Some(a) => (
                    (a.health_factor != U256::MAX).then(|| units(a.health_factor, 18)),
                    source,
                    (!a.total_collateral_base.is_zero())
                        .then(|| units(a.total_debt_base, 0) / units(a.total_collateral_base, 0)),
                    Some(units(a.ltv, 4)),
                    Some(units(a.current_liquidation_threshold, 4)),
                ),
                None => (engine_health_factor.clone(), HealthSource::Engine, None, None, None),
            }
        }
        Protocol::Maker | Protocol::LiquityV1 => {
            let limit = match s.protocol {
                Protocol::Maker => s.collateral.first().and_then(|c| s.asset(&c.asset)).and_then(|(_, a)| {
                    let mat = a.liquidation_ratio.as_ref()?.to_rational();
                    let par = s.par.as_ref().map_or_else(BigRational::one, PlainDecimal::to_rational);
                    (!mat.is_zero()).then(|| BigRational::one() / (mat * par))
                }),
                _ => Some(BigRational::one() / liquity_v1::mcr()),
            };
            let used = (!collateral_usd.is_zero()).then(|| &debt_usd / &collateral_usd);
            (engine_health_factor.clone(), HealthSource::Engine, used, limit.clone(), limit)
        }
    };

    PositionRow {
        chain: p.chain.clone(),
        market: p.market.clone(),
        protocol: s.protocol,
        supply_apy: weighted_apy(collateral.iter()),
        borrow_apy: weighted_apy(debt.iter()),
        riskiest: riskiest(&report.liquidation_prices, &price_of),
        flags: flags(s, report),
        net_usd: &collateral_usd - &debt_usd,
        collateral,
        debt,
        collateral_usd,
        debt_usd,
        liquidatable: match (&health_factor, health_source) {
            (Some(hf), HealthSource::Chain) => *hf < BigRational::one(),
            _ => report.liquidatable,
        },
        health_factor,
        health_source,
        engine_health_factor,
        ltv_used,
        ltv_max,
        liquidation_threshold,
        warnings,
    }
}

fn line(asset: &str, amount: &PlainDecimal, price: BigRational, apy: Option<BigRational>, counts: bool) -> AssetLine {
    let amount = amount.to_rational();
    AssetLine { asset: asset.to_owned(), usd: &amount * &price, amount, price, apy, counts_as_collateral: counts }
}

/// A yearly Aave rate compounded over a year as the Pool compounds it, less 1.
fn yearly_apy(rate: &PlainDecimal) -> Option<BigRational> {
    let ray = U256::from_str_radix(&rate.to_scaled_integer(27)?.to_str_radix(10), 10).ok()?;
    let growth = compounded_interest(ray, 0, SECONDS_PER_YEAR)?;
    Some(units(growth.checked_sub(RAY)?, 27))
}

/// `value × 10^-decimals`, exactly.
fn units(value: U256, decimals: u32) -> BigRational {
    let int = BigInt::parse_bytes(value.to_string().as_bytes(), 10).unwrap_or_default();
    BigRational::new(int, BigInt::from(pow10(decimals)))
}

/// Where the engine and the chain disagree on the same position.
fn account_differences(chain: &AccountData, engine: &AccountData) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |what: &str, c: U256, e: U256, decimals: u32| {
        if c != e {
            let show =
                |v: U256| if v == U256::MAX { "none (no debt)".to_owned() } else { format_exact(&units(v, decimals)) };
            out.push(format!(
                "the engine's {what} ({}) differs from the chain's ({}): the chain's is shown",
                show(e),
                show(c)
            ));
        }
    };
    compare("health factor", chain.health_factor, engine.health_factor, 18);
    compare("collateral (USD)", chain.total_collateral_base, engine.total_collateral_base, 8);
    compare("debt (USD)", chain.total_debt_base, engine.total_debt_base, 8);
    compare("liquidation threshold", chain.current_liquidation_threshold, engine.current_liquidation_threshold, 4);
    compare("LTV", chain.ltv, engine.ltv, 4);
    out
}

/// The liquidation line nearest the current price.
fn riskiest(lines: &[LiquidationPrice], price_of: &dyn Fn(&str) -> BigRational) -> Option<Distance> {
    lines
        .iter()
        .filter_map(|l| {
            let price = price_of(&l.asset);
            let change = l.distance_from(&price)?;
            Some(Distance { asset: l.asset.clone(), price, liquidation_price: l.exact.clone(), change })
        })
        .min_by(|a, b| a.change.abs().cmp(&b.change.abs()))
}

fn flags(s: &Scenario, report: &Report) -> Flags {
    let asset = |symbol: &str| s.asset(symbol).map(|(_, a)| a);
    let enabled: Vec<&str> = s
        .collateral
        .iter()
        .filter(|h| h.use_as_collateral != Some(false) && !h.amount.is_zero())
        .map(|h| h.asset.as_str())
        .collect();
    let held = || s.collateral.iter().chain(&s.debt).map(|h| h.asset.as_str());
    let with = |test: fn(&crate::scenario::Asset) -> bool| -> Vec<String> {
        let mut out: Vec<String> = held().filter(|a| asset(a).is_some_and(test)).map(str::to_owned).collect();
        out.dedup();
        out
    };
    let is_aave = s.protocol.is_aave();
    Flags {
        emode: s.emode.as_ref().map(|e| e.id),
        isolation: match enabled.as_slice() {
            [only] if is_aave && asset(only).and_then(|a| a.debt_ceiling.as_ref()).is_some_and(|c| !c.is_zero()) => {
                Some((*only).to_owned())
            }
            _ => None,
        },
        ltv_zero_collateral: if is_aave {
            enabled.iter().filter(|a| asset(a).and_then(|x| x.ltv_bps) == Some(0)).map(|a| (*a).to_owned()).collect()
        } else {
            Vec::new()
        },
        frozen: with(|a| a.frozen == Some(true)),
        paused: with(|a| a.paused == Some(true)),
        recovery_mode: report.recovery_mode == Some(true),
    }
}
