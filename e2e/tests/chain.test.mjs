// Proof that the harness market is a real, correctly configured Aave V3 market: exact
// account data against Aave's own rounding, frozen/paused/LTV-0/isolation/e-mode behaviour,
// the sentinel, the adapter-priced asset, permit and the periphery contracts.
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import { MaxUint256, Signature, TypedDataEncoder, parseUnits } from "ethers";
import * as aave from "../harness/aave-math.mjs";
import { latestBlock, makeProvider, mineAt, mined, setNextTimestamp, snapshot } from "../harness/chain.mjs";
import { accountSigner, marketContracts } from "../harness/contracts.mjs";
import { startMarket } from "../harness/market.mjs";

const VARIABLE = 2;
const YEAR = 365 * 24 * 3600;
// Generous bounds so a wedged node fails the run instead of hanging it.
const T = { timeout: 60_000 };
const SETUP = { timeout: 300_000 }; // a cold cache deploys the market first

let chain, market, provider, c, restore;

before(async () => {
  chain = await startMarket();
  market = chain.market;
  provider = makeProvider(chain.rpcUrl);
  c = marketContracts(market, provider);
}, SETUP);
after(async () => {
  provider?.destroy();
  await chain?.stop();
});
// Every test starts from the same seeded state.
beforeEach(async () => {
  restore = await snapshot(provider);
});
afterEach(async () => {
  await restore();
});

/** Expect an Aave revert with error code `code` (Errors.sol, e.g. '28' = RESERVE_FROZEN). */
async function rejectsWithAaveError(promise, code) {
  await assert.rejects(promise, (e) => {
    const reason = e.reason ?? e.revert?.args?.[0];
    assert.equal(reason, code, `expected Aave error ${code}, got ${reason} (${e.shortMessage ?? e.message})`);
    return true;
  });
}

const reserve = (symbol) => market.reserves[symbol];
const signer = (i) => accountSigner(market, i, provider);

