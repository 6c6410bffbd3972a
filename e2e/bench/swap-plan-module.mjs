// Replaces the Plan page's module in a built site by another build of it (e.g. one optimised with
// `wasm-opt -Oz -g`, names kept, for bench/profile-load.mjs) and rewrites the digests the page
// loader and index.html check, so the site still loads.
//
//   node bench/swap-plan-module.mjs DIST BINDGEN_DIR MODULE.wasm
//   BINDGEN_DIR: wasm-bindgen --target web output for the ballast-web bin (its ballast-web.js is used).
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { createHash } from "node:crypto";
const [dist, dir, wasmFile] = process.argv.slice(2);
const sri = (buf) => "sha384-" + createHash("sha384").update(buf).digest("base64");
const loaderName = readdirSync(dist).find((f) => /^loader-.*\.js$/.test(f));
let loader = readFileSync(`${dist}/${loaderName}`, "utf8");
const pages = JSON.parse(loader.match(/const PAGES = (.*);/)[1]);
const plan = pages.plan;
const js = readFileSync(`${dir}/ballast-web.js`, "utf8").replaceAll("ballast-web_bg.wasm", plan.wasm);
const wasm = readFileSync(wasmFile);
writeFileSync(`${dist}/${plan.js}`, js);
writeFileSync(`${dist}/${plan.wasm}`, wasm);
loader = loader.replace(plan.jsIntegrity, sri(Buffer.from(js))).replace(plan.wasmIntegrity, sri(wasm));
writeFileSync(`${dist}/${loaderName}`, loader);
let html = readFileSync(`${dist}/index.html`, "utf8");
html = html.replace(new RegExp(`(src="./${loaderName}" integrity=")[^"]*`), `$1${sri(Buffer.from(loader))}`);
writeFileSync(`${dist}/index.html`, html);
console.log("swapped", plan.wasm, wasm.length);
