//! The planner's interest and composition charts: the health factor over
//! time from interest (with the day it reaches 1), a reserve's borrow-rate
//! curve with today's and the what-if's utilisation, and what the position
//! is made of. Every figure is the engine's; f64 only for plotting.

use ballast_core::aave_v3::interest_outlook::InterestOutlook;
use ballast_core::composition::AssetValue;
use ballast_core::exact::to_f64_lossy;
use num_rational::BigRational;
use serde_json::json;

use super::option::{
    category_axis, chart, dashed_marks, line, mark, plain_value_axis, point, value_axis, value_axis_from_zero,
};
use super::Drawing;

/// A value axis from `min` to `max`, named in the middle.
fn bounded_axis(name: &str, min: f64, max: f64) -> serde_json::Value {
    let mut axis = value_axis(name);
    axis["min"] = min.into();
    axis["max"] = max.into();
    axis
}

/// The health factor on each day, the liquidation line and, when interest
/// gets there within the outlook, the day it does. `data-marks` names that day.
pub fn health_over_time(outlook: &InterestOutlook) -> Drawing {
    let data: Vec<_> = outlook
        .health_factors
        .iter()
        .enumerate()
        .map(|(day, hf)| point(day as f64, hf.as_deref().and_then(|t| t.parse::<f64>().ok())))
        .collect();
    let liquidatable =
        outlook.days_until_liquidation.and_then(|day| mark(&format!("Liquidatable on day {day}"), "xAxis", day.into()));
    let marks = mark("Liquidation (HF 1)", "yAxis", 1.0).into_iter().chain(liquidatable).collect();
    let first = outlook.health_factors.first().map(|hf| format!("0,{}", hf.as_deref().unwrap_or("none")));
    let mut series = line("Health factor", data);
    series["markLine"] = dashed_marks(marks);
    let option = chart(
        bounded_axis("Days from today", 0.0, f64::from(outlook.days)),
        plain_value_axis("Health factor"),
        vec![series],
    );
    Drawing {
        option,
        points: outlook.health_factors.len(),
        first,
        marks: Some(outlook.days_until_liquidation.map_or_else(|| "none".to_owned(), |d| format!("day={d}"))),
    }
}

fn percent(r: &BigRational) -> f64 {
    to_f64_lossy(r) * 100.0
}

/// A reserve's variable borrow rate against utilisation, with today's
/// utilisation and the what-if's marked. `data-marks` lists both (percent).
pub fn rate_curve(
    asset: &str,
    curve: &[(BigRational, BigRational)],
    today: Option<&BigRational>,
    what_if: Option<&BigRational>,
) -> Drawing {
    let data = curve.iter().map(|(u, rate)| point(percent(u), Some(percent(rate)))).collect();
    let mut marks = Vec::new();
    let mut described = Vec::new();
    for (label, u) in [("Today", today), ("What-if", what_if)] {
        if let Some(u) = u {
            let at = percent(u);
            marks.extend(mark(&format!("{label} {at:.1} %"), "xAxis", at));
            described.push(format!("{}={}", label.to_lowercase(), ballast_core::exact::format_exact(u)));
        }
    }
    let y_axis = value_axis_from_zero(&format!("{asset} borrow rate (% a year)"));
    let mut series = line("Variable borrow rate", data);
    series["markLine"] = dashed_marks(marks);
    let option = chart(bounded_axis("Utilisation (%)", 0.0, 100.0), y_axis, vec![series]);
    Drawing { option, points: curve.len(), first: None, marks: Some(described.join(";")) }
}

/// Collateral and debt as two stacked bars, one segment per asset (USD).
pub fn composition(parts: &[AssetValue]) -> Drawing {
    let zero = BigRational::from_integer(0.into());
    let series: Vec<_> = parts
        .iter()
        .filter(|p| p.collateral != zero || p.debt != zero)
        .map(|part| {
            json!({
                "type": "bar",
                "name": part.asset,
                "stack": "value",
                "data": [to_f64_lossy(&part.collateral), to_f64_lossy(&part.debt)],
            })
        })
        .collect();
    let points = 2 * series.len();
    let mut option = chart(category_axis(&["Collateral", "Debt"]), plain_value_axis("USD"), series);
    option["legend"] = json!({});
    Drawing { option, points, first: None, marks: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(n.into(), d.into())
    }

    #[test]
    fn health_over_time_marks_the_day_interest_makes_the_position_liquidatable() {
        let outlook = InterestOutlook {
            days: 3,
            days_until_liquidation: Some(2),
            health_factors: vec![Some("1.02".into()), None, Some("0.99".into()), Some("0.98".into())],
            rates: vec![],
            points: vec![],
        };
        let drawing = health_over_time(&outlook);
        let series = &drawing.option["series"][0];
        assert_eq!(series["data"], json!([[0.0, 1.02], [1.0, "-"], [2.0, 0.99], [3.0, 0.98]]));
        assert_eq!(series["markLine"]["data"][1], json!({ "name": "Liquidatable on day 2", "xAxis": 2.0 }));
        assert_eq!(drawing.option["xAxis"]["max"], 3.0);
        assert_eq!(
            (drawing.points, drawing.first.as_deref(), drawing.marks.as_deref()),
            (4, Some("0,1.02"), Some("day=2"))
        );
    }

    #[test]
    fn the_rate_curve_is_in_percent_with_today_and_the_what_if_marked() {
        let curve = [(r(0, 1), r(0, 1)), (r(1, 2), r(3, 100)), (r(1, 1), r(3, 4))];
        let drawing = rate_curve("USDC", &curve, Some(&r(88, 100)), Some(&r(1, 1)));
        let series = &drawing.option["series"][0];
        assert_eq!(series["data"], json!([[0.0, 0.0], [50.0, 3.0], [100.0, 75.0]]));
        assert_eq!(
            series["markLine"]["data"],
            json!([{ "name": "Today 88.0 %", "xAxis": 88.0 }, { "name": "What-if 100.0 %", "xAxis": 100.0 }])
        );
        assert_eq!(drawing.option["yAxis"]["name"], "USDC borrow rate (% a year)");
        assert_eq!(drawing.marks.as_deref(), Some("today=0.88;what-if=1"));
        // No utilisation known: the marks are cleared, not left from the last drawing (setOption merges).
        let bare = rate_curve("USDC", &curve, None, None);
        assert_eq!(bare.option["series"][0]["markLine"]["data"], json!([]));
    }

    #[test]
    fn composition_stacks_one_bar_segment_per_asset_that_holds_value() {
        let parts = [
            AssetValue { asset: "WETH".into(), collateral: r(19500, 1), debt: r(0, 1) },
            AssetValue { asset: "DAI".into(), collateral: r(0, 1), debt: r(0, 1) },
            AssetValue { asset: "USDC".into(), collateral: r(0, 1), debt: r(800001, 100) },
        ];
        let drawing = composition(&parts);
        assert_eq!(
            drawing.option["series"],
            json!([
                { "type": "bar", "name": "WETH", "stack": "value", "data": [19500.0, 0.0] },
                { "type": "bar", "name": "USDC", "stack": "value", "data": [0.0, 8000.01] },
            ])
        );
        assert_eq!(drawing.option["xAxis"]["data"], json!(["Collateral", "Debt"]));
        assert_eq!(drawing.points, 4);
    }
}
