// Compile the harness's own mock contracts (harness/contracts/*.sol) and Chainlink's
// MockV3Aggregator with solc-js. Chainlink's sources are fetched with `npm pack` (the
// @chainlink/contracts package itself drags in GitHub-hosted dependencies, so it is
// not installed) and only the few .sol files we need are extracted.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CONTRACTS_DIR = path.join(HERE, "contracts");

export const CHAINLINK_VERSION = "1.5.0";
// Pinned tarball integrity (from the registry) so a tampered/changed tarball fails loudly.
const CHAINLINK_INTEGRITY =
  "sha512-1fGJwjvivqAxvVOTqZUEXGR54CATtg0vjcXgSIk4Cfoad2nUhSG/qaWHXjLg1CkNTeOoteoxGQcpP/HiA5HsUA==";
const CHAINLINK_FILES = [
  "package/package.json",
  "package/src/v0.8/shared/mocks/MockV3Aggregator.sol",
  "package/src/v0.8/shared/interfaces/AggregatorV2V3Interface.sol",
  "package/src/v0.8/shared/interfaces/AggregatorInterface.sol",
  "package/src/v0.8/shared/interfaces/AggregatorV3Interface.sol",
];
const CHAINLINK_PREFIX = "@chainlink/contracts/";
const MOCK_V3 = `${CHAINLINK_PREFIX}src/v0.8/shared/mocks/MockV3Aggregator.sol`;

function npmBin() {
  // Prefer the npm that ships next to this node binary.
  const sibling = path.join(path.dirname(process.execPath), "npm");
  return existsSync(sibling) ? sibling : "npm";
}

/** Extract Chainlink's MockV3Aggregator sources into `${cacheRoot}/chainlink-contracts-<v>/`. */
export async function ensureChainlinkSources(cacheRoot) {
  const dir = path.join(cacheRoot, `chainlink-contracts-${CHAINLINK_VERSION}`);
  if (CHAINLINK_FILES.every((f) => existsSync(path.join(dir, f)))) return dir;

  const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const { stdout } = await run(
      npmBin(),
      ["pack", `@chainlink/contracts@${CHAINLINK_VERSION}`, "--json", "--pack-destination", tmp],
      { cwd: tmp, maxBuffer: 64 * 1024 * 1024 },
    );
    const [info] = JSON.parse(stdout);
    if (info.integrity !== CHAINLINK_INTEGRITY) {
      throw new Error(`@chainlink/contracts@${CHAINLINK_VERSION} integrity mismatch: ${info.integrity}`);
    }
    const tgz = path.join(tmp, info.filename);
    await run("tar", ["-xzf", tgz, "-C", tmp, ...CHAINLINK_FILES]);
    rmSync(tgz);
    try {
      renameSync(tmp, dir); // atomic: a half-extracted dir is never visible
    } catch (e) {
      // Another process (parallel test files on a cold cache) got there first: fine.
      if (!CHAINLINK_FILES.every((f) => existsSync(path.join(dir, f)))) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Compile every harness contract plus MockV3Aggregator.
 * @returns {Promise<Record<string, {abi: any[], bytecode: string}>>} keyed by contract name
 */
export async function compileContracts(cacheRoot) {
  const chainlinkDir = await ensureChainlinkSources(cacheRoot);
  const sources = {};
  for (const f of readdirSync(CONTRACTS_DIR).filter((f) => f.endsWith(".sol"))) {
    sources[`contracts/${f}`] = { content: readFileSync(path.join(CONTRACTS_DIR, f), "utf8") };
  }
  // Its imports (the aggregator interfaces) are resolved by findImports below.
  sources[MOCK_V3] = {
    content: readFileSync(path.join(chainlinkDir, "package", MOCK_V3.slice(CHAINLINK_PREFIX.length)), "utf8"),
  };

  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      // Pinned so bytecode never uses opcodes newer than the anvil hardfork.
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const findImports = (p) => {
    const file = p.startsWith(CHAINLINK_PREFIX)
      ? path.join(chainlinkDir, "package", p.slice(CHAINLINK_PREFIX.length))
      : path.join(HERE, p);
    return existsSync(file) ? { contents: readFileSync(file, "utf8") } : { error: `not found: ${p}` };
  };
  // Imported lazily: soljson installs process-wide handlers and takes ~1 s to load.
  const { default: solc } = await import("solc");
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);

  const out = {};
  for (const file of Object.values(output.contracts)) {
    for (const [name, c] of Object.entries(file)) {
      if (c.evm.bytecode.object) out[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  return out;
}
