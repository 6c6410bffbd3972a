// The byte budget's own logic (scripts/byte-budget.mjs) on a made-up site:
// what counts as critical path, and where the 10 % line falls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { measureCriticalPath, linkedFiles, sizes } from "../../scripts/critical-path.mjs";
import { checkBudget, checkControls, baselineFor, BASELINE_PATH } from "../../scripts/byte-budget.mjs";
import { withPageLoader, pageModulesOf } from "../../scripts/externalize-loader.mjs";

const INDEX = `<!DOCTYPE html><html><head>
<link rel="modulepreload" href="./app-0123456789abcdef.js" crossorigin="anonymous" integrity="sha384-x">
<link rel="preload" href="./app-0123456789abcdef_bg.wasm" as="fetch" type="application/wasm">
<link rel="stylesheet" href="./main-0123456789abcdef.css">
<link rel="icon" href="./favicon-0123456789abcdef.svg">
<script type="module">import init from './app-0123456789abcdef.js';</script>
</head><body></body></html>`;

function fakeSite() {
  const dist = mkdtempSync(path.join(tmpdir(), "ballast-budget-"));
  const files = {
    "index.html": INDEX,
    "app-0123456789abcdef.js": "export default function init() {}\n".repeat(20),
    "app-0123456789abcdef_bg.wasm": Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251)),
    "main-0123456789abcdef.css": "body { margin: 0 }\n",
    "favicon-0123456789abcdef.svg": "<svg/>",
    "snapshot.json": JSON.stringify({ prices: Array.from({ length: 50 }, (_, i) => ({ i, p: `${i * 3}.5` })) }),
    "echarts.min.js": "var echarts = {};\n".repeat(500),
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dist, name), body);
  return { dist, files };
}

test("the critical path is index.html, what it links (not the icon) and the snapshot; other scripts are lazy", () => {
  const { dist, files } = fakeSite();
  assert.deepEqual(linkedFiles(INDEX), ["app-0123456789abcdef.js", "app-0123456789abcdef_bg.wasm", "main-0123456789abcdef.css"]);
  const m = measureCriticalPath(dist);
  assert.deepEqual(m.files.map((f) => f.name), [
    "index.html",
    "app-0123456789abcdef.js",
    "app-0123456789abcdef_bg.wasm",
    "main-0123456789abcdef.css",
    "snapshot.json",
  ]);
  const expected = m.files.map((f) => sizes(Buffer.from(files[f.name]))).reduce((a, b) => a + b.brotli, 0);
  assert.equal(m.total.brotli, expected);
  assert.equal(m.total.raw, m.files.reduce((a, f) => a + Buffer.byteLength(files[f.name]), 0));
  assert.deepEqual(m.lazy.map((f) => f.name), ["echarts.min.js"]);
});

test("a linked file missing from dist is an error naming it, not a smaller total", () => {
  const { dist } = fakeSite();
  writeFileSync(path.join(dist, "index.html"), INDEX.replace("main-0123456789abcdef.css", "gone.css"));
  assert.throws(() => measureCriticalPath(dist), /gone\.css is on the critical path/);
});

test("growth up to 10 % passes, one byte more fails and says how to raise the baseline", () => {
  const baseline = { allowed_growth: 0.1, critical_path: { raw: 0, gzip: 0, brotli: 200_000 } };
  assert.equal(checkBudget({ brotli: 220_000 }, baseline).ok, true);
  assert.equal(checkBudget({ brotli: 150_000 }, baseline).ok, true);
  const over = checkBudget({ brotli: 220_001 }, baseline);
  assert.equal(over.ok, false);
  assert.equal(over.limit, 220_000);
  assert.match(over.message, /\+10\.0 % over the baseline 200000 B/);
  assert.match(over.message, /byte-budget\.mjs dist --write/);
});

test("the committed baseline is well formed and its file names carry no build hash", () => {
  const committed = JSON.parse(readFileSync(BASELINE_PATH, "utf8"));
  assert.equal(committed.allowed_growth, 0.1);
  assert.ok(committed.critical_path.brotli > 100_000, JSON.stringify(committed.critical_path));
  assert.match(committed.how_to_raise, /--write/);
  for (const name of Object.keys(committed.files)) assert.doesNotMatch(name, /[0-9a-f]{16}/);
  const { dist } = fakeSite();
  assert.deepEqual(Object.keys(baselineFor(measureCriticalPath(dist)).files), [
    "index.html",
    "app-*.js",
    "app-*_bg.wasm",
    "main-*.css",
    "snapshot.json",
  ]);
});

