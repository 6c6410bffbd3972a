// The chain differential: random Aave V3 positions opened on the harness anvil market through
// the Pool, each valued by `ballast eval` from a scenario built from chain state only, and
// compared field by field with Pool.getUserAccountData read at the same block.
//
//   node differential.mjs [--positions 500] [--seed 1] [--batch 25]
//   (npm run differential)  ·  tests/differential.test.mjs runs a 40-position smoke
//
// How a run goes (everything is drawn from one seeded PRNG, so a seed replays exactly):
//   per batch of positions
//     P0  market moves: MockV3Aggregator.updateAnswer (odd 8-decimal prices, rare crashes and
//         near-zero prices), the wstETH adapter's ratio, risk parameters (configureReserveAsCollateral,
//         the stablecoin e-mode category's LTV/threshold and price source), the LTV-0 asset
//         temporarily listed with an LTV so that it can be enabled, a liquidity provider's top-ups
//     P1  fresh users (anvil_setBalance + anvil_impersonateAccount): WETH.deposit / mint, approve,
//         Pool.supply (1 wei to tens of millions of USD), sometimes setUserEMode(1) first
//     P2  isolation (enable the isolated asset, then supply others that stay off), collateral flags
//         turned off, hopeless flag-on attempts, setUserEMode(1)
//     P3  Pool.borrow: a random fraction (up to 99 %) of getUserAccountData.availableBorrowsBase, in
//         assets the Pool lends to this user (e-mode category, isolation, liquidity, caps, ceiling)
//     P4  collateral flags off with debt, partial (or all-but-interest) repayments, partial or
//         full withdrawals, e-mode entered after borrowing or left
//     Pm  more price moves and a time jump (interest accrues; some positions become liquidatable)
//     then each position of the batch is evaluated at that block
//   finally every position (and the seeded accounts #1-#5) again at one last block.
//
// Transactions: automine is off; each phase's transactions go out in one JSON-RPC batch of
// eth_sendTransaction with explicit nonces and strictly decreasing gas prices (so the block holds
// them exactly in the order they were generated), then one evm_mine. A transaction that reverts
// (a borrow the Pool refuses, a collateral switch that would break the health factor…) is recorded
// and skipped. This is several times faster than one automined, polled transaction at a time
// (~2 ms instead of 15–40 ms per transaction on a 2-core machine); anvil runs
// with --prune-history, so reads are only possible at the latest block, which is where they happen.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Interface, MaxUint256, ZeroAddress, getAddress } from "ethers";
import { loadArtifact } from "./harness/artifacts.mjs";
import { AGGREGATOR_ABI, ERC20_ABI } from "./harness/contracts.mjs";
import { startMarket } from "./harness/market.mjs";

export const DEFAULT_CLI = path.join(os.homedir(), ".cache", "ballast", "target", "debug", "ballast");
const BUILD_HINT =
  "build it with `cd /work/main && CARGO_TARGET_DIR=$HOME/.cache/ballast/target cargo build -p ballast-cli`, or set BALLAST_CLI";

/** The `ballast` binary to run: BALLAST_CLI or the default debug build. Throws when missing. */
export function resolveCli(cli = process.env.BALLAST_CLI || DEFAULT_CLI) {
  if (!existsSync(cli)) throw new Error(`ballast CLI not found at ${cli}: ${BUILD_HINT}`);
  return cli;
}

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (sfc32, seeded through splitmix32): the same seed always draws the same run.

