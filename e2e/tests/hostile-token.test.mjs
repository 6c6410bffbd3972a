// A token whose name and symbol are markup, listed as a real Aave reserve on the harness
// market: the Prices page reads its symbol from the chain and shows it as text. Nothing
// runs (no dialog), no element is made from it (no <img>, no request for its `src`).
//
// Needs BALLAST_DIST (the built site), like feeds.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { startMarket } from "../harness/market.mjs";
import { makeProvider } from "../harness/chain.mjs";
import { listReserve } from "../harness/list-reserve.mjs";
import { ERC20_ABI } from "../harness/contracts.mjs";
import { Contract } from "ethers";

const DIST = process.env.BALLAST_DIST;
if (DIST) assert.ok(existsSync(path.join(DIST, "index.html")), `no built site at ${DIST}`);
const skip = DIST ? false : "set BALLAST_DIST (scripts/test does)";
const HOSTILE = "<img src=x onerror=alert(1)>";

let browser, chain, provider, server, listed;

before(async () => {
  if (skip) return;
  chain = await startMarket();
  provider = makeProvider(chain.rpcUrl);
  listed = await listReserve({ market: chain.market, provider, name: HOSTILE, symbol: HOSTILE, price: "2" });
  server = await startStaticServer(DIST);
  browser = await launchBrowser();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  provider?.destroy();
  await chain?.stop();
});

test("a reserve named <img src=x onerror=alert(1)> is shown as text and runs nothing", { skip, timeout: 120_000 }, async () => {
  // The chain really says so.
  const token = new Contract(listed.token, ERC20_ABI, provider);
  assert.deepEqual([await token.name(), await token.symbol()], [HOSTILE, HOSTILE]);

  const ctx = await newTestContext(browser);
  const settings = {
    version: 1,
    live_data: true,
    market_chain_id: 31337,
    rpc_urls: { 31337: chain.rpcUrl },
    addresses_providers: { 31337: chain.market.contracts.poolAddressesProvider },
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
  await page.goto(`${server.url}?view=prices`);
  const row = page.locator(`[data-testid=price-row][data-symbol="${HOSTILE}"]`);
  await row.waitFor({ timeout: 30_000 });
  // Priced like any reserve: AaveOracle's $2 from its feed.
  assert.equal(await row.locator("[data-testid=price-value]").getAttribute("data-value"), "2");
  // Shown literally, as text.
  assert.ok((await row.innerText()).includes(HOSTILE), await row.innerText());
  const made = await page.evaluate(() => ({
    images: document.querySelectorAll("img").length,
    // The markup's text is in a text node, never parsed into elements.
    literal: [...document.querySelectorAll("[data-testid=price-row]")].some((r) => r.textContent.includes("<img src=x")),
    parsed: [...document.querySelectorAll("[data-testid=price-row] *")].some((e) => e.tagName === "IMG" || e.hasAttribute("onerror")),
  }));
  assert.deepEqual(made, { images: 0, literal: true, parsed: false });
  await page.waitForTimeout(500);
  assert.deepEqual(dialogs, [], "a dialog opened");
  assert.deepEqual(requests.filter((u) => new URL(u).pathname.endsWith("/x")), [], "the <img>'s src was requested");
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});
