//! The rate what-if on an Aave position: a reserve's utilisation moved by a
//! slider (its strategy then gives the rates), the health factor over time
//! from interest with the day it reaches 1, and the reserve's rate curve
//! with today's and the what-if's utilisation. Everything from the engine's
//! `interest_outlook`; the charts and figures follow the scenario in a task
//! of their own, never in the slider's input.

use ballast_core::aave_v3::interest_outlook::{
    borrow_rate_curve, current_utilisation, interest_outlook, with_utilisation, InterestOutlook, DEFAULT_DAYS,
};
use ballast_core::display::{format_fixed, Rounding};
use ballast_core::exact::PlainDecimal;
use ballast_core::scenario::Scenario;
use ballast_core::Protocol;
use leptos::prelude::*;
use num_rational::BigRational;

use super::model::PositionPlan;
use super::Edit;
use crate::components::charts::interest_charts::{health_over_time, rate_curve};
use crate::components::charts::{use_throttled, LazyChart, CHART_FOLLOW_INTERVAL};
use crate::components::{Figure, Term};

/// Points on a rate curve: every whole percent of utilisation.
const CURVE_STEPS: u32 = 100;

/// Reserves whose utilisation can be moved: a strategy and both totals.
pub fn rate_reserves(s: &Scenario) -> Vec<String> {
    s.assets
        .iter()
        .filter(|a| a.rate_strategy.is_some() && a.total_supplied.is_some() && a.total_borrowed.is_some())
        .map(|a| a.symbol.clone())
        .collect()
}

/// The reserve a rate what-if starts on: the largest debt with a strategy.
fn first_reserve(s: &Scenario) -> Option<String> {
    let movable = rate_reserves(s);
    let largest_debt = s
        .debt
        .iter()
        .filter(|h| movable.contains(&h.asset))
        .filter_map(|h| {
            let price = s.asset(&h.asset)?.1.price.as_ref()?.to_rational();
            Some((h.amount.to_rational() * price, h.asset.clone()))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, asset)| asset);
    largest_debt.or_else(|| movable.into_iter().next())
}

/// A utilisation as a whole percent for the slider (nearest).
pub fn slider_utilisation(u: &BigRational) -> i32 {
    (u * BigRational::from_integer(100.into())).round().to_integer().try_into().unwrap_or(0)
}

fn percent_text(fraction: &str, decimals: u32, rounding: Rounding) -> String {
    PlainDecimal::parse(fraction).map_or_else(
        |_| "—".to_owned(),
        |d| {
            format!(
                "{} %",
                format_fixed(&(d.to_rational() * BigRational::from_integer(100.into())), decimals, rounding)
            )
        },
    )
}

