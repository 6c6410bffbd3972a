// Node side of the Ballast test wallet: bundles wallet/inject.js (with viem) into a single
// IIFE with esbuild at test time, and drives the injected wallet from Playwright.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "inject.js");
let bundlePromise;

/** The wallet bundle (IIFE source), built once per process (~0.3 s). */
export function walletBundle() {
  bundlePromise ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: ["chrome120"],
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  }).then((r) => r.outputFiles[0].text);
  return bundlePromise;
}

/**
 * Init script for context.addInitScript({ content }).
 * @param {object} config
 * @param {string} config.rpcUrl         anvil URL every read is forwarded to
 * @param {string[]} config.privateKeys  test keys the wallet can switch between (or `privateKey`)
 * @param {number} [config.accountIndex=0]
 * @param {number} [config.chainId=31337] chain id the wallet reports
 * @param {boolean} [config.connected=false] start already connected (eth_accounts non-empty)
 * @param {boolean} [config.reject=false] reject every approval-needing request with 4001
 * @param {number[]} [config.knownChainIds] extra chains wallet_switchEthereumChain accepts
 * @param {boolean} [config.setWindowEthereum=true] also set window.ethereum (else EIP-6963 only)
 * @param {boolean} [config.announce=true] announce through EIP-6963 (else window.ethereum only, like an old wallet)
 * @param {boolean} [config.persist=false] keep connection, account and chain across reloads of the tab
 */
export async function walletInitScript(config) {
  return `globalThis.__BALLAST_TEST_WALLET_CONFIG__=${JSON.stringify(config)};\n${await walletBundle()}`;
}

/** Change the wallet's behaviour in a page: setWallet(page, { reject: true }). Returns its state. */
export function setWallet(page, patch) {
  return page.evaluate((p) => window.__ballastTestWallet.set(p), patch);
}

/** Current wallet state: { address, accountIndex, addresses, chainId, connected, reject, rpcUrl }. */
export function walletState(page) {
  return page.evaluate(() => window.__ballastTestWallet.state());
}

/** Every request the page made to the wallet: [{ method, params, result | error }]. */
export function walletRequests(page) {
  return page.evaluate(() => JSON.parse(JSON.stringify(window.__ballastTestWallet.requests)));
}
