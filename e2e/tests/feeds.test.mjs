// The Prices page on the harness market: every price with its source, round, age and
// status, read with one JSON-RPC batch per refresh; stale, invalid and adapter prices;
// the sequencer banners; node faults keeping the last good value; and, with live data
// off, not one request beyond the page's origin.
//
// The chain's clock starts at 2026-01-01 while the browser's is the wall clock, so every
// age is judged by block time (mineAt / evm_setNextBlockTimestamp), never by waiting.
// Needs BALLAST_DIST (the built site), like app.test.mjs.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { newTestContext } from "../lib/browser.mjs";
import { useLiveMarket } from "../lib/live-market.mjs";
import { siteUnderTest } from "../lib/site.mjs";
import { latestBlock, mineAt, mined } from "../harness/chain.mjs";
import { accountSigner } from "../harness/contracts.mjs";

const { DIST, skip } = siteUnderTest();
const T = { skip, timeout: 120_000 };
const SETTINGS_KEY = "ballast.chain-settings";

const harness = useLiveMarket({ skip, dist: DIST });
let browser, chain, market, provider, c, server;
before(async () => ({ browser, chain, market, provider, contracts: c, server } = await harness));

const admin = () => accountSigner(market, 0, provider);

/** Settings for the harness market, as a user would save them. */
function liveSettings(overrides = {}) {
  return {
    version: 1,
    live_data: true,
    market_chain_id: 31337,
    rpc_urls: { 31337: chain.rpcUrl },
    addresses_providers: { 31337: market.contracts.poolAddressesProvider },
    heartbeats: { WETH: 3600, WBTC: 3600, USDC: 86400, DAI: 3600, USDT: 86400, CRV: 86400, UNI: 86400, BAL: 86400, SNX: 86400 },
    // Polling far apart: each test refreshes by hand and counts what it sends.
    poll_secs: 3600,
    ...overrides,
  };
}

/** Opens the Prices page with `settings` saved beforehand (null: nothing saved). */
async function openPrices(settings) {
  const ctx = await newTestContext(browser);
  if (settings) {
    await ctx.context.addInitScript(
      // Only on the app's own pages: about:blank has no storage.
      ([key, value]) => {
        if (location.protocol === "http:") window.localStorage.setItem(key, value);
      },
      [SETTINGS_KEY, JSON.stringify(settings)],
    );
  }
  const page = await ctx.newPage();
  const requests = [];
  page.on("request", (r) => requests.push({ url: r.url(), method: r.method() }));
  await page.goto(`${server.url}?view=prices`);
  await page.locator("[data-testid=prices-page]").waitFor({ timeout: 30_000 });
  return { ctx, page, requests };
}

const row = (page, symbol) => page.locator(`[data-testid=price-row][data-symbol="${symbol}"]`);
const refreshes = async (page) => Number(await page.locator("[data-testid=block-age]").getAttribute("data-refreshes"));

/** Waits for the first refresh of a live page. */
async function firstRefresh(page) {
  await page.waitForFunction(
    () => Number(document.querySelector("[data-testid=block-age]")?.dataset.refreshes ?? 0) >= 1,
    null,
    { timeout: 30_000 },
  );
}

/** Clicks Refresh and waits until that refresh is on screen. */
async function refresh(page) {
  const before = await refreshes(page);
  await page.locator("[data-testid=refresh]:not([disabled])").click({ timeout: 30_000 });
  await page.waitForFunction(
    (n) => Number(document.querySelector("[data-testid=block-age]")?.dataset.refreshes ?? 0) > n,
    before,
    { timeout: 30_000 },
  );
}

async function shown(page, symbol) {
  const r = row(page, symbol);
  const status = r.locator("[data-testid=price-status]");
  return {
    value: await r.locator("[data-testid=price-value]").getAttribute("data-value"),
    status: await status.getAttribute("data-status"),
    age: await status.getAttribute("data-age"),
    text: await status.innerText(),
    round: await r.locator("[data-testid=price-round]").innerText(),
    fault: (await r.locator("[data-testid=price-fault]").count()) ? await r.locator("[data-testid=price-fault]").innerText() : null,
  };
}

