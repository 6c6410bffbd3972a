// The demo snapshot is preloaded by the page with its digest (the post-build hook writes the link),
// and the app's fetch names the same digest: the file is requested once, as the page starts, and a
// tampered one is refused with a message naming it instead of being shown as the demo's figures.
//
// Needs BALLAST_DIST (the built site) for all but the first test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startStaticServer } from "../lib/static-server.mjs";
import { siteUnderTest, useBrowser } from "../lib/site.mjs";
import { PRELOADED_DATA, withDataPreloads } from "../../scripts/externalize-loader.mjs";

const { DIST, skip } = siteUnderTest();
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
const PRELOAD = /<link rel="preload" href="\.\/snapshot\.json" as="fetch" crossorigin="anonymous" integrity="([^"]+)">/;

test("the hook writes one preload with its digest per data file, replacing an older one", () => {
  assert.deepEqual(PRELOADED_DATA, ["snapshot.json"]);
  const page = "<html><head><title>t</title></head><body></body></html>";
  const once = withDataPreloads(page, [{ name: "snapshot.json", bytes: "one" }]);
  assert.equal(once.match(PRELOAD)?.[1], sri("one"));
  assert.ok(once.indexOf("snapshot.json") < once.indexOf("</head>"));
  const twice = withDataPreloads(once, [{ name: "snapshot.json", bytes: "two" }]);
  assert.equal(twice.match(new RegExp(PRELOAD.source, "g")).length, 1);
  assert.equal(twice.match(PRELOAD)[1], sri("two"));
});

test("the built page preloads snapshot.json with the built file's digest", { skip }, () => {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  assert.equal(html.match(PRELOAD)?.[1], sri(readFileSync(path.join(DIST, "snapshot.json"))));
});

const { newContext } = useBrowser(skip);

test("the app takes the preloaded snapshot: one request, and the demo's figures", { skip, timeout: 60_000 }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const ctx = await newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.url}?position=aave-demo`);
    await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
    const snapshotRequests = server.requests.filter((r) => /\/snapshot\.json /.test(r));
    assert.deepEqual(snapshotRequests.length, 1, server.requests.join("\n"));
    assert.match(snapshotRequests[0], / 200$/);
    ctx.assertNoErrors();
    await ctx.close();
  } finally {
    await server.close();
  }
});

test("a tampered snapshot.json is refused and the page says so", { skip, timeout: 60_000 }, async () => {
  const server = await startStaticServer(DIST);
  try {
    const ctx = await newContext();
    const page = await ctx.newPage();
    const original = readFileSync(path.join(DIST, "snapshot.json"), "utf8");
    // Still a valid snapshot, so only the digest can tell.
    await page.route(`${server.url}snapshot.json`, (route) =>
      route.fulfill({ contentType: "application/json", body: `${original}\n` }),
    );
    await page.goto(`${server.url}?position=aave-demo`);
    const error = page.locator("[data-testid=load-error]");
    await error.waitFor({ timeout: 30_000 });
    assert.match(await error.textContent(), /demo snapshot \(snapshot\.json\).*does not match the digest/);
    assert.equal(await page.locator("[data-testid=health-factor]").count(), 0);
    // The browser's own refusal is the only error.
    assert.ok(ctx.errors.length > 0 && ctx.errors.every((e) => /integrity/i.test(e.text)), JSON.stringify(ctx.errors));
    await ctx.close();
  } finally {
    await server.close();
  }
});
