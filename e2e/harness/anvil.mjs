// Start/stop a local anvil node for the tests.
//
// anvil comes from the npm package @foundry-rs/anvil-linux-amd64 (a prebuilt binary
// shipped inside the registry package), so nothing is downloaded at run time.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { getFreePort } from "../lib/net.mjs";

export const CHAIN_ID = 31337;
// anvil's well-known default mnemonic, passed explicitly so the accounts never change.
export const MNEMONIC = "test test test test test test test test test test test junk";
export const ACCOUNT_COUNT = 10;
export const ACCOUNT_BALANCE_ETH = 10_000;

const require = createRequire(import.meta.url);

/** Absolute path of the anvil binary inside node_modules. */
export function anvilBinary() {
  const pkgJson = require.resolve("@foundry-rs/anvil-linux-amd64/package.json");
  const bin = path.join(path.dirname(pkgJson), "bin", "anvil");
  if (!existsSync(bin)) throw new Error(`anvil binary not found at ${bin} (run npm ci in e2e/)`);
  return bin;
}

/** Minimal JSON-RPC call (no ethers needed for harness plumbing). */
export async function rpc(rpcUrl, method, params = [], { timeoutMs = 30_000 } = {}) {
  const res = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.json();
  if (body.error) {
    const err = new Error(`${method}: ${body.error.message}`);
    err.code = body.error.code;
    err.data = body.error.data;
    throw err;
  }
  return body.result;
}

// Every live anvil, so a crashing or exiting test process never leaves one behind.
const live = new Set();
let exitHooksInstalled = false;
function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  // 'exit' handlers must be synchronous: SIGKILL is, and anvil holds nothing we need.
  process.on("exit", () => {
    for (const child of live) {
      try {
        child.kill("SIGKILL");
      } catch {}
    }
  });
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(sig, () => {
      for (const child of live) {
        try {
          child.kill("SIGKILL");
        } catch {}
      }
      process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[sig]);
    });
  }
}

// setpriv --pdeathsig makes the kernel kill anvil if this node process dies abruptly
// (e.g. SIGKILL from a test-runner timeout), which no JS exit hook can catch.
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"].find((p) => existsSync(p));

/**
 * Start anvil on a free 127.0.0.1 port.
 * @param {object} [opts]
 * @param {string} [opts.state] path of a state file written by anvil_dumpState (JSON) to load
 * @param {number} [opts.timestamp] genesis timestamp (fresh chains only)
 * @param {number} [opts.port] fixed port (default: a free one)
 * @param {string[]} [opts.extraArgs]
 * @returns {Promise<{rpcUrl: string, port: number, pid: number, stop: () => Promise<void>}>}
 */
export async function startAnvil({ state, timestamp, port: fixedPort, extraArgs = [] } = {}) {
  installExitHooks();
  if (fixedPort) return launch(fixedPort, { state, timestamp, extraArgs });
  let lastError;
  // A port picked by getFreePort can be grabbed by someone else before anvil binds it.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await getFreePort();
    try {
      return await launch(port, { state, timestamp, extraArgs });
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

async function launch(port, { state, timestamp, extraArgs }) {
  const args = [
    "--host", "127.0.0.1",
    "--port", String(port),
    "--chain-id", String(CHAIN_ID),
    "--mnemonic", MNEMONIC,
    "--accounts", String(ACCOUNT_COUNT),
    "--balance", String(ACCOUNT_BALANCE_ETH),
    // Without it anvil persists every historical state to ~/.foundry/anvil/tmp (tens of GB).
    "--prune-history",
    "--silent",
  ];
  if (state) args.push("--load-state", state);
  if (timestamp !== undefined) args.push("--timestamp", String(timestamp));
  args.push(...extraArgs);

  const bin = anvilBinary();
  const [cmd, cmdArgs] = SETPRIV ? [SETPRIV, ["--pdeathsig", "KILL", "--", bin, ...args]] : [bin, args];
  const child = spawn(cmd, cmdArgs, { stdio: ["ignore", "ignore", "pipe"] });
  live.add(child);

  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d) => {
    if (stderr.length < 10_000) stderr += d;
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => live.delete(child));

  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };

  // Poll eth_chainId until anvil answers (loading a big state takes ~1 s).
  const deadline = Date.now() + 30_000;
  let early = null;
  exited.then((r) => (early = r));
  while (true) {
    if (early) throw new Error(`anvil exited early (${JSON.stringify(early)}): ${stderr.trim()}`);
    try {
      const id = await rpc(rpcUrl, "eth_chainId", [], { timeoutMs: 1000 });
      if (Number(id) !== CHAIN_ID) throw new Error(`unexpected chain id ${id}`);
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`anvil did not answer on ${rpcUrl}: ${e.message} ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { rpcUrl, port, pid: child.pid, stop };
}