test("live data off: the snapshot's prices, marked as such, and no request beyond the page's origin", T, async () => {
  const { ctx, page, requests } = await openPrices(null);
  await row(page, "WETH").waitFor();
  assert.equal(await page.locator("[data-testid=live-data]").isChecked(), false);
  assert.match(await page.locator("[data-testid=data-source]").innerText(), /^Snapshot · saved /);
  const statuses = await page.locator("[data-testid=price-status]").evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length >= 3);
  assert.deepEqual([...new Set(statuses)], ["snapshot"]);
  // Long enough for any timer-driven request to have gone out.
  await page.waitForTimeout(1500);
  const foreign = requests.filter((r) => !r.url.startsWith(server.url));
  assert.deepEqual(foreign, [], "requests beyond the page's origin");
  assert.deepEqual(ctx.blocked, []);
  ctx.assertNoErrors();
  await ctx.close();
});

test("new rounds reach the page, one HTTP request per refresh", T, async () => {
  await mined(c.priceFeed("WETH").connect(admin()).updateAnswer(310_000_000_000n));
  const { ctx, page, requests } = await openPrices(liveSettings());
  await firstRefresh(page);
  const [roundId] = await c.priceFeed("WETH").latestRoundData();
  let weth = await shown(page, "WETH");
  assert.equal(weth.value, "3100");
  assert.equal(await page.locator("[data-testid=data-source]").innerText(), "Live · from your endpoints");
  assert.equal(weth.round, roundId.toString());
  assert.equal(weth.status, "fresh");
  // AaveOracle's own price of the reserve, beside its source's.
  assert.equal(await row(page, "WETH").locator("[data-testid=aave-price]").innerText(), "3100");
  assert.match(await row(page, "WETH").locator("[data-testid=price-source]").innerText(), /Chainlink feed/);
  assert.match(await row(page, "WETH").locator("[data-testid=price-heartbeat]").innerText(), /1 h 0 min \(unverified: set in your settings\)/);

  await mined(c.priceFeed("WETH").connect(admin()).updateAnswer(320_050_000_000n));
  const sentBefore = requests.filter((r) => r.url.startsWith(chain.rpcUrl) && r.method === "POST").length;
  await refresh(page);
  const sent = requests.filter((r) => r.url.startsWith(chain.rpcUrl) && r.method === "POST").length - sentBefore;
  assert.equal(sent, 1, "one batch per refresh, for ten reserves");
  weth = await shown(page, "WETH");
  assert.equal(weth.value, "3200.5");
  assert.equal(weth.round, (roundId + 1n).toString());
  // The block's age against the wall clock is shown (the test chain lives in 2026-01).
  const lag = Number(await page.locator("[data-testid=block-age]").getAttribute("data-lag"));
  const { timestamp } = await latestBlock(provider);
  assert.ok(Math.abs(lag - (Math.floor(Date.now() / 1000) - timestamp)) <= 5, `lag ${lag}`);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a round older than heartbeat + slack is stale, judged by block time", T, async () => {
  await mined(c.priceFeed("WETH").connect(admin()).updateAnswer(300_000_000_000n));
  const { timestamp: updatedAt } = await latestBlock(provider);
  const { ctx, page } = await openPrices(liveSettings());
  await firstRefresh(page);
  assert.equal((await shown(page, "WETH")).status, "fresh");
  // Still fresh 80 s short of the limit (the page's age keeps running with the wall clock).
  await mineAt(provider, updatedAt + 3700);
  await refresh(page);
  assert.equal((await shown(page, "WETH")).status, "fresh");
  await mineAt(provider, updatedAt + 3781);
  await refresh(page);
  const weth = await shown(page, "WETH");
  assert.equal(weth.status, "stale");
  assert.ok(Number(weth.age) >= 3781, weth.age);
  assert.match(weth.text, /past 3780 s/);
  ctx.assertNoErrors();
  await ctx.close();
});

test("answers of 0 and below are invalid; the adapter-priced asset's age is unknown", T, async () => {
  const { ctx, page } = await openPrices(liveSettings());
  await firstRefresh(page);
  const wsteth = await shown(page, "wstETH");
  assert.equal(wsteth.status, "age-unknown");
  assert.equal(wsteth.value, "3540");
  assert.equal(wsteth.round, "none");
  assert.match(await row(page, "wstETH").locator("[data-testid=price-underlying]").innerText(), /wraps a feed at 3000/);

  await mined(c.priceFeed("WBTC").connect(admin()).updateAnswer(0n));
  await refresh(page);
  let wbtc = await shown(page, "WBTC");
  assert.equal(wbtc.status, "invalid");
  assert.match(wbtc.text, /the answer 0 is not above zero/);
  await mined(c.priceFeed("WBTC").connect(admin()).updateAnswer(-100_000_000n));
  await refresh(page);
  wbtc = await shown(page, "WBTC");
  assert.equal(wbtc.status, "invalid");
  assert.match(wbtc.text, /the answer -100000000 is not above zero/);
  ctx.assertNoErrors();
  await ctx.close();
});

