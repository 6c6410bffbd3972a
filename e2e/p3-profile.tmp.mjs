import { launchBrowser, newTestContext } from "./lib/browser.mjs";
import { startStaticServer } from "./lib/static-server.mjs";
const { tenAssetShareParam } = await import("/tmp/p3-ten.mjs");
const server = await startStaticServer(process.argv[2]);
const browser = await launchBrowser();
const ctx = await newTestContext(browser);
const page = await ctx.newPage(); page.on("console", (m) => console.log("console:", m.text().slice(0, 300))); page.on("pageerror", (e) => console.log("pageerror:", String(e).slice(0, 300)));
await page.goto(`${server.url}?scenario=${tenAssetShareParam()}`);
await page.locator("[data-testid=health-factor]").waitFor();
await page.waitForTimeout(1500);
const cdp = await ctx.context.newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
await cdp.send("Profiler.start");
await page.evaluate(async () => {
  const slider = document.querySelector("[data-testid=price-control][data-asset=WETH] [data-testid=price-slider]");
  for (let i = 0; i < 200; i++) {
    slider.value = String(-40 + (i % 80));
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => setTimeout(r, 5));
  }
});
const { profile } = await cdp.send("Profiler.stop");
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas; const counts = new Map();
profile.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
for (const [id, t] of counts) { const n = byId.get(id); const k = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.split("/").pop()}`; self.set(k, (self.get(k) ?? 0) + t); }
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, t] of top) console.log((t / 1000).toFixed(1).padStart(8), k);
// inclusive per function name
const parent = new Map(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, t] of counts) { const seen = new Set(); let cur = id; while (cur) { const n = byId.get(cur); const k = n.callFrame.functionName || "(anon)"; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } cur = parent.get(cur); } }
console.log("---- inclusive");
for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log((t / 1000).toFixed(1).padStart(8), k);
await browser.close(); await server.close();
