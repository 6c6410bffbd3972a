// Transactions (#8) on the harness market through the injected test wallet: connecting
// (EIP-6963 picker, account and chain in the header, events followed, the connection
// restored after a reload with eth_accounts only), then Aave V3 actions from the Positions
// page's transaction panel, each simulated, checked and sent by the wallet.
//
// Needs BALLAST_DIST (the built site), like positions.test.mjs; puts Multicall3 at its
// canonical address as that test does (the page reads positions through it).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { newTestContext } from "../lib/browser.mjs";
import { SETTINGS_KEY, harnessSettings, seedLocalStorage, useLiveMarket } from "../lib/live-market.mjs";
import { siteUnderTest, movePageClock } from "../lib/site.mjs";
import { mined } from "../harness/chain.mjs";
import { accountSigner } from "../harness/contracts.mjs";
import { setWallet, walletRequests } from "../wallet/index.mjs";

const { DIST, skip } = siteUnderTest();
const T = { skip, timeout: 120_000 };

const harness = useLiveMarket({ skip, dist: DIST, multicall: true });
let browser, chain, market, provider, c, server;
before(async () => ({ browser, chain, market, provider, contracts: c, server } = await harness));

const account = (i) => market.accounts[i];

const liveSettings = () => harnessSettings({ chain, market }, { timeout_ms: 4000 });

/**
 * Opens `query` in a fresh context whose test wallet holds accounts `keys` (indices into the
 * market's accounts), with the live settings saved beforehand (first load only).
 */