#[component]
pub fn InterestPanel(plan: StoredValue<PositionPlan>, edit: Edit) -> impl IntoView {
    let working = edit.working;
    let is_aave = move || working.with(|w| matches!(w.protocol, Protocol::Aave(_)));
    let reserves = Memo::new(move |_| working.with(rate_reserves));
    let asset = RwSignal::new(working.with_untracked(first_reserve).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let slider = Memo::new(move |_| {
        asset.with(|a| working.with(|w| current_utilisation(w, a)).map(|u| slider_utilisation(&u)).unwrap_or(0))
    });
    // True when the engine took the move; a refused one changes nothing.
    let set_utilisation = move |percent: u32| -> bool {
        let u = PlainDecimal::parse(&format!("{}.{:02}", percent / 100, percent % 100));
        let symbol = asset.get_untracked();
        match u
            .map_err(|e| e.to_string())
            .and_then(|u| working.with_untracked(|w| with_utilisation(w, &symbol, &u)).map_err(|e| e.to_string()))
        {
            Ok(next) => {
                edit.commit(next, Some(format!("utilisation:{symbol}")));
                error.set(None);
                true
            }
            Err(problem) => {
                error.set(Some(problem));
                false
            }
        }
    };
    // The outlook is a year of daily steps: it follows the scenario at most
    // every CHART_FOLLOW_INTERVAL, off the input's path.
    let followed: Signal<Scenario> = use_throttled(working.into(), CHART_FOLLOW_INTERVAL);
    let outlook = Memo::new(move |_| {
        followed.with(|s| {
            if matches!(s.protocol, Protocol::Aave(_)) {
                interest_outlook(s, DEFAULT_DAYS).map_err(|e| e.to_string())
            } else {
                Err("interest is projected for Aave V3 positions".to_owned())
            }
        })
    });
    let hf_chart = Signal::derive(move || {
        outlook
            .with(|o| o.as_ref().map(health_over_time).map_err(|e| format!("The engine could not project this: {e}")))
    });
    let curve_chart = Signal::derive(move || {
        let symbol = asset.get();
        let today = plan.with_value(|p| current_utilisation(&p.scenario, &symbol));
        followed.with(|s| {
            let (_, a) = s.asset(&symbol).ok_or_else(|| format!("{symbol} is not listed"))?;
            let strategy = a.rate_strategy.as_ref().ok_or_else(|| format!("{symbol} has no rate strategy"))?;
            let now = current_utilisation(s, &symbol);
            let what_if = now.filter(|n| Some(n) != today.as_ref());
            let curve = borrow_rate_curve(strategy, CURVE_STEPS);
            Ok(rate_curve(&symbol, &curve, today.as_ref(), what_if.as_ref()))
        })
    });
    let rate_line = move || {
        let symbol = asset.get();
        outlook.with(|o| o.as_ref().ok().and_then(|o| o.rates.iter().find(|r| r.asset == symbol).cloned()))
    };
    let outlook_figures = move || outlook.with(|o| o.as_ref().ok().map(OutlookFigures::from));

    view! {
        <Show when=is_aave>
            <section class="what-if interest" aria-label="What if rates move" data-testid="interest-panel">
                <h3>"What if rates move?"</h3>
                <p class="muted">
                    "Interest alone, prices held: debt grows at its borrow rate and collateral at its supply rate, "
                    "compounded daily as the Pool does. A reserve's rate follows its "
                    <Term id="interest-rate-strategy">"interest-rate strategy"</Term>
                    " from its "
                    <Term id="utilisation">"utilisation"</Term>
                    "."
                </p>
                <Show
                    when=move || reserves.with(|r| !r.is_empty())
                    fallback=|| view! { <p class="muted" data-testid="no-rate-strategy">"No reserve here has a rate strategy with its totals, so its utilisation cannot be moved; stated rates are projected as they are."</p> }
                >
                    <div class="price-control rate-control">
                        <select
                            aria-label="Reserve whose utilisation to move"
                            data-testid="rate-asset"
                            prop:value=move || asset.get()
                            on:change=move |ev| {
                                asset.set(event_target_value(&ev));
                                error.set(None);
                            }
                        >
                            {move || reserves.get().into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                        </select>
                        <input
                            type="range"
                            min="0"
                            max="100"
                            step="1"
                            aria-label=move || format!("{} utilisation (%)", asset.get())
                            data-testid="utilisation-slider"
                            prop:value=move || slider.get().to_string()
                            on:input=move |ev| {
                                let taken = event_target_value(&ev).parse::<u32>().is_ok_and(set_utilisation);
                                if !taken {
                                    // The slider goes back to the utilisation in use.
                                    event_target::<web_sys::HtmlInputElement>(&ev).set_value(&slider.get_untracked().to_string());
                                }
                            }
                        />
                        <span class="price-move" data-testid="utilisation-percent" data-value=move || slider.get().to_string()>
                            {move || format!("{} % used", slider.get())}
                        </span>
                        <span class="field-error" role="alert" data-testid="utilisation-error">{move || error.get().unwrap_or_default()}</span>
                    </div>
                </Show>
                {move || {
                    let line = rate_line();
                    let utilisation = line.as_ref().and_then(|l| l.utilisation.clone());
                    let borrow = line.as_ref().map(|l| l.variable_borrow_rate.clone());
                    let supply = line.as_ref().map(|l| l.supply_rate.clone());
                    view! {
                        <div class="figures" data-asset=asset.get_untracked()>
                            <Figure
                                label="Utilisation"
                                shown=utilisation.as_deref().map_or_else(|| "—".to_owned(), |u| percent_text(u, 2, Rounding::Down))
                                value=utilisation.unwrap_or_default()
                                test_id="rate-utilisation"
                                term="utilisation"
                            />
                            <Figure
                                label="Borrow rate"
                                shown=borrow.as_deref().map_or_else(|| "—".to_owned(), |r| percent_text(r, 2, Rounding::Up))
                                value=borrow.unwrap_or_default()
                                test_id="rate-borrow"
                                hint="Variable borrow rate a year (APR), rounded up."
                            />
                            <Figure
                                label="Supply rate"
                                shown=supply.as_deref().map_or_else(|| "—".to_owned(), |r| percent_text(r, 2, Rounding::Down))
                                value=supply.unwrap_or_default()
                                test_id="rate-supply"
                                hint="What suppliers earn a year (APR), rounded down."
                            />
                        </div>
                    }
                }}
                {move || outlook_figures().map(|f| view! {
                    <div class="figures">
                        <Figure
                            label="Liquidatable from interest"
                            shown=f.days_shown
                            value=f.days_value
                            test_id="days-to-liquidation"
                            term="liquidatable"
                            hint="The first day interest alone, prices held, takes the health factor under 1."
                        />
                        <Figure
                            label="Health factor in a year"
                            shown=f.year_shown
                            value=f.year_value
                            test_id="hf-in-a-year"
                            term="health-factor"
                            hint="After 365 days of interest at today's rates, prices held (rounded down)."
                        />
                    </div>
                })}
                <span class="field-error" role="alert" data-testid="outlook-error">
                    {move || outlook.with(|o| o.as_ref().err().cloned()).unwrap_or_default()}
                </span>
                <div class="charts">
                    <LazyChart
                        id="hf-time-chart"
                        test_id="hf-time-chart"
                        title="Health factor over the next year from interest alone; the dashed lines mark HF 1 and the day it is reached."
                        aria_label="Health factor over time"
                        chart=hf_chart
                    />
                    <Show when=move || reserves.with(|r| !r.is_empty())>
                        <LazyChart
                            id="rate-curve-chart"
                            test_id="rate-curve-chart"
                            title="The reserve's borrow rate at each utilisation, today's and the what-if's marked."
                            aria_label="Borrow rate against utilisation"
                            chart=curve_chart
                        />
                    </Show>
                </div>
            </section>
        </Show>
    }
}

/// The outlook's figures as shown (rounded to safety) and exact.
struct OutlookFigures {
    days_shown: String,
    days_value: String,
    year_shown: String,
    year_value: String,
}

impl From<&InterestOutlook> for OutlookFigures {
    fn from(o: &InterestOutlook) -> Self {
        let (days_shown, days_value) = match o.days_until_liquidation {
            Some(0) => ("now".to_owned(), "0".to_owned()),
            Some(d) => (format!("in {d} days"), d.to_string()),
            None => (format!("not within {} days", o.days), "none".to_owned()),
        };
        let last = o.health_factors.last().cloned().flatten();
        let year_shown = last
            .as_deref()
            .and_then(|t| PlainDecimal::parse(t).ok())
            .map_or_else(|| "∞".to_owned(), |hf| format_fixed(&hf.to_rational(), 2, Rounding::Down));
        Self { days_shown, days_value, year_shown, year_value: last.unwrap_or_else(|| "none".to_owned()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_starts_on_its_largest_borrowed_reserve_and_rounds_the_slider() {
        let snapshot = ballast_core::Snapshot::parse(include_str!("../../../public/snapshot.json")).unwrap();
        let s = snapshot.scenario("aave-demo").unwrap();
        assert_eq!(rate_reserves(&s), ["WETH", "wstETH", "WBTC", "USDC", "DAI"]);
        // 18000 USDC against 4500 DAI.
        assert_eq!(first_reserve(&s).as_deref(), Some("USDC"));
        assert_eq!(slider_utilisation(&current_utilisation(&s, "USDC").unwrap()), 88);
        assert_eq!(slider_utilisation(&BigRational::new(1245.into(), 10_000.into())), 12);
        let o = interest_outlook(&s, 365).unwrap();
        let f = OutlookFigures::from(&o);
        assert_eq!((f.days_value.as_str(), f.days_shown.as_str()), ("none", "not within 365 days"));
        assert_eq!(f.year_value, o.health_factors[365].clone().unwrap());
    }
}
