// The live fixture of the e2e files that point the built site at a chain: the harness Aave V3
// market on anvil, the site on a static server and one browser, for the whole file; each test
// runs on a chain snapshot that is restored after it, so tests cannot leak chain state.
import { before, after, beforeEach, afterEach } from "node:test";
// viem keeps Multicall3's creation code (for its deployless reads) but does not export it.
import { multicall3Bytecode } from "../node_modules/viem/_esm/constants/contracts.js";
import { launchBrowser } from "./browser.mjs";
import { startStaticServer } from "./static-server.mjs";
import { startMarket } from "../harness/market.mjs";
import { makeProvider, mined, snapshot } from "../harness/chain.mjs";
import { accountSigner, marketContracts } from "../harness/contracts.mjs";

/** Multicall3's canonical address, which the app's readers call. */
export const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";

/**
 * Registers the file's hooks and returns a promise of the fixture
 * `{ chain, market, provider, contracts, server, browser }`, settled by its `before` hook.
 * Await it in the file's own `before`: Node 20 starts a file's `before` hooks together,
 * so a second hook cannot count on the first having finished.
 *
 * - `multicall`: put Multicall3 at its canonical address (the harness lacks it; the
 *   Positions page reads through it), deployed from viem's copy of its creation code.
 * - `prepare(fixture)`: more chain setup, after the market and before the site starts.
 * - `restoreEachTest`: snapshot before and revert after every test (default on).
 */
export function useLiveMarket({ skip, dist, multicall = false, prepare, restoreEachTest = true }) {
  const live = {};
  let settle;
  const ready = new Promise((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => {}); // the hook below reports a failed setup; awaiting files see it too
  let restore;
  before(async () => {
    if (skip) return settle.resolve(live);
    try {
      await setUp();
      settle.resolve(live);
    } catch (error) {
      settle.reject(error);
      throw error;
    }
  }, { timeout: 300_000 });
  async function setUp() {
    live.chain = await startMarket();
    live.market = live.chain.market;
    live.provider = makeProvider(live.chain.rpcUrl);
    live.contracts = marketContracts(live.market, live.provider);
    if (multicall) {
      const deployer = accountSigner(live.market, 0, live.provider);
      const receipt = await mined(deployer.sendTransaction({ data: multicall3Bytecode }));
      const code = await live.provider.send("eth_getCode", [receipt.contractAddress, "latest"]);
      await live.provider.send("anvil_setCode", [MULTICALL3, code]);
    }
    if (prepare) await prepare(live);
    live.server = await startStaticServer(dist);
    live.browser = await launchBrowser();
  }
  after(async () => {
    await live.browser?.close();
    await live.server?.close();
    live.provider?.destroy();
    await live.chain?.stop();
  });
  if (restoreEachTest) {
    beforeEach(async () => {
      if (!skip) restore = await snapshot(live.provider);
    });
    afterEach(async () => {
      if (restore) await restore();
      restore = undefined;
    });
  }
  return ready;
}

/** Where the app keeps its chain settings in localStorage. */
export const SETTINGS_KEY = "ballast.chain-settings";

/**
 * The chain settings a user would save to watch the harness market (live data on, chain
 * 31337), with `overrides` on top.
 */
export function harnessSettings({ chain, market }, overrides = {}) {
  return {
    version: 1,
    live_data: true,
    market_chain_id: 31337,
    rpc_urls: { 31337: chain.rpcUrl },
    addresses_providers: { 31337: market.contracts.poolAddressesProvider },
    ui_pool_data_providers: { 31337: market.contracts.uiPoolDataProvider },
    ...overrides,
  };
}

/**
 * Puts `saved` ({key: value}, each JSON-encoded) in the app's localStorage before its first
 * load in `context`; a reload keeps what the page has saved since.
 */
export async function seedLocalStorage(context, saved) {
  await context.addInitScript((entries) => {
    // Only on the app's own pages (about:blank has no storage), and only on the first load.
    if (location.protocol !== "http:" || sessionStorage.getItem("seeded")) return;
    sessionStorage.setItem("seeded", "1");
    for (const [k, v] of entries) window.localStorage.setItem(k, v);
  }, Object.entries(saved).map(([k, v]) => [k, JSON.stringify(v)]));
}