async function open(query, { keys = [6, 7], wallet = {}, saved = { [SETTINGS_KEY]: liveSettings() } } = {}) {
  const ctx = await newTestContext(browser, {
    wallet: { rpcUrl: chain.rpcUrl, privateKeys: keys.map((i) => account(i).privateKey), ...wallet },
  });
  await seedLocalStorage(ctx.context, saved);
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
  // Only the local chain: watching the connected account reads every chain the link names.
  const { ctx, page } = await open("?view=positions&chains=31337");
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

  // "Use the connected account" watches it like a typed address.
  await page.locator("[data-testid=watch-connected]").click();
  await page.locator(`[data-testid=watched-address][data-address="${account(6).address}"]`).waitFor();
  assert.match(page.url(), new RegExp(`address=${account(6).address}`));

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

test("a wallet that only sets window.ethereum is offered as the browser wallet, and remembered as such", T, async () => {
  const { ctx, page } = await open("?view=positions", { wallet: { announce: false, persist: true } });
  await page.locator("[data-testid=wallet-connect]").click();
  const choices = page.locator("[data-testid=wallet-choice]");
  assert.equal(await choices.count(), 1);
  assert.equal(await choices.innerText(), "Browser wallet");
  assert.equal(await choices.locator("img").count(), 0);
  await choices.click();
  await session(page).waitFor();
  assert.equal(await session(page).getAttribute("data-wallet"), "window.ethereum");
  await page.reload();
  await session(page).waitFor({ timeout: 10_000 });
  assert.ok(!(await methods(page)).includes("eth_requestAccounts"));
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

// --- The transaction panel ----------------------------------------------------------------------

/** `value / 10^decimals` written as the engine writes an exact terminating decimal. */
function exact(value, decimals) {
  const digits = value.toString().padStart(decimals + 1, "0");
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${int}${frac ? `.${frac}` : ""}`;
}
const MAX_UINT = (1n << 256n) - 1n;
/** The chain's health factor as the panel writes it in data-value ("none" without debt). */
const chainHf = (hf) => (hf === MAX_UINT ? "none" : exact(hf, 18));
const units = (symbol, amount) => {
  const d = Number(market.reserves[symbol].decimals);
  const [i, f = ""] = amount.split(".");
  return BigInt(i + f.padEnd(d, "0"));
};

/** Opens the Positions page connected as account keys[0], the panel having read the position. */
async function openPanel(keys, wallet = {}) {
  const opened = await open("?view=positions", { keys, wallet });
  await connect(opened.page);
  await opened.page.locator("[data-testid=chain-hf]").waitFor({ timeout: 30_000 });
  return opened;
}

/** Fills the panel's form and clicks Check. */
async function check(page, action, asset, amount, { max = false } = {}) {
  await page.locator("[data-testid=tx-action]").selectOption(action);
  await page.locator("[data-testid=tx-asset]").selectOption(asset);
  await page.locator("[data-testid=tx-amount]").fill(amount);
  if (max) await page.locator("[data-testid=tx-max]").check();
  await page.locator("[data-testid=tx-review]").click();
}

const step = (page, i) => page.locator("[data-testid=tx-step]").nth(i);
async function waitStep(page, i, status, timeout = 30_000) {
  const s = step(page, i);
  try {
    await page.locator(`[data-testid=tx-step]:nth-child(${i + 1})[data-status="${status}"]`).waitFor({ timeout });
  } catch (e) {
    const shown = (await s.count()) ? `${await s.getAttribute("data-status")}: ${await s.innerText()}` : "no step";
    throw new Error(`step ${i} never became ${status} (${shown})`, { cause: e });
  }
  return s;
}
/** Signs step i and waits for it to be confirmed. */
async function sign(page, i) {
  await waitStep(page, i, "ready");
  await step(page, i).locator("[data-testid=tx-sign]").click();
  await waitStep(page, i, "confirmed", 60_000);
}
/** Waits until the panel shows the chain's current health factor for `owner`. */
async function waitChainHf(page, owner) {
  const want = chainHf((await c.pool.getUserAccountData(owner)).healthFactor);
  await page.locator(`[data-testid=chain-hf][data-value="${want}"]`).waitFor({ timeout: 30_000 });
  return want;
}
const sent = async (page) => (await walletRequests(page)).filter((r) => r.method === "eth_sendTransaction");
const poolIface = () => c.pool.interface;
const erc20Iface = () => c.token("USDC").interface;

test("supply, borrow, repay max and withdraw max land on chain; approvals exact; the panel shows the chain's new account data", T, async () => {
  const me = account(7);
  const { ctx, page } = await openPanel([7]);
  const pool = market.contracts.pool;

  // Supply 10 WETH: an exact approval first, then the supply, checked again after the approval.
  await check(page, "supply", "WETH", "10");
  await waitStep(page, 0, "ready");
  assert.equal(await step(page, 0).getAttribute("data-kind"), "approve");
  assert.equal(await step(page, 1).getAttribute("data-kind"), "supply");
  assert.equal(await step(page, 0).locator("[data-testid=tx-decoded]").innerText(), "Approve the Aave Pool to spend 10 WETH of yours");
  await sign(page, 0);
  assert.equal(await c.token("WETH").allowance(me.address, pool), units("WETH", "10"));
  await sign(page, 1);
  assert.equal(await c.aToken("WETH").balanceOf(me.address), units("WETH", "10"));
  assert.equal(await c.token("WETH").allowance(me.address, pool), 0n, "the exact approval is used up");
  let [approveTx, supplyTx] = await sent(page);
  const approved = erc20Iface().decodeFunctionData("approve", approveTx.params[0].data);
  assert.deepEqual([approved[0], approved[1]], [pool, units("WETH", "10")]);
  assert.equal(supplyTx.params[0].to, pool);
  await waitChainHf(page, me.address);

  // Borrow 9,000 USDC: the engine's HF after is shown before signing, and is the chain's after.
  await check(page, "borrow", "USDC", "9000");
  await waitStep(page, 0, "ready");
  assert.equal(await step(page, 0).locator("[data-testid=tx-decoded]").innerText(), "Borrow 9,000 USDC from Aave at the variable rate, as debt of you");
  const engineAfter = Number(await step(page, 0).locator("[data-testid=tx-hf-after]").getAttribute("data-value"));
  await sign(page, 0);
  const hfAfterBorrow = (await c.pool.getUserAccountData(me.address)).healthFactor;
  assert.ok(Math.abs(engineAfter - Number(hfAfterBorrow) / 1e18) < 1e-6, `${engineAfter} vs ${hfAfterBorrow}`);
  assert.equal(await waitChainHf(page, me.address), exact(hfAfterBorrow, 18));
  assert.equal(await c.variableDebtToken("USDC").balanceOf(me.address) >= units("USDC", "9000"), true);

  // Repay max with USDC's EIP-2612 permit: signed for the debt plus 0.1 %, no approval transaction.
  await check(page, "repay", "USDC", "", { max: true });
  const permitStep = await waitStep(page, 0, "permit");
  assert.equal(await page.locator("[data-testid=tx-step]").count(), 1);
  assert.equal(await permitStep.getAttribute("data-kind"), "repay-with-permit");
  // A wallet that cannot sign permits has a way out: the approval, named on the step.
  assert.match(await permitStep.locator("[data-testid=tx-permit-fallback]").innerText(), /untick “Sign a permit instead of an approval”/);
  // A wallet that never answers the permit request does not hold the panel: a signature sends
  // nothing, so the user may stop waiting, and the late answer is ignored.
  await setWallet(page, { hangTypedData: true });
  await permitStep.locator("[data-testid=tx-sign-permit]").click();
  await waitStep(page, 0, "signing");
  await step(page, 0).locator("[data-testid=tx-stop-waiting]").click();
  const stopped = await waitStep(page, 0, "stopped");
  assert.match(await stopped.locator("[data-testid=tx-reason]").innerText(), /^You stopped waiting for the wallet, and nothing was sent\. The request may still be open in your wallet: reject it there/);
  const sendsBefore = (await sent(page)).length;
  await setWallet(page, { hangTypedData: false });
  await page.waitForFunction(() => window.__ballastTestWallet.requests.some((r) => r.method === "eth_signTypedData_v4" && r.result));
  await page.waitForTimeout(300);
  assert.equal(await step(page, 0).getAttribute("data-status"), "stopped", "the late signature is ignored");
  assert.equal((await sent(page)).length, sendsBefore);
  await stopped.locator("[data-testid=tx-check-again]").click();
  await waitStep(page, 0, "permit");
  await step(page, 0).locator("[data-testid=tx-sign-permit]").click();
  await sign(page, 0);
  const typed = (await walletRequests(page)).filter((r) => r.method === "eth_signTypedData_v4").at(-1);
  const permit = JSON.parse(typed.params[1]);
  assert.equal(permit.primaryType, "Permit");
  assert.deepEqual(permit.domain, { name: "USD Coin", version: "2", chainId: 31337, verifyingContract: market.reserves.USDC.address });
  assert.equal(permit.message.spender, pool);
  const permitted = BigInt(permit.message.value);
  assert.ok(permitted > units("USDC", "9000") && permitted <= (units("USDC", "9000") * 1001n) / 1000n + 10n ** 4n, String(permitted));
  const repayTx = (await sent(page)).at(-1);
  assert.equal(poolIface().parseTransaction({ data: repayTx.params[0].data }).name, "repayWithPermit");
  assert.equal(await c.variableDebtToken("USDC").balanceOf(me.address), 0n, "repay max leaves no dust");
  assert.equal(await waitChainHf(page, me.address), "none");
  assert.equal((await sent(page)).filter((t) => t.params[0].to === market.reserves.USDC.address).length, 0, "no USDC approval was sent");

  // Withdraw max: everything back, nothing left supplied.
  await check(page, "withdraw", "WETH", "", { max: true });
  await sign(page, 0);
  assert.equal(await c.aToken("WETH").balanceOf(me.address), 0n);
  assert.equal((await c.pool.getUserAccountData(me.address)).totalCollateralBase, 0n);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a borrow that would put the health factor under 1 is refused before the wallet is asked", T, async () => {
  const { ctx, page } = await openPanel([1]);
  const before = (await walletRequests(page)).length;
  await check(page, "borrow", "USDC", "20000");
  const s = await waitStep(page, 0, "refused");
  assert.match(await s.locator("[data-testid=tx-reason]").innerText(), /^Refused: .*Nothing was sent to your wallet\.$/);
  await page.waitForTimeout(300);
  assert.deepEqual((await walletRequests(page)).slice(before), [], "the wallet received no request");
  assert.equal(await s.locator("[data-testid=tx-sign]").count(), 0);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a decimal comma (0,5 WETH) is refused with the point to use, not read as 5; nothing reaches the wallet", T, async () => {
  const { ctx, page } = await openPanel([1]);
  const before = (await walletRequests(page)).length;
  await check(page, "supply", "WETH", "0,5");
  const error = page.locator("[data-testid=tx-form-error]");
  await error.waitFor({ timeout: 10_000 });
  assert.match(await error.innerText(), /"0,5": use a point for decimals, like 0\.5/);
  // One comma between groups of three is 1500 in English and 1.5 in German: refused too.
  await check(page, "supply", "WETH", "1,500");
  await error.filter({ hasText: "could mean" }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("[data-testid=tx-step]").count(), 0, "no step was planned");
  await page.waitForTimeout(300);
  assert.deepEqual((await walletRequests(page)).slice(before), [], "the wallet received no request");
  ctx.assertNoErrors();
  await ctx.close();
});

test("the fee is shown before signing and sent as shown; a double click sends once", T, async () => {
  const me = account(1);
  const { ctx, page } = await openPanel([1]);
  await check(page, "supply", "WETH", "1");
  const s = await waitStep(page, 0, "ready");
  assert.equal(await page.locator("[data-testid=tx-step]").count(), 1, "account 1 approved the Pool already");
  const fee = s.locator("[data-testid=tx-fee]");
  const gas = BigInt(await fee.getAttribute("data-gas"));
  const data = poolIface().encodeFunctionData("supply", [market.reserves.WETH.address, units("WETH", "1"), me.address, 0]);
  assert.equal(gas, await provider.estimateGas({ from: me.address, to: market.contracts.pool, data }));
  assert.match(await fee.innerText(), /^Gas \d+ \(limit \d+\) · fee about [\d.]+ ETH, at most [\d.]+ ETH \(base fee [\d.]+ gwei \+ tip [\d.]+ gwei\)$/);
  const shownFee = {
    gasLimit: BigInt(await fee.getAttribute("data-gas-limit")),
    maxFee: BigInt(await fee.getAttribute("data-max-fee-per-gas")),
    tip: BigInt(await fee.getAttribute("data-max-priority-fee-per-gas")),
  };
  assert.equal(shownFee.gasLimit, (gas * 6n + 4n) / 5n, "the estimate plus a fifth, rounded up");
  await s.locator("[data-testid=tx-sign]").dblclick();
  await waitStep(page, 0, "confirmed", 60_000);
  await page.waitForTimeout(300);
  const sends = await sent(page);
  assert.equal(sends.length, 1, "one transaction for two clicks");
  const tx = await provider.getTransaction(sends[0].result);
  assert.deepEqual([tx.gasLimit, tx.maxFeePerGas, tx.maxPriorityFeePerGas], [shownFee.gasLimit, shownFee.maxFee, shownFee.tip]);
  await waitChainHf(page, me.address);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a declined signature is calm and can be signed again; an account switch mid-flow sends nothing", T, async () => {
  const { ctx, page } = await openPanel([1, 6]);
  await check(page, "supply", "WETH", "1");
  await waitStep(page, 0, "ready");
  await setWallet(page, { reject: true });
  await step(page, 0).locator("[data-testid=tx-sign]").click();
  const s = await waitStep(page, 0, "declined");
  assert.equal(await s.locator("[data-testid=tx-reason]").innerText(), "You declined in your wallet. Nothing was sent.");
  assert.equal(await s.locator(".error").count(), 0, "not shown as an error");
  await setWallet(page, { reject: false });
  await s.locator("[data-testid=tx-check-again]").click();
  await sign(page, 0);

  // Checked for account 1, then the wallet switches to account 6: refused at the send.
  await check(page, "supply", "WETH", "1");
  await waitStep(page, 0, "ready");
  const sends = (await sent(page)).length;
  await setWallet(page, { account: 1 });
  await page.locator(`[data-testid=wallet-session][data-account="${account(6).address}"]`).waitFor();
  await step(page, 0).locator("[data-testid=tx-sign]").click();
  const refused = await waitStep(page, 0, "refused");
  assert.match(await refused.locator("[data-testid=tx-reason]").innerText(), /account changed to 0x.* since this step was checked for 0x.*: check it again\. Nothing was sent\./);
  assert.equal((await sent(page)).length, sends);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a check over a minute old is made again at Sign and send: a price drop since is refused, nothing is sent", T, async () => {
  let { ctx, page } = await openPanel([1]);
  const feed = c.priceFeed("WETH").connect(accountSigner(market, 0, provider));
  const wethPrice = await feed.latestAnswer();
  // The page's clock moves on by a minute and a second.
  const laterByAMinute = () => movePageClock(page, 61_000);
  await check(page, "borrow", "USDC", "1000");
  await waitStep(page, 0, "ready");
  const sends = (await sent(page)).length;
  // 10 WETH against 8,000 USDC: at 1,000 USD a borrow of 1,000 more would leave the health factor under 1.
  await mined(feed.updateAnswer(100_000_000_000n));
  await laterByAMinute();
  await step(page, 0).locator("[data-testid=tx-sign]").click();
  const refused = await waitStep(page, 0, "refused");
  assert.match(await refused.locator("[data-testid=tx-reason]").innerText(), /^Refused: .*Nothing was sent to your wallet\.$/);
  await page.waitForTimeout(300);
  assert.equal((await sent(page)).length, sends, "the old check's transaction was not sent");

  ctx.assertNoErrors();
  await ctx.close();

  // The price back, a new check, a minute passes: Sign and send checks once more and says so; the next click sends.
  await mined(feed.updateAnswer(wethPrice));
  ({ ctx, page } = await openPanel([1]));
  await check(page, "borrow", "USDC", "1000");
  await waitStep(page, 0, "ready");
  assert.equal(await step(page, 0).locator("[data-testid=tx-rechecked]").count(), 0);
  const readAt = () => step(page, 0).locator("[data-testid=tx-checked-at]").innerText();
  const firstRead = await readAt();
  assert.match(firstRead, /^As read at \d\d:\d\d:\d\d; a check over a minute old is made again when you send\.$/);
  await laterByAMinute();
  await step(page, 0).locator("[data-testid=tx-sign]").click();
  await page.locator("[data-testid=tx-step] [data-testid=tx-rechecked]").waitFor({ timeout: 30_000 });
  await waitStep(page, 0, "ready");
  assert.notEqual(await readAt(), firstRead, "the time of the new read");
  assert.equal((await sent(page)).length, 0, "the check made again sent nothing");
  // A click within a second of the new figures appearing is not taken as sending them; one after it is.
  const shownAt = Number(await step(page, 0).getAttribute("data-shown-at"));
  const clockAt = (ms) => page.evaluate((t) => (Date.now = () => t), ms);
  await clockAt(shownAt + 500);
  await step(page, 0).locator("[data-testid=tx-sign]").click();
  await page.locator("[data-testid=tx-form-error]").filter({ hasText: "have just changed" }).waitFor();
  await page.waitForTimeout(300);
  assert.equal((await sent(page)).length, 0, "a click half a second after the new figures sent nothing");
  assert.equal(await step(page, 0).getAttribute("data-status"), "ready");
  await clockAt(shownAt + 1_500);
  await sign(page, 0);
  assert.equal((await sent(page)).length, 1);
  ctx.assertNoErrors();
  await ctx.close();
});

test("the panel says how old its read of the position is; after two minutes, that it may be out of date; Read again renews it", T, async () => {
  const { ctx, page } = await openPanel([1]);
  const position = page.locator("[data-testid=transact-position]");
  assert.match(await position.locator("[data-testid=transact-read-age]").innerText(), /^read (just now|\d+ s ago)$/);
  assert.equal(await position.getAttribute("data-stale"), "false");
  await movePageClock(page, 180_000);
  await page.locator('[data-testid=transact-position][data-stale="true"]').waitFor({ timeout: 15_000 });
  assert.equal(await position.locator("[data-testid=transact-read-age]").innerText(), "read 3 min ago");
  await position.locator("[data-testid=transact-reread]").click();
  await page.locator('[data-testid=transact-position][data-stale="false"]').waitFor({ timeout: 30_000 });
  assert.match(await page.locator("[data-testid=transact-read-age]").innerText(), /^read (just now|\d+ s ago)$/);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a simulated revert is refused with its reason in words", T, async () => {
  const me = account(6);
  const { ctx, page } = await openPanel([6]);
  await check(page, "supply", "DAI", "100");
  await waitStep(page, 0, "ready");
  // The DAI leaves the wallet after the plan was made: the engine cannot know, the simulation does.
  const dai = c.token("DAI").connect(accountSigner(market, 6, provider));
  await mined(dai.transfer(account(0).address, await c.token("DAI").balanceOf(me.address)));
  await sign(page, 0); // the exact approval lands
  assert.equal(await c.token("DAI").allowance(me.address, market.contracts.pool), units("DAI", "100"));
  const s = await waitStep(page, 1, "refused");
  assert.match(await s.locator("[data-testid=tx-reason]").innerText(), /^The simulation reverts: .*ERC20: transfer amount exceeds balance.*\. Nothing was sent\.$/);
  assert.equal((await sent(page)).length, 1);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a transaction replaced by one with the same nonce is reported as replaced", T, async () => {
  const me = account(1);
  const { ctx, page } = await openPanel([1]);
  const nonce = await provider.getTransactionCount(me.address);
  await check(page, "supply", "WETH", "1");
  await waitStep(page, 0, "ready");
  await setWallet(page, { replaceNext: true });
  await step(page, 0).locator("[data-testid=tx-sign]").click();
  const s = await waitStep(page, 0, "replaced", 60_000);
  const hash = await s.locator("[data-testid=tx-hash]").innerText();
  assert.equal(await provider.getTransactionReceipt(hash), null, "the original is never mined");
  assert.equal(await provider.getTransactionCount(me.address), nonce + 1, "its nonce was used by the cancel");
  assert.match(await s.locator("[data-testid=tx-reason]").innerText(), /^Replaced: another transaction used its nonce/);
  ctx.assertNoErrors();
  await ctx.close();
});

test("wrong chain: the wallet is switched back; a chain it does not know is added (4902) then used", T, async () => {
  const { ctx, page } = await openPanel([1]);
  await setWallet(page, { chainId: 1 });
  const banner = page.locator("[data-testid=wrong-chain]");
  await banner.waitFor();
  assert.match(await banner.innerText(), /Your wallet is on Ethereum; this position is on Local \(anvil\)\./);
  await page.locator("[data-testid=switch-chain]").click();
  await banner.waitFor({ state: "detached" });
  let log = await walletRequests(page);
  assert.deepEqual(log.filter((r) => r.method.startsWith("wallet_")).map((r) => [r.method, r.params[0].chainId, r.error?.code]), [
    ["wallet_switchEthereumChain", "0x7a69", undefined],
  ]);

  // A wallet that has never heard of the local chain: 4902, then wallet_addEthereumChain from the registry.
  await setWallet(page, { chainId: 137, forgetChains: [31337] });
  await banner.waitFor();
  await page.locator("[data-testid=switch-chain]").click();
  await banner.waitFor({ state: "detached" });
  log = (await walletRequests(page)).filter((r) => r.method.startsWith("wallet_")).slice(1);
  assert.deepEqual(log.map((r) => [r.method, r.error?.code]), [
    ["wallet_switchEthereumChain", 4902],
    ["wallet_addEthereumChain", undefined],
  ]);
  assert.deepEqual(log[1].params[0], {
    chainId: "0x7a69",
    chainName: "Local (anvil)",
    rpcUrls: [chain.rpcUrl],
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  });
  // And the action goes through on the right chain.
  await check(page, "supply", "WETH", "1");
  await sign(page, 0);
  ctx.assertNoErrors();
  await ctx.close();
});

test("a plan from the link (supply 2 WETH, then borrow 3,000 USDC) is signed in order, each step checked again after the one before", T, async () => {
  const me = account(8);
  const { ctx, page } = await open("?view=positions&plan=supply:WETH:2,borrow:USDC:3000", { keys: [8] });
  await connect(page);
  await page.locator("[data-testid=chain-hf]").waitFor({ timeout: 30_000 });
  assert.deepEqual(await page.locator("[data-testid=plan-action]").allInnerTexts(), ["supply 2 WETH", "borrow 3000 USDC"]);
  await page.locator("[data-testid=tx-review-plan]").click();
  await waitStep(page, 0, "ready");
  const kinds = await page.locator("[data-testid=tx-step]").evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(kinds, ["approve", "supply", "borrow"]);
  // The borrow waits: it is checked only once the supply is on chain.
  assert.equal(await step(page, 2).getAttribute("data-status"), "waiting");
  await sign(page, 0);
  await sign(page, 1);
  await waitStep(page, 2, "ready");
  const engineAfter = Number(await step(page, 2).locator("[data-testid=tx-hf-after]").getAttribute("data-value"));
  await sign(page, 2);
  // The re-check: between the supply's send and the borrow's, the borrow was simulated and estimated.
  const methods = (await walletRequests(page)).map((r) => r.method);
  const sendAt = methods.flatMap((m, i) => (m === "eth_sendTransaction" ? [i] : []));
  assert.equal(sendAt.length, 3);
  const between = methods.slice(sendAt[1] + 1, sendAt[2]);
  assert.ok(between.includes("eth_call") && between.includes("eth_estimateGas"), String(between));
  const sends = await sent(page);
  assert.deepEqual(sends.map((t) => t.params[0].to), [market.reserves.WETH.address, market.contracts.pool, market.contracts.pool]);
  const [, supplyHash, borrowHash] = sends.map((t) => t.result);
  const [supplyReceipt, borrowReceipt] = await Promise.all([provider.getTransactionReceipt(supplyHash), provider.getTransactionReceipt(borrowHash)]);
  assert.ok(supplyReceipt.blockNumber < borrowReceipt.blockNumber);
  const data = await c.pool.getUserAccountData(me.address);
  assert.ok(Math.abs(engineAfter - Number(data.healthFactor) / 1e18) < 1e-6, `${engineAfter} vs ${data.healthFactor}`);
  assert.equal(await waitChainHf(page, me.address), exact(data.healthFactor, 18));
  assert.equal(await c.variableDebtToken("USDC").balanceOf(me.address), units("USDC", "3000"));
  ctx.assertNoErrors();
  await ctx.close();
});

test("a live position edited in the planner (supply 2 WETH, borrow 3,000 USDC) opens the panel with those steps in order; a demo plan offers no signing", T, async () => {
  // Account 1 holds 10 WETH against 8,000 USDC.
  const me = account(1);
  const { ctx, page } = await open(`?view=positions&address=${me.address}&chains=31337`, { keys: [1] });
  const live = page.locator(`[data-testid=position][data-owner="${me.address}"]`);
  await live.locator("[data-testid=plan-link]").click();
  await page.locator("[data-testid=sign-changes]").waitFor({ timeout: 30_000 });
  await page.locator("[data-testid=sign-nothing]").waitFor();
  assert.equal(await page.locator("[data-testid=live-unproven]").isVisible(), false);
  // The same address in another tab (or sent by someone else, around any figures) was not read
  // there: a shared scenario, with a notice and nothing to sign.
  const elsewhere = await ctx.newPage();
  await elsewhere.goto(page.url());
  await elsewhere.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
  await elsewhere.locator("[data-testid=live-unproven]").waitFor();
  assert.match(await elsewhere.locator("[data-testid=live-unproven]").innerText(), /read live on /);
  assert.equal(await elsewhere.locator("[data-testid=sign-changes]").count(), 0);
  await elsewhere.close();
  // A reload of the tab that read it keeps it live.
  await page.reload();
  await page.locator("[data-testid=sign-changes]").waitFor({ timeout: 30_000 });
  for (const [kind, asset, amount] of [["supply", "WETH", "2"], ["borrow", "USDC", "3000"]]) {
    await page.selectOption("[data-testid=action-kind]", kind);
    await page.selectOption("[data-testid=action-asset]", asset);
    await page.fill("[data-testid=action-amount]", amount);
    await page.locator("[data-testid=action-apply]").click();
  }
  assert.deepEqual(await page.locator("[data-testid=sign-action]").allInnerTexts(), ["supply 2 WETH", "borrow 3000 USDC"]);
  assert.deepEqual(await page.locator("[data-testid=sign-excluded]").allInnerTexts(), []);
  await page.locator("[data-testid=sign-open-panel]").click();
  await connect(page);
  await page.locator("[data-testid=chain-hf]").waitFor({ timeout: 30_000 });
  assert.deepEqual(await page.locator("[data-testid=plan-action]").allInnerTexts(), ["supply 2 WETH", "borrow 3000 USDC"]);
  // Nothing was sent: the panel waits for the user's review and click.
  assert.deepEqual((await walletRequests(page)).filter((r) => r.method === "eth_sendTransaction"), []);

  // The snapshot's demo position is not the user's: no sign box.
  await page.goto(`${server.url}?view=plan`);
  await page.locator("[data-testid=health-factor]").waitFor({ timeout: 30_000 });
  assert.equal(await page.locator("[data-testid=sign-changes]").count(), 0);
  ctx.assertNoErrors();
  await ctx.close();
});

// --- Collateral on/off and e-mode -----------------------------------------------------------------

/** Account i supplies `supplies` ({ symbol: amount }) and borrows `borrows` straight on chain. */
async function seed(i, supplies, borrows = {}) {
  const signer = accountSigner(market, i, provider);
  const pool = c.pool.connect(signer);
  const me = account(i).address;
  for (const [symbol, amount] of Object.entries(supplies)) {
    await mined(c.token(symbol).connect(signer).approve(market.contracts.pool, units(symbol, amount)));
    await mined(pool.supply(market.reserves[symbol].address, units(symbol, amount), me, 0));
  }
  for (const [symbol, amount] of Object.entries(borrows)) {
    await mined(pool.borrow(market.reserves[symbol].address, units(symbol, amount), 2, 0, me));
  }
}
const collateralRow = (page, symbol) => page.locator(`[data-testid=collateral-row][data-asset="${symbol}"]`);

test("collateral off then on, and e-mode on, land on chain; the panel shows the chain's new account data after each", T, async () => {
  const me = account(9);
  await seed(9, { WETH: "10", DAI: "10000" }, { USDC: "1000" });
  const { ctx, page } = await openPanel([9]);
  assert.equal(await collateralRow(page, "WETH").getAttribute("data-enabled"), "true");
  assert.equal(await collateralRow(page, "DAI").getAttribute("data-enabled"), "true");
  const collateralBase = async () => (await c.pool.getUserAccountData(me.address)).totalCollateralBase;
  const withDai = await collateralBase();

  // DAI off: the decoded call, the engine's HF after (the chain's, once sent), the fee, then the send.
  await collateralRow(page, "DAI").locator("[data-testid=collateral-toggle]").click();
  let s = await waitStep(page, 0, "ready");
  assert.equal(await s.getAttribute("data-kind"), "setUserUseReserveAsCollateral");
  assert.match(await s.locator("[data-testid=tx-decoded]").innerText(), /DAI/);
  assert.equal(await s.locator("[data-testid=tx-fee]").count(), 1);
  let engineAfter = Number(await s.locator("[data-testid=tx-hf-after]").getAttribute("data-value"));
  await sign(page, 0);
  let data = await c.pool.getUserAccountData(me.address);
  assert.equal(data.totalCollateralBase, units("WETH", "10") * 3000n * 10n ** 8n / 10n ** 18n, "only the WETH counts");
  assert.ok(Math.abs(engineAfter - Number(data.healthFactor) / 1e18) < 1e-6, `${engineAfter} vs ${data.healthFactor}`);
  assert.equal(await waitChainHf(page, me.address), exact(data.healthFactor, 18));
  await page.locator('[data-testid=collateral-row][data-asset="DAI"][data-enabled="false"]').waitFor({ timeout: 30_000 });

  // DAI on again.
  await collateralRow(page, "DAI").locator("[data-testid=collateral-toggle]").click();
  s = await waitStep(page, 0, "ready");
  engineAfter = Number(await s.locator("[data-testid=tx-hf-after]").getAttribute("data-value"));
  await sign(page, 0);
  data = await c.pool.getUserAccountData(me.address);
  assert.equal(data.totalCollateralBase, withDai);
  assert.ok(Math.abs(engineAfter - Number(data.healthFactor) / 1e18) < 1e-6, `${engineAfter} vs ${data.healthFactor}`);
  assert.equal(await waitChainHf(page, me.address), exact(data.healthFactor, 18));
  await page.locator('[data-testid=collateral-row][data-asset="DAI"][data-enabled="true"]').waitFor({ timeout: 30_000 });

  // E-mode: the market's stablecoin category by its label, none current; entering it lands.
  const emode = page.locator("[data-testid=tx-emode]");
  assert.equal(await emode.getAttribute("data-current"), "0");
  assert.deepEqual(await page.locator("[data-testid=emode-select] option").allInnerTexts(), ["No e-mode (current)", "Stablecoins"]);
  assert.equal(await page.locator("[data-testid=emode-apply]").isDisabled(), true, "nothing to change yet");
  await page.locator("[data-testid=emode-select]").selectOption("1");
  await page.locator("[data-testid=emode-apply]").click();
  s = await waitStep(page, 0, "ready");
  assert.equal(await s.getAttribute("data-kind"), "setUserEMode");
  assert.equal(await s.locator("strong").first().innerText(), "Enter e-mode Stablecoins (category 1)");
  engineAfter = Number(await s.locator("[data-testid=tx-hf-after]").getAttribute("data-value"));
  await sign(page, 0);
  assert.equal(await c.pool.getUserEMode(me.address), 1n);
  data = await c.pool.getUserAccountData(me.address);
  assert.ok(Math.abs(engineAfter - Number(data.healthFactor) / 1e18) < 1e-6, `${engineAfter} vs ${data.healthFactor}`);
  assert.equal(await waitChainHf(page, me.address), exact(data.healthFactor, 18));
  await page.locator('[data-testid=tx-emode][data-current="1"]').waitFor({ timeout: 30_000 });
  assert.deepEqual(await page.locator("[data-testid=emode-select] option").allInnerTexts(), ["No e-mode", "Stablecoins (current)"]);
  const sends = await sent(page);
  assert.deepEqual(sends.map((t) => poolIface().parseTransaction({ data: t.params[0].data }).name), [
    "setUserUseReserveAsCollateral",
    "setUserUseReserveAsCollateral",
    "setUserEMode",
  ]);
  ctx.assertNoErrors();
  await ctx.close();
});

test("turning off the collateral that backs a debt is refused before the wallet is asked", T, async () => {
  // Account 1: 10 WETH, the only collateral, against 8,000 USDC.
  const { ctx, page } = await openPanel([1]);
  const before = (await walletRequests(page)).length;
  await collateralRow(page, "WETH").locator("[data-testid=collateral-toggle]").click();
  const s = await waitStep(page, 0, "refused");
  assert.match(await s.locator("[data-testid=tx-reason]").innerText(), /^Refused: .*turn WETH off as collateral.*health factor.*Nothing was sent to your wallet\.$/);
  await page.waitForTimeout(300);
  assert.deepEqual((await walletRequests(page)).slice(before), [], "the wallet received no request");
  assert.equal(await s.locator("[data-testid=tx-sign]").count(), 0);
  ctx.assertNoErrors();
  await ctx.close();
});

// --- One step at a time, and each warning accepted for itself ---------------------------------------

test("while a transaction is pending, a new check is refused with the reason and the pending step stays shown", T, async () => {
  const { ctx, page } = await openPanel([1]);
  await check(page, "supply", "WETH", "1");
  const s = await waitStep(page, 0, "ready");
  await provider.send("evm_setAutomine", [false]);
  try {
    await s.locator("[data-testid=tx-sign]").click();
    await waitStep(page, 0, "pending");
    assert.equal(await page.locator("[data-testid=transact-chain]").isDisabled(), true, "no other chain meanwhile");
    await check(page, "borrow", "USDC", "1");
    const error = page.locator("[data-testid=tx-form-error]");
    await error.waitFor({ timeout: 10_000 });
    assert.match(await error.innerText(), /^Not now: step 1 is waiting for your wallet or for the chain/);
    assert.equal(await step(page, 0).getAttribute("data-status"), "pending");
    assert.equal(await step(page, 0).getAttribute("data-kind"), "supply");
    const hash = await step(page, 0).locator("[data-testid=tx-hash]").innerText();
    await provider.send("evm_mine", []);
    await waitStep(page, 0, "confirmed", 60_000);
    assert.equal(hash, (await sent(page))[0].result);
  } finally {
    await provider.send("evm_setAutomine", [true]);
  }
  // Once it is mined, a new check goes through.
  assert.equal(await page.locator("[data-testid=transact-chain]").isDisabled(), false);
  await check(page, "borrow", "USDC", "1");
  await waitStep(page, 0, "ready");
  assert.equal(await step(page, 0).getAttribute("data-kind"), "borrow");
  assert.equal((await sent(page)).length, 1);
  ctx.assertNoErrors();
  await ctx.close();
});

test("“Send it anyway” is ticked for one checked step: the next check asks again", T, async () => {
  const { ctx, page } = await openPanel([1]);
  await page.locator("[data-testid=tx-floor]").fill("100");
  await check(page, "borrow", "USDC", "1");
  let s = await waitStep(page, 0, "ready");
  assert.match(await s.locator("[data-testid=tx-warning]").innerText(), /under your safety floor of 100\.00/);
  await s.locator("[data-testid=tx-sign]").click();
  await page.locator("[data-testid=tx-form-error]").waitFor({ timeout: 10_000 });
  assert.match(await page.locator("[data-testid=tx-form-error]").innerText(), /^Tick “Send it anyway”/);
  assert.equal((await sent(page)).length, 0, "not sent without the tick");
  await s.locator("[data-testid=tx-accept-floor]").check();
  await sign(page, 0);
  assert.equal((await sent(page)).length, 1);
  // The same borrow checked again: a new health factor, a new warning, not yet accepted.
  await check(page, "borrow", "USDC", "1");
  s = await waitStep(page, 0, "ready");
  assert.equal(await s.locator("[data-testid=tx-accept-floor]").isChecked(), false);
  await s.locator("[data-testid=tx-sign]").click();
  await page.waitForTimeout(500);
  assert.equal(await s.getAttribute("data-status"), "ready");
  assert.equal((await sent(page)).length, 1, "the earlier tick did not send this one");
  ctx.assertNoErrors();
  await ctx.close();
});