test("sequencer down, then back up with the grace period counting down", T, async () => {
  const { ctx, page } = await openPrices(liveSettings());
  await firstRefresh(page);
  assert.equal(await page.locator("[data-testid=sequencer-banner]").count(), 0);
  // USDC's heartbeat is a day: young enough to be fresh here, so what changes below is the sequencer.
  assert.equal((await shown(page, "USDC")).status, "fresh");
  const feed = c.sequencerFeed.connect(admin());
  await mined(feed.setStatus(true));
  await refresh(page);
  const banner = page.locator("[data-testid=sequencer-banner]");
  assert.equal(await banner.getAttribute("data-state"), "sequencer-down");
  assert.match(await banner.innerText(), /Sequencer down/);
  // While it is down no price is called fresh, however young at the block.
  const usdc = await shown(page, "USDC");
  assert.equal(usdc.status, "sequencer-down");
  assert.match(usdc.text, /^not usable: the sequencer is down \(.* old at the latest block\)$/);

  const { timestamp: upAt } = await latestBlock(provider);
  await mined(feed.setStatusAt(false, upAt));
  await mineAt(provider, upAt + 600);
  await refresh(page);
  assert.equal(await banner.getAttribute("data-state"), "grace-period");
  // 3600 s grace, 600 s gone at the block: the gate opens 3001 s later (strictly after).
  assert.match(await banner.innerText(), /grace period ends in (50 min 1 s|50 min 0 s|49 min 5\d s)/);
  assert.equal((await shown(page, "USDC")).status, "sequencer-grace");
  await mineAt(provider, upAt + 3601);
  await refresh(page);
  assert.equal(await banner.count(), 0);
  assert.ok(!(await shown(page, "USDC")).status.startsWith("sequencer-"), "live again once the grace period is over");
  ctx.assertNoErrors();
  await ctx.close();
});

/** A proxy in front of anvil that can fail the way nodes do. */
async function startFaultyNode(target) {
  let mode = "pass";
  const srv = http.createServer(async (req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" };
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString();
    if (mode === "500") return res.writeHead(500, cors).end("internal error");
    if (mode === "garbage") return res.writeHead(200, { ...cors, "content-type": "application/json" }).end("<html>502 Bad Gateway</html>");
    if (mode === "slow") await new Promise((r) => setTimeout(r, 3000));
    const upstream = await fetch(target, { method: "POST", headers: { "content-type": "application/json" }, body });
    let text = await upstream.text();
    if (mode === "wrong-chain") {
      const answers = JSON.parse(text);
      for (const a of answers) if (a.id === 0) a.result = "0xa";
      text = JSON.stringify(answers);
    }
    if (!res.writableEnded && !res.destroyed) res.writeHead(200, { ...cors, "content-type": "application/json" }).end(text);
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    setMode: (m) => (mode = m),
    close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }),
  };
}

test("node faults show on the prices; the last good value stays, marked stale with its age", T, async () => {
  await mined(c.priceFeed("WETH").connect(admin()).updateAnswer(300_000_000_000n));
  const node = await startFaultyNode(chain.rpcUrl);
  try {
    const settings = liveSettings({ rpc_urls: { 31337: node.url }, timeout_ms: 1000 });
    const { ctx, page } = await openPrices(settings);
    await firstRefresh(page);
    assert.equal((await shown(page, "WETH")).status, "fresh");
    for (const [mode, message] of [
      ["500", /answered HTTP 500/],
      ["garbage", /not usable: the response is not JSON-RPC 2.0/],
      ["wrong-chain", /is on chain 10, not 31337 \(Local \(anvil\)\): its answers are not used/],
      ["slow", /did not answer within 1 s/],
    ]) {
      node.setMode(mode);
      await refresh(page);
      const weth = await shown(page, "WETH");
      assert.equal(weth.value, "3000", mode);
      assert.equal(weth.status, "stale", mode);
      assert.match(weth.text, /stale: last good value, .* old/, mode);
      assert.match(weth.fault ?? "", message, `${mode}: ${weth.fault}`);
    }
    node.setMode("pass");
    await refresh(page);
    const weth = await shown(page, "WETH");
    assert.equal(weth.fault, null);
    assert.equal(weth.status, "fresh");
    await ctx.close();
  } finally {
    await node.close();
  }
});

