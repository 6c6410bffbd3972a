// Where a cold load's time goes, up to the health factor's first showing:
// Chromium's sampling profiler (CDP `Profiler`) from navigation to the moment
// the health-factor figure has its number, printed as the functions with the
// most self time and the most total time. Function names come from the wasm's
// name section: swap in a module optimised with `wasm-opt -Oz -g` (docs/load.md
// says how). The profiler roughly doubles the times; read the shares, not the
// milliseconds. Printed, never asserted.
//
//   [ROOT=fn] [GREP=text] node bench/profile-load.mjs DIST [TOP]
//   ROOT: only samples under a function whose name contains fn; GREP: only names containing text.
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { summariseProfile } from "./profile-summary.mjs";
const dist = process.argv[2];
const TOP = Number(process.argv[3] ?? 45);
if (!dist) throw new Error("usage: [ROOT=fn] [GREP=text] node bench/profile-load.mjs DIST [TOP]");

const server = await startStaticServer(dist);
const browser = await launchBrowser();
try {
  const ctx = await newTestContext(browser);
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (!window.__hf && document.querySelector("[data-testid=health-factor]")?.textContent) window.__hf = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  await cdp.send("Profiler.start");
  await page.goto(server.url);
  await page.waitForFunction(() => window.__hf, null, { timeout: 30_000, polling: "raf" });
  const { profile } = await cdp.send("Profiler.stop");
  console.log(`health factor shown at ${(await page.evaluate(() => window.__hf)).toFixed(0)} ms (profiler on)`);
  const { self, total } = summariseProfile(profile, { top: TOP, root: process.env.ROOT, grep: process.env.GREP });
  console.log("\nself time:\n" + self.join("\n"));
  console.log("\ntotal time:\n" + total.join("\n"));
  await ctx.close();
} finally {
  await browser.close();
  await server.close();
}
