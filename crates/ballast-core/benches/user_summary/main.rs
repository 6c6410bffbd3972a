//! The engine's Aave V3 user summary against `@aave/math-utils` on the same
//! 10 000 positions (shared/bench/aave-math-utils: `positions.json`,
//! `expected.json` and `result.json` from one `node bench.mjs` run).
//!
//!     BALLAST_BENCH_POSITIONS=/path/to/positions.json cargo bench -p ballast-core --bench user_summary
//!
//! (`scripts/bench-engine` sets it up.) Decoding happens before any timing,
//! as the library's `formatReserves` is outside its workload (a). The
//! comparison figures are timed the way bench.mjs times the library: one
//! warm-up pass, then the median over repetitions of wall-clock time for the
//! whole batch divided by the positions in it. They print after divan's table.
//!
//! Every position is also cross-checked against the library's output; see
//! `engine::Check` for the tolerance.

#[cfg(not(target_arch = "wasm32"))]
mod engine;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    engine::main()
}

/// `clippy --target wasm32-unknown-unknown --all-targets` compiles benches
/// too; divan is a native-only dev-dependency, so there is nothing to run.
#[cfg(target_arch = "wasm32")]
fn main() {}
