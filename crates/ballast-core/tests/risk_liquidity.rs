//! Liquidity: sales into a pool and a linear book, and a position whose
//! liquidation would move its collateral's market, worked by hand.

use ballast_core::risk::liquidity::{assess, MarketDepth};
use ballast_core::risk::{LiquidationTerms, RiskExposure, RiskPosition};

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn selling_into_a_constant_product_pool() {
    // 1000 ETH and 2 000 000 USDC, 0.3 % fee; sell 10 ETH. Input after fee
    // 9.97; out = 2e6 · 9.97 / 1009.97 = 19 743.160 69; average 1974.316 07;
    // the pool ends at (2e6 − out)/1010 = 1960.650 34, a 1.967 48 % move;
    // 1.284 20 % given up against 2000, the fee included.
    let pool = MarketDepth::ConstantProduct { base_reserve: 1000.0, quote_reserve: 2e6, fee: 0.003 };
    let sale = pool.sell(10.0, 2000.0).unwrap();
    assert!(close(sale.proceeds, 19_743.160_69, 1e-5), "{sale:?}");
    assert!(close(sale.average_price, 1_974.316_07, 1e-5));
    assert!(close(sale.price_after, 1_960.650_34, 1e-5));
    assert!(close(sale.price_impact, 0.019_674_83, 1e-8));
    assert!(close(sale.slippage, 0.012_841_97, 1e-8));
    // An oracle 1 % above the pool: the pool's relative move, at the oracle's level.
    let above = pool.sell(10.0, 2020.0).unwrap();
    assert!(
        close(above.average_price, 1_974.316_07 * 1.01, 1e-5) && close(above.price_impact, sale.price_impact, 1e-15)
    );
}

#[test]
fn selling_into_a_linear_book() {
    // $1M moves the price 2 %, so depth D = $50M. Selling 1000 ETH at 2000
    // ($2M) moves it 4 % and fills at 2000·(1 − 2 %) = 1960.
    let book = MarketDepth::from_two_percent_depth(1e6);
    let sale = book.sell(1000.0, 2000.0).unwrap();
    assert!(close(sale.price_impact, 0.04, 1e-15) && close(sale.average_price, 1960.0, 1e-9), "{sale:?}");
    assert!(close(sale.proceeds, 1_960_000.0, 1e-6));
    // Past the depth the book is empty: $60M of ETH fetches D/2 = $25M.
    let dump = book.sell(30_000.0, 2000.0).unwrap();
    assert!(close(dump.proceeds, 25e6, 1e-3) && dump.price_after == 0.0, "{dump:?}");
    assert!(MarketDepth::Linear { depth: 0.0 }.sell(1.0, 1.0).is_err());
}

/// 100 WETH at 2000 (threshold 82.5 %, bonus 5 %) against 150 000 USDC.
fn position() -> RiskPosition {
    RiskPosition {
        assets: vec![
            RiskExposure {
                asset: "WETH".into(),
                price: 2000.0,
                price_moves: true,
                collateral: 100.0,
                liquidation_threshold: 0.825,
                debt: 0.0,
                liquidation_bonus: 1.05,
                collateral_growth: 1.0,
                debt_growth: 1.0,
            },
            RiskExposure {
                asset: "USDC".into(),
                price: 1.0,
                price_moves: false,
                collateral: 0.0,
                liquidation_threshold: 0.0,
                debt: 150_000.0,
                liquidation_bonus: 1.0,
                collateral_growth: 1.0,
                debt_growth: 1.0,
            },
        ],
        liquidation: LiquidationTerms::AAVE_V3,
    }
}

#[test]
fn a_liquidation_is_flagged_when_selling_the_seizure_loses_the_liquidator_money() {
    // Health 165 000 / 150 000 = 1.1; liquidated when WETH falls to
    // 2000/1.1 = 1818.18 (ratio 0.909 09). Half the debt, 75 000, is repaid
    // and 78 750 of WETH seized: 43.3125 WETH. The 1000-WETH pool, re-priced
    // by arbitrage to 1818.18, holds 1000·√1.1 = 1048.81 WETH; selling 43.31
    // into it moves the price 7.76 % but fills at 1741.04 on average, 4.24 %
    // under the oracle, fee included: the 5 % bonus still pays (break-even at
    // 1 − 1/1.05 = 4.76 %), so not flagged. Dumping all 100 WETH today would
    // fetch 181 322.18, a health of 0.997 27.
    let pool = |weth: f64| {
        [(
            "WETH".to_owned(),
            MarketDepth::ConstantProduct { base_reserve: weth, quote_reserve: weth * 2000.0, fee: 0.003 },
        )]
    };
    let report = assess(&position(), &pool(1000.0), None).unwrap();
    assert!(close(report.health_factor, 1.1, 1e-12));
    assert!(close(report.liquidation_price_ratio.unwrap(), 1.0 / 1.1, 1e-12));
    let seized = &report.seized[0];
    assert!(close(seized.sale.amount, 43.3125, 1e-9), "{seized:?}");
    assert!(close(seized.price, 1_818.181_818, 1e-5));
    assert!(close(seized.sale.price_impact, 0.077_635_53, 1e-8), "{seized:?}");
    assert!(close(seized.sale.average_price, 1_741.043_37, 1e-4));
    assert!(close(seized.sale.slippage, 1.0 - 1_741.043_37 / 1_818.181_818, 1e-7), "{seized:?}");
    assert!(close(seized.break_even_slippage, 1.0 - 1.0 / 1.05, 1e-15));
    assert!(!seized.unprofitable && !report.flagged, "{seized:?}");
    assert!(close(report.liquidity_adjusted_collateral_value, 181_322.178_78, 1e-4));
    assert!(close(report.liquidity_adjusted_health_factor, 0.997_271_98, 1e-8));
    assert!(report.depth_unknown.is_empty());
    // A given 5 % price-impact limit flags the same sale.
    let limited = assess(&position(), &pool(1000.0), Some(0.05)).unwrap();
    assert!(limited.seized[0].exceeds_impact_limit && limited.flagged);

    // Half that pool: 524.40 WETH at the line, the sale fills at 1674.83,
    // 7.88 % under the oracle: the liquidator loses 3.3 % of what it repays.
    let report = assess(&position(), &pool(500.0), None).unwrap();
    let seized = &report.seized[0];
    assert!(close(seized.sale.slippage, 0.078_84, 1e-4), "{seized:?}");
    assert!(seized.unprofitable && report.flagged);

    // Ten times the pool: a 0.82 % move, not flagged, and a health of 1.0859
    // after a full dump. A 0.5 % limit flags it.
    let report = assess(&position(), &pool(10_000.0), None).unwrap();
    assert!(close(report.seized[0].sale.price_impact, 0.008_196_25, 1e-8) && !report.flagged, "{report:?}");
    assert!(close(report.liquidity_adjusted_health_factor, 1.085_873_84, 1e-8));
    assert!(assess(&position(), &pool(10_000.0), Some(0.005)).unwrap().flagged);
}

