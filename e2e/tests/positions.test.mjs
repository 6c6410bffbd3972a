// The Positions page on the harness market: the seeded accounts 1–4 (plain, stablecoin
// e-mode, isolation, legacy LTV-0/frozen/paused) watched with no wallet, each showing exactly
// the chain's getUserAccountData health factor, its aToken/debt-token balances and its flags;
// one made liquidatable by lowering the WETH feed; a second chain at a closed loopback port
// failing on its own while the first loads; the watch list in the link and localStorage; one
// click into the planner; and, with live data off, the snapshot's demo positions with not one
// request beyond the page's origin.
//
// The harness has no Multicall3, which the page reads through (ballast_chain::aave_position):
// it is deployed from viem's copy of its bytecode and moved to its canonical address.
// Needs BALLAST_DIST (the built site), like app.test.mjs.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { newTestContext } from "../lib/browser.mjs";
import { SETTINGS_KEY, harnessSettings, seedLocalStorage, useLiveMarket } from "../lib/live-market.mjs";
import { siteUnderTest, movePageClock } from "../lib/site.mjs";
import { mined } from "../harness/chain.mjs";
import { accountSigner } from "../harness/contracts.mjs";

const { DIST, skip } = siteUnderTest();
const T = { skip, timeout: 120_000 };
const WATCH_LIST_KEY = "ballast.watch-list";

const harness = useLiveMarket({ skip, dist: DIST, multicall: true });
let browser, chain, market, provider, c, server, closedPort;

