// Deploy a real Aave V3 (v3.0.2) market on a fresh anvil chain and seed it with positions.
//
// Contracts: core from @aave/core-v3@1.19.3 artifacts, periphery (UiPoolDataProviderV3,
// WalletBalanceProvider, WrappedTokenGatewayV3) from @aave/periphery-v3@3.0.1, prices from
// Chainlink's MockV3Aggregator, plus our own mocks (harness/contracts). The flow follows
// aave-v3-deploy: addresses provider -> ACL -> libraries -> Pool/Configurator proxies ->
// oracle/data provider -> token implementations -> initReserves -> risk configuration.
import {
  Contract,
  ContractFactory,
  HDNodeWallet,
  MaxUint256,
  Mnemonic,
  NonceManager,
  ZeroAddress,
  getAddress,
  parseEther,
  parseUnits,
} from "ethers";
import { CHAIN_ID, MNEMONIC } from "./anvil.mjs";
import { linkBytecode, loadArtifact } from "./artifacts.mjs";
import { makeProvider, mined } from "./chain.mjs";
import { compileContracts } from "./solidity.mjs";

export const MARKET_ID = "Ballast Test Market";
export const BASE_CURRENCY_UNIT = 10n ** 8n; // USD with 8 decimals, like Aave's L2 markets
export const VARIABLE_RATE_MODE = 2;
// An address nobody controls, so treasury balances never mix with test accounts.
export const TREASURY = getAddress("0x00000000000000000000000000000000000ba11a");
export const SEQUENCER_GRACE_PERIOD = 3600;
export const FLASHLOAN_PREMIUM_TOTAL = 5; // 0.05 %

const ray = (x) => parseUnits(x, 27);

// Interest rate strategies (DefaultReserveInterestRateStrategy params, as fractions).
const RATES = {
  eth: { optimal: "0.80", base: "0", slope1: "0.033", slope2: "0.80" },
  btc: { optimal: "0.45", base: "0", slope1: "0.04", slope2: "3.00" },
  stable: { optimal: "0.90", base: "0", slope1: "0.04", slope2: "0.60" },
  volatile: { optimal: "0.45", base: "0", slope1: "0.07", slope2: "3.00" },
};

