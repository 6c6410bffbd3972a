// The injected test wallet in a real (headless) Chromium: EIP-6963 discovery, accounts,
// chain id, rejection mode, local signing, a transaction that really lands on anvil, and the
// loopback-only network fence.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { Wallet, parseEther, verifyMessage, verifyTypedData } from "ethers";
import { startAnvil } from "../harness/anvil.mjs";
import { makeProvider, receiptOf } from "../harness/chain.mjs";
import { accountWallets } from "../harness/deploy.mjs";
import { launchBrowser, newTestContext } from "../lib/browser.mjs";
import { startStaticServer } from "../lib/static-server.mjs";
import { setWallet, walletRequests, walletState } from "../wallet/index.mjs";

const [, , , , , , , , alice, bob] = accountWallets(); // anvil accounts #8 and #9

let anvil, provider, browser, server, siteDir, ctx, page;
const T = { timeout: 60_000 }; // fail instead of hanging if the browser or anvil wedges

before(async () => {
  siteDir = mkdtempSync(path.join(os.tmpdir(), "ballast-blank-"));
  writeFileSync(path.join(siteDir, "index.html"), "<!doctype html><html><head><title>blank</title></head><body></body></html>");
  [anvil, browser, server] = await Promise.all([startAnvil(), launchBrowser(), startStaticServer(siteDir)]);
  provider = makeProvider(anvil.rpcUrl);
}, { timeout: 120_000 });
after(async () => {
  await browser?.close();
  await server?.close();
  provider?.destroy();
  await anvil?.stop();
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

// A fresh context (fresh wallet state) and page per test.
beforeEach(async () => {
  ctx = await newTestContext(browser, {
    wallet: { rpcUrl: anvil.rpcUrl, privateKeys: [alice.privateKey, bob.privateKey] },
  });
  page = await ctx.newPage();
  await page.goto(server.url);
});
afterEach(async () => {
  await ctx.close();
});

/** Call window.ethereum.request in the page; resolve to {result} or {error: {code, message}}. */
const request = (method, params) =>
  page.evaluate(
    async ([method, params]) => {
      try {
        return { result: await window.ethereum.request({ method, params }) };
      } catch (e) {
        return { error: { code: e.code, message: e.message } };
      }
    },
    [method, params],
  );

/** Record the provider's events in the page (read back with recordedEvents()). */
const recordEvents = () =>
  page.evaluate(() => {
    window.__events = [];
    for (const name of ["accountsChanged", "chainChanged"]) {
      window.ethereum.on(name, (payload) => window.__events.push([name, payload]));
    }
  });
const recordedEvents = () => page.evaluate(() => window.__events);

test("announces itself through EIP-6963, with the configured info", T, async () => {
  const announced = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = [];
        window.addEventListener("eip6963:announceProvider", (e) =>
          seen.push({
            info: { ...e.detail.info },
            frozen: Object.isFrozen(e.detail) && Object.isFrozen(e.detail.info),
            isWindowEthereum: e.detail.provider === window.ethereum,
            hasEip1193: ["request", "on", "removeListener"].every((f) => typeof e.detail.provider[f] === "function"),
          }),
        );
        window.dispatchEvent(new Event("eip6963:requestProvider"));
        setTimeout(() => resolve(seen), 100);
      }),
  );
  assert.equal(announced.length, 1);
  const [{ info, frozen, isWindowEthereum, hasEip1193 }] = announced;
  assert.equal(info.name, "Ballast Test Wallet");
  assert.equal(info.rdns, "dev.ballast.testwallet");
  assert.match(info.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(info.icon, /^data:image\/svg\+xml;base64,/);
  assert.ok(frozen && isWindowEthereum && hasEip1193);
  // The private keys given to the init script are not left lying around for the page.
  assert.equal(await page.evaluate(() => "__BALLAST_TEST_WALLET_CONFIG__" in globalThis), false);
  ctx.assertNoErrors();
});

