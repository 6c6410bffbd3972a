//! Where the numbers on screen come from, shown in the header at all times so
//! saved prices are never mistaken for live ones.

/// The source of the prices and positions the app is showing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// Nothing loaded yet.
    Loading,
    /// The embedded snapshot: saved example prices, no network used.
    Snapshot { taken_at: String },
    /// The snapshot could not be read.
    Unavailable,
    /// The Prices page with live data on: read from the chain endpoints in the settings.
    Live,
}

impl DataSource {
    /// The short badge text.
    pub fn badge(&self) -> String {
        match self {
            DataSource::Loading => "Loading…".to_owned(),
            DataSource::Snapshot { taken_at } => format!("Snapshot · saved {}", human_utc(taken_at)),
            DataSource::Unavailable => "No data".to_owned(),
            DataSource::Live => "Live · from your endpoints".to_owned(),
        }
    }

    /// A sentence for the badge's tooltip.
    pub fn explanation(&self) -> &'static str {
        match self {
            DataSource::Loading => "Reading the embedded snapshot.",
            DataSource::Snapshot { .. } => {
                "Offline demo data: prices were saved at this time and are not live. Nothing is sent over the network."
            }
            DataSource::Unavailable => "The embedded snapshot could not be read.",
            DataSource::Live => {
                "Live data is on: prices are read from the chain endpoints in your settings; each shows its own age and status."
            }
        }
    }

    pub fn css_class(&self) -> &'static str {
        match self {
            DataSource::Loading => "source source-loading",
            DataSource::Snapshot { .. } => "source source-snapshot",
            DataSource::Unavailable => "source source-unavailable",
            DataSource::Live => "source source-live",
        }
    }
}

/// `2026-11-20T12:00:00Z` → `2026-11-20 12:00 UTC`; other text is shown as is.
pub fn human_utc(rfc3339: &str) -> String {
    match rfc3339.strip_suffix('Z').and_then(|t| t.split_once('T')) {
        Some((date, time)) if time.len() >= 5 => format!("{date} {} UTC", &time[..5]),
        _ => rfc3339.to_owned(),
    }
}

/// How long figures read from chain are shown as current: after two minutes
/// the page says they may be out of date (prices move; nothing re-reads by itself).
pub const READ_FRESH_FOR_MS: f64 = 120_000.0;

/// How old a chain's read is, in words, and whether it is too old to be taken
/// as current (`READ_FRESH_FOR_MS`). `read_at_ms` and `now_ms` are the page's
/// clock in ms; a clock gone back, or a time that is not a number, counts as too old.
pub fn read_age(read_at_ms: f64, now_ms: f64) -> (String, bool) {
    let elapsed = now_ms - read_at_ms;
    if !(0.0..).contains(&elapsed) {
        return ("read at an unknown time (the clock moved)".to_owned(), true);
    }
    // Whole seconds, minutes or hours, rounded down: never younger than it is.
    let seconds = (elapsed / 1000.0).floor() as u64;
    let text = match seconds {
        0..=9 => "read just now".to_owned(),
        10..=59 => format!("read {seconds} s ago"),
        60..=3599 => format!("read {} min ago", seconds / 60),
        _ => format!("read {} h ago", seconds / 3600),
    };
    (text, elapsed >= READ_FRESH_FOR_MS)
}

/// Past this many seconds behind the wall clock when read, a node's latest block is too old for what
/// it reports to be called current: a block trails the clock by seconds, a user's clock is rarely
/// minutes off, and a stalled node or a halted chain reports old figures as if they were new.
pub const NODE_BEHIND_AFTER_SECS: u64 = 300;

/// How far the block at `block_timestamp` (Unix seconds) was behind the page's clock when read at
/// `read_at_ms`, when that is more than [`NODE_BEHIND_AFTER_SECS`]; `None` otherwise, and for the
/// local development chain (anvil's 31337), which keeps its own clock (time travel in tests). A
/// node on this machine on any other chain (a syncing node, a fork of mainnet) is judged like any.
pub fn node_behind(chain_id: u64, block_timestamp: u64, read_at_ms: f64) -> Option<u64> {
    (chain_id != crate::chain::registry::LOCAL_CHAIN_ID).then(|| block_behind(block_timestamp, read_at_ms)).flatten()
}