describe("account data is exactly Aave's math", () => {
  test("supply 3 WETH, borrow 4,321.123456 USDC, then one year of interest", T, async () => {
    const user = signer(6);
    const pool = c.pool.connect(user);
    const W = reserve("WETH");
    const U = reserve("USDC");
    assert.equal(W.price, "300000000000"); // $3,000 with 8 decimals
    assert.equal(U.price, "100000000");

    // Nobody borrows WETH in the seeded market: its liquidity index is exactly 1 ray, so the
    // aToken balance is exactly what was supplied (no rayDiv/rayMul rounding on collateral).
    assert.equal((await c.pool.getReserveData(W.address)).liquidityIndex, aave.RAY);

    await mined(c.token("WETH").connect(user).approve(c.pool.target, MaxUint256));
    const supplyAmount = parseUnits("3", 18);
    const borrowAmount = parseUnits("4321.123456", 6);
    const t0 = (await latestBlock(provider)).timestamp;
    await setNextTimestamp(provider, t0 + 60);
    await mined(pool.supply(W.address, supplyAmount, user.address, 0));
    const tBorrow = t0 + 120;
    await setNextTimestamp(provider, tBorrow);
    await mined(pool.borrow(U.address, borrowAmount, VARIABLE, 0, user.address));

    // eth_call at "latest" runs in the borrow block, so the debt index is the stored one.
    const data = await c.pool.getUserAccountData(user.address);
    assert.equal(data.totalCollateralBase, 900_000_000_000n); // 3 * $3,000 = $9,000.00000000
    assert.equal(data.ltv, 8000n);
    assert.equal(data.currentLiquidationThreshold, 8250n);

    const usdc = await c.pool.getReserveData(U.address);
    assert.equal(Number(usdc.lastUpdateTimestamp), tBorrow);
    const index = usdc.variableBorrowIndex;
    assert.ok(index > aave.RAY, "seeded USDC borrowers have accrued interest: index > 1 ray");
    // Debt tokens store amount.rayDiv(index) and report scaled.rayMul(index): rounding included.
    const scaled = await c.variableDebtToken("USDC").scaledBalanceOf(user.address);
    assert.equal(scaled, aave.rayDiv(borrowAmount, index));
    const debt = aave.rayMul(scaled, index);
    // The round trip can be off by one unit in general; on this deterministic chain it is exact.
    assert.equal(debt, borrowAmount);
    const debtBase = aave.toBase(debt, BigInt(U.price), U.decimals);
    assert.equal(debtBase, 432_112_345_600n); // $4,321.123456 with 8 decimals
    assert.equal(data.totalDebtBase, debtBase);

    assert.equal(data.availableBorrowsBase, 720_000_000_000n - 432_112_345_600n);
    // healthFactor = wadDiv(percentMul(collateral, LT), debt), both rounding half up:
    // percentMul(9000e8, 8250) = 7425e8; (7425e8 * 1e18 + 432112345600 / 2) / 432112345600
    assert.equal(aave.percentMul(900_000_000_000n, 8250n), 742_500_000_000n);
    assert.equal(data.healthFactor, 1_718_303_139_358_395_596n);
    assert.equal(data.healthFactor, aave.healthFactor(900_000_000_000n, 8250n, debtBase));

    // One year later (pinned), with no transaction in between: the debt compounds with
    // MathUtils.calculateCompoundedInterest from the stored rate; the collateral does not move.
    const t1 = tBorrow + YEAR;
    await mineAt(provider, t1);
    const later = await c.pool.getUserAccountData(user.address);
    const normalizedDebt = aave.rayMul(
      aave.calculateCompoundedInterest(usdc.currentVariableBorrowRate, tBorrow, t1),
      index,
    );
    const debt1 = aave.rayMul(scaled, normalizedDebt);
    const debtBase1 = aave.toBase(debt1, BigInt(U.price), U.decimals);
    assert.equal(later.totalCollateralBase, 900_000_000_000n);
    assert.equal(later.totalDebtBase, debtBase1);
    assert.equal(later.healthFactor, aave.healthFactor(900_000_000_000n, 8250n, debtBase1));
    assert.ok(debt1 > debt, "a year of interest increased the debt");
    assert.equal(await c.variableDebtToken("USDC").balanceOf(user.address), debt1);
  });

  test("the LTV-0 asset counts for the liquidation threshold but adds 0 to the LTV", T, async () => {
    // Account #4 supplied 5 WETH, 20,000 CRV, 1,000 BAL, 500 SNX (then CRV's LTV went to 0).
    const acct = market.accounts[4].address;
    assert.equal(market.roles.ltvZero, "CRV");
    const data = await c.pool.getUserAccountData(acct);
    // $15,000 + $10,000 + $2,500 + $1,000 (no borrowers on these reserves: index = 1 ray).
    assert.equal(data.totalCollateralBase, 2_850_000_000_000n);
    // (15000*8000 + 10000*0 + 2500*5700 + 1000*4900) / 28500 = 4882.4 -> 4882
    assert.equal(data.ltv, 4882n);
    // (15000*8250 + 10000*4100 + 2500*6200 + 1000*6500) / 28500 = 6552.6 -> 6552
    assert.equal(data.currentLiquidationThreshold, 6552n);

    const usdt = await c.pool.getReserveData(reserve("USDT").address);
    const scaled = await c.variableDebtToken("USDT").scaledBalanceOf(acct);
    const debtBase = aave.toBase(aave.rayMul(scaled, usdt.variableBorrowIndex), 100_000_000n, 6);
    assert.equal(data.totalDebtBase, debtBase);
    assert.equal(data.healthFactor, aave.healthFactor(2_850_000_000_000n, 6552n, debtBase));
    assert.equal(data.availableBorrowsBase, aave.percentMul(2_850_000_000_000n, 4882n) - debtBase);

    // With LTV-0 collateral enabled, Aave refuses withdrawing a non-zero-LTV asset...
    const pool4 = c.pool.connect(signer(4));
    await rejectsWithAaveError(pool4.withdraw.staticCall(reserve("WETH").address, 1n, acct), "57"); // LTV_VALIDATION_FAILED
    // ...but the LTV-0 asset itself can be withdrawn.
    const one = parseUnits("1", 18);
    assert.equal(await pool4.withdraw.staticCall(reserve("CRV").address, one, acct), one);

    // A new CRV supply is not enabled as collateral, and cannot be.
    const user = signer(7);
    await mined(c.token("CRV").connect(user).approve(c.pool.target, MaxUint256));
    await mined(c.pool.connect(user).supply(reserve("CRV").address, parseUnits("1000", 18), user.address, 0));
    assert.equal((await c.dataProvider.getUserReserveData(reserve("CRV").address, user.address)).usageAsCollateralEnabled, false);
    assert.equal((await c.pool.getUserAccountData(user.address)).totalCollateralBase, 0n);
    await rejectsWithAaveError(
      c.pool.connect(user).setUserUseReserveAsCollateral(reserve("CRV").address, true),
      "62", // USER_IN_ISOLATION_MODE_OR_LTV_ZERO
    );
  });

  test("stablecoin e-mode uses the category's LTV/LT, not the assets'", T, async () => {
    const acct = market.accounts[2].address;
    assert.equal(await c.pool.getUserEMode(acct), 1n);
    const data = await c.pool.getUserAccountData(acct);
    assert.equal(data.ltv, 9300n);
    assert.equal(data.currentLiquidationThreshold, 9500n);
    // DAI is borrowed (by #3), so aDAI has grown: value it exactly from the aToken balance.
    const aDai = await c.aToken("DAI").balanceOf(acct);
    assert.ok(aDai > parseUnits("10000", 18));
    assert.equal(data.totalCollateralBase, aave.toBase(aDai, 99_990_000n, 18));
  });
});

