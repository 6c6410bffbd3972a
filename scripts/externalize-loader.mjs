// Trunk post-build hook (Trunk.toml): moves any inline <script> Trunk writes
// into index.html (its wasm loader, when Trunk injects one) into a file of its
// own, loaded with subresource integrity, so the page's Content-Security-Policy
// needs no 'unsafe-inline' (only the page loader below is inline, by its
// digest). It also makes such a loader fetch the wasm with the
// integrity Trunk computed for its preload: Trunk's loader fetches it
// without, so the digest would otherwise be checked on the preload only.
//
// Scripts the app injects later (ECharts, after first paint) are not in the
// page, so their digests go in as `<meta name="ballast:integrity:FILE">`:
// the app's loader reads it and sets `integrity` on the script it injects,
// so a tampered file is refused like any other asset.
//
// Each page of the app is its own wasm (a bin; index.html builds the Plan page's
// as Trunk's main module with script injection off in Trunk.toml, the others as
// "worker" assets, which Trunk neither loads nor hashes). This hook names
// each page module's files by their content hash and writes, last in <head>,
// their table (a JSON data block, #ballast-pages, with each file's digest) and
// the page loader: an async inline module script whose sha384 the policy's
// script-src lists (the one inline script allowed; the table is kept out of it,
// so that digest changes only when the loader's code does, and a host that
// copies the policy into a header need not follow every build). The loader
// fetches and compiles only the module of the page `?view=` names (the Plan
// page's by default), each file checked against its digest. Inline, the wasm's
// download starts as the page is parsed; as a file it started one request later.
//
// Run by Trunk with TRUNK_STAGING_DIR set; `node scripts/externalize-loader.mjs DIR` by hand.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Files the app injects itself after load (src/components/charts/mod.rs reads their digests). */
export const LAZY_SCRIPTS = ["echarts.min.js"];

/**
 * Data every page fetches before its first figure (src/snapshot_source.rs). The page preloads it
 * with its digest, so the request starts with the page instead of after the wasm has started, and
 * the app's own fetch names the same digest (read from that link), so a tampered file is refused.
 */
export const PRELOADED_DATA = ["snapshot.json"];

/**
 * `?view=` slug → the bin whose wasm holds that page (Cargo.toml's [[bin]]s, src/pages/mod.rs's slugs).
 * The first is the default page, what a first visit loads.
 */
export const PAGE_MODULES = {
  plan: "ballast-web",
  positions: "ballast-page-positions",
  risk: "ballast-page-risk",
  prices: "ballast-page-prices",
  glossary: "ballast-page-glossary",
};

/**
 * `?view=` slug → the bin that paints that page's first frame before the page's own module loads
 * (src/first_frame.rs): the page loader runs it and awaits its `show_first_frame()`.
 */
export const FIRST_FRAMES = { plan: "ballast-first-frame" };

/** The id of the data block holding the page loader's table of modules (the byte budget reads it too). */
export const PAGES_ELEMENT_ID = "ballast-pages";

const sri = (bytes) => `sha384-${createHash("sha384").update(bytes).digest("base64")}`;

/** The integrity Trunk gave a preload link of `file`, if any. */
function preloadIntegrity(html, file) {
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    const href = tag.match(/\bhref="([^"]+)"/)?.[1];
    if (href === file) return tag.match(/\bintegrity="([^"]+)"/)?.[1];
  }
  return undefined;
}

/**
 * index.html with its inline scripts moved to files.
 * @returns {{html: string, files: {name: string, content: string}[]}}
 */
