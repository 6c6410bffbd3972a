// What the e2e files that drive the built site share: where the site (and the `ballast` CLI)
// are, one browser per file, and opening the app.
//
// scripts/test sets BALLAST_DIST and BALLAST_CLI. Unset, a file's tests skip (a bare
// `npm test`); set but missing is a broken build, which fails instead of skipping.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { launchBrowser, newTestContext } from "./browser.mjs";

/**
 * The site under test, and the CLI when `cli` is asked for.
 * @returns {{DIST: string|undefined, CLI: string|undefined, skip: false|string}}
 */
export function siteUnderTest({ cli = false } = {}) {
  const DIST = process.env.BALLAST_DIST;
  const CLI = process.env.BALLAST_CLI;
  const configured = Boolean(DIST && (!cli || CLI));
  if (DIST) assert.ok(existsSync(path.join(DIST, "index.html")), `no built site at ${DIST}`);
  if (cli && configured) assert.ok(existsSync(CLI), `no ballast binary at ${CLI}`);
  const needs = cli ? "BALLAST_DIST and BALLAST_CLI" : "BALLAST_DIST";
  return { DIST, CLI, skip: configured ? false : `set ${needs} (scripts/test does)` };
}

/**
 * One Chromium for the calling file's tests, launched in its `before` unless the file skips
 * and closed in its `after`. Returns what the tests open pages with:
 * - `newContext(opts)`: a fenced context, as `newTestContext` (lib/browser.mjs) makes it;
 * - `openApp(server, query)`: the app at `query` in a fresh context, once its health factor
 *   is on screen and nothing on the page is still being mounted (`aria-busy`).
 */
export function useBrowser(skip) {
  let browser;
  before(async () => {
    if (!skip) browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  const newContext = (opts) => newTestContext(browser, opts);
  async function openApp(server, query) {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}${query}`);
    await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
    await mounted(page);
    return { ctx, page };
  }
  return { newContext, openApp };
}

/** Resolves once nothing on the page is still being mounted (the Plan page adds its tables and panels in the frames after its first paint and is `aria-busy` until then). */
export const mounted = (page) => page.waitForFunction(() => !document.querySelector("[aria-busy=true]"), null, { timeout: 30_000 });

/** Moves the page's clock (`Date.now`) on by `ms`, as if that much time had passed; other timers are untouched. */
export const movePageClock = (page, ms) =>
  page.evaluate((by) => {
    const now = Date.now;
    Date.now = () => now() + by;
  }, ms);

/** The full-precision value a figure carries (its first match's `data-value`). */
export const dataValue = (page, selector) => page.locator(selector).first().getAttribute("data-value");

/**
 * The `ballast` CLI on the shipped snapshot: `snapshotScenario(position)` is a demo position
 * as scenario JSON text, `cliEval(scenario)` what `ballast eval` reports for a scenario.
 */
export function snapshotCli({ DIST, CLI }) {
  const snapshotScenario = (position) =>
    execFileSync(CLI, ["snapshot", path.join(DIST, "snapshot.json"), "--position", position]).toString();
  const cliEval = (scenario) => JSON.parse(execFileSync(CLI, ["eval", "-"], { input: scenario }).toString());
  return { snapshotScenario, cliEval };
}
