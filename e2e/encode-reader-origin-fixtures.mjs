// Writes test vectors for the Rust Aave V3 reader's aave-v3-origin data-provider layouts
// (3.2, 3.3, 3.4+: crates/ballast-chain/src/aave_reader/periphery_origin.rs) into
// crates/ballast-chain/tests/fixtures/aave_reader_origin/.
//
// Mainnet is not reachable from the test machines, so the return data is made here: known
// values ABI-encoded by ethers (an encoder independent of the Rust side), in the layouts of
// aave-v3-origin's IUiPoolDataProviderV3 (3.2, 3.3, 3.4+) and IPool. One market, encoded
// three times, with the POOL_REVISION each layout comes with. The Rust tests check that the
// decoder recovers these values exactly and that the engine, fed the scenario built from
// them, gives the getUserAccountData written here, which is worked out by hand below.
//
//   node encode-reader-origin-fixtures.mjs
//
// Deterministic: a rerun writes the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AbiCoder } from "ethers";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, "..", "crates", "ballast-chain", "tests", "fixtures", "aave_reader_origin");
const abi = AbiCoder.defaultAbiCoder();

const RAY = 10n ** 27n;
const E18 = 10n ** 18n;
const USD = 10n ** 8n;
/** Block timestamp of the reads; every reserve was last updated in this block, so no interest accrues. */
const TIMESTAMP = 1_760_000_000;

/** AggregatedReserveData of aave-v3-origin 3.4+, in field order. */
const FIELDS_3_4 = [
  ["address", "underlyingAsset"],
  ["string", "name"],
  ["string", "symbol"],
  ["uint256", "decimals"],
  ["uint256", "baseLTVasCollateral"],
  ["uint256", "reserveLiquidationThreshold"],
  ["uint256", "reserveLiquidationBonus"],
  ["uint256", "reserveFactor"],
  ["bool", "usageAsCollateralEnabled"],
  ["bool", "borrowingEnabled"],
  ["bool", "isActive"],
  ["bool", "isFrozen"],
  ["uint128", "liquidityIndex"],
  ["uint128", "variableBorrowIndex"],
  ["uint128", "liquidityRate"],
  ["uint128", "variableBorrowRate"],
  ["uint40", "lastUpdateTimestamp"],
  ["address", "aTokenAddress"],
  ["address", "variableDebtTokenAddress"],
  ["address", "interestRateStrategyAddress"],
  ["uint256", "availableLiquidity"],
  ["uint256", "totalScaledVariableDebt"],
  ["uint256", "priceInMarketReferenceCurrency"],
  ["address", "priceOracle"],
  ["uint256", "variableRateSlope1"],
  ["uint256", "variableRateSlope2"],
  ["uint256", "baseVariableBorrowRate"],
  ["uint256", "optimalUsageRatio"],
  ["bool", "isPaused"],
  ["bool", "isSiloedBorrowing"],
  ["uint128", "accruedToTreasury"],
  ["uint128", "isolationModeTotalDebt"],
  ["bool", "flashLoanEnabled"],
  ["uint256", "debtCeiling"],
  ["uint256", "debtCeilingDecimals"],
  ["uint256", "borrowCap"],
  ["uint256", "supplyCap"],
  ["bool", "borrowableInIsolation"],
  ["uint128", "virtualUnderlyingBalance"],
  ["uint128", "deficit"],
];
/** 3.3: `unbacked` after `accruedToTreasury`, `virtualAccActive` before the virtual balance. */
const FIELDS_3_3 = FIELDS_3_4.flatMap((f) => {
  if (f[1] === "accruedToTreasury") return [f, ["uint128", "unbacked"]];
  if (f[1] === "virtualUnderlyingBalance") return [["bool", "virtualAccActive"], f];
  return [f];
});
/** 3.2: 3.3 without `deficit`. */
const FIELDS_3_2 = FIELDS_3_3.filter(([, name]) => name !== "deficit");
const LAYOUTS = [
  { name: "3.2", revision: 6, fields: FIELDS_3_2 },
  { name: "3.3", revision: 7, fields: FIELDS_3_3 },
  { name: "3.5", revision: 9, fields: FIELDS_3_4 },
];
const tuple = (fields) => `tuple(${fields.map(([t]) => t).join(",")})`;
const BASE_CURRENCY_TUPLE = "tuple(uint256,int256,int256,uint8)";
const USER_RESERVE_TUPLE = "tuple(address,uint256,bool,uint256)";
const EMODE_TUPLE = "tuple(uint8,tuple(uint16,uint16,uint16,uint128,string,uint128))";

