// ethers Contract handles for a deployed market (market.json), for tests.
import { Contract, Wallet } from "ethers";
import { loadArtifact } from "./artifacts.mjs";

export const ERC20_ABI = [
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address,address) view returns (uint256)",
  "function approve(address,uint256) returns (bool)",
  "function transfer(address,uint256) returns (bool)",
  "function mint(address,uint256) returns (bool)",
  "function nonces(address) view returns (uint256)",
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
];
export const AGGREGATOR_ABI = [
  "function decimals() view returns (uint8)",
  "function description() view returns (string)",
  "function latestAnswer() view returns (int256)",
  "function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)",
  "function updateAnswer(int256)", // MockV3Aggregator
  "function setRatio(uint256)", // RatioPriceAdapterMock
  "function getRatio() view returns (int256)",
];
export const SEQUENCER_FEED_ABI = [
  ...AGGREGATOR_ABI.slice(0, 4),
  "function setStatus(bool isDown)",
  "function setStatusAt(bool isDown, uint256 statusSince)",
];

/** Signer for anvil account `index` of the market (plain Wallet: always asks the node for the nonce). */
export function accountSigner(market, index, provider) {
  return new Wallet(market.accounts[index].privateKey, provider);
}

/**
 * @param {object} market market.json content
 * @param {import("ethers").ContractRunner} runner provider or signer
 */
export function marketContracts(market, runner) {
  const c = market.contracts;
  const aave = (name, address) => new Contract(address, loadArtifact(name).abi, runner);
  const reserve = (symbol) => {
    const r = market.reserves[symbol];
    if (!r) throw new Error(`no reserve ${symbol}`);
    return r;
  };
  return {
    pool: aave("Pool", c.pool),
    addressesProvider: aave("PoolAddressesProvider", c.poolAddressesProvider),
    configurator: aave("PoolConfigurator", c.poolConfigurator),
    aclManager: aave("ACLManager", c.aclManager),
    oracle: aave("AaveOracle", c.aaveOracle),
    dataProvider: aave("AaveProtocolDataProvider", c.protocolDataProvider),
    uiPoolDataProvider: aave("UiPoolDataProviderV3", c.uiPoolDataProvider),
    walletBalanceProvider: aave("WalletBalanceProvider", c.walletBalanceProvider),
    sentinel: aave("PriceOracleSentinel", c.priceOracleSentinel),
    sequencerFeed: new Contract(c.sequencerUptimeFeed, SEQUENCER_FEED_ABI, runner),
    token: (symbol) => new Contract(reserve(symbol).address, ERC20_ABI, runner),
    aToken: (symbol) => aave("AToken", reserve(symbol).aToken),
    variableDebtToken: (symbol) => aave("VariableDebtToken", reserve(symbol).variableDebtToken),
    priceFeed: (symbol) => new Contract(reserve(symbol).priceFeed, AGGREGATOR_ABI, runner),
  };
}
