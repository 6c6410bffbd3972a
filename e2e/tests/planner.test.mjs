// The planner's keep-and-share features in a real browser: an exported
// scenario evaluates under `ballast eval` to exactly the figures the page
// shows; saved scenarios survive a reload and a corrupted entry; imports
// open what they hold or say what is wrong; undo returns the exact scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, snapshotCli, useBrowser, dataValue, mounted } from "../lib/site.mjs";

const { DIST, CLI, skip } = siteUnderTest({ cli: true });
const { snapshotScenario, cliEval } = snapshotCli({ DIST, CLI });

const { newContext, openApp } = useBrowser(skip);
const waitForHfChange = (page, old) =>
  page.waitForFunction((o) => document.querySelector("[data-testid=health-factor]").dataset.value !== o, old);

/** The page's engine figures, as the report's fields. */
async function shownFigures(page) {
  const lines = [];
  for (const row of await page.locator("[data-testid=liquidation-price]").all()) {
    lines.push({ asset: await row.getAttribute("data-asset"), price: await row.locator("[data-value]").first().getAttribute("data-value") });
  }
  return {
    health_factor: await dataValue(page, "[data-testid=health-factor]"),
    collateral_value: await dataValue(page, "[data-testid=collateral-value]"),
    debt_value: await dataValue(page, "[data-testid=debt-value]"),
    liquidatable: await dataValue(page, "[data-testid=liquidatable]"),
    lines,
  };
}

const reportFigures = (report) => ({
  health_factor: report.health_factor ?? "none",
  collateral_value: report.collateral_value,
  debt_value: report.debt_value,
  liquidatable: String(report.liquidatable),
  lines: report.liquidation_prices.map((l) => ({ asset: l.asset, price: l.price })),
});

/** Clicks Export and returns the downloaded file's text. */
async function exported(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-testid=export]")]);
  assert.match(download.suggestedFilename(), /^ballast-[a-z0-9-]+\.json$/);
  return readFileSync(await download.path(), "utf8");
}

async function moveWethAndBorrow(page) {
  const before = await dataValue(page, "[data-testid=health-factor]");
  await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-23");
  await waitForHfChange(page, before);
  const moved = await dataValue(page, "[data-testid=health-factor]");
  await page.selectOption("[data-testid=action-kind]", "borrow");
  await page.selectOption("[data-testid=action-asset]", "USDC");
  await page.fill("[data-testid=action-amount]", "750.5");
  await page.click("[data-testid=action-apply]");
  await waitForHfChange(page, moved);
}