const addr = (n) => `0x${n.toString(16).padStart(40, "0")}`;
const ray = (s) => (BigInt(Math.round(Number(s) * 1e6)) * RAY) / 1_000_000n;

/** A reserve with defaults, overridden per asset. Underlyings are 0x…a1, 0x…a2, …; tokens 0x…b?, 0x…c?. */
function reserve(i, fields) {
  const r = {
    underlyingAsset: addr(0xa0 + i),
    name: fields.symbol,
    decimals: 18n,
    reserveFactor: 1000n,
    usageAsCollateralEnabled: (fields.baseLTVasCollateral ?? 0n) !== 0n,
    borrowingEnabled: true,
    isActive: true,
    isFrozen: false,
    liquidityIndex: RAY,
    variableBorrowIndex: RAY,
    liquidityRate: ray("0.02"),
    variableBorrowRate: ray("0.035"),
    lastUpdateTimestamp: TIMESTAMP,
    aTokenAddress: addr(0xb0 + i),
    variableDebtTokenAddress: addr(0xc0 + i),
    interestRateStrategyAddress: addr(0xd0),
    totalScaledVariableDebt: 0n,
    priceOracle: addr(0xe0 + i),
    variableRateSlope1: ray("0.04"),
    variableRateSlope2: ray("0.8"),
    baseVariableBorrowRate: 0n,
    optimalUsageRatio: ray("0.9"),
    isPaused: false,
    isSiloedBorrowing: false,
    accruedToTreasury: 0n,
    isolationModeTotalDebt: 0n,
    flashLoanEnabled: true,
    debtCeiling: 0n,
    debtCeilingDecimals: 2n,
    borrowCap: 0n,
    supplyCap: 0n,
    borrowableInIsolation: false,
    deficit: 0n,
    unbacked: 0n,
    virtualAccActive: true,
    ...fields,
  };
  return (layout) =>
    layout.map(([, name]) => {
      if (r[name] === undefined) throw new Error(`${fields.symbol}: no ${name}`);
      return r[name];
    });
}