test("a reverting feed fails only its own price", T, async () => {
  // A source that is not a contract: its eth_call returns no data, in the same batch as the others.
  const { ctx, page } = await openPrices(liveSettings());
  await firstRefresh(page);
  await provider.send("anvil_setCode", [market.reserves.CRV.priceFeed, "0x60006000fd"]); // PUSH 0 PUSH 0 REVERT
  await refresh(page);
  const crv = await shown(page, "CRV");
  assert.equal(crv.status, "stale");
  assert.match(crv.fault ?? "", /node error|reverted/);
  assert.equal((await shown(page, "WETH")).fault, null);
  await ctx.close();
});

const ETH_USD_PYTH = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";
const BTC_USD_PYTH = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";

/**
 * A Hermes stand-in: recorded-shape answers for ETH/USD, and the faults Hermes can have.
 * With `key`, it answers 401 (as Hermes does since 26 Aug 2026) unless the request carries
 * `Authorization: Bearer <key>`; `headers` keeps each GET's headers.
 */
async function startHermes({ key } = {}) {
  let mode = "ok";
  let price = "301500000000"; // expo -8
  const requests = [];
  const headers = [];
  const srv = http.createServer(async (req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "authorization" };
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    requests.push(req.url);
    headers.push(req.headers);
    if (key && req.headers.authorization !== `Bearer ${key}`) {
      return res.writeHead(401, { ...cors, "content-type": "application/json" }).end('{"error":"unauthorized"}');
    }
    if (mode === "500") return res.writeHead(500, cors).end("upstream error");
    if (mode === "garbage") return res.writeHead(200, { ...cors, "content-type": "application/json" }).end('{"parsed": [{"id": 7}]');
    if (mode === "slow") await new Promise((r) => setTimeout(r, 3000));
    const id = mode === "mismatched" ? BTC_USD_PYTH : ETH_USD_PYTH;
    const publishTime = Math.floor(Date.now() / 1000) - 2;
    const entry = (p, conf) => ({ price: p, conf, expo: -8, publish_time: publishTime });
    const body = {
      binary: { encoding: "hex", data: ["504e41550100000003b80100"] },
      parsed: [{ id, price: entry(price, "150000000"), ema_price: entry(price, "120000000"), metadata: { slot: 1 } }],
    };
    if (!res.destroyed) res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise((r) => srv.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    requests,
    headers,
    setMode: (m) => (mode = m),
    setPrice: (p) => (price = p),
    close: () => new Promise((r) => { srv.closeAllConnections?.(); srv.close(r); }),
  };
}

test("Pyth beside Chainlink: confidence, deviation against the threshold, and Hermes faults", T, async () => {
  await mined(c.priceFeed("WETH").connect(admin()).updateAnswer(300_000_000_000n));
  const hermes = await startHermes();
  try {
    const settings = liveSettings({
      hermes_url: hermes.url,
      pyth_feed_ids: { WETH: `0x${ETH_USD_PYTH}` },
      deviation_bps: { WETH: 50 },
      timeout_ms: 1000,
    });
    const { ctx, page } = await openPrices(settings);
    await firstRefresh(page);
    const cell = row(page, "WETH").locator("[data-testid=pyth]");
    assert.equal(await cell.locator("[data-testid=pyth-price]").getAttribute("data-value"), "3015");
    assert.equal(await cell.locator("[data-testid=pyth-conf]").innerText(), "1.5");
    assert.equal(await cell.locator("[data-testid=pyth-status]").getAttribute("data-status"), "fresh");
    const deviation = cell.locator("[data-testid=pyth-deviation]");
    assert.equal(await deviation.getAttribute("data-percent"), "0.5000");
    assert.equal(await deviation.getAttribute("data-warn"), "false", "exactly at the threshold is not above it");
    assert.equal(hermes.requests.length, 1, "one Hermes request per refresh");
    assert.match(hermes.requests[0], new RegExp(`ids%5B%5D=0x${ETH_USD_PYTH}`));

    hermes.setPrice("310000000000");
    await refresh(page);
    assert.equal(await deviation.getAttribute("data-percent"), "3.3333");
    assert.equal(await deviation.getAttribute("data-warn"), "true");
    assert.match(await deviation.innerText(), /⚠ 3\.3333 % from Chainlink \(threshold 0\.50 %\)/);

    for (const [mode, message] of [
      ["500", /Hermes: .* answered HTTP 500/],
      ["slow", /Hermes: .* did not answer within 1 s/],
      ["garbage", /Hermes: the body is not a Hermes price update/],
      ["mismatched", /Hermes: Hermes sent feed 0xe62df6c8.* which was not asked for/],
    ]) {
      hermes.setMode(mode);
      await refresh(page);
      assert.equal(await cell.locator("[data-testid=pyth-price]").getAttribute("data-value"), "3100", mode);
      assert.equal(await cell.locator("[data-testid=pyth-status]").getAttribute("data-status"), "stale", mode);
      assert.match(await cell.locator("[data-testid=pyth-fault]").innerText(), message, mode);
      // Chainlink's price is untouched by Pyth's fault.
      assert.equal((await shown(page, "WETH")).status, "fresh", mode);
    }
    await ctx.close();
  } finally {
    await hermes.close();
  }
});

test("Hermes without the Pyth API key: 401 named with its fix, asked once, then prices with the key", T, async () => {
  await mined(c.priceFeed("WETH").connect(admin()).updateAnswer(300_000_000_000n));
  const KEY = "pk-e2e-Zq81.secret_key";
  const hermes = await startHermes({ key: KEY });
  try {
    // Polling every second: the chain keeps being read while Hermes, having refused, is left alone.
    const settings = liveSettings({ hermes_url: hermes.url, pyth_feed_ids: { WETH: `0x${ETH_USD_PYTH}` }, poll_secs: 1 });
    const { ctx, page, requests } = await openPrices(settings);
    assert.match(
      await page.locator("[data-testid=pyth-key-notice]").innerText(),
      /^No Pyth API key is set\. Pyth needs an API key since 26 Aug 2026: add yours in Settings → Pyth API key\./,
    );
    await firstRefresh(page);
    const cell = row(page, "WETH").locator("[data-testid=pyth]");
    assert.equal(
      await cell.locator("[data-testid=pyth-fault]").innerText(),
      "Hermes answered HTTP 401 — Pyth needs an API key since 26 Aug 2026: add yours in Settings → Pyth API key. " +
        "Hermes is not asked again until a key is saved or you press Refresh.",
    );
    assert.equal(await cell.locator("[data-testid=pyth-price]").count(), 0);
    // Chainlink is unaffected.
    assert.equal((await shown(page, "WETH")).status, "fresh");
    assert.equal(hermes.requests.length, 1);
    assert.equal(hermes.headers[0].authorization, undefined);
    // Three more refreshes on the timer: Hermes is not asked again.
    const before = await refreshes(page);
    await page.waitForFunction(
      (n) => Number(document.querySelector("[data-testid=block-age]")?.dataset.refreshes ?? 0) >= n + 3,
      before,
      { timeout: 30_000 },
    );
    assert.equal(hermes.requests.length, 1, "no request storm while the key is missing");
    // A manual refresh is a retry.
    await refresh(page);
    assert.equal(hermes.requests.length, 2);

    // The key, entered in the settings: hidden as typed, shown on request, saved.
    await page.locator("[data-testid=chain-settings] summary").click();
    const field = page.locator("[data-testid=pyth-api-key]");
    assert.equal(await field.getAttribute("type"), "password");
    await field.fill("bad key");
    await page.locator("[data-testid=save-settings]").click();
    assert.equal(
      await page.locator("[data-testid=settings-error]").innerText(),
      "the Pyth API key may hold only visible ASCII characters (no spaces or line breaks)",
    );
    await field.fill(` ${KEY} `);
    await page.locator("[data-testid=pyth-api-key-show]").click();
    assert.equal(await field.getAttribute("type"), "text");
    await page.locator("[data-testid=pyth-api-key-show]").click();
    assert.equal(await field.getAttribute("type"), "password");
    await page.locator("[data-testid=save-settings]").click();
    await page.locator("[data-testid=settings-saved]").waitFor();
    await cell.locator("[data-testid=pyth-price]").waitFor({ timeout: 30_000 });
    assert.equal(await cell.locator("[data-testid=pyth-price]").getAttribute("data-value"), "3015");
    assert.equal(await cell.locator("[data-testid=pyth-status]").getAttribute("data-status"), "fresh");
    assert.equal(await cell.locator("[data-testid=pyth-fault]").count(), 0);
    assert.equal(await page.locator("[data-testid=pyth-key-notice]").count(), 0);
    const authorized = hermes.headers.filter((h) => h.authorization);
    assert.ok(authorized.length >= 1);
    for (const h of authorized) {
      assert.equal(h.authorization, `Bearer ${KEY}`);
      assert.equal(h.cookie, undefined, "no cookies go with the key");
    }

    // The key is in no URL, and in local storage only inside the settings entry.
    for (const url of [...hermes.requests, ...requests.map((r) => r.url)]) assert.ok(!url.includes(KEY), url);
    const stored = await page.evaluate(() => Object.entries(localStorage));
    for (const [k, v] of stored) assert.equal(v.includes(KEY) || k.includes(KEY), k === SETTINGS_KEY, k);
    assert.equal(JSON.parse(stored.find(([k]) => k === SETTINGS_KEY)[1]).pyth_api_key, KEY);

    // Nor in an exported scenario or a share link.
    await page.goto(`${server.url}?position=aave-demo`);
    await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export]")]);
    const exported = readFileSync(await download.path(), "utf8");
    assert.match(exported, /"assets"/);
    assert.ok(!exported.includes(KEY), "the export holds no key");
    await page.click("[data-testid=share]");
    const link = await page.locator("[data-testid=share-link]").inputValue();
    assert.ok(link.length > 20 && !link.includes(KEY), "the share link holds no key");
    assert.ok(!page.url().includes(KEY));
    ctx.errors.splice(0, ctx.errors.length, ...ctx.errors.filter((e) => !/status of 401/.test(e.text)));
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await hermes.close();
  }
});