// The market. `price` is USD with 8 decimals. `risk`: ltv/lt/bonus in bps; caps in whole tokens.
// `roles` names what makes an asset special for tests (also exported in market.json).
export const ASSETS = [
  {
    symbol: "WETH", name: "Wrapped Ether", decimals: 18, price: "3000", kind: "weth9", rates: "eth",
    risk: { ltv: 8000, lt: 8250, bonus: 10500, reserveFactor: 1500, borrowable: true, supplyCap: 1_000_000, borrowCap: 800_000 },
  },
  {
    symbol: "WBTC", name: "Wrapped BTC", decimals: 8, price: "60000", rates: "btc",
    risk: { ltv: 7000, lt: 7500, bonus: 10650, reserveFactor: 2000, borrowable: true, supplyCap: 50_000, borrowCap: 30_000 },
  },
  {
    symbol: "USDC", name: "USD Coin", decimals: 6, price: "1", permitVersion: "2", rates: "stable",
    risk: { ltv: 7700, lt: 8000, bonus: 10450, reserveFactor: 1000, borrowable: true, supplyCap: 2_000_000_000, borrowCap: 1_800_000_000, borrowableInIsolation: true, eMode: 1 },
  },
  {
    symbol: "DAI", name: "Dai Stablecoin", decimals: 18, price: "0.9999", rates: "stable",
    risk: { ltv: 7500, lt: 8000, bonus: 10500, reserveFactor: 1000, borrowable: true, supplyCap: 2_000_000_000, borrowCap: 1_800_000_000, borrowableInIsolation: true, eMode: 1 },
  },
  {
    // Borrowable but never collateral (liquidation threshold 0), like USDT on Aave's Ethereum market.
    symbol: "USDT", name: "Tether USD", decimals: 6, price: "1", rates: "stable", role: "nonCollateral",
    risk: { ltv: 0, lt: 0, bonus: 0, reserveFactor: 1000, borrowable: true, supplyCap: 1_000_000_000, borrowCap: 900_000_000 },
  },
  {
    // LTV 0 but liquidation threshold > 0. Listed with LTV 3500 so the seeded account can enable it
    // as collateral (Aave refuses enabling LTV-0 collateral), then lowered to 0 like a deprecated asset.
    symbol: "CRV", name: "Curve DAO Token", decimals: 18, price: "0.5", rates: "volatile", role: "ltvZero",
    risk: { ltv: 0, listingLtv: 3500, lt: 4100, bonus: 10830, reserveFactor: 3500, borrowable: false, supplyCap: 60_000_000, borrowCap: 0 },
  },
  {
    // Isolation mode: debt ceiling in USD with 2 decimals ($1,000,000.00).
    symbol: "UNI", name: "Uniswap", decimals: 18, price: "8", rates: "volatile", role: "isolated",
    risk: { ltv: 6500, lt: 7700, bonus: 10800, reserveFactor: 2000, borrowable: false, supplyCap: 2_000_000, borrowCap: 0, debtCeiling: 100_000_000 },
  },
  {
    // Priced through an adapter with latestAnswer() but no latestRoundData(): ETH/USD * 1.18.
    symbol: "wstETH", name: "Wrapped liquid staked Ether 2.0", decimals: 18, adapterRatio: "1.18", rates: "eth", role: "adapterPriced",
    risk: { ltv: 7850, lt: 8100, bonus: 10600, reserveFactor: 1500, borrowable: true, supplyCap: 300_000, borrowCap: 10_000 },
  },
  {
    symbol: "BAL", name: "Balancer", decimals: 18, price: "2.5", rates: "volatile", role: "frozen",
    risk: { ltv: 5700, lt: 6200, bonus: 10830, reserveFactor: 2000, borrowable: true, supplyCap: 1_000_000, borrowCap: 500_000, frozen: true },
  },
  {
    symbol: "SNX", name: "Synthetix Network Token", decimals: 18, price: "2", rates: "volatile", role: "paused",
    risk: { ltv: 4900, lt: 6500, bonus: 10850, reserveFactor: 3500, borrowable: true, supplyCap: 1_000_000, borrowCap: 500_000, paused: true },
  },
];

export const EMODE_CATEGORIES = [
  { id: 1, label: "Stablecoins", ltv: 9300, liquidationThreshold: 9500, liquidationBonus: 10100 },
];

// What each anvil account (mnemonic index) is for. Positions are described in README.md.
export const ACCOUNT_ROLES = [
  "deployer: pool admin, emergency admin, owner of everything",
  "seeded: supplies 10 WETH, borrows 8,000 USDC (variable)",
  "seeded: stablecoin e-mode, supplies 10,000 DAI, borrows 8,500 USDC",
  "seeded: isolation mode, supplies 1,000 UNI as collateral, borrows 2,000 DAI",
  "seeded: legacy positions: 5 WETH + 20,000 CRV (LTV now 0) + 1,000 BAL (frozen) + 500 SNX (paused) supplied, borrows 1,000 USDT",
  "seeded: liquidity provider, supplies every borrowable asset in size",
  "fresh: funded, no positions (for tests)",
  "fresh: funded, no positions (for tests)",
  "fresh: funded, no positions (for tests)",
  "fresh: funded, no positions (for tests)",
];

// Wallet balances minted to (or wrapped by) every account 1..9; the LP gets LP_EXTRA on top.
const FUNDING = { WETH: "100", WBTC: "10", USDC: "100000", DAI: "100000", USDT: "100000", CRV: "100000", UNI: "10000", wstETH: "100", BAL: "10000", SNX: "10000" };
const LP_EXTRA = { WETH: "500", WBTC: "50", USDC: "2000000", DAI: "2000000", USDT: "1000000", wstETH: "500" };