// Reserve ids are list positions: WETH 0, wstETH 1, USDC 2, CRV 3, SNX 4, GHO 5.
const reserves = [
  reserve(1, {
    symbol: "WETH",
    baseLTVasCollateral: 8050n,
    reserveLiquidationThreshold: 8300n,
    reserveLiquidationBonus: 10500n,
    reserveFactor: 1500n,
    liquidityIndex: (5n * RAY) / 4n,
    variableBorrowIndex: (5n * RAY) / 4n,
    // 7 WETH sent to the aToken without a supply: in its balance, not in the Pool's books.
    availableLiquidity: 1007n * E18,
    virtualUnderlyingBalance: 1000n * E18,
    totalScaledVariableDebt: 400n * E18, // 500 WETH at index 1.25
    deficit: 2n * E18,
    unbacked: 1n * E18, // 3.2 and 3.3 only: 3.4 dropped portals' unbacked aTokens
    accruedToTreasury: 3n * E18,
    priceInMarketReferenceCurrency: 3000n * USD,
    borrowCap: 1_000_000n,
    supplyCap: 2_000_000n,
  }),
  reserve(2, {
    symbol: "wstETH",
    baseLTVasCollateral: 7850n,
    reserveLiquidationThreshold: 8100n,
    reserveLiquidationBonus: 10600n,
    liquidityIndex: (5n * RAY) / 4n,
    variableBorrowIndex: (5n * RAY) / 4n,
    availableLiquidity: 500n * E18,
    virtualUnderlyingBalance: 500n * E18,
    totalScaledVariableDebt: 8n * E18,
    priceInMarketReferenceCurrency: 3600n * USD,
  }),
  reserve(3, {
    symbol: "USDC",
    decimals: 6n,
    baseLTVasCollateral: 7500n,
    reserveLiquidationThreshold: 7800n,
    reserveLiquidationBonus: 10450n,
    availableLiquidity: 5_000_000n * 10n ** 6n,
    virtualUnderlyingBalance: 5_000_000n * 10n ** 6n,
    totalScaledVariableDebt: 3_000_000n * 10n ** 6n,
    priceInMarketReferenceCurrency: 99_990_000n,
    borrowableInIsolation: true,
  }),
  reserve(4, {
    symbol: "CRV",
    baseLTVasCollateral: 0n,
    reserveLiquidationThreshold: 3500n,
    reserveLiquidationBonus: 10800n,
    isFrozen: true,
    borrowingEnabled: false,
    availableLiquidity: 10_000n * E18,
    virtualUnderlyingBalance: 10_000n * E18,
    priceInMarketReferenceCurrency: 50_000_000n,
  }),
  reserve(5, {
    symbol: "SNX",
    baseLTVasCollateral: 5000n,
    reserveLiquidationThreshold: 6500n,
    reserveLiquidationBonus: 10850n,
    isPaused: true,
    availableLiquidity: 0n,
    virtualUnderlyingBalance: 0n,
    priceInMarketReferenceCurrency: 2n * USD,
    debtCeiling: 50_000_000n, // $500,000.00
    isolationModeTotalDebt: 1_234_567n, // $12,345.67
  }),
  // Minted by its facilitator, not supplied: up to 3.3 virtual accounting is off for it.
  reserve(6, {
    symbol: "GHO",
    baseLTVasCollateral: 0n,
    reserveLiquidationThreshold: 0n,
    reserveLiquidationBonus: 0n,
    availableLiquidity: 0n,
    virtualUnderlyingBalance: 0n,
    virtualAccActive: false,
    totalScaledVariableDebt: 1_000n * E18,
    priceInMarketReferenceCurrency: USD,
  }),
];
const baseCurrency = [USD, USD, 3000n * USD, 8];

const emodes = [
  [1, [9300, 9500, 10100, 0b11n, "ETH correlated", 0b01n]],
  [2, [9000, 9300, 10200, 0b100n, "Stablecoins", 0b100n]],
];

