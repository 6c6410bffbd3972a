//! Daily price history from Pyth's history API:
//! `GET {endpoint}/history?symbol=Crypto.ETH%2FUSD&from=…&to=…&resolution=D`,
//! the endpoint being a channel root such as [`PYTH_HISTORY_ENDPOINT`]
//! (`https://pyth.dourolabs.app/v1/real_time`). Since the Pyth Core upgrade
//! (26 Aug 2026) it asks for the user's API key as `Authorization: Bearer`
//! (see [`crate::pyth_access`]); the key never goes in the URL built here.
//!
//! The service speaks TradingView's UDF: `{"s":"ok","t":[…],"o":[…],"h":[…],"l":[…],"c":[…],"v":[…]}`,
//! one entry per bar in each array, `t` the bar's opening time in Unix
//! seconds (00:00 UTC for a daily bar), prices as JSON numbers; empty arrays
//! (or `"s":"no_data"`) when the range holds no bar and `"s":"error"` with an
//! `errmsg`. Only `t` and `c` are used: the risk engine estimates from daily closes.
//!
//! The benchmarks TradingView shim ([`RETIRED_BENCHMARKS_ENDPOINT`]) that
//! served the same UDF is retired; saved settings naming it are moved to the
//! new default when read. An endpoint that already ends in `/history` is used
//! as it is.
//!
//! Closes are statistics inputs (f64), never protocol amounts.

use ballast_core::risk::history::PriceHistory;
use serde::Deserialize;

/// Pyth's history API, real-time channel: the default endpoint.
pub const PYTH_HISTORY_ENDPOINT: &str = "https://pyth.dourolabs.app/v1/real_time";
/// Pyth's benchmarks service, whose TradingView shim was the history
/// endpoint until it was retired; kept only to recognise old saved settings.
pub const RETIRED_BENCHMARKS_ENDPOINT: &str = "https://benchmarks.pyth.network";
/// The history path under a channel root such as [`PYTH_HISTORY_ENDPOINT`].
pub const HISTORY_PATH: &str = "/history";
/// Largest body read: a year of daily bars is about 30 KB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most bars read from one body (ten years of days).
pub const MAX_BARS: usize = 3660;
/// Fewest common closes a history needs: volatility from fewer is noise.
pub const MIN_CLOSES: usize = 30;
/// Seconds in a UTC day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// The Pyth symbol whose history stands for each asset Ballast knows.
/// Wrapped and bridged tokens that Pyth prices on their own (WBTC, wstETH)
/// use their own feed; WETH and ETH share ether's.
pub const PYTH_HISTORY_SYMBOLS: [(&str, &str); 8] = [
    ("WETH", "Crypto.ETH/USD"),
    ("ETH", "Crypto.ETH/USD"),
    ("wstETH", "Crypto.WSTETH/USD"),
    ("WBTC", "Crypto.WBTC/USD"),
    ("LINK", "Crypto.LINK/USD"),
    ("USDC", "Crypto.USDC/USD"),
    ("USDT", "Crypto.USDT/USD"),
    ("DAI", "Crypto.DAI/USD"),
];

/// The Pyth symbol of `asset`'s history, if Ballast knows one.
pub fn pyth_history_symbol(asset: &str) -> Option<&'static str> {
    PYTH_HISTORY_SYMBOLS.iter().find(|(a, _)| *a == asset).map(|(_, s)| *s)
}

/// Why a history request cannot be built or its answer used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryError {
    #[error("{0:?} is not an http(s) endpoint without query or fragment")]
    BadEndpoint(String),
    #[error("{0:?} is not a Pyth symbol (e.g. Crypto.ETH/USD)")]
    BadSymbol(String),
    #[error("no Pyth history is known for {0}")]
    UnknownAsset(String),
    #[error("the range {from}..{to} is empty or reversed")]
    BadRange { from: i64, to: i64 },
    #[error("{symbol}: the body is {len} bytes, more than the {MAX_BODY_BYTES} read")]
    TooLarge { symbol: String, len: usize },
    #[error("{symbol}: the body is not a TradingView history: {reason}")]
    Malformed { symbol: String, reason: String },
    #[error("{symbol}: the service answered {status:?}{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Status { symbol: String, status: String, message: Option<String> },
    #[error("{symbol}: the service has no daily bar in the range asked for")]
    NoData { symbol: String },
    #[error("{symbol}: {len_t} times but {len_c} closes")]
    Ragged { symbol: String, len_t: usize, len_c: usize },
    #[error("{symbol}: more than {MAX_BARS} bars")]
    TooManyBars { symbol: String },
    #[error("{symbol}: bar {index} opens at {time}, not at 00:00 UTC after the bar before it")]
    BadTime { symbol: String, index: usize, time: i64 },
    #[error("{symbol}: the close of {date} is {close}; a close must be a positive price")]
    BadClose { symbol: String, date: String, close: f64 },
    #[error("the assets' histories share only {common} days; at least {MIN_CLOSES} are needed")]
    TooShort { common: usize },
}

