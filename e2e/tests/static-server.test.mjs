// lib/static-server.mjs: prefix handling, content types (application/wasm!), 404s, traversal.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startStaticServer } from "../lib/static-server.mjs";

// The smallest valid WebAssembly module: magic + version, no sections.
const EMPTY_WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const PREFIX = "/some/deep/prefix/";

let dir, server, spa;

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "ballast-dist-"));
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>root index</title>");
  writeFileSync(path.join(dir, "app.js"), "export const x = 1;\n");
  writeFileSync(path.join(dir, "app_bg.wasm"), EMPTY_WASM);
  writeFileSync(path.join(dir, "style.css"), "body{}\n");
  mkdirSync(path.join(dir, "sub"));
  writeFileSync(path.join(dir, "sub", "index.html"), "<!doctype html><title>sub index</title>");
  writeFileSync(path.join(os.tmpdir(), "ballast-secret.txt"), "secret");
  server = await startStaticServer(dir, { prefix: "some/deep/prefix" }); // slashes are normalised
  spa = await startStaticServer(dir, { prefix: PREFIX, spaFallback: true });
});
after(async () => {
  await server?.close();
  await spa?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(os.tmpdir(), "ballast-secret.txt"), { force: true });
});

/** GET/HEAD with the path sent verbatim (fetch would normalise ../ away). */
function raw(srv, rawPath, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: srv.port, path: rawPath, method }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("serves under the prefix on loopback with index.html for directories", { timeout: 30_000 }, async () => {
  assert.equal(server.url, `http://127.0.0.1:${server.port}${PREFIX}`);
  const root = await raw(server, PREFIX);
  assert.equal(root.status, 200);
  assert.equal(root.headers["content-type"], "text/html; charset=utf-8");
  assert.match(root.body, /root index/);
  assert.match((await raw(server, `${PREFIX}sub/`)).body, /sub index/);
  // Directory without trailing slash, and the prefix itself without one: redirect.
  const sub = await raw(server, `${PREFIX}sub`);
  assert.deepEqual([sub.status, sub.headers.location], [301, `${PREFIX}sub/`]);
  const bare = await raw(server, PREFIX.slice(0, -1));
  assert.deepEqual([bare.status, bare.headers.location], [301, PREFIX]);
});

test("content types, including application/wasm that streaming compilation requires", { timeout: 30_000 }, async () => {
  const types = {};
  for (const f of ["app.js", "app_bg.wasm", "style.css"]) {
    types[f] = (await fetch(`${server.url}${f}`)).headers.get("content-type");
  }
  assert.deepEqual(types, {
    "app.js": "text/javascript; charset=utf-8",
    "app_bg.wasm": "application/wasm",
    "style.css": "text/css; charset=utf-8",
  });
  // compileStreaming rejects any other MIME type, exactly like browsers do.
  const mod = await WebAssembly.compileStreaming(fetch(`${server.url}app_bg.wasm`));
  assert.ok(mod instanceof WebAssembly.Module);
  const head = await raw(server, `${PREFIX}app_bg.wasm`, "HEAD");
  assert.deepEqual([head.status, head.headers["content-length"], head.body], [200, "8", ""]);
});

test("404 outside the prefix, for missing files, and for path traversal", { timeout: 30_000 }, async () => {
  for (const p of [
    "/app.js", // exists, but not under the prefix
    "/",
    `${PREFIX}missing.js`,
    `${PREFIX}../../../../ballast-secret.txt`,
    `${PREFIX}..%2fballast-secret.txt`, // an encoded "../" the URL parser keeps: root check
    `${PREFIX}..%2f..%2f..%2f..%2f..%2fetc%2fpasswd`,
    `${PREFIX}%2e%2e/%2e%2e/%2e%2e/%2e%2e/ballast-secret.txt`,
  ]) {
    const res = await raw(server, p);
    assert.equal(res.status, 404, p);
    assert.doesNotMatch(res.body, /secret|root:/, p);
  }
  assert.equal((await raw(server, PREFIX, "POST")).status, 405);
  // A target that is no URL path is refused, and the server carries on.
  assert.equal((await raw(server, "//")).status, 400);
  assert.equal((await raw(server, PREFIX)).status, 200);
});

test("optional SPA fallback serves index.html for extension-less routes only", { timeout: 30_000 }, async () => {
  assert.match((await raw(spa, `${PREFIX}positions/0xabc`)).body, /root index/);
  assert.equal((await raw(spa, `${PREFIX}missing.js`)).status, 404);
  assert.equal((await raw(server, `${PREFIX}positions/0xabc`)).status, 404); // off by default
  assert.ok(server.requests.some((r) => r.startsWith("GET /some/deep/prefix/ 200")));
});
