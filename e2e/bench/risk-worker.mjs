// Times the risk worker in Chromium: the Risk page's request for the Aave
// demo position (10 000 paths × 30 daily steps × 5 assets, every summary),
// run by the worker's own wasm from the built site. Prints figures; asserts
// nothing about time.
//
//   BALLAST_DIST=dist BALLAST_CLI=target/debug/ballast node e2e/bench/risk-worker.mjs [runs]
import { execFileSync } from "node:child_process";
import path from "node:path";
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";

const DIST = process.env.BALLAST_DIST;
const CLI = process.env.BALLAST_CLI;
if (!DIST || !CLI) throw new Error("set BALLAST_DIST (the built site) and BALLAST_CLI (the ballast binary)");
const runs = Number(process.argv[2] ?? 9);

const request = execFileSync(CLI, [
  "risk-demo", path.join(DIST, "snapshot.json"), "--position", "aave-demo",
  "--horizon", "30", "--paths", "10000", "--seed", "1",
]).toString();
const native = JSON.parse(execFileSync(CLI, ["risk", "-"], { input: request }).toString());

const server = await startStaticServer(DIST);
const browser = await launchBrowser();
try {
  const ctx = await newTestContext(browser);
  const page = await ctx.newPage();
  await page.goto(`${server.url}?view=risk`);
  await page.locator("[data-testid=risk-page]").waitFor({ timeout: 30_000 });
  const result = await page.evaluate(
    async ({ request, runs }) => {
      const loadStarted = performance.now();
      const worker = new Worker("ballast-risk-worker_loader.js");
      const next = () => new Promise((resolve, reject) => {
        worker.onmessage = (e) => {
          const m = JSON.parse(e.data);
          if (m.kind === "ready" || m.kind === "done") resolve(m);
          else if (m.kind === "failed") reject(new Error(m.message));
        };
        worker.onerror = (e) => reject(new Error(e.message));
      });
      await next();
      const loadMs = performance.now() - loadStarted;
      const times = [];
      let last;
      for (let i = 0; i < runs; i++) {
        const posted = performance.now();
        const done = next();
        worker.postMessage(request);
        last = await done;
        times.push({ worker: last.elapsed_ms, roundTrip: performance.now() - posted });
      }
      worker.terminate();
      return { loadMs, times, probability: last.report.simulation.liquidation_probability };
    },
    { request, runs },
  );
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const worker = result.times.map((t) => t.worker);
  const roundTrip = result.times.map((t) => t.roundTrip);
  console.log(`in the browser (Chromium, the worker's wasm, opt-level z), aave-demo: 10 000 paths × 30 days × 5 assets`);
  console.log(`  worker load (fetch + compile + start): ${result.loadMs.toFixed(0)} ms`);
  console.log(
    `  run in the worker: median ${median(worker).toFixed(1)} ms (min ${Math.min(...worker).toFixed(1)}, max ${Math.max(...worker).toFixed(1)}) over ${runs} runs; ` +
      `page to report and back: median ${median(roundTrip).toFixed(1)} ms`,
  );
  const same = result.probability.value === native.simulation.liquidation_probability.value;
  console.log(
    `  P(liquidation) ${result.probability.value} ± ${result.probability.std_error.toFixed(4)} (native: ${native.simulation.liquidation_probability.value}; ${same ? "identical" : "DIFFERENT"})`,
  );
  ctx.assertNoErrors();
  await ctx.close();
} finally {
  await browser.close();
  await server.close();
}
