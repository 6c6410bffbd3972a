//! The native bench itself (divan has no wasm32 build).

use std::collections::HashMap;
use std::error::Error;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use alloy_primitives::U256;
use ballast_core::aave_v3::user_summary::{user_account_data, UserReserve};
use ballast_core::aave_v3::AccountData;
use divan::counter::ItemsCount;
use divan::Bencher;
use serde_json::Value;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// The goals the engine is held to.
const TEN_ASSET_GOAL_NS: f64 = 5_000.0;
const SPEEDUP_GOAL: f64 = 20.0;

struct Data {
    positions: Vec<Vec<UserReserve>>,
    current_timestamp: u64,
    /// Positions with exactly k assets (the first `bucket_cap`), as bench.mjs buckets them.
    buckets: HashMap<usize, Vec<usize>>,
}

static DATA: OnceLock<Data> = OnceLock::new();

fn data() -> &'static Data {
    DATA.get().expect("main loads the positions before divan runs")
}

pub fn main() -> Result<()> {
    let Some(positions_path) = std::env::var_os("BALLAST_BENCH_POSITIONS").map(PathBuf::from) else {
        println!(
            "user_summary bench skipped: BALLAST_BENCH_POSITIONS is not set. Point it at the positions.json \
             of a `node bench.mjs` run (shared/bench/aave-math-utils), or run scripts/bench-engine."
        );
        return Ok(());
    };
    let dir = positions_path.parent().unwrap_or(Path::new("."));
    let library = read_json(&dir.join("result.json")).ok();
    let bucket_cap = library
        .as_ref()
        .and_then(|r| r.pointer("/config/bucket_cap"))
        .and_then(Value::as_u64)
        .map_or(300, |c| c as usize);

    let started = Instant::now();
    let (positions, current_timestamp) = decode_positions(&read_json(&positions_path)?)?;
    let mut buckets: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, p) in positions.iter().enumerate() {
        let bucket = buckets.entry(p.len()).or_default();
        if bucket.len() < bucket_cap {
            bucket.push(i);
        }
    }
    println!(
        "decoded {} positions ({} reserves) from {} in {:.1} s",
        positions.len(),
        positions.iter().map(Vec::len).sum::<usize>(),
        positions_path.display(),
        started.elapsed().as_secs_f64()
    );
    let data = DATA.get_or_init(|| Data { positions, current_timestamp, buckets });

    let summaries = data
        .positions
        .iter()
        .enumerate()
        .map(|(i, p)| user_account_data(p, None, data.current_timestamp).map_err(|e| format!("position {i}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    match read_json(&dir.join("expected.json")) {
        Ok(expected) => cross_check(&data.positions, data.current_timestamp, &summaries, &expected)?,
        Err(e) => println!("cross-check skipped: {e}"),
    }

    divan::main();
    // `cargo test --benches` runs this without --bench: check, do not time.
    if std::env::args().any(|a| a == "--bench") {
        compare_with_library(data, library.as_ref());
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// positions.json: `meta.fields` names the columns of each asset array.
fn decode_positions(doc: &Value) -> Result<(Vec<Vec<UserReserve>>, u64)> {
    let meta = doc.get("meta").ok_or("positions.json: no meta")?;
    let current_timestamp = meta.get("currentTimestamp").and_then(Value::as_u64).ok_or("meta.currentTimestamp")?;
    if meta.get("userEmodeCategoryId").and_then(Value::as_u64) != Some(0) {
        return Err("positions.json: only userEmodeCategoryId 0 (no e-mode) is decoded".into());
    }
    let fields: Vec<&str> = meta
        .get("fields")
        .and_then(Value::as_array)
        .ok_or("meta.fields")?
        .iter()
        .map(|f| f.as_str().ok_or("meta.fields: not a string"))
        .collect::<Result<_, _>>()?;
    let column = |name: &str| fields.iter().position(|f| *f == name).ok_or_else(|| format!("meta.fields lacks {name}"));
    let col = Columns {
        scaled_a_token_balance: column("scaledATokenBalance")?,
        scaled_variable_debt: column("scaledVariableDebt")?,
        liquidity_index: column("liquidityIndex")?,
        variable_borrow_index: column("variableBorrowIndex")?,
        liquidity_rate: column("liquidityRate")?,
        variable_borrow_rate: column("variableBorrowRate")?,
        last_update_timestamp: column("lastUpdateTimestamp")?,
        decimals: column("decimals")?,
        price: column("priceInMarketReferenceCurrency")?,
        ltv: column("baseLTVasCollateral")?,
        liquidation_threshold: column("reserveLiquidationThreshold")?,
        usage_as_collateral: column("usageAsCollateralEnabledOnUser")?,
    };
    let positions = doc
        .get("positions")
        .and_then(Value::as_array)
        .ok_or("positions.json: no positions")?
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.as_array()
                .ok_or_else(|| format!("positions[{i}]: not an array"))?
                .iter()
                .enumerate()
                .map(|(k, a)| col.reserve(a).map_err(|e| format!("positions[{i}][{k}]: {e}")))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((positions, current_timestamp))
}

struct Columns {
    scaled_a_token_balance: usize,
    scaled_variable_debt: usize,
    liquidity_index: usize,
    variable_borrow_index: usize,
    liquidity_rate: usize,
    variable_borrow_rate: usize,
    last_update_timestamp: usize,
    decimals: usize,
    price: usize,
    ltv: usize,
    liquidation_threshold: usize,
    usage_as_collateral: usize,
}

impl Columns {
    fn reserve(&self, asset: &Value) -> Result<UserReserve, String> {
        let cell = |i: usize| asset.get(i).ok_or_else(|| format!("no column {i}"));
        let uint = |i: usize| -> Result<U256, String> {
            let text = cell(i)?.as_str().ok_or_else(|| format!("column {i}: not a decimal string"))?;
            text.parse().map_err(|e| format!("column {i}: {text:?}: {e}"))
        };
        let number = |i: usize| cell(i)?.as_u64().ok_or_else(|| format!("column {i}: not an integer"));
        let bps = |i: usize| -> Result<u16, String> {
            u16::try_from(uint(i)?).ok().filter(|b| *b <= 10_000).ok_or_else(|| format!("column {i}: not basis points"))
        };
        Ok(UserReserve {
            scaled_a_token_balance: uint(self.scaled_a_token_balance)?,
            scaled_variable_debt: uint(self.scaled_variable_debt)?,
            liquidity_index: uint(self.liquidity_index)?,
            variable_borrow_index: uint(self.variable_borrow_index)?,
            liquidity_rate: uint(self.liquidity_rate)?,
            variable_borrow_rate: uint(self.variable_borrow_rate)?,
            last_update_timestamp: number(self.last_update_timestamp)?,
            decimals: u8::try_from(number(self.decimals)?).map_err(|e| format!("decimals: {e}"))?,
            price_in_market_reference_currency: uint(self.price)?,
            ltv: bps(self.ltv)?,
            liquidation_threshold: bps(self.liquidation_threshold)?,
            usage_as_collateral_enabled_on_user: cell(self.usage_as_collateral)?
                .as_bool()
                .ok_or("usageAsCollateralEnabledOnUser: not a boolean")?,
            emode_category: 0,
        })
    }
}

// ---------------------------------------------------------------- cross-check

/// The library's figures for one position, in units of 1e-20 (its strings
/// carry at most 20 decimals). `None` health factor: "-1", no debt.
struct Expected {
    collateral: i128,
    debt: i128,
    available_borrows: i128,
    ltv: i128,
    liquidation_threshold: i128,
    health_factor: Option<i128>,
}

const E20: i128 = 100_000_000_000_000_000_000;
/// One base-currency unit (1e-8 USD) and one basis point, in 1e-20.
const BASE_UNIT: i128 = 1_000_000_000_000;
const BPS: i128 = 10_000_000_000_000_000;

/// A library decimal string ("-1", "1234.5678…") as an integer count of 1e-20.
fn fixed20(text: &str) -> Result<i128, String> {
    let (negative, digits) = text.strip_prefix('-').map_or((false, text), |d| (true, d));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || fraction.len() > 20 || !all_digits(whole) || !all_digits(fraction) {
        return Err(format!("{text:?} is not a decimal with at most 20 places"));
    }
    let padded = format!("{whole}{fraction:0<20}");
    let value: i128 = padded.parse().map_err(|e| format!("{text:?}: {e}"))?;
    Ok(if negative { -value } else { value })
}

fn decode_expected(doc: &Value) -> Result<Vec<Expected>> {
    let fields: Vec<&str> = doc
        .pointer("/meta/fields")
        .and_then(Value::as_array)
        .ok_or("expected.json: meta.fields")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let column =
        |name: &str| fields.iter().position(|f| *f == name).ok_or_else(|| format!("expected.json lacks {name}"));
    let hf = column("healthFactor")?;
    let collateral = column("totalCollateralMarketReferenceCurrency")?;
    let debt = column("totalBorrowsMarketReferenceCurrency")?;
    let available = column("availableBorrowsMarketReferenceCurrency")?;
    let ltv = column("currentLoanToValue")?;
    let lt = column("currentLiquidationThreshold")?;
    doc.get("positions")
        .and_then(Value::as_array)
        .ok_or("expected.json: no positions")?
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let field = |j: usize| -> Result<i128, String> {
                let text =
                    row.get(j).and_then(Value::as_str).ok_or_else(|| format!("expected[{i}][{j}]: not a string"))?;
                fixed20(text).map_err(|e| format!("expected[{i}][{j}]: {e}"))
            };
            let health_factor = field(hf)?;
            Ok(Expected {
                collateral: field(collateral)?,
                debt: field(debt)?,
                available_borrows: field(available)?,
                ltv: field(ltv)?,
                liquidation_threshold: field(lt)?,
                health_factor: (health_factor != -E20).then_some(health_factor),
            })
        })
        .collect::<Result<Vec<_>, String>>()
        .map_err(Into::into)
}

/// How the engine's (the Pool's) figures and the library's must relate.
///
/// The library values exactly where the Pool rounds, so the tolerance is
/// the Pool's rounding, not a fudge factor: with n the position's reserves,
/// - each asset's value is floored to 1e-8 USD, so the library's totals lie
///   in [Pool, Pool + n·1e-8 USD];
/// - each accrued balance is rounded to the wei by both, but the library
///   rounds twice (to 1e-9 wei as a ray, then to the wei) from a slightly
///   different interest factor, so a balance may land 1 wei apart: ± the
///   value of one wei, price / 10^decimals, per asset (see [`Bounds`]);
/// - the averages are floored to whole basis points (after weighting with
///   the floored values), so the library's LTV and threshold lie in
///   [Pool − w, Pool + 1 bp + w], w = (n + wei values) / C, C the Pool's
///   collateral in 1e-8 USD;
/// - health factor and available borrows must lie in the interval those
///   bounds give, widened by `percentMul`/`wadDiv`'s half-up rounding;
/// - the library's compounding rounds differently: it divides the rate by
///   SECONDS_PER_YEAR first and rounds each power half up, where the Pool
///   floors after `rayMul` (at 10 % a year `basePowerThree` is 32 ray per
///   s³ for the library, 31 for the Pool). With Δt the longest accrual of
///   the position's debts, the terms differ by at most Δt, Δt² and 2·Δt³/6
///   ray, so debts get (Δt + Δt² + Δt³/3)·1e-27 relative (2.7e-11 at a week);
/// - 1e-12 relative more on everything for the library's 20-place decimals.
#[derive(Default)]
struct Check {
    agreed: usize,
    disagreed: Vec<(usize, String)>,
    /// Library minus Pool, to show the systematic part.
    max_hf_relative_gap: f64,
    hf_lower_than_library: usize,
    with_debt: usize,
    with_collateral: usize,
    lt_gap_bps_sum: f64,
    lt_gap_bps_max: f64,
    ltv_gap_bps_max: f64,
    collateral_gap_usd_max: f64,
    debt_relative_gap_max: f64,
    available_gap_usd_max: f64,
}

fn to_f64(v: U256) -> f64 {
    f64::from(v)
}

fn cross_check(positions: &[Vec<UserReserve>], now: u64, summaries: &[AccountData], expected: &Value) -> Result<()> {
    let expected = decode_expected(expected)?;
    if expected.len() != summaries.len() {
        return Err(
            format!("expected.json has {} positions, positions.json {}", expected.len(), summaries.len()).into()
        );
    }
    let mut check = Check::default();
    for (i, ((reserves, pool), lib)) in positions.iter().zip(summaries).zip(&expected).enumerate() {
        match check.position(reserves, now, pool, lib) {
            Ok(()) => check.agreed += 1,
            Err(why) => check.disagreed.push((i, why)),
        }
    }
    println!(
        "cross-check: {} / {} positions agree with @aave/math-utils within the Pool's rounding \
         (totals: +n·1e-8 USD and ±1 wei per balance, LTV/threshold: +1 bp, debt: ±(Δt + Δt² + Δt³/3)·1e-27 \
         relative for the library's compounding, HF and available borrows propagated; ±1e-12 relative)",
        check.agreed,
        expected.len()
    );
    for (i, why) in check.disagreed.iter().take(10) {
        println!("  position {i}: {why}");
    }
    println!(
        "  library minus Pool: threshold ≤ {:.4} bp (mean {:.4}), LTV ≤ {:.4} bp, collateral ≤ {:.1e} USD, \
         debt ≤ {:.1e} relative, available borrows ≤ {:.4} USD; HF ≤ {:.3e} relative, Pool's HF lower in {} of {} \
         positions with debt",
        check.lt_gap_bps_max,
        check.lt_gap_bps_sum / check.with_collateral.max(1) as f64,
        check.ltv_gap_bps_max,
        check.collateral_gap_usd_max,
        check.debt_relative_gap_max,
        check.available_gap_usd_max,
        check.max_hf_relative_gap,
        check.hf_lower_than_library,
        check.with_debt,
    );
    Ok(())
}

/// What one position's tolerance depends on, in base units (1e-8 USD).
struct Bounds {
    reserves: f64,
    /// Σ price / 10^decimals over the counted collateral and the debts: the
    /// value of one wei of each balance. The Pool rounds an accrued balance
    /// to the wei once, the library twice (ray, then wad) and from a
    /// slightly different interest factor, so a balance can land 1 wei
    /// apart: 0.1 USD for a 6-decimal token at 100 000 USD.
    collateral_wei: f64,
    debt_wei: f64,
    /// Relative room for the library's compounding (see [`Check`]).
    compounding: f64,
}

impl Bounds {
    fn new(reserves: &[UserReserve], now: u64) -> Self {
        let wei = |r: &UserReserve| to_f64(r.price_in_market_reference_currency) / 10f64.powi(i32::from(r.decimals));
        let counted = |r: &&UserReserve| {
            r.liquidation_threshold != 0 && r.usage_as_collateral_enabled_on_user && !r.scaled_a_token_balance.is_zero()
        };
        let borrowed = |r: &&UserReserve| !r.scaled_variable_debt.is_zero();
        let dt = reserves
            .iter()
            .filter(borrowed)
            .map(|r| now.saturating_sub(r.last_update_timestamp) as f64)
            .fold(0.0, f64::max);
        Bounds {
            reserves: reserves.len() as f64,
            collateral_wei: reserves.iter().filter(counted).map(wei).sum(),
            debt_wei: reserves.iter().filter(borrowed).map(wei).sum(),
            compounding: (dt + dt * dt + dt * dt * dt / 3.0) * 1e-27,
        }
    }
}

impl Check {
    fn position(
        &mut self,
        reserves: &[UserReserve],
        now: u64,
        pool: &AccountData,
        lib: &Expected,
    ) -> Result<(), String> {
        let as_i128 = |v: U256| i128::try_from(v).map_err(|_| format!("{v} out of range"));
        let collateral = as_i128(pool.total_collateral_base)?;
        let debt = as_i128(pool.total_debt_base)?;
        let bounds = Bounds::new(reserves, now);
        let (n, coll_wei, debt_wei) = (bounds.reserves, bounds.collateral_wei, bounds.debt_wei);

        // Totals and averages exactly, in 1e-20.
        let slack = |v: i128, relative: f64| v.abs() / 1_000_000_000_000 + (v.abs() as f64 * relative) as i128 + 1;
        let in_e20 = |base_units: f64| (base_units * BASE_UNIT as f64) as i128 + 1;
        let within = |what: &str, lib: i128, pool: i128, below: i128, above: i128| {
            let gap = lib - pool;
            if gap < -below || gap > above {
                return Err(format!(
                    "{what}: library {lib}e-20, Pool {pool}e-20, gap {gap} outside [-{below}, {above}]"
                ));
            }
            Ok(())
        };
        let c_below = slack(lib.collateral, 0.0) + in_e20(coll_wei);
        within("collateral", lib.collateral, collateral * BASE_UNIT, c_below, c_below + in_e20(n))?;
        let d_below = slack(lib.debt, bounds.compounding) + in_e20(debt_wei);
        within("debt", lib.debt, debt * BASE_UNIT, d_below, d_below + in_e20(n))?;
        if collateral != 0 {
            let weights = ((n + coll_wei) * E20 as f64 / collateral as f64) as i128 + 1;
            within("LTV", lib.ltv, as_i128(pool.ltv)? * BPS, weights, BPS + weights)?;
            let threshold = as_i128(pool.current_liquidation_threshold)? * BPS;
            within("threshold", lib.liquidation_threshold, threshold, weights, BPS + weights)?;
        } else if lib.collateral > in_e20(n + coll_wei) {
            return Err("the Pool counts no collateral, the library some".into());
        }

        // Intervals in base units (1e-8 USD) and basis points, f64 from here:
        // the tolerances are far above its precision.
        let (c, d) = (collateral as f64, debt as f64);
        let rel = 1e-12;
        let (c_lo, c_hi) = (c * (1.0 - rel) - coll_wei, c * (1.0 + rel) + n + coll_wei);
        let (d_lo, d_hi) =
            (d * (1.0 - rel - bounds.compounding) - debt_wei, d * (1.0 + rel + bounds.compounding) + n + debt_wei);
        let (c_lo, d_lo) = (c_lo.max(0.0), d_lo.max(0.0));
        let weights_bps = if collateral == 0 { 0.0 } else { (n + coll_wei) * 1e4 / c };
        let band = |avg: U256| {
            let avg = to_f64(avg);
            if collateral == 0 {
                (0.0, 1e4)
            } else {
                ((avg - weights_bps).max(0.0), avg + 1.0 + weights_bps)
            }
        };
        let (lt_lo, lt_hi) = band(pool.current_liquidation_threshold);
        let (ltv_lo, ltv_hi) = band(pool.ltv);

        let lib_usd = |v: i128| v as f64 / 1e20;
        self.collateral_gap_usd_max = self.collateral_gap_usd_max.max(lib_usd(lib.collateral) - c / 1e8);
        if debt != 0 {
            let gap = (lib.debt - debt * BASE_UNIT) as f64 / (debt * BASE_UNIT) as f64;
            self.debt_relative_gap_max = self.debt_relative_gap_max.max(gap);
        }
        if collateral != 0 {
            let lt_gap =
                (lib.liquidation_threshold - as_i128(pool.current_liquidation_threshold)? * BPS) as f64 / BPS as f64;
            self.with_collateral += 1;
            self.lt_gap_bps_sum += lt_gap;
            self.lt_gap_bps_max = self.lt_gap_bps_max.max(lt_gap);
            self.ltv_gap_bps_max = self.ltv_gap_bps_max.max((lib.ltv - as_i128(pool.ltv)? * BPS) as f64 / BPS as f64);
        }

        // Available borrows, base units: max(0, C·LTV − D), percentMul ± 0.5.
        let available = |c: f64, ltv: f64, d: f64| (c * ltv / 1e4 - d).max(0.0);
        let (a_lo, a_hi) = (available(c_lo, ltv_lo, d_hi) - 0.5, available(c_hi, ltv_hi, d_lo) + 0.5);
        let lib_available = lib_usd(lib.available_borrows) * 1e8;
        let pool_available = to_f64(pool.available_borrows_base);
        self.available_gap_usd_max = self.available_gap_usd_max.max((lib_available - pool_available) / 1e8);
        for (who, v) in [("library", lib_available), ("Pool", pool_available)] {
            if v < a_lo * (1.0 - rel) || v > a_hi * (1.0 + rel) {
                return Err(format!("available borrows: {who} {v} base units outside [{a_lo}, {a_hi}]"));
            }
        }

        // Health factor: C·LT/1e4/D; percentMul ± 0.5 base unit, wadDiv ± 0.5e-18.
        match (lib.health_factor, pool.health_factor == U256::MAX) {
            (None, true) => return Ok(()),
            (None, false) => return Err("the library sees no debt, the Pool some".into()),
            (Some(_), true) if lib.debt <= in_e20(n + debt_wei) => return Ok(()), // dust the Pool floors away
            (Some(_), true) => return Err("the Pool sees no debt, the library some".into()),
            (Some(_), false) => {}
        }
        let lib_hf = lib.health_factor.map_or(0.0, |h| h as f64 / 1e20);
        let pool_hf = to_f64(pool.health_factor) / 1e18;
        let hf_lo = (c_lo * lt_lo / 1e4 - 0.5) / d_hi - 1e-18;
        let hf_hi = (c_hi * lt_hi / 1e4 + 0.5) / d_lo + 1e-18;
        for (who, v) in [("library", lib_hf), ("Pool", pool_hf)] {
            if v < hf_lo * (1.0 - rel) || v > hf_hi * (1.0 + rel) {
                return Err(format!("health factor: {who} {v} outside [{hf_lo}, {hf_hi}]"));
            }
        }
        self.with_debt += 1;
        if pool_hf < lib_hf {
            self.hf_lower_than_library += 1;
        }
        if lib_hf > 0.0 {
            self.max_hf_relative_gap = self.max_hf_relative_gap.max((lib_hf - pool_hf) / lib_hf);
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- timing

/// bench.mjs's method: one warm-up pass, then the median over `reps` of
/// (wall-clock time for the batch) / (positions in the batch), in ns.
fn ns_per_position(data: &Data, batch: &[usize], reps: usize) -> f64 {
    let run = || {
        for &i in batch {
            let _ = black_box(user_account_data(black_box(&data.positions[i]), None, data.current_timestamp));
        }
    };
    run();
    let mut samples: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_nanos() as f64 / batch.len() as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn library_ns(library: Option<&Value>, pointer: &str) -> Option<f64> {
    library?.pointer(pointer)?.as_f64()
}

fn compare_with_library(data: &Data, library: Option<&Value>) {
    let all: Vec<usize> = (0..data.positions.len()).collect();
    let engine_all = ns_per_position(data, &all, 31);
    let Some(ten) = data.buckets.get(&10) else {
        println!("no 10-asset positions to time");
        return;
    };
    let engine_ten = ns_per_position(data, ten, 301);
    let lib_all = library_ns(library, "/results/a_formatUserSummary/median");
    let lib_ten = library_ns(library, "/by_asset_count/10/a_formatUserSummary/median");
    if library.is_none() {
        println!("(no result.json beside positions.json: library figures unavailable)");
    }

    println!("\nper asset count (first {} positions of each, as bench.mjs buckets them):", ten.len());
    println!("  {:>6} {:>12} {:>14} {:>8}", "assets", "engine ns", "library (a) ns", "ratio");
    for k in 1..=10 {
        let Some(batch) = data.buckets.get(&k) else { continue };
        let engine = ns_per_position(data, batch, 301);
        let lib = library_ns(library, &format!("/by_asset_count/{k}/a_formatUserSummary/median"));
        println!("  {k:>6} {engine:>12.0} {:>14} {:>8}", show(lib), show(lib.map(|l| l / engine)));
    }

    let ratio = lib_all.map(|l| l / engine_all);
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!("\nengine vs @aave/math-utils (a) formatUserSummary, all {} positions:", all.len());
    println!("  engine   {engine_all:>10.0} ns/position");
    println!("  library  {:>10} ns/position", show(lib_all));
    if let Some(r) = ratio {
        println!("  ratio    {r:>10.0}×   (goal ≥ {SPEEDUP_GOAL}×: {})", verdict(r >= SPEEDUP_GOAL));
    }
    println!(
        "  10-asset {engine_ten:>10.0} ns/position engine, {} library   (goal < {TEN_ASSET_GOAL_NS} ns: {})\n",
        show(lib_ten),
        verdict(engine_ten < TEN_ASSET_GOAL_NS)
    );
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.0}"))
}

// ---------------------------------------------------------------- divan

#[divan::bench(sample_count = 30)]
fn all_positions(bencher: Bencher) {
    let data = data();
    bencher.counter(ItemsCount::new(data.positions.len())).bench(|| {
        for p in &data.positions {
            let _ = black_box(user_account_data(black_box(p), None, data.current_timestamp));
        }
    });
}

#[divan::bench(args = [1, 5, 10])]
fn positions_with_assets(bencher: Bencher, assets: usize) {
    let data = data();
    let batch = data.buckets.get(&assets).map_or(&[][..], Vec::as_slice);
    bencher.counter(ItemsCount::new(batch.len())).bench(|| {
        for &i in batch {
            let _ = black_box(user_account_data(black_box(&data.positions[i]), None, data.current_timestamp));
        }
    });
}
