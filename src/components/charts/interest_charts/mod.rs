//! The planner's interest and composition charts: the health factor over
//! time from interest (with the day it reaches 1), a reserve's borrow-rate
//! curve with today's and the what-if's utilisation, and what the position
//! is made of. Every figure is the engine's; f64 only for plotting.

use ballast_core::aave_v3::interest_outlook::InterestOutlook;
use ballast_core::composition::AssetValue;
use ballast_core::exact::to_f64_lossy;
use charming::component::{Axis, Legend};
use charming::element::{
    AxisType, Label, LabelPosition, LineStyle, LineStyleType, MarkLine, MarkLineData, MarkLineVariant, NameLocation,
    Symbol, Tooltip, Trigger,
};
use charming::series::{Bar, Line};
use charming::{val, Chart};
use num_rational::BigRational;

use super::Drawing;

fn dashed_marks(marks: Vec<MarkLineVariant>) -> MarkLine {
    MarkLine::new()
        .silent(true)
        .symbol(vec![Symbol::None, Symbol::None])
        .label(Label::new().formatter("{b}").position(LabelPosition::InsideEndTop))
        .line_style(LineStyle::new().type_(LineStyleType::Dashed))
        .data(marks)
}

fn value_axis(name: &str) -> Axis {
    Axis::new().type_(AxisType::Value).name(name).name_location(NameLocation::Middle).name_gap(28)
}

fn base_chart() -> Chart {
    Chart::new().background_color("transparent").animation(false).tooltip(Tooltip::new().trigger(Trigger::Axis))
}

/// The health factor on each day, the liquidation line and, when interest
/// gets there within the outlook, the day it does. `data-marks` names that day.
pub fn health_over_time(outlook: &InterestOutlook) -> Drawing {
    let data: Vec<_> = outlook
        .health_factors
        .iter()
        .enumerate()
        .map(|(day, hf)| {
            let hf = hf.as_deref().and_then(|t| t.parse::<f64>().ok());
            hf.map_or_else(|| val![day as f64, "-"], |hf| val![day as f64, hf])
        })
        .collect();
    let mut marks = vec![MarkLineVariant::Simple(MarkLineData::new().name("Liquidation (HF 1)").y_axis(1))];
    if let Some(day) = outlook.days_until_liquidation {
        marks.push(MarkLineVariant::Simple(
            MarkLineData::new().name(format!("Liquidatable on day {day}")).x_axis(f64::from(day)),
        ));
    }
    let first = outlook.health_factors.first().map(|hf| format!("0,{}", hf.as_deref().unwrap_or("none")));
    let chart = base_chart()
        .x_axis(value_axis("Days from today").min(0).max(f64::from(outlook.days)))
        .y_axis(Axis::new().type_(AxisType::Value).name("Health factor"))
        .series(Line::new().name("Health factor").show_symbol(false).data(data).mark_line(dashed_marks(marks)));
    Drawing {
        chart,
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
    let data: Vec<_> = curve.iter().map(|(u, rate)| val![percent(u), percent(rate)]).collect();
    let mut marks = Vec::new();
    let mut described = Vec::new();
    for (label, u) in [("Today", today), ("What-if", what_if)] {
        if let Some(u) = u {
            let at = percent(u);
            marks.push(MarkLineVariant::Simple(MarkLineData::new().name(format!("{label} {at:.1} %")).x_axis(at)));
            described.push(format!("{}={}", label.to_lowercase(), ballast_core::exact::format_exact(u)));
        }
    }
    let chart = base_chart()
        .x_axis(value_axis("Utilisation (%)").min(0).max(100))
        .y_axis(Axis::new().type_(AxisType::Value).name(format!("{asset} borrow rate (% a year)")).min(0))
        .series(Line::new().name("Variable borrow rate").show_symbol(false).data(data).mark_line(dashed_marks(marks)));
    Drawing { chart, points: curve.len(), first: None, marks: Some(described.join(";")) }
}

/// Collateral and debt as two stacked bars, one segment per asset (USD).
pub fn composition(parts: &[AssetValue]) -> Drawing {
    let mut chart = base_chart()
        .legend(Legend::new())
        .x_axis(Axis::new().type_(AxisType::Category).data(vec!["Collateral", "Debt"]))
        .y_axis(Axis::new().type_(AxisType::Value).name("USD"));
    let zero = BigRational::from_integer(0.into());
    let mut points = 0;
    for part in parts.iter().filter(|p| p.collateral != zero || p.debt != zero) {
        chart = chart.series(
            Bar::new()
                .name(part.asset.as_str())
                .stack("value")
                .data(vec![to_f64_lossy(&part.collateral), to_f64_lossy(&part.debt)]),
        );
        points += 2;
    }
    Drawing { chart, points, first: None, marks: None }
}
