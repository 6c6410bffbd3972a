//! The Risk page's form, apart from the DOM: what the user typed, turned into
//! the engine's [`RiskRequest`] or a list of what is wrong, and the few ways
//! the page rounds the engine's figures for people.

use crate::typed_number::{without_thousands_separators, OneComma};
use ballast_core::risk::liquidity::MarketDepth;
use ballast_core::risk::market::Tails;
use ballast_core::risk::monte_carlo::{MAX_HORIZON_DAYS, MAX_PATHS};
use ballast_core::risk::run::{MarketInputs, RiskRequest, RunOptions};
use ballast_core::Scenario;

/// The horizons offered besides a custom one, in days.
pub const HORIZONS: [u32; 3] = [1, 7, 30];
/// Paths a run starts with: the 10 000.
pub const DEFAULT_PATHS: u32 = 10_000;
/// The seed a run starts with.
pub const DEFAULT_SEED: u64 = 1;
/// Student-t degrees of freedom offered with fat tails (daily crypto returns fit 3–5).
pub const DEFAULT_DEGREES_OF_FREEDOM: &str = "4";

/// The form as typed: every field a string, so nothing typed is lost.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskForm {
    /// "1", "7", "30" or "custom".
    pub horizon: String,
    pub custom_days: String,
    pub paths: String,
    pub seed: String,
    pub fat_tails: bool,
    pub degrees_of_freedom: String,
    /// Per market asset, in the inputs' order: σ in percent.
    pub volatility_percent: Vec<String>,
    /// The correlation matrix as typed, rows in the inputs' order.
    pub correlation: Vec<Vec<String>>,
    /// Per market asset: the USD of sales that move its price 2 % (its
    /// market depth for the liquidity figures); empty for unknown.
    pub two_percent_depth: Vec<String>,
}

impl RiskForm {
    /// The form showing `market`'s inputs and the default options.
    pub fn new(market: &MarketInputs) -> Self {
        Self {
            horizon: "30".to_owned(),
            custom_days: "90".to_owned(),
            paths: DEFAULT_PATHS.to_string(),
            seed: DEFAULT_SEED.to_string(),
            fat_tails: false,
            degrees_of_freedom: DEFAULT_DEGREES_OF_FREEDOM.to_owned(),
            volatility_percent: market.assets.iter().map(|a| trim_number(a.volatility * 100.0)).collect(),
            correlation: market.correlation.iter().map(|row| row.iter().map(|v| trim_number(*v)).collect()).collect(),
            two_percent_depth: market
                .assets
                .iter()
                .map(|a| a.depth.map(|d| format!("{:.0}", d.two_percent_depth(1.0))).unwrap_or_default())
                .collect(),
        }
    }

    /// Sets a correlation cell and its mirror, so the matrix stays symmetric.
    pub fn set_correlation(&mut self, i: usize, j: usize, text: String) {
        if let Some(cell) = self.correlation.get_mut(j).and_then(|row| row.get_mut(i)) {
            cell.clone_from(&text);
        }
        if let Some(cell) = self.correlation.get_mut(i).and_then(|row| row.get_mut(j)) {
            *cell = text;
        }
    }

