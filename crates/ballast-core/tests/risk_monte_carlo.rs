//! The Monte Carlo engine against closed forms and worked examples.

use ballast_core::risk::barrier::discrete_hitting_probability;
use ballast_core::risk::exposure::MAKER_DEFAULT_PENALTY;
use ballast_core::risk::{
    simulate, simulate_paths, AssetDynamics, LiquidationTerms, MarketModel, RiskExposure, RiskPosition, Seizure,
    SimulationSettings, Tails,
};
use ballast_core::Scenario;

const DAY: f64 = 1.0 / 365.0;

fn collateral(asset: &str, price: f64, amount: f64, threshold: f64, bonus: f64) -> RiskExposure {
    RiskExposure {
        asset: asset.into(),
        price,
        price_moves: true,
        collateral: amount,
        liquidation_threshold: threshold,
        debt: 0.0,
        liquidation_bonus: bonus,
        collateral_growth: 1.0,
        debt_growth: 1.0,
    }
}

/// Debt in a unit held at `price` (a stablecoin at par).
fn stable_debt(amount: f64) -> RiskExposure {
    RiskExposure {
        asset: "USD".into(),
        price: 1.0,
        price_moves: false,
        collateral: 0.0,
        liquidation_threshold: 0.0,
        debt: amount,
        liquidation_bonus: 1.0,
        collateral_growth: 1.0,
        debt_growth: 1.0,
    }
}

/// One unit of an asset at 1 against debt `barrier`: the health ratio is
/// price / barrier, so the position is liquidated when the price first
/// falls under the barrier.
fn barrier_position(barrier: f64) -> RiskPosition {
    RiskPosition {
        assets: vec![collateral("ETH", 1.0, 1.0, 1.0, 1.05), stable_debt(barrier)],
        liquidation: LiquidationTerms::AAVE_V3,
    }
}

fn one_asset(volatility: f64, drift: f64, tails: Tails) -> MarketModel {
    MarketModel::independent(vec![AssetDynamics { symbol: "ETH".into(), volatility, drift }], tails).unwrap()
}

#[test]
fn liquidation_probability_matches_the_discretely_monitored_barrier() {
    // No drift in the price (log drift −σ²/2), no interest, 30 daily looks:
    // the Broadie–Glasserman–Kou corrected closed form, within 3 standard
    // errors (of the closed form's p, so a near-zero p is tested too).
    // BGK leaves a small bias at 30 looks: 10⁶ paths put the discrete
    // probability 0.1–0.15 points above it (under 1 standard error here).
    // Over seeds 0–39 the worst of the nine |z| exceeds 3 for 4 seeds, as
    // nine correlated 3σ tests with that bias should; seed 0's worst is 1.3.
    let settings = SimulationSettings { horizon_days: 30, paths: 20_000, seed: 0 };
    for volatility in [0.3, 0.6, 1.0] {
        for distance in [0.10, 0.25, 0.40] {
            let barrier = 1.0 - distance;
            let sim =
                simulate(&barrier_position(barrier), &one_asset(volatility, 0.0, Tails::Normal), &settings).unwrap();
            let log_drift = -0.5 * volatility * volatility;
            let expected = discrete_hitting_probability(1.0, barrier, volatility, log_drift, 30.0 * DAY, DAY);
            let got = sim.liquidation_probability();
            let std_error = (expected * (1.0 - expected) / f64::from(settings.paths)).sqrt();
            assert!(
                (got.value - expected).abs() <= 3.0 * std_error + 1e-12,
                "σ {volatility}, barrier −{distance}: simulated {} ± {}, closed form {expected}",
                got.value,
                got.std_error
            );
        }
    }
}

