// Load → interactive of two (or more) built sites, cold loads alternating
// between them so machine load hits both alike: bench.mjs's definition of
// interactive, plus "wasm → interactive" (from the page module's download
// end), which leaves out the network and server noise and is what a change
// to the app's start-up moves. Printed, never asserted.
//
//   N=10 node bench/ab-load.mjs DIST_A DIST_B
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
const dists = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const N = Number(process.env.N ?? 10);
const servers = await Promise.all(dists.map((d) => startStaticServer(d)));
const browser = await launchBrowser();
async function coldLoad(url) {
  const ctx = await newTestContext(browser);
  await ctx.context.addInitScript(() => {
    const hasNumber = (el) => el && /\d/.test(el.textContent ?? "");
    new MutationObserver((_, observer) => {
      const hf = document.querySelector("[data-testid=health-factor]");
      const label = hf?.parentElement?.querySelector(".health-factor-label");
      if (!hasNumber(hf) || !/health factor/i.test(label?.textContent ?? "")) return;
      observer.disconnect();
      window.__hfAt = performance.now();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (window.__interactiveAt = performance.now());
        channel.port2.postMessage(null);
      });
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 30_000 });
  const r = await page.evaluate(() => {
    const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
    return { at: window.__interactiveAt, hf: window.__hfAt, wasmEnd: wasm?.responseEnd };
  });
  await ctx.close();
  return r;
}
const res = dists.map(() => []);
for (let i = 0; i < N; i++) for (let d = 0; d < dists.length; d++) res[d].push(await coldLoad(servers[d].url));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
dists.forEach((d, i) => console.log(d.padEnd(20), "interactive", med(res[i].map((r) => r.at)).toFixed(0), "hf", med(res[i].map((r) => r.hf)).toFixed(0), "wasmEnd", med(res[i].map((r) => r.wasmEnd)).toFixed(0), "wasm→interactive", med(res[i].map((r) => r.at - r.wasmEnd)).toFixed(0)));
await browser.close(); for (const s of servers) await s.close();