test("connects with eth_requestAccounts and reports anvil's chain id", T, async () => {
  await recordEvents();
  assert.deepEqual(await request("eth_accounts"), { result: [] }); // not connected yet
  assert.deepEqual(await request("eth_requestAccounts"), { result: [alice.address] });
  assert.deepEqual(await request("eth_accounts"), { result: [alice.address] });
  assert.deepEqual(await request("eth_chainId"), { result: "0x7a69" });
  assert.deepEqual(await request("net_version"), { result: "31337" });
  // Reads are forwarded to anvil.
  const { result: balance } = await request("eth_getBalance", [alice.address, "latest"]);
  assert.equal(BigInt(balance), await provider.getBalance(alice.address));
  assert.deepEqual(await recordedEvents(), [["accountsChanged", [alice.address]]]);
  ctx.assertNoErrors();
});

test("reject mode: approval requests fail with EIP-1193 code 4001, reads still work", T, async () => {
  assert.ok((await request("eth_requestAccounts")).result);
  await setWallet(page, { reject: true });
  const rejected = { error: { code: 4001, message: "User rejected the request." } };
  assert.deepEqual(await request("personal_sign", ["0x68656c6c6f", alice.address]), rejected);
  assert.deepEqual(await request("eth_requestAccounts"), rejected);
  assert.deepEqual(await request("eth_sendTransaction", [{ from: alice.address, to: bob.address, value: "0x1" }]), rejected);
  assert.deepEqual(await request("wallet_switchEthereumChain", [{ chainId: "0x7a69" }]), rejected);
  assert.deepEqual(await request("eth_chainId"), { result: "0x7a69" });

  // Back to approving: signatures are made locally with the test key.
  await setWallet(page, { reject: false });
  const { result: sig } = await request("personal_sign", ["0x68656c6c6f", alice.address]); // "hello"
  assert.equal(verifyMessage("hello", sig), alice.address);
  const log = await walletRequests(page);
  assert.equal(log.filter((r) => r.error?.code === 4001).length, 4);
  ctx.assertNoErrors();
});

