// The byte budget: fails when the critical path of a built site (see
// critical-path.mjs) grows more than the allowed share over the committed
// baseline, perf/critical-path-baseline.json. Bytes are deterministic for a
// given toolchain, so this is a test, not a flaky timing.
//
//   node scripts/byte-budget.mjs dist            check (scripts/test runs this)
//   node scripts/byte-budget.mjs dist --write    raise the baseline: only deliberately,
//                                                saying why in the commit message
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { measureCriticalPath } from "./critical-path.mjs";

export const BASELINE_PATH = join(dirname(fileURLToPath(import.meta.url)), "..", "perf", "critical-path-baseline.json");

const HOW_TO_RAISE =
  "Raise only deliberately: build the release site (source scripts/lib.sh && build_site), run " +
  "`node scripts/byte-budget.mjs dist --write`, and say in the commit message what grew and why it is worth the bytes.";

/**
 * Compares a measured critical path with the baseline.
 * @returns {{ok: boolean, limit: number, growth: number, message: string}}
 */
export function checkBudget(total, baseline) {
  const limit = Math.floor(baseline.critical_path.brotli * (1 + baseline.allowed_growth));
  const growth = total.brotli / baseline.critical_path.brotli - 1;
  const pct = (x) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} %`;
  const ok = total.brotli <= limit;
  const message = ok
    ? `critical path ${total.brotli} B brotli: ${pct(growth)} against the baseline ${baseline.critical_path.brotli} B (limit ${limit} B)`
    : `critical path ${total.brotli} B brotli is ${pct(growth)} over the baseline ${baseline.critical_path.brotli} B, ` +
      `above the ${pct(baseline.allowed_growth)} allowed (limit ${limit} B). ${HOW_TO_RAISE}`;
  return { ok, limit, growth, message };
}

/**
 * Compares the default page's controls (its own module, loaded after its first frame) with the
 * baseline's, with the same allowance: off the critical path, but still what a first visit loads next.
 * @returns {{ok: boolean, limit: number, message: string}}
 */
export function checkControls(controls, baseline) {
  if (!baseline.controls) return { ok: true, limit: Infinity, message: "no baseline for the default page's controls" };
  const limit = Math.floor(baseline.controls.brotli * (1 + baseline.allowed_growth));
  const ok = controls.brotli <= limit;
  const message = ok
    ? `default page's controls ${controls.brotli} B brotli (baseline ${baseline.controls.brotli} B, limit ${limit} B)`
    : `default page's controls ${controls.brotli} B brotli are over the limit ${limit} B (baseline ` +
      `${baseline.controls.brotli} B). ${HOW_TO_RAISE}`;
  return { ok, limit, message };
}

const byName = (files) => Object.fromEntries(files.map((f) => [f.name.replace(/-[0-9a-f]{16}(?=[._])/, "-*"), f.brotli]));

/** The baseline file's contents for a measured critical path. */
export function baselineFor(measured, allowedGrowth = 0.1) {
  return {
    how_to_raise: HOW_TO_RAISE,
    allowed_growth: allowedGrowth,
    critical_path: measured.total,
    files: byName(measured.files),
    ...(measured.controls?.files.length ? { controls: measured.controls.total, controls_files: byName(measured.controls.files) } : {}),
  };
}

function main(args) {
  const dist = args.find((a) => !a.startsWith("--")) ?? "dist";
  const measured = measureCriticalPath(dist);
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
  console.log("critical path       raw      gzip    brotli");
  for (const f of measured.files) console.log(`  ${f.name.padEnd(38)}${kib(f.raw)}${kib(f.gzip)}${kib(f.brotli)}`);
  const t = measured.total;
  console.log(`  ${"total".padEnd(38)}${kib(t.raw)}${kib(t.gzip)}${kib(t.brotli)}`);
  if (args.includes("--write")) {
    writeFileSync(BASELINE_PATH, `${JSON.stringify(baselineFor(measured), null, 2)}\n`);
    console.log(`wrote ${BASELINE_PATH}`);
    return 0;
  }
  const baseline = JSON.parse(readFileSync(BASELINE_PATH, "utf8"));
  const result = checkBudget(t, baseline);
  console.log(result.message);
  if (!measured.controls.files.length) return result.ok ? 0 : 1;
  console.log("default page's controls, loaded after its first frame");
  for (const f of measured.controls.files) console.log(`  ${f.name.padEnd(38)}${kib(f.raw)}${kib(f.gzip)}${kib(f.brotli)}`);
  const controls = checkControls(measured.controls.total, baseline);
  console.log(controls.message);
  return result.ok && controls.ok ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
