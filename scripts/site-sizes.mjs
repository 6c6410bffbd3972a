// Prints the built site's sizes, raw / gzip / brotli, per kind of file.
// Usage: node scripts/site-sizes.mjs dist
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "dist";
const kinds = { ".wasm": "wasm", ".js": "js", ".css": "css" };
const totals = {};
for (const name of readdirSync(dir)) {
  const path = join(dir, name);
  // Loaded after first paint, so reported apart from the critical path.
  // The risk worker (its wasm and glue) loads only when a risk run starts, another page's module
  // (ballast-page-*) only when that page is opened. A first visit loads the Plan page's first frame
  // (ballast-first-frame), then the Plan page's own module (ballast-web) for its controls.
  const lazy = name.startsWith("echarts") || name.startsWith("ballast-risk-worker") || name.startsWith("ballast-page-");
  const then = name.startsWith("ballast-web");
  const kind = lazy ? `lazy ${kinds[extname(name)]}` : then ? `then ${kinds[extname(name)]}` : kinds[extname(name)];
  if (!kind || !statSync(path).isFile()) continue;
  const bytes = readFileSync(path);
  const t = (totals[kind] ??= { raw: 0, gzip: 0, brotli: 0 });
  t.raw += bytes.length;
  t.gzip += gzipSync(bytes, { level: 9 }).length;
  t.brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
console.log("site size       raw       gzip      brotli");
for (const kind of ["wasm", "js", "css", "then wasm", "then js", "lazy wasm", "lazy js"]) {
  const t = totals[kind] ?? { raw: 0, gzip: 0, brotli: 0 };
  console.log(`  ${kind.padEnd(8)}${kb(t.raw)}${kb(t.gzip)}${kb(t.brotli)}`);
}