test("with one module per page, the default page's module is on the critical path and every other one is lazy", () => {
  const dist = mkdtempSync(path.join(tmpdir(), "ballast-budget-pages-"));
  const wasm = (seed) => Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * seed) % 251));
  const files = {
    "ballast-web.js": "export default function init() {}\n".repeat(10),
    "ballast-web_bg.wasm": wasm(7919),
    "ballast-page-risk.js": "export default function init() { return 1 }\n".repeat(10),
    "ballast-page-risk_bg.wasm": wasm(104729),
    "main-0123456789abcdef.css": "body { margin: 0 }\n",
    "snapshot.json": "{}",
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dist, name), body);
  const { html } = withPageLoader(
    `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'"><link rel="stylesheet" href="./main-0123456789abcdef.css"></head></html>`,
    dist,
    { plan: "ballast-web", risk: "ballast-page-risk" },
    {},
  );
  writeFileSync(path.join(dist, "index.html"), html);
  const pages = pageModulesOf(html);

  const m = measureCriticalPath(dist);
  assert.deepEqual(m.files.map((f) => f.name), [
    "index.html",
    "main-0123456789abcdef.css",
    pages.plan.js,
    pages.plan.wasm,
    "snapshot.json",
  ]);
  assert.equal(m.files.find((f) => f.name === pages.plan.wasm).raw, files["ballast-web_bg.wasm"].length);
  assert.deepEqual(m.lazy.map((f) => f.name), [pages.risk.js, pages.risk.wasm].sort());
  assert.deepEqual(Object.keys(baselineFor(m).files), ["index.html", "main-*.css", "ballast-web-*.js", "ballast-web-*_bg.wasm", "snapshot.json"]);
});

test("with a first frame, the critical path holds it instead of the page's module, which is measured as the page's controls", () => {
  const dist = mkdtempSync(path.join(tmpdir(), "ballast-budget-first-"));
  const wasm = (seed) => Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * seed) % 251));
  const files = {
    "ballast-web.js": "export default function init() {}\n".repeat(10),
    "ballast-web_bg.wasm": wasm(7919),
    "ballast-first-frame.js": "export default function init() { return 2 }\n".repeat(10),
    "ballast-first-frame_bg.wasm": wasm(15485863),
    "ballast-page-risk.js": "export default function init() { return 1 }\n".repeat(10),
    "ballast-page-risk_bg.wasm": wasm(104729),
    "snapshot.json": "{}",
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dist, name), body);
  const { html } = withPageLoader(
    `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'"></head></html>`,
    dist,
    { plan: "ballast-web", risk: "ballast-page-risk" },
    { plan: "ballast-first-frame" },
  );
  writeFileSync(path.join(dist, "index.html"), html);
  const pages = pageModulesOf(html);

  const m = measureCriticalPath(dist);
  assert.deepEqual(m.files.map((f) => f.name), ["index.html", pages.plan.first.js, pages.plan.first.wasm, "snapshot.json"]);
  assert.deepEqual(m.controls.files.map((f) => f.name), [pages.plan.js, pages.plan.wasm]);
  assert.equal(m.controls.total.raw, files["ballast-web.js"].length + files["ballast-web_bg.wasm"].length);
  assert.deepEqual(m.lazy.map((f) => f.name), [pages.risk.js, pages.risk.wasm].sort());
  const baseline = baselineFor(m);
  assert.deepEqual(Object.keys(baseline.files), ["index.html", "ballast-first-frame-*.js", "ballast-first-frame-*_bg.wasm", "snapshot.json"]);
  assert.deepEqual(Object.keys(baseline.controls_files), ["ballast-web-*.js", "ballast-web-*_bg.wasm"]);
  // The controls keep their own 10 %: off the critical path, not off the budget.
  assert.equal(checkControls(m.controls.total, baseline).ok, true);
  const grown = { ...m.controls.total, brotli: Math.floor(baseline.controls.brotli * 1.1) + 1 };
  const over = checkControls(grown, baseline);
  assert.equal(over.ok, false);
  assert.match(over.message, /controls .* over the limit/);
});