describe("reserve states", () => {
  test("the frozen reserve refuses supply and borrow", T, async () => {
    const user = signer(6);
    const bal = reserve(market.roles.frozen);
    assert.equal(bal.symbol, "BAL");
    assert.equal((await c.dataProvider.getReserveConfigurationData(bal.address)).isFrozen, true);
    await mined(c.token("BAL").connect(user).approve(c.pool.target, MaxUint256));
    await rejectsWithAaveError(c.pool.connect(user).supply(bal.address, parseUnits("1", 18), user.address, 0), "28");
    await rejectsWithAaveError(c.pool.connect(signer(1)).borrow(bal.address, 1n, VARIABLE, 0, market.accounts[1].address), "28");
  });

  test("the paused reserve refuses supply, and even withdrawals of existing positions", T, async () => {
    const user = signer(6);
    const snx = reserve(market.roles.paused);
    assert.equal(snx.symbol, "SNX");
    assert.equal(await c.dataProvider.getPaused(snx.address), true);
    await mined(c.token("SNX").connect(user).approve(c.pool.target, MaxUint256));
    await rejectsWithAaveError(c.pool.connect(user).supply(snx.address, parseUnits("1", 18), user.address, 0), "29");
    const acct4 = market.accounts[4].address;
    assert.equal(await c.aToken("SNX").balanceOf(acct4), parseUnits("500", 18));
    await rejectsWithAaveError(c.pool.connect(signer(4)).withdraw.staticCall(snx.address, 1n, acct4), "29");
  });

  test("isolation mode: debt ceiling accounting and isolation-borrowable assets only", T, async () => {
    const uni = reserve(market.roles.isolated);
    const data = await c.pool.getReserveData(uni.address);
    // #3 borrowed 2,000 DAI against UNI: the ceiling counts it with 2 decimals.
    assert.equal(data.isolationModeTotalDebt, 200_000n);
    assert.equal(await c.dataProvider.getDebtCeiling(uni.address), 100_000_000n); // $1,000,000.00
    const pool3 = c.pool.connect(signer(3));
    const acct3 = market.accounts[3].address;
    await rejectsWithAaveError(pool3.borrow.staticCall(reserve("USDT").address, 1_000_000n, VARIABLE, 0, acct3), "60");
    await pool3.borrow.staticCall(reserve("USDC").address, 1_000_000n, VARIABLE, 0, acct3); // allowed
  });

  test("the non-collateral asset is borrowable but adds no collateral", T, async () => {
    const usdt = reserve(market.roles.nonCollateral);
    const cfg = await c.dataProvider.getReserveConfigurationData(usdt.address);
    assert.equal(cfg.liquidationThreshold, 0n);
    assert.equal(cfg.usageAsCollateralEnabled, false);
    assert.equal(cfg.borrowingEnabled, true);
    const user = signer(8);
    await mined(c.token("USDT").connect(user).approve(c.pool.target, MaxUint256));
    await mined(c.pool.connect(user).supply(usdt.address, 5_000_000_000n, user.address, 0));
    const data = await c.pool.getUserAccountData(user.address);
    assert.equal(data.totalCollateralBase, 0n);
    assert.equal(await c.aToken("USDT").balanceOf(user.address) >= 5_000_000_000n, true);
  });
});

