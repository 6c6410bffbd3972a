// The Risk page in real Chromium: the worker loads only when a run starts,
// shows progress, can be cancelled and re-run; the results are the engine's
// own (equal to `ballast risk` on the same request, which is the demo's
// request from `ballast risk-demo`), and the page's main thread has no task
// over 50 ms while the simulation runs.
//
// Needs BALLAST_DIST (the built site) and BALLAST_CLI (the `ballast` binary).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, useBrowser } from "../lib/site.mjs";

const { DIST, CLI, skip } = siteUnderTest({ cli: true });

/** The Risk page's request for a demo position, as the command line builds it. */
const cliRequest = (position, { horizon, paths, seed }) =>
  JSON.parse(
    execFileSync(CLI, [
      "risk-demo", path.join(DIST, "snapshot.json"), "--position", position,
      "--horizon", String(horizon), "--paths", String(paths), "--seed", String(seed),
    ]).toString(),
  );

/** What `ballast risk` reports for a request (JSON text). */
const cliRisk = (requestJson) => JSON.parse(execFileSync(CLI, ["risk", "-"], { input: requestJson }).toString());

const { newContext } = useBrowser(skip);

/** Records every main-thread task over 50 ms (the Long Tasks API) from the start. */
const LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
`;

async function openRisk(server) {
  const ctx = await newContext();
  await ctx.context.addInitScript({ content: LONG_TASKS });
  const page = await ctx.newPage();
  const workerRequests = [];
  page.on("request", (r) => {
    if (r.url().includes("ballast-risk-worker")) workerRequests.push(r.url());
  });
  await page.goto(`${server.url}?view=risk`);
  await page.locator("[data-testid=risk-page]").waitFor({ timeout: 30_000 });
  // ECharts is fetched after first paint, before any run.
  await page.waitForFunction(() => typeof window.echarts === "object", null, { timeout: 30_000 });
  return { ctx, page, workerRequests };
}

async function setField(page, testId, value) {
  const field = page.locator(`[data-testid=${testId}]`);
  await field.fill(String(value));
}

/**
 * Starts a run and waits for its results, returning the main-thread tasks over 50 ms seen
 * from the click until the report arrived (printing those and the later ones).
 */
async function measureRun(page) {
  // When the worker's report lands: the status turns to "Done".
  await page.evaluate(() => {
    const status = document.querySelector("[data-testid=risk-status]");
    window.__statusTimes = [];
    window.__statusObserver?.disconnect();
    window.__statusObserver = new MutationObserver(() => window.__statusTimes.push([performance.now(), status.textContent]));
    window.__statusObserver.observe(status, { childList: true, characterData: true, subtree: true });
  });
  const started = await page.evaluate(() => performance.now());
  await page.locator("[data-testid=risk-start]").click();
  // This run's "Done", not an earlier run's: the times were reset before the click.
  await page.waitForFunction(() => window.__statusTimes.some(([, text]) => text.startsWith("Done")), null, { timeout: 60_000 });
  await page.locator("[data-testid=risk-results]").waitFor({ timeout: 60_000 });
  const { longTasks, statusTimes } = await page.evaluate(() => ({ longTasks: window.__longTasks, statusTimes: window.__statusTimes }));
  const doneAt = statusTimes.find(([, text]) => text.startsWith("Done"))?.[0];
  assert.ok(doneAt, JSON.stringify(statusTimes));
  // A status change is observed at the end of the task that made it, so the task holding
  // `doneAt` is the one that received the report and drew its headline: it comes after the
  // simulation and is printed apart. Every task before it ran while the worker simulated.
  const during = longTasks.filter((t) => t.start + t.duration > started && t.start + t.duration <= doneAt);
  const handling = longTasks.filter((t) => t.start <= doneAt && t.start + t.duration > doneAt);
  const after = longTasks.filter((t) => t.start > doneAt);
  console.log(
    `# run ${(doneAt - started).toFixed(0)} ms from click to report, ${statusTimes.length - 1} status updates; ` +
      `main-thread tasks over 50 ms during it: ${JSON.stringify(during)}; receiving the report: ${JSON.stringify(handling)}; ` +
      `drawing the results after: ${JSON.stringify(after)}`,
  );
  return during;
}