test("an exported plan evaluates under ballast eval to the page's figures, and undo restores the exact file", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const original = await exported(page);
    assert.deepEqual(JSON.parse(original), JSON.parse(snapshotScenario("aave-demo")));

    await moveWethAndBorrow(page);
    const edited = await exported(page);
    const scenario = JSON.parse(edited);
    assert.equal(scenario.assets.find((a) => a.symbol === "WETH").price, await dataValue(page, "[data-testid=price-control][data-asset=WETH] [data-testid=price-input]"));
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(edited)));

    await page.click("[data-testid=undo]");
    await page.click("[data-testid=undo]");
    await page.locator("[data-testid=undo]:disabled").waitFor();
    assert.equal(await exported(page), original, "undo returns the exact scenario");
    await page.click("[data-testid=redo]");
    await page.click("[data-testid=redo]");
    await page.locator("[data-testid=redo]:disabled").waitFor();
    assert.equal(await exported(page), edited, "redo returns the exact edit");
    ctx.assertNoErrors();
    assert.deepEqual(ctx.blocked, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("saved scenarios survive a reload, and a corrupted entry is named without costing the others", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    await moveWethAndBorrow(page);
    const figures = await shownFigures(page);
    const file = await exported(page);

    // A bad name is refused with the reason; nothing is saved.
    await page.click("[data-testid=save]");
    assert.equal(await page.locator("[data-testid=keep-error]").innerText(), "Give the scenario a name to save it under.");
    assert.equal(await page.locator("[data-testid=saved-scenario]").count(), 0);

    await page.fill("[data-testid=save-name]", "ETH down, more debt");
    await page.click("[data-testid=save]");
    await page.locator("[data-testid=saved-scenario][data-name='ETH down, more debt']").waitFor();

    // Damage: one entry is not JSON, one is from a future format.
    await page.evaluate(() => {
      localStorage.setItem("ballast.saved-scenario.v1:broken", "{\"format\":\"ballast.saved-scenario/1\",");
      localStorage.setItem("ballast.saved-scenario.v1:future", JSON.stringify({ format: "ballast.saved-scenario/9", name: "future" }));
    });
    await page.reload();
    await page.locator("[data-testid=health-factor]").waitFor();
    const notices = page.locator("[data-testid=saved-unreadable]");
    await notices.first().waitFor();
    assert.equal(await notices.count(), 2);
    assert.match(await page.locator("[data-testid=saved-unreadable][data-name=broken]").innerText(), /could not be read: it is not valid JSON/);
    assert.match(await page.locator("[data-testid=saved-unreadable][data-name=future]").innerText(), /ballast\.saved-scenario\/9/);
    // The damaged entries are kept, not wiped, and the good one is listed.
    assert.ok(await page.evaluate(() => localStorage.getItem("ballast.saved-scenario.v1:broken") !== null));
    assert.equal(await page.locator("[data-testid=saved-scenario]").count(), 1);

    await page.click("[data-testid=saved-scenario][data-name='ETH down, more debt'] [data-testid=saved-open]");
    await page.locator("[data-testid=position][data-position=saved]").waitFor();
    assert.deepEqual(await shownFigures(page), figures);
    assert.equal(await exported(page), file, "the saved scenario is the exact one");

    await page.click("[data-testid=saved-unreadable][data-name=broken] [data-testid=saved-delete]");
    await page.locator("[data-testid=saved-unreadable][data-name=broken]").waitFor({ state: "detached" });
    assert.equal(await page.locator("[data-testid=saved-scenario]").count(), 1);
    assert.equal(await notices.count(), 1);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("an imported file or pasted link opens with the CLI's figures; bad input says what is wrong", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const demo = await shownFigures(page);
    const scenario = JSON.parse(snapshotScenario("aave-demo"));
    scenario.assets.find((a) => a.symbol === "WETH").price = "1777.12345678";
    const text = JSON.stringify(scenario);

    await page.locator("details.import summary").click();
    await page.fill("[data-testid=import-text]", text.replace("1777.12345678", "-5"));
    await page.click("[data-testid=import]");
    await page.locator("[data-testid=import-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=import-error]").innerText(), /^The scenario file is not valid: assets\[\d+\]\.price: /);
    assert.deepEqual(await shownFigures(page), demo, "a refused import changes nothing");

    await page.locator("[data-testid=import-file]").setInputFiles({ name: "plan.json", mimeType: "application/json", buffer: Buffer.from(text) });
    await page.locator("[data-testid=position][data-position=imported]").waitFor();
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(text)));

    // A share link pasted in: the same scenario.
    await page.click("[data-testid=share]");
    const link = await page.locator("[data-testid=share-link]").inputValue();
    const { ctx: other, page: fresh } = await openApp(server, "?position=aave-demo");
    await fresh.locator("details.import summary").click();
    await fresh.fill("[data-testid=import-text]", link);
    await fresh.click("[data-testid=import]");
    await fresh.locator("[data-testid=position][data-position=imported]").waitFor();
    assert.deepEqual(await shownFigures(fresh), reportFigures(cliEval(text)));
    other.assertNoErrors();
    await other.close();
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("every term on the Plan page carries the Glossary page's definition, on hover and on keyboard focus", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}?view=glossary`);
    await page.locator("[data-testid=glossary]").waitFor({ timeout: 30_000 });
    const glossary = Object.fromEntries(
      await page.locator(".glossary-entry").evaluateAll((entries) =>
        entries.map((e) => [e.dataset.term, e.querySelector("[data-testid=glossary-definition]").textContent]),
      ),
    );
    for (const id of ["collateral-ratio", "ltv", "liquidation-threshold", "liquidation-bonus", "health-factor", "close-factor", "e-mode", "isolation-mode", "recovery-mode", "oracle-heartbeat", "deviation-threshold"]) {
      assert.ok(glossary[id]?.length > 40, `the glossary defines ${id}`);
    }

    const termsOnPage = () =>
      page.locator("[data-term]").evaluateAll((labels) =>
        labels.map((l) => ({ id: l.dataset.term, tip: document.getElementById(l.getAttribute("aria-describedby"))?.textContent })),
      );
    await page.click("[data-testid=nav-plan]");
    await page.locator("[data-testid=position]").waitFor();
    const terms = await termsOnPage();
    // WETH low enough (−95 %) that the liquidation preview shows.
    await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-95");
    await page.locator("[data-testid=liquidation-preview]").waitFor();
    terms.push(...(await termsOnPage()));
    const used = new Set(terms.map((t) => t.id));
    for (const id of ["health-factor", "ltv", "liquidation-threshold", "close-factor", "liquidation-bonus", "e-mode", "liquidation-price", "max-borrow"]) {
      assert.ok(used.has(id), `the Plan page marks ${id}`);
    }
    for (const { id, tip } of terms) assert.equal(tip, glossary[id], `${id}: the on-screen definition is the glossary's`);

    // Hidden until hovered or focused; keyboard focus alone shows it.
    const label = page.locator("[data-term=close-factor]").first();
    const tip = page.locator(`#${await label.getAttribute("aria-describedby")}`);
    assert.equal(await tip.isVisible(), false);
    await label.focus();
    assert.equal(await tip.isVisible(), true);
    await label.blur();
    await page.locator("[data-term=ltv]").first().hover();
    assert.equal(await page.locator(`#${await page.locator("[data-term=ltv]").first().getAttribute("aria-describedby")}`).isVisible(), true);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("governance what-ifs go through the engine: the exported file evaluates to the page's figures, refusals change nothing, every figure has its data-value", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const hf = () => dataValue(page, "[data-testid=health-factor]");
    const before = await hf();
    const govern = async (kind, asset, value) => {
      await page.selectOption("[data-testid=governance-kind]", kind);
      if (asset) await page.selectOption("[data-testid=governance-asset]", asset);
      if (value !== undefined) await page.fill("[data-testid=governance-value]", value);
      await page.click("[data-testid=governance-apply]");
    };

    // WETH's threshold 83 % → 80.5 % (its LTV): the exported file says so, and evaluates to the page's figures.
    await govern("threshold", "WETH", "80.5");
    await waitForHfChange(page, before);
    const file = await exported(page);
    assert.equal(JSON.parse(file).assets.find((a) => a.symbol === "WETH").liquidation_threshold_bps, 8050);
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(file)));
    const lowered = await hf();
    assert.ok(Number(lowered) < Number(before), `${lowered} < ${before}`);

    // Below the LTV: the engine's reason, nothing changed.
    await govern("threshold", "WETH", "80");
    await page.locator("[data-testid=governance-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=governance-error]").innerText(), /between WETH's LTV 8050 and 10000/);
    await govern("threshold", "WETH", "80.555");
    await page.locator("[data-testid=governance-error]", { hasText: "more than 2 decimals" }).waitFor();
    assert.equal(await hf(), lowered);

    // A frozen reserve refuses a borrow with the Pool's reason.
    await govern("freeze", "USDC");
    await page.locator("[data-testid=governance-error]:empty").waitFor({ state: "attached" });
    await page.selectOption("[data-testid=action-kind]", "borrow");
    await page.selectOption("[data-testid=action-asset]", "USDC");
    await page.fill("[data-testid=action-amount]", "1");
    await page.click("[data-testid=action-apply]");
    await page.locator("[data-testid=action-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=action-error]").innerText(), /RESERVE_FROZEN \(28\)/);

    // Every figure on the page carries its full-precision value.
    const missing = await page.locator("[data-testid=position]").evaluate((root) =>
      [...root.querySelectorAll("td.num, .figure-value, .health-factor-value")].filter((e) => !e.hasAttribute("data-value")).map((e) => e.outerHTML),
    );
    assert.deepEqual(missing, []);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("the loop planner lays out the engine's loop and unwind, and looping brings the liquidating fall closer", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const before = await shownFigures(page);
    await page.selectOption("[data-testid=loop-collateral]", "WETH");
    await page.selectOption("[data-testid=loop-debt]", "USDC");
    await page.fill("[data-testid=loop-leverage-input]", "1");
    await page.click("[data-testid=loop-plan]");
    assert.equal(await page.locator("[data-testid=loop-error]").innerText(), "the target leverage must be more than 1 (collateral over equity)");

    await page.fill("[data-testid=loop-leverage-input]", "3");
    await page.fill("[data-testid=loop-floor]", "1.1");
    await page.click("[data-testid=loop-plan]");
    await page.locator("[data-testid=loop-result]").waitFor();
    const leverage = Number(await dataValue(page, "[data-testid=loop-leverage]"));
    assert.ok(Math.abs(leverage - 3) < 0.003, `leverage ${leverage}`);
    const unlooped = Number(await dataValue(page, "[data-testid=loop-unlooped-move]"));
    const looped = Number(await dataValue(page, "[data-testid=loop-looped-move]"));
    assert.ok(unlooped < looped && looped < 0, `WETH may fall ${unlooped} unlooped, ${looped} looped`);
    for (const sel of ["[data-testid=loop-step]", "[data-testid=unwind-step]"]) {
      // Between the round's two Pool steps (after the borrow or the withdrawal) and after it:
      // the floor holds at both; "none" (no debt left) only after the unwind's last round.
      const lowest = await page.locator(`${sel} td:nth-child(4)`).evaluateAll((cells) => cells.map((c) => c.dataset.value));
      const after = await page.locator(`${sel} td:nth-child(5)`).evaluateAll((cells) => cells.map((c) => c.dataset.value));
      assert.ok(lowest.length > 0 && lowest.length === after.length, sel);
      for (const hf of lowest) assert.ok(Number(hf) >= 1.1, `${sel}: HF ${hf} between the steps kept the floor`);
      for (const [i, hf] of after.entries()) {
        const last = sel.includes("unwind") && i === after.length - 1;
        assert.ok(Number(hf) >= 1.1 || (last && hf === "none"), `${sel}: HF ${hf} kept the floor`);
      }
    }
    // A preview only: the plan's figures are unchanged.
    assert.deepEqual(await shownFigures(page), before);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("on a phone the health factor stays in view over the price controls and follows a slider", { skip }, async () => {
  // At 390 px the report sits under the price controls and the action form: the
  // pinned line at the top of the controls shows the same figure while they scroll.
  const server = await startStaticServer(DIST);
  try {
    const ctx = await newContext({ contextOptions: { viewport: { width: 390, height: 700 } } });
    const page = await ctx.newPage();
    await page.goto(`${server.url}?position=aave-demo`);
    await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
    const pin = page.locator("[data-testid=health-factor-pin]");
    const same = async () => assert.equal(await pin.getAttribute("data-value"), await dataValue(page, "[data-testid=health-factor]"));
    await same();
    assert.equal(await pin.innerText(), await page.locator("[data-testid=health-factor]").innerText());
    const slider = page.locator("[data-testid=price-control]").last().locator("[data-testid=price-slider]");
    await slider.scrollIntoViewIfNeeded();
    const box = await pin.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 700, `pinned line at ${JSON.stringify(box)}`);
    const before = await pin.getAttribute("data-value");
    await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-20");
    await page.waitForFunction((b) => document.querySelector("[data-testid=health-factor-pin]").dataset.value !== b, before);
    await same();
    // A 1280 × 720 laptop screen has the report below the fold too: pinned there as well.
    await page.setViewportSize({ width: 1280, height: 720 });
    await slider.scrollIntoViewIfNeeded();
    const wide = await pin.boundingBox();
    assert.ok(wide && wide.y >= 0 && wide.y + wide.height <= 720, `pinned line at ${JSON.stringify(wide)}`);
    await same();
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("the other pages fit 360 and 390 px wide", { skip }, async () => {
  // The Positions page's address field (min-width 28rem) and the Risk page's
  // position picker (a long option label) once made phones scroll sideways.
  const server = await startStaticServer(DIST);
  try {
    for (const width of [360, 390]) {
      const ctx = await newContext({ contextOptions: { viewport: { width, height: 900 } } });
      const page = await ctx.newPage();
      for (const [view, ready] of [
        ["positions", ".watch-form input"],
        ["risk", "[data-testid=risk-start]"],
        ["prices", ".settings-table, .prices-table"],
        ["glossary", "[data-testid=glossary]"],
      ]) {
        await page.goto(`${server.url}?view=${view}`);
        await page.locator(ready).first().waitFor({ state: "attached", timeout: 30_000 });
        await mounted(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.offsetWidth);
        assert.equal(overflow, 0, `${view} at ${width} px: the page is ${overflow} px wider than the screen`);
      }
      ctx.assertNoErrors();
      await ctx.close();
    }
  } finally {
    await server.close();
  }
});

test("the Plan page fits 360 and 390 px wide and 1280 px, in light and dark themes", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    for (const colorScheme of ["dark", "light"]) {
      for (const width of [360, 390, 1280]) {
        const ctx = await newContext({ contextOptions: { viewport: { width, height: 900 }, colorScheme } });
        const page = await ctx.newPage();
        await page.goto(`${server.url}?position=aave-demo`);
        await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
        await page.locator("[data-testid=loop-plan]").click();
        await page.locator("[data-testid=loop-result], [data-testid=loop-error]").first().waitFor();
        // Every panel mounted (the saved scenarios come a frame after the loop planner).
        await mounted(page);
        // Against the root's own width: its scrollbar gutter (kept free so nothing moves as the page grows) is not page.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.offsetWidth);
        assert.equal(overflow, 0, `${colorScheme} at ${width} px: the page is ${overflow} px wider than the screen`);
        // The assets table scrolls sideways on a phone with one line per row (its source column
        // once squeezed into five lines, each row 110 px tall).
        const rows = await page.locator("table.assets").first().locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
        assert.ok(rows.length > 0 && rows.every((h) => h < 48), `${colorScheme} at ${width} px: asset rows ${rows}`);
        const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        assert.equal(background, colorScheme === "light" ? "rgb(246, 248, 250)" : "rgb(11, 22, 32)", `${colorScheme} theme`);
        ctx.assertNoErrors();
        await ctx.close();
      }
    }
  } finally {
    await server.close();
  }
});

/** axe-core's serious and critical violations on the page, as readable lines. */
async function seriousViolations(page) {
  // Evaluated over the DevTools protocol, so the page's CSP does not apply to the checker.
  await page.evaluate(readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8"));
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

test("axe-core finds no serious or critical accessibility problem on the Plan and Glossary pages", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    for (const colorScheme of ["dark", "light"]) {
      const ctx = await newContext({ contextOptions: { colorScheme } });
      const page = await ctx.newPage();
      await page.goto(`${server.url}?position=aave-demo`);
      await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
      await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-95");
      await page.locator("[data-testid=liquidation-preview]").waitFor();
      await page.locator("details.import summary").click();
      assert.deepEqual(await seriousViolations(page), [], `Plan page, ${colorScheme}`);
      await page.click("[data-testid=nav-glossary]");
      await page.locator("[data-testid=glossary]").waitFor();
      assert.deepEqual(await seriousViolations(page), [], `Glossary page, ${colorScheme}`);
      ctx.assertNoErrors();
      await ctx.close();
    }
  } finally {
    await server.close();
  }
});

test("a blank scenario built by hand gives the spec example's figures, and bad asset fields say what is wrong", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    await page.selectOption("[data-testid=position-picker]", "blank");
    await page.locator("[data-testid=position][data-position=blank]").waitFor();
    assert.equal(await dataValue(page, "[data-testid=health-factor]"), "none");
    const addAsset = async (symbol, decimals, price, ltv, threshold, bonus) => {
      for (const [id, value] of Object.entries({ symbol, decimals, price, ltv, threshold, bonus })) {
        await page.fill(`[data-testid=new-asset-${id}]`, value);
      }
      await page.click("[data-testid=add-asset]");
    };
    await addAsset("WETH", "18", "2000", "80", "79", "5");
    await page.locator("[data-testid=asset-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=asset-error]").innerText(), /^assets\[0\]\./);
    await addAsset("WETH", "18", "2000", "80", "82.5", "5");
    await page.locator("table.assets tr[data-asset=WETH]").waitFor();
    await addAsset("USDC", "6", "1.0001", "77", "80", "4.5");
    await page.locator("table.assets tr[data-asset=USDC]").waitFor();
    const act = async (kind, amount, asset) => {
      await page.selectOption("[data-testid=action-kind]", kind);
      await page.selectOption("[data-testid=action-asset]", asset);
      await page.fill("[data-testid=action-amount]", amount);
      await page.click("[data-testid=action-apply]");
    };
    await act("supply", "10", "WETH");
    await page.locator("table.assets tr[data-asset=WETH] [data-testid=asset-collateral][data-value='10']").waitFor();
    await act("borrow", "5000", "USDC");
    await waitForHfChange(page, "none");
    const spec = readFileSync(new URL("../../crates/ballast-cli/tests/fixtures/spec-aave-v3.json", import.meta.url), "utf8");
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(spec)));
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(await exported(page))));

    await page.selectOption("[data-testid=remove-asset-select]", "USDC");
    await page.click("[data-testid=remove-asset]");
    await page.locator("table.assets tr[data-asset=USDC]").waitFor({ state: "detached" });
    assert.equal(await dataValue(page, "[data-testid=health-factor]"), "none");
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("a Maker vault and a Liquity trove typed in by hand give ballast eval's figures, and a bad field is named", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    await page.click("[data-testid=by-hand] summary");
    const fill = async (prefix, fields) => {
      for (const [id, value] of Object.entries(fields)) await page.fill(`[data-testid=${prefix}-${id}]`, value);
    };
    await fill("maker", { ilk: "ETH-A", collateral: "10", price: "2000", mat: "0", debt: "10000" });
    await page.click("[data-testid=open-maker]");
    await page.locator("[data-testid=maker-error]:not(:empty)").waitFor();
    assert.equal(
      await page.locator("[data-testid=maker-error]").innerText(),
      "liquidation ratio (mat): must be more than 0 (assets[0].liquidation_ratio)",
    );
    // Nothing was opened: the demo position is still shown.
    assert.equal(await page.locator("[data-testid=position][data-position=typed]").count(), 0);
    await fill("maker", { mat: "1.45", chop: "1.13" });
    await page.click("[data-testid=open-maker]");
    await page.locator("[data-testid=liquidation-price][data-asset=ETH-A]").waitFor();
    const vault = await exported(page);
    assert.equal(JSON.parse(vault).protocol, "maker");
    const vaultReport = cliEval(vault);
    assert.deepEqual(await shownFigures(page), reportFigures(vaultReport));
    // 10 ETH at 2000 owing 10 000 DAI at mat 1.45: liquidated at 1450.
    assert.deepEqual(reportFigures(vaultReport).lines, [{ asset: "ETH-A", price: "1450" }]);

    await fill("liquity", { collateral: "10", price: "2000", debt: "12000", "total-collateral": "500000" });
    await page.click("[data-testid=open-liquity]");
    await page.locator("[data-testid=liquity-error]:not(:empty)").waitFor();
    assert.match(await page.locator("[data-testid=liquity-error]").innerText(), /^system total debt: /);
    await fill("liquity", { "total-debt": "700000000" });
    await page.click("[data-testid=open-liquity]");
    await page.locator("[data-testid=liquidation-price][data-asset=ETH]").waitFor();
    const trove = await exported(page);
    assert.equal(JSON.parse(trove).protocol, "liquity-v1");
    const troveReport = cliEval(trove);
    assert.equal(troveReport.recovery_mode, true);
    assert.deepEqual(await shownFigures(page), reportFigures(troveReport));
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

const cliProject = (scenario) => JSON.parse(execFileSync(CLI, ["project", "-"], { input: scenario }).toString());

/** An exact decimal string as an integer scaled by 10^40 (every figure here terminates well before). */
const SCALE = 40;
function scaled(text) {
  assert.match(text, /^\d+(\.\d+)?$/, `${text} is a plain decimal`);
  const [whole, fraction = ""] = text.split(".");
  assert.ok(fraction.length <= SCALE, `${text} has more than ${SCALE} decimals`);
  return BigInt(whole + fraction.padEnd(SCALE, "0"));
}

const chartAttr = (page, id, attr) => page.locator(`#${id}`).getAttribute(attr);

/** The interest panel's engine figures, as `ballast project` names them. */
async function interestFigures(page) {
  const days = await dataValue(page, "[data-testid=days-to-liquidation]");
  return {
    days_until_liquidation: days === "none" ? null : Number(days),
    health_factor_in_a_year: await dataValue(page, "[data-testid=hf-in-a-year]"),
    utilisation: await dataValue(page, "[data-testid=rate-utilisation]"),
    variable_borrow_rate: await dataValue(page, "[data-testid=rate-borrow]"),
    supply_rate: await dataValue(page, "[data-testid=rate-supply]"),
  };
}

const projectFigures = (outlook, asset) => {
  const rate = outlook.rates.find((r) => r.asset === asset);
  return {
    days_until_liquidation: outlook.days_until_liquidation,
    health_factor_in_a_year: outlook.health_factors[365],
    utilisation: rate.utilisation,
    variable_borrow_rate: rate.variable_borrow_rate,
    supply_rate: rate.supply_rate,
  };
};

test("a utilisation what-if moves the rates and the health factor over time, exactly as ballast project has them", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const panel = page.locator("[data-testid=interest-panel]");
    await panel.waitFor();
    assert.equal(await page.inputValue("[data-testid=rate-asset]"), "USDC", "starts on the largest debt");
    await page.waitForFunction(() => document.querySelector("#hf-time-chart")?.dataset.points === "366");
    // Today: USDC 88 % used; below the 90 % kink the rate is 6 % × 0.88 / 0.9.
    const today = await interestFigures(page);
    assert.equal(today.utilisation, "0.88");
    assert.equal(today.variable_borrow_rate, "0.058666666666666666666666667");
    assert.equal(today.days_until_liquidation, null);
    assert.deepEqual(today, projectFigures(cliProject(await exported(page)), "USDC"));
    assert.equal(await chartAttr(page, "hf-time-chart", "data-marks"), "none");
    await page.waitForFunction(() => document.querySelector("#rate-curve-chart")?.dataset.marks === "today=0.88");
    assert.equal(await chartAttr(page, "rate-curve-chart", "data-points"), "101");

    // Fully used: 6 % + 60 % a year, and interest now liquidates within the year.
    await page.locator("[data-testid=utilisation-slider]").fill("100");
    await page.waitForFunction(() => document.querySelector("[data-testid=rate-borrow]").dataset.value === "0.66");
    await page.waitForFunction(() => document.querySelector("#rate-curve-chart")?.dataset.marks === "today=0.88;what-if=1");
    const hot = await interestFigures(page);
    assert.ok(hot.days_until_liquidation > 0 && hot.days_until_liquidation < 365, `${hot.days_until_liquidation}`);
    assert.ok(scaled(hot.health_factor_in_a_year) < scaled(today.health_factor_in_a_year));
    const file = await exported(page);
    assert.equal(JSON.parse(file).assets.find((a) => a.symbol === "USDC").total_borrowed, "3000000000");
    assert.deepEqual(hot, projectFigures(cliProject(file), "USDC"));
    await page.waitForFunction((d) => document.querySelector("#hf-time-chart")?.dataset.marks === `day=${d}`, hot.days_until_liquidation);
    // Prices and amounts did not move: the report is the same.
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(file)));

    // Under the position's own USDC debt is refused and changes nothing.
    await page.locator("[data-testid=utilisation-slider]").fill("0");
    await page.locator("[data-testid=utilisation-error]", { hasText: "less than this position's own USDC debt" }).waitFor();
    assert.equal(await dataValue(page, "[data-testid=rate-borrow]"), "0.66");

    await page.click("[data-testid=undo]");
    await page.waitForFunction(() => document.querySelector("[data-testid=rate-borrow]").dataset.value !== "0.66");
    assert.deepEqual(await interestFigures(page), today, "undo restores today's rates");
    ctx.assertNoErrors();
    assert.deepEqual(ctx.blocked, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("collateral and debt by asset sum exactly to the report's totals, for Aave, e-mode, Maker and Liquity", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    for (const position of ["aave-demo", "aave-emode-demo", "maker-demo", "liquity-demo"]) {
      const { ctx, page } = await openApp(server, `?position=${position}`);
      await page.locator("[data-testid=composition-row]").first().waitFor();
      const sum = async (id) => {
        let total = 0n;
        for (const cell of await page.locator(`[data-testid=${id}]`).all()) total += scaled(await cell.getAttribute("data-value"));
        return total;
      };
      const report = cliEval(snapshotScenario(position));
      assert.equal(await sum("composition-collateral"), scaled(report.collateral_value), position);
      assert.equal(await sum("composition-debt"), scaled(report.debt_value), position);
      assert.equal(await dataValue(page, "[data-testid=collateral-value]"), report.collateral_value);
      await page.waitForFunction(() => Number(document.querySelector("#composition-chart")?.dataset.points) >= 2);
      ctx.assertNoErrors();
      await ctx.close();
    }
  } finally {
    await server.close();
  }
});

