// The built app in real Chromium: every figure it shows for the embedded
// snapshot equals what `ballast eval` prints for the same scenario, with no
// console errors and no request leaving loopback; it also works from a deep
// sub-path of a static host.
//
// Needs BALLAST_DIST (the built site) and BALLAST_CLI (the `ballast` binary);
// scripts/test sets both. Without them (a bare `npm test`) the suite skips.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, snapshotCli, useBrowser, dataValue, mounted } from "../lib/site.mjs";

const { DIST, CLI, skip } = siteUnderTest({ cli: true });
const { snapshotScenario, cliEval } = snapshotCli({ DIST, CLI });

/** A demo position after `actions` through `ballast apply`; throws with its stderr when refused. */
function cliApply(position, actions) {
  const actionsFile = path.join(mkdtempSync(path.join(tmpdir(), "ballast-actions-")), "actions.json");
  writeFileSync(actionsFile, JSON.stringify(actions));
  return execFileSync(CLI, ["apply", "-", actionsFile], { input: snapshotScenario(position), stdio: ["pipe", "pipe", "pipe"] });
}

/** What `ballast eval` reports for a demo position of the shipped snapshot. */
const cliReport = (position) => cliEval(snapshotScenario(position));

const { newContext, openApp } = useBrowser(skip);