/// One symbol's daily closes, oldest first, each on its UTC day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyCloses {
    pub symbol: String,
    /// Days since 1970-01-01 (UTC), strictly increasing.
    pub days: Vec<i64>,
    pub closes: Vec<f64>,
}

/// The history URL of `symbol`'s daily bars opening in `from..=to` (Unix
/// seconds) at `endpoint`: a channel root (e.g. [`PYTH_HISTORY_ENDPOINT`]),
/// or a full history path ending in `/history`. The symbol's `/` is
/// percent-encoded; the API key is not part of it (it goes in a header).
pub fn daily_history_url(endpoint: &str, symbol: &str, from: i64, to: i64) -> Result<String, HistoryError> {
    let base = endpoint.trim().trim_end_matches('/');
    let rest = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://"));
    let host_ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.ends_with(':'));
    if !host_ok || base.contains(['?', '#', ' ', '&']) {
        return Err(HistoryError::BadEndpoint(endpoint.chars().take(200).collect()));
    }
    let symbol_ok = !symbol.is_empty()
        && symbol.len() <= 64
        && symbol.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'-' | b'_'));
    if !symbol_ok {
        return Err(HistoryError::BadSymbol(symbol.chars().take(80).collect()));
    }
    if from > to || from < 0 {
        return Err(HistoryError::BadRange { from, to });
    }
    let path = if base.ends_with(HISTORY_PATH) { "" } else { HISTORY_PATH };
    // The slash percent-encoded, as a query value should be.
    let symbol = symbol.replace('/', "%2F");
    Ok(format!("{base}{path}?symbol={symbol}&from={from}&to={to}&resolution=D"))
}

/// The range of a year of complete daily bars before `now` (Unix seconds):
/// from 366 days before today's 00:00 UTC to just before it, so today's
/// unfinished bar is left out.
pub fn last_year(now: i64) -> (i64, i64) {
    let today = now.div_euclid(SECONDS_PER_DAY) * SECONDS_PER_DAY;
    (today - 366 * SECONDS_PER_DAY, today - 1)
}

#[derive(Deserialize)]
struct Body {
    s: String,
    #[serde(default)]
    errmsg: Option<String>,
    #[serde(default)]
    t: Option<Vec<i64>>,
    #[serde(default)]
    c: Option<Vec<f64>>,
}

/// The daily closes in a history body for `symbol`. Every bar must open at
/// 00:00 UTC, after the one before it; every close must be a positive
/// number. A missing day is allowed ([`aligned_histories`] carries the previous close forward).
pub fn parse_daily_history(body: &str, symbol: &str) -> Result<DailyCloses, HistoryError> {
    let named = || symbol.chars().take(80).collect::<String>();
    if body.len() > MAX_BODY_BYTES {
        return Err(HistoryError::TooLarge { symbol: named(), len: body.len() });
    }
    let parsed: Body =
        serde_json::from_str(body).map_err(|e| HistoryError::Malformed { symbol: named(), reason: e.to_string() })?;
    if parsed.s != "ok" {
        return Err(HistoryError::Status {
            symbol: named(),
            status: parsed.s.chars().take(40).collect(),
            message: parsed.errmsg.map(|m| m.chars().take(200).collect()),
        });
    }
    let (times, closes) = match (parsed.t, parsed.c) {
        (Some(t), Some(c)) => (t, c),
        _ => return Err(HistoryError::Malformed { symbol: named(), reason: "no `t` or no `c`".into() }),
    };
    if times.len() != closes.len() {
        return Err(HistoryError::Ragged { symbol: named(), len_t: times.len(), len_c: closes.len() });
    }
    if times.is_empty() {
        return Err(HistoryError::NoData { symbol: named() });
    }
    if times.len() > MAX_BARS {
        return Err(HistoryError::TooManyBars { symbol: named() });
    }
    let mut days = Vec::with_capacity(times.len());
    for (index, (&time, &close)) in times.iter().zip(&closes).enumerate() {
        let day = time.div_euclid(SECONDS_PER_DAY);
        let after_previous = days.last().is_none_or(|&previous| day > previous);
        if time.rem_euclid(SECONDS_PER_DAY) != 0 || !after_previous {
            return Err(HistoryError::BadTime { symbol: named(), index, time });
        }
        if !(close.is_finite() && close > 0.0) {
            return Err(HistoryError::BadClose { symbol: named(), date: date_of_day(day), close });
        }
        days.push(day);
    }
    Ok(DailyCloses { symbol: symbol.to_owned(), days, closes })
}