export function externalizeInlineScripts(html) {
  const files = [];
  const out = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attrs, body) => {
    if (/\bsrc=/i.test(attrs) || !body.trim()) return whole;
    // `trunk serve`'s reload script: Trunk fills its placeholders in index.html only, so it stays
    // inline (and the policy blocks it: scripts/serve turns auto-reload off).
    if (body.includes("{{__TRUNK_")) return whole;
    const type = attrs.match(/\btype=["']?([^"'\s>]+)/i)?.[1]?.toLowerCase();
    if (type && type !== "module" && type !== "text/javascript") return whole; // data blocks (JSON) are not scripts
    // Trunk's loader: `init({ module_or_path: './x_bg.wasm' })`; fetch it with its integrity.
    const content = body.replace(/module_or_path:\s*'([^']+\.wasm)'/, (call, wasm) => {
      const integrity = preloadIntegrity(html, wasm);
      if (!integrity) return call;
      return `module_or_path: fetch('${wasm}', { integrity: '${integrity}', credentials: 'same-origin', mode: 'cors' })`;
    });
    const digest = createHash("sha256").update(content).digest("hex").slice(0, 16);
    const name = `loader-${digest}.js`;
    files.push({ name, content });
    const typeAttr = type === "module" ? ' type="module"' : "";
    return `<script${typeAttr} src="./${name}" integrity="${sri(content)}" crossorigin="anonymous"></script>`;
  });
  return { html: out, files };
}

/**
 * index.html with a `<meta name="ballast:integrity:NAME" content="sha384-…">` per lazily
 * injected file, before `</head>` (an older one of the same name is replaced).
 * @param {string} html
 * @param {{name: string, bytes: Buffer | string}[]} files
 */
export function withLazyIntegrity(html, files) {
  return files.reduce(
    (out, { name, bytes }) =>
      withHeadTag(
        out,
        `<meta name="ballast:integrity:${escapeRegExp(name)}"[^>]*>`,
        `<meta name="ballast:integrity:${name}" content="${sri(bytes)}">`,
      ),
    html,
  );
}

/**
 * index.html with a `<link rel="preload" as="fetch" integrity=…>` per data file, before
 * `</head>` (an older one for the same file is replaced).
 * @param {string} html
 * @param {{name: string, bytes: Buffer | string}[]} files
 */
