//! ECharts options as JSON: the pieces every chart shares. The look is the
//! one the charts have always had: transparent on the dark theme, no
//! animation, an axis tooltip, value axes named in the middle, dashed
//! labelled marker lines. Numbers arrive as f64 for plotting only.

use serde_json::{json, Value};

/// A chart with one x axis, one y axis and its series.
pub fn chart(x_axis: Value, y_axis: Value, series: Vec<Value>) -> Value {
    json!({
        "backgroundColor": "transparent",
        "animation": false,
        "tooltip": { "trigger": "axis" },
        "xAxis": x_axis,
        "yAxis": y_axis,
        "series": series,
    })
}

/// A value axis named `name`, the name centred under (or beside) it.
pub fn value_axis(name: &str) -> Value {
    json!({ "type": "value", "name": name, "nameLocation": "middle", "nameGap": 28 })
}

/// A value axis whose name sits at its end (ECharts' default).
pub fn plain_value_axis(name: &str) -> Value {
    json!({ "type": "value", "name": name })
}

/// A value axis from 0, its name at its end.
pub fn value_axis_from_zero(name: &str) -> Value {
    json!({ "type": "value", "name": name, "min": 0 })
}

/// A category axis of `labels`.
pub fn category_axis(labels: &[&str]) -> Value {
    json!({ "type": "category", "data": labels })
}

/// A line without point symbols.
pub fn line(name: &str, data: Vec<Value>) -> Value {
    json!({ "type": "line", "name": name, "showSymbol": false, "data": data })
}

/// One (x, y) point; no `y` (or one that is not a finite number) is a gap,
/// which ECharts spells "-".
pub fn point(x: f64, y: Option<f64>) -> Value {
    match y.filter(|y| y.is_finite()) {
        Some(y) => json!([x, y]),
        None => json!([x, "-"]),
    }
}

/// A dashed vertical (`"xAxis"`) or horizontal (`"yAxis"`) marker line at
/// `at`, labelled `name`; none when `at` is not a finite number.
pub fn mark(name: &str, axis: &str, at: f64) -> Option<Value> {
    at.is_finite().then(|| json!({ "name": name, axis: at }))
}

/// A series' marker lines: dashed, labelled at their end, not interactive.
pub fn dashed_marks(marks: Vec<Value>) -> Value {
    json!({
        "silent": true,
        "symbol": ["none", "none"],
        "label": { "formatter": "{b}", "position": "insideEndTop" },
        "lineStyle": { "type": "dashed" },
        "data": marks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_without_a_finite_value_is_a_gap() {
        assert_eq!(point(3.0, Some(1.25)), json!([3.0, 1.25]));
        assert_eq!(point(3.0, None), json!([3.0, "-"]));
        assert_eq!(point(3.0, Some(f64::INFINITY)), json!([3.0, "-"]));
        assert_eq!(point(3.0, Some(f64::NAN)), json!([3.0, "-"]));
    }

    #[test]
    fn a_mark_sits_on_the_named_axis_and_only_at_a_number() {
        assert_eq!(mark("Today", "xAxis", 3000.5), Some(json!({ "name": "Today", "xAxis": 3000.5 })));
        assert_eq!(
            mark("Liquidation (HF 1)", "yAxis", 1.0),
            Some(json!({ "name": "Liquidation (HF 1)", "yAxis": 1.0 }))
        );
        assert_eq!(mark("Today", "xAxis", f64::NAN), None);
    }
}
