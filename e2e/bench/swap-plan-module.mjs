// Replaces the Plan page's module in a built site by another build of it (e.g. one optimised with
// `wasm-opt -Oz -g`, names kept, for bench/profile-load.mjs) and rewrites the digests the page
// loader (inline in index.html) and the page's policy check, so the site still loads.
//
//   node bench/swap-plan-module.mjs DIST BINDGEN_DIR MODULE.wasm
//   BINDGEN_DIR: wasm-bindgen --target web output for the ballast-web bin (its ballast-web.js is used).
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { inlineModuleScripts, pageModulesOf } from "../../scripts/externalize-loader.mjs";

const [dist, dir, wasmFile] = process.argv.slice(2);
if (!wasmFile) throw new Error("usage: node bench/swap-plan-module.mjs DIST BINDGEN_DIR MODULE.wasm");
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
let html = readFileSync(`${dist}/index.html`, "utf8");
const loader = inlineModuleScripts(html).find(pageModulesOf);
if (!loader) throw new Error(`${dist}/index.html has no page loader`);
const plan = pageModulesOf(loader).plan;
const js = readFileSync(`${dir}/ballast-web.js`, "utf8").replaceAll("ballast-web_bg.wasm", plan.wasm);
const wasm = readFileSync(wasmFile);
writeFileSync(`${dist}/${plan.js}`, js);
writeFileSync(`${dist}/${plan.wasm}`, wasm);
const swapped = loader.replace(plan.jsIntegrity, sri(js)).replace(plan.wasmIntegrity, sri(wasm));
html = html.replace(loader, swapped).replace(`'${sri(loader)}'`, `'${sri(swapped)}'`);
writeFileSync(`${dist}/index.html`, html);
console.log(`${plan.wasm}: ${wasm.length} bytes`);