#[test]
fn a_position_already_under_the_line_is_liquidated_where_it_stands() {
    // 1 WETH (threshold 82.5 %) against 0.9 WETH of debt: health 0.9167,
    // and no common fall of WETH can move it. It is liquidatable today: the
    // point is today's prices (ratio 1), not "a fall cannot liquidate it".
    let weth = |collateral: f64, debt: f64| RiskExposure {
        asset: "WETH".into(),
        price: 2000.0,
        price_moves: true,
        collateral,
        liquidation_threshold: 0.825,
        debt,
        liquidation_bonus: 1.05,
        collateral_growth: 1.0,
        debt_growth: 1.0,
    };
    let p = RiskPosition { assets: vec![weth(1.0, 0.9)], liquidation: LiquidationTerms::AAVE_V3 };
    assert!(close(p.health_ratio(), 0.825 / 0.9, 1e-12));
    let report = assess(&p, &[], None).unwrap();
    assert_eq!(report.liquidation_price_ratio, Some(1.0));
    // Under 0.95: the whole debt (1800) is repaid, 1890 of WETH seized.
    assert!(close(report.seized[0].sale.amount, 0.945, 1e-12), "{report:?}");
    // Healthy, the same shape is never liquidated by a fall.
    let healthy = RiskPosition { assets: vec![weth(1.0, 0.5)], liquidation: LiquidationTerms::AAVE_V3 };
    assert_eq!(assess(&healthy, &[], None).unwrap().liquidation_price_ratio, None);
}

#[test]
fn an_unknown_depth_is_named_and_sells_at_the_price() {
    let report = assess(&position(), &[], None).unwrap();
    assert_eq!(report.depth_unknown, vec!["WETH".to_owned()]);
    assert_eq!(report.liquidity_adjusted_collateral_value, report.collateral_value);
    assert!(!report.flagged);
}

#[test]
fn a_liquity_trove_is_judged_by_the_collateral_over_its_debt() {
    // 10 ETH against 15 000 LUSD: liquidated at ICR 110 %, ETH at 1650. The
    // Stability Pool takes all 10 ETH (16 500) for the 15 000: a 10 % margin.
    // $100k moves ETH 2 %, so selling 16 500 moves it 0.33 %: not flagged.
    let scenario = ballast_core::Scenario::parse(
        r#"{"schema":"ballast.scenario/1","protocol":"liquity-v1","assets":[
          {"symbol":"ETH","price":"2000"},{"symbol":"LUSD"}],
          "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"LUSD","amount":"15000"}]}"#,
    )
    .unwrap();
    let trove = RiskPosition::from_scenario(&scenario).unwrap();
    let report = assess(&trove, &[("ETH".to_owned(), MarketDepth::from_two_percent_depth(1e5))], None).unwrap();
    assert!(close(report.liquidation_price_ratio.unwrap(), 0.825, 1e-12));
    let seized = &report.seized[0];
    assert!(close(seized.sale.amount, 10.0, 1e-12) && close(seized.price, 1650.0, 1e-9), "{seized:?}");
    assert!(close(seized.break_even_slippage, 1.0 - 15_000.0 / 16_500.0, 1e-12));
    assert!(close(seized.sale.price_impact, 0.0033, 1e-12) && !report.flagged);
}

#[test]
fn two_percent_depth_of_each_model() {
    assert_eq!(MarketDepth::from_two_percent_depth(5e6).two_percent_depth(10.0), 5e6);
    // 1000 tokens at $3000: x(1/√0.98 − 1) = 10.1525 tokens, $30 457.63, moves the pool 2 % (no fee).
    let pool = MarketDepth::ConstantProduct { base_reserve: 1000.0, quote_reserve: 3e6, fee: 0.0 };
    let usd = pool.two_percent_depth(3000.0);
    assert!(close(usd, 30_457.63, 0.01), "{usd}");
    let sale = pool.sell(usd / 3000.0, 3000.0).unwrap();
    assert!(close(sale.price_impact, 0.02, 1e-12), "{}", sale.price_impact);
}
