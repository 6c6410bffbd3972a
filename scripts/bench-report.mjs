// Prints scripts/bench's figures, one line each with its goal beside it.
// Usage: node scripts/bench-report.mjs DIST BROWSER_JSON [ENGINE_LINES] [RISK_LINES]
import { measureCriticalPath } from "./critical-path.mjs";

const [dist, browserJson, engineLines = "", riskLines = ""] = process.argv.slice(2);
const GOALS = { brotli: 150_000, interactive: 300, sliderP95: 8, monteCarlo: 100 };

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const met = (ok) => (ok ? "met" : "NOT met");
const line = (label, value, goal) => console.log(`${label.padEnd(34)}${value.padEnd(52)}${goal}`);

const { total, lazy, files, controls } = measureCriticalPath(dist);
line("critical path (" + files.length + " files)", `${kb(total.raw)} raw / ${kb(total.gzip)} gzip / ${kb(total.brotli)} brotli`,
  `goal ≤ ${kb(GOALS.brotli)} brotli: ${met(total.brotli <= GOALS.brotli)}`);
if (controls.files.length) {
  line("  then: the Plan page's controls", `${kb(controls.total.raw)} raw / ${kb(controls.total.gzip)} gzip / ${kb(controls.total.brotli)} brotli`,
    "loaded right after the first frame; budgeted apart");
}
for (const f of lazy) {
  // Another page's module loads instead of the Plan page's when that page is opened.
  const when = f.name.startsWith("ballast-page-") ? "when its page is opened" : "after first paint";
  line(`  lazy: ${f.name}`, `${kb(f.raw)} raw / ${kb(f.gzip)} gzip / ${kb(f.brotli)} brotli`, `${when}, not on the critical path`);
}
const b = JSON.parse(browserJson);
const ms = (x) => `${x.toFixed(1)} ms`;
line("load → interactive", `${ms(b.interactive_ms.median)} median of ${b.interactive_ms.loads} cold loads`,
  `goal ≤ ${GOALS.interactive} ms: ${met(b.interactive_ms.median <= GOALS.interactive)}`);
console.log(`${"".padEnd(34)}(the first painted frame with the health factor: the Plan page's first frame, before its price sliders work)`);
line("load → controls respond", `${ms(b.controls_ms.median)} median of the same loads`,
  "the price sliders painted (the Plan page's own module); no goal");
line(`slider move → DOM updated`, `p50 ${ms(b.slider_ms.p50)} / p95 ${ms(b.slider_ms.p95)}`,
  `goal p95 ≤ ${GOALS.sliderP95} ms: ${met(b.slider_ms.p95 <= GOALS.sliderP95)}`);
console.log(`${"".padEnd(34)}(${b.slider_ms.moves} moves of WETH's slider on a ${b.slider_ms.price_controls}-asset scenario from a share link${b.slider_ms.missed ? `; ${b.slider_ms.missed} moves changed nothing within 2 s` : ""})`);
const ratio = engineLines.match(/ratio\s+(\S+)\s+\(goal ([^)]*)\)/);
if (ratio) line("engine vs @aave/math-utils", `${ratio[1]} faster`, `goal ${ratio[2]}`);
else line("engine vs @aave/math-utils", "not run", "scripts/bench-engine");
const tenAsset = engineLines.match(/10-asset\s+(\d+) ns\/position engine.*\(goal ([^)]*)\)/);
if (tenAsset) line("engine, 10-asset position", `${tenAsset[1]} ns`, `goal ${tenAsset[2]}`);
// e2e/bench/risk-worker.mjs's figures: the run inside the worker, and whether it matched the native run.
const risk = riskLines.match(/run in the worker: median ([\d.]+) ms/);
const same = riskLines.match(/\((native: [^;]*); (identical|DIFFERENT)\)/);
if (risk) {
  line("MC 10 000 paths×30 d×5 (worker)", `${risk[1]} ms median${same ? `, ${same[2].toLowerCase()} to native` : ""}`,
    `goal ≤ ${GOALS.monteCarlo} ms: ${met(Number(risk[1]) <= GOALS.monteCarlo)}`);
} else line("MC 10 000 paths×30 d×5 (worker)", "not run", "scripts/bench-risk");
