// ECharts is injected after first paint, so it is not among the page's tagged assets: the
// post-build hook writes its digest into the page and the app's loader puts it on the script
// it injects. The injected script carries the digest of the built file, and a tampered file
// is refused by the browser (no `echarts`, the chart says why).
//
// Needs BALLAST_DIST (the built site) for all but the first test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, useBrowser } from "../lib/site.mjs";
import { LAZY_SCRIPTS, withLazyIntegrity } from "../../scripts/externalize-loader.mjs";

const { DIST, skip } = siteUnderTest();
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
const META = /<meta name="ballast:integrity:echarts\.min\.js" content="([^"]+)">/;

test("the hook writes one digest meta per lazily injected file, replacing an older one", () => {
  assert.deepEqual(LAZY_SCRIPTS, ["echarts.min.js"]);
  const page = "<html><head><title>t</title></head><body></body></html>";
  const once = withLazyIntegrity(page, [{ name: "echarts.min.js", bytes: "one" }]);
  assert.equal(once.match(META)?.[1], sri("one"));
  assert.ok(once.indexOf("ballast:integrity") < once.indexOf("</head>"));
  const twice = withLazyIntegrity(once, [{ name: "echarts.min.js", bytes: "two" }]);
  assert.equal(twice.match(new RegExp(META.source, "g")).length, 1);
  assert.equal(twice.match(META)[1], sri("two"));
});

test("the built page names the digest of the built echarts.min.js", { skip }, () => {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  assert.equal(html.match(META)?.[1], sri(readFileSync(path.join(DIST, "echarts.min.js"))));
});

const { newContext } = useBrowser(skip);

async function openPlan(server, tamper) {
  const ctx = await newContext();
  const page = await ctx.newPage();
  if (tamper) {
    const original = readFileSync(path.join(DIST, "echarts.min.js"), "utf8");
    await page.route(`${server.url}echarts.min.js`, (route) =>
      route.fulfill({ contentType: "text/javascript", body: `${original}\nwindow.__tampered = true;` }),
    );
  }
  await page.goto(`${server.url}?position=aave-demo`);
  await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
  return { ctx, page };
}

test("the injected ECharts script carries the built file's digest and loads", { skip, timeout: 60_000 }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openPlan(server, false);
    await page.waitForFunction(() => typeof window.echarts === "object", null, { timeout: 30_000 });
    const script = await page.evaluate(() => {
      const s = document.querySelector('script[src="echarts.min.js"]');
      return { integrity: s?.integrity, crossOrigin: s?.crossOrigin, count: document.querySelectorAll('script[src="echarts.min.js"]').length };
    });
    assert.deepEqual(script, { integrity: sri(readFileSync(path.join(DIST, "echarts.min.js"))), crossOrigin: "anonymous", count: 1 });
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("a tampered echarts.min.js is refused: it never runs and the chart says why", { skip, timeout: 60_000 }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const { ctx, page } = await openPlan(server, true);
    await page.waitForFunction(
      () => [...document.querySelectorAll("[role=alert]")].some((e) => /integrity digest/.test(e.textContent)),
      null,
      { timeout: 30_000 },
    );
    assert.deepEqual(await page.evaluate(() => [typeof window.echarts, window.__tampered]), ["undefined", undefined]);
    // The browser's own refusal is the only error.
    assert.ok(ctx.errors.length > 0 && ctx.errors.every((e) => /integrity/i.test(e.text)), JSON.stringify(ctx.errors));
    await ctx.close();
  } finally {
    await server.close();
  }
});
