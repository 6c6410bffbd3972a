//! Value at risk and expected shortfall against the lognormal closed form
//! and worked liquidations.

use ballast_core::risk::loss::{self, tail_risk};
use ballast_core::risk::normal::{cdf, pdf, quantile};
use ballast_core::risk::{
    simulate, AssetDynamics, LiquidationTerms, MarketModel, RiskExposure, RiskPosition, SimulationSettings, Tails,
};
use ballast_core::Scenario;

fn eth(amount: f64, price: f64) -> RiskExposure {
    RiskExposure {
        asset: "ETH".into(),
        price,
        price_moves: true,
        collateral: amount,
        liquidation_threshold: 0.8,
        debt: 0.0,
        liquidation_bonus: 1.05,
        collateral_growth: 1.0,
        debt_growth: 1.0,
    }
}

fn one_asset(volatility: f64, drift: f64) -> MarketModel {
    MarketModel::independent(vec![AssetDynamics { symbol: "ETH".into(), volatility, drift }], Tails::Normal).unwrap()
}

#[test]
fn var_of_a_debt_free_position_is_the_lognormal_quantile() {
    // 5 ETH at 2000, no debt, σ 80 %, no drift, 30 days: V_T = V₀·e^(−s²/2 + s·Z)
    // with s = σ√T, so VaR_α = V₀·(1 − e^(−s²/2 − s·z_α)) and
    // ES_α = V₀·(1 − Φ(−z_α − s)/(1 − α)). The simulated VaR is compared on
    // the normal scale, where an empirical quantile's standard error is
    // √(α(1 − α)/n)/φ(z_α).
    let position = RiskPosition { assets: vec![eth(5.0, 2000.0)], liquidation: LiquidationTerms::AAVE_V3 };
    let settings = SimulationSettings { horizon_days: 30, paths: 20_000, seed: 4 };
    let sim = simulate(&position, &one_asset(0.8, 0.0), &settings).unwrap();
    let v0 = 10_000.0;
    let s = 0.8 * (30.0f64 / 365.0).sqrt();
    let losses = loss::losses(&sim);
    let n = losses.len() as f64;
    // The closed forms' values (mpmath): VaR and ES at 95 % and 99 %.
    for (alpha, var, es) in [(0.95, 3_320.575_57, 3_909.803_12), (0.99, 4_287.086_39, 4_701.289_31)] {
        let z = quantile(alpha);
        assert!((v0 * (1.0 - (-0.5 * s * s - s * z).exp()) - var).abs() < 1e-4);
        assert!((v0 * (1.0 - cdf(-z - s) / (1.0 - alpha)) - es).abs() < 1e-4);
        let tail = tail_risk(&losses, alpha).unwrap();
        let simulated_z = -((1.0 - tail.value_at_risk / v0).ln() + 0.5 * s * s) / s;
        let z_error = (alpha * (1.0 - alpha) / n).sqrt() / pdf(z);
        assert!((simulated_z - z).abs() < 3.0 * z_error, "VaR {alpha}: z {simulated_z} vs {z} ± {z_error}");
        let mut worst = losses.clone();
        worst.sort_by(|a, b| b.total_cmp(a));
        let k = (n * (1.0 - alpha)).round() as usize;
        let mean = worst[..k].iter().sum::<f64>() / k as f64;
        let spread = (worst[..k].iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (k as f64 - 1.0)).sqrt();
        assert!(
            (tail.expected_shortfall - es).abs() < 3.0 * spread / (k as f64).sqrt() + 0.01 * es,
            "ES {alpha}: {} vs {es}",
            tail.expected_shortfall
        );
        assert!(tail.expected_shortfall > tail.value_at_risk);
    }
}

