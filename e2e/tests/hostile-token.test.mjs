// A token whose name and symbol are markup, listed as a real Aave reserve on the harness
// market: the Prices page reads its symbol from the chain (ERC-20 symbol()) and the Positions
// page from UiPoolDataProviderV3, for a position holding it as collateral; both show it as
// text. Nothing runs (no dialog), no element is made from it (no <img>, no request for its `src`).
//
// The Positions page reads through Multicall3, which the harness lacks: deployed from viem's
// copy of its creation code and moved to its canonical address, as in positions.test.mjs.
//
// Needs BALLAST_DIST (the built site), like feeds.test.mjs.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { newTestContext } from "../lib/browser.mjs";
import { SETTINGS_KEY, harnessSettings, seedLocalStorage, useLiveMarket } from "../lib/live-market.mjs";
import { siteUnderTest } from "../lib/site.mjs";
import { mined } from "../harness/chain.mjs";
import { listReserve } from "../harness/list-reserve.mjs";
import { ERC20_ABI, accountSigner, marketContracts } from "../harness/contracts.mjs";
import { Contract, MaxUint256, parseUnits } from "ethers";

const { DIST, skip } = siteUnderTest();
const HOSTILE = "<img src=x onerror=alert(1)>";
const HOLDER = 6; // a fresh funded account of the harness

let listed;
/** Lists the hostile token; account 6 supplies 1,000 of it (collateral from the first supply). */
async function listHostileToken({ market, provider }) {
  listed = await listReserve({ market, provider, name: HOSTILE, symbol: HOSTILE, price: "2" });
  const holder = accountSigner(market, HOLDER, provider);
  const token = new Contract(listed.token, ERC20_ABI, holder);
  const amount = parseUnits("1000", 18);
  await mined(token.mint(holder.address, amount));
  await mined(token.approve(market.contracts.pool, MaxUint256));
  await mined(marketContracts(market, holder).pool.supply(listed.token, amount, holder.address, 0));
}
const harness = useLiveMarket({ skip, dist: DIST, multicall: true, prepare: listHostileToken, restoreEachTest: false });
let browser, chain, provider, server;
before(async () => ({ browser, chain, provider, server } = await harness));

/** A page with the harness market's live settings saved, recording dialogs and requests. */
async function openLive(query) {
  const ctx = await newTestContext(browser);
  await seedLocalStorage(ctx.context, { [SETTINGS_KEY]: harnessSettings({ chain, market: chain.market }, { poll_secs: 3600 }) });
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
  // Priced like any reserve: AaveOracle's $2 from its feed (the row is listed before its feed is read).
  const price = row.locator("[data-testid=price-value]");
  await row.locator("[data-testid=price-value]:not([data-value=''])").waitFor({ timeout: 30_000 });
  assert.equal(await price.getAttribute("data-value"), "2");
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