export function withDataPreloads(html, files) {
  return files.reduce(
    (out, { name, bytes }) =>
      withHeadTag(
        out,
        `<link rel="preload" href="\\./${escapeRegExp(name)}"[^>]*>`,
        `<link rel="preload" href="./${name}" as="fetch" crossorigin="anonymous" integrity="${sri(bytes)}">`,
      ),
    html,
  );
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `html` with the first tag matching `oldTag` (a regex source) replaced by `tag`, or `tag` added before `</head>`. */
function withHeadTag(html, oldTag, tag) {
  const old = new RegExp(oldTag);
  return old.test(html) ? html.replace(old, tag) : html.replace(/<\/head>/i, `${tag}</head>`);
}

const contentHash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/**
 * The page loader's source. It reads the table of page modules (slug → {js, wasm, jsIntegrity,
 * wasmIntegrity}) from the #ballast-pages data block before it, preloads the glue with its digest
 * before importing it (a module import cannot name one itself), and meanwhile fetches the wasm with its
 * digest and compiles it, so a tampered file is refused and the compilation does not wait for the glue.
 * If anything fails, the page says so instead of staying blank.
 */
export function pageLoaderSource(defaultSlug) {
  return `// Ballast's page loader (scripts/externalize-loader.mjs): only the page \`?view=\` names is loaded.
const url = (file) => new URL(file, document.baseURI).href;
// A module's wasm, fetched, checked against its digest and compiled.
const fetchWasm = (module) => {
  // Compiled as it downloads and while the JS glue loads (its init would start only after the
  // import). A fetch with \`integrity\` hands over no byte before the whole file is checked, so the
  // loader checks the digest itself beside the compilation, and the module reaches the glue only once
  // its bytes match (compiling runs none of it). Without crypto.subtle (a page not served over https)
  // fetch checks the digest; a server that does not label wasm application/wasm gets the compile that
  // does not stream.
  const checkHere = Boolean(globalThis.crypto?.subtle);
  const wasm = (async () => {
    const response = await fetch(url(module.wasm), {
      integrity: checkHere ? undefined : module.wasmIntegrity,
      credentials: "same-origin",
      mode: "cors",
    });
    if (!response.ok) throw new Error(\`\${module.wasm}: \${response.status} \${response.statusText}\`);
    const streams = response.headers.get("Content-Type")?.split(";")[0].trim() === "application/wasm" && response.body;
    if (!checkHere) return streams ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
    const matches = async (bytes) => {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", bytes));
      if (\`sha384-\${btoa(String.fromCharCode(...digest))}\` !== module.wasmIntegrity)
        throw new Error(\`\${module.wasm} does not match its digest\`);
    };
    if (!streams) {
      const bytes = await response.arrayBuffer();
      await matches(bytes);
      return WebAssembly.compile(bytes);
    }
    const [toCompile, toCheck] = response.body.tee();
    const compiled = WebAssembly.compileStreaming(new Response(toCompile, { headers: { "Content-Type": "application/wasm" } }));
    compiled.catch(() => {}); // a refused digest is the error to report, not the compile's
    await matches(await new Response(toCheck).arrayBuffer());
    return compiled;
  })();
  wasm.catch(() => {}); // reported by run(), once, by whichever step fails first
  return wasm;
};
// A module started from its \`wasm\` (fetchWasm's), once \`after\` has settled: its exports once its init has run.
const run = async (module, wasm, after = Promise.resolve()) => {
  await new Promise((resolve, reject) => {
    const glue = document.createElement("link");
    glue.rel = "modulepreload";
    glue.href = url(module.js);
    glue.integrity = module.jsIntegrity;
    glue.crossOrigin = "anonymous";
    glue.onload = resolve;
    glue.onerror = () => reject(new Error(\`\${module.js} did not load or does not match its digest\`));
    document.head.append(glue);
  });
  const exports = await import(url(module.js));
  await parsed();
  await after;
  await exports.default({ module_or_path: wasm });
  return exports;
};
const start = async () => {
  const pages = JSON.parse(document.getElementById(${JSON.stringify(PAGES_ELEMENT_ID)}).textContent);
  const view = new URLSearchParams(location.search).get("view");
  const page = Object.hasOwn(pages, view) ? pages[view] : pages[${JSON.stringify(defaultSlug)}];
  if (!page.first) return run(page, fetchWasm(page));
  // A page with a first frame (the Plan page's health factor, src/first_frame.rs) paints it from a
  // small module first. The page's own module starts downloading once the first frame's wasm is in
  // (and compiled), so the two do not share the bandwidth, and starts once the first frame is drawn. If the first
  // frame fails, the page is only later, never wrong: its own module shows everything.
  const firstWasm = fetchWasm(page.first);
  const shown = (firstFrame = run(page.first, firstWasm)
    .then((first) => first.show_first_frame())
    .catch((error) => console.warn(\`Ballast: the first frame did not load (\${error?.message ?? error}); loading the page without it.\`)));
  await firstWasm.catch(() => {});
  await run(page, fetchWasm(page), shown);
};
// The app mounts into <body>: an async script can run before the page is parsed.
const parsed = () =>
  document.readyState === "loading"
    ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }))
    : Promise.resolve();
// The first frame being drawn, if any: a page that cannot start waits for it, so the frame cannot
// land after the message below and stay on screen under it.
let firstFrame = Promise.resolve();
start().catch(async (error) => {
  await parsed();
  await firstFrame;
  const message = document.createElement("p");
  message.className = "error";
  message.setAttribute("role", "alert");
  message.dataset.testid = "start-error";
  message.textContent = \`Ballast could not start: \${error?.message ?? error}. Reload the page; if it keeps failing, this copy of the site is damaged or incomplete.\`;
  document.body.replaceChildren(message);
  throw error;
});
`;
}

/** The data block holding the table of page modules, its `<` escaped so no file name can end it. */
export function pagesBlock(pages) {
  const json = JSON.stringify(pages).replaceAll("<", "\\u003c");
  return `<script type="application/json" id="${PAGES_ELEMENT_ID}">${json}</script>`;
}

/**
 * `html` with `source` (e.g. `'sha384-…'`) added to its Content-Security-Policy's script-src.
 * @throws when the page has no policy with a script-src: the loader would then run unchecked.
 */
export function withScriptSource(html, source) {
  const policy = /(<meta http-equiv="Content-Security-Policy" content="[^"]*?\bscript-src\b[^;"]*)/i;
  if (!policy.test(html)) throw new Error("index.html has no Content-Security-Policy with a script-src");
  return html.replace(policy, `$1 ${source}`);
}

/** The text of each inline (no `src`) module script in `html`, in order. */
export function inlineModuleScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter(([, attrs]) => !/\bsrc=/i.test(attrs) && /\btype=["']?module\b/i.test(attrs))
    .map(([, , body]) => body);
}

/**
 * Renames the files Trunk built for `bin` in `dir` by their content hash.
 * @returns {{js: string, jsIntegrity: string, wasm: string, wasmIntegrity: string}}
 */
function hashedModule(dir, bin) {
  // Trunk names the main module (ballast-web) with its own hash and the others by bin only.
  const built = readdirSync(dir).find((f) => new RegExp(`^${bin}(-[0-9a-f]+)?\\.js$`).test(f));
  if (!built) throw new Error(`${bin}: no page module in ${dir} (index.html must build it)`);
  const base = built.slice(0, -".js".length);
  const js = readFileSync(join(dir, `${base}.js`));
  const wasm = readFileSync(join(dir, `${base}_bg.wasm`));
  // One hash for the pair: the glue and its wasm change together.
  const hash = contentHash(Buffer.concat([js, wasm]));
  const module = { js: `${bin}-${hash}.js`, jsIntegrity: sri(js), wasm: `${bin}-${hash}_bg.wasm`, wasmIntegrity: sri(wasm) };
  renameSync(join(dir, `${base}.js`), join(dir, module.js));
  renameSync(join(dir, `${base}_bg.wasm`), join(dir, module.wasm));
  return module;
}

/**
 * Renames each page module's files in `dir` to content-hashed names and returns index.html with the
 * page loader inline (an async module script) and its digest in the policy's script-src.
 * @returns {{html: string, loader: string}}
 */
export function withPageLoader(html, dir, modules = PAGE_MODULES, firstFrames = FIRST_FRAMES) {
  const pages = {};
  for (const [slug, bin] of Object.entries(modules)) {
    pages[slug] = hashedModule(dir, bin);
    if (firstFrames[slug]) pages[slug].first = hashedModule(dir, firstFrames[slug]);
  }
  const loader = pageLoaderSource(Object.keys(modules)[0]);
  // Last in <head>, after the preloads and digests the app reads; async, so it runs as soon as it is
  // parsed without waiting for the stylesheet as a deferred script would.
  const tags = `${pagesBlock(pages)}<script type="module" async>${loader}</script>`;
  // With script injection off, Trunk leaves its main module's own link in the page; it names no file.
  const out = html.replace(/<link data-trunk rel="rust"[^>]*>/gi, "").replace(/<\/head>/i, `${tags}</head>`);
  return { html: withScriptSource(out, `'${sri(loader)}'`), loader };
}

/** The table of page modules in `html` (as `withPageLoader` wrote it), or undefined if it has none. */
export function pageModulesOf(html) {
  const block = html.match(new RegExp(`<script type="application/json" id="${PAGES_ELEMENT_ID}">([\\s\\S]*?)</script>`));
  return block ? JSON.parse(block[1]) : undefined;
}

function main() {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) throw new Error("usage: TRUNK_STAGING_DIR=dir node scripts/externalize-loader.mjs (or pass the dir)");
  const index = join(dir, "index.html");
  const externalized = externalizeInlineScripts(readFileSync(index, "utf8"));
  for (const f of externalized.files) writeFileSync(join(dir, f.name), f.content);
  const lazy = LAZY_SCRIPTS.filter((name) => existsSync(join(dir, name))).map((name) => ({
    name,
    bytes: readFileSync(join(dir, name)),
  }));
  const data = PRELOADED_DATA.filter((name) => existsSync(join(dir, name))).map((name) => ({
    name,
    bytes: readFileSync(join(dir, name)),
  }));
  // The page loader goes in last, after what the app reads from <head>.
  const { html } = withPageLoader(withDataPreloads(withLazyIntegrity(externalized.html, lazy), data), dir);
  writeFileSync(index, html);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
