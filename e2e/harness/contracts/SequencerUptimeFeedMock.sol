// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice Mock of a Chainlink L2 sequencer uptime feed: answer 0 = sequencer up, 1 = down;
/// startedAt (and updatedAt) = when the status last changed. Aave's PriceOracleSentinel reads
/// `updatedAt`, Chainlink's docs check `startedAt`; both are set to the same value here.
contract SequencerUptimeFeedMock {
    struct Round {
        int256 answer;
        uint256 startedAt;
        uint256 updatedAt;
    }

    uint8 public constant decimals = 0;
    uint256 public constant version = 1;
    string public constant description = "L2 Sequencer Uptime Status Feed";

    uint256 public latestRound;
    mapping(uint256 => Round) private _rounds;

    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    constructor(bool isDown, uint256 statusSince) {
        _push(isDown, statusSince);
    }

    /// Status changes now (block.timestamp).
    function setStatus(bool isDown) external {
        _push(isDown, block.timestamp);
    }

    /// Status changed at an explicit time (e.g. "came back up 10 minutes ago").
    function setStatusAt(bool isDown, uint256 statusSince) external {
        _push(isDown, statusSince);
    }

    function latestAnswer() external view returns (int256) {
        return _rounds[latestRound].answer;
    }

    function latestTimestamp() external view returns (uint256) {
        return _rounds[latestRound].updatedAt;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return getRoundData(uint80(latestRound));
    }

    function getRoundData(uint80 roundId) public view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory r = _rounds[roundId];
        require(r.updatedAt != 0, "No data present");
        return (roundId, r.answer, r.startedAt, r.updatedAt, roundId);
    }

    function _push(bool isDown, uint256 statusSince) private {
        latestRound += 1;
        _rounds[latestRound] = Round(isDown ? int256(1) : int256(0), statusSince, statusSince);
        emit AnswerUpdated(isDown ? int256(1) : int256(0), latestRound, statusSince);
    }
}
