//! The Plan page's live results: the health factor, values, the assets table,
//! the liquidation preview and liquidation prices. Mounted once and updated in
//! place as the scenario changes: each figure is a memo of the value it shows,
//! so a slider move formats and writes only the figures that moved, and the
//! engine's per-asset extras (max borrow, the preview) are computed once per
//! change, not per cell.

use ballast_chain::price_status::VerdictBasis;
use ballast_core::aave_v3::AccountData;
use ballast_core::display::{
    format_fixed, format_liquidation_price, format_percent_toward_zero, group_exact, Rounding,
};
use ballast_core::exact::PlainDecimal;
use ballast_core::liquidation::Direction;
use ballast_core::scenario::Scenario;
use ballast_core::Report;
use leptos::prelude::*;
use num_rational::BigRational;

use super::model::{liquidation_preview, AssetRow, LiquidationPreview, PositionPlan};
use crate::components::{Figure, HealthFactor, OracleLagView, Term};
use crate::data_source::human_utc;

/// USD figures are shown with cents.
const USD_DECIMALS: u32 = 2;

fn usd(value: &BigRational, rounding: Rounding) -> String {
    format!("${}", format_fixed(value, USD_DECIMALS, rounding))
}

/// An exact decimal the engine printed (a USD value, a token amount) back to
/// a rational; nothing is lost.
fn exact_usd(text: &str) -> Option<BigRational> {
    PlainDecimal::parse(text).ok().map(|d| d.to_rational())
}

/// One liquidation price line as shown: its text and full-precision values.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineFigures {
    asset: String,
    direction: &'static str,
    price_value: String,
    price_shown: String,
    distance_value: String,
    distance_shown: String,
}

impl LineFigures {
    fn of(report: &Report, scenario: &Scenario) -> Vec<Self> {
        report
            .liquidation_prices
            .iter()
            .map(|line| {
                let current = scenario.asset(&line.asset).and_then(|(_, a)| a.price.as_ref()).map(|p| p.to_rational());
                let exact_distance = current.as_ref().and_then(|c| line.distance_from(c));
                LineFigures {
                    asset: line.asset.clone(),
                    direction: match line.direction {
                        Direction::Below => "falls below",
                        Direction::Above => "rises above",
                    },
                    price_value: line.price.clone(),
                    price_shown: format!("${}", format_liquidation_price(line, 4)),
                    distance_value: exact_distance.as_ref().map(ballast_core::exact::format_exact).unwrap_or_default(),
                    distance_shown: exact_distance
                        .as_ref()
                        .map(|d| format_percent_toward_zero(d, 1))
                        .unwrap_or_else(|| "—".to_owned()),
                }
            })
            .collect()
    }
}

