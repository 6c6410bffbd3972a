// The Plan page's first frame (src/first_frame.rs): a small module paints the
// default position's health factor before the page's own module loads. It must
// show exactly what the page then shows (and what `ballast eval` prints), give
// way to the page without a frame showing both, and stay away from addresses
// that open something other than a snapshot position.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, snapshotCli, useBrowser, mounted } from "../lib/site.mjs";

const { DIST, CLI, skip } = siteUnderTest({ cli: true });
const { snapshotScenario, cliEval } = snapshotCli({ DIST, CLI });
const { newContext } = useBrowser(skip);

/**
 * Records, before any app code runs, the first frame as it was painted (`__firstFrame`), and
 * whether the page's shell was ever laid out while the first frame was still there (`__bothShown`).
 */
function recordFirstFrame() {
  // The figures under `root` and the current page in the navigation under `shell`; kept on `window`
  // to read the page's own figures the same way once it has replaced the first frame.
  const read = (root, shell = root) => {
    const text = (selector) => root.querySelector(selector)?.textContent ?? null;
    return {
      title: text("h2"),
      shown: text("[data-testid=health-factor]"),
      value: root.querySelector("[data-testid=health-factor]")?.dataset.value ?? null,
      band: text("[data-testid=health-band]"),
      basis: text(".health-factor-basis"),
      section: root.querySelector("[data-testid=health-factor]")?.closest("section")?.className ?? null,
      current: shell.querySelector("nav .nav-current")?.textContent ?? null,
    };
  };
  window.__readFigures = read;
  window.__bothShown = [];
  new MutationObserver(() => {
    if (!document.body) return;
    const frame = document.getElementById("first-frame");
    if (frame && !window.__shellFirst) {
      // Drawn at once, before the snapshot is in: the header and a loading line.
      window.__shellFirst = { loading: frame.querySelector("main .loading")?.textContent ?? null, hf: Boolean(frame.querySelector("[data-testid=health-factor]")) };
    }
    if (frame?.querySelector("[data-testid=health-factor]") && !window.__firstFrame) {
      window.__firstFrame = read(frame);
      window.__firstFrameHeight = frame.querySelector("main").getBoundingClientRect().height;
    }
    // The shell mounts behind the first frame; it must not take any room until the frame is gone.
    const shell = [...document.body.children].filter((e) => e !== frame && e.tagName !== "SCRIPT");
    if (frame && shell.length) window.__bothShown.push(...shell.map((e) => e.getBoundingClientRect().height));
  }).observe(document, { childList: true, subtree: true });
}

const OPENINGS = [
  ...["aave-demo", "aave-emode-demo", "maker-demo", "liquity-demo"].map((p) => [p, `?position=${p}`]),
  ["the default address", ""],
  ["an unknown position (the first one opens)", "?position=gone"],
  ["a live= with no link (the page ignores it)", "?live=Ethereum"],
];

for (const [name, query] of OPENINGS) {
  test(`${name}: the first frame shows what the page and ballast eval show, then gives way to the page`, { skip }, async () => {
    const server = await startStaticServer(DIST);
    try {
      const ctx = await newContext();
      await ctx.context.addInitScript(recordFirstFrame);
      const page = await ctx.newPage();
      await page.goto(`${server.url}${query}`);
      await page.locator("[data-testid=position]").waitFor({ timeout: 30_000 });
      await mounted(page);
      assert.deepEqual(await page.evaluate(() => window.__shellFirst), { loading: "Loading the demo snapshot…", hf: false });
      const first = await page.evaluate(() => window.__firstFrame);
      assert.ok(first, "a first frame was painted");
      const position = await page.locator("[data-testid=position]").getAttribute("data-position");
      if (query.startsWith("?position=") && query !== "?position=gone") assert.equal(position, query.slice("?position=".length));
      const report = cliEval(snapshotScenario(position));
      assert.equal(first.value, report.health_factor ?? "none");
      // The page's own figures, once it has replaced the first frame.
      const now = await page.evaluate(() => window.__readFigures(document.querySelector("[data-testid=position]"), document));
      assert.deepEqual(first, now);
      assert.match(first.basis, /^On saved prices, not live \(saved \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/);
      assert.equal(await page.locator("#first-frame").count(), 0, "the first frame is gone");
      assert.equal(await page.locator("[data-testid=health-factor]").count(), 1);
      assert.deepEqual(await page.evaluate(() => window.__bothShown.filter((h) => h > 0)), [], "the shell took room beside the first frame");
      assert.ok((await page.evaluate(() => window.__firstFrameHeight)) > 0);
      // The page's module takes the snapshot text the first frame fetched (with its digest) instead of asking again.
      assert.deepEqual(server.requests.filter((r) => /snapshot\.json/.test(r)), ["GET /snapshot.json 200"]);
      assert.equal(await page.evaluate(() => "__ballastSnapshotText" in window), false, "the hand-over is taken once");
      ctx.assertNoErrors();
      await ctx.close();
    } finally {
      await server.close();
    }
  });
}

for (const [name, query] of [
  ["a shared link", `?view=plan#scenario=${encodeURIComponent("1.e30")}`],
  ["a link in the query", "?scenario=1.e30"],
  ["another page", "?view=glossary"],
]) {
  test(`${name}: no first frame; the page alone says what it opens`, { skip }, async () => {
    const server = await startStaticServer(DIST);
    try {
      const ctx = await newContext();
      await ctx.context.addInitScript(recordFirstFrame);
      const page = await ctx.newPage();
      await page.goto(`${server.url}${query}`);
      await page.locator("nav .nav-current").waitFor({ timeout: 30_000 });
      await page.locator("main").last().waitFor();
      await mounted(page);
      assert.equal(await page.evaluate(() => window.__firstFrame ?? null), null);
      assert.equal(await page.evaluate(() => window.__shellFirst ?? null), null, "not even the header and loading line");
      // The page alone says the link could not be read.
      if (query.includes("scenario=")) assert.match(await page.locator("[data-testid=link-error]").innerText(), /^The shared link could not be read/);
      const requests = server.requests.filter((r) => /first-frame/.test(r));
      // A page without a first frame does not even fetch its module.
      if (query.includes("glossary")) assert.deepEqual(requests, []);
      ctx.assertNoErrors();
      await ctx.close();
    } finally {
      await server.close();
    }
  });
}
