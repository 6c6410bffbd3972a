// ethers helpers for talking to the harness anvil from Node.
import { JsonRpcProvider } from "ethers";
import { CHAIN_ID } from "./anvil.mjs";

/**
 * A provider for the harness anvil: fixed network, no request batching, and no response
 * cache (ethers otherwise replays identical reads for 250 ms, so e.g. getBlock("latest")
 * right after evm_mine returns the previous block).
 */
export function makeProvider(rpcUrl) {
  return new JsonRpcProvider(rpcUrl, CHAIN_ID, {
    staticNetwork: true,
    batchMaxCount: 1,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}

/**
 * Wait for a transaction's receipt by polling eth_getTransactionReceipt.
 * Why not tx.wait(): anvil automines asynchronously, so the receipt can be missing right
 * after eth_sendRawTransaction returns; ethers then waits for a *new* block, which never
 * comes on an idle automining chain, and hangs forever.
 * @param {Promise<import("ethers").TransactionResponse> | import("ethers").TransactionResponse} txOrPromise
 */
export async function mined(txOrPromise, { timeoutMs = 60_000 } = {}) {
  const tx = await txOrPromise;
  return receiptOf(tx.provider, tx.hash, { timeoutMs });
}

/** Receipt of the transaction `hash` (polling), throwing if it reverted. */
export async function receiptOf(provider, hash, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) {
      if (receipt.status !== 1) throw new Error(`transaction ${hash} reverted`);
      return receipt;
    }
    if (Date.now() > deadline) throw new Error(`transaction ${hash} not mined after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Mine the next block exactly at `timestamp` (seconds) and return it. */
export async function mineAt(provider, timestamp) {
  await provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
  await provider.send("evm_mine", []);
  return provider.getBlock("latest");
}

/** Make the next mined block (e.g. the next transaction's) have exactly `timestamp`. */
export async function setNextTimestamp(provider, timestamp) {
  await provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
}

/**
 * evm_snapshot / evm_revert pair: `const restore = await snapshot(p); ...; await restore();`
 * restore() also rewinds the pinned block clock to the restored head (see market.mjs), so
 * the next block is again exactly head + BLOCK_TIME.
 */
export async function snapshot(provider) {
  const id = await provider.send("evm_snapshot", []);
  return async () => {
    const ok = await provider.send("evm_revert", [id]);
    if (!ok) throw new Error(`evm_revert(${id}) failed`);
    const head = await provider.send("eth_getBlockByNumber", ["latest", false]);
    await provider.send("evm_setTime", [Number(head.timestamp)]);
  };
}

/** The latest block, read without any client-side caching. */
export async function latestBlock(provider) {
  const b = await provider.send("eth_getBlockByNumber", ["latest", false]);
  return { number: Number(b.number), timestamp: Number(b.timestamp), baseFeePerGas: BigInt(b.baseFeePerGas ?? 0) };
}
