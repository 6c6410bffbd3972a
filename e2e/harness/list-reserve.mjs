// Lists one more reserve on a running test market, the way governance lists one: a fresh
// TestERC20 with the given name and symbol, a MockV3Aggregator priced in AaveOracle, its own
// rate strategy, initReserves and a collateral configuration. For tests that need a token the
// deployed market does not have (a hostile name, say) without changing the cached deploy.
import { ContractFactory, ZeroAddress, parseUnits } from "ethers";
import { linkBytecode, loadArtifact } from "./artifacts.mjs";
import { mined } from "./chain.mjs";
import { accountSigner, marketContracts } from "./contracts.mjs";
import { cacheRoot } from "./market.mjs";
import { compileContracts } from "./solidity.mjs";

/**
 * @param {{market: object, provider: import("ethers").Provider, name: string, symbol: string,
 *   decimals?: number, price?: string}} opts price: USD, as a decimal string
 * @returns {Promise<{token: string, feed: string}>} the token's and its feed's addresses
 */
export async function listReserve({ market, provider, name, symbol, decimals = 18, price = "1" }) {
  const admin = accountSigner(market, 0, provider);
  const own = await compileContracts(cacheRoot());
  const deploy = async (abi, bytecode, args) => {
    const c = await new ContractFactory(abi, bytecode, admin).deploy(...args);
    await mined(c.deploymentTransaction());
    return c.target;
  };
  const token = await deploy(own.TestERC20.abi, own.TestERC20.bytecode, [name, symbol, decimals]);
  const feed = await deploy(own.MockV3Aggregator.abi, own.MockV3Aggregator.bytecode, [8, parseUnits(price, 8)]);
  const c = marketContracts(market, admin);
  await mined(c.oracle.setAssetSources([token], [feed]));
  const ray = (x) => parseUnits(x, 27);
  const strategy = loadArtifact("DefaultReserveInterestRateStrategy");
  const rates = await deploy(strategy.abi, linkBytecode(strategy, {}), [
    market.contracts.poolAddressesProvider, ray("0.45"), ray("0"), ray("0.07"), ray("3"),
    ray("0.005"), ray("0.6"), ray("0.02"), ray("0.05"), ray("0.2"),
  ]);
  await mined(c.configurator.initReserves([{
    aTokenImpl: market.contracts.aTokenImpl,
    stableDebtTokenImpl: market.contracts.stableDebtTokenImpl,
    variableDebtTokenImpl: market.contracts.variableDebtTokenImpl,
    underlyingAssetDecimals: decimals,
    interestRateStrategyAddress: rates,
    underlyingAsset: token,
    treasury: market.treasury,
    incentivesController: ZeroAddress,
    aTokenName: "Aave Test listed token",
    aTokenSymbol: "aTestListed",
    variableDebtTokenName: "Aave Test Variable Debt listed token",
    variableDebtTokenSymbol: "variableDebtTestListed",
    stableDebtTokenName: "Aave Test Stable Debt listed token",
    stableDebtTokenSymbol: "stableDebtTestListed",
    params: "0x10",
  }]));
  await mined(c.configurator.configureReserveAsCollateral(token, 5000, 6000, 10500));
  return { token, feed };
}
