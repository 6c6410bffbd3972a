// Run the test market for manual development: `npm run chain [-- --port 8545]`.
// Prints the RPC URL and where market.json is; Ctrl-C stops anvil.
import { parseArgs } from "node:util";
import { MARKET_JSON, startMarket } from "./market.mjs";

const { values } = parseArgs({ options: { port: { type: "string" }, fresh: { type: "boolean" } } });
const chain = await startMarket({ port: values.port ? Number(values.port) : undefined, fresh: values.fresh });
console.log(`RPC ${chain.rpcUrl} (chain id ${chain.market.chainId})`);
console.log(`addresses: ${MARKET_JSON}`);
console.log(`pool ${chain.market.contracts.pool}, UiPoolDataProviderV3 ${chain.market.contracts.uiPoolDataProvider}`);
console.log("Ctrl-C to stop");
// anvil.mjs kills anvil on SIGINT/SIGTERM; keep the process alive until then.
setInterval(() => {}, 1 << 30);