/// Each asset's history, one close a day over the span every series covers
/// (from the latest first day to the earliest last day), in the order given:
/// `(asset, its closes)`. A day missing from a series inside the span takes
/// that series' previous close: a two-day move then counts as a day of 0 and a
/// day of the whole move, which sums the variance right, where dropping the day
/// counted a two-day move as one day's and overstated the volatility. `source`
/// names the service. A span of fewer than [`MIN_CLOSES`] days is an error.
pub fn aligned_histories(series: &[(&str, &DailyCloses)], source: &str) -> Result<Vec<PriceHistory>, HistoryError> {
    let span = series.iter().try_fold(None::<(i64, i64)>, |span, (_, s)| {
        let (&first, &last) = (s.days.first()?, s.days.last()?);
        Some(Some(span.map_or((first, last), |(a, b): (i64, i64)| (a.max(first), b.min(last)))))
    });
    let Some(Some((first_day, last_day))) = span else { return Err(HistoryError::TooShort { common: 0 }) };
    let days = usize::try_from(last_day - first_day + 1).unwrap_or(0);
    if days < MIN_CLOSES {
        return Err(HistoryError::TooShort { common: days });
    }
    Ok(series
        .iter()
        .map(|(asset, s)| {
            // The close on or before each day of the span (the first day is in every series).
            let mut filled = 0usize;
            let closes: Vec<f64> = (first_day..=last_day)
                .map(|day| match s.days.binary_search(&day) {
                    Ok(k) => s.closes[k],
                    Err(k) => {
                        filled += 1;
                        s.closes[k.saturating_sub(1)]
                    }
                })
                .collect();
            let carried = match filled {
                0 => String::new(),
                1 => ", 1 missing close carried forward".to_owned(),
                n => format!(", {n} missing closes carried forward"),
            };
            PriceHistory {
                symbol: (*asset).to_owned(),
                source: format!(
                    "{source}: {}, {days} daily closes from {} to {}{carried}",
                    s.symbol,
                    date_of_day(first_day),
                    date_of_day(last_day)
                ),
                synthetic: false,
                last_date: date_of_day(last_day),
                closes,
            }
        })
        .collect())
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's `civil_from_days`).
pub fn date_of_day(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-11-18 at 00:00 UTC.
    const NOV_18: i64 = 1_763_424_000;

    fn body(times: &[i64], closes: &[f64]) -> String {
        serde_json::json!({"s": "ok", "t": times, "o": closes, "h": closes, "l": closes, "c": closes, "v": closes.iter().map(|_| 0).collect::<Vec<_>>()})
            .to_string()
    }

    #[test]
    fn the_url_asks_for_daily_bars_of_one_symbol() {
        // Pyth's documented example: BTC, a day's range, daily bars.
        let url = daily_history_url(PYTH_HISTORY_ENDPOINT, "Crypto.BTC/USD", 1_763_424_000, 1_763_510_399).unwrap();
        assert_eq!(
            url,
            "https://pyth.dourolabs.app/v1/real_time/history?symbol=Crypto.BTC%2FUSD&from=1763424000&to=1763510399&resolution=D"
        );
        assert!(!url.contains("Crypto.BTC/USD"), "the symbol's slash is encoded");
        // Another channel, with a trailing slash; a full history path is used as it is.
        assert_eq!(
            daily_history_url("https://pyth.dourolabs.app/v1/fixed_rate@200ms/", "Crypto.ETH/USD", 100, 200).unwrap(),
            "https://pyth.dourolabs.app/v1/fixed_rate@200ms/history?symbol=Crypto.ETH%2FUSD&from=100&to=200&resolution=D"
        );
        let pro =
            daily_history_url("https://history.example/fixed_rate@200ms/history/", "Crypto.BTC/USD", 0, 1).unwrap();
        assert_eq!(
            pro,
            "https://history.example/fixed_rate@200ms/history?symbol=Crypto.BTC%2FUSD&from=0&to=1&resolution=D"
        );
        for bad in ["benchmarks.pyth.network", "ftp://x", "https://x?y=1", "https://", "", "http:///x"] {
            assert!(daily_history_url(bad, "Crypto.ETH/USD", 0, 1).is_err(), "{bad:?} accepted");
        }
        assert!(matches!(daily_history_url(PYTH_HISTORY_ENDPOINT, "ETH&x=1", 0, 1), Err(HistoryError::BadSymbol(_))));
        assert_eq!(
            daily_history_url(PYTH_HISTORY_ENDPOINT, "Crypto.ETH/USD", 5, 4),
            Err(HistoryError::BadRange { from: 5, to: 4 })
        );
    }

    #[test]
    fn a_year_ends_before_today() {
        // 2025-11-20T12:00:00Z.
        let (from, to) = last_year(NOV_18 + 2 * SECONDS_PER_DAY + 43_200);
        assert_eq!(to, NOV_18 + 2 * SECONDS_PER_DAY - 1);
        assert_eq!(from, NOV_18 + 2 * SECONDS_PER_DAY - 366 * SECONDS_PER_DAY);
        assert_eq!(date_of_day(from / SECONDS_PER_DAY), "2024-11-19");
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(date_of_day(0), "1970-01-01");
        assert_eq!(date_of_day(NOV_18 / SECONDS_PER_DAY), "2025-11-18");
        assert_eq!(date_of_day(11_016), "2000-02-29");
        assert_eq!(date_of_day(-1), "1969-12-31");
    }

    #[test]
    fn parses_closes_by_day() {
        let days = [NOV_18, NOV_18 + SECONDS_PER_DAY, NOV_18 + 3 * SECONDS_PER_DAY];
        let h = parse_daily_history(&body(&days, &[3000.5, 3010.25, 2990.0]), "Crypto.ETH/USD").unwrap();
        assert_eq!(h.days, [20_410, 20_411, 20_413]);
        assert_eq!(h.closes, [3000.5, 3010.25, 2990.0]);
        // As the service sends it: integers and decimals mixed, extra fields ignored.
        let sent = r#"{"s":"ok","t":[1763424000,1763510400],"o":[1,2],"h":[1,2],"l":[1,2],"c":[3074,3101.87654321],"v":[0,0]}"#;
        assert_eq!(parse_daily_history(sent, "Crypto.ETH/USD").unwrap().closes, [3074.0, 3101.87654321]);
    }

    #[test]
    fn refuses_what_cannot_be_a_daily_history() {
        let sym = "Crypto.ETH/USD";
        let p = |b: &str| parse_daily_history(b, sym);
        assert!(
            matches!(p(r#"{"s":"no_data","nextTime":1}"#), Err(HistoryError::Status { ref status, .. }) if status == "no_data")
        );
        assert_eq!(
            p(r#"{"s":"error","errmsg":"Symbol not found"}"#).unwrap_err().to_string(),
            "Crypto.ETH/USD: the service answered \"error\": Symbol not found"
        );
        assert!(matches!(p(""), Err(HistoryError::Malformed { .. })));
        assert!(matches!(p("upstream error"), Err(HistoryError::Malformed { .. })));
        assert!(matches!(p(r#"{"s":"ok"}"#), Err(HistoryError::Malformed { .. })));
        // The history API's "nothing in this range": empty arrays.
        assert_eq!(
            p(r#"{"s":"ok","t":[],"o":[],"h":[],"l":[],"c":[],"v":[]}"#).unwrap_err().to_string(),
            "Crypto.ETH/USD: the service has no daily bar in the range asked for"
        );
        assert!(matches!(
            p(r#"{"s":"ok","t":[0,86400],"c":[1]}"#),
            Err(HistoryError::Ragged { len_t: 2, len_c: 1, .. })
        ));
        // Not at midnight, repeated, or going back.
        assert!(matches!(p(&body(&[NOV_18 + 60], &[1.0])), Err(HistoryError::BadTime { index: 0, .. })));
        assert!(matches!(p(&body(&[NOV_18, NOV_18], &[1.0, 1.0])), Err(HistoryError::BadTime { index: 1, .. })));
        assert!(matches!(
            p(&body(&[NOV_18, NOV_18 - SECONDS_PER_DAY], &[1.0, 1.0])),
            Err(HistoryError::BadTime { index: 1, .. })
        ));
        assert_eq!(
            p(&body(&[NOV_18], &[0.0])).unwrap_err().to_string(),
            "Crypto.ETH/USD: the close of 2025-11-18 is 0; a close must be a positive price"
        );
        assert!(matches!(p(r#"{"s":"ok","t":[0],"c":[-1.5]}"#), Err(HistoryError::BadClose { .. })));
        assert!(matches!(p(r#"{"s":"ok","t":[0],"c":["1"]}"#), Err(HistoryError::Malformed { .. })));
        let huge = " ".repeat(MAX_BODY_BYTES + 1);
        assert!(matches!(p(&huge), Err(HistoryError::TooLarge { .. })));
        let many: Vec<i64> = (0..=MAX_BARS as i64).map(|d| d * SECONDS_PER_DAY).collect();
        assert!(matches!(p(&body(&many, &vec![1.0; many.len()])), Err(HistoryError::TooManyBars { .. })));
    }

    #[test]
    fn aligns_series_on_their_common_span_carrying_a_missing_close_forward() {
        let days = |n: i64, skip: Option<i64>| -> Vec<i64> {
            (0..n).filter(|d| Some(*d) != skip).map(|d| 20_000 + d).collect()
        };
        // ETH has no close on day 5; BTC runs a day longer.
        let eth = DailyCloses {
            symbol: "Crypto.ETH/USD".into(),
            days: days(40, Some(5)),
            closes: (0..40).filter(|k| *k != 5).map(|k| 100.0 + k as f64).collect(),
        };
        let btc = DailyCloses {
            symbol: "Crypto.WBTC/USD".into(),
            days: days(41, None),
            closes: (0..41).map(|k| 1000.0 + k as f64).collect(),
        };
        let h = aligned_histories(&[("WETH", &eth), ("WBTC", &btc)], "Pyth history (pyth.dourolabs.app)").unwrap();
        // Days 0 to 39, every day: BTC's day 40 is past ETH's last.
        assert_eq!((h[0].closes.len(), h[1].closes.len()), (40, 40));
        // ETH's day 5 takes day 4's close: a day of 0, then days 4→6 in one move.
        assert_eq!(h[0].closes[3..8], [103.0, 104.0, 104.0, 106.0, 107.0]);
        assert_eq!(h[1].closes[4..7], [1004.0, 1005.0, 1006.0]);
        assert_eq!(*h[1].closes.last().unwrap(), 1039.0);
        assert_eq!(h[0].last_date, date_of_day(20_039));
        assert!(!h[0].synthetic);
        let span = format!("40 daily closes from {} to {}", date_of_day(20_000), date_of_day(20_039));
        assert_eq!(h[1].source, format!("Pyth history (pyth.dourolabs.app): Crypto.WBTC/USD, {span}"));
        assert_eq!(
            h[0].source,
            format!("Pyth history (pyth.dourolabs.app): Crypto.ETH/USD, {span}, 1 missing close carried forward")
        );
        let short = DailyCloses { symbol: "x".into(), days: days(10, None), closes: vec![1.0; 10] };
        assert_eq!(
            aligned_histories(&[("WETH", &eth), ("X", &short)], "s"),
            Err(HistoryError::TooShort { common: 10 })
        );
        assert_eq!(aligned_histories(&[], "s"), Err(HistoryError::TooShort { common: 0 }));
        // Series that do not overlap at all.
        let later =
            DailyCloses { symbol: "y".into(), days: (0..40).map(|d| 30_000 + d).collect(), closes: vec![1.0; 40] };
        assert_eq!(aligned_histories(&[("WETH", &eth), ("Y", &later)], "s"), Err(HistoryError::TooShort { common: 0 }));
    }

    #[test]
    fn every_demo_asset_has_a_pyth_history_symbol() {
        for a in ballast_core::risk::history::DEMO_ASSETS {
            assert!(pyth_history_symbol(a.symbol).is_some_and(|s| s.starts_with("Crypto.")), "{}", a.symbol);
        }
        assert_eq!(pyth_history_symbol("WETH"), pyth_history_symbol("ETH"));
        assert_eq!(pyth_history_symbol("DOGE"), None);
    }
}