/// The results of `report` (the engine's on `working`), while it has one.
#[component]
pub fn ReportView(
    plan: StoredValue<PositionPlan>,
    working: RwSignal<Scenario>,
    report: Memo<Option<Report>>,
    /// Whether the tables (assets, liquidation preview and prices) are shown.
    /// They come last, so the page paints the health factor and figures first
    /// and adds them a frame later without moving what is painted; their memos
    /// (max borrow per asset, the preview) are first computed then.
    tables: Signal<bool>,
) -> impl IntoView {
    let what_if = Memo::new(move |_| {
        working.with(|w| plan.with_value(|p| p.scenario.assets.iter().zip(&w.assets).any(|(a, b)| a.price != b.price)))
    });
    let price_kind =
        Memo::new(move |_| if what_if.get() { "what-if prices you set" } else { "the snapshot's saved prices" });
    // The oldest saved price dates the snapshot the verdict rests on.
    let basis = Memo::new(move |_| {
        Some(if what_if.get() { VerdictBasis::WhatIf } else { plan.with_value(PositionPlan::saved_basis) })
    });
    let report_field = move |f: fn(&Report) -> String| Memo::new(move |_| report.with(|r| r.as_ref().map(f)));
    let collateral_value = report_field(|r| r.collateral_value.clone());
    let debt_value = report_field(|r| r.debt_value.clone());
    let liquidatable = Memo::new(move |_| report.with(|r| r.as_ref().is_some_and(|r| r.liquidatable)));
    let shown_usd = move |value: Memo<Option<String>>, rounding: Rounding| {
        Signal::derive(move || {
            value.with(|v| v.as_deref().and_then(exact_usd).map(|v| usd(&v, rounding)).unwrap_or_default())
        })
    };
    let full = |value: Memo<Option<String>>| Signal::derive(move || value.get().unwrap_or_default());
    let account = Memo::new(move |_| report.with(|r| r.as_ref().and_then(|r| r.aave_v3)));

    // The rows and the per-asset extras (max borrow), once per change.
    let rows = Memo::new(move |_| working.with(|w| plan.with_value(|p| p.rows(w))));
    let has_max_borrow = Memo::new(move |_| rows.with(|rs| rs.iter().any(|r| r.max_borrow.is_some())));
    let row_keys = move || rows.with(|rs| rs.iter().map(|r| r.symbol.clone()).collect::<Vec<_>>());

    let preview = Memo::new(move |_| working.with(liquidation_preview));
    let has_preview = Memo::new(move |_| preview.with(Option::is_some));

    let lines = Memo::new(move |_| {
        report.with(|r| r.as_ref().map(|r| working.with(|w| LineFigures::of(r, w))).unwrap_or_default())
    });
    let has_lines = Memo::new(move |_| lines.with(|ls| !ls.is_empty()));
    let line_keys = move || lines.with(|ls| ls.iter().map(|l| l.asset.clone()).enumerate().collect::<Vec<_>>());

    view! {
        <div class="report">
            <HealthFactor report basis />
            <OracleLagView scenario=working price_kind />
            <div class="figures">
                <Figure
                    label="Collateral value"
                    shown=shown_usd(collateral_value, Rounding::Down)
                    value=full(collateral_value)
                    test_id="collateral-value"
                    term="collateral-value"
                    hint="Collateral that counts toward the health factor, at the prices shown (rounded down)."
                />
                <Figure
                    label="Debt value"
                    shown=shown_usd(debt_value, Rounding::Up)
                    value=full(debt_value)
                    test_id="debt-value"
                    term="debt-value"
                    hint="Everything owed, at the prices shown (rounded up)."
                />
                <Figure
                    label="Liquidatable now"
                    shown=Signal::derive(move || if liquidatable.get() { "Yes" } else { "No" }.to_owned())
                    value=Signal::derive(move || liquidatable.get().to_string())
                    test_id="liquidatable"
                    term="liquidatable"
                />
            </div>
            <Show when=move || account.with(Option::is_some)>
                <AaveAccount account />
            </Show>
            <Show when=move || tables.get()>
                <h3>"Assets"</h3>
                <table class="assets">
                    <thead>
                        <tr>
                            <th>"Asset"</th><th><Term id="collateral">"Collateral"</Term></th><th>"Debt"</th><th>"Price"</th><th>"Price saved · source"</th>
                            <Show when=move || has_max_borrow.get()>
                                <th title="The most the Pool would lend now, less 1 % for interest and price moves before it lands."><Term id="max-borrow">"Max borrow"</Term></th>
                            </Show>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=row_keys key=|symbol| symbol.clone() let:symbol>
                            <AssetRowView rows symbol has_max_borrow />
                        </For>
                    </tbody>
                </table>
                <Show
                    when=move || has_preview.get()
                    fallback=|| view! {
                        <p class="muted" data-testid="liquidation-preview-none">
                            "Not liquidatable at these prices. Move a price past its line below to preview a liquidation."
                        </p>
                    }
                >
                    <LiquidationPreviewView preview />
                </Show>
                <h3><Term id="liquidation-price">"Liquidation prices"</Term></h3>
                <p class="muted">"Each asset's price at which the health factor reaches 1, all other prices held; shown rounded toward today's price."</p>
                <Show when=move || has_lines.get() fallback=|| view! { <p class="muted">"No single price move can liquidate this position."</p> }>
                    <table class="lines">
                        <thead><tr><th>"Asset"</th><th>"Liquidated if it"</th><th>"Price"</th><th>"Move from today"</th></tr></thead>
                        <tbody>
                            <For each=line_keys key=|key| key.clone() let:((index, asset))>
                                <LineRowView lines index asset />
                            </For>
                        </tbody>
                    </table>
                </Show>
            </Show>
        </div>
    }
}