    /// The engine's request for `scenario` with `market`'s other inputs, or
    /// every field that cannot be read, each named.
    pub fn request(&self, scenario: &Scenario, market: &MarketInputs) -> Result<RiskRequest, Vec<String>> {
        let mut problems = Vec::new();
        let horizon_days = if self.horizon == "custom" {
            whole(&self.custom_days, "Custom horizon (days)", 1, u64::from(MAX_HORIZON_DAYS), &mut problems)
        } else {
            whole(&self.horizon, "Horizon (days)", 1, u64::from(MAX_HORIZON_DAYS), &mut problems)
        };
        let paths = whole(&self.paths, "Paths", 1, u64::from(MAX_PATHS), &mut problems);
        let seed = whole(&self.seed, "Seed", 0, u64::MAX, &mut problems);
        let tails = if self.fat_tails {
            match self.degrees_of_freedom.trim().parse::<f64>() {
                Ok(nu) if nu > 2.0 && nu.is_finite() => Some(Tails::StudentT { degrees_of_freedom: nu }),
                _ => {
                    problems.push(format!(
                        "Degrees of freedom: {:?} is not a number above 2",
                        self.degrees_of_freedom.trim()
                    ));
                    None
                }
            }
        } else {
            Some(Tails::Normal)
        };
        let mut market = market.clone();
        for (asset, text) in market.assets.iter_mut().zip(&self.volatility_percent) {
            match text.trim().parse::<f64>() {
                Ok(p) if p.is_finite() && (0.0..=1000.0).contains(&p) => asset.volatility = p / 100.0,
                _ => problems.push(format!(
                    "Volatility of {}: {:?} is not a percentage from 0 to 1000",
                    asset.symbol,
                    text.trim()
                )),
            }
        }
        for (asset, text) in market.assets.iter_mut().zip(&self.two_percent_depth) {
            let cleaned: String = text.trim().chars().filter(|c| !matches!(c, ' ' | '$')).collect();
            if cleaned.is_empty() {
                asset.depth = None;
                continue;
            }
            // A depth of 1.5 USD is absurd, so 1,500 is read as 1500; 1,5 is refused, not read as 15.
            let cleaned = match without_thousands_separators(&cleaned, OneComma::Thousands) {
                Ok(cleaned) => cleaned,
                Err(e) => {
                    problems.push(format!("2 % depth of {}: {e}", asset.symbol));
                    continue;
                }
            };
            match cleaned.parse::<f64>() {
                Ok(usd) if usd.is_finite() && usd > 0.0 => asset.depth = Some(MarketDepth::from_two_percent_depth(usd)),
                _ => problems.push(format!(
                    "2 % depth of {}: {:?} is not a positive amount of USD (or empty for unknown)",
                    asset.symbol,
                    text.trim()
                )),
            }
        }
        for (i, row) in self.correlation.iter().enumerate() {
            for (j, text) in row.iter().enumerate().filter(|&(j, _)| j > i) {
                match text.trim().parse::<f64>() {
                    Ok(v) if (-1.0..=1.0).contains(&v) => {
                        market.correlation[i][j] = v;
                        market.correlation[j][i] = v;
                    }
                    _ => problems.push(format!(
                        "Correlation of {} and {}: {:?} is not a number from −1 to 1",
                        market.assets[i].symbol,
                        market.assets[j].symbol,
                        text.trim()
                    )),
                }
            }
        }
        match (horizon_days, paths, seed, tails) {
            (Some(h), Some(p), Some(s), Some(tails)) if problems.is_empty() => Ok(RiskRequest {
                scenario: scenario.clone(),
                market,
                options: RunOptions {
                    horizon_days: u32::try_from(h).unwrap_or(MAX_HORIZON_DAYS),
                    paths: u32::try_from(p).unwrap_or(MAX_PATHS),
                    seed: s,
                    tails,
                },
            }),
            _ => Err(problems),
        }
    }
}

/// A whole number in `min..=max`, or a problem naming `field`.
fn whole(text: &str, field: &str, min: u64, max: u64, problems: &mut Vec<String>) -> Option<u64> {
    let cleaned: String = text.trim().chars().filter(|c| *c != ' ').collect();
    let cleaned = without_thousands_separators(&cleaned, OneComma::Thousands).unwrap_or_default();
    match cleaned.parse::<u64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            problems.push(format!("{field}: {:?} is not a whole number from {min} to {max}", text.trim()));
            None
        }
    }
}

