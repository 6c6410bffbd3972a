// Headless Debian Chromium through playwright-core (no browser download), with a network
// fence: only loopback hosts are reachable, everything else is aborted and recorded.
import { chromium } from "playwright-core";
import { walletInitScript } from "../wallet/index.mjs";
import { isLoopbackUrl } from "./net.mjs";

export const CHROMIUM_PATH = process.env.BALLAST_CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // Defence in depth under the request router: no DNS for anything but loopback names.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

/**
 * Launch Chromium. chromium.launch() gives every browser a fresh temporary user-data-dir
 * (Playwright creates it and deletes it on close), so no state leaks between runs.
 * @returns {Promise<import("playwright-core").Browser>}
 */
export function launchBrowser() {
  const extra = process.env.BALLAST_CHROMIUM_EXTRA_ARGS?.split(" ").filter(Boolean) ?? [];
  if (extra.length) console.warn(`BALLAST_CHROMIUM_EXTRA_ARGS: Chromium also gets ${extra.join(" ")} (an experiment, not a test run)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // BALLAST_CHROMIUM_EXTRA_ARGS: switches for an experiment (e.g. the V8 flag in docs/load.md), space-separated.
    args: [...CHROMIUM_ARGS, ...extra],
    timeout: 60_000,
  });
}

/**
 * A browser context with the loopback fence, error collection and (optionally) the wallet.
 * @param {import("playwright-core").Browser} browser
 * @param {{wallet?: object, contextOptions?: object}} [opts] wallet: config for walletInitScript
 * @returns {Promise<{context, newPage: () => Promise<import("playwright-core").Page>, errors: object[], blocked: string[], assertNoErrors: () => void, close: () => Promise<void>}>}
 */
export async function newTestContext(browser, { wallet, contextOptions = {} } = {}) {
  const context = await browser.newContext({ serviceWorkers: "block", ...contextOptions });
  const errors = []; // { type: "console" | "pageerror", text, url }
  const blocked = []; // URLs refused by the fence

  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (isLoopbackUrl(url)) return route.fallback();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  // WebSockets bypass context.route; fence them separately.
  await context.routeWebSocket(/.*/, (ws) => {
    if (isLoopbackUrl(ws.url())) ws.connectToServer();
    else {
      blocked.push(ws.url());
      ws.close({ code: 1008, reason: "blocked by the Ballast test fence" });
    }
  });

  if (wallet) await context.addInitScript({ content: await walletInitScript(wallet) });

  const watch = (page) => {
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push({ type: "console", text: msg.text(), url: msg.location()?.url });
    });
    page.on("pageerror", (err) => errors.push({ type: "pageerror", text: String(err?.stack ?? err), url: page.url() }));
  };
  context.on("page", watch);

  return {
    context,
    errors,
    blocked,
    newPage: () => context.newPage(),
    /** Throw if any console error or uncaught page error was seen. */
    assertNoErrors() {
      if (errors.length) throw new Error(`browser errors:\n${errors.map((e) => `  [${e.type}] ${e.text}`).join("\n")}`);
    },
    close: () => context.close().catch(() => {}),
  };
}
