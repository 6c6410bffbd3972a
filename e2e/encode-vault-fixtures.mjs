// Writes test vectors for the Rust Maker and Liquity v1 readers
// (crates/ballast-chain/src/{maker_reader,liquity_reader}.rs) into
// crates/ballast-chain/tests/fixtures/vaults/.
//
// Mainnet is not reachable from the test machines, so the return data is made here: known
// values ABI-encoded by ethers (an encoder independent of the Rust side) as dss's Vat,
// Spotter, Jug and Dog and Liquity's TroveManager and PriceFeed return them. Beside the
// bytes, the script writes what the Rust side must derive, computed here with BigInt:
// Spotter's spot (rdiv floors), Jug.drip's rate (dss rpow, half up per step; rmul floors),
// the Vat's safety ratio ink × spot / (art × rate), and Liquity's getTCR (floored).
//
//   node encode-vault-fixtures.mjs
//
// Deterministic: a rerun writes the same bytes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AbiCoder } from "ethers";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(HERE, "..", "crates", "ballast-chain", "tests", "fixtures", "vaults");
const abi = AbiCoder.defaultAbiCoder();
const enc = (types, values) => abi.encode(types, values);

const WAD = 10n ** 18n;
const RAY = 10n ** 27n;
const RAD = 10n ** 45n;
const TIMESTAMP = 1_760_000_000;

const ilk = (name) => `0x${Buffer.from(name).toString("hex").padEnd(64, "0")}`;

// dss math, as in src/jug.sol and src/spot.sol.
const rdiv = (x, y) => (x * RAY) / y;
const rmul = (x, y) => (x * y) / RAY;
function rpow(x, n, b) {
  if (x === 0n) return n === 0n ? b : 0n;
  const half = b / 2n;
  let z = n % 2n === 1n ? x : b;
  for (n /= 2n; n > 0n; n /= 2n) {
    x = (x * x + half) / b;
    if (n % 2n === 1n) z = (z * x + half) / b;
  }
  return z;
}

// ---- Maker: an ETH-A vault ----
const ink = 100_500_000_000_000_000_000n; // 100.5 ETH
const art = 120_000_123_456_789_012_345_678n; // 120,000.123456789012345678 normalised DAI
const rate = 1_087_654_321_098_765_432_109_876_543n; // 1.087654321098765432109876543
const mat = 1_450_000_000_000_000_000_000_000_000n; // 145 %
const par = RAY;
const osmPrice = 2_500_123_456_789_012_345_678n; // 2,500.123456789012345678 USD (wad)
const spot = rdiv(rdiv(osmPrice * 10n ** 9n, par), mat);
const duty = 1_000_000_001_847_694_957_439_350_562n; // ~6 % a year
const base = 0n;
const rho = BigInt(TIMESTAMP - 86_400); // last drip a day before the reads
const rateNow = rmul(rpow(base + duty, BigInt(TIMESTAMP) - rho, RAY), rate);
const chop = 1_130_000_000_000_000_000n; // 13 %
const dust = 7_500n * RAD;
const line = 15_000_000_000n * RAD;
const totalArt = 2_000_000_000n * WAD;

const maker = {
  source: "e2e/encode-vault-fixtures.mjs: values encoded by ethers AbiCoder as dss returns them",
  timestamp: TIMESTAMP,
  ilk: "ETH-A",
  vat_urns: enc(["uint256", "uint256"], [ink, art]),
  vat_ilks: enc(["uint256", "uint256", "uint256", "uint256", "uint256"], [totalArt, rate, spot, line, dust]),
  spotter_ilks: enc(["address", "uint256"], ["0x81FE72B5A8d1A857d176C3E7d5Bd2679A9B85763", mat]),
  spotter_par: enc(["uint256"], [par]),
  jug_ilks: enc(["uint256", "uint256"], [duty, rho]),
  jug_base: enc(["uint256"], [base]),
  dog_ilks: enc(["address", "uint256", "uint256", "uint256"], ["0xc67963a226eddd77B91aD8c421630A1b0AdFF270", chop, 40_000_000n * RAD, 1_000n * RAD]),
  cdp_urn: enc(["address"], ["0x00000000000000000000000000000000000001f5"]),
  cdp_ilk: enc(["bytes32"], [ilk("ETH-A")]),
  // GetCdps.getCdpsAsc(manager, proxy): two vaults.
  cdps_asc: enc(
    ["uint256[]", "address[]", "bytes32[]"],
    [
      [501n, 31_337n],
      ["0x00000000000000000000000000000000000001f5", "0x0000000000000000000000000000000000007a69"],
      [ilk("ETH-A"), ilk("WSTETH-B")],
    ],
  ),
  proxies: enc(["address"], ["0x00000000000000000000000000000000000000f0"]),
  expected: {
    ink: ink.toString(),
    art: art.toString(),
    spot: spot.toString(),
    rate_now: rateNow.toString(),
    debt_rad: (art * rateNow).toString(),
    yearly_stability_fee_ray: (rpow(base + duty, 365n * 86_400n, RAY) - RAY).toString(),
    // The Vat's safety ratio: the engine's health factor must be exactly this fraction.
    health_factor_numerator: (ink * spot).toString(),
    health_factor_denominator: (art * rateNow).toString(),
  },
};

// ---- Liquity v1: one trove, against two systems (normal and recovery mode) ----
const price = 1_987_654_321_000_000_000_000n; // 1,987.654321 USD per ETH
const trove = {
  debt: 12_345_678_901_234_567_890_123n, // 12,345.678901234567890123 LUSD, gas compensation included
  coll: 8_500_000_000_000_000_000n, // 8.5 ETH
  pendingDebt: 45_678_901_234_567_890n,
  pendingColl: 12_345_678_901_234_567n,
};
const borrowingRate = 7_340_000_000_000_000n; // 0.734 %
const systemColl = 500_000_123_000_000_000_000_000n; // 500,000.123 ETH
function liquity(systemDebt) {
  return {
    source: "e2e/encode-vault-fixtures.mjs: values encoded by ethers AbiCoder as Liquity v1 returns them",
    trove_status: enc(["uint256"], [1]),
    entire_debt_and_coll: enc(
      ["uint256", "uint256", "uint256", "uint256"],
      [trove.debt, trove.coll, trove.pendingDebt, trove.pendingColl],
    ),
    entire_system_coll: enc(["uint256"], [systemColl]),
    entire_system_debt: enc(["uint256"], [systemDebt]),
    last_good_price: enc(["uint256"], [price]),
    borrowing_rate_with_decay: enc(["uint256"], [borrowingRate]),
    tcr: enc(["uint256"], [(systemColl * price) / systemDebt]),
    expected: {
      tcr: ((systemColl * price) / systemDebt).toString(),
      // ICR / MCR = coll × price / (debt × 1.1)
      health_factor_numerator: (trove.coll * price * 10n).toString(),
      health_factor_denominator: (trove.debt * WAD * 11n).toString(),
    },
  };
}

const fixture = (data) => `${JSON.stringify(data, null, 2)}\n`;
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, "maker-eth-a.json"), fixture(maker));
// TCR ≈ 3.31: normal mode.
writeFileSync(path.join(OUT, "liquity-normal.json"), fixture(liquity(300_000_000n * WAD)));
// TCR ≈ 1.4197 < CCR 1.5: recovery mode, and this trove's ICR (≈ 1.3685) is under the TCR.
writeFileSync(path.join(OUT, "liquity-recovery.json"), fixture(liquity(700_000_000n * WAD)));
console.log(`wrote ${OUT}`);