/// How far the block at `block_timestamp` was behind the page's clock when read at `read_at_ms`, when
/// more than [`NODE_BEHIND_AFTER_SECS`], on any chain: [`node_behind`] without the local chain's
/// exemption, for saying that the exemption applies.
pub fn block_behind(block_timestamp: u64, read_at_ms: f64) -> Option<u64> {
    if !read_at_ms.is_finite() || read_at_ms < 0.0 {
        return None;
    }
    let read_at_secs = (read_at_ms / 1000.0) as u64;
    read_at_secs.checked_sub(block_timestamp).filter(|&lag| lag > NODE_BEHIND_AFTER_SECS)
}

/// Seconds as "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h".
pub fn human_duration(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s if s < 86_400 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        s => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// The warning for figures read from a node [`node_behind`] by `lag_secs`.
pub fn node_behind_text(lag_secs: u64) -> String {
    format!(
        "The node's latest block was {} behind your clock when read: these figures are that much older than they look (a stalled node, or a chain that has stopped making blocks). Try another RPC endpoint.",
        human_duration(lag_secs)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_over_five_minutes_behind_the_clock_when_read_is_a_node_behind() {
        let block = 1_767_225_600;
        let read = |lag: u64| ((block + lag) * 1000) as f64;
        assert_eq!(node_behind(1, block, read(12)), None);
        assert_eq!(node_behind(1, block, read(300)), None);
        assert_eq!(node_behind(1, block, read(301)), Some(301));
        assert_eq!(node_behind(42_161, block, read(7200)), Some(7200));
        // A clock behind the chain is not a node behind; nor is the local chain, on its own clock.
        assert_eq!(node_behind(1, block, 1_000.0), None);
        assert_eq!(node_behind(31_337, block, read(7200)), None);
        assert_eq!(node_behind(1, block, f64::NAN), None);
        // The local chain is exempt from node_behind only: block_behind still says how far.
        assert_eq!(block_behind(block, read(7200)), Some(7200));
        assert_eq!(block_behind(block, read(300)), None);
        assert!(node_behind_text(301).starts_with("The node's latest block was 5 min 1 s behind your clock when read"));
        assert!(node_behind_text(7200).starts_with("The node's latest block was 2 h 0 min behind"));
        assert!(node_behind_text(3 * 86_400).starts_with("The node's latest block was 3 d 0 h behind"));
    }

    #[test]
    fn a_read_says_its_age_and_is_out_of_date_after_two_minutes() {
        let read = 1_700_000_000_000.0;
        assert_eq!(read_age(read, read), ("read just now".to_owned(), false));
        assert_eq!(read_age(read, read + 9_999.0), ("read just now".to_owned(), false));
        assert_eq!(read_age(read, read + 59_999.0), ("read 59 s ago".to_owned(), false));
        assert_eq!(read_age(read, read + 119_999.0), ("read 1 min ago".to_owned(), false));
        assert_eq!(read_age(read, read + 120_000.0), ("read 2 min ago".to_owned(), true));
        assert_eq!(read_age(read, read + 3_600_000.0 * 5.5), ("read 5 h ago".to_owned(), true));
        assert!(read_age(read, read - 1.0).1, "a clock gone back: out of date");
        assert!(read_age(f64::NAN, read).1);
    }

    #[test]
    fn badges_say_plainly_that_snapshot_prices_are_saved() {
        let s = DataSource::Snapshot { taken_at: "2026-11-20T12:00:00Z".into() };
        assert_eq!(s.badge(), "Snapshot · saved 2026-11-20 12:00 UTC");
        assert!(s.explanation().contains("not live"));
        assert_eq!(human_utc("yesterday"), "yesterday");
    }
}