/// A number as typed into a field: up to four decimals, no trailing zeros.
pub fn trim_number(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// A probability as a percentage with two decimals, e.g. "4.21 %".
pub fn percent(p: f64) -> String {
    format!("{:.2} %", p * 100.0)
}

/// The probability of liquidation as shown: ± one standard error, or with no
/// path (or every path) liquidated, where the standard error is 0, the exact
/// 95 % bound the sample allows, rounded away from the estimate (an "under"
/// bound up, an "over" bound down) to two significant digits at least.
pub fn probability_shown(p: &ballast_core::risk::stats::Estimate, paths: u32) -> String {
    let bound = ballast_core::risk::stats::Estimate::no_hit_upper_bound_95(paths as usize);
    if p.value == 0.0 {
        format!("under {} (95 %)", percent_bound(bound, f64::ceil))
    } else if p.value == 1.0 {
        format!("over {} (95 %)", percent_bound(1.0 - bound, f64::floor))
    } else {
        format!("{} ± {}", percent(p.value), percent(p.std_error))
    }
}

/// A fraction as a percentage with two decimals, or more for a small one so
/// two significant digits show, rounded by `round` (ceil or floor).
fn percent_bound(fraction: f64, round: fn(f64) -> f64) -> String {
    let x = fraction * 100.0;
    if !(x.is_finite() && x > 0.0) {
        return format!("{x} %");
    }
    let decimals = (1 - x.log10().floor() as i32).clamp(2, 12) as usize;
    let scale = 10f64.powi(decimals as i32);
    format!("{:.*} %", decimals, round(x * scale) / scale)
}

/// US dollars, whole, grouped by thousands: "$12,345"; negative "−$1,200".
pub fn usd(x: f64) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let whole = format!("{:.0}", x.abs());
    let mut grouped = String::new();
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && whole != "0" { "−" } else { "" };
    format!("{sign}${grouped}")
}

