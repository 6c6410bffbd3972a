// Trunk post-build hook (Trunk.toml): moves the inline <script> Trunk writes
// into index.html (its wasm loader) into a file of its own, loaded with
// subresource integrity, so the page's
// Content-Security-Policy can say `script-src 'self' 'wasm-unsafe-eval'` with
// no hash or 'unsafe-inline'. It also makes the loader fetch the wasm with the
// integrity Trunk computed for its preload: Trunk's loader fetches it
// without, so the digest would otherwise be checked on the preload only.
//
// Scripts the app injects later (ECharts, after first paint) are not in the
// page, so their digests go in as `<meta name="ballast:integrity:FILE">`:
// the app's loader reads it and sets `integrity` on the script it injects,
// so a tampered file is refused like any other asset.
//
// Run by Trunk with TRUNK_STAGING_DIR set; `node scripts/externalize-loader.mjs DIR` by hand.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Files the app injects itself after load (src/components/charts/mod.rs reads their digests). */
export const LAZY_SCRIPTS = ["echarts.min.js"];

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
  let out = html;
  for (const { name, bytes } of files) {
    const tag = `<meta name="ballast:integrity:${name}" content="${sri(bytes)}">`;
    const old = new RegExp(`<meta name="ballast:integrity:${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^>]*>`);
    out = old.test(out) ? out.replace(old, tag) : out.replace(/<\/head>/i, `${tag}</head>`);
  }
  return out;
}

function main() {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) throw new Error("usage: TRUNK_STAGING_DIR=dir node scripts/externalize-loader.mjs (or pass the dir)");
  const index = join(dir, "index.html");
  const { html, files } = externalizeInlineScripts(readFileSync(index, "utf8"));
  for (const f of files) writeFileSync(join(dir, f.name), f.content);
  const lazy = LAZY_SCRIPTS.filter((name) => existsSync(join(dir, name))).map((name) => ({
    name,
    bytes: readFileSync(join(dir, name)),
  }));
  writeFileSync(index, withLazyIntegrity(html, lazy));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
