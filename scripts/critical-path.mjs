// What a first visit downloads before the app is interactive, measured on a
// built site: index.html (with the page loader inline), every file it links
// (the CSS; not the icon), the module the loader runs first for the default page
// (its first frame's JS glue and wasm, src/first_frame.rs, or the page's own
// module if it has no first frame) and the embedded snapshot fetched before the
// first health factor. The default page's own module, loaded right after its
// first frame for the page's controls, is measured apart ("controls"); every
// other script and wasm in dist/ (the other pages' modules, the risk worker,
// ECharts) is loaded lazily, and is reported apart.
// Shared by scripts/byte-budget.mjs and scripts/bench.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { pageModulesOf } from "./externalize-loader.mjs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

/** Fetched by the app itself before its first health factor (src/snapshot). */
export const FETCHED_BEFORE_INTERACTIVE = ["snapshot.json"];

/** raw / gzip -9 / brotli -q11 byte counts: deterministic for given bytes. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

/** The dist-relative files index.html loads (href/src of its link and script tags), icons aside. */
export function linkedFiles(html) {
  const files = new Set();
  for (const tag of html.match(/<(link|script)\b[^>]*>/gi) ?? []) {
    if (/\brel=["']?[^"'>]*icon/i.test(tag)) continue;
    const url = tag.match(/\b(?:href|src)=["']([^"']+)["']/i)?.[1];
    if (!url || /^[a-z]+:|^\/\//i.test(url)) continue;
    files.add(url.replace(/^\.\//, "").replace(/^\//, "").split(/[?#]/)[0]);
  }
  return [...files];
}

/**
 * What the default page loads before its first health factor, from the page loader's table of modules
 * in index.html (scripts/externalize-loader.mjs): its first frame's JS glue and wasm when it has one,
 * else its own module's.
 */
export function defaultPageModule(html) {
  const pages = pageModulesOf(html);
  const first = pages && Object.values(pages)[0];
  if (!first) return [];
  return first.first ? [first.first.js, first.first.wasm] : [first.js, first.wasm];
}

/**
 * The default page's own module (JS glue and wasm) when a first frame comes before it: what the page
 * loads next, for its controls. Empty when the page has no first frame (its module is then on the
 * critical path itself).
 */
export function defaultPageControls(html) {
  const pages = pageModulesOf(html);
  const first = pages && Object.values(pages)[0];
  return first?.first ? [first.js, first.wasm] : [];
}

const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const ZERO = { raw: 0, gzip: 0, brotli: 0 };

/**
 * The critical path of the site built in `dist`, the default page's controls (its own module, loaded
 * right after a first frame) and everything else, loaded lazily.
 * @returns {{files: {name: string, raw: number, gzip: number, brotli: number}[], total: {raw: number, gzip: number, brotli: number}, controls: {files: {name: string, raw: number, gzip: number, brotli: number}[], total: {raw: number, gzip: number, brotli: number}}, lazy: {name: string, raw: number, gzip: number, brotli: number}[]}}
 */
export function measureCriticalPath(dist) {
  const html = readFileSync(join(dist, "index.html")).toString();
  const linked = linkedFiles(html);
  const names = ["index.html", ...linked, ...defaultPageModule(html), ...FETCHED_BEFORE_INTERACTIVE];
  const controlNames = defaultPageControls(html);
  const measure = (name) => {
    let bytes;
    try {
      bytes = readFileSync(join(dist, name));
    } catch {
      throw new Error(`${name} is on the critical path but not in ${dist}`);
    }
    return { name, ...sizes(bytes) };
  };
  const files = [...new Set(names)].map(measure);
  const controls = controlNames.map(measure);
  const lazy = readdirSync(dist)
    .filter(
      (name) =>
        [".js", ".wasm"].includes(extname(name)) &&
        !names.includes(name) &&
        !controlNames.includes(name) &&
        statSync(join(dist, name)).isFile(),
    )
    .sort()
    .map((name) => ({ name, ...sizes(readFileSync(join(dist, name))) }));
  return { files, total: files.reduce(add, ZERO), controls: { files: controls, total: controls.reduce(add, ZERO) }, lazy };
}