/** A loopback port nothing listens on. */
async function freeClosedPort() {
  const srv = net.createServer();
  await new Promise((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

before(async () => {
  ({ browser, chain, market, provider, contracts: c, server } = await harness);
  closedPort = await freeClosedPort();
});

const account = (i) => market.accounts[i].address;

/** Settings for the harness market, as a user would save them (plus an Ethereum node that is not there). */
const liveSettings = (overrides = {}) =>
  harnessSettings({ chain, market }, {
    rpc_urls: { 31337: chain.rpcUrl, 1: `http://127.0.0.1:${closedPort}` },
    timeout_ms: 4000,
    ...overrides,
  });

/** Opens `query` with `saved` ({key: value}) in localStorage beforehand. */
async function open(query, saved = {}) {
  const ctx = await newTestContext(browser);
  await seedLocalStorage(ctx.context, saved);
  const page = await ctx.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${server.url}${query}`);
  await page.locator("[data-testid=positions-page]").waitFor({ timeout: 30_000 });
  return { ctx, page, requests };
}

const chainState = (page, id) => page.locator(`[data-testid=chain-status][data-chain-id="${id}"]`);
async function waitChain(page, id, state) {
  await page.locator(`[data-testid=chain-status][data-chain-id="${id}"][data-state="${state}"]`).waitFor({ timeout: 60_000 });
}
const position = (page, owner) => page.locator(`[data-testid=position][data-owner="${owner}"]`);
const dataValue = (loc) => loc.getAttribute("data-value");

/** `value / 10^decimals` written as the engine writes an exact terminating decimal. */
function exact(value, decimals) {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, "0");
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${negative ? "-" : ""}${int}${frac ? `.${frac}` : ""}`;
}
/** A health factor as shown: 2 decimals rounded down. */
function shownHf(hf) {
  const hundredths = hf / 10n ** 16n;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, "0")}`;
}
const decimalsOf = (symbol) => Number(market.reserves[symbol].decimals);

const RAY = 10n ** 27n;
const SECONDS_PER_YEAR = 31_536_000n;
const rayMul = (a, b) => (a * b + RAY / 2n) / RAY;
/**
 * Worked example: the APY of a yearly ray rate as the Pool compounds it over a year
 * (MathUtils.calculateCompoundedInterest, Aave V3.0.2: three terms of the binomial), less 1.
 */
function apyOf(rate) {
  const exp = SECONDS_PER_YEAR;
  const basePowerTwo = rayMul(rate, rate) / (SECONDS_PER_YEAR * SECONDS_PER_YEAR);
  const basePowerThree = rayMul(basePowerTwo, rate) / SECONDS_PER_YEAR;
  const secondTerm = (exp * (exp - 1n) * basePowerTwo) / 2n;
  const thirdTerm = (exp * (exp - 1n) * (exp - 2n) * basePowerThree) / 6n;
  return (rate * exp) / SECONDS_PER_YEAR + secondTerm + thirdTerm;
}

async function flags(pos) {
  return Object.fromEntries(
    await pos.locator("[data-testid=flag]").evaluateAll((els) => els.map((e) => [e.dataset.flag, e.dataset.value])),
  );
}

test("each seeded account shows the chain's health factor, its balances and its flags; a liquidatable one first", T, async () => {
  // Account 1 (10 WETH against 8,000 USDC at LT 82.5 %) is liquidatable below ~$970.
  await mined(c.priceFeed("WETH").connect(accountSigner(market, 0, provider)).updateAnswer(90_000_000_000n));
  const owners = [1, 2, 3, 4].map(account);
  const { ctx, page } = await open(`?view=positions&address=${owners.map((a) => a.toLowerCase()).join(",")}&chains=31337`, {
    [SETTINGS_KEY]: liveSettings(),
  });
  await waitChain(page, 31337, "done");
  assert.equal(await page.locator("[data-testid=position]").count(), 4);

  for (const owner of owners) {
    const pos = position(page, owner);
    const data = await c.pool.getUserAccountData(owner);
    const hf = data.healthFactor;
    assert.equal(await dataValue(pos.locator("[data-testid=hf]")), exact(hf, 18), owner);
    assert.equal(await pos.locator("[data-testid=hf]").innerText(), shownHf(hf), owner);
    assert.match(await pos.locator("[data-testid=hf-source]").innerText(), /getUserAccountData/);
    // LTV used: total debt over total collateral, both in the market's base currency.
    assert.equal(
      await dataValue(pos.locator("[data-testid=ltv-max]")),
      exact(data.ltv, 4),
      `${owner} max LTV`,
    );
    for (const line of await pos.locator("[data-testid=collateral-line]").all()) {
      const symbol = await line.getAttribute("data-asset");
      const balance = await c.aToken(symbol).balanceOf(owner);
      assert.equal(await dataValue(line.locator("[data-testid=line-amount]")), exact(balance, decimalsOf(symbol)), `${owner} ${symbol}`);
    }
    for (const line of await pos.locator("[data-testid=debt-line]").all()) {
      const symbol = await line.getAttribute("data-asset");
      const balance = await c.variableDebtToken(symbol).balanceOf(owner);
      assert.equal(await dataValue(line.locator("[data-testid=line-amount]")), exact(balance, decimalsOf(symbol)), `${owner} ${symbol} debt`);
    }
  }

  // APYs: the reserves' current rates compounded as the Pool does (worked out above).
  const reserve = async (symbol) => c.pool.getReserveData(market.reserves[symbol].address);
  const usdc = await reserve("USDC");
  const dai = await reserve("DAI");
  assert.ok(usdc.currentVariableBorrowRate > 0n && dai.currentLiquidityRate > 0n);
  const line = (owner, kind, symbol) =>
    position(page, owner).locator(`[data-testid=${kind}-line][data-asset="${symbol}"] [data-testid=line-apy]`);
  assert.equal(await dataValue(line(account(1), "debt", "USDC")), exact(apyOf(usdc.currentVariableBorrowRate), 27));
  assert.equal(await dataValue(line(account(2), "collateral", "DAI")), exact(apyOf(dai.currentLiquidityRate), 27));
  // The engine agrees with the chain on every seeded account: no warning is shown.
  assert.equal(await page.locator("[data-testid=warning]").count(), 0, await page.locator("[data-testid=warning]").allInnerTexts().then(String));

  const held = async (i, kind) =>
    (await position(page, account(i)).locator(`[data-testid=${kind}-line]`).evaluateAll((els) => els.map((e) => e.dataset.asset))).sort();
  assert.deepEqual(await held(1, "collateral"), ["WETH"]);
  assert.deepEqual(await held(1, "debt"), ["USDC"]);
  assert.deepEqual(await held(4, "collateral"), ["BAL", "CRV", "SNX", "WETH"]);
  assert.deepEqual(await held(4, "debt"), ["USDT"]);

  assert.deepEqual(await flags(position(page, account(1))), { liquidatable: "" });
  assert.equal(await position(page, account(1)).getAttribute("data-liquidatable"), "true");
  assert.deepEqual(await flags(position(page, account(2))), { emode: "1" });
  assert.deepEqual(await flags(position(page, account(3))), { isolation: "UNI" });
  assert.deepEqual(await flags(position(page, account(4))), { "ltv-zero": "CRV", frozen: "BAL", paused: "SNX" });

  // LTV used is the chain's debt over its collateral. Distance: with one collateral and one
  // debt, WETH's line is 1/HF − 1 away and USDC's HF − 1; below 1 the USDC line is the nearer.
  const data1 = await c.pool.getUserAccountData(account(1));
  const ltvUsed = Number(await dataValue(position(page, account(1)).locator("[data-testid=ltv-used]")));
  assert.ok(Math.abs(ltvUsed - Number(data1.totalDebtBase) / Number(data1.totalCollateralBase)) < 1e-12, String(ltvUsed));
  const distance = position(page, account(1)).locator("[data-testid=distance]");
  assert.equal(await distance.getAttribute("data-asset"), "USDC");
  const hfNumber = Number(data1.healthFactor) / 1e18;
  assert.ok(Math.abs(Number(await dataValue(distance)) - (hfNumber - 1)) < 1e-9, await dataValue(distance));

  // Riskiest first; the lowest health factor is the liquidatable one's.
  assert.equal(await page.locator("[data-testid=position]").first().getAttribute("data-owner"), account(1));
  const hf1 = (await c.pool.getUserAccountData(account(1))).healthFactor;
  assert.ok(hf1 < 10n ** 18n);
  assert.equal(await dataValue(page.locator("[data-testid=lowest-hf]")), exact(hf1, 18));
  // Totals: the sum of the rows' collateral.
  const rowsCollateral = await page
    .locator("[data-testid=position] [data-testid=collateral-line] [data-testid=line-usd]")
    .evaluateAll((els) => els.reduce((s, e) => s + Number(e.dataset.value), 0));
  const total = Number(await dataValue(page.locator("[data-testid=total-collateral]")));
  assert.ok(Math.abs(total - rowsCollateral) < 1e-6, `${total} vs ${rowsCollateral}`);
  ctx.assertNoErrors();
  await ctx.close();
});

test("an unreachable second chain shows its own error while the first loads", T, async () => {
  const { ctx, page } = await open(`?view=positions&address=${account(1)}&chains=31337,1`, { [SETTINGS_KEY]: liveSettings() });
  await waitChain(page, 31337, "done");
  await waitChain(page, 1, "failed");
  assert.match(await chainState(page, 1).locator("[data-testid=chain-status-text]").innerText(), /could not be read: .*127\.0\.0\.1/);
  assert.equal(await position(page, account(1)).count(), 1);
  assert.equal(await position(page, account(1)).getAttribute("data-chain"), "Local (anvil)");
  assert.deepEqual(ctx.blocked, []);
  await ctx.close();
});

test("a finished read says how old it is; after two minutes, that its figures may be out of date; Read again renews it", T, async () => {
  const { ctx, page } = await open(`?view=positions&address=${account(1)}&chains=31337`, { [SETTINGS_KEY]: liveSettings() });
  await waitChain(page, 31337, "done");
  const status = chainState(page, 31337);
  const text = () => status.locator("[data-testid=chain-status-text]").innerText();
  assert.match(await text(), /^1 position\(s\) found · read (just now|\d+ s ago)$/);
  assert.equal(await status.getAttribute("data-stale"), "false");
  assert.equal(await status.locator("[data-testid=chain-stale]").count(), 0);
  // The page's clock moves on by three minutes: the age follows within a tick of the page's.
  await movePageClock(page, 180_000);
  await page.locator('[data-testid=chain-status][data-chain-id="31337"][data-stale="true"]').waitFor({ timeout: 15_000 });
  assert.equal(await text(), "1 position(s) found · read 3 min ago");
  assert.match(await status.locator("[data-testid=chain-stale]").innerText(), /may be out of date.*Read again/);
  await page.locator("[data-testid=reload]").click();
  await page.locator('[data-testid=chain-status][data-chain-id="31337"][data-stale="false"]').waitFor({ timeout: 60_000 });
  assert.match(await text(), /^1 position\(s\) found · read (just now|\d+ s ago)$/);
  // Back to a tab that was hidden (where timers are throttled): the age is brought up to date at once,
  // not at the next 5 s tick (one frame after the event, well inside a tick).
  await movePageClock(page, 180_000);
  const staleAtOnce = await page.evaluate(async () => {
    document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return document.querySelector('[data-testid=chain-status][data-chain-id="31337"]').dataset.stale;
  });
  assert.equal(staleAtOnce, "true");
  ctx.assertNoErrors();
  await ctx.close();
});

test("watching an address with no wallet: checksum refused, lower case accepted, kept in the link and the watch list", T, async () => {
  const { ctx, page } = await open("?view=positions&chains=31337", {
    [SETTINGS_KEY]: liveSettings(),
    [WATCH_LIST_KEY]: { version: 1, addresses: ["0xnot-an-address"] },
  });
  assert.match(await page.locator("[data-testid=positions-notice]").innerText(), /saved watched address was skipped/);
  assert.equal(await page.locator("[data-testid=empty-state]").getAttribute("data-kind"), "no-address");
  assert.equal(await page.evaluate(() => typeof window.ethereum), "undefined");

  const owner = account(2);
  // One letter's case flipped: a mixed-case address whose checksum does not match.
  const flip = owner.replace(/[a-f]/, (ch) => ch.toUpperCase());
  assert.notEqual(flip, owner);
  await page.locator("[data-testid=watch-address]").fill(flip);
  await page.locator("[data-testid=watch]").click();
  assert.match(await page.locator("[data-testid=watch-error]").innerText(), /wrong checksum/);
  assert.equal(await page.locator("[data-testid=watched-address]").count(), 0);

  await page.locator("[data-testid=watch-address]").fill(owner.toLowerCase());
  await page.locator("[data-testid=watch]").click();
  await waitChain(page, 31337, "done");
  const hf = (await c.pool.getUserAccountData(owner)).healthFactor;
  assert.equal(await dataValue(position(page, owner).locator("[data-testid=hf]")), exact(hf, 18));
  assert.equal(new URL(page.url()).searchParams.get("address"), owner);
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), WATCH_LIST_KEY));
  assert.deepEqual(saved, { version: 1, addresses: [owner] });

  // Without the address in the link, the saved watch list is what is read.
  await page.goto(`${server.url}?view=positions&chains=31337`);
  await waitChain(page, 31337, "done");
  assert.equal(await position(page, owner).count(), 1);

  // Removing it empties the view, the link and the saved list.
  await page.locator(`[data-testid=watched-address][data-address="${owner}"] [data-testid=unwatch]`).click();
  await page.locator("[data-testid=empty-state][data-kind=no-address]").waitFor();
  assert.equal(await position(page, owner).count(), 0);
  assert.equal(new URL(page.url()).searchParams.get("address"), null);
  assert.deepEqual(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), WATCH_LIST_KEY)), { version: 1, addresses: [] });
  ctx.assertNoErrors();
  await ctx.close();
});

test("one click turns a live position into a planner scenario with the engine's same health factor", T, async () => {
  const owner = account(1);
  const { ctx, page } = await open(`?view=positions&address=${owner}&chains=31337`, { [SETTINGS_KEY]: liveSettings() });
  await waitChain(page, 31337, "done");
  const engineHf = await dataValue(position(page, owner).locator("[data-testid=engine-hf]"));
  assert.equal(engineHf, await dataValue(position(page, owner).locator("[data-testid=hf]")));
  await position(page, owner).locator("[data-testid=plan-link]").click();
  await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
  // The scenario rides in the fragment, which never reaches the host; the query does not carry it.
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("scenario"), null);
  assert.ok(url.hash.startsWith("#scenario=1."), url.hash.slice(0, 40));
  assert.equal(await dataValue(page.locator("[data-testid=health-factor]")), engineHf);
  ctx.assertNoErrors();
  await ctx.close();
});

test("live data off: the snapshot's demo positions, a note on how to watch, and no request beyond the page's origin", T, async () => {
  const { ctx, page, requests } = await open(`?view=positions&address=${account(1)}`);
  await page.locator("[data-testid=position]").first().waitFor();
  assert.equal(await page.locator("[data-testid=empty-state]").getAttribute("data-kind"), "live-off");
  assert.match(await page.locator("[data-testid=empty-state]").innerText(), /Turn on live data/);
  const chains = await page.locator("[data-testid=position]").evaluateAll((els) => [...new Set(els.map((e) => e.dataset.chain))]);
  assert.deepEqual(chains, ["Demo snapshot"]);
  await page.waitForTimeout(1500);
  assert.deepEqual(requests.filter((u) => !u.startsWith(server.url)), []);
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});