/// One asset's row, updated in place: each cell formats its value again only
/// when that value changed.
#[component]
fn AssetRowView(rows: Memo<Vec<AssetRow>>, symbol: String, has_max_borrow: Memo<bool>) -> impl IntoView {
    let sym = StoredValue::new(symbol.clone());
    let row = Memo::new(move |_| rows.with(|rs| sym.with_value(|s| rs.iter().find(|r| &r.symbol == s).cloned())));
    let field = move |f: fn(&AssetRow) -> Option<String>| Memo::new(move |_| row.with(|r| r.as_ref().and_then(f)));
    let collateral = field(|r| r.collateral.clone());
    let debt = field(|r| r.debt.clone());
    let max_borrow = field(|r| r.max_borrow.clone());
    let pricing = Memo::new(move |_| row.with(|r| r.as_ref().map(|r| (r.price.clone(), r.saved.clone(), r.what_if))));
    let price_texts = Memo::new(move |_| {
        pricing.with(|p| {
            let Some((price, saved, what_if)) = p else { return (String::new(), String::new()) };
            match (price, saved) {
                (Some(p), Some(saved)) if *what_if => (
                    format!("${}", group_exact(p.as_str())),
                    format!("what-if · saved {} at ${}", human_utc(&saved.updated_at), group_exact(saved.usd.as_str())),
                ),
                (Some(p), Some(saved)) => (
                    format!("${}", group_exact(p.as_str())),
                    format!("{} · {}", human_utc(&saved.updated_at), saved.source),
                ),
                (Some(p), None) => (format!("${}", group_exact(p.as_str())), "no saved price".to_owned()),
                (None, _) => ("par".to_owned(), "debt valued at par".to_owned()),
            }
        })
    });
    let what_if = move || pricing.with(|p| p.as_ref().is_some_and(|p| p.2));
    let price_value =
        move || pricing.with(|p| p.as_ref().and_then(|p| p.0.clone()).unwrap_or_else(|| "par".to_owned()));
    // Shown rounded down to 4 decimals; data-value keeps the exact amount.
    let max_borrow_shown = Memo::new(move |_| {
        max_borrow.with(|m| {
            m.as_deref().and_then(exact_usd).map_or_else(|| "—".to_owned(), |v| format_fixed(&v, 4, Rounding::Down))
        })
    });
    view! {
        <tr data-asset=symbol.clone() class:what-if=what_if>
            <td>{symbol.clone()}</td>
            <td class="num" data-testid="asset-collateral" data-value=move || collateral.get().unwrap_or_default()>
                {move || collateral.with(|c| c.as_deref().map(group_exact).unwrap_or_default())}
            </td>
            <td class="num" data-testid="asset-debt" data-value=move || debt.get().unwrap_or_default()>
                {move || debt.with(|d| d.as_deref().map(group_exact).unwrap_or_default())}
            </td>
            <td class="num" data-testid="asset-price" data-value=price_value>{move || price_texts.with(|t| t.0.clone())}</td>
            <td class="muted">{move || price_texts.with(|t| t.1.clone())}</td>
            <Show when=move || has_max_borrow.get()>
                <td class="num" data-testid="max-borrow" data-value=move || max_borrow.get().unwrap_or_default()>
                    {move || max_borrow_shown.get()}
                </td>
            </Show>
        </tr>
    }
}

/// One liquidation price line, updated in place.
#[component]
fn LineRowView(lines: Memo<Vec<LineFigures>>, index: usize, asset: String) -> impl IntoView {
    let line = Memo::new(move |_| lines.with(|ls| ls.get(index).cloned()));
    let text = move |f: fn(&LineFigures) -> String| move || line.with(|l| l.as_ref().map(f).unwrap_or_default());
    view! {
        <tr data-testid="liquidation-price" data-asset=asset.clone()>
            <td>{asset.clone()}</td>
            <td>{text(|l| l.direction.to_owned())}</td>
            <td class="num" data-value=text(|l| l.price_value.clone())>{text(|l| l.price_shown.clone())}</td>
            <td class="num" data-testid="liquidation-distance" data-value=text(|l| l.distance_value.clone())>
                {text(|l| l.distance_shown.clone())}
            </td>
        </tr>
    }
}