test("settings through the page: a bad endpoint is named and not saved; the local market is found from its provider", T, async () => {
  const { ctx, page, requests } = await openPrices(null);
  await page.locator("[data-testid=chain-settings] summary").click();
  await page.locator("[data-testid=rpc-url-1]").fill("ftp://node.example");
  await page.locator("[data-testid=rpc-url-1]").press("Tab");
  await page.locator("[data-testid=save-settings]").click();
  assert.equal(await page.locator("[data-testid=settings-error]").innerText(), '"ftp://node.example" is not an http:// or https:// address');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), SETTINGS_KEY), null, "nothing saved");

  await page.locator("[data-testid=rpc-url-1]").fill("");
  await page.locator("[data-testid=rpc-url-1]").press("Tab");
  await page.locator("[data-testid=market-chain]").selectOption("31337");
  await page.locator("[data-testid=rpc-url-31337]").fill(chain.rpcUrl);
  await page.locator("[data-testid=rpc-url-31337]").press("Tab");
  await page.locator("[data-testid=provider-31337]").fill(market.contracts.poolAddressesProvider.toLowerCase());
  await page.locator("[data-testid=provider-31337]").press("Tab");
  await page.locator("[data-testid=save-settings]").click();
  await page.locator("[data-testid=settings-saved]").waitFor();
  // Saved, but still nothing sent: live data is a separate, explicit switch.
  await page.waitForTimeout(500);
  assert.deepEqual(requests.filter((r) => !r.url.startsWith(server.url)), []);
  assert.match(await page.locator("[data-testid=data-source]").innerText(), /^Snapshot · saved /);
  await page.locator("[data-testid=live-data]").check();
  await firstRefresh(page);
  assert.equal(await page.locator("[data-testid=data-source]").innerText(), "Live · from your endpoints");
  const weth = await shown(page, "WETH");
  assert.equal(weth.value, "3000");
  // No heartbeat is known for a local mock unless the user gives one: never "fresh".
  assert.equal(weth.status, "heartbeat-unknown");
  assert.match(await row(page, "WETH").locator("[data-testid=price-heartbeat]").innerText(), /^unknown/);
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), SETTINGS_KEY));
  assert.equal(saved.version, 1);
  assert.equal(saved.live_data, true);
  assert.equal(saved.market_chain_id, 31337);
  assert.deepEqual(saved.rpc_urls, { 31337: chain.rpcUrl });
  ctx.assertNoErrors();
  await ctx.close();
});

