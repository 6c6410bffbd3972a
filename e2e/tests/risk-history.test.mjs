// The Risk page's price history with live data on: a year of daily closes per asset from
// Pyth's history API (faked here with a Playwright route at its real address, so nothing
// leaves the machine; it wants the user's Pyth API key as a bearer token). The volatilities shown are those of the served closes; a
// fault falls back to the labelled synthetic series with a notice; with live data off
// nothing is requested.
//
// Needs BALLAST_DIST (the built site).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, useBrowser } from "../lib/site.mjs";

const { DIST, skip } = siteUnderTest();
const T = { skip, timeout: 90_000 };
const HISTORY = "https://pyth.dourolabs.app/v1/real_time/history";
const DAY = 86_400;
const SYMBOLS = {
  "Crypto.ETH/USD": { start: 3000, daily: 0.04 },
  "Crypto.WSTETH/USD": { start: 3500, daily: 0.041 },
  "Crypto.WBTC/USD": { start: 90_000, daily: 0.03 },
  "Crypto.LINK/USD": { start: 15, daily: 0.05 },
  "Crypto.USDC/USD": { start: 1, daily: 0.0005 },
  "Crypto.USDT/USD": { start: 1, daily: 0.0004 },
  "Crypto.DAI/USD": { start: 1, daily: 0.0006 },
};

/** Deterministic closes per symbol and day: a random walk from an LCG seeded by the symbol. */
function closesFor(symbol, days) {
  const { start, daily } = SYMBOLS[symbol];
  let seed = [...symbol].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  let price = start;
  return days.map(() => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    price *= Math.exp(daily * (seed / 2 ** 32 - 0.5) * 3.4);
    return Number(price.toFixed(8));
  });
}

/** The UDF body the service sends for a request URL (bars opening at 00:00 UTC in [from, to]). */
function historyBody(url) {
  const q = new URL(url).searchParams;
  const symbol = q.get("symbol");
  if (!SYMBOLS[symbol] || q.get("resolution") !== "D") return { s: "error", errmsg: `unknown ${symbol}` };
  const days = [];
  for (let t = Math.ceil(Number(q.get("from")) / DAY) * DAY; t <= Number(q.get("to")); t += DAY) days.push(t);
  const c = closesFor(symbol, days);
  return { s: "ok", t: days, o: c, h: c, l: c, c, v: days.map(() => 0) };
}

const simpleVolatility = (closes) => {
  const r = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  return Math.sqrt((r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1)) * 365);
};
const ewmaVolatility = (closes, lambda = 0.94) => {
  const r = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
  let [weighted, weights, w] = [0, 0, 1];
  for (const x of r.reverse()) {
    weighted += w * x * x;
    weights += w;
    w *= lambda;
  }
  return Math.sqrt((weighted / weights) * 365);
};
/** The page's rounding of a percentage into a field: four decimals, no trailing zeros. */
const trimmed = (x) => x.toFixed(4).replace(/0+$/, "").replace(/\.$/, "");

const { newContext } = useBrowser(skip);
let server;
before(async () => {
  if (!skip) server = await startStaticServer(DIST);
});
after(async () => {
  await server?.close();
});