#[component]
fn AaveAccount(account: Memo<Option<AccountData>>) -> impl IntoView {
    fn percent(bps: alloy_primitives::U256) -> String {
        format!(
            "{} %",
            format_fixed(
                &(AccountData::bps_to_fraction(bps) * BigRational::from_integer(100.into())),
                2,
                Rounding::Down
            )
        )
    }
    let figure = move |f: fn(&AccountData) -> String| {
        Memo::new(move |_| account.with(|a| a.as_ref().map(f).unwrap_or_default()))
    };
    view! {
        <div class="figures aave" data-testid="aave-account">
            <Figure
                label="Max LTV"
                shown=figure(|a| percent(a.ltv))
                value=figure(|a| a.ltv.to_string())
                test_id="aave-ltv"
                term="ltv"
                hint="The Pool's weighted average loan-to-value, floored to basis points."
            />
            <Figure
                label="Liquidation threshold"
                shown=figure(|a| percent(a.current_liquidation_threshold))
                value=figure(|a| a.current_liquidation_threshold.to_string())
                test_id="aave-threshold"
                term="liquidation-threshold"
                hint="The Pool's weighted average liquidation threshold, floored to basis points."
            />
            <Figure
                label="Available to borrow"
                shown=figure(|a| usd(&AccountData::base_to_usd(a.available_borrows_base), Rounding::Down))
                value=figure(|a| a.available_borrows_base.to_string())
                test_id="aave-available-borrows"
                term="available-to-borrow"
                hint="getUserAccountData's availableBorrowsBase, in USD."
            />
        </div>
    }
}

/// What a liquidator would do now (shown while there is a preview).
#[component]
fn LiquidationPreviewView(preview: Memo<Option<LiquidationPreview>>) -> impl IntoView {
    fn tokens(text: &str) -> String {
        exact_usd(text).map_or_else(String::new, |v| format_fixed(&v, 6, Rounding::Down))
    }
    let text = move |f: fn(&LiquidationPreview) -> String| {
        Memo::new(move |_| preview.with(|p| p.as_ref().map(f).unwrap_or_default()))
    };
    let after_value = text(|p| p.health_factor_after.clone().unwrap_or_else(|| "none".to_owned()));
    let after_shown = text(|p| {
        p.health_factor_after
            .as_deref()
            .and_then(exact_usd)
            .map_or_else(|| "∞ (no debt left)".to_owned(), |hf| format_fixed(&hf, 2, Rounding::Down))
    });
    let repay_up_to = text(|p| {
        format!("A liquidator may repay up to {} % of the {} debt (the ", p.close_factor_percent, p.debt_asset)
    });
    let seize = text(|p| format!(") and seize {} with a {} % ", p.collateral_asset, p.bonus_percent));
    view! {
        <section class="liquidation-preview" data-testid="liquidation-preview">
            <h3><Term id="liquidation-preview">"Liquidation preview"</Term></h3>
            <p>
                {move || repay_up_to.get()}
                <Term id="close-factor">"close factor"</Term>
                {move || seize.get()}
                <Term id="liquidation-bonus">"liquidation bonus"</Term>
                "."
            </p>
            <div class="figures">
                <Figure
                    label="Debt repaid"
                    shown=text(|p| format!("{} {}", tokens(&p.debt_repaid), p.debt_asset))
                    value=text(|p| p.debt_repaid.clone())
                    test_id="preview-debt-repaid"
                />
                <Figure
                    label="Collateral seized"
                    shown=text(|p| format!("{} {}", tokens(&p.collateral_seized), p.collateral_asset))
                    value=text(|p| p.collateral_seized.clone())
                    test_id="preview-collateral-seized"
                    hint="What the liquidator receives, the bonus included (the protocol's fee is taken out)."
                />
                <Figure label="Health factor after" shown=after_shown value=after_value test_id="preview-health-factor-after" />
            </div>
        </section>
    }
}