/** Per account: the user's reserves (one entry per reserve, as the provider returns), e-mode, and the chain's account data. */
const accounts = {
  // E-mode 1: 10 wstETH (8 scaled at index 1.25) against 5 WETH (4 scaled).
  // Collateral 10 × 3600 = 36,000 USD, debt 5 × 3000 = 15,000 USD; e-mode LT 95 %, LTV 93 %.
  // HF = 36,000 × 0.95 / 15,000 = 2.28; available = 36,000 × 0.93 − 15,000 = 18,480.
  "account-emode": {
    user: [
      [addr(0xa1), 0n, false, 4n * E18],
      [addr(0xa2), 8n * E18, true, 0n],
      [addr(0xa3), 0n, false, 0n],
      [addr(0xa4), 0n, false, 0n],
      [addr(0xa5), 0n, false, 0n],
      [addr(0xa6), 0n, false, 0n],
    ],
    emode: 1,
    accountData: { all: [36_000n * USD, 15_000n * USD, 18_480n * USD, 9500n, 9300n, 228n * 10n ** 16n] },
  },
  // No e-mode: 20,000 USDC and 1,000 CRV (LTV 0, frozen) as collateral, 1 WETH supplied with
  // collateral off (0.8 scaled), 2 WETH borrowed (1.6 scaled).
  // Collateral 20,000 × 0.9999 + 1,000 × 0.5 = 19,998 + 500 = 20,498 USD (WETH off: not counted).
  // Debt 2 × 3000 = 6,000 USD.
  // avg LT = (19,998 × 7800 + 500 × 3500) / 20,498 = 157,734,400 / 20,498 = 7695.11… → 7695 (floor);
  // avg LTV = 19,998 × 7500 / 20,498 = 7317.05… → 7317.
  // HF under 3.5 (POOL_REVISION 9) takes the weighted sum, not the floored average:
  //   Σ value × LT = 1,999,800,000,000 × 7800 + 50,000,000,000 × 3500 = 15,773,440,000,000,000;
  //   wadDiv(Σ, 600,000,000,000) = 26,289,066,666,666,666,666,667 (half up), / 1e4 floored
  //   = 2,628,906,666,666,666,666.
  // HF under 3.2 and 3.3, as under 3.0: percentMul(20,498e8, 7695).wadDiv(6,000e8)
  //   = 1,577,321,100,000 / 600,000,000,000 = 2.6288685 (the floored average loses the rest).
  // available = percentMul(20,498e8, 7317) − 6,000e8 = 1,499,838,660,000 − 600,000,000,000 = 899,838,660,000.
  "account-ltv-zero": {
    user: [
      [addr(0xa1), (8n * E18) / 10n, false, (16n * E18) / 10n],
      [addr(0xa2), 0n, false, 0n],
      [addr(0xa3), 20_000n * 10n ** 6n, true, 0n],
      [addr(0xa4), 1_000n * E18, true, 0n],
      [addr(0xa5), 0n, false, 0n],
      [addr(0xa6), 0n, false, 0n],
    ],
    emode: 0,
    accountData: {
      "3.5": [2_049_800_000_000n, 600_000_000_000n, 899_838_660_000n, 7695n, 7317n, 2_628_906_666_666_666_666n],
      "3.3": [2_049_800_000_000n, 600_000_000_000n, 899_838_660_000n, 7695n, 7317n, 2_628_868_500_000_000_000n],
      "3.2": [2_049_800_000_000n, 600_000_000_000n, 899_838_660_000n, 7695n, 7317n, 2_628_868_500_000_000_000n],
    },
  },
};

const hex = (types, values) => abi.encode(types, values);
const fixture = (data) => `${JSON.stringify(data, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`;
mkdirSync(OUT, { recursive: true });
for (const layout of LAYOUTS) {
  writeFileSync(
    path.join(OUT, `market-${layout.name}.json`),
    fixture({
      source: `e2e/encode-reader-origin-fixtures.mjs: values encoded by ethers AbiCoder in aave-v3-origin's ${layout.name} layout`,
      timestamp: TIMESTAMP,
      pool_revision: hex(["uint256"], [layout.revision]),
      reserves_count: hex(["uint256"], [reserves.length]),
      reserves_data: hex(
        [`${tuple(layout.fields)}[]`, BASE_CURRENCY_TUPLE],
        [reserves.map((r) => r(layout.fields)), baseCurrency],
      ),
      emodes: hex([`${EMODE_TUPLE}[]`], [emodes]),
    }),
  );
}
const accountDataTypes = ["uint256", "uint256", "uint256", "uint256", "uint256", "uint256"];
for (const [name, a] of Object.entries(accounts)) {
  const byLayout = Object.fromEntries(
    LAYOUTS.map((l) => [l.name, hex(accountDataTypes, a.accountData[l.name] ?? a.accountData.all)]),
  );
  writeFileSync(
    path.join(OUT, `${name}.json`),
    fixture({
      user_reserves_data: hex([`${USER_RESERVE_TUPLE}[]`, "uint8"], [a.user, a.emode]),
      user_emode: hex(["uint256"], [a.emode]),
      user_account_data: byLayout,
    }),
  );
}
console.log(`wrote ${OUT}`);