/// A health factor with two decimals, "∞" without debt.
pub fn health_factor(h: f64) -> String {
    if h.is_infinite() {
        "∞ (no debt)".to_owned()
    } else {
        format!("{h:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probability_with_no_or_every_path_liquidated_shows_its_bound() {
        use ballast_core::risk::stats::Estimate;
        // 1 − 0.05^(1/n): 0.029953 % at 10 000 paths, 0.014977 % at 20 000, 0.00029957 % at a million.
        assert_eq!(probability_shown(&Estimate::proportion(0, 10_000), 10_000), "under 0.030 % (95 %)");
        assert_eq!(probability_shown(&Estimate::proportion(0, 20_000), 20_000), "under 0.015 % (95 %)");
        assert_eq!(probability_shown(&Estimate::proportion(0, 1_000_000), 1_000_000), "under 0.00030 % (95 %)");
        assert_eq!(probability_shown(&Estimate::proportion(0, 100), 100), "under 2.96 % (95 %)");
        assert_eq!(probability_shown(&Estimate::proportion(10_000, 10_000), 10_000), "over 99.97 % (95 %)");
        assert_eq!(probability_shown(&Estimate::proportion(1_000_000, 1_000_000), 1_000_000), "over 99.99 % (95 %)");
        assert_eq!(probability_shown(&Estimate::proportion(1_000, 10_000), 10_000), "10.00 % ± 0.30 %");
    }
    use ballast_core::risk::run::demo_market;
    use ballast_core::Snapshot;

    fn demo() -> (Scenario, MarketInputs) {
        let snapshot = Snapshot::parse(include_str!("../../../public/snapshot.json")).unwrap();
        let scenario = snapshot.scenario("aave-demo").unwrap();
        let market = demo_market(&snapshot).unwrap().inputs.for_position(&scenario).unwrap();
        (scenario, market)
    }

    #[test]
    fn the_default_form_asks_for_the_default_run() {
        let (scenario, market) = demo();
        let form = RiskForm::new(&market);
        assert_eq!(form.volatility_percent, ["70", "70", "55", "2", "2"]);
        assert_eq!(form.correlation[0], ["1", "0.95", "0.75", "0", "0"]);
        assert_eq!(form.two_percent_depth[0], "40000000");
        let request = form.request(&scenario, &market).unwrap();
        assert_eq!(request.options, RunOptions { horizon_days: 30, paths: 10_000, seed: 1, tails: Tails::Normal });
        assert_eq!(request.market, market);
    }

    #[test]
    fn overrides_reach_the_request() {
        let (scenario, market) = demo();
        let mut form = RiskForm::new(&market);
        form.volatility_percent[0] = "90".into();
        form.set_correlation(2, 0, "0.5".into());
        form.horizon = "custom".into();
        form.custom_days = "90".into();
        form.paths = "20,000".into();
        form.seed = "42".into();
        form.fat_tails = true;
        form.degrees_of_freedom = "3.5".into();
        form.two_percent_depth[1] = "$250,000".into();
        form.two_percent_depth[2] = "".into();
        let r = form.request(&scenario, &market).unwrap();
        assert_eq!(r.market.assets[1].depth, Some(MarketDepth::Linear { depth: 12_500_000.0 }));
        assert_eq!(r.market.assets[2].depth, None);
        assert_eq!(r.market.assets[0].volatility, 0.9);
        assert_eq!((r.market.correlation[0][2], r.market.correlation[2][0]), (0.5, 0.5));
        assert_eq!(
            r.options,
            RunOptions {
                horizon_days: 90,
                paths: 20_000,
                seed: 42,
                tails: Tails::StudentT { degrees_of_freedom: 3.5 }
            }
        );
    }

    #[test]
    fn every_bad_field_is_named_and_nothing_runs() {
        let (scenario, market) = demo();
        let mut form = RiskForm::new(&market);
        form.paths = "0".into();
        form.seed = "-1".into();
        form.volatility_percent[1] = "lots".into();
        form.set_correlation(0, 1, "1.5".into());
        form.fat_tails = true;
        form.degrees_of_freedom = "2".into();
        form.two_percent_depth[0] = "-3".into();
        let problems = form.request(&scenario, &market).unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("2 % depth of WETH: \"-3\"")));
        assert!(problems[0].starts_with("Paths: \"0\""), "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("Volatility of wstETH")));
        assert!(problems.iter().any(|p| p.starts_with("Correlation of WETH and wstETH: \"1.5\"")));
        assert!(problems.iter().any(|p| p.starts_with("Degrees of freedom")));
    }

    #[test]
    fn a_decimal_comma_is_refused_not_read_as_ten_times_more() {
        let (scenario, market) = demo();
        let mut form = RiskForm::new(&market);
        form.two_percent_depth[0] = "2,5".into();
        form.paths = "1,5".into();
        let problems = form.request(&scenario, &market).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "Paths: \"1,5\" is not a whole number from 1 to 1000000".to_owned(),
                "2 % depth of WETH: \"2,5\": use a point for decimals, like 2.5".to_owned(),
            ]
        );
        // One comma between groups of three is a thousands separator for a depth in USD.
        form.two_percent_depth[0] = "1,000".into();
        form.paths = "1,000".into();
        let r = form.request(&scenario, &market).unwrap();
        assert_eq!(r.market.assets[0].depth, Some(MarketDepth::from_two_percent_depth(1_000.0)));
        assert_eq!(r.options.paths, 1_000);
    }

    #[test]
    fn figures_are_rounded_for_people() {
        assert_eq!(percent(0.0421349), "4.21 %");
        assert_eq!(usd(-1234567.4), "−$1,234,567");
        assert_eq!(usd(999.6), "$1,000");
        assert_eq!(usd(-0.2), "$0");
        assert_eq!(health_factor(f64::INFINITY), "∞ (no debt)");
        assert_eq!(trim_number(0.95), "0.95");
        assert_eq!(trim_number(-0.0), "0");
    }
}