test("corrupt saved settings are ignored with a notice, and live data stays off", T, async () => {
  const ctx = await newTestContext(browser);
  await ctx.context.addInitScript(([key]) => {
    if (location.protocol === "http:") window.localStorage.setItem(key, '{"version":1,"live_data":tru');
  }, [SETTINGS_KEY]);
  const page = await ctx.newPage();
  await page.goto(`${server.url}?view=prices`);
  const notice = page.locator("[data-testid=settings-notice]");
  assert.match(await notice.innerText(), /^Your saved chain settings were ignored \(not JSON: .*\); the defaults are in use\.$/);
  assert.equal(await page.locator("[data-testid=live-data]").isChecked(), false);
  assert.equal(await row(page, "WETH").locator("[data-testid=price-status]").getAttribute("data-status"), "snapshot");
  assert.deepEqual(ctx.blocked, []);
  await ctx.close();
});

test("polling refreshes on its own and backs off while the node fails", T, async () => {
  const node = await startFaultyNode(chain.rpcUrl);
  try {
    const { ctx, page } = await openPrices(liveSettings({ rpc_urls: { 31337: node.url }, poll_secs: 1 }));
    await firstRefresh(page);
    await page.waitForFunction(() => Number(document.querySelector("[data-testid=block-age]").dataset.refreshes) >= 3, null, {
      timeout: 10_000,
    });
    node.setMode("500");
    const start = await refreshes(page);
    await page.waitForTimeout(7000);
    // Every second without backoff (about 6 more); after failures 2 s, then 4 s apart.
    const during = (await refreshes(page)) - start;
    assert.ok(during >= 1 && during <= 4, `${during} refreshes in 7 s of failures`);
    assert.equal((await shown(page, "WETH")).status, "stale");
    await ctx.close();
  } finally {
    await node.close();
  }
});