for (const position of ["aave-demo", "aave-emode-demo", "maker-demo", "liquity-demo"]) {
  test(`${position}: the app shows exactly what ballast eval prints`, { skip }, async () => {
    const server = await startStaticServer(DIST);
    try {
      const { ctx, page } = await openApp(server, `?position=${position}`);
      const report = cliReport(position);
      assert.equal(await page.locator("[data-testid=position]").getAttribute("data-position"), position);
      assert.equal(await dataValue(page, "[data-testid=health-factor]"), report.health_factor ?? "none");
      assert.equal(await dataValue(page, "[data-testid=collateral-value]"), report.collateral_value);
      assert.equal(await dataValue(page, "[data-testid=debt-value]"), report.debt_value);
      assert.equal(await dataValue(page, "[data-testid=liquidatable]"), String(report.liquidatable));
      const lines = page.locator("[data-testid=liquidation-price]");
      assert.equal(await lines.count(), report.liquidation_prices.length);
      for (const [i, line] of report.liquidation_prices.entries()) {
        const row = lines.nth(i);
        assert.equal(await row.getAttribute("data-asset"), line.asset);
        assert.equal(await row.locator("[data-value]").first().getAttribute("data-value"), line.price);
      }
      if (report.aave_v3) {
        assert.equal(await dataValue(page, "[data-testid=aave-available-borrows]"), report.aave_v3.available_borrows_base);
        assert.equal(await dataValue(page, "[data-testid=aave-threshold]"), String(report.aave_v3.current_liquidation_threshold));
      }
      // Saved prices are never shown as live.
      assert.match(await page.locator("[data-testid=data-source]").innerText(), /^Snapshot · saved \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
      ctx.assertNoErrors();
      assert.deepEqual(ctx.blocked, [], "the app reached for the network");
      await ctx.close();
    } finally {
      await server.close();
    }
  });
}

test("the demo health factor is shown rounded down, with its band", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const report = cliReport("aave-demo");
    const shown = await page.locator("[data-testid=health-factor]").innerText();
    const exact = Number(report.health_factor);
    assert.equal(shown, (Math.floor(exact * 100) / 100).toFixed(2));
    assert.equal(await page.locator("[data-testid=health-band]").innerText(), exact >= 1.5 ? "Healthy" : "Caution");
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("a deep link served under a path prefix loads, and state stays in the query", { skip }, async () => {
  const server = await startStaticServer(DIST, { prefix: "/some/deep/prefix/" });
  try {
    const { ctx, page } = await openApp(server, "?position=maker-demo");
    assert.equal(await dataValue(page, "[data-testid=health-factor]"), cliReport("maker-demo").health_factor);
    // Picking another position rewrites only the query, keeping the prefix.
    await page.selectOption("[data-testid=position-picker]", "liquity-demo");
    await page.locator("[data-testid=position][data-position=liquity-demo]").waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, "/some/deep/prefix/");
    assert.equal(url.searchParams.get("position"), "liquity-demo");
    assert.equal(await dataValue(page, "[data-testid=health-factor]"), cliReport("liquity-demo").health_factor);
    // Every asset came from under the prefix.
    assert.ok(server.requests.every((r) => r.includes(" /some/deep/prefix/")), server.requests.join("\n"));
    assert.ok(!server.requests.some((r) => r.endsWith(" 404")), server.requests.join("\n"));
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

/** `ballast apply` + `ballast eval`: the demo position with one price set. */
const cliReportWithPrice = (position, asset, price) =>
  cliEval(cliApply(position, [{ action: "set_price", asset, price }]));

test("moving a price recomputes everything through the engine, and resets", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const weth = page.locator("[data-testid=price-control][data-asset=WETH]");
    const hf = () => dataValue(page, "[data-testid=health-factor]");
    const before = await hf();

    // The slider: −37 % of 3000 is 1890, a price Aave takes as is.
    await weth.locator("[data-testid=price-slider]").fill("-37");
    await page.waitForFunction((old) => document.querySelector("[data-testid=health-factor]").dataset.value !== old, before);
    assert.equal(await weth.locator("[data-testid=price-input]").getAttribute("data-value"), "1890");
    assert.equal(await hf(), cliReportWithPrice("aave-demo", "WETH", "1890").health_factor);
    assert.match(await page.locator("table.assets tr[data-asset=WETH]").innerText(), /what-if/);

    // A typed price with all 8 decimals is taken exactly.
    const input = weth.locator("[data-testid=price-input]");
    await input.fill("1234.56789012");
    await input.press("Enter");
    await page.waitForFunction(() => document.querySelector("[data-testid=price-control][data-asset=WETH] [data-testid=price-input]").dataset.value === "1234.56789012");
    const typed = cliReportWithPrice("aave-demo", "WETH", "1234.56789012");
    assert.equal(await hf(), typed.health_factor);
    assert.equal(await dataValue(page, "[data-testid=collateral-value]"), typed.collateral_value);

    // A ninth decimal is refused with the engine's reason, and nothing changes.
    await input.fill("1234.567890123");
    await input.press("Enter");
    await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-error]:not(:empty)").waitFor();
    assert.match(await weth.locator("[data-testid=price-error]").innerText(), /9 decimals/);
    assert.equal(await hf(), typed.health_factor);

    await page.click("[data-testid=reset-what-if]");
    await page.waitForFunction((old) => document.querySelector("[data-testid=health-factor]").dataset.value === old, before);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("max borrow is the Pool's limit less 1 %, as the engine computes it", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const usdc = await page.locator("table.assets tr[data-asset=USDC] [data-testid=max-borrow]").getAttribute("data-value");
    // Borrowing that much is allowed; 2 % more than the limit is refused by the Pool's rule.
    const run = (amount) => cliApply("aave-demo", [{ action: "borrow", asset: "USDC", amount }]);
    assert.doesNotThrow(() => run(usdc));
    const over = (Number(usdc) * 1.02).toFixed(6);
    assert.throws(() => run(over), /COLLATERAL_CANNOT_COVER_NEW_BORROW/);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("a shared plan opens with the same figures, and a broken link says so", { skip }, async () => {
  const server = await startStaticServer(DIST, { prefix: "/shared/prefix/" });
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-40");
    await page.waitForFunction(() => document.querySelector("[data-testid=price-control][data-asset=WETH] [data-testid=price-input]").dataset.value === "1800");
    const hf = await dataValue(page, "[data-testid=health-factor]");
    await page.click("[data-testid=share]");
    const link = await page.locator("[data-testid=share-link]").inputValue();
    assert.ok(link.startsWith(`${server.url}?`), link);
    // The scenario travels in the fragment, which never reaches the host.
    const url = new URL(link);
    assert.ok(url.hash.startsWith("#scenario=1."), link);
    assert.equal(url.searchParams.get("scenario"), null, link);

    const opensShared = async (address) => {
      const other = await ctx.newPage();
      await other.goto(address);
      await other.locator("[data-testid=position][data-position=shared]").waitFor();
      assert.equal(await dataValue(other, "[data-testid=health-factor]"), hf);
      // The link's prices are the baseline: WETH sits at 1800, slider at 0.
      assert.equal(await other.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-input]").getAttribute("data-value"), "1800");
      await other.close();
    };
    await opensShared(link);
    // Links made before the fragment (?scenario=1.…) still open.
    await opensShared(`${server.url}?scenario=${url.hash.slice("#scenario=".length)}`);

    const broken = await ctx.newPage();
    await broken.goto(`${server.url}#scenario=1.not-a-scenario`);
    await broken.locator("[data-testid=health-factor]").waitFor();
    assert.match(await broken.locator("[data-testid=link-error]").innerText(), /could not be read/);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("actions go through the protocol's checks, refusals change nothing, undo and redo", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const hf = () => dataValue(page, "[data-testid=health-factor]");
    const before = await hf();
    const act = async (kind, amount, asset) => {
      await page.selectOption("[data-testid=action-kind]", kind);
      await page.selectOption("[data-testid=action-asset]", asset);
      await page.fill("[data-testid=action-amount]", amount);
      await page.click("[data-testid=action-apply]");
    };

    await act("borrow", "1000", "USDC");
    await page.waitForFunction((old) => document.querySelector("[data-testid=health-factor]").dataset.value !== old, before);
    const after = cliEval(cliApply("aave-demo", [{ action: "borrow", asset: "USDC", amount: "1000" }]));
    const borrowed = await hf();
    assert.equal(borrowed, after.health_factor);

    await act("borrow", "1000000000", "USDC");
    await page.locator("[data-testid=action-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=action-error]").innerText(), /COLLATERAL_CANNOT_COVER_NEW_BORROW \(36\)/);
    assert.equal(await hf(), borrowed, "a refused action changes nothing");

    await page.click("[data-testid=undo]");
    await page.waitForFunction((old) => document.querySelector("[data-testid=health-factor]").dataset.value === old, before);
    await page.click("[data-testid=redo]");
    await page.waitForFunction((old) => document.querySelector("[data-testid=health-factor]").dataset.value === old, borrowed);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("the first frame has the what-if controls and figures; what mounts after it moves none of them", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const ctx = await newContext();
    // Where each part of the page is laid out in the frame that first shows the health factor's number,
    // recorded by a frame callback queued as that number reaches the DOM (the page's own first-frame
    // callback, queued earlier, runs before it and only queues the next group for the frame after).
    await ctx.context.addInitScript(() => {
      const parts = {
        "health factor": "[data-testid=health-factor]",
        "oracle lag": "[data-testid=oracle-lag]",
        "collateral value": "[data-testid=collateral-value]",
        "aave account": "[data-testid=aave-account]",
        "price controls": "section.what-if[aria-label=\"What-if prices\"]",
        "action form": "[data-testid=action-form]",
        "assets table": "table.assets",
      };
      const layout = () =>
        Object.fromEntries(
          Object.entries(parts).map(([name, selector]) => {
            const box = document.querySelector(selector)?.getBoundingClientRect();
            return [name, box ? [box.x, box.y + window.scrollY, box.width, box.height].map(Math.round) : null];
          }),
        );
      window.__layoutNow = layout;
      new MutationObserver((_, observer) => {
        // The page's own first frame, not the first-frame module's (tested apart below).
        if (document.querySelector("[data-testid=position] [data-testid=health-factor]")?.textContent) {
          observer.disconnect();
          requestAnimationFrame(() => (window.__firstFrame = { layout: layout(), busy: document.querySelector("[data-testid=position]")?.getAttribute("aria-busy") }));
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}?position=aave-demo`);
    await page.waitForFunction(() => window.__firstFrame, null, { timeout: 30_000 });
    await mounted(page);
    await page.locator("[data-testid=keep]").waitFor();
    const first = await page.evaluate(() => window.__firstFrame);
    const settled = await page.evaluate(() => window.__layoutNow());
    assert.equal(first.busy, "true", "the first frame comes before the rest of the page");
    assert.equal(first.layout["assets table"], null, "the tables come a frame after the figures");
    assert.notEqual(settled["assets table"], null);
    const { ["assets table"]: _, ...painted } = first.layout;
    for (const [name, box] of Object.entries(painted)) {
      assert.notEqual(box, null, `${name} is in the first frame`);
      assert.deepEqual(settled[name], box, `${name} stays where it was painted`);
    }
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("health charts load ECharts only after the health factor is painted, and follow the sliders", { skip }, async () => {
  // Under a sub-path: the lazily injected script must resolve relative to the page.
  const server = await startStaticServer(DIST, { prefix: "/charts/prefix/" });
  try {
    const ctx = await newContext();
    // When the health factor first reaches the DOM, recorded before any app code runs.
    await ctx.context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector("[data-testid=health-factor]")) {
          window.__healthFactorShownAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}?position=aave-demo`);
    const priceChart = page.locator("#price-health-chart");
    const crashChart = page.locator("#crash-health-chart");
    for (const chart of [priceChart, crashChart]) {
      await chart.locator("canvas, svg").first().waitFor({ timeout: 30_000 });
      await page.waitForFunction((id) => document.getElementById(id).dataset.points === "61", await chart.getAttribute("id"));
    }

    // Not in the page's head: fetched once, for both charts, after the health factor was painted.
    // The page names ECharts only in the meta tag carrying its integrity digest, never in a script or preload.
    const indexHtml = await (await fetch(server.url)).text();
    assert.ok(!/<(script|link)\b[^>]*echarts\.min\.js/i.test(indexHtml), "index.html loads ECharts eagerly");
    assert.match(indexHtml, /<meta name="ballast:integrity:echarts\.min\.js" content="sha384-/);
    const timing = await page.evaluate(() => ({
      shown: window.__healthFactorShownAt,
      firstPaint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime,
      echarts: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/charts/prefix/echarts.min.js"))?.startTime,
    }));
    assert.ok(timing.shown !== undefined && timing.firstPaint !== undefined && timing.echarts !== undefined, JSON.stringify(timing));
    assert.ok(timing.echarts > timing.shown && timing.echarts > timing.firstPaint, JSON.stringify(timing));
    const paths = server.requests.map((r) => r.split(" ")[1]);
    const echartsRequests = paths.filter((p) => p === "/charts/prefix/echarts.min.js");
    assert.equal(echartsRequests.length, 1, server.requests.join("\n"));
    assert.ok(paths.indexOf(echartsRequests[0]) > paths.findIndex((p) => p.endsWith("/snapshot.json")), server.requests.join("\n"));
    assert.ok(!server.requests.some((r) => r.endsWith(" 404")), server.requests.join("\n"));

    // The price chart starts on the largest collateral (WETH: 6.5 × 3000) at −95 % of its price.
    assert.equal(await page.locator("[data-testid=price-chart-asset]").inputValue(), "WETH");
    assert.match(await priceChart.getAttribute("data-first"), /^150,/);
    // Moving WETH to 1890 redraws both charts from the new price.
    const first = { price: await priceChart.getAttribute("data-first"), crash: await crashChart.getAttribute("data-first") };
    await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-37");
    await page.waitForFunction((old) => document.getElementById("price-health-chart").dataset.first !== old, first.price);
    await page.waitForFunction((old) => document.getElementById("crash-health-chart").dataset.first !== old, first.crash);
    assert.match(await priceChart.getAttribute("data-first"), /^94\.5,/);
    assert.match(await crashChart.getAttribute("data-first"), /^-95,/);

    // Stablecoin collateral only (the snapshot's `stable` flag): no crash chart, the price chart redraws.
    await page.selectOption("[data-testid=position-picker]", "aave-emode-demo");
    await page.locator("[data-testid=crash-chart-none]").waitFor();
    await priceChart.locator("canvas, svg").first().waitFor();
    await page.waitForFunction(() => document.getElementById("price-health-chart").dataset.points === "61");
    assert.equal(await page.locator("[data-testid=price-chart-asset]").inputValue(), "USDC");
    ctx.assertNoErrors();
    assert.deepEqual(ctx.blocked, [], "the app reached for the network");
    await ctx.close();
  } finally {
    await server.close();
  }
});

/** The price chart's drawn points (ECharts' own copy), gaps left out. */
const priceChartPoints = (page) =>
  page.evaluate(() => {
    const chart = window.echarts.getInstanceByDom(document.getElementById("price-health-chart"));
    return chart.getOption().series[0].data.filter(([, hf]) => hf !== "-");
  });

for (const position of ["maker-demo", "aave-demo"]) {
  test(`${position}: the health-factor-against-price chart crosses 1 at the engine's liquidation price`, { skip }, async () => {
    const server = await startStaticServer(DIST);
    try {
      const { ctx, page } = await openApp(server, `?position=${position}`);
      await page.waitForFunction(() => document.getElementById("price-health-chart")?.dataset.points === "61", null, { timeout: 30_000 });
      const chartAsset = await page.locator("[data-testid=price-chart-asset]").inputValue();
      const engineLine = cliReport(position).liquidation_prices.find((l) => l.asset === chartAsset);
      assert.ok(engineLine, `the engine has no liquidation price for ${chartAsset}`);
      const row = page.locator(`[data-testid=liquidation-price][data-asset="${chartAsset}"] td.num`).first();
      assert.equal(await row.getAttribute("data-value"), engineLine.price, "the page shows the engine's line");
      const points = await priceChartPoints(page);
      assert.equal(points.length, 61);
      // Exactly one pair of neighbouring prices straddles HF 1, and the engine's price lies between them.
      const expected = Number(engineLine.price);
      const straddles = points.slice(1).flatMap(([x1, hf1], i) => {
        const [x0, hf0] = points[i];
        return hf0 < 1 !== hf1 < 1 ? [{ x0, hf0, x1, hf1 }] : [];
      });
      assert.equal(straddles.length, 1, JSON.stringify(points));
      const [{ x0, hf0, x1, hf1 }] = straddles;
      assert.ok(x0 <= expected && expected <= x1, `the curve crosses 1 between ${x0} and ${x1}, the engine says ${expected}`);
      if (position === "maker-demo") {
        // A vault's ratio is affine in its collateral's price: the straight line between the two
        // drawn points meets 1 exactly there. (Aave floors the average threshold to a basis
        // point, so its curve is affine only piecewise.)
        const crossing = x0 + ((1 - hf0) * (x1 - x0)) / (hf1 - hf0);
        assert.ok(Math.abs(crossing - expected) <= expected * 1e-9, `the chart crosses 1 at ${crossing}, the engine says ${expected}`);
      }
      ctx.assertNoErrors();
      await ctx.close();
    } finally {
      await server.close();
    }
  });
}

test("collateral on/off and e-mode go through the Pool's checks", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const hf = () => dataValue(page, "[data-testid=health-factor]");
    const before = await hf();
    // WETH off would leave HF under 1: the Pool refuses, and the box stays ticked.
    await page.locator("label.collateral-toggle[data-asset=WETH] input").click();
    await page.locator("[data-testid=action-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=action-error]").innerText(), /HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD \(35\)/);
    assert.equal(await page.locator("label.collateral-toggle[data-asset=WETH] input").isChecked(), true);
    assert.equal(await hf(), before);
    // wstETH off is allowed: the figures are the engine's for that scenario.
    await page.locator("label.collateral-toggle[data-asset=wstETH] input").click();
    await page.waitForFunction((old) => document.querySelector("[data-testid=health-factor]").dataset.value !== old, before);
    const off = cliEval(cliApply("aave-demo", [{ action: "set_collateral", asset: "wstETH", enabled: false }]));
    assert.equal(await hf(), off.health_factor);
    assert.equal(await dataValue(page, "[data-testid=collateral-value]"), off.collateral_value);

    // Leaving e-mode on the stablecoin loop would put it under 1: the Pool refuses.
    await page.selectOption("[data-testid=position-picker]", "aave-emode-demo");
    await page.locator("[data-testid=position][data-position=aave-emode-demo]").waitFor();
    const emodeHf = await hf();
    await page.selectOption("[data-testid=emode-select]", "0");
    await page.locator("[data-testid=action-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=action-error]").innerText(), /HEALTH_FACTOR_LOWER_THAN_LIQUIDATION_THRESHOLD \(35\)/);
    assert.equal(await hf(), emodeHf);
    assert.equal(await page.locator("[data-testid=emode-select]").inputValue(), "1", "the select shows the e-mode still in force");
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});
