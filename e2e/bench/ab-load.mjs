// Load → interactive of two (or more) built sites, cold loads alternating
// between them so machine load hits both alike: bench.mjs's definition of
// interactive, and the steps before it: the page module's wasm requested and
// downloaded, its compilation started, the module instantiated, the
// shell's first element, the health factor; and after it, when the page has
// mounted what it defers past the first frame (no element is `aria-busy`) and
// drawn its charts, and the longest task from interactive to then (what a
// click right after the paint may wait for). With a first frame (the Plan page's,
// src/first_frame.rs), "wasm" is the first one fetched (the first frame's) and
// "controls painted" the first frame with the page's price sliders. "wasm downloaded → interactive"
// leaves out the network and server noise. Medians, printed, never asserted.
//
//   N=10 [THROTTLE_KBPS=1600 LATENCY_MS=150] node bench/ab-load.mjs DIST_A DIST_B
// THROTTLE_KBPS / LATENCY_MS: a slower network (Chromium's emulation, each response's bytes paced),
// e.g. a phone's; without them the loads are at loopback speed.
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { interactiveProbe } from "../bench.mjs";
const dists = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const N = Number(process.env.N ?? 10);
const servers = await Promise.all(dists.map((d) => startStaticServer(d)));
const browser = await launchBrowser();
async function coldLoad(url) {
  const ctx = await newTestContext(browser);
  await ctx.context.addInitScript(() => {
    // When the module's compilation starts (in the loader, or in the glue's instantiate) and when it is
    // instantiated, and when the shell first puts something in <body>.
    for (const fn of ["compileStreaming", "compile", "instantiateStreaming", "instantiate"]) {
      const original = WebAssembly[fn];
      WebAssembly[fn] = function (...args) {
        window.__compileStart ??= performance.now();
        const done = original.apply(this, args);
        return fn.startsWith("instantiate") ? done.then((r) => ((window.__compiled = performance.now()), r)) : done;
      };
    }
    new MutationObserver((_, observer) => {
      if (document.body?.children.length) (window.__shellAt = performance.now()), observer.disconnect();
    }).observe(document, { childList: true, subtree: true });

    window.__tasks = [];
    new PerformanceObserver((list) => window.__tasks.push(...list.getEntries().map((e) => [e.startTime, e.duration]))).observe({
      type: "longtask",
      buffered: true,
    });
  });
  await ctx.context.addInitScript(interactiveProbe);
  const page = await ctx.newPage();
  if (process.env.THROTTLE_KBPS) {
    const cdp = await ctx.context.newCDPSession(page);
    const bytesPerSecond = (Number(process.env.THROTTLE_KBPS) * 1000) / 8;
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: Number(process.env.LATENCY_MS ?? 0),
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
  }
  await page.goto(url);
  await page.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 60_000 });
  // Settled: every deferred group mounted and every chart drawn (or showing why not).
  await page.waitForFunction(
    () =>
      !document.querySelector("[aria-busy=true]") &&
      [...document.querySelectorAll(".chart-canvas")].every(
        (c) => c.hasAttribute("data-points") || c.parentElement.querySelector(".field-error:not([hidden])"),
      ) &&
      (window.__settledAt ??= performance.now()),
    null,
    { timeout: 30_000, polling: "raf" },
  );
  // Long tasks are reported after they end: give the last one time to arrive.
  await page.waitForTimeout(50);
  const r = await page.evaluate(() => {
    const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
    return {
      at: window.__interactiveAt,
      controls: window.__controlsAt,
      hf: window.__hfAt,
      wasmStart: wasm?.startTime,
      wasmEnd: wasm?.responseEnd,
      compileStart: window.__compileStart,
      compiled: window.__compiled,
      shell: window.__shellAt,
      settled: window.__settledAt,
      // Long tasks (over 50 ms) that ended after interactive and started before the page settled.
      longestAfter: Math.max(0, ...window.__tasks.filter(([t, d]) => t + d > window.__interactiveAt && t < window.__settledAt).map(([, d]) => d)),
    };
  });
  await ctx.close();
  return r;
}
const res = dists.map(() => []);
for (let i = 0; i < N; i++) for (let d = 0; d < dists.length; d++) res[d].push(await coldLoad(servers[d].url));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const columns = {
  "wasm requested": (r) => r.wasmStart,
  "wasm downloaded": (r) => r.wasmEnd,
  "compilation started": (r) => r.compileStart,
  "instantiated": (r) => r.compiled,
  "shell in <body>": (r) => r.shell,
  "health factor": (r) => r.hf,
  interactive: (r) => r.at,
  "controls painted": (r) => r.controls,
  "wasm downloaded → interactive": (r) => r.at - r.wasmEnd,
  "settled (all mounted and drawn)": (r) => r.settled,
  "longest task after interactive": (r) => r.longestAfter,
};
console.log(`medians of ${N} cold loads each, ms from navigation`);
for (const [label, of] of Object.entries(columns))
  console.log(label.padEnd(32) + dists.map((_, i) => med(res[i].map(of)).toFixed(0).padStart(8)).join(""));
console.log("".padEnd(32) + dists.map((d) => d.slice(-8).padStart(8)).join(""));
await browser.close(); for (const s of servers) await s.close();
