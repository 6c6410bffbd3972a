// A token whose name and symbol are markup, listed as a real Aave reserve on the harness
// market: the Prices page reads its symbol from the chain (ERC-20 symbol()) and the Positions
// page from UiPoolDataProviderV3, for a position holding it as collateral; both show it as
// text. Nothing runs (no dialog), no element is made from it (no <img>, no request for its `src`).
//
// The Positions page reads through Multicall3, which the harness lacks: deployed from viem's
// copy of its creation code and moved to its canonical address, as in positions.test.mjs.
//
// Needs BALLAST_DIST (the built site), like feeds.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { startMarket } from "../harness/market.mjs";
// viem keeps Multicall3's creation code (for its deployless reads) but does not export it.
import { multicall3Bytecode } from "../node_modules/viem/_esm/constants/contracts.js";
import { makeProvider, mined } from "../harness/chain.mjs";
import { listReserve } from "../harness/list-reserve.mjs";
import { ERC20_ABI, accountSigner, marketContracts } from "../harness/contracts.mjs";
import { Contract, MaxUint256, parseUnits } from "ethers";

const DIST = process.env.BALLAST_DIST;
if (DIST) assert.ok(existsSync(path.join(DIST, "index.html")), `no built site at ${DIST}`);
const skip = DIST ? false : "set BALLAST_DIST (scripts/test does)";
const HOSTILE = "<img src=x onerror=alert(1)>";
const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";
const HOLDER = 6; // a fresh funded account of the harness

let browser, chain, provider, server, listed;

before(async () => {
  if (skip) return;
  chain = await startMarket();
  provider = makeProvider(chain.rpcUrl);
  listed = await listReserve({ market: chain.market, provider, name: HOSTILE, symbol: HOSTILE, price: "2" });
  // Account 6 supplies 1,000 of it (collateral from the first supply).
  const holder = accountSigner(chain.market, HOLDER, provider);
  const token = new Contract(listed.token, ERC20_ABI, holder);
  const amount = parseUnits("1000", 18);
  await mined(token.mint(holder.address, amount));
  await mined(token.approve(chain.market.contracts.pool, MaxUint256));
  await mined(marketContracts(chain.market, holder).pool.supply(listed.token, amount, holder.address, 0));
  const receipt = await mined(accountSigner(chain.market, 0, provider).sendTransaction({ data: multicall3Bytecode }));
  await provider.send("anvil_setCode", [MULTICALL3, await provider.send("eth_getCode", [receipt.contractAddress, "latest"])]);
  server = await startStaticServer(DIST);
  browser = await launchBrowser();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  provider?.destroy();
  await chain?.stop();
});

/** A page with the harness market's live settings saved, recording dialogs and requests. */
async function openLive(query) {
  const ctx = await newTestContext(browser);
  const settings = {
    version: 1,
    live_data: true,
    market_chain_id: 31337,
    rpc_urls: { 31337: chain.rpcUrl },
    addresses_providers: { 31337: chain.market.contracts.poolAddressesProvider },
    ui_pool_data_providers: { 31337: chain.market.contracts.uiPoolDataProvider },
    poll_secs: 3600,
  };
  await ctx.context.addInitScript(
    ([key, value]) => {
      if (location.protocol === "http:") window.localStorage.setItem(key, value);
    },
    ["ballast.chain-settings", JSON.stringify(settings)],
  );
  const page = await ctx.newPage();
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.url}${query}`);
  return { ctx, page, dialogs, requests };
}

/** Nothing was made of the markup: no <img>, no element with onerror, no dialog, no request for x. */
async function assertInert(page, dialogs, requests, container) {
  const made = await page.evaluate((selector) => ({
    images: document.querySelectorAll("img").length,
    literal: [...document.querySelectorAll(selector)].some((r) => r.textContent.includes("<img src=x onerror=alert(1)>")),
    parsed: [...document.querySelectorAll(`${selector} *`)].some((e) => e.tagName === "IMG" || e.hasAttribute("onerror")),
  }), container);
  assert.deepEqual(made, { images: 0, literal: true, parsed: false });
  await page.waitForTimeout(500);
  assert.deepEqual(dialogs, [], "a dialog opened");
  assert.deepEqual(requests.filter((u) => new URL(u).pathname.endsWith("/x")), [], "the <img>'s src was requested");
}

test("a reserve named <img src=x onerror=alert(1)> is shown as text on the Prices page and runs nothing", { skip, timeout: 120_000 }, async () => {
  // The chain really says so.
  const token = new Contract(listed.token, ERC20_ABI, provider);
  assert.deepEqual([await token.name(), await token.symbol()], [HOSTILE, HOSTILE]);

  const { ctx, page, dialogs, requests } = await openLive("?view=prices");
  const row = page.locator(`[data-testid=price-row][data-symbol="${HOSTILE}"]`);
  await row.waitFor({ timeout: 30_000 });
  // Priced like any reserve: AaveOracle's $2 from its feed.
  assert.equal(await row.locator("[data-testid=price-value]").getAttribute("data-value"), "2");
  // Shown literally, as text.
  assert.ok((await row.innerText()).includes(HOSTILE), await row.innerText());
  await assertInert(page, dialogs, requests, "[data-testid=price-row]");
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a position holding it shows it as text on the Positions page and runs nothing", { skip, timeout: 120_000 }, async () => {
  const owner = chain.market.accounts[HOLDER].address;
  const { ctx, page, dialogs, requests } = await openLive(`?view=positions&address=${owner}&chains=31337`);
  const line = page.locator(`[data-testid=position][data-owner="${owner}"] [data-testid=collateral-line][data-asset="${HOSTILE}"]`);
  await line.waitFor({ timeout: 60_000 });
  assert.ok((await line.innerText()).includes(HOSTILE), await line.innerText());
  // Valued like any collateral: 1,000 at $2.
  assert.equal(await line.locator("[data-testid=line-usd]").getAttribute("data-value"), "2000");
  await assertInert(page, dialogs, requests, "[data-testid=position]");
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});