export function makeRng(seed) {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(), b = splitmix(), c = splitmix(), d = splitmix();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 16; i++) u32();
  const float = () => (u32() * 2 ** 21 + (u32() >>> 11)) / 2 ** 53;
  const rng = {
    float,
    /** integer in [lo, hi] */
    int: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    chance: (p) => float() < p,
    pick: (arr) => arr[Math.floor(float() * arr.length)],
    weighted: (pairs) => {
      const total = pairs.reduce((t, [, w]) => t + w, 0);
      let x = float() * total;
      for (const [v, w] of pairs) if ((x -= w) < 0) return v;
      return pairs.at(-1)[0];
    },
    normal: () => Math.sqrt(-2 * Math.log(1 - float())) * Math.cos(2 * Math.PI * float()),
    /** BigInt uniform in [0, n) (n > 0). */
    bigBelow: (n) => {
      let x = 0n;
      for (let bits = 0n; 1n << bits < n * 2n ** 32n; bits += 32n) x = (x << 32n) | BigInt(u32());
      return x % n;
    },
    address: () => getAddress(`0x${Array.from({ length: 5 }, () => u32().toString(16).padStart(8, "0")).join("")}`),
    sample: (arr, k) => {
      const copy = [...arr];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(float() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, k);
    },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC with batching (one HTTP round trip for many calls).

class Rpc {
  constructor(url) {
    this.url = url;
  }
  async #post(body) {
    const res = await fetch(this.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    if (!res.ok) throw new Error(`${this.url}: HTTP ${res.status}`);
    return res.json();
  }
  async call(method, params = []) {
    const r = await this.#post({ jsonrpc: "2.0", id: 1, method, params });
    if (r.error) throw new Error(`${method}: ${r.error.message}${r.error.data ? ` (${JSON.stringify(r.error.data)})` : ""}`);
    return r.result;
  }
  /** Results in request order; throws on any error. */
  async batch(requests, chunk = 500) {
    const out = [];
    for (let i = 0; i < requests.length; i += chunk) {
      const part = requests.slice(i, i + chunk);
      const res = await this.#post(part.map(([method, params], id) => ({ jsonrpc: "2.0", id, method, params })));
      const byId = new Map(res.map((r) => [r.id, r]));
      part.forEach(([method, params], id) => {
        const r = byId.get(id);
        if (!r) throw new Error(`${method}: no answer in the batch`);
        if (r.error) {
          throw new Error(`${method} ${JSON.stringify(params).slice(0, 300)}: ${r.error.message}${r.error.data ? ` (${JSON.stringify(r.error.data)})` : ""}`);
        }
        out.push(r.result);
      });
    }
    return out;
  }
}

const hex = (n) => `0x${BigInt(n).toString(16)}`;

const IFACE = {
  pool: new Interface(loadArtifact("Pool").abi),
  addressesProvider: new Interface(loadArtifact("PoolAddressesProvider").abi),
  oracle: new Interface(loadArtifact("AaveOracle").abi),
  configurator: new Interface(loadArtifact("PoolConfigurator").abi),
  erc20: new Interface(ERC20_ABI), // also aTokens and debt tokens (balanceOf, totalSupply)
  weth: new Interface(["function deposit() payable"]),
  feed: new Interface(AGGREGATOR_ABI),
};

/** One eth_call at `tag`: { to, iface, fn, args } -> decoded result (unwrapped when single). */
async function reads(rpc, tag, calls) {
  const raw = await rpc.batch(
    calls.map(({ to, iface, fn, args = [] }) => ["eth_call", [{ to, data: iface.encodeFunctionData(fn, args) }, tag]]),
  );
  return raw.map((data, i) => {
    const { iface, fn } = calls[i];
    const r = iface.decodeFunctionResult(fn, data);
    return r.length === 1 ? r[0] : r;
  });
}

// ---------------------------------------------------------------------------------------------
// Chain state -> scenario

/** ReserveConfigurationMap bit layout (ReserveConfiguration.sol, v3.0.2). */
export function unpackReserveConfig(data) {
  const field = (from, bits) => (BigInt(data) >> BigInt(from)) & ((1n << BigInt(bits)) - 1n);
  const n = (from, bits) => Number(field(from, bits));
  const flag = (bit) => field(bit, 1) === 1n;
  return {
    ltv: n(0, 16),
    liquidationThreshold: n(16, 16),
    liquidationBonus: n(32, 16),
    decimals: n(48, 8),
    active: flag(56),
    frozen: flag(57),
    borrowingEnabled: flag(58),
    stableBorrowingEnabled: flag(59),
    paused: flag(60),
    borrowableInIsolation: flag(61),
    siloedBorrowing: flag(62),
    flashLoanEnabled: flag(63),
    reserveFactor: n(64, 16),
    borrowCap: field(80, 36),
    supplyCap: field(116, 36),
    liquidationProtocolFee: n(152, 16),
    eModeCategory: n(168, 8),
    unbackedMintCap: field(176, 36),
    debtCeiling: field(212, 40),
  };
}

/** UserConfigurationMap: bit 2i = borrowing reserve i, bit 2i+1 = using it as collateral. */
const isBorrowing = (userConfig, id) => ((BigInt(userConfig) >> BigInt(2 * id)) & 1n) === 1n;
const isUsingAsCollateral = (userConfig, id) => ((BigInt(userConfig) >> BigInt(2 * id + 1)) & 1n) === 1n;

/** An integer in units of 10^-decimals as an exact plain decimal ("1.5", "0.000001", "0"). */
export function formatUnits(value, decimals) {
  const v = BigInt(value);
  if (v < 0n) throw new Error(`negative amount ${v}`);
  if (decimals === 0) return v.toString();
  const unit = 10n ** BigInt(decimals);
  const frac = (v % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return frac ? `${v / unit}.${frac}` : `${v / unit}`;
}

/** Every reserve of the Pool, its configuration, price and totals, read at `tag`. */
async function readMarketState(rpc, market, tag) {
  const pool = market.contracts.pool;
  const [list, provider] = await reads(rpc, tag, [
    { to: pool, iface: IFACE.pool, fn: "getReservesList" },
    { to: pool, iface: IFACE.pool, fn: "ADDRESSES_PROVIDER" },
  ]);
  // The oracle the Pool itself asks (getUserAccountData reads ADDRESSES_PROVIDER.getPriceOracle()).
  const [oracle] = await reads(rpc, tag, [{ to: provider, iface: IFACE.addressesProvider, fn: "getPriceOracle" }]);
  const per = [];
  for (const asset of list) {
    per.push(
      { to: pool, iface: IFACE.pool, fn: "getReserveData", args: [asset] },
      { to: oracle, iface: IFACE.oracle, fn: "getAssetPrice", args: [asset] },
      { to: asset, iface: IFACE.erc20, fn: "symbol" },
    );
  }
  const got = await reads(rpc, tag, per);
  const reserves = list.map((address, i) => {
    const [data, price, symbol] = got.slice(3 * i, 3 * i + 3);
    return {
      address,
      symbol,
      id: Number(data.id),
      price,
      aToken: data.aTokenAddress,
      stableDebtToken: data.stableDebtTokenAddress,
      variableDebtToken: data.variableDebtTokenAddress,
      liquidityRate: data.currentLiquidityRate,
      variableBorrowRate: data.currentVariableBorrowRate,
      isolationModeTotalDebt: data.isolationModeTotalDebt,
      ...unpackReserveConfig(data.configuration.data ?? data.configuration[0]),
    };
  });
  // Totals and liquidity (for choosing borrows that the Pool can serve).
  const totals = await reads(
    rpc,
    tag,
    reserves.flatMap((r) => [
      { to: r.address, iface: IFACE.erc20, fn: "balanceOf", args: [r.aToken] },
      { to: r.variableDebtToken, iface: IFACE.erc20, fn: "totalSupply" },
      { to: r.stableDebtToken, iface: IFACE.erc20, fn: "totalSupply" },
    ]),
  );
  reserves.forEach((r, i) => {
    r.liquidity = totals[3 * i];
    r.totalDebt = totals[3 * i + 1] + totals[3 * i + 2];
  });
  // E-mode categories the reserves use, with their price source's oracle price.
  const ids = [...new Set(reserves.map((r) => r.eModeCategory).filter((id) => id !== 0))].sort((x, y) => x - y);
  const cats = await reads(rpc, tag, ids.map((id) => ({ to: pool, iface: IFACE.pool, fn: "getEModeCategoryData", args: [id] })));
  const sourced = cats.filter((c) => c.priceSource !== ZeroAddress);
  const sourcePrices = await reads(
    rpc,
    tag,
    sourced.map((c) => ({ to: oracle, iface: IFACE.oracle, fn: "getAssetPrice", args: [c.priceSource] })),
  );
  const categories = new Map(
    ids.map((id, i) => {
      const c = cats[i];
      const price = c.priceSource === ZeroAddress ? null : sourcePrices[sourced.indexOf(c)];
      return [id, { id, ltv: Number(c.ltv), liquidationThreshold: Number(c.liquidationThreshold), liquidationBonus: Number(c.liquidationBonus), priceSource: c.priceSource, price }];
    }),
  );
  return { tag, reserves, bySymbol: Object.fromEntries(reserves.map((r) => [r.symbol, r])), categories };
}

/** The user's side of the Pool at `tag`: e-mode, configuration, balances, and getUserAccountData. */
async function readUserState(rpc, market, state, user) {
  const pool = market.contracts.pool;
  const calls = [
    { to: pool, iface: IFACE.pool, fn: "getUserAccountData", args: [user] },
    { to: pool, iface: IFACE.pool, fn: "getUserEMode", args: [user] },
    { to: pool, iface: IFACE.pool, fn: "getUserConfiguration", args: [user] },
  ];
  for (const r of state.reserves) {
    calls.push(
      { to: r.aToken, iface: IFACE.erc20, fn: "balanceOf", args: [user] },
      { to: r.variableDebtToken, iface: IFACE.erc20, fn: "balanceOf", args: [user] },
      { to: r.stableDebtToken, iface: IFACE.erc20, fn: "balanceOf", args: [user] },
    );
  }
  const got = await reads(rpc, state.tag, calls);
  const [acct, eMode, config] = got;
  return {
    user,
    accountData: {
      total_collateral_base: acct.totalCollateralBase.toString(),
      total_debt_base: acct.totalDebtBase.toString(),
      ltv: acct.ltv.toString(),
      current_liquidation_threshold: acct.currentLiquidationThreshold.toString(),
      health_factor: acct.healthFactor.toString(),
      available_borrows_base: acct.availableBorrowsBase.toString(),
    },
    eMode: Number(eMode),
    config: config.data ?? config[0],
    balances: state.reserves.map((r, i) => ({
      reserve: r,
      aToken: got[3 + 3 * i],
      variableDebt: got[4 + 3 * i],
      stableDebt: got[5 + 3 * i],
    })),
  };
}

/** The ballast.scenario/1 for one user, from chain state only (docs/scenario.md extensions included). */
export function buildScenario(state, us) {
  const assets = state.reserves.map((r) => {
    const a = {
      symbol: r.symbol,
      decimals: r.decimals,
      price: formatUnits(r.price, 8),
      ltv_bps: r.ltv,
      liquidation_threshold_bps: r.liquidationThreshold,
      liquidation_bonus_bps: r.liquidationBonus,
    };
    if (r.eModeCategory !== 0) a.emode_category = r.eModeCategory;
    a.frozen = r.frozen;
    a.paused = r.paused;
    a.borrowing_enabled = r.borrowingEnabled;
    a.supply_cap = r.supplyCap.toString();
    a.borrow_cap = r.borrowCap.toString();
    if (r.debtCeiling !== 0n) {
      a.debt_ceiling = formatUnits(r.debtCeiling, 2);
      a.isolation_mode_total_debt = formatUnits(r.isolationModeTotalDebt, 2);
    }
    a.borrowable_in_isolation = r.borrowableInIsolation;
    a.liquidation_protocol_fee_bps = r.liquidationProtocolFee;
    a.supply_rate = formatUnits(r.liquidityRate, 27);
    a.variable_borrow_rate = formatUnits(r.variableBorrowRate, 27);
    return a;
  });
  const category = (c) => ({
    id: c.id,
    ltv_bps: c.ltv,
    liquidation_threshold_bps: c.liquidationThreshold,
    liquidation_bonus_bps: c.liquidationBonus,
    price: c.price === null ? null : formatUnits(c.price, 8),
  });
  const scenario = { schema: "ballast.scenario/1", protocol: "aave-v3", assets };
  if (us.eMode !== 0) {
    const c = state.categories.get(us.eMode);
    if (!c) throw new Error(`user ${us.user} is in e-mode ${us.eMode}, which no reserve uses`);
    scenario.emode = category(c);
  }
  if (state.categories.size) scenario.emode_categories = [...state.categories.values()].map(category);
  scenario.collateral = [];
  scenario.debt = [];
  for (const b of us.balances) {
    const r = b.reserve;
    const on = isUsingAsCollateral(us.config, r.id);
    if (b.aToken > 0n || on) {
      const h = { asset: r.symbol, amount: formatUnits(b.aToken, r.decimals) };
      if (!on) h.use_as_collateral = false;
      scenario.collateral.push(h);
    }
    const debt = b.variableDebt + b.stableDebt;
    if (debt > 0n || isBorrowing(us.config, r.id)) scenario.debt.push({ asset: r.symbol, amount: formatUnits(debt, r.decimals) });
  }
  return scenario;
}

// ---------------------------------------------------------------------------------------------
// ballast eval

function runCli(cli, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, ["eval", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const FIELDS = ["total_collateral_base", "total_debt_base", "ltv", "current_liquidation_threshold", "health_factor", "available_borrows_base"];

async function evaluate(cli, scenario, chain) {
  const { code, stdout, stderr } = await runCli(cli, JSON.stringify(scenario));
  if (code !== 0) return { ok: false, error: `ballast eval exited ${code}: ${stderr.trim()}` };
  let report;
  try {
    report = JSON.parse(stdout);
  } catch (e) {
    return { ok: false, error: `unparsable report: ${e.message}: ${stdout.slice(0, 500)}` };
  }
  const got = report.aave_v3;
  if (!got) return { ok: false, error: "the report has no aave_v3 block", report };
  const ballast = Object.fromEntries(FIELDS.map((f) => [f, String(got[f])]));
  const differing = FIELDS.filter((f) => ballast[f] !== chain[f]);
  return { ok: differing.length === 0, ballast, differing };
}

async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Transactions: phases mined as one block each, in generation order.

const GAS = { token: 200_000n, pool: 3_000_000n, admin: 3_000_000n };
const GAS_PRICE_TOP = 20_000_000_000n; // strictly decreasing from here: the block keeps our order

class Phases {
  constructor(rpc) {
    this.rpc = rpc;
    this.nonces = new Map();
    this.seq = 0n;
    this.queue = [];
    this.reverted = [];
    this.txCount = 0;
  }
  /** Queue a transaction. `what` describes it; `onRevert`: "skip" (a user action) or "fail". */
  add(from, to, data, { value = 0n, gas = GAS.pool, what, onRevert = "skip", position = null, meta = null } = {}) {
    this.queue.push({ from, to, data, value, gas, what, onRevert, position, meta });
  }
  /** Send the queue as one block (optionally at `timestamp`), return the entries with `ok`. */
  async mine({ timestamp } = {}) {
    const txs = this.queue;
    this.queue = [];
    const senders = [...new Set(txs.map((t) => t.from))].filter((a) => !this.nonces.has(a));
    const counts = await this.rpc.batch(senders.map((a) => ["eth_getTransactionCount", [a, "latest"]]));
    senders.forEach((a, i) => this.nonces.set(a, BigInt(counts[i])));
    const requests = txs.map((t) => {
      const nonce = this.nonces.get(t.from);
      this.nonces.set(t.from, nonce + 1n);
      const gasPrice = GAS_PRICE_TOP - this.seq++;
      const tx = { from: t.from, to: t.to, data: t.data, gas: hex(t.gas), gasPrice: hex(gasPrice), nonce: hex(nonce) };
      if (t.value) tx.value = hex(t.value);
      return ["eth_sendTransaction", [tx]];
    });
    const hashes = await this.rpc.batch(requests);
    if (timestamp !== undefined) await this.rpc.call("evm_setNextBlockTimestamp", [Number(timestamp)]);
    await this.rpc.call("evm_mine", []);
    const pool = await this.rpc.call("txpool_status", []);
    if (BigInt(pool.pending) !== 0n || BigInt(pool.queued) !== 0n) {
      throw new Error(`transactions left in the pool after evm_mine: ${JSON.stringify(pool)}`);
    }
    const receipts = await this.rpc.batch(hashes.map((h) => ["eth_getTransactionReceipt", [h]]));
    const block = receipts[0]?.blockNumber;
    this.txCount += txs.length;
    txs.forEach((t, i) => {
      const r = receipts[i];
      if (!r) throw new Error(`no receipt for ${t.what} (${hashes[i]})`);
      if (r.blockNumber !== block) throw new Error(`${t.what} landed in block ${r.blockNumber}, not ${block}`);
      t.ok = r.status === "0x1";
      if (!t.ok) {
        if (t.onRevert !== "skip") throw new Error(`harness transaction reverted: ${t.what}`);
        this.reverted.push({ what: t.what, position: t.position });
      }
    });
    return txs;
  }
}

// ---------------------------------------------------------------------------------------------
// The random market and positions

const STABLES = new Set(["USDC", "DAI", "USDT"]);
// Assets a position may supply (weights). The isolated asset is handled separately; frozen and
// paused reserves refuse supplies.
const COLLATERAL_WEIGHTS = [["WETH", 5], ["WBTC", 4], ["USDC", 4], ["DAI", 4], ["wstETH", 3], ["CRV", 2], ["USDT", 2]];
// What the liquidity provider supplies at the start and tops up when liquidity runs low (tokens).
const LP_SUPPLY = { WETH: 20_000n, WBTC: 1_000n, USDC: 200_000_000n, DAI: 200_000_000n, USDT: 100_000_000n, wstETH: 5_000n };

const percentMul = (v, p) => (BigInt(v) * BigInt(p) + 5000n) / 10000n;
/** The largest liquidation threshold the PoolConfigurator accepts with `bonus`. */
function maxThresholdFor(bonus) {
  let lt = 10000;
  while (percentMul(lt, bonus) > 10000n) lt--;
  return lt;
}

/** A BigInt near `x` (a float) with random low digits below the float's precision. */
function bigAround(rng, x) {
  if (!(x >= 1)) return 1n;
  if (x < 1e15) return BigInt(Math.floor(x));
  const shift = Math.floor(Math.log10(x)) - 14;
  const scale = 10n ** BigInt(shift);
  return BigInt(Math.floor(x / 10 ** shift)) * scale + rng.bigBelow(scale);
}

/** A supply amount (smallest unit): dust, ordinary or large, within 2 % of the supply cap. */
function drawSupplyAmount(rng, r) {
  const unit = 10n ** BigInt(r.decimals);
  const kind = rng.weighted([["dust", 8], ["normal", 80], ["large", 10], ["round", 6]]);
  if (kind === "dust") return rng.chance(0.4) ? 1n : BigInt(rng.int(1, 10 ** Math.min(r.decimals, 6)));
  const priceUsd = Number(r.price) / 1e8;
  const usd = kind === "large" ? 10 ** (6 + rng.float() * 1.7) : 10 ** (rng.float() * 7 - 1); // $1M–$50M or $0.1–$1M
  let raw = bigAround(rng, (usd / priceUsd) * 10 ** r.decimals);
  const capRaw = r.supplyCap === 0n ? raw : (r.supplyCap * unit) / 50n;
  if (raw > capRaw) raw = capRaw - rng.bigBelow(capRaw / 10n + 1n);
  if (kind === "round") raw = raw / unit > 0n ? (raw / unit) * unit : unit;
  return raw > 0n ? raw : 1n;
}

/** A new 8-decimal price: a random walk around the listing price, with rare crashes and dust prices. */
function movePrice(rng, symbol, current, listing, big) {
  if (!STABLES.has(symbol) && symbol !== "WETH" && rng.chance(big ? 0.03 : 0.01)) {
    return BigInt(rng.int(1, 99_999)); // $0.00000001 – $0.00099999
  }
  const l = Number(listing);
  let x = Number(current);
  if (STABLES.has(symbol)) {
    x *= Math.exp(0.004 * rng.normal());
    x = Math.min(Math.max(x, l * 0.9), l * 1.1);
  } else {
    x *= Math.exp((big ? 0.1 : 0.04) * rng.normal());
    if (rng.chance(big ? 0.06 : 0.1)) x *= 0.55 + 0.35 * rng.float(); // a crash
    x = Math.min(Math.max(x, l * 0.2), l * 3);
  }
  return BigInt(Math.max(1, Math.round(x)));
}

export async function runDifferential({
  positions = 40,
  seed = 1,
  batchSize = 25,
  cli = resolveCli(),
  log = (m) => console.log(m),
  concurrency = Math.max(2, Math.min(8, os.availableParallelism?.() ?? 2)),
} = {}) {
  const t0 = performance.now();
  const secs = (t) => ((performance.now() - t) / 1000).toFixed(1);
  const rng = makeRng(seed);
  log(`differential: ${positions} random positions, seed ${seed}, batches of ${batchSize}, ${cli}`);
  const chain = await startMarket({ log });
  const tStarted = performance.now();
  let openMs = 0;
  let evalMs = 0;
  try {
    const market = chain.market;
    const rpc = new Rpc(chain.rpcUrl);
    const phases = new Phases(rpc);
    const POOL = market.contracts.pool;
    const deployer = getAddress(market.accounts[0].address);
    const emodeId = market.eModeCategories[0].id;
    const tokenOf = (symbol) => market.reserves[symbol].address;

    await rpc.call("evm_setAutomine", [false]);
    await rpc.call("evm_setBlockGasLimit", [hex(10n ** 12n)]);

    const latest = async () => {
      const b = await rpc.call("eth_getBlockByNumber", ["latest", false]);
      return { number: Number(b.number), timestamp: Number(b.timestamp), tag: b.number };
    };
    const fundAccounts = async (addrs) => {
      await rpc.batch(addrs.flatMap((a) => [["anvil_impersonateAccount", [a]], ["anvil_setBalance", [a, hex(10n ** 30n)]]]));
    };
    const poolTx = (fn, args) => IFACE.pool.encodeFunctionData(fn, args);
    /** Queue what a user does to supply `raw` of `symbol`: get the tokens, approve, supply. */
    const queueSupply = (user, symbol, raw, position, approved) => {
      const token = tokenOf(symbol);
      if (symbol === "WETH") {
        phases.add(user, token, IFACE.weth.encodeFunctionData("deposit"), { value: raw, gas: GAS.token, what: `WETH.deposit ${raw}`, onRevert: "fail" });
      } else {
        phases.add(user, token, IFACE.erc20.encodeFunctionData("mint", [user, raw]), { gas: GAS.token, what: `${symbol}.mint ${raw}`, onRevert: "fail" });
      }
      if (!approved.has(symbol)) {
        approved.add(symbol);
        phases.add(user, token, IFACE.erc20.encodeFunctionData("approve", [POOL, MaxUint256]), { gas: GAS.token, what: `${symbol}.approve`, onRevert: "fail" });
      }
      phases.add(user, POOL, poolTx("supply", [token, raw, user, 0]), { what: `${position === null ? "liquidity provider " : ""}supply ${symbol} ${raw}`, position });
    };
    const admin = (to, iface, fn, args, what) => phases.add(deployer, to, iface.encodeFunctionData(fn, args), { gas: GAS.admin, what, onRevert: "fail" });

    // The liquidity provider.
    const lp = rng.address();
    const lpApproved = new Set();
    await fundAccounts([lp]);
    const listing = Object.fromEntries(Object.values(market.reserves).map((r) => [r.symbol, BigInt(r.price)]));

    /** Market moves: prices (and the adapter's ratio); with `risk`, parameters and listings too. */
    const queueMarketMoves = (state, { risk, big }) => {
      for (const symbol of Object.keys(market.reserves)) {
        const r = market.reserves[symbol];
        if (r.priceFeedKind === "MockV3Aggregator") {
          if (!rng.chance(big ? 0.7 : 0.5)) continue;
          const p = movePrice(rng, symbol, state.bySymbol[symbol].price, listing[symbol], big);
          admin(r.priceFeed, IFACE.feed, "updateAnswer", [p], `${symbol} price ${p}`);
        } else if (r.priceFeedKind === "RatioPriceAdapterMock" && rng.chance(0.4)) {
          const ratio = 10n ** 18n + BigInt(rng.int(50_000, 350_000)) * 10n ** 12n + rng.bigBelow(10n ** 12n);
          admin(r.priceFeed, IFACE.feed, "setRatio", [ratio], `${symbol} ratio ${ratio}`);
        }
      }
      if (!risk) return;
      const conf = IFACE.configurator;
      const cfgAddr = market.contracts.poolConfigurator;
      // Stablecoin e-mode: LTV/threshold above every member's own (the configurator's rule) and a
      // price source: none, or an asset's oracle price.
      if (rng.chance(0.4)) {
        const lt = rng.int(8600, 9900);
        const ltv = rng.int(8300, lt);
        const source = rng.weighted([[ZeroAddress, 2], [tokenOf("USDC"), 1], [tokenOf("DAI"), 1]]);
        admin(cfgAddr, conf, "setEModeCategory", [emodeId, ltv, lt, 10100, source, "Stablecoins"], `e-mode ${ltv}/${lt} source ${source}`);
      }
      for (const symbol of ["WETH", "WBTC", "wstETH", "UNI", "USDC", "DAI"]) {
        if (!rng.chance(0.3)) continue;
        const r = state.bySymbol[symbol];
        let ltv, lt;
        if (STABLES.has(symbol)) {
          ltv = rng.int(6000, 8200);
          lt = rng.int(Math.max(ltv, 6500), 8500);
        } else {
          ltv = rng.int(4000, 8500);
          lt = rng.int(ltv, Math.min(9300, maxThresholdFor(r.liquidationBonus)));
        }
        admin(cfgAddr, conf, "configureReserveAsCollateral", [r.address, ltv, lt, r.liquidationBonus], `${symbol} risk ${ltv}/${lt}`);
      }
      // The LTV-0 asset: sometimes listed again with an LTV for this batch's openings (new supplies
      // then get enabled as collateral), and set back to 0 before evaluation.
      const crv = state.bySymbol[market.roles.ltvZero];
      const crvLt = rng.chance(0.3) ? rng.int(3000, 6000) : crv.liquidationThreshold;
      const crvLtv = rng.chance(0.35) ? rng.int(1000, crvLt) : 0;
      if (crvLtv !== 0 || crvLt !== crv.liquidationThreshold) {
        admin(cfgAddr, conf, "configureReserveAsCollateral", [crv.address, crvLtv, crvLt, crv.liquidationBonus], `${crv.symbol} risk ${crvLtv}/${crvLt}`);
      }
      // Liquidity provider: the initial supply, then top-ups when a reserve runs low.
      for (const [symbol, tokens] of Object.entries(LP_SUPPLY)) {
        const r = state.bySymbol[symbol];
        const amount = tokens * 10n ** BigInt(r.decimals);
        if (r.liquidity < amount / 4n) queueSupply(lp, symbol, amount, null, lpApproved);
      }
    };

    const all = []; // every position's plan: { index, user, supplies, amounts, borrow, borrowed, … }
    const evaluations = []; // { label, user, block, scenario, chain, result }
    const newStats = () => ({ withDebt: 0, eMode: 0, eModePriced: 0, collateralOff: 0, isolated: 0, zeroLtvOn: 0, liquidatable: 0, dust: 0, noCollateral: 0, debtNoCollateral: 0, debtBelowOneUnit: 0 });
    const stats = { own: newStats(), final: newStats() };

    /** Read, build, evaluate and compare the given users at the latest block. */
    const evaluateAt = async (users, { label, stats }) => {
      const t = performance.now();
      const block = await latest();
      const state = await readMarketState(rpc, market, block.tag);
      // Read one user, build, evaluate; several at once so anvil and the CLI overlap.
      const userStates = [];
      const results = await mapLimit(users, concurrency + 2, async (u, i) => {
        const us = (userStates[i] = await readUserState(rpc, market, state, u.user));
        const scenario = buildScenario(state, us);
        const result = await evaluate(cli, scenario, us.accountData);
        return { label: label(u), user: us.user, block: block.number, scenario, chain: us.accountData, result };
      });
      if (stats) {
        for (const us of userStates) {
          const a = us.accountData;
          const held = us.balances.filter((b) => b.aToken > 0n || b.variableDebt > 0n);
          const on = us.balances.filter((b) => isUsingAsCollateral(us.config, b.reserve.id));
          if (a.total_debt_base !== "0") stats.withDebt++;
          if (us.eMode !== 0) stats.eMode++;
          if (us.eMode !== 0 && state.categories.get(us.eMode)?.price !== null) stats.eModePriced++;
          if (us.balances.some((b) => b.aToken > 0n && !isUsingAsCollateral(us.config, b.reserve.id))) stats.collateralOff++;
          if (on.length === 1 && on[0].reserve.debtCeiling !== 0n) stats.isolated++;
          if (on.some((b) => b.reserve.ltv === 0 && b.reserve.liquidationThreshold !== 0)) stats.zeroLtvOn++;
          if (BigInt(a.health_factor) < 10n ** 18n) stats.liquidatable++;
          if (held.some((b) => (b.aToken > 0n && b.aToken <= 1000n) || (b.variableDebt > 0n && b.variableDebt <= 1000n))) stats.dust++;
          if (a.total_collateral_base === "0") stats.noCollateral++;
          if (a.total_collateral_base === "0" && a.total_debt_base !== "0") stats.debtNoCollateral++;
          if (a.total_debt_base === "0" && us.balances.some((b) => b.variableDebt > 0n)) stats.debtBelowOneUnit++;
        }
      }
      evaluations.push(...results);
      evalMs += performance.now() - t;
      return results;
    };

    const batches = Math.ceil(positions / batchSize);
    for (let b = 0; b < batches; b++) {
      const tOpen = performance.now();
      const count = Math.min(batchSize, positions - b * batchSize);
      // --- P0: market moves -----------------------------------------------------------------
      let state = await readMarketState(rpc, market, (await latest()).tag);
      queueMarketMoves(state, { risk: true, big: true });
      await phases.mine();
      state = await readMarketState(rpc, market, (await latest()).tag);

      // --- P1: fresh users supply -----------------------------------------------------------
      const batch = [];
      for (let k = 0; k < count; k++) {
        const p = { index: all.length, user: rng.address(), approved: new Set(), borrowed: [] };
        p.isolated = rng.chance(0.1);
        p.emodeWhen = rng.chance(0.3) ? rng.weighted([["early", 1], ["beforeBorrow", 2], ["afterBorrow", 1]]) : null;
        const n = rng.weighted([[1, 4], [2, 3], [3, 2], [4, 1]]);
        const picks = [];
        while (picks.length < n) {
          const s = rng.weighted(COLLATERAL_WEIGHTS);
          if (!picks.includes(s)) picks.push(s);
        }
        if (p.isolated) {
          p.supplies = [market.roles.isolated];
          p.deferred = rng.chance(0.4) ? picks.slice(0, rng.int(1, 2)) : [];
        } else {
          p.supplies = picks;
          if (rng.chance(0.08)) p.supplies.push(market.roles.isolated); // stays off: other collateral exists
          p.deferred = [];
        }
        p.amounts = Object.fromEntries([...p.supplies, ...p.deferred].map((s) => [s, drawSupplyAmount(rng, state.bySymbol[s])]));
        p.borrow = rng.chance(0.8)
          ? {
              fraction: rng.weighted([["any", 5], ["high", 3], ["tiny", 2]]),
              count: rng.weighted([[1, 6], [2, 3], [3, 1]]),
              dust: rng.chance(0.06),
            }
          : null;
        if (p.borrow) {
          const f = p.borrow.fraction;
          p.borrow.fraction = f === "high" ? 0.9 + 0.09 * rng.float() : f === "tiny" ? 10 ** (-6 + 4 * rng.float()) : 0.01 + 0.98 * rng.float();
        }
        batch.push(p);
        all.push(p);
      }
      await fundAccounts(batch.map((p) => p.user));
      for (const p of batch) {
        if (p.emodeWhen === "early") phases.add(p.user, POOL, poolTx("setUserEMode", [emodeId]), { what: "setUserEMode(1) before supplying", position: p.index });
        for (const s of p.supplies) queueSupply(p.user, s, p.amounts[s], p.index, p.approved);
      }
      await phases.mine();

      // --- P2: isolation, collateral switches, e-mode ------------------------------------------
      let tag = (await latest()).tag;
      let configs = await reads(rpc, tag, batch.map((p) => ({ to: POOL, iface: IFACE.pool, fn: "getUserConfiguration", args: [p.user] })));
      for (const [i, p] of batch.entries()) {
        const cfg = configs[i].data ?? configs[i][0];
        const supplied = p.supplies.map((s) => state.bySymbol[s]);
        if (p.isolated) {
          phases.add(p.user, POOL, poolTx("setUserUseReserveAsCollateral", [tokenOf(market.roles.isolated), true]), { what: "enable the isolated asset", position: p.index });
          for (const s of p.deferred) queueSupply(p.user, s, p.amounts[s], p.index, p.approved);
        } else {
          const on = supplied.filter((r) => isUsingAsCollateral(cfg, r.id));
          if (on.length && rng.chance(0.12)) {
            const r = rng.pick(on);
            phases.add(p.user, POOL, poolTx("setUserUseReserveAsCollateral", [r.address, false]), { what: `collateral off ${r.symbol} (no debt)`, position: p.index });
          }
          const off = supplied.filter((r) => !isUsingAsCollateral(cfg, r.id));
          if (off.length && rng.chance(0.05)) {
            const r = rng.pick(off);
            phases.add(p.user, POOL, poolTx("setUserUseReserveAsCollateral", [r.address, true]), { what: `collateral on ${r.symbol}`, position: p.index });
          }
        }
        if (p.emodeWhen === "beforeBorrow") phases.add(p.user, POOL, poolTx("setUserEMode", [emodeId]), { what: "setUserEMode(1) before borrowing", position: p.index });
      }
      await phases.mine();

      // --- P3: borrows --------------------------------------------------------------------------
      tag = (await latest()).tag;
      state = await readMarketState(rpc, market, tag);
      const borrowers = batch.filter((p) => p.borrow);
      const userReads = await reads(
        rpc,
        tag,
        borrowers.flatMap((p) => [
          { to: POOL, iface: IFACE.pool, fn: "getUserAccountData", args: [p.user] },
          { to: POOL, iface: IFACE.pool, fn: "getUserEMode", args: [p.user] },
          { to: POOL, iface: IFACE.pool, fn: "getUserConfiguration", args: [p.user] },
        ]),
      );
      const liquidity = Object.fromEntries(state.reserves.map((r) => [r.symbol, r.liquidity]));
      const capRoom = Object.fromEntries(
        state.reserves.map((r) => [r.symbol, r.borrowCap === 0n ? null : r.borrowCap * 10n ** BigInt(r.decimals) - r.totalDebt]),
      );
      const ceilingRoom = Object.fromEntries(state.reserves.map((r) => [r.symbol, r.debtCeiling - r.isolationModeTotalDebt]));
      for (const [i, p] of borrowers.entries()) {
        const [acct, em, cfgRaw] = userReads.slice(3 * i, 3 * i + 3);
        const cfg = cfgRaw.data ?? cfgRaw[0];
        const userEMode = Number(em);
        const avail = acct.availableBorrowsBase;
        p.enabledAtBorrow = state.reserves.filter((r) => isUsingAsCollateral(cfg, r.id));
        if (avail === 0n) continue;
        const isolatedBy = p.enabledAtBorrow.length === 1 && p.enabledAtBorrow[0].debtCeiling !== 0n ? p.enabledAtBorrow[0] : null;
        const lendable = state.reserves.filter(
          (r) =>
            r.active && r.borrowingEnabled && !r.frozen && !r.paused && r.liquidity > 0n &&
            (userEMode === 0 || r.eModeCategory === userEMode) &&
            (p.emodeWhen !== "afterBorrow" || r.eModeCategory === emodeId) &&
            (!isolatedBy || r.borrowableInIsolation),
        );
        const chosen = rng.sample(lendable, p.borrow.count);
        const weights = chosen.map(() => 0.2 + rng.float());
        const wsum = weights.reduce((x, y) => x + y, 0);
        for (const [j, r] of chosen.entries()) {
          const cat = state.categories.get(userEMode);
          const price = userEMode !== 0 && r.eModeCategory === userEMode && cat?.price ? cat.price : r.price;
          const ppb = BigInt(Math.floor((p.borrow.fraction * weights[j] * 1e9) / wsum));
          const unit = 10n ** BigInt(r.decimals);
          let raw = (avail * ppb * unit) / (1_000_000_000n * price);
          if (p.borrow.dust && j === 0) raw = 1n;
          raw = [raw, liquidity[r.symbol] / 2n, capRoom[r.symbol] === null ? raw : capRoom[r.symbol] / 2n].reduce((x, y) => (y < x ? y : x));
          if (isolatedBy) {
            const roomRaw = (ceilingRoom[isolatedBy.symbol] * unit) / 100n / 2n;
            if (roomRaw < raw) raw = roomRaw;
          }
          if (raw <= 0n) continue;
          liquidity[r.symbol] -= raw;
          if (capRoom[r.symbol] !== null) capRoom[r.symbol] -= raw;
          if (isolatedBy) ceilingRoom[isolatedBy.symbol] -= (raw * 100n) / unit;
          phases.add(p.user, POOL, poolTx("borrow", [r.address, raw, 2, 0, p.user]), {
            what: `borrow ${r.symbol} ${raw}`,
            position: p.index,
            meta: { borrowed: { position: p, symbol: r.symbol, raw } },
          });
        }
      }
      for (const tx of await phases.mine()) {
        if (tx.ok && tx.meta?.borrowed) tx.meta.borrowed.position.borrowed.push(tx.meta.borrowed);
      }

      // --- P4: switches with debt ---------------------------------------------------------------
      tag = (await latest()).tag;
      configs = await reads(rpc, tag, batch.map((p) => ({ to: POOL, iface: IFACE.pool, fn: "getUserConfiguration", args: [p.user] })));
      for (const [i, p] of batch.entries()) {
        const cfg = configs[i].data ?? configs[i][0];
        const on = state.reserves.filter((r) => isUsingAsCollateral(cfg, r.id));
        if (on.length && rng.chance(0.15)) {
          const r = rng.pick(on);
          phases.add(p.user, POOL, poolTx("setUserUseReserveAsCollateral", [r.address, false]), { what: `collateral off ${r.symbol} (with debt)`, position: p.index });
        }
        // Partial repayment from the borrowed tokens (all of them: only the interest is left owed).
        if (p.borrowed.length && rng.chance(0.12)) {
          const { symbol, raw } = rng.pick(p.borrowed);
          const amount = rng.chance(0.25) ? raw : 1n + (raw * BigInt(rng.int(1, 999))) / 1000n;
          if (!p.approved.has(symbol)) {
            p.approved.add(symbol);
            phases.add(p.user, tokenOf(symbol), IFACE.erc20.encodeFunctionData("approve", [POOL, MaxUint256]), { gas: GAS.token, what: `${symbol}.approve`, onRevert: "fail" });
          }
          phases.add(p.user, POOL, poolTx("repay", [tokenOf(symbol), amount, 2, p.user]), { what: `repay ${symbol} ${amount}`, position: p.index });
        }
        // Partial (or full: the flag goes off with the balance) withdrawal, checked against the HF.
        const supplied = [...p.supplies, ...p.deferred];
        if (rng.chance(0.1)) {
          const symbol = rng.pick(supplied);
          const amount = rng.chance(0.2) ? MaxUint256 : 1n + (p.amounts[symbol] * BigInt(rng.int(1, 950))) / 1000n;
          phases.add(p.user, POOL, poolTx("withdraw", [tokenOf(symbol), amount, p.user]), { what: `withdraw ${symbol} ${amount === MaxUint256 ? "all" : amount}`, position: p.index });
        }
        if (p.emodeWhen === "afterBorrow") {
          phases.add(p.user, POOL, poolTx("setUserEMode", [emodeId]), { what: "setUserEMode(1) after borrowing", position: p.index });
        } else if (p.emodeWhen && rng.chance(0.2)) {
          phases.add(p.user, POOL, poolTx("setUserEMode", [0]), { what: "leave e-mode", position: p.index });
        }
      }
      await phases.mine();

      // --- Pm: prices move again, time passes, the LTV-0 asset is back to LTV 0 ----------------------
      state = await readMarketState(rpc, market, (await latest()).tag);
      queueMarketMoves(state, { risk: false, big: false });
      const crv = state.bySymbol[market.roles.ltvZero];
      if (crv.ltv !== 0) {
        admin(market.contracts.poolConfigurator, IFACE.configurator, "configureReserveAsCollateral", [crv.address, 0, crv.liquidationThreshold, crv.liquidationBonus], `${crv.symbol} LTV back to 0`);
      }
      const jump = rng.weighted([[0, 1], [rng.int(60, 3600), 2], [rng.int(3600, 30 * 86400), 3]]);
      await phases.mine({ timestamp: (await latest()).timestamp + 12 + jump });
      openMs += performance.now() - tOpen;

      // --- evaluation at this block -------------------------------------------------------------
      await evaluateAt(batch, { label: (p) => `position #${p.index}`, stats: stats.own });
    }

    // Final block: everything again after a last move and a longer wait, plus the seeded accounts.
    // One collateral asset's feed also drops to a few units of 1e-8 USD, so that positions holding
    // it are worth (next to) nothing against their debt.
    let state = await readMarketState(rpc, market, (await latest()).tag);
    queueMarketMoves(state, { risk: false, big: true });
    const crashed = rng.pick(["WBTC", "UNI", "CRV"]);
    admin(market.reserves[crashed].priceFeed, IFACE.feed, "updateAnswer", [BigInt(rng.int(1, 999))], `${crashed} price crash`);
    await phases.mine({ timestamp: (await latest()).timestamp + rng.int(86400, 90 * 86400) });
    const finalResults = await evaluateAt(all, { label: (p) => `position #${p.index} (final block)`, stats: stats.final });
    const seeded = market.accounts.slice(1, 6).map((a) => ({ user: getAddress(a.address), index: a.index }));
    const seededResults = await evaluateAt(seeded, { label: (s) => `seeded account #${s.index} (final block)`, stats: null });

    const own = evaluations.slice(0, positions);
    const identical = own.filter((e) => e.result.ok).length;
    const mismatches = evaluations.filter((e) => !e.result.ok);
    const digest = createHash("sha256");
    for (const e of evaluations) digest.update(`${e.label}|${e.block}|${e.user}|${FIELDS.map((f) => e.chain[f]).join(",")}\n`);

    for (const m of mismatches) {
      log(`\nMISMATCH ${m.label} ${m.user} at block ${m.block}`);
      if (m.result.error) log(`  ballast: ${m.result.error}`);
      else for (const f of m.result.differing) log(`  ${f}: ballast ${m.result.ballast[f]}, chain ${m.chain[f]}`);
      log(`  scenario: ${JSON.stringify(m.scenario)}`);
      log(`  ballast aave_v3: ${JSON.stringify(m.result.ballast ?? null)}`);
      log(`  chain getUserAccountData: ${JSON.stringify(m.chain)}`);
    }
    const byKind = {};
    for (const r of phases.reverted) {
      const kind = r.what.replace(/ [0-9]+$/, "");
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
    const totalSeconds = Number(secs(t0));
    const summary = {
      seed,
      positions,
      identical,
      finalIdentical: finalResults.filter((e) => e.result.ok).length,
      seededIdentical: seededResults.filter((e) => e.result.ok).length,
      seededTotal: seededResults.length,
      reverted: phases.reverted.length,
      revertedByKind: byKind,
      transactions: phases.txCount,
      mismatches,
      stats,
      digest: digest.digest("hex").slice(0, 16),
      seconds: totalSeconds,
      timings: { market: Number(((tStarted - t0) / 1000).toFixed(1)), open: Number((openMs / 1000).toFixed(1)), evaluate: Number((evalMs / 1000).toFixed(1)) },
    };
    for (const [where, st] of [["at each position's block", stats.own], ["at the final block", stats.final]]) {
      log(
        `differential: coverage ${where}: ${st.withDebt} with debt, ${st.eMode} in e-mode ` +
          `(${st.eModePriced} priced by the category's source), ${st.collateralOff} with collateral turned off, ` +
          `${st.isolated} isolated, ${st.zeroLtvOn} with LTV-0 collateral on, ${st.liquidatable} liquidatable (HF < 1), ` +
          `${st.dust} with dust balances (≤ 1000 units), ${st.noCollateral} with no collateral value ` +
          `(${st.debtNoCollateral} of them with debt), ${st.debtBelowOneUnit} whose debt is worth < 1e-8 USD`,
      );
    }
    log(`differential: ${phases.txCount} transactions; reverted and skipped: ${Object.entries(byKind).map(([k, v]) => `${k} ×${v}`).join(", ") || "none"}`);
    log(`differential: final block: ${summary.finalIdentical}/${positions} identical; seeded accounts #1–#5: ${summary.seededIdentical}/${summary.seededTotal} identical (digest ${summary.digest})`);
    log(`differential: ${identical}/${positions} identical (seed ${seed}, ${phases.reverted.length} reverted actions skipped)`);
    log(
      `differential: took ${totalSeconds.toFixed(1)} s (market start ${summary.timings.market} s, ` +
        `opening ${summary.timings.open} s, reading + evaluating ${summary.timings.evaluate} s)`,
    );
    return summary;
  } finally {
    await chain.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// CLI entry

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      positions: { type: "string", default: "500" },
      seed: { type: "string" },
      batch: { type: "string", default: "25" },
    },
  });
  const seed = values.seed === undefined ? 1 : values.seed === "random" ? Math.floor(Math.random() * 2 ** 32) : Number(values.seed);
  const positions = Number(values.positions);
  const batchSize = Number(values.batch);
  for (const [name, v] of [["seed", seed], ["positions", positions], ["batch", batchSize]]) {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** 32) {
      console.error(`--${name}: expected a non-negative integer${name === "seed" ? " or random" : ""}`);
      process.exit(2);
    }
  }
  try {
    const r = await runDifferential({ positions, seed, batchSize: Math.max(1, batchSize) });
    process.exitCode = r.mismatches.length === 0 ? 0 : 1;
  } catch (e) {
    console.error(`differential: ${e.message.startsWith("ballast CLI not found") ? e.message : (e.stack ?? e.message)}`);
    process.exitCode = 2;
  }
}