/** The anvil accounts as ethers wallets (derived once from the mnemonic). */
export function accountWallets(count = ACCOUNT_ROLES.length) {
  const root = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MNEMONIC), "m/44'/60'/0'/0");
  return Array.from({ length: count }, (_, i) => root.deriveChild(i));
}

/**
 * Deploy everything on the anvil at rpcUrl.
 * @param {{rpcUrl: string, cacheRoot: string, log?: (msg: string) => void}} opts
 * @returns {Promise<object>} the market description written to market.json
 */
export async function deployMarket({ rpcUrl, cacheRoot, log = () => {} }) {
  const provider = makeProvider(rpcUrl);
  const wallets = accountWallets().map((w) => w.connect(provider));
  // NonceManager: nonces are tracked locally instead of asking the node before every tx.
  const signers = wallets.map((w) => new NonceManager(w));
  const deployer = signers[0];
  const deployerAddress = wallets[0].address;

  const own = await compileContracts(cacheRoot);
  log("compiled harness contracts");

  const deployRaw = async (abi, bytecode, args = [], signer = deployer) => {
    const c = await new ContractFactory(abi, bytecode, signer).deploy(...args);
    await mined(c.deploymentTransaction());
    return c;
  };
  const deployAave = (name, args = [], libraries = {}) => {
    const a = loadArtifact(name);
    return deployRaw(a.abi, linkBytecode(a, libraries), args);
  };
  const deployOwn = (name, args = []) => deployRaw(own[name].abi, own[name].bytecode, args);
  const at = (name, address, runner = deployer) => new Contract(address, loadArtifact(name).abi, runner);
  const addr = (c) => c.target;

  // --- Tokens and price feeds -------------------------------------------------------------
  const tokens = {};
  const feeds = {};
  for (const a of ASSETS) {
    tokens[a.symbol] =
      a.kind === "weth9"
        ? await deployAave("WETH9")
        : a.permitVersion
          ? await deployOwn("TestERC20Permit", [a.name, a.symbol, a.decimals, a.permitVersion])
          : await deployOwn("TestERC20", [a.name, a.symbol, a.decimals]);
  }
  for (const a of ASSETS.filter((a) => !a.adapterRatio)) {
    feeds[a.symbol] = await deployOwn("MockV3Aggregator", [8, parseUnits(a.price, 8)]);
  }
  for (const a of ASSETS.filter((a) => a.adapterRatio)) {
    feeds[a.symbol] = await deployOwn("RatioPriceAdapterMock", [
      addr(feeds.WETH), parseUnits(a.adapterRatio, 18), `Capped ${a.symbol} / ETH / USD`,
    ]);
  }
  log("tokens and price feeds deployed");

  // --- Addresses provider, ACL --------------------------------------------------------------
  const registry = await deployAave("PoolAddressesProviderRegistry", [deployerAddress]);
  const addressesProvider = await deployAave("PoolAddressesProvider", [MARKET_ID, deployerAddress]);
  await mined(registry.registerAddressesProvider(addr(addressesProvider), 1));
  // ACLManager's constructor reads the ACL admin from the provider, so set it first.
  await mined(addressesProvider.setACLAdmin(deployerAddress));
  const aclManager = await deployAave("ACLManager", [addr(addressesProvider)]);
  await mined(addressesProvider.setACLManager(addr(aclManager)));
  await mined(aclManager.addPoolAdmin(deployerAddress));
  await mined(aclManager.addEmergencyAdmin(deployerAddress));

  // --- Libraries, Pool and PoolConfigurator behind proxies ------------------------------------
  const libs = {};
  for (const name of ["SupplyLogic", "BorrowLogic", "LiquidationLogic", "EModeLogic", "BridgeLogic", "PoolLogic"]) {
    libs[name] = addr(await deployAave(name));
  }
  libs.FlashLoanLogic = addr(await deployAave("FlashLoanLogic", [], { BorrowLogic: libs.BorrowLogic }));
  libs.ConfiguratorLogic = addr(await deployAave("ConfiguratorLogic"));

  const poolImpl = await deployAave("Pool", [addr(addressesProvider)], libs);
  // Initialise the implementation itself so nobody else can (as aave-v3-deploy does).
  await mined(poolImpl.initialize(addr(addressesProvider)));
  await mined(addressesProvider.setPoolImpl(addr(poolImpl))); // creates the proxy and initialises it
  const pool = at("Pool", await addressesProvider.getPool());

  const configuratorImpl = await deployAave("PoolConfigurator", [], libs);
  await mined(configuratorImpl.initialize(addr(addressesProvider)));
  await mined(addressesProvider.setPoolConfiguratorImpl(addr(configuratorImpl)));
  const configurator = at("PoolConfigurator", await addressesProvider.getPoolConfigurator());
  log("pool and configurator deployed");

  // --- Oracle, data provider, sentinel ----------------------------------------------------------
  const oracle = await deployAave("AaveOracle", [
    addr(addressesProvider),
    ASSETS.map((a) => addr(tokens[a.symbol])),
    ASSETS.map((a) => addr(feeds[a.symbol])),
    ZeroAddress, // no fallback oracle
    ZeroAddress, // base currency: USD
    BASE_CURRENCY_UNIT,
  ]);
  await mined(addressesProvider.setPriceOracle(addr(oracle)));
  const dataProvider = await deployAave("AaveProtocolDataProvider", [addr(addressesProvider)]);
  await mined(addressesProvider.setPoolDataProvider(addr(dataProvider)));

  // The sequencer has been up for a day, so the grace period is long over.
  const now = (await provider.getBlock("latest")).timestamp;
  const sequencerFeed = await deployOwn("SequencerUptimeFeedMock", [false, now - 86_400]);
  const sentinel = await deployAave("PriceOracleSentinel", [addr(addressesProvider), addr(sequencerFeed), SEQUENCER_GRACE_PERIOD]);
  await mined(addressesProvider.setPriceOracleSentinel(addr(sentinel)));

  // --- Reserves -----------------------------------------------------------------------------------
  const aTokenImpl = await deployAave("AToken", [addr(pool)]);
  const stableDebtImpl = await deployAave("StableDebtToken", [addr(pool)]);
  const variableDebtImpl = await deployAave("VariableDebtToken", [addr(pool)]);
  await mined(aTokenImpl.initialize(addr(pool), ZeroAddress, ZeroAddress, ZeroAddress, 0, "ATOKEN_IMPL", "ATOKEN_IMPL", "0x00"));
  await mined(stableDebtImpl.initialize(addr(pool), ZeroAddress, ZeroAddress, 0, "STABLE_DEBT_TOKEN_IMPL", "STABLE_DEBT_TOKEN_IMPL", "0x00"));
  await mined(variableDebtImpl.initialize(addr(pool), ZeroAddress, ZeroAddress, 0, "VARIABLE_DEBT_TOKEN_IMPL", "VARIABLE_DEBT_TOKEN_IMPL", "0x00"));

  const strategies = {};
  for (const a of ASSETS) {
    const r = RATES[a.rates];
    strategies[a.symbol] = await deployAave("DefaultReserveInterestRateStrategy", [
      addr(addressesProvider), ray(r.optimal), ray(r.base), ray(r.slope1), ray(r.slope2),
      // Stable borrowing stays disabled; these only need to be valid.
      ray("0.005"), ray("0.6"), ray("0.02"), ray("0.05"), ray("0.2"),
    ]);
    // One reserve per tx: each initReserve deploys three proxies (~3M gas).
    await mined(configurator.initReserves([{
      aTokenImpl: addr(aTokenImpl),
      stableDebtTokenImpl: addr(stableDebtImpl),
      variableDebtTokenImpl: addr(variableDebtImpl),
      underlyingAssetDecimals: a.decimals,
      interestRateStrategyAddress: addr(strategies[a.symbol]),
      underlyingAsset: addr(tokens[a.symbol]),
      treasury: TREASURY,
      incentivesController: ZeroAddress,
      aTokenName: `Aave Test ${a.symbol}`,
      aTokenSymbol: `aTest${a.symbol}`,
      variableDebtTokenName: `Aave Test Variable Debt ${a.symbol}`,
      variableDebtTokenSymbol: `variableDebtTest${a.symbol}`,
      stableDebtTokenName: `Aave Test Stable Debt ${a.symbol}`,
      stableDebtTokenSymbol: `stableDebtTest${a.symbol}`,
      params: "0x10",
    }]));
  }

  for (const a of ASSETS) {
    const t = addr(tokens[a.symbol]);
    const r = a.risk;
    if (r.lt > 0) await mined(configurator.configureReserveAsCollateral(t, r.listingLtv ?? r.ltv, r.lt, r.bonus));
    if (r.borrowable) await mined(configurator.setReserveBorrowing(t, true));
    await mined(configurator.setReserveFactor(t, r.reserveFactor));
    await mined(configurator.setSupplyCap(t, r.supplyCap));
    await mined(configurator.setBorrowCap(t, r.borrowCap));
    await mined(configurator.setLiquidationProtocolFee(t, 1000));
    await mined(configurator.setReserveFlashLoaning(t, true));
    // Must happen before anyone supplies (Aave checks there are no suppliers).
    if (r.debtCeiling) await mined(configurator.setDebtCeiling(t, r.debtCeiling));
    if (r.borrowableInIsolation) await mined(configurator.setBorrowableInIsolation(t, true));
  }
  for (const e of EMODE_CATEGORIES) {
    await mined(configurator.setEModeCategory(e.id, e.ltv, e.liquidationThreshold, e.liquidationBonus, ZeroAddress, e.label));
    for (const a of ASSETS.filter((a) => a.risk.eMode === e.id)) {
      await mined(configurator.setAssetEModeCategory(addr(tokens[a.symbol]), e.id));
    }
  }
  await mined(configurator.updateFlashloanPremiumTotal(FLASHLOAN_PREMIUM_TOTAL));
  log("reserves initialised and configured");

  // --- Periphery ----------------------------------------------------------------------------------
  // USD-based market: UiPoolDataProviderV3 takes the ETH/USD feed for both of its aggregators.
  const uiPoolDataProvider = await deployAave("UiPoolDataProviderV3", [addr(feeds.WETH), addr(feeds.WETH)]);
  const walletBalanceProvider = await deployAave("WalletBalanceProvider");
  const wethGateway = await deployAave("WrappedTokenGatewayV3", [addr(tokens.WETH), deployerAddress, addr(pool)]);

  // --- Funding and seeded positions -----------------------------------------------------------------
  const units = (symbol, amount) => parseUnits(amount, ASSETS.find((a) => a.symbol === symbol).decimals);
  // Strictly one tx per block, in a fixed order: with the pinned block clock (market.mjs) this
  // makes every deploy produce the same blocks, timestamps and therefore accrued interest.
  for (let i = 1; i < wallets.length; i++) {
    for (const [symbol, amount] of Object.entries(FUNDING)) {
      const extra = i === 5 && LP_EXTRA[symbol] ? units(symbol, LP_EXTRA[symbol]) : 0n;
      const total = units(symbol, amount) + extra;
      await mined(
        symbol === "WETH"
          ? tokens.WETH.connect(signers[i]).deposit({ value: total })
          : tokens[symbol].mint(wallets[i].address, total),
      );
    }
  }
  const approveAll = async (i, symbols) => {
    for (const s of symbols) await mined(tokens[s].connect(signers[i]).approve(addr(pool), MaxUint256));
  };
  const poolAs = (i) => pool.connect(signers[i]);
  const supply = (i, symbol, amount) => mined(poolAs(i).supply(addr(tokens[symbol]), units(symbol, amount), wallets[i].address, 0));
  const borrow = (i, symbol, amount) =>
    mined(poolAs(i).borrow(addr(tokens[symbol]), units(symbol, amount), VARIABLE_RATE_MODE, 0, wallets[i].address));

  // #5 liquidity provider first, so there is something to borrow.
  await approveAll(5, ["WETH", "WBTC", "USDC", "DAI", "USDT", "wstETH"]);
  for (const [s, amount] of Object.entries({ WETH: "500", WBTC: "50", USDC: "2000000", DAI: "2000000", USDT: "1000000", wstETH: "500" })) {
    await supply(5, s, amount);
  }
  // #1 plain WETH collateral, USDC debt.
  await approveAll(1, ["WETH", "USDC"]);
  await supply(1, "WETH", "10");
  await borrow(1, "USDC", "8000");
  // #2 stablecoin e-mode.
  await approveAll(2, ["DAI", "USDC"]);
  await mined(poolAs(2).setUserEMode(1));
  await supply(2, "DAI", "10000");
  await borrow(2, "USDC", "8500");
  // #3 isolation mode: isolated collateral is never enabled automatically on supply.
  await approveAll(3, ["UNI", "DAI"]);
  await supply(3, "UNI", "1000");
  await mined(poolAs(3).setUserUseReserveAsCollateral(addr(tokens.UNI), true));
  await borrow(3, "DAI", "2000");
  // #4 positions in reserves that get deprecated/frozen/paused right after.
  await approveAll(4, ["WETH", "CRV", "BAL", "SNX", "USDT"]);
  for (const [s, amount] of Object.entries({ WETH: "5", CRV: "20000", BAL: "1000", SNX: "500" })) await supply(4, s, amount);
  await borrow(4, "USDT", "1000");

  // --- Post-seeding risk changes --------------------------------------------------------------------
  for (const a of ASSETS) {
    const t = addr(tokens[a.symbol]);
    if (a.risk.listingLtv !== undefined) await mined(configurator.configureReserveAsCollateral(t, a.risk.ltv, a.risk.lt, a.risk.bonus));
    if (a.risk.frozen) await mined(configurator.setReserveFreeze(t, true));
    if (a.risk.paused) await mined(configurator.setReservePause(t, true));
  }
  log("accounts funded and positions seeded");

  // --- Sanity checks: fail here, not in some later test, if the market is not what we describe --------
  for (const a of ASSETS) {
    const c = await dataProvider.getReserveConfigurationData(addr(tokens[a.symbol]));
    const got = [c.ltv, c.liquidationThreshold, c.liquidationBonus, c.reserveFactor, c.borrowingEnabled, c.isFrozen].map(String);
    const want = [a.risk.ltv, a.risk.lt, a.risk.bonus, a.risk.reserveFactor, a.risk.borrowable, !!a.risk.frozen].map(String);
    if (got.join() !== want.join()) throw new Error(`${a.symbol} config mismatch: ${got} vs ${want}`);
  }
  const [reservesData] = await uiPoolDataProvider.getReservesData(addr(addressesProvider));
  if (reservesData.length !== ASSETS.length) throw new Error("UiPoolDataProviderV3 sees the wrong reserves");

  // --- Description of the market (market.json) -----------------------------------------------------
  const latest = await provider.getBlock("latest");
  const reserves = {};
  for (const a of ASSETS) {
    const t = addr(tokens[a.symbol]);
    const rd = await dataProvider.getReserveTokensAddresses(t);
    const r = RATES[a.rates];
    reserves[a.symbol] = {
      symbol: a.symbol,
      name: a.name,
      decimals: a.decimals,
      address: t,
      aToken: rd.aTokenAddress,
      variableDebtToken: rd.variableDebtTokenAddress,
      stableDebtToken: rd.stableDebtTokenAddress,
      interestRateStrategy: addr(strategies[a.symbol]),
      priceFeed: addr(feeds[a.symbol]),
      priceFeedKind: a.adapterRatio ? "RatioPriceAdapterMock" : "MockV3Aggregator",
      // USD, 8 decimals, as AaveOracle returns it
      price: String(await oracle.getAssetPrice(t)),
      permit: a.permitVersion ? { name: a.name, version: a.permitVersion } : null,
      role: a.role ?? null,
      ltv: a.risk.ltv,
      liquidationThreshold: a.risk.lt,
      liquidationBonus: a.risk.bonus,
      reserveFactor: a.risk.reserveFactor,
      borrowingEnabled: a.risk.borrowable,
      supplyCap: a.risk.supplyCap,
      borrowCap: a.risk.borrowCap,
      debtCeiling: a.risk.debtCeiling ?? 0,
      borrowableInIsolation: !!a.risk.borrowableInIsolation,
      eModeCategory: a.risk.eMode ?? 0,
      isFrozen: !!a.risk.frozen,
      isPaused: !!a.risk.paused,
      liquidationProtocolFee: 1000,
      rateStrategy: { optimalUsageRatio: r.optimal, baseVariableBorrowRate: r.base, variableRateSlope1: r.slope1, variableRateSlope2: r.slope2 },
    };
  }
  const roles = Object.fromEntries(ASSETS.filter((a) => a.role).map((a) => [a.role, a.symbol]));
  roles.permit = ASSETS.find((a) => a.permitVersion).symbol;

  return {
    chainId: CHAIN_ID,
    marketId: MARKET_ID,
    mnemonic: MNEMONIC,
    deployedAt: { block: latest.number, timestamp: latest.timestamp },
    baseCurrency: { symbol: "USD", address: ZeroAddress, unit: String(BASE_CURRENCY_UNIT) },
    treasury: TREASURY,
    flashloanPremiumTotal: FLASHLOAN_PREMIUM_TOTAL,
    sequencerGracePeriod: SEQUENCER_GRACE_PERIOD,
    contracts: {
      poolAddressesProviderRegistry: addr(registry),
      poolAddressesProvider: addr(addressesProvider),
      pool: addr(pool),
      poolImpl: addr(poolImpl),
      poolConfigurator: addr(configurator),
      poolConfiguratorImpl: addr(configuratorImpl),
      aclManager: addr(aclManager),
      aaveOracle: addr(oracle),
      protocolDataProvider: addr(dataProvider),
      uiPoolDataProvider: addr(uiPoolDataProvider),
      walletBalanceProvider: addr(walletBalanceProvider),
      wrappedTokenGateway: addr(wethGateway),
      priceOracleSentinel: addr(sentinel),
      sequencerUptimeFeed: addr(sequencerFeed),
      aTokenImpl: addr(aTokenImpl),
      stableDebtTokenImpl: addr(stableDebtImpl),
      variableDebtTokenImpl: addr(variableDebtImpl),
      libraries: libs,
      priceFeeds: Object.fromEntries(ASSETS.map((a) => [a.symbol, addr(feeds[a.symbol])])),
    },
    reserves,
    roles,
    eModeCategories: EMODE_CATEGORIES.map((e) => ({
      ...e,
      assets: ASSETS.filter((a) => a.risk.eMode === e.id).map((a) => a.symbol),
    })),
    accounts: wallets.map((w, i) => ({ index: i, address: w.address, privateKey: w.privateKey, role: ACCOUNT_ROLES[i] })),
  };
}
