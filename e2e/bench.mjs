// Browser timings of the built site, for scripts/bench: printed, never asserted.
//
//   node bench.mjs DIST [--loads 10] [--moves 200]
//
// - load → interactive: cold loads (a fresh browser context each, files served
//   no-store from a local static server) of the embedded snapshot's default
//   position; interactive is the first painted frame showing the health-factor
//   label with its number: when the number reaches the DOM (a MutationObserver
//   installed before any app code), the next animation frame, and the task
//   after it, which runs once that frame is painted. Median of the loads.
//   The Plan page paints that from a first frame (src/first_frame.rs) before its
//   own module loads, so the same loads also time "controls": the first painted
//   frame with the price sliders, when dragging a what-if works.
// - slider move → DOM updated: on a 10-asset Aave scenario opened from a share
//   link, each move sets a price slider and fires its input event; the time
//   runs until the health factor's DOM changes. p50 and p95 of the moves.
import { availableParallelism, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { launchBrowser, newTestContext } from "./lib/browser.mjs";
import { startStaticServer } from "./lib/static-server.mjs";

const percentile = (xs, p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** A 10-asset Aave V3 scenario (6 collaterals, 4 debts) as a share link's parameter. */
export function tenAssetShareParam() {
  const asset = (symbol, decimals, price, ltv, lt, bonus) => ({
    symbol,
    decimals,
    price,
    ltv_bps: ltv,
    liquidation_threshold_bps: lt,
    liquidation_bonus_bps: bonus,
  });
  const scenario = {
    schema: "ballast.scenario/1",
    protocol: "aave-v3",
    assets: [
      asset("WETH", 18, "3000", 8000, 8250, 10500),
      asset("WBTC", 8, "60000", 7300, 7800, 10500),
      asset("wstETH", 18, "3500", 7100, 7600, 10600),
      asset("LINK", 18, "15", 5300, 6800, 10700),
      asset("AAVE", 18, "90", 6600, 7300, 10750),
      asset("UNI", 18, "7", 6500, 7700, 11000),
      asset("USDC", 6, "1", 7700, 8000, 10450),
      asset("DAI", 18, "1.0001", 6300, 7700, 10500),
      asset("USDT", 6, "0.9998", 7500, 7800, 10450),
      asset("GHO", 18, "1", 0, 0, 0),
    ],
    collateral: [
      { asset: "WETH", amount: "6.5" },
      { asset: "WBTC", amount: "0.4" },
      { asset: "wstETH", amount: "3" },
      { asset: "LINK", amount: "800" },
      { asset: "AAVE", amount: "40" },
      { asset: "UNI", amount: "1500" },
    ],
    debt: [
      { asset: "USDC", amount: "12000" },
      { asset: "DAI", amount: "8000" },
      { asset: "USDT", amount: "5000" },
      { asset: "GHO", amount: "3000" },
    ],
  };
  return `1.${Buffer.from(JSON.stringify(scenario)).toString("base64url")}`;
}

/**
 * An init script (runs in the page before any app code) recording when the health factor's number
 * first reaches the DOM (`window.__hfAt`) and when the frame showing it has been painted
 * (`window.__interactiveAt`): the next animation frame, then the task after it.
 */
export function interactiveProbe() {
  const hasNumber = (el) => el && /\d/.test(el.textContent ?? "");
  new MutationObserver((_, observer) => {
    const hf = document.querySelector("[data-testid=health-factor]");
    const label = hf?.parentElement?.querySelector(".health-factor-label");
    if (!hasNumber(hf) || !/health factor/i.test(label?.textContent ?? "")) return;
    observer.disconnect();
    window.__hfAt = performance.now();
    afterPaint(() => (window.__interactiveAt = performance.now()));
  }).observe(document, { childList: true, subtree: true, characterData: true });
  // The page's controls: its price sliders painted (after a first frame, the page's own module).
  new MutationObserver((_, observer) => {
    if (!document.querySelector("[data-testid=price-slider]")) return;
    observer.disconnect();
    afterPaint(() => (window.__controlsAt = performance.now()));
  }).observe(document, { childList: true, subtree: true });
  function afterPaint(then) {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = then;
      channel.port2.postMessage(null);
    });
  }
}