// The oracle-lag what-if on the Plan page equals `ballast eval` of the position with each
// price moved by hand: collateral down, debt up, by Chainlink's Ethereum thresholds, at
// AaveOracle's 8 decimals rounded toward danger.
const CLI = process.env.BALLAST_CLI;
const THRESHOLD_BPS = { WETH: 50n, ETH: 50n, WBTC: 50n, LINK: 50n, USDC: 25n, DAI: 25n, USDT: 25n };

function movedPrice(price, bps, up) {
  const [whole, frac = ""] = price.split(".");
  assert.ok(frac.length <= 8, price);
  const units = BigInt(whole + frac.padEnd(8, "0")) * (10_000n + (up ? bps : -bps));
  let moved = units / 10_000n;
  if (up && units % 10_000n) moved += 1n;
  const text = moved.toString().padStart(9, "0");
  return `${text.slice(0, -8)}.${text.slice(-8)}`.replace(/\.?0+$/, "");
}

for (const position of ["aave-demo", "maker-demo"]) {
  test(`${position}: the health factor at the oracle's worst-case lag is the engine's`, { ...T, skip: skip || (!CLI && "set BALLAST_CLI") }, async () => {
    const { execFileSync } = await import("node:child_process");
    const scenario = JSON.parse(execFileSync(CLI, ["snapshot", path.join(DIST, "snapshot.json"), "--position", position]));
    const held = (side) => new Set(scenario[side].map((h) => h.asset));
    for (const asset of scenario.assets) {
      const bps = THRESHOLD_BPS[asset.symbol];
      if (!asset.price || !bps) continue;
      if (held("collateral").has(asset.symbol)) asset.price = movedPrice(asset.price, bps, false);
      else if (held("debt").has(asset.symbol)) asset.price = movedPrice(asset.price, bps, true);
    }
    const report = JSON.parse(execFileSync(CLI, ["eval", "-"], { input: JSON.stringify(scenario) }));
    const ctx = await newTestContext(browser);
    const page = await ctx.newPage();
    await page.goto(`${server.url}?view=plan&position=${position}`);
    const hf = page.locator("[data-testid=oracle-lag-hf]");
    await hf.waitFor({ timeout: 30_000 });
    assert.equal(await hf.getAttribute("data-value"), report.health_factor);
    const now = await page.locator("[data-testid=health-factor]").getAttribute("data-value");
    assert.ok(Number(report.health_factor) < Number(now), `${report.health_factor} not below ${now}`);
    assert.match(await page.locator("[data-testid=oracle-lag]").innerText(), /Rests on the snapshot's saved prices/);
    // The verdict says what kind of price it rests on.
    assert.match(await page.locator("[data-testid=health-basis]").innerText(), /^On saved prices, not live \(saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/);
    ctx.assertNoErrors();
    await ctx.close();
  });
}
