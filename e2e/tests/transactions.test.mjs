// Transactions (#8) on the harness market through the injected test wallet: connecting
// (EIP-6963 picker, account and chain in the header, events followed, the connection
// restored after a reload with eth_accounts only), then Aave V3 actions from the Positions
// page's transaction panel, each simulated, checked and sent by the wallet.
//
// Needs BALLAST_DIST (the built site), like positions.test.mjs; puts Multicall3 at its
// canonical address as that test does (the page reads positions through it).
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { multicall3Bytecode } from "../node_modules/viem/_esm/constants/contracts.js";
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { startMarket } from "../harness/market.mjs";
import { makeProvider, mined, snapshot } from "../harness/chain.mjs";
import { accountSigner, marketContracts } from "../harness/contracts.mjs";
import { setWallet, walletRequests } from "../wallet/index.mjs";

const DIST = process.env.BALLAST_DIST;
if (DIST) assert.ok(existsSync(path.join(DIST, "index.html")), `no built site at ${DIST}`);
const skip = DIST ? false : "set BALLAST_DIST (scripts/test does)";
const T = { skip, timeout: 120_000 };
const SETTINGS_KEY = "ballast.chain-settings";
const MULTICALL3 = "0xcA11bde05977b3631167028862bE2a173976CA11";

let browser, chain, market, provider, c, server, restore;

before(async () => {
  if (skip) return;
  chain = await startMarket();
  market = chain.market;
  provider = makeProvider(chain.rpcUrl);
  c = marketContracts(market, provider);
  const receipt = await mined(accountSigner(market, 0, provider).sendTransaction({ data: multicall3Bytecode }));
  const code = await provider.send("eth_getCode", [receipt.contractAddress, "latest"]);
  await provider.send("anvil_setCode", [MULTICALL3, code]);
  server = await startStaticServer(DIST);
  browser = await launchBrowser();
}, { timeout: 300_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  provider?.destroy();
  await chain?.stop();
});
beforeEach(async () => {
  if (!skip) restore = await snapshot(provider);
});
afterEach(async () => {
  if (restore) await restore();
});

const account = (i) => market.accounts[i];

function liveSettings() {
  return {
    version: 1,
    live_data: true,
    market_chain_id: 31337,
    rpc_urls: { 31337: chain.rpcUrl },
    addresses_providers: { 31337: market.contracts.poolAddressesProvider },
    ui_pool_data_providers: { 31337: market.contracts.uiPoolDataProvider },
    timeout_ms: 4000,
  };
}

/**
 * Opens `query` in a fresh context whose test wallet holds accounts `keys` (indices into the
 * market's accounts), with the live settings saved beforehand (first load only).
 */
async function open(query, { keys = [6, 7], wallet = {}, saved = { [SETTINGS_KEY]: liveSettings() } } = {}) {
  const ctx = await newTestContext(browser, {
    wallet: { rpcUrl: chain.rpcUrl, privateKeys: keys.map((i) => account(i).privateKey), ...wallet },
  });
  await ctx.context.addInitScript((entries) => {
    if (location.protocol !== "http:" || sessionStorage.getItem("seeded")) return;
    sessionStorage.setItem("seeded", "1");
    for (const [k, v] of entries) window.localStorage.setItem(k, v);
  }, Object.entries(saved).map(([k, v]) => [k, JSON.stringify(v)]));
  const page = await ctx.newPage();
  await page.goto(`${server.url}${query}`);
  await page.locator("[data-testid=wallet]").waitFor({ timeout: 30_000 });
  return { ctx, page };
}

/** Connects through the picker; returns once the header shows the session. */
async function connect(page) {
  await page.locator("[data-testid=wallet-connect]").click();
  await page.locator('[data-testid=wallet-choice][data-wallet="dev.ballast.testwallet"]').click();
  await page.locator("[data-testid=wallet-session]").waitFor({ timeout: 10_000 });
}

