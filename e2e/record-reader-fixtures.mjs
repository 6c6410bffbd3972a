// Records the raw eth_call return data the Rust Aave V3 position reader
// (crates/ballast-chain/src/aave_reader.rs) decodes, from the harness market, into
// crates/ballast-chain/tests/fixtures/aave_reader/:
//
//   market.json        block, timestamp, addresses, UiPoolDataProviderV3.getReservesData,
//                      Pool.POOL_REVISION, Pool.getEModeCategoryData of each category used
//   account-<n>.json   per seeded account: getUserReservesData, getUserEMode and the
//                      getUserAccountData the reader's scenario must reproduce
//
//   node record-reader-fixtures.mjs
//
// Only addresses and return data are written (no bytecode). The harness clock is fixed and
// the reads happen at one block mined at a fixed time 30 days after the deploy (so interest
// accrues on every borrowed reserve), so a rerun writes the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Interface } from "ethers";
import { loadArtifact } from "./harness/artifacts.mjs";
import { rpc } from "./harness/anvil.mjs";
import { startMarket } from "./harness/market.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, "..", "crates", "ballast-chain", "tests", "fixtures", "aave_reader");
const ELAPSED = 30 * 86_400;
/** #1 WETH→USDC borrower, #2 e-mode, #3 isolation, #4 LTV-0 / frozen / paused collateral. */
const ACCOUNTS = [1, 2, 3, 4];

const ui = new Interface(loadArtifact("UiPoolDataProviderV3").abi);
const pool = new Interface(loadArtifact("Pool").abi);

const { rpcUrl, market, stop } = await startMarket();
try {
  // One empty block at a fixed time: every read below sees this block's timestamp.
  const readAt = market.deployedAt.timestamp + ELAPSED;
  await rpc(rpcUrl, "evm_setNextBlockTimestamp", [readAt]);
  await rpc(rpcUrl, "evm_mine", []);
  const block = await rpc(rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  if (Number(block.timestamp) !== readAt) throw new Error(`block at ${Number(block.timestamp)}, wanted ${readAt}`);
  const call = (to, iface, fn, args = []) =>
    rpc(rpcUrl, "eth_call", [{ to, data: iface.encodeFunctionData(fn, args) }, block.number]);

  const { pool: poolAddress, poolAddressesProvider: provider, uiPoolDataProvider } = market.contracts;
  const categories = market.eModeCategories.map((c) => c.id);
  const fixture = (data) => `${JSON.stringify(data, null, 2)}\n`;
  mkdirSync(OUT, { recursive: true });

  writeFileSync(
    path.join(OUT, "market.json"),
    fixture({
      source: "e2e/record-reader-fixtures.mjs on the harness market (Aave V3.0.2, periphery 3.0.1)",
      block: Number(block.number),
      timestamp: Number(block.timestamp),
      pool: poolAddress,
      pool_addresses_provider: provider,
      ui_pool_data_provider: uiPoolDataProvider,
      pool_revision: await call(poolAddress, pool, "POOL_REVISION"),
      reserves_data: await call(uiPoolDataProvider, ui, "getReservesData", [provider]),
      emode_categories: await Promise.all(
        categories.map(async (id) => ({ id, data: await call(poolAddress, pool, "getEModeCategoryData", [id]) })),
      ),
    }),
  );
  for (const index of ACCOUNTS) {
    const { address, role } = market.accounts[index];
    writeFileSync(
      path.join(OUT, `account-${index}.json`),
      fixture({
        role,
        user: address,
        user_reserves_data: await call(uiPoolDataProvider, ui, "getUserReservesData", [provider, address]),
        user_emode: await call(poolAddress, pool, "getUserEMode", [address]),
        user_account_data: await call(poolAddress, pool, "getUserAccountData", [address]),
      }),
    );
  }
  console.log(`recorded block ${Number(block.number)} (t=${readAt}) into ${path.relative(process.cwd(), OUT)}`);
} finally {
  await stop();
}