/** The Risk page with `settings` saved (null: none) and the history API faked by `serve(url, headers)`. */
async function openRisk(settings, serve) {
  const ctx = await newContext();
  if (settings) {
    await ctx.context.addInitScript(
      // Only before the page saves its own: a key saved on the page outlives a navigation.
      ([key, value]) => {
        if (location.protocol === "http:" && window.localStorage.getItem(key) === null) window.localStorage.setItem(key, value);
      },
      ["ballast.chain-settings", JSON.stringify(settings)],
    );
  }
  const page = await ctx.newPage();
  const asked = [];
  const headers = [];
  // Routed before the fence (page routes come first): the request never leaves Chromium.
  await page.route(`${HISTORY}?**`, async (route) => {
    const sent = await route.request().allHeaders();
    asked.push(route.request().url());
    headers.push(sent);
    const { status, body } = serve(route.request().url(), sent);
    return route.fulfill({
      status,
      contentType: "application/json",
      headers: { "access-control-allow-origin": "*" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  });
  await page.goto(`${server.url}?view=risk`);
  await page.locator("[data-testid=risk-page]").waitFor({ timeout: 30_000 });
  return { ctx, page, asked, headers };
}

const KEY = "pk-history-7Yt.e2e";
const LIVE = { version: 1, live_data: true, pyth_api_key: KEY };
const row = (page, asset) => page.locator(`.risk-inputs tr[data-asset="${asset}"]`);

test("live data on: a year of Pyth's daily closes sets the volatilities shown and used", T, async () => {
  const { ctx, page, asked, headers } = await openRisk(LIVE, (url) => ({ status: 200, body: historyBody(url) }));
  const source = page.locator("[data-testid=risk-history-source]");
  await source.waitFor({ timeout: 30_000 });
  // One request per Pyth symbol (WETH and ETH share ether's), daily bars of a year before today.
  assert.equal(asked.length, 7, asked.join("\n"));
  for (const h of headers) assert.equal(h.authorization, `Bearer ${KEY}`);
  const first = new URL(asked[0]).searchParams;
  assert.equal(first.get("resolution"), "D");
  const to = Number(first.get("to"));
  const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
  assert.equal(to, today - 1, "today's unfinished bar is left out");
  assert.equal(Number(first.get("from")), today - 366 * DAY);
  const iso = (t) => new Date(t * 1000).toISOString().slice(0, 10);
  assert.equal(
    await source.innerText(),
    `Price history: Pyth history (pyth.dourolabs.app): 366 daily closes from ${iso(today - 366 * DAY)} to ${iso(today - DAY)}, ` +
      "7 symbols (Crypto.ETH/USD, Crypto.WSTETH/USD, Crypto.WBTC/USD, Crypto.LINK/USD, Crypto.USDC/USD, Crypto.USDT/USD, Crypto.DAI/USD).",
  );
  assert.match(await page.locator("[data-testid=risk-inputs-source]").innerText(), /^Pyth history \(pyth\.dourolabs\.app\): volatilities are the EWMA estimates/);

  // WBTC's figures against the closes served, computed here.
  const days = [];
  for (let t = today - 366 * DAY; t <= to; t += DAY) days.push(t);
  const wbtc = closesFor("Crypto.WBTC/USD", days);
  const simple = Number(await row(page, "WBTC").locator("[data-testid=risk-simple-volatility]").getAttribute("data-value"));
  const ewma = Number(await row(page, "WBTC").locator("[data-testid=risk-ewma-volatility]").getAttribute("data-value"));
  assert.ok(Math.abs(simple / simpleVolatility(wbtc) - 1) < 1e-9, `simple ${simple} vs ${simpleVolatility(wbtc)}`);
  assert.ok(Math.abs(ewma / ewmaVolatility(wbtc) - 1) < 1e-9, `EWMA ${ewma} vs ${ewmaVolatility(wbtc)}`);
  assert.equal(await row(page, "WBTC").locator("[data-testid=risk-simple-volatility]").innerText(), `${(simpleVolatility(wbtc) * 100).toFixed(1)} %`);
  // The run uses the EWMA estimate, not the demo's 55 %.
  assert.equal(await row(page, "WBTC").locator("[data-testid=risk-volatility]").inputValue(), trimmed(ewmaVolatility(wbtc) * 100));
  assert.notEqual(trimmed(ewmaVolatility(wbtc) * 100), "55");
  // The Default column keeps the demo's assumption beside the estimate it was replaced by.
  assert.equal(await row(page, "WBTC").locator("[data-testid=risk-default-volatility]").innerText(), "55 %");
  assert.equal(await page.locator("[data-testid=risk-start]").isDisabled(), false);
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a 500 from the service falls back to the synthetic series, with a notice", T, async () => {
  const { ctx, page, asked } = await openRisk(LIVE, (url) =>
    url.includes("WBTC") ? { status: 500, body: "upstream error" } : { status: 200, body: historyBody(url) },
  );
  const fault = page.locator("[data-testid=risk-history-fault]");
  await fault.waitFor({ timeout: 30_000 });
  assert.match(await fault.innerText(), /Live price history could not be used \(pyth\.dourolabs\.app answered HTTP 500\); the figures below use the synthetic demo series/);
  assert.ok(asked.some((u) => u.includes("WBTC")));
  assert.equal(await page.locator("[data-testid=risk-history-source]").count(), 0);
  // The demo's assumptions and its labelled synthetic series.
  assert.equal(await row(page, "WBTC").locator("[data-testid=risk-volatility]").inputValue(), "55");
  assert.match(await page.locator("[data-testid=risk-inputs-source]").innerText(), /not market data.*synthetic demo series/s);
  assert.equal(await page.locator("[data-testid=risk-start]").isDisabled(), false);
  // The failed fetch is the browser's console error; nothing else.
  ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !/status of 500/.test(e.text)));
  ctx.assertNoErrors();
  await ctx.close();
});

test("a body that is no history (no_data) falls back too, naming the symbol", T, async () => {
  const { ctx, page } = await openRisk(LIVE, () => ({ status: 200, body: { s: "no_data", nextTime: 1 } }));
  const fault = page.locator("[data-testid=risk-history-fault]");
  await fault.waitFor({ timeout: 30_000 });
  assert.match(await fault.innerText(), /Crypto\.ETH\/USD: the service answered "no_data"/);
  ctx.assertNoErrors();
  await ctx.close();
});

test("live data off: the synthetic series and no request for history", T, async () => {
  const { ctx, page, asked } = await openRisk(null, (url) => ({ status: 200, body: historyBody(url) }));
  await row(page, "WETH").waitFor();
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(1000);
  assert.deepEqual(asked, []);
  assert.equal(await page.locator("[data-testid=risk-history-source], [data-testid=risk-history-fault], [data-testid=risk-history-loading]").count(), 0);
  assert.match(await page.locator("[data-testid=risk-inputs-source]").innerText(), /synthetic/);
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});

test("without the Pyth API key: the 401 is named with its fix, asked once, then history once the key is entered", T, async () => {
  const withKey = (url, sent) =>
    sent.authorization === `Bearer ${KEY}` ? { status: 200, body: historyBody(url) } : { status: 401, body: { error: "unauthorized" } };
  // Settings saved before the key existed: the retired benchmarks URL moves to the new default.
  const old = { version: 1, live_data: true, benchmarks_url: "https://benchmarks.pyth.network" };
  const { ctx, page, asked, headers } = await openRisk(old, withKey);
  assert.equal(
    await page.locator("[data-testid=risk-history-key]").innerText(),
    "No Pyth API key is set. Pyth needs an API key since 26 Aug 2026: add yours in Settings → Pyth API key.",
  );
  const fault = page.locator("[data-testid=risk-history-fault]");
  await fault.waitFor({ timeout: 30_000 });
  assert.match(
    await fault.innerText(),
    /^Live price history could not be used \(Pyth history answered HTTP 401 — Pyth needs an API key since 26 Aug 2026: add yours in Settings → Pyth API key\); the figures below use the synthetic demo series/,
  );
  // One attempt, stopped at the first refusal; not repeated on its own.
  await page.waitForTimeout(1500);
  assert.equal(asked.length, 1, asked.join("\n"));
  assert.ok(asked[0].startsWith(`${HISTORY}?symbol=Crypto.ETH%2FUSD&from=`), asked[0]);
  assert.equal(headers[0].authorization, undefined);
  assert.equal(await row(page, "WBTC").locator("[data-testid=risk-volatility]").inputValue(), "55");
  // "Try again" is one more attempt.
  await page.locator("[data-testid=risk-history-retry]").click();
  await page.waitForFunction(() => document.querySelector("[data-testid=risk-history-fault]"), null, { timeout: 30_000 });
  assert.equal(asked.length, 2);

  // The key entered where the message says, then back to the Risk page.
  await page.goto(`${server.url}?view=prices`);
  await page.locator("[data-testid=chain-settings] summary").click();
  await page.locator("[data-testid=pyth-api-key]").fill(KEY);
  await page.locator("[data-testid=save-settings]").click();
  await page.locator("[data-testid=settings-saved]").waitFor();
  await page.goto(`${server.url}?view=risk`);
  const source = page.locator("[data-testid=risk-history-source]");
  await source.waitFor({ timeout: 30_000 });
  assert.match(await source.innerText(), /^Price history: Pyth history \(pyth\.dourolabs\.app\): 366 daily closes/);
  assert.equal(await page.locator("[data-testid=risk-history-key]").count(), 0);
  assert.equal(asked.length, 2 + 7);
  for (const h of headers.slice(2)) assert.equal(h.authorization, `Bearer ${KEY}`);
  for (const url of asked) assert.ok(!url.includes(KEY), url);
  const stored = await page.evaluate(() => Object.entries(localStorage));
  for (const [k, v] of stored) assert.equal(v.includes(KEY), k === "ballast.chain-settings", k);
  ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !/status of 401|ERR_BLOCKED_BY_CLIENT/.test(e.text)));
  ctx.assertNoErrors();
  await ctx.close();
});