const session = (page) => page.locator("[data-testid=wallet-session]");
const methods = async (page) => (await walletRequests(page)).map((r) => r.method);

test("the picker lists the announced wallet with its icon; connecting shows account and chain; events are followed", T, async () => {
  const { ctx, page } = await open("?view=positions");
  // Nothing is asked of the wallet before the click but quiet reads.
  assert.deepEqual((await methods(page)).filter((m) => m === "eth_requestAccounts"), []);
  await page.locator("[data-testid=wallet-connect]").click();
  const choices = page.locator("[data-testid=wallet-choice]");
  assert.equal(await choices.count(), 1, "window.ethereum is the announced wallet, listed once");
  assert.equal(await choices.innerText(), "Ballast Test Wallet");
  assert.match(await choices.locator("img").getAttribute("src"), /^data:image\/svg\+xml;base64,/);
  await choices.click();
  await session(page).waitFor();
  assert.equal(await session(page).getAttribute("data-account"), account(6).address);
  assert.equal(await page.locator("[data-testid=wallet-account]").innerText(), `${account(6).address.slice(0, 6)}…${account(6).address.slice(-4)}`);
  assert.equal(await page.locator("[data-testid=wallet-chain]").innerText(), "Local (anvil)");
  assert.equal((await methods(page)).filter((m) => m === "eth_requestAccounts").length, 1);

  await setWallet(page, { account: 1 });
  await page.locator(`[data-testid=wallet-session][data-account="${account(7).address}"]`).waitFor();
  await setWallet(page, { chainId: 1 });
  await page.locator('[data-testid=wallet-session][data-chain-id="1"]').waitFor();
  assert.equal(await page.locator("[data-testid=wallet-chain]").innerText(), "Ethereum");
  await setWallet(page, { connected: false });
  await page.locator("[data-testid=wallet-connect]").waitFor();
  assert.equal(await session(page).count(), 0);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a declined connection is said calmly; the wallet is not asked again without a click", T, async () => {
  const { ctx, page } = await open("?view=positions", { wallet: { reject: true } });
  await page.locator("[data-testid=wallet-connect]").click();
  await page.locator("[data-testid=wallet-choice]").click();
  const note = page.locator("[data-testid=wallet-note]");
  await note.waitFor();
  assert.equal(await note.getAttribute("data-kind"), "calm");
  assert.match(await note.innerText(), /You declined the connection in Ballast Test Wallet\. Nothing was shared\./);
  assert.equal(await session(page).count(), 0);
  assert.equal((await methods(page)).filter((m) => m === "eth_requestAccounts").length, 1);
  ctx.assertNoErrors();
  await ctx.close();
});

test("the connection is restored after a reload with eth_accounts only, and not after Disconnect", T, async () => {
  const { ctx, page } = await open("?view=positions", { wallet: { persist: true } });
  await connect(page);
  assert.equal(await page.evaluate(() => localStorage.getItem("ballast.wallet")), '{"rdns":"dev.ballast.testwallet","version":1}');
  await page.reload();
  await session(page).waitFor({ timeout: 10_000 });
  assert.equal(await session(page).getAttribute("data-account"), account(6).address);
  // After the reload the wallet was only read, never asked to open.
  const afterReload = await methods(page);
  assert.ok(afterReload.includes("eth_accounts"), String(afterReload));
  assert.ok(!afterReload.includes("eth_requestAccounts"), String(afterReload));

  await page.locator("[data-testid=wallet-disconnect]").click();
  await page.locator("[data-testid=wallet-connect]").waitFor();
  await page.reload();
  await page.locator("[data-testid=wallet-connect]").waitFor();
  await page.waitForTimeout(300);
  assert.equal(await session(page).count(), 0);
  assert.ok(!(await methods(page)).includes("eth_requestAccounts"));
  ctx.assertNoErrors();
  await ctx.close();
});
