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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badges_say_plainly_that_snapshot_prices_are_saved() {
        let s = DataSource::Snapshot { taken_at: "2026-11-20T12:00:00Z".into() };
        assert_eq!(s.badge(), "Snapshot · saved 2026-11-20 12:00 UTC");
        assert!(s.explanation().contains("not live"));
        assert_eq!(human_utc("yesterday"), "yesterday");
    }
}