describe("oracles", () => {
  test("AaveOracle prices come from MockV3Aggregators, one from a latestAnswer-only adapter", T, async () => {
    assert.equal(await c.oracle.BASE_CURRENCY_UNIT(), 100_000_000n);
    const ws = reserve(market.roles.adapterPriced);
    assert.equal(ws.priceFeedKind, "RatioPriceAdapterMock");
    assert.equal(await c.oracle.getSourceOfAsset(ws.address), ws.priceFeed);
    assert.equal(await c.oracle.getAssetPrice(ws.address), 354_000_000_000n); // $3,000 * 1.18
    await assert.rejects(c.priceFeed(ws.symbol).latestRoundData()); // the point of this asset
    const [, answer] = await c.priceFeed("WBTC").latestRoundData();
    assert.equal(answer, 6_000_000_000_000n);

    // A new ETH/USD answer moves WETH and, through the adapter, wstETH.
    await mined(c.priceFeed("WETH").connect(signer(0)).updateAnswer(310_000_000_000n));
    assert.equal(await c.oracle.getAssetPrice(reserve("WETH").address), 310_000_000_000n);
    assert.equal(await c.oracle.getAssetPrice(ws.address), 365_800_000_000n);
    assert.equal((await c.pool.getUserAccountData(market.accounts[1].address)).totalCollateralBase, 3_100_000_000_000n);
  });

  test("PriceOracleSentinel blocks borrows while the sequencer is down and during the grace period", T, async () => {
    const user = signer(6);
    const pool = c.pool.connect(user);
    await mined(c.token("WETH").connect(user).approve(c.pool.target, MaxUint256));
    await mined(pool.supply(reserve("WETH").address, parseUnits("1", 18), user.address, 0));
    const usdc = reserve("USDC").address;
    assert.equal(await c.sentinel.getGracePeriod(), BigInt(market.sequencerGracePeriod));
    assert.equal(await c.sentinel.isBorrowAllowed(), true);

    const feed = c.sequencerFeed.connect(signer(0));
    await mined(feed.setStatus(true)); // down
    assert.equal(await c.sentinel.isBorrowAllowed(), false);
    await rejectsWithAaveError(pool.borrow.staticCall(usdc, 1_000_000n, VARIABLE, 0, user.address), "59");

    const { timestamp: upAt } = await latestBlock(provider);
    await mined(feed.setStatusAt(false, upAt)); // back up, grace period running
    assert.equal(await c.sentinel.isBorrowAllowed(), false);
    await mineAt(provider, upAt + market.sequencerGracePeriod); // not yet: needs strictly more
    assert.equal(await c.sentinel.isBorrowAllowed(), false);
    await mineAt(provider, upAt + market.sequencerGracePeriod + 1);
    assert.equal(await c.sentinel.isBorrowAllowed(), true);
    await mined(pool.borrow(usdc, 1_000_000n, VARIABLE, 0, user.address));
  });
});

