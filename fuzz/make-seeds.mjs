// Writes the committed seed inputs of each fuzz target (fuzz/seeds/<target>/)
// from the repository's own fixtures, so the fuzzer starts from valid inputs.
// Run from anywhere: node fuzz/make-seeds.mjs
import { mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const seeds = path.join(root, "fuzz", "seeds");
const read = (p) => readFileSync(path.join(root, p));
const put = (target, name, bytes) => {
  mkdirSync(path.join(seeds, target), { recursive: true });
  writeFileSync(path.join(seeds, target, name), bytes);
};
const hex = (h) => Buffer.from(h.replace(/^0x/, ""), "hex");
rmSync(seeds, { recursive: true, force: true });

const specs = ["spec-aave-v3", "spec-maker", "spec-liquity-v1"];
for (const spec of specs) {
  const json = read(`crates/ballast-cli/tests/fixtures/${spec}.json`);
  put("scenario_eval", spec, json);
  const compact = JSON.stringify(JSON.parse(json.toString()));
  put("share_link", spec, `1.${Buffer.from(compact).toString("base64url")}`);
}
put("snapshot", "public-snapshot", read("public/snapshot.json"));

const rpc = {
  "call-result": '{"jsonrpc":"2.0","id":1,"result":"0x0000000000000000000000000000000000000000000000000000000000000001"}',
  "chain-id": '{"jsonrpc":"2.0","id":1,"result":"0x7a69"}',
  "revert": '{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x08c379a00000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000235330000000000000000000000000000000000000000000000000000000000000"}}',
  "batch": '[{"jsonrpc":"2.0","id":2,"result":"0x1"},{"jsonrpc":"2.0","id":1,"result":{"number":"0x11a","timestamp":"0x697d0b2c","hash":"0x' + "ab".repeat(32) + '"}},{"jsonrpc":"2.0","id":3,"error":{"code":-32000,"message":"header not found"}}]',
};
for (const [name, body] of Object.entries(rpc)) put("jsonrpc_response", name, body);

const eth = '{"id":"ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace","price":{"price":"195656091864","conf":"87908136","expo":-8,"publish_time":1785143368},"ema_price":{"price":"196361740000","conf":"69342421","expo":-8,"publish_time":1785143368}}';
const btc = '{"id":"e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43","price":{"price":"11168649121012","conf":"3107879000","expo":-8,"publish_time":1761380527}}';
put("hermes_response", "eth-btc", `{"binary":{"encoding":"hex","data":["504e4155"]},"parsed":[${eth},${btc}]}`);

// abi_return: the first byte picks the decoder (see fuzz_targets/abi_return.rs).
const market = JSON.parse(read("crates/ballast-chain/tests/fixtures/aave_reader/market.json"));
const withSelector = (n, bytes) => Buffer.concat([Buffer.from([n]), bytes]);
put("abi_return", "pool-revision", withSelector(3, hex(market.pool_revision)));
put("abi_return", "reserves-data", withSelector(12, hex(market.reserves_data)));
for (const i of [1, 2, 3, 4]) {
  const account = JSON.parse(read(`crates/ballast-chain/tests/fixtures/aave_reader/account-${i}.json`));
  put("abi_return", `account-${i}-user-reserves`, withSelector(11, hex(account.user_reserves_data)));
  put("abi_return", `account-${i}-account-data`, withSelector(0, hex(account.user_account_data)));
  put("abi_return", `account-${i}-emode`, withSelector(1, hex(account.user_emode)));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(hex(market.reserves_data).length);
  put("abi_return", `account-${i}-scenario`, Buffer.concat([Buffer.from([13]), len, hex(market.reserves_data), hex(account.user_reserves_data)]));
}

// tx_answers: the first byte picks the reader (see fuzz_targets/tx_answers.rs).
const tx = JSON.parse(read("crates/ballast-chain/tests/fixtures/tx/encodings.json"));
for (const [name, data] of Object.entries(tx.reverts)) put("tx_answers", `revert-${name}`, withSelector(0, hex(data)));
const wrapped = { code: -32603, message: "Internal JSON-RPC error.", data: { code: 3, message: "execution reverted", data: tx.reverts.error_string_35 } };
put("tx_answers", "error-object", withSelector(1, Buffer.from(JSON.stringify(wrapped))));
const receipt = { transactionHash: `0x${"ab".repeat(32)}`, blockNumber: "0x10", status: "0x1", gasUsed: "0x30d40", effectiveGasPrice: "0x3b9aca00" };
put("tx_answers", "receipt", withSelector(2, Buffer.from(JSON.stringify(receipt))));
const history = { oldestBlock: "0x10", baseFeePerGas: ["0x3b9aca00", "0x3b9aca01"], gasUsedRatio: [0.5], reward: [["0x5f5e100"]] };
put("tx_answers", "fee-history", withSelector(2, Buffer.from(JSON.stringify(history))));
for (const [name, data] of Object.entries(tx.calldata)) put("tx_answers", `calldata-${name}`, withSelector(3, hex(data)));
put("tx_answers", "signature", withSelector(4, hex(tx.permit.signature)));
put("tx_answers", "signature-hex", withSelector(4, Buffer.from(tx.permit.signature)));
put("tx_answers", "name", withSelector(5, hex(tx.returns.name_usd_coin)));
