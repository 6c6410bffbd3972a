// startMarket(): an anvil with the Ballast test market on it, deployed once and then
// loaded from a state dump (~1 s) on later runs.
//
// Cache: ${BALLAST_CACHE:-$HOME/.cache/ballast}/anvil/<key>/{state.json,market.json}, where
// <key> hashes the deploy code (STATE_INPUTS) and e2e/package-lock.json, so changing the deploy
// (or a dependency version) redeploys. The addresses are also copied to e2e/.cache/market.json.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { rpc, startAnvil } from "./anvil.mjs";
import { deployMarket } from "./deploy.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const E2E_DIR = path.dirname(HERE);
export const MARKET_JSON = path.join(E2E_DIR, ".cache", "market.json");
const KEEP_CACHE_ENTRIES = 4;
// Deterministic chain clock: genesis at 2026-01-01T00:00:00Z and every block exactly
// BLOCK_TIME seconds after the previous one, whatever the wall clock says. A loaded cache
// thus behaves exactly like a fresh deploy, and accrued interest never depends on how old
// the cache is or how slow the machine is. Tests travel in time with evm_setNextBlockTimestamp.
export const GENESIS_TIMESTAMP = 1_767_225_600;
export const BLOCK_TIME = 12;

async function pinClock(rpcUrl) {
  const latest = await rpc(rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  // After --load-state anvil's clock is the wall clock; rewind it to the latest block, so
  // the next block is exactly latest + BLOCK_TIME (evm_setNextBlockTimestamp is refused here).
  await rpc(rpcUrl, "evm_setTime", [Number(latest.timestamp)]);
  await rpc(rpcUrl, "anvil_setBlockTimestampInterval", [BLOCK_TIME]);
}

export function cacheRoot() {
  return process.env.BALLAST_CACHE || path.join(os.homedir(), ".cache", "ballast");
}

// Everything that determines the deployed state (test-only helpers such as contracts.mjs and
// aave-math.mjs are left out, so editing them does not force a redeploy).
const STATE_INPUTS = ["anvil.mjs", "artifacts.mjs", "chain.mjs", "deploy.mjs", "market.mjs", "solidity.mjs", "contracts"];

/** Hash of the deploy inputs plus e2e/package-lock.json (the exact Aave/anvil/solc versions). */
export function cacheKey() {
  const h = createHash("sha256");
  const files = [];
  const walk = (p) => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(path.join(p, f));
    else files.push(p);
  };
  for (const input of STATE_INPUTS) walk(path.join(HERE, input));
  files.push(path.join(E2E_DIR, "package-lock.json"));
  for (const f of files) {
    h.update(path.relative(E2E_DIR, f));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

function writeAtomic(file, data) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

function pruneOldEntries(anvilCacheDir, keep) {
  const entries = readdirSync(anvilCacheDir)
    .map((name) => ({ name, p: path.join(anvilCacheDir, name) }))
    .filter((e) => e.name !== keep && statSync(e.p).isDirectory())
    .sort((a, b) => statSync(b.p).mtimeMs - statSync(a.p).mtimeMs);
  for (const e of entries.slice(KEEP_CACHE_ENTRIES - 1)) rmSync(e.p, { recursive: true, force: true });
}

/**
 * Start anvil with the market on it.
 * @param {{log?: (msg: string) => void, fresh?: boolean, port?: number}} [opts]
 *   fresh: ignore the cache and redeploy; port: fixed anvil port (default: a free one)
 * @returns {Promise<{rpcUrl: string, port: number, stop: () => Promise<void>, market: object, source: "deployed"|"cache"}>}
 */
export async function startMarket({ log = (m) => console.log(m), fresh = false, port } = {}) {
  const started = performance.now();
  const key = cacheKey();
  const dir = path.join(cacheRoot(), "anvil", key);
  const statePath = path.join(dir, "state.json");
  const marketPath = path.join(dir, "market.json");
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

  if (!fresh && existsSync(statePath) && existsSync(marketPath)) {
    const market = JSON.parse(readFileSync(marketPath, "utf8"));
    const anvil = await startAnvil({ state: statePath, port });
    await pinClock(anvil.rpcUrl);
    // Guard against a truncated/foreign state file: the pool must have code.
    const code = await rpc(anvil.rpcUrl, "eth_getCode", [market.contracts.pool, "latest"]);
    if (code !== "0x") {
      writeAtomic(MARKET_JSON, JSON.stringify(market, null, 2));
      log(`[ballast-e2e] loaded cached Aave market ${key} in ${seconds()} s (${dir})`);
      return { ...anvil, market, source: "cache" };
    }
    await anvil.stop();
    log(`[ballast-e2e] cached state ${key} is unusable, redeploying`);
  }

  const anvil = await startAnvil({ timestamp: GENESIS_TIMESTAMP, port });
  try {
    await pinClock(anvil.rpcUrl);
    const verbose = process.env.BALLAST_E2E_VERBOSE ? log : () => {};
    const market = await deployMarket({ rpcUrl: anvil.rpcUrl, cacheRoot: cacheRoot(), log: verbose });
    market.clock = { genesisTimestamp: GENESIS_TIMESTAMP, blockTime: BLOCK_TIME };
    // anvil_dumpState returns gzip'd JSON as hex; --load-state wants the plain JSON.
    const dump = await rpc(anvil.rpcUrl, "anvil_dumpState", [], { timeoutMs: 120_000 });
    const state = gunzipSync(Buffer.from(dump.slice(2), "hex"));
    // Write state first, market.json last: market.json present <=> the entry is complete.
    writeAtomic(statePath, state);
    writeAtomic(marketPath, JSON.stringify(market, null, 2));
    writeAtomic(MARKET_JSON, JSON.stringify(market, null, 2));
    pruneOldEntries(path.dirname(dir), key);
    log(`[ballast-e2e] deployed Aave market ${key} in ${seconds()} s (cached to ${dir})`);
    return { ...anvil, market, source: "deployed" };
  } catch (e) {
    await anvil.stop();
    throw e;
  }
}