describe("tokens and periphery", () => {
  test("USDC supports EIP-2612: supplyWithPermit works without an approve", T, async () => {
    const user = signer(7);
    const usdc = reserve(market.roles.permit);
    assert.deepEqual(usdc.permit, { name: "USD Coin", version: "2" });
    const domain = { name: "USD Coin", version: "2", chainId: market.chainId, verifyingContract: usdc.address };
    assert.equal(await c.token("USDC").DOMAIN_SEPARATOR(), TypedDataEncoder.hashDomain(domain));
    const amount = 1_234_560_000n; // 1,234.56 USDC
    const deadline = (await latestBlock(provider)).timestamp + 3600;
    const sig = Signature.from(
      await user.signTypedData(
        domain,
        { Permit: [
          { name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" },
        ] },
        { owner: user.address, spender: c.pool.target, value: amount, nonce: 0n, deadline },
      ),
    );
    assert.equal(await c.token("USDC").allowance(user.address, c.pool.target), 0n);
    await mined(c.pool.connect(user).supplyWithPermit(usdc.address, amount, user.address, 0, deadline, sig.v, sig.r, sig.s));
    assert.equal(await c.token("USDC").nonces(user.address), 1n);
    const aUsdc = await c.aToken("USDC").balanceOf(user.address);
    assert.ok(aUsdc >= amount - 1n && aUsdc <= amount + 1n);
  });

  test("UiPoolDataProviderV3 and WalletBalanceProvider describe the market", T, async () => {
    const provAddr = market.contracts.poolAddressesProvider;
    const [reserves, base] = await c.uiPoolDataProvider.getReservesData(provAddr);
    assert.equal(reserves.length, Object.keys(market.reserves).length);
    const by = Object.fromEntries(reserves.map((r) => [r.symbol, r]));
    assert.equal(base.marketReferenceCurrencyUnit, 100_000_000n);
    assert.equal(base.networkBaseTokenPriceInUsd, 300_000_000_000n);
    assert.equal(by.BAL.isFrozen, true);
    assert.equal(by.SNX.isPaused, true);
    assert.equal(by.UNI.debtCeiling, 100_000_000n);
    assert.equal(by.UNI.debtCeilingDecimals, 2n);
    assert.equal(by.USDC.eModeCategoryId, 1n);
    assert.equal(by.USDC.eModeLabel, "Stablecoins");
    assert.equal(by.USDC.eModeLtv, 9300n);
    assert.equal(by.USDC.borrowableInIsolation, true);
    assert.equal(by.USDT.usageAsCollateralEnabled, false);
    assert.equal(by.CRV.baseLTVasCollateral, 0n);
    assert.equal(by.CRV.reserveLiquidationThreshold, 4100n);
    assert.equal(by.WBTC.decimals, 8n);
    assert.equal(by.wstETH.priceInMarketReferenceCurrency, 354_000_000_000n);

    const acct1 = market.accounts[1].address;
    const [userReserves, eMode] = await c.uiPoolDataProvider.getUserReservesData(provAddr, acct1);
    assert.equal(eMode, 0n);
    const weth = userReserves.find((r) => r.underlyingAsset === reserve("WETH").address);
    assert.equal(weth.scaledATokenBalance, parseUnits("10", 18));
    assert.equal(weth.usageAsCollateralEnabledOnUser, true);

    const [tokens, balances] = await c.walletBalanceProvider.getUserWalletBalances(provAddr, market.accounts[6].address);
    const bal = Object.fromEntries(tokens.map((t, i) => [t, balances[i]]));
    assert.equal(bal[reserve("USDC").address], parseUnits("100000", 6));
    assert.equal(bal[reserve("WBTC").address], parseUnits("10", 8));
  });
});
