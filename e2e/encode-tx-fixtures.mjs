// Writes test vectors for the Rust transaction layer (crates/ballast-chain/src/{aave_actions,erc20,
// permit,revert}.rs) into crates/ballast-chain/tests/fixtures/tx/encodings.json.
//
// The calldata, EIP-712 digests, signatures and revert data are made here by ethers (an encoder
// independent of alloy-sol-types, which the Rust side uses), from the human-readable ABIs below
// (written from @aave/core-v3 1.19.3's IPool.sol and OpenZeppelin's IERC20 / IERC20Permit /
// IERC20Errors; no Aave artifact is read or copied).
//
//   node encode-tx-fixtures.mjs
//
// Deterministic: a rerun writes the same bytes (the permit is signed by anvil's account #1, whose
// key is public, with RFC 6979 deterministic nonces).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AbiCoder, Interface, MaxUint256, Signature, TypedDataEncoder, Wallet, id } from "ethers";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, "..", "crates", "ballast-chain", "tests", "fixtures", "tx");

const pool = new Interface([
  "function supply(address asset, uint256 amount, address onBehalfOf, uint16 referralCode)",
  "function supplyWithPermit(address asset, uint256 amount, address onBehalfOf, uint16 referralCode, uint256 deadline, uint8 permitV, bytes32 permitR, bytes32 permitS)",
  "function withdraw(address asset, uint256 amount, address to) returns (uint256)",
  "function borrow(address asset, uint256 amount, uint256 interestRateMode, uint16 referralCode, address onBehalfOf)",
  "function repay(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf) returns (uint256)",
  "function repayWithPermit(address asset, uint256 amount, uint256 interestRateMode, address onBehalfOf, uint256 deadline, uint8 permitV, bytes32 permitR, bytes32 permitS) returns (uint256)",
  "function setUserUseReserveAsCollateral(address asset, bool useAsCollateral)",
  "function setUserEMode(uint8 categoryId)",
]);
const erc20 = new Interface([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function nonces(address owner) view returns (uint256)",
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
]);

// Aave V3 Ethereum's Pool and two of its reserves; the user is anvil's account #1.
const POOL = "0x87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2";
const WETH = "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2";
const USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";
const signer = new Wallet("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
const USER = signer.address;

const ONE_WETH = 10n ** 18n;
const USDC_3000 = 3_000n * 10n ** 6n;
const VARIABLE = 2n;

// EIP-2612 permit for USDC (domain "USD Coin", version "2", as FiatToken v2 and the e2e market's USDC).
const domain = { name: "USD Coin", version: "2", chainId: 1, verifyingContract: USDC };
const types = {
  Permit: [
    { name: "owner", type: "address" },
    { name: "spender", type: "address" },
    { name: "value", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
const permit = { owner: USER, spender: POOL, value: USDC_3000, nonce: 7n, deadline: 1_767_225_600n };
const signature = Signature.from(await signer.signTypedData(domain, types, permit));

const abi = AbiCoder.defaultAbiCoder();
const selector = (signature) => id(signature).slice(0, 10);
const customError = (signature, types = [], values = []) => selector(signature) + abi.encode(types, values).slice(2);

const fixture = {
  source: "e2e/encode-tx-fixtures.mjs (ethers 6)",
  pool: POOL,
  weth: WETH,
  usdc: USDC,
  user: USER,
  calldata: {
    supply_1_weth: pool.encodeFunctionData("supply", [WETH, ONE_WETH, USER, 0]),
    withdraw_half_weth: pool.encodeFunctionData("withdraw", [WETH, ONE_WETH / 2n, USER]),
    withdraw_max_weth: pool.encodeFunctionData("withdraw", [WETH, MaxUint256, USER]),
    borrow_3000_usdc: pool.encodeFunctionData("borrow", [USDC, USDC_3000, VARIABLE, 0, USER]),
    repay_3000_usdc: pool.encodeFunctionData("repay", [USDC, USDC_3000, VARIABLE, USER]),
    repay_max_usdc: pool.encodeFunctionData("repay", [USDC, MaxUint256, VARIABLE, USER]),
    collateral_off_weth: pool.encodeFunctionData("setUserUseReserveAsCollateral", [WETH, false]),
    collateral_on_weth: pool.encodeFunctionData("setUserUseReserveAsCollateral", [WETH, true]),
    emode_1: pool.encodeFunctionData("setUserEMode", [1]),
    supply_with_permit_3000_usdc: pool.encodeFunctionData("supplyWithPermit", [
      USDC, USDC_3000, USER, 0, permit.deadline, signature.v, signature.r, signature.s,
    ]),
    repay_with_permit_3000_usdc: pool.encodeFunctionData("repayWithPermit", [
      USDC, USDC_3000, VARIABLE, USER, permit.deadline, signature.v, signature.r, signature.s,
    ]),
    approve_pool_3000_usdc: erc20.encodeFunctionData("approve", [POOL, USDC_3000]),
    allowance_user_pool: erc20.encodeFunctionData("allowance", [USER, POOL]),
    balance_of_user: erc20.encodeFunctionData("balanceOf", [USER]),
    nonces_user: erc20.encodeFunctionData("nonces", [USER]),
    name: erc20.encodeFunctionData("name", []),
    version: erc20.encodeFunctionData("version", []),
    domain_separator: erc20.encodeFunctionData("DOMAIN_SEPARATOR", []),
  },
  returns: {
    name_usd_coin: erc20.encodeFunctionResult("name", ["USD Coin"]),
    version_2: erc20.encodeFunctionResult("version", ["2"]),
  },
  permit: {
    chain_id: domain.chainId,
    name: domain.name,
    version: domain.version,
    verifying_contract: USDC,
    owner: permit.owner,
    spender: permit.spender,
    value: permit.value.toString(),
    nonce: permit.nonce.toString(),
    deadline: permit.deadline.toString(),
    domain_separator: TypedDataEncoder.hashDomain(domain),
    digest: TypedDataEncoder.hash(domain, types, permit),
    signature: signature.serialized,
    v: signature.v,
    r: signature.r,
    s: signature.s,
  },
  reverts: {
    error_string_35: abi.encode(["string"], ["35"]).replace(/^0x/, selector("Error(string)")),
    panic_0x11: customError("Panic(uint256)", ["uint256"], [0x11n]),
    origin_hf_below_threshold: customError("HealthFactorLowerThanLiquidationThreshold()"),
    origin_invalid_collateral_in_emode: customError(
      "InvalidCollateralInEmode(address,uint256)", ["address", "uint256"], [WETH, 1n],
    ),
    oz_insufficient_balance: customError(
      "ERC20InsufficientBalance(address,uint256,uint256)", ["address", "uint256", "uint256"], [USER, 5n * 10n ** 6n, USDC_3000],
    ),
    oz_insufficient_allowance: customError(
      "ERC20InsufficientAllowance(address,uint256,uint256)", ["address", "uint256", "uint256"], [POOL, 0n, USDC_3000],
    ),
    old_string_allowance: abi
      .encode(["string"], ["ERC20: transfer amount exceeds allowance"])
      .replace(/^0x/, selector("Error(string)")),
  },
};

mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, "encodings.json"), `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${path.join(OUT, "encodings.json")}`);