#[test]
fn a_seed_replays_bit_for_bit_and_paths_do_not_depend_on_the_run_size() {
    let position = barrier_position(0.8);
    let market = one_asset(0.7, 0.0, Tails::StudentT { degrees_of_freedom: 4.0 });
    let run =
        |paths, seed| simulate(&position, &market, &SimulationSettings { horizon_days: 30, paths, seed }).unwrap();
    let bits = |sim: &ballast_core::risk::Simulation| {
        sim.outcomes
            .iter()
            .map(|o| (o.min_health_factor.to_bits(), o.liquidation_day, o.terminal_net_value.to_bits()))
            .collect::<Vec<_>>()
    };
    let a = run(500, 11);
    assert_eq!(bits(&a), bits(&run(500, 11)));
    assert_ne!(bits(&a), bits(&run(500, 12)));
    // Path k is stream k of the seed: a worker running the first 100 paths gets the same ones.
    assert_eq!(bits(&run(100, 11)), bits(&a)[..100]);
    // Two workers splitting the run merge into it exactly.
    let settings = SimulationSettings { horizon_days: 30, paths: 0, seed: 11 };
    let mut merged = simulate_paths(&position, &market, &settings, 0..200).unwrap();
    merged.extend(simulate_paths(&position, &market, &settings, 200..500).unwrap());
    assert_eq!(merged, a.outcomes);
}

#[test]
fn a_position_without_debt_is_never_liquidated() {
    let position = RiskPosition {
        assets: vec![collateral("ETH", 2000.0, 3.0, 0.8, 1.05)],
        liquidation: LiquidationTerms::AAVE_V3,
    };
    let sim = simulate(
        &position,
        &one_asset(1.5, 0.0, Tails::Normal),
        &SimulationSettings { horizon_days: 90, paths: 2_000, seed: 3 },
    )
    .unwrap();
    let p = sim.liquidation_probability();
    assert_eq!((p.value, p.std_error), (0.0, 0.0));
    assert_eq!(sim.days_to_liquidation(), None);
    assert!(sim.outcomes.iter().all(|o| o.min_health_factor == f64::INFINITY && o.liquidation_cost == 0.0));
    let summary = sim.summary();
    // All minima are +∞: the open-ended last bin holds every path.
    assert_eq!(summary.min_health_factor.histogram.bins.last().map(|b| b.count), Some(2_000));
}

#[test]
fn a_steady_fall_liquidates_on_the_day_worked_by_hand() {
    // No volatility, the price falling 1 % a day in log terms (μ = −3.65 a
    // year): 10 ETH at 2000, threshold 0.8, against 12 000 USD. The health
    // ratio is (4/3)·e^(−0.01·k), first under 1 on day 29 (k > 100·ln 4/3 =
    // 28.77) at 0.99768, above 0.95, so half the debt, 6000, is repaid and
    // 6300 USD of ETH seized at 2000·e^−0.29: a 300 USD cost. On day 30
    // 10 − 3.15·e^0.29 = 5.790 253 ETH at 2000·e^−0.3 less 6000 is worth
    // 2579.050 46. Without the liquidation the ratio would reach
    // (4/3)·e^−0.3 = 0.987 758.
    let position = RiskPosition {
        assets: vec![collateral("ETH", 2000.0, 10.0, 0.8, 1.05), stable_debt(12_000.0)],
        liquidation: LiquidationTerms::AAVE_V3,
    };
    let sim = simulate(
        &position,
        &one_asset(0.0, -3.65, Tails::Normal),
        &SimulationSettings { horizon_days: 30, paths: 3, seed: 0 },
    )
    .unwrap();
    assert_eq!(sim.starting_net_value, 8_000.0);
    for o in &sim.outcomes {
        assert_eq!(o.liquidation_day, Some(29));
        assert!((o.liquidation_cost - 300.0).abs() < 1e-9, "{}", o.liquidation_cost);
        assert!((o.terminal_net_value - 2_579.050_461).abs() < 1e-6, "{}", o.terminal_net_value);
        assert!((o.min_health_factor - 0.987_757_6).abs() < 1e-7, "{}", o.min_health_factor);
    }
    let days = sim.days_to_liquidation().unwrap();
    assert_eq!((days.value, days.std_error), (29.0, 0.0));
    assert_eq!(sim.liquidation_probability().value, 1.0);
}

