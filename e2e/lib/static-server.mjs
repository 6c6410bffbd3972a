// Static file server for the built app (dist/), on a free 127.0.0.1 port, optionally under a
// path prefix so the app is tested the way it is deployed (e.g. GitHub Pages /<repo>/).
import { createReadStream, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";

export const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm", // required for WebAssembly.instantiateStreaming
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml",
};

function normalizePrefix(prefix) {
  const trimmed = (prefix ?? "/").replace(/^\/+|\/+$/g, "");
  return trimmed ? `/${trimmed}/` : "/";
}

/**
 * Serve `root` at http://127.0.0.1:<port><prefix>.
 * @param {string} root directory to serve
 * @param {{prefix?: string, port?: number, spaFallback?: boolean}} [opts]
 *   prefix: e.g. "/some/deep/prefix/" (default "/"); spaFallback: serve index.html for unknown
 *   extension-less paths (client-side routing); off by default so missing files are 404s.
 * @returns {Promise<{url: string, origin: string, port: number, prefix: string, requests: string[], close: () => Promise<void>}>}
 *   url is the app's base URL (origin + prefix); requests logs "METHOD path status".
 */
export async function startStaticServer(root, { prefix = "/", port = 0, spaFallback = false } = {}) {
  const base = normalizePrefix(prefix);
  const rootDir = path.resolve(root);
  const requests = [];

  const fileFor = (pathname) => {
    let rel;
    try {
      rel = decodeURIComponent(pathname.slice(base.length));
    } catch {
      return null;
    }
    if (rel.includes("\0")) return null;
    const file = path.resolve(rootDir, `.${path.posix.sep}${rel}`);
    // Never serve anything outside root (../ or encoded %2e%2e tricks).
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) return null;
    return file;
  };
  const statOrNull = (p) => {
    try {
      return statSync(p);
    } catch {
      return null;
    }
  };

  const server = http.createServer((req, res) => {
    const done = (status) => requests.push(`${req.method} ${req.url} ${status}`);
    let pathname;
    try {
      pathname = new URL(req.url, "http://127.0.0.1").pathname;
    } catch {
      // A target the URL parser refuses (e.g. "//", a scheme-relative URL with no host).
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("400 Bad Request\n");
      return done(400);
    }

    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return done(405);
    }
    // "/prefix" without its slash: redirect, or relative asset URLs would resolve wrongly.
    if (base !== "/" && pathname === base.slice(0, -1)) {
      res.writeHead(301, { location: base }).end();
      return done(301);
    }
    const notFound = () => {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("404 Not Found\n");
      done(404);
    };
    if (!pathname.startsWith(base)) return notFound();

    let file = fileFor(pathname);
    let st = file && statOrNull(file);
    if (st?.isDirectory()) {
      if (!pathname.endsWith("/")) {
        res.writeHead(301, { location: `${pathname}/` }).end();
        return done(301);
      }
      file = path.join(file, "index.html");
      st = statOrNull(file);
    }
    if ((!st || !st.isFile()) && spaFallback && !path.posix.extname(pathname)) {
      file = path.join(rootDir, "index.html");
      st = statOrNull(file);
    }
    if (!st || !st.isFile()) return notFound();

    res.writeHead(200, {
      "content-type": CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "content-length": st.size,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    done(200);
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = server.address().port;
  const origin = `http://127.0.0.1:${actualPort}`;
  return {
    url: `${origin}${base}`,
    origin,
    port: actualPort,
    prefix: base,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
