// Where a slider move's time goes: Chromium's sampling profiler (CDP
// `Profiler`) over the benchmark's slider moves (e2e/bench.mjs), printed as
// the functions with the most self time and the most total time. Printed,
// never asserted. Function names come from the wasm's name section: build
// with names kept (Trunk's `data-keep-debug`) for readable output.
//
//   node bench/profile-slider.mjs DIST [--moves 200] [--top 40] [--save FILE.cpuprofile] [--to-hf]
import { writeFileSync } from "node:fs";
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { summariseProfile } from "./profile-summary.mjs";
import { tenAssetShareParam } from "../bench.mjs";

const args = process.argv.slice(2);
const dist = args.find((a) => !a.startsWith("--"));
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback);
const MOVES = option("--moves", 200);
const TOP = option("--top", 40);
if (!dist) throw new Error("usage: node bench/profile-slider.mjs DIST [--moves N] [--top N]");

const server = await startStaticServer(dist);
const browser = await launchBrowser();
try {
  const ctx = await newTestContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${server.url}?scenario=${tenAssetShareParam()}`);
  await page.locator("[data-testid=position][data-position=shared]").waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  // Each move's window: from the input event to the health factor's change
  // (what bench.mjs times) and to the end of the work it queued (the next task).
  const moves = await page.evaluate(async (n) => {
    const slider = document.querySelector("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]");
    const hf = () => document.querySelector("[data-testid=health-factor]");
    const nextTask = () => new Promise((r) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => r(performance.now());
      channel.port2.postMessage(null);
    });
    // A marker the profile can be aligned by: its samples start at `at`.
    const at = performance.now();
    (function profileClockMarker() {
      while (performance.now() - at < 30);
    })();
    const out = [];
    for (let i = 0; i < n; i++) {
      const before = hf().dataset.value;
      let changedAt = NaN;
      const observer = new MutationObserver(() => {
        if (Number.isNaN(changedAt) && hf().dataset.value !== before) changedAt = performance.now();
      });
      observer.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
      const t0 = performance.now();
      slider.value = String(-1 - (i % 40));
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      const done = await nextTask();
      observer.disconnect();
      out.push([t0, changedAt, done]);
      await new Promise((r) => setTimeout(r, 0));
    }
    return { at, out };
  }, MOVES);
  const { profile } = await cdp.send("Profiler.stop");

  // Sample i was taken at startTime + sum of deltas (µs, the profiler's clock); the marker's first sample is `at`.
  const times = [];
  profile.timeDeltas.reduce((t, d, i) => ((times[i] = t + d), t + d), profile.startTime);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const marker = profile.samples.findIndex((id) => byId.get(id).callFrame.functionName === "profileClockMarker");
  if (marker < 0) throw new Error("the clock marker was not sampled");
  const offset = moves.at - times[marker] / 1000;
  // --to-hf: only up to the health factor's change (what bench.mjs times).
  const windows = moves.out.map(([t0, hf, done]) => [t0, args.includes("--to-hf") && !Number.isNaN(hf) ? hf : done]);
  const inWindow = (ms) => windows.some(([a, b]) => ms >= a && ms <= b);
  const picked = { ...profile, samples: [], timeDeltas: [] };
  profile.samples.forEach((id, i) => {
    if (inWindow(times[i] / 1000 + offset)) {
      picked.samples.push(id);
      picked.timeDeltas.push(profile.timeDeltas[i + 1] ?? 0);
    }
  });
  picked.timeDeltas.unshift(0);
  const sum = (xs) => xs.reduce((a, b) => a + b, 0);
  const toHf = moves.out.map(([t0, hf]) => hf - t0).filter((x) => !Number.isNaN(x));
  const toDone = moves.out.map(([t0, , done]) => done - t0);
  console.log(
    `${MOVES} moves: to the health factor ${(sum(toHf) / toHf.length).toFixed(2)} ms mean, ` +
      `to the end of their work ${(sum(toDone) / toDone.length).toFixed(2)} ms mean (profiler on)`,
  );
  if (args.includes("--save")) writeFileSync(args[args.indexOf("--save") + 1], JSON.stringify(picked));
  const { self, total } = summariseProfile(picked, { top: TOP });
  console.log("\ninside the moves, self time:\n" + self.join("\n"));
  console.log("\ninside the moves, total time:\n" + total.join("\n"));
  ctx.assertNoErrors();
  await ctx.close();
} finally {
  await browser.close();
  await server.close();
}
