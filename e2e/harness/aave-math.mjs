// Aave V3's fixed-point math re-implemented with BigInt, rounding exactly like
// WadRayMath / PercentageMath / MathUtils (v3.0.2): every mul/div rounds half up.
export const WAD = 10n ** 18n;
export const RAY = 10n ** 27n;
export const HALF_WAD = WAD / 2n;
export const HALF_RAY = RAY / 2n;
export const PERCENTAGE_FACTOR = 10_000n;
export const HALF_PERCENTAGE_FACTOR = PERCENTAGE_FACTOR / 2n;
export const SECONDS_PER_YEAR = 365n * 24n * 3600n;

export const wadMul = (a, b) => (a * b + HALF_WAD) / WAD;
export const wadDiv = (a, b) => (a * WAD + b / 2n) / b;
export const rayMul = (a, b) => (a * b + HALF_RAY) / RAY;
export const rayDiv = (a, b) => (a * RAY + b / 2n) / b;
export const percentMul = (value, pct) => (value * pct + HALF_PERCENTAGE_FACTOR) / PERCENTAGE_FACTOR;
export const percentDiv = (value, pct) => (value * PERCENTAGE_FACTOR + pct / 2n) / pct;

/** MathUtils.calculateCompoundedInterest: 3-term binomial approximation of (1+rate/year)^dt. */
export function calculateCompoundedInterest(rate, lastUpdateTimestamp, currentTimestamp) {
  const exp = BigInt(currentTimestamp) - BigInt(lastUpdateTimestamp);
  if (exp === 0n) return RAY;
  const expMinusOne = exp - 1n;
  const expMinusTwo = exp > 2n ? exp - 2n : 0n;
  const basePowerTwo = rayMul(rate, rate) / (SECONDS_PER_YEAR * SECONDS_PER_YEAR);
  const basePowerThree = rayMul(basePowerTwo, rate) / SECONDS_PER_YEAR;
  const secondTerm = (exp * expMinusOne * basePowerTwo) / 2n;
  const thirdTerm = (exp * expMinusOne * expMinusTwo * basePowerThree) / 6n;
  return RAY + (rate * exp) / SECONDS_PER_YEAR + secondTerm + thirdTerm;
}

/** MathUtils.calculateLinearInterest (supply side). */
export function calculateLinearInterest(rate, lastUpdateTimestamp, currentTimestamp) {
  const dt = BigInt(currentTimestamp) - BigInt(lastUpdateTimestamp);
  return RAY + (rate * dt) / SECONDS_PER_YEAR;
}

/** GenericLogic: an amount of an asset in base currency (floor division, like Solidity). */
export const toBase = (amount, price, decimals) => (amount * price) / 10n ** BigInt(decimals);

/** GenericLogic's health factor: wadDiv(percentMul(collateral, avgLT), debt); max uint if no debt. */
export function healthFactor(totalCollateralBase, avgLiquidationThreshold, totalDebtBase) {
  if (totalDebtBase === 0n) return 2n ** 256n - 1n;
  return wadDiv(percentMul(totalCollateralBase, BigInt(avgLiquidationThreshold)), totalDebtBase);
}