#[test]
fn a_liquidation_costs_its_bonus_in_the_loss() {
    // The steady 1 %-a-day fall of the Monte Carlo tests: today 8000 net;
    // on day 30 2579.050 46 after a liquidation that cost 300. Every path
    // is the same, so VaR = ES = the one loss, 5420.949 54.
    let mut debt = eth(0.0, 1.0);
    debt.asset = "USDC".into();
    debt.price_moves = false;
    debt.debt = 12_000.0;
    let mut collateral = eth(10.0, 2000.0);
    collateral.liquidation_threshold = 0.8;
    let position = RiskPosition { assets: vec![collateral, debt], liquidation: LiquidationTerms::AAVE_V3 };
    let sim = simulate(&position, &one_asset(0.0, -3.65), &SimulationSettings { horizon_days: 30, paths: 4, seed: 0 })
        .unwrap();
    let summary = loss::summary(&sim).unwrap();
    for tail in &summary.tail {
        assert!((tail.value_at_risk - 5_420.949_539).abs() < 1e-5, "{tail:?}");
        assert!((tail.expected_shortfall - tail.value_at_risk).abs() < 1e-9, "{tail:?}");
    }
    assert!((summary.expected_liquidation_cost.value - 300.0).abs() < 1e-9);
}

#[test]
fn a_liquidated_liquity_trove_is_worth_nothing_after() {
    // 10 ETH at 2000 against 15 000 LUSD (ICR 133 %), σ 100 % over 30 days:
    // a liquidated trove loses all its collateral and owes nothing, so its
    // terminal net value is exactly 0 and the loss is the whole 5000; the
    // cost is the collateral beyond the debt, under 10 % of it (ICR < 110 %).
    let scenario = Scenario::parse(
        r#"{"schema":"ballast.scenario/1","protocol":"liquity-v1","assets":[
          {"symbol":"ETH","price":"2000","volatility":"1"},{"symbol":"LUSD"}],
          "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"LUSD","amount":"15000"}]}"#,
    )
    .unwrap();
    let position = RiskPosition::from_scenario(&scenario).unwrap();
    let market = MarketModel::from_scenario(&scenario, 0.0, Tails::Normal).unwrap();
    let sim = simulate(&position, &market, &SimulationSettings { horizon_days: 30, paths: 4_000, seed: 2 }).unwrap();
    let liquidated: Vec<_> = sim.outcomes.iter().filter(|o| o.liquidation_day.is_some()).collect();
    assert!(liquidated.len() > 400, "{}", liquidated.len());
    for o in &liquidated {
        assert_eq!(o.terminal_net_value, 0.0);
        assert!(o.liquidation_cost < 1_500.0, "{}", o.liquidation_cost);
    }
    let summary = loss::summary(&sim).unwrap();
    assert_eq!(summary.starting_net_value, 5_000.0);
    assert_eq!(summary.tail[1].value_at_risk, 5_000.0);
}

#[test]
fn a_maker_vault_short_of_its_penalty_is_closed_whole() {
    // 10 ETH at 1000 against 9852.22 DAI at mat 1.45: health 0.70, liquidated
    // on day 0. The auction wants 9852.22 × 1.13 = 11 133.01 and gets all the
    // collateral, 10 000; bark took the whole debt, so the shortfall is the
    // system's and the owner is left with nothing and owing nothing: terminal
    // net 0, a loss of the 147.78 they had. (Scaling the debt down to the
    // collateral's share left 1132.53 of debt on the owner: a loss of 1280.31.)
    let scenario = Scenario::parse(
        r#"{"schema":"ballast.scenario/1","protocol":"maker","par":"1","assets":[
          {"symbol":"ETH","price":"1000","liquidation_ratio":"1.45","chop":"1.13"},{"symbol":"DAI"}],
          "collateral":[{"asset":"ETH","amount":"10"}],"debt":[{"asset":"DAI","amount":"9852.22"}]}"#,
    )
    .unwrap();
    let position = RiskPosition::from_scenario(&scenario).unwrap();
    let sim =
        simulate(&position, &one_asset(0.0, 0.0), &SimulationSettings { horizon_days: 30, paths: 4, seed: 0 }).unwrap();
    for o in &sim.outcomes {
        assert_eq!(o.liquidation_day, Some(0));
        assert!(o.terminal_net_value.abs() < 1e-9, "{o:?}");
    }
    let summary = loss::summary(&sim).unwrap();
    assert!((summary.starting_net_value - 147.78).abs() < 1e-9);
    assert!((summary.tail[1].value_at_risk - 147.78).abs() < 1e-9, "{:?}", summary.tail);
}
