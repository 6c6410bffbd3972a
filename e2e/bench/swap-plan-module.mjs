// Replaces the Plan page's module in a built site by another build of it (e.g. one optimised with
// `wasm-opt -Oz -g`, names kept, for bench/profile-load.mjs) and rewrites its digests in the
// table of page modules in index.html, so the site still loads.
//
//   node bench/swap-plan-module.mjs DIST BINDGEN_DIR MODULE.wasm
//   BINDGEN_DIR: wasm-bindgen --target web output for the ballast-web bin (its ballast-web.js is used).
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { pageModulesOf, pagesBlock } from "../../scripts/externalize-loader.mjs";

const [dist, dir, wasmFile] = process.argv.slice(2);
if (!wasmFile) throw new Error("usage: node bench/swap-plan-module.mjs DIST BINDGEN_DIR MODULE.wasm");
const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;
let html = readFileSync(`${dist}/index.html`, "utf8");
const pages = pageModulesOf(html);
if (!pages) throw new Error(`${dist}/index.html has no table of page modules`);
const js = readFileSync(`${dir}/ballast-web.js`, "utf8").replaceAll("ballast-web_bg.wasm", pages.plan.wasm);
const wasm = readFileSync(wasmFile);
writeFileSync(`${dist}/${pages.plan.js}`, js);
writeFileSync(`${dist}/${pages.plan.wasm}`, wasm);
const swapped = { ...pages, plan: { ...pages.plan, jsIntegrity: sri(js), wasmIntegrity: sri(wasm) } };
html = html.replace(pagesBlock(pages), pagesBlock(swapped));
writeFileSync(`${dist}/index.html`, html);
console.log(`${pages.plan.wasm}: ${wasm.length} bytes`);
