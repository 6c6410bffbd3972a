// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IAnswerFeed {
    function latestAnswer() external view returns (int256);
    function decimals() external view returns (uint8);
}

/// @notice Price source shaped like Aave's CAPO adapters on live markets (e.g. wstETH/USD =
/// ETH/USD * exchange ratio): it has latestAnswer()/decimals()/description() but deliberately
/// NO latestRoundData(), so clients that assume a full Chainlink aggregator behind AaveOracle break.
contract RatioPriceAdapterMock {
    uint8 public constant RATIO_DECIMALS = 18;

    IAnswerFeed public immutable BASE_TO_USD_AGGREGATOR;
    uint8 public immutable decimals;
    string public description;
    uint256 private _ratio;

    event RatioUpdated(uint256 ratio);

    constructor(address baseToUsdAggregator, uint256 ratio_, string memory description_) {
        BASE_TO_USD_AGGREGATOR = IAnswerFeed(baseToUsdAggregator);
        decimals = IAnswerFeed(baseToUsdAggregator).decimals();
        description = description_;
        _ratio = ratio_;
    }

    function getRatio() external view returns (int256) {
        return int256(_ratio);
    }

    /// Open setter: test-only contract on a throwaway chain.
    function setRatio(uint256 ratio_) external {
        _ratio = ratio_;
        emit RatioUpdated(ratio_);
    }

    function latestAnswer() external view returns (int256) {
        int256 basePrice = BASE_TO_USD_AGGREGATOR.latestAnswer();
        if (basePrice <= 0) return 0;
        return (basePrice * int256(_ratio)) / int256(10 ** RATIO_DECIMALS);
    }
}