async function coldLoad(browser, url) {
  const ctx = await newTestContext(browser);
  await ctx.context.addInitScript(interactiveProbe);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__interactiveAt !== undefined && window.__controlsAt !== undefined, null, {
    timeout: 30_000,
  });
  const at = await page.evaluate(() => ({ interactive: window.__interactiveAt, controls: window.__controlsAt }));
  ctx.assertNoErrors();
  await ctx.close();
  return at;
}

async function sliderMoves(browser, url, moves) {
  const ctx = await newTestContext(browser);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.locator("[data-testid=position][data-position=shared]").waitFor({ timeout: 30_000 });
  const controls = await page.locator("[data-testid=price-control]").count();
  const times = await page.evaluate(async (n) => {
    const slider = document.querySelector("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]");
    const hf = () => document.querySelector("[data-testid=health-factor]");
    const out = [];
    for (let i = 0; i < n; i++) {
      const before = hf().dataset.value;
      // −1 % … −40 % and back: every step moves WETH, so the health factor changes.
      const value = String(-1 - (i % 40));
      const changed = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (hf().dataset.value !== before) {
            observer.disconnect();
            resolve(performance.now());
          }
        });
        observer.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
        setTimeout(() => resolve(NaN), 2000);
      });
      const t0 = performance.now();
      slider.value = value;
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      // Leptos updates synchronously inside the handler; the observer's record then arrives as a microtask.
      const t1 = hf().dataset.value !== before ? performance.now() : await changed;
      await changed.catch(() => {});
      out.push(t1 - t0);
      await new Promise((r) => setTimeout(r, 0));
    }
    return out;
  }, moves);
  ctx.assertNoErrors();
  await ctx.close();
  return { controls, times };
}

/** The machine's 1-minute load average, rounded: timings mean little without it. */
const load = () => Math.round(loadavg()[0] * 100) / 100;

async function main() {
  const args = process.argv.slice(2);
  const dist = args.find((a) => !a.startsWith("--"));
  const option = (name, fallback) => Number(args[args.indexOf(name) + 1] ?? fallback) || fallback;
  const LOADS = args.includes("--loads") ? option("--loads", 10) : 10;
  const MOVES = args.includes("--moves") ? option("--moves", 200) : 200;
  if (!dist) throw new Error("usage: node bench.mjs DIST [--loads N] [--moves N]");
  const loadBefore = load();
  const server = await startStaticServer(dist);
  const browser = await launchBrowser();
  try {
    await coldLoad(browser, server.url); // warms the OS file cache and Chromium's process, not counted
    const loads = [];
    const controls = [];
    for (let i = 0; i < LOADS; i++) {
      const at = await coldLoad(browser, server.url);
      loads.push(at.interactive);
      controls.push(at.controls);
    }
    const { controls: priceControls, times } = await sliderMoves(browser, `${server.url}?scenario=${tenAssetShareParam()}`, MOVES);
    const missed = times.filter((t) => Number.isNaN(t)).length;
    const ok = times.filter((t) => !Number.isNaN(t));
    console.log(
      JSON.stringify({
        interactive_ms: { median: percentile(loads, 50), min: Math.min(...loads), max: Math.max(...loads), loads: LOADS },
        controls_ms: { median: percentile(controls, 50), min: Math.min(...controls), max: Math.max(...controls) },
        slider_ms: { p50: percentile(ok, 50), p95: percentile(ok, 95), moves: times.length, missed, price_controls: priceControls },
        load_average: { before: loadBefore, after: load(), cores: availableParallelism() },
      }),
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

// Imported (bench/profile-slider.mjs reuses the scenario), it runs nothing.
if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