test("the composition chart drops an asset no longer held, and names the same assets as its table", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const drawn = () =>
      page.evaluate(() => {
        const chart = window.echarts?.getInstanceByDom(document.getElementById("composition-chart"));
        return chart ? chart.getOption().series.map((s) => `${s.name}=${s.data.join("/")}`) : null;
      });
    const rows = () => page.locator("[data-testid=composition-row]").evaluateAll((rs) => rs.map((r) => r.dataset.asset));
    await page.waitForFunction(() => Number(document.querySelector("#composition-chart")?.dataset.points) === 10);
    await page.waitForFunction(() => window.echarts?.getInstanceByDom(document.getElementById("composition-chart")));
    const before = await drawn();
    assert.deepEqual(before.map((s) => s.split("=")[0]), ["WETH", "wstETH", "WBTC", "USDC", "DAI"]);
    assert.deepEqual(await rows(), ["WETH", "wstETH", "WBTC", "USDC", "DAI"]);

    // All the wstETH withdrawn: four assets left, each drawn with its own values (a merge by position
    // would have kept a fifth series, the old DAI, and shifted the names).
    await page.selectOption("[data-testid=action-kind]", "withdraw");
    await page.selectOption("[data-testid=action-asset]", "wstETH");
    await page.fill("[data-testid=action-amount]", "2");
    await page.click("[data-testid=action-apply]");
    await page.waitForFunction(() => Number(document.querySelector("#composition-chart")?.dataset.points) === 8);
    // The chart follows the scenario a moment later (throttled); give it time to redraw, then compare.
    await page.waitForTimeout(500);
    const after = await drawn();
    assert.deepEqual(await rows(), ["WETH", "WBTC", "USDC", "DAI"]);
    assert.deepEqual(after, before.filter((s) => !s.startsWith("wstETH=")));
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("switching protocol fills the other protocol's form from the plan, and the edited plan is one click away", { skip }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openApp(server, "?position=aave-demo");
    const before = await dataValue(page, "[data-testid=health-factor]");
    await page.locator("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]").fill("-5");
    await waitForHfChange(page, before);
    const edited = await exported(page);
    const editedHf = await dataValue(page, "[data-testid=health-factor]");

    // WETH (6.5 at 2850) is still the largest collateral, ahead of 0.2 WBTC at 90000.
    await page.selectOption("[data-testid=protocol-choice]", "maker");
    // Nothing changed yet: the form is open, filled from the plan, and the select still says Aave V3.
    await page.locator("[data-testid=maker-form]").waitFor({ state: "visible" });
    assert.equal(await page.inputValue("[data-testid=protocol-choice]"), "aave-v3");
    assert.equal(await page.inputValue("[data-testid=maker-collateral]"), "6.5");
    assert.equal(await page.inputValue("[data-testid=maker-price]"), JSON.parse(edited).assets.find((a) => a.symbol === "WETH").price);
    assert.equal(await page.inputValue("[data-testid=maker-debt]"), cliEval(edited).debt_value);
    assert.equal(await dataValue(page, "[data-testid=health-factor]"), editedHf);

    await page.fill("[data-testid=maker-mat]", "1.5");
    await page.click("[data-testid=open-maker]");
    await page.waitForFunction(() => document.querySelector("[data-testid=position] h2")?.textContent.includes("Maker"));
    assert.equal(await page.inputValue("[data-testid=protocol-choice]"), "maker");
    const vault = await exported(page);
    assert.equal(JSON.parse(vault).protocol, "maker");
    assert.deepEqual(await shownFigures(page), reportFigures(cliEval(vault)));

    await page.click("[data-testid=back-to-previous]");
    await page.waitForFunction(() => document.querySelector("[data-testid=position] h2")?.textContent.includes("as you left it"));
    assert.equal(await exported(page), edited, "the edited plan comes back exactly");
    assert.equal(await dataValue(page, "[data-testid=health-factor]"), editedHf);
    // And the vault is now the one a click away.
    await page.locator("[data-testid=back-to-previous]", { hasText: "Maker vault" }).waitFor();
    ctx.assertNoErrors();
    assert.deepEqual(ctx.blocked, []);
    await ctx.close();
  } finally {
    await server.close();
  }
});