#[test]
fn interest_alone_liquidates_when_the_pool_projection_says() {
    // Prices held (volatility 0), USDC borrowed at 36.5 % a year: the debt
    // grows about e^0.001 a day, and 16 500 / 16 300 first falls under 1 on
    // day 13 (ln(16500/16300)/0.001 = 12.2). The Pool's own integer
    // projection agrees.
    let scenario = Scenario::parse(
        r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[
          {"symbol":"WETH","decimals":18,"price":"2000","ltv_bps":8000,"liquidation_threshold_bps":8250,
           "liquidation_bonus_bps":10500,"volatility":"0"},
          {"symbol":"USDC","decimals":6,"price":"1","ltv_bps":7700,"liquidation_threshold_bps":8000,
           "liquidation_bonus_bps":10450,"stable":true,"variable_borrow_rate":"0.365"}],
          "collateral":[{"asset":"WETH","amount":"10"}],"debt":[{"asset":"USDC","amount":"16300"}]}"#,
    )
    .unwrap();
    let position = RiskPosition::from_scenario(&scenario).unwrap();
    let market = MarketModel::from_scenario(&scenario, 0.0, Tails::Normal).unwrap();
    let sim = simulate(&position, &market, &SimulationSettings { horizon_days: 30, paths: 2, seed: 1 }).unwrap();
    assert!(sim.outcomes.iter().all(|o| o.liquidation_day == Some(13)), "{:?}", sim.outcomes);
    let pool = ballast_core::aave_v3::Position::from_scenario(&scenario).unwrap();
    assert_eq!(ballast_core::aave_v3::projection::days_until_liquidation(&pool, 30).unwrap(), Some(13));
}

#[test]
fn perfectly_correlated_collateral_and_debt_keep_the_ratio() {
    // ETH collateral against a debt in an asset that moves exactly with it:
    // the ratio never changes, so nothing is liquidated; uncorrelated, it is.
    let mut debt = collateral("ETHX", 2000.0, 0.0, 0.0, 1.0);
    debt.debt = 8.0;
    let position = RiskPosition {
        assets: vec![collateral("ETH", 2000.0, 10.0, 0.825, 1.05), debt],
        liquidation: LiquidationTerms::AAVE_V3,
    };
    let dynamics = |s: &str| AssetDynamics { symbol: s.into(), volatility: 0.8, drift: 0.0 };
    let settings = SimulationSettings { horizon_days: 60, paths: 2_000, seed: 5 };
    let together = MarketModel::new(
        vec![dynamics("ETH"), dynamics("ETHX")],
        ballast_core::risk::CorrelationMatrix::uniform(2, 1.0).unwrap(),
        Tails::Normal,
    )
    .unwrap();
    let sim = simulate(&position, &together, &settings).unwrap();
    assert_eq!(sim.liquidation_probability().value, 0.0);
    let apart = MarketModel::independent(vec![dynamics("ETH"), dynamics("ETHX")], Tails::Normal).unwrap();
    assert!(simulate(&position, &apart, &settings).unwrap().liquidation_probability().value > 0.1);
}

#[test]
fn student_t_shocks_keep_the_variance_and_fatten_the_tails() {
    // One day, no debt: the log return is one shock. Unit-variance t with
    // ν = 5 exceeds 3 standard deviations with probability 0.011 72
    // (mpmath), a normal 0.002 70; both within 3 standard errors.
    let position =
        RiskPosition { assets: vec![collateral("ETH", 1.0, 1.0, 0.8, 1.05)], liquidation: LiquidationTerms::AAVE_V3 };
    let settings = SimulationSettings { horizon_days: 1, paths: 20_000, seed: 8 };
    let sigma_day = 0.8 * DAY.sqrt();
    for (tails, expected) in [(Tails::StudentT { degrees_of_freedom: 5.0 }, 0.011_724_8), (Tails::Normal, 0.002_699_8)]
    {
        let sim = simulate(&position, &one_asset(0.8, 0.0, tails), &settings).unwrap();
        let shocks: Vec<f64> = sim
            .outcomes
            .iter()
            .map(|o| (o.terminal_net_value.ln() + 0.5 * sigma_day * sigma_day) / sigma_day)
            .collect();
        let n = shocks.len() as f64;
        let beyond = shocks.iter().filter(|x| x.abs() > 3.0).count() as f64 / n;
        let variance = shocks.iter().map(|x| x * x).sum::<f64>() / n;
        let std_error = (expected * (1.0 - expected) / n).sqrt();
        assert!((beyond - expected).abs() < 3.0 * std_error, "{tails:?}: {beyond} vs {expected}");
        // Kurtosis 9 for t(5): the sample variance's standard error is √(8/n) = 0.02.
        assert!((variance - 1.0).abs() < 0.06, "{tails:?}: variance {variance}");
    }
}