test("a run shows progress, cancels, re-runs, and shows the engine's figures", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page, workerRequests } = await openRisk(server);
    assert.equal(await page.locator("[data-testid=nav-risk]").getAttribute("aria-current"), "page");
    // The inputs: the demo's five moving assets of the default position, labelled as assumptions.
    const vols = page.locator("[data-testid=risk-volatility]");
    assert.equal(await vols.count(), 5);
    assert.equal(await vols.first().inputValue(), "70");
    assert.match(await page.locator("[data-testid=risk-inputs-source]").textContent(), /not market data/);
    assert.match(await page.locator("[data-testid=risk-inputs-source]").textContent(), /synthetic/);
    // Off the critical path: nothing of the worker is fetched until a run starts.
    assert.deepEqual(workerRequests, []);

    // A long run: progress, then cancel.
    await setField(page, "risk-paths", 400_000);
    await page.locator("[data-testid=risk-start]").click();
    await page.waitForFunction(() => {
      const done = document.querySelector("[data-testid=risk-progress]")?.getAttribute("data-done");
      return done !== null && done !== undefined && Number(done) > 0;
    }, null, { timeout: 60_000 });
    assert.match(await page.locator("[data-testid=risk-status]").textContent(), /Simulating… \d+ of 400000 paths/);
    assert.ok(workerRequests.some((u) => u.endsWith("ballast-risk-worker_loader.js")), workerRequests.join(", "));
    assert.ok(workerRequests.some((u) => u.endsWith("ballast-risk-worker_bg.wasm")), workerRequests.join(", "));
    assert.equal(await page.locator("[data-testid=risk-start]").isDisabled(), true);
    await page.locator("[data-testid=risk-cancel]").click();
    assert.equal(await page.locator("[data-testid=risk-status]").textContent(), "Cancelled.");
    assert.equal(await page.locator("[data-testid=risk-results]").count(), 0);
    // Nothing arrives from the cancelled run.
    await page.waitForTimeout(500);
    assert.equal(await page.locator("[data-testid=risk-status]").textContent(), "Cancelled.");

    // Re-run: 20 000 paths over 7 days, seed 7, watching the main thread while it runs.
    const options = { horizon: 7, paths: 20_000, seed: 7 };
    await page.locator("[data-testid=risk-horizon]").selectOption("7");
    await setField(page, "risk-paths", options.paths);
    await setField(page, "risk-seed", options.seed);
    // Long tasks are wall-clock: on a machine shared by several builds the scheduler can stretch
    // a short task past 50 ms. One run with such a task is measured again; two in a row fail.
    let during = await measureRun(page);
    if (during.length) during = await measureRun(page);
    assert.deepEqual(during, [], "no main-thread task over 50 ms while the simulation runs");
    assert.match(await page.locator("[data-testid=risk-status]").textContent(), /^Done: 20000 paths × 7 days in \d+ ms/);

    // The page sent the demo's request, as the command line builds it…
    const requestJson = await page.locator("[data-testid=risk-request]").textContent();
    assert.deepEqual(JSON.parse(requestJson), cliRequest("aave-demo", options));
    // …and shows exactly what the engine reports for it natively.
    const report = cliRisk(requestJson);
    const value = async (testId) => Number(await page.locator(`[data-testid=${testId}]`).first().getAttribute("data-value"));
    assert.equal(await value("risk-probability"), report.simulation.liquidation_probability.value);
    assert.ok(report.simulation.liquidation_probability.value >= 0);
    const p = report.simulation.liquidation_probability;
    const shown = await page.locator("[data-testid=risk-probability]").textContent();
    if (p.value === 0) {
      // No path liquidated: the exact 95 % bound, rounded up, instead of "0.00 % ± 0.00 %".
      const bound = (1 - 0.05 ** (1 / options.paths)) * 100;
      const [, under] = shown.match(/^under ([0-9.]+) % \(95 %\)$/) ?? [];
      assert.ok(under !== undefined && Number(under) >= bound && Number(under) < bound * 1.1, `${shown} vs ${bound}`);
    } else {
      assert.equal(shown, `${(p.value * 100).toFixed(2)} % ± ${(p.std_error * 100).toFixed(2)} %`);
    }
    assert.equal(await value("risk-start-hf"), report.simulation.starting_health_factor);
    const median = report.simulation.min_health_factor.quantiles.find((q) => q.probability === 0.5).value;
    assert.equal(await value("risk-median-min-hf"), median);
    const vars = page.locator("[data-testid=risk-var]");
    const ess = page.locator("[data-testid=risk-es]");
    for (const [i, tail] of report.loss.tail.entries()) {
      assert.equal(Number(await vars.nth(i).getAttribute("data-value")), tail.value_at_risk);
      assert.equal(Number(await ess.nth(i).getAttribute("data-value")), tail.expected_shortfall);
    }
    assert.equal(await value("risk-adjusted-collateral"), report.liquidity.liquidity_adjusted_collateral_value);
    assert.equal(await value("risk-adjusted-hf"), report.liquidity.liquidity_adjusted_health_factor);
    assert.equal(
      await page.locator("[data-testid=risk-liquidity-flag]").getAttribute("data-flagged"),
      String(report.liquidity.flagged),
    );
    const quality = page.locator("[data-testid=risk-quality]");
    assert.equal(await quality.count(), report.quality.length);
    for (const [i, q] of report.quality.entries()) {
      assert.equal(await quality.nth(i).getAttribute("data-asset"), q.asset);
      assert.equal(Number(await quality.nth(i).getAttribute("data-score")), q.score);
      // Each component with its weight and formula.
      assert.equal(await quality.nth(i).locator("tbody tr").count(), 6);
      assert.match(await quality.nth(i).textContent(), /100 × clamp\(\(σ − 1\.5\) \/ \(0\.2 − 1\.5\), 0, 1\)/);
    }
    // Charts drawn from the report: 11 histogram bands, one point per day 0–7.
    await page.locator("[data-testid=risk-min-hf-chart] [data-points='11']").waitFor({ timeout: 30_000 });
    await page.locator("[data-testid=risk-horizon-chart] [data-points='8']").waitFor({ timeout: 30_000 });

    ctx.assertNoErrors();
    assert.deepEqual(ctx.blocked, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("bad inputs are named and nothing runs; a typed correlation is repaired and said so", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page, workerRequests } = await openRisk(server);
    await setField(page, "risk-paths", "many");
    await page.locator("[data-testid=risk-volatility]").first().fill("-5");
    await page.locator("[data-testid=risk-start]").click();
    const problems = await page.locator("[data-testid=risk-problems] li").allTextContents();
    assert.equal(problems.length, 2, problems.join(" | "));
    assert.match(problems[0], /^Paths: "many" is not a whole number/);
    assert.match(problems[1], /^Volatility of WETH: "-5"/);
    assert.equal(await page.locator("[data-testid=risk-status]").textContent(), "Not run yet.");
    assert.deepEqual(workerRequests, []);

    // WETH ~ wstETH 0.95 and WETH ~ WBTC 0.75 but wstETH ~ WBTC −0.9: not a correlation matrix.
    await setField(page, "risk-paths", 2000);
    await page.locator("[data-testid=risk-volatility]").first().fill("70");
    await page.getByLabel("Correlation of wstETH and WBTC").fill("-0.9");
    // The mirror cell follows.
    assert.equal(await page.getByLabel("Correlation of WBTC and wstETH").inputValue(), "-0.9");
    await page.locator("[data-testid=risk-start]").click();
    await page.locator("[data-testid=risk-results]").waitFor({ timeout: 60_000 });
    await page.locator("[data-testid=risk-correlation-repaired]").waitFor();

    // A thin market: $1,000 moves WETH 2 %, so selling what a liquidation seizes slips past the
    // liquidator's break-even (1 − 1/1.05 = 4.76 % for a 5 % bonus), and the position is flagged;
    // its liquidity-adjusted HF falls.
    await page.getByLabel("USD of sales that move the price of WETH 2 %").fill("1,000");
    await page.locator("[data-testid=risk-start]").click();
    await page.locator("[data-testid=risk-status]").filter({ hasText: /^Done/ }).waitFor({ timeout: 60_000 });
    await page.locator("[data-testid=risk-liquidity-flag][data-flagged=true]").waitFor();
    const hf = Number(await page.locator("[data-testid=risk-start-hf]").getAttribute("data-value"));
    const adjusted = Number(await page.locator("[data-testid=risk-adjusted-hf]").getAttribute("data-value"));
    assert.ok(adjusted < hf, `${adjusted} vs ${hf}`);
    // All the collateral sold along linear books: A(1 − A/2D), D = 2 % depth / 0.02.
    const sold = (usd, twoPercentDepth) => usd * (1 - usd / (2 * (twoPercentDepth / 0.02)));
    const expected = sold(6.5 * 3000, 1_000) + sold(2 * 3650, 8e6) + sold(0.2 * 90_000, 15e6);
    const value = Number(await page.locator("[data-testid=risk-adjusted-collateral]").getAttribute("data-value"));
    assert.ok(Math.abs(value - expected) < 1e-6, `${value} vs ${expected}`);
    const request = JSON.parse(await page.locator("[data-testid=risk-request]").textContent());
    assert.deepEqual(request.market.assets[0].depth, { kind: "linear", depth: 50_000 });
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});
