// The chain differential, smoke size: 40 random positions opened through the Pool on the
// harness market, each valued by `ballast eval` from chain state only and compared digit for
// digit with Pool.getUserAccountData at the same block (see ../differential.mjs; the full
// 500-position run is `npm run differential`).
//
// Needs the `ballast` binary: BALLAST_CLI, or the default debug build
// ($HOME/.cache/ballast/target/debug/ballast). A missing binary fails the test, it does not skip.
import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveCli, runDifferential } from "../differential.mjs";

const POSITIONS = 40;
const SEED = Number(process.env.BALLAST_DIFF_SEED ?? 1);

test(`ballast eval equals Pool.getUserAccountData for ${POSITIONS} random positions (seed ${SEED})`, { timeout: 600_000 }, async () => {
  const cli = resolveCli(); // throws with the build command when the binary is missing
  const r = await runDifferential({ positions: POSITIONS, seed: SEED, cli });
  const shown = r.mismatches
    .slice(0, 3)
    .map((m) => `${m.label} at block ${m.block}: ${m.result.error ?? m.result.differing.map((f) => `${f} ballast ${m.result.ballast[f]} chain ${m.chain[f]}`).join("; ")}`)
    .join("\n");
  assert.equal(r.mismatches.length, 0, `${r.mismatches.length} mismatches (scenarios printed above):\n${shown}`);
  assert.equal(r.identical, POSITIONS);
  assert.equal(r.finalIdentical, POSITIONS);
  assert.equal(r.seededIdentical, r.seededTotal);
  // The smoke must still exercise what the differential is for.
  const s = r.stats.own;
  assert.ok(s.withDebt >= POSITIONS / 4, `only ${s.withDebt} positions with debt`);
  assert.ok(s.eMode > 0, "no position in e-mode");
  assert.ok(s.collateralOff > 0, "no position with collateral turned off");
  assert.ok(s.dust > 0, "no dust balance");
});