test("eth_signTypedData_v4 signs what ethers verifies, and checks the domain chain", T, async () => {
  await request("eth_requestAccounts");
  const domain = { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" };
  const types = {
    Permit: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  // Apps send uint256 values as decimal strings in the JSON payload.
  const message = { owner: alice.address, spender: bob.address, value: "1234560000", nonce: "0", deadline: "1767229200" };
  const typed = {
    domain,
    types: {
      EIP712Domain: [
        { name: "name", type: "string" },
        { name: "version", type: "string" },
        { name: "chainId", type: "uint256" },
        { name: "verifyingContract", type: "address" },
      ],
      ...types,
    },
    primaryType: "Permit",
    message,
  };
  const { result: sig, error } = await request("eth_signTypedData_v4", [alice.address, JSON.stringify(typed)]);
  assert.equal(error, undefined);
  assert.equal(verifyTypedData(domain, types, message, sig), alice.address);

  const wrongChain = { ...typed, domain: { ...domain, chainId: 1 } };
  const res = await request("eth_signTypedData_v4", [alice.address, JSON.stringify(wrongChain)]);
  assert.equal(res.error?.code, -32602);
  // Signing for an account the page was not given is refused.
  assert.equal((await request("personal_sign", ["0x00", bob.address])).error?.code, 4100);
  ctx.assertNoErrors();
});

test("eth_sendTransaction signs locally and the transfer really lands on anvil", T, async () => {
  await request("eth_requestAccounts");
  const recipient = Wallet.createRandom().address;
  const value = parseEther("1.5");
  const before = await provider.getBalance(alice.address);
  const { result: hash, error } = await request("eth_sendTransaction", [
    { from: alice.address, to: recipient, value: `0x${value.toString(16)}` },
  ]);
  assert.equal(error, undefined);
  assert.match(hash, /^0x[0-9a-f]{64}$/);
  const receipt = await receiptOf(provider, hash);
  assert.equal(receipt.from, alice.address);
  assert.equal(await provider.getBalance(recipient), value);
  assert.equal(await provider.getBalance(alice.address), before - value - receipt.gasUsed * receipt.gasPrice);
  const tx = await provider.getTransaction(hash);
  assert.equal(tx.chainId, 31337n);
  assert.equal(tx.type, 2);
  ctx.assertNoErrors();
});

test("chain and account switching emit chainChanged / accountsChanged", T, async () => {
  await request("eth_requestAccounts");
  await recordEvents();

  // Report another chain: the app sees it; a transaction signed for it is refused by anvil.
  let state = await setWallet(page, { chainId: 1 });
  assert.equal(state.chainId, 1);
  assert.deepEqual(await request("eth_chainId"), { result: "0x1" });
  const wrongChainTx = await request("eth_sendTransaction", [{ from: alice.address, to: bob.address, value: "0x1" }]);
  assert.ok(wrongChainTx.error, "anvil must refuse a tx signed for chain 1");
  assert.deepEqual(await request("wallet_switchEthereumChain", [{ chainId: "0x7a69" }]), { result: null });
  assert.equal((await request("wallet_switchEthereumChain", [{ chainId: "0x89" }])).error?.code, 4902);
  assert.deepEqual(
    await request("wallet_addEthereumChain", [{ chainId: "0x89", chainName: "Polygon", rpcUrls: ["http://127.0.0.1:1"], nativeCurrency: { name: "POL", symbol: "POL", decimals: 18 } }]),
    { result: null },
  );
  assert.deepEqual(await request("eth_chainId"), { result: "0x89" });
  await request("wallet_switchEthereumChain", [{ chainId: "0x7a69" }]);

  // Switch account, then disconnect.
  state = await setWallet(page, { account: 1 });
  assert.equal(state.address, bob.address);
  assert.deepEqual(await request("eth_accounts"), { result: [bob.address] });
  await setWallet(page, { connected: false });
  assert.deepEqual(await request("eth_accounts"), { result: [] });
  assert.equal((await request("personal_sign", ["0x00", bob.address])).error?.code, 4100);

  assert.deepEqual(await recordedEvents(), [
    ["chainChanged", "0x1"],
    ["chainChanged", "0x7a69"],
    ["chainChanged", "0x89"],
    ["chainChanged", "0x7a69"],
    ["accountsChanged", [bob.address]],
    ["accountsChanged", []],
  ]);
  assert.equal((await walletState(page)).connected, false);
  ctx.assertNoErrors();
});

test("the page cannot reach anything but loopback", T, async () => {
  const outcome = await page.evaluate(async () => {
    const r = {};
    try {
      await fetch("https://example.com/");
      r.fetch = "reached";
    } catch (e) {
      r.fetch = `failed: ${e.name}`;
    }
    r.ws = await new Promise((resolve) => {
      const ws = new WebSocket("wss://example.com/socket");
      ws.onopen = () => resolve("open");
      ws.onclose = () => resolve("closed");
    });
    // Loopback stays reachable (the static server itself).
    r.loopback = (await fetch(location.href)).status;
    return r;
  });
  assert.equal(outcome.fetch, "failed: TypeError");
  assert.equal(outcome.ws, "closed");
  assert.equal(outcome.loopback, 200);
  assert.ok(ctx.blocked.includes("https://example.com/"), `blocked: ${ctx.blocked}`);
  assert.ok(ctx.blocked.includes("wss://example.com/socket"), `blocked: ${ctx.blocked}`);
  // ...and the collector saw the browser report the blocked load.
  assert.ok(ctx.errors.some((e) => /ERR_BLOCKED_BY_CLIENT/.test(e.text)), JSON.stringify(ctx.errors));
});