#[test]
fn a_maker_vault_liquidates_at_its_barrier() {
    // 10 ETH at 2000 against 10 000 DAI at mat 1.45: liquidated under 1450,
    // 27.5 % down; σ 80 % from the scenario, 30 days, daily looks.
    let scenario = Scenario::parse(
        r#"{"schema":"ballast.scenario/1","protocol":"maker","assets":[
          {"symbol":"ETH","price":"2000","liquidation_ratio":"1.45","volatility":"0.8"},{"symbol":"DAI"}],
          "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"DAI","amount":"10000"}]}"#,
    )
    .unwrap();
    let position = RiskPosition::from_scenario(&scenario).unwrap();
    assert_eq!(position.assets[0].liquidation_bonus, MAKER_DEFAULT_PENALTY);
    assert_eq!(position.liquidation.seizure, Seizure::Bonus);
    let market = MarketModel::from_scenario(&scenario, 0.0, Tails::Normal).unwrap();
    let settings = SimulationSettings { horizon_days: 30, paths: 20_000, seed: 1 };
    let sim = simulate(&position, &market, &settings).unwrap();
    let expected = discrete_hitting_probability(2000.0, 1450.0, 0.8, -0.32, 30.0 * DAY, DAY);
    let std_error = (expected * (1.0 - expected) / 20_000.0).sqrt();
    let got = sim.liquidation_probability().value;
    assert!((got - expected).abs() < 3.0 * std_error, "{got} vs {expected}");
    // The ilk's own penalty replaces the default when the scenario states it.
    let mut with_chop = scenario.clone();
    with_chop.assets[0].chop = Some("1.15".parse().unwrap());
    assert_eq!(RiskPosition::from_scenario(&with_chop).unwrap().assets[0].liquidation_bonus, 1.15);
    // The summary's quantiles are ordered and the histogram counts every path.
    let summary = sim.summary();
    let q: Vec<f64> = summary.min_health_factor.quantiles.iter().map(|q| q.value).collect();
    assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    let h = &summary.min_health_factor.histogram;
    assert_eq!(h.bins.iter().map(|b| b.count).sum::<u32>() + h.below + h.above, 20_000);
}

#[test]
fn refuses_a_position_asset_without_dynamics_and_bad_settings() {
    let position = barrier_position(0.8);
    let market = MarketModel::independent(
        vec![AssetDynamics { symbol: "BTC".into(), volatility: 0.5, drift: 0.0 }],
        Tails::Normal,
    )
    .unwrap();
    let settings = SimulationSettings { horizon_days: 30, paths: 10, seed: 0 };
    let e = simulate(&position, &market, &settings).unwrap_err();
    assert!(e.to_string().starts_with("market.ETH: has no volatility"), "{e}");
    let market = one_asset(0.5, 0.0, Tails::Normal);
    assert!(simulate(&position, &market, &SimulationSettings { paths: 0, ..settings }).is_err());
    assert!(simulate(&position, &market, &SimulationSettings { horizon_days: 0, ..settings }).is_err());
    let mut negative = barrier_position(0.8);
    negative.assets[0].price = -1.0;
    assert!(simulate(&negative, &market, &settings).is_err());
}
