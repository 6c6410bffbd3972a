//! What the user chose about chain access, saved in `localStorage` under
//! [`SETTINGS_KEY`] as versioned JSON.
//!
//! Live data is off until the user turns it on: with it off, the app sends
//! nothing anywhere but its own origin. Tests (and power users) may write the
//! key before the page loads, e.g.
//!
//! ```json
//! {"version":1,"live_data":true,"market_chain_id":31337,
//!  "rpc_urls":{"31337":"http://127.0.0.1:8545"},
//!  "addresses_providers":{"31337":"0x59b6…857b"},
//!  "ui_pool_data_providers":{"31337":"0x…"},
//!  "hermes_url":"http://127.0.0.1:9000","benchmarks_url":"https://pyth.dourolabs.app/v1/real_time",
//!  "pyth_api_key":"…","pyth_feed_ids":{"WETH":"0xff61…0ace"},
//!  "heartbeats":{"WETH":3600},"deviation_bps":{"WETH":50},"poll_secs":15,"timeout_ms":8000}
//! ```
//!
//! Every field but `version` may be left out. A saved value that does not
//! parse is ignored (the defaults are used) and the user is told why. A saved
//! `benchmarks_url` naming Pyth's retired benchmarks service is read as the
//! new history default, and a `hermes_url` naming the pre-upgrade Hermes
//! (which now redirects, and a keyed browser request cannot follow a redirect)
//! as the upgraded one. `pyth_api_key` (the user's own key from Pyth) is kept
//! only here, in this browser, and sent only as `Authorization: Bearer` to the
//! Hermes and history endpoints above; it is written only when set.

use std::collections::BTreeMap;

use alloy_primitives::Address;
use ballast_chain::pyth::{FeedId, HERMES_ENDPOINT, LEGACY_HERMES_ENDPOINT};
use ballast_chain::pyth_access::PythApiKey;
use ballast_chain::pyth_history::{PYTH_HISTORY_ENDPOINT, RETIRED_BENCHMARKS_ENDPOINT};
use serde::{Deserialize, Serialize};

use super::backoff::PollSchedule;
use super::registry::{self, ChainInfo, CHAINS};

/// The `localStorage` key of the saved settings.
pub const SETTINGS_KEY: &str = "ballast.chain-settings";
/// The layout this build reads and writes.
pub const SETTINGS_VERSION: u32 = 1;
/// How long a node or Hermes has to answer.
pub const DEFAULT_TIMEOUT_MS: u32 = 8_000;

/// The user's chain settings. Endpoints and addresses are kept as typed, and
/// checked where used, so one bad entry never discards the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainSettings {
    pub version: u32,
    /// Off by default: nothing leaves the page until the user turns this on.
    #[serde(default)]
    pub live_data: bool,
    /// The chain of the Aave market shown on the Prices page.
    #[serde(default = "default_market_chain")]
    pub market_chain_id: u64,
    /// Endpoints the user set, by chain id; the others use the registry's.
    #[serde(default)]
    pub rpc_urls: BTreeMap<u64, String>,
    /// Aave V3 PoolAddressesProvider the user set, by chain id (needed for the local chain).
    #[serde(default)]
    pub addresses_providers: BTreeMap<u64, String>,
    /// UiPoolDataProviderV3 the user set, by chain id, for a market the
    /// address book does not list (a local chain's); the Positions page reads through it.
    #[serde(default)]
    pub ui_pool_data_providers: BTreeMap<u64, String>,
    #[serde(default = "default_hermes_url")]
    pub hermes_url: String,
    /// Pyth's history API (a channel root, or any service speaking the same
    /// TradingView UDF), for the Risk page's daily price history. The name
    /// is the saved layout's, from when this was the benchmarks service.
    #[serde(default = "default_benchmarks_url")]
    pub benchmarks_url: String,
    /// The user's Pyth API key, sent only to `hermes_url` and `benchmarks_url`.
    #[serde(default, skip_serializing_if = "no_key")]
    pub pyth_api_key: PythApiKey,
    /// Pyth feed ids by reserve symbol, beyond the built-in table of pairs.
    #[serde(default)]
    pub pyth_feed_ids: BTreeMap<String, String>,
    #[serde(default = "default_timeout_ms")]
    pub timeout_ms: u32,
    /// Heartbeats (seconds) the user vouches for, by reserve symbol, for
    /// feeds the built-in table does not know (a local chain's mocks).
    #[serde(default)]
    pub heartbeats: BTreeMap<String, u64>,
    /// Deviation thresholds (basis points) the user vouches for, by reserve symbol.
    #[serde(default)]
    pub deviation_bps: BTreeMap<String, u32>,
    /// Seconds between refreshes while they succeed.
    #[serde(default = "default_poll_secs")]
    pub poll_secs: u32,
}

fn default_poll_secs() -> u32 {
    PollSchedule::default().every_secs
}

fn default_market_chain() -> u64 {
    1
}

fn default_hermes_url() -> String {
    HERMES_ENDPOINT.to_owned()
}

fn default_benchmarks_url() -> String {
    PYTH_HISTORY_ENDPOINT.to_owned()
}

fn no_key(key: &PythApiKey) -> bool {
    !key.is_set()
}

/// Whether `url` is the retired benchmarks service (its root or its shim).
/// Pyth's pre-upgrade Hermes, our old default, which a browser with a key can no longer use.
fn is_legacy_hermes(url: &str) -> bool {
    url.trim().trim_end_matches('/') == LEGACY_HERMES_ENDPOINT
}

fn is_retired_benchmarks(url: &str) -> bool {
    let url = url.trim().trim_end_matches('/');
    url == RETIRED_BENCHMARKS_ENDPOINT || url == format!("{RETIRED_BENCHMARKS_ENDPOINT}/v1/shims/tradingview/history")
}

fn default_timeout_ms() -> u32 {
    DEFAULT_TIMEOUT_MS
}

impl Default for ChainSettings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            live_data: false,
            market_chain_id: default_market_chain(),
            rpc_urls: BTreeMap::new(),
            addresses_providers: BTreeMap::new(),
            ui_pool_data_providers: BTreeMap::new(),
            hermes_url: default_hermes_url(),
            benchmarks_url: default_benchmarks_url(),
            pyth_api_key: PythApiKey::default(),
            pyth_feed_ids: BTreeMap::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            heartbeats: BTreeMap::new(),
            deviation_bps: BTreeMap::new(),
            poll_secs: default_poll_secs(),
        }
    }
}

/// A setting that cannot be used as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("chain {0} is not one Ballast knows")]
    UnknownChain(u64),
    #[error("{0:?} is not an http:// or https:// address")]
    BadUrl(String),
    #[error("{0:?} is not a contract address (0x and 40 hex digits)")]
    BadAddress(String),
    #[error("no Aave V3 market is known on {0}: enter its PoolAddressesProvider in the settings")]
    NoMarket(&'static str),
    #[error("the Pyth feed id for {symbol} is not valid: {reason}")]
    BadFeedId { symbol: String, reason: String },
}

/// Where a node is reached, checked.
pub fn check_url(url: &str) -> Result<String, SettingError> {
    let trimmed = url.trim();
    let rest = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !trimmed.contains(char::is_whitespace) => Ok(trimmed.to_owned()),
        _ => Err(SettingError::BadUrl(url.chars().take(200).collect())),
    }
}

/// A contract address; the checksum is not enforced (users paste lower case).
pub fn check_address(text: &str) -> Result<Address, SettingError> {
    let trimmed = text.trim();
    match trimmed.strip_prefix("0x") {
        Some(digits) if digits.len() == 40 => {
            trimmed.parse::<Address>().map_err(|_| SettingError::BadAddress(text.chars().take(80).collect()))
        }
        _ => Err(SettingError::BadAddress(text.chars().take(80).collect())),
    }
}

impl ChainSettings {
    /// The chain of the configured market.
    pub fn market_chain(&self) -> Result<&'static ChainInfo, SettingError> {
        registry::chain(self.market_chain_id).ok_or(SettingError::UnknownChain(self.market_chain_id))
    }

    /// The endpoint for `chain_id`: the user's, or the registry's default.
    pub fn rpc_url(&self, chain_id: u64) -> Result<String, SettingError> {
        match self.rpc_urls.get(&chain_id) {
            Some(url) => check_url(url),
            None => registry::chain(chain_id)
                .map(|c| c.default_rpc_url.to_owned())
                .ok_or(SettingError::UnknownChain(chain_id)),
        }
    }

    /// The market's PoolAddressesProvider: the user's, or the registry's.
    pub fn addresses_provider(&self, chain_id: u64) -> Result<Address, SettingError> {
        let chain = registry::chain(chain_id).ok_or(SettingError::UnknownChain(chain_id))?;
        match self.addresses_providers.get(&chain_id) {
            Some(text) => check_address(text),
            None => chain.aave_v3_addresses_provider().ok_or(SettingError::NoMarket(chain.name)),
        }
    }

    /// The UiPoolDataProviderV3 the user set for `chain_id`, checked; `None` when unset.
    pub fn ui_pool_data_provider(&self, chain_id: u64) -> Option<Result<Address, SettingError>> {
        self.ui_pool_data_providers.get(&chain_id).map(|text| check_address(text))
    }

    /// The Pyth feed id the user set for a reserve symbol, if any.
    pub fn pyth_feed_id(&self, symbol: &str) -> Option<Result<FeedId, SettingError>> {
        self.pyth_feed_ids.get(symbol).map(|text| {
            text.parse::<FeedId>()
                .map_err(|e| SettingError::BadFeedId { symbol: symbol.to_owned(), reason: e.to_string() })
        })
    }

    /// The polling schedule: the user's interval, backed off after failures.
    pub fn poll_schedule(&self) -> PollSchedule {
        let every_secs = self.poll_secs.max(1);
        PollSchedule { every_secs, max_secs: PollSchedule::default().max_secs.max(every_secs) }
    }

    /// Saved form.
    pub fn to_json(&self) -> String {
        // A struct of strings, numbers and maps with string-able keys always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a saved value. `None` (nothing saved) is the defaults without
    /// comment; anything unreadable is the defaults with a notice saying why.
    pub fn from_saved(saved: Option<&str>) -> (Self, Option<String>) {
        let Some(text) = saved else { return (Self::default(), None) };
        let ignored = |why: String| {
            (Self::default(), Some(format!("Your saved chain settings were ignored ({why}); the defaults are in use.")))
        };
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => return ignored(format!("not JSON: {e}")),
        };
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(SETTINGS_VERSION) => {}
            Some(v) => return ignored(format!("they are version {v}; this Ballast reads version {SETTINGS_VERSION}")),
            None => return ignored("they carry no version".into()),
        }
        match serde_json::from_value::<Self>(value) {
            Ok(mut settings) => {
                // Saved while the benchmarks shim was the default; Pyth retired it.
                if is_retired_benchmarks(&settings.benchmarks_url) {
                    settings.benchmarks_url = default_benchmarks_url();
                }
                // Saved while it was the default; it now redirects, which a keyed request cannot follow.
                if is_legacy_hermes(&settings.hermes_url) {
                    settings.hermes_url = default_hermes_url();
                }
                (settings, None)
            }
            Err(e) => ignored(e.to_string()),
        }
    }
}

/// Every chain, for the settings form.
pub fn chains() -> &'static [ChainInfo] {
    CHAINS
}

/// Reads the saved settings from `localStorage`.
pub fn load() -> (ChainSettings, Option<String>) {
    let saved = storage().and_then(|s| s.get_item(SETTINGS_KEY).ok().flatten());
    ChainSettings::from_saved(saved.as_deref())
}

/// Saves the settings; `Err` names why they could not be (private mode, quota).
pub fn save(settings: &ChainSettings) -> Result<(), String> {
    let storage = storage().ok_or_else(|| "this browser gives the page no local storage".to_owned())?;
    storage
        .set_item(SETTINGS_KEY, &settings.to_json())
        .map_err(|_| "the browser refused to save the settings (storage full or private mode)".to_owned())
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::address;

    #[test]
    fn nothing_saved_is_the_defaults_with_live_data_off() {
        let (settings, notice) = ChainSettings::from_saved(None);
        assert_eq!((settings.live_data, notice), (false, None));
        assert_eq!(settings.rpc_url(1).unwrap(), "https://ethereum-rpc.publicnode.com");
        assert_eq!(settings.timeout_ms, 8_000);
        assert_eq!(settings.hermes_url, "https://pyth.dourolabs.app/hermes");
        assert_eq!(settings.benchmarks_url, "https://pyth.dourolabs.app/v1/real_time");
        assert!(!settings.pyth_api_key.is_set());
        // No key: none written, so the saved form is what older builds wrote.
        assert!(!settings.to_json().contains("pyth_api_key"));
    }

    #[test]
    fn old_saved_settings_load_and_leave_the_retired_benchmarks_service_and_the_pre_upgrade_hermes() {
        // As a build before the key saved them: no key, the benchmarks default.
        for old in [
            "https://benchmarks.pyth.network",
            "https://benchmarks.pyth.network/",
            "https://benchmarks.pyth.network/v1/shims/tradingview/history",
        ] {
            let saved = format!(
                r#"{{"version":1,"live_data":true,"benchmarks_url":"{old}","hermes_url":"https://hermes.pyth.network"}}"#
            );
            let (settings, notice) = ChainSettings::from_saved(Some(&saved));
            assert_eq!(notice, None, "{old}");
            assert!(settings.live_data);
            assert_eq!(settings.benchmarks_url, "https://pyth.dourolabs.app/v1/real_time", "{old}");
            assert_eq!(settings.hermes_url, "https://pyth.dourolabs.app/hermes", "{old}");
            assert!(!settings.pyth_api_key.is_set());
        }
        // A history endpoint the user chose stays theirs.
        let own = r#"{"version":1,"benchmarks_url":"https://history.example/v1/real_time","hermes_url":"https://hermes.example/"}"#;
        let settings = ChainSettings::from_saved(Some(own)).0;
        assert_eq!(settings.benchmarks_url, "https://history.example/v1/real_time");
        assert_eq!(settings.hermes_url, "https://hermes.example/");
        // The old default with a trailing slash is still the old default.
        let slash = r#"{"version":1,"hermes_url":"https://hermes.pyth.network/"}"#;
        assert_eq!(ChainSettings::from_saved(Some(slash)).0.hermes_url, "https://pyth.dourolabs.app/hermes");
    }

    #[test]
    fn the_key_round_trips_and_is_never_in_debug_output() {
        let settings =
            ChainSettings { pyth_api_key: PythApiKey::parse("pk-secret-42").unwrap(), ..ChainSettings::default() };
        let json = settings.to_json();
        assert!(json.contains(r#""pyth_api_key":"pk-secret-42""#), "{json}");
        let (back, notice) = ChainSettings::from_saved(Some(&json));
        assert_eq!((back.clone(), notice), (settings.clone(), None));
        assert_eq!(back.pyth_api_key.authorization().as_deref(), Some("Bearer pk-secret-42"));
        assert!(!format!("{settings:?}").contains("pk-secret-42"));
    }

    #[test]
    fn a_saved_local_market_round_trips() {
        let saved = r#"{"version":1,"live_data":true,"market_chain_id":31337,
            "rpc_urls":{"31337":"http://127.0.0.1:40123"},
            "addresses_providers":{"31337":"0x59b670e9fa9d0a427751af201d676719a970857b"}}"#;
        let (settings, notice) = ChainSettings::from_saved(Some(saved));
        assert_eq!(notice, None);
        assert!(settings.live_data);
        assert_eq!(settings.market_chain().unwrap().name, "Local (anvil)");
        assert_eq!(settings.rpc_url(31_337).unwrap(), "http://127.0.0.1:40123");
        assert_eq!(settings.addresses_provider(31_337).unwrap(), address!("59b670e9fA9D0A427751Af201D676719a970857b"));
        assert_eq!(settings.ui_pool_data_provider(31_337), None);
        assert_eq!(ChainSettings::from_saved(Some(&settings.to_json())).0, settings);
        let with_ui = r#"{"version":1,"ui_pool_data_providers":{"31337":"0x1234"}}"#;
        let (settings, notice) = ChainSettings::from_saved(Some(with_ui));
        assert_eq!(notice, None);
        assert_eq!(settings.ui_pool_data_provider(31_337), Some(Err(SettingError::BadAddress("0x1234".into()))));
    }

    #[test]
    fn corrupt_or_foreign_versions_are_ignored_with_a_notice() {
        for (saved, why) in [
            ("{not json", "not JSON"),
            (r#"{"live_data":true}"#, "no version"),
            (r#"{"version":2,"live_data":true}"#, "version 2"),
            (r#"{"version":1,"live_data":"yes"}"#, "invalid type"),
            (r#"{"version":1,"colour":"red"}"#, "unknown field"),
        ] {
            let (settings, notice) = ChainSettings::from_saved(Some(saved));
            assert_eq!(settings, ChainSettings::default(), "{saved}");
            let notice = notice.unwrap_or_default();
            assert!(notice.contains(why) && notice.contains("defaults are in use"), "{saved}: {notice}");
        }
    }

    #[test]
    fn bad_entries_are_named_where_used() {
        let mut settings = ChainSettings::default();
        settings.rpc_urls.insert(1, "ftp://node".into());
        assert_eq!(settings.rpc_url(1), Err(SettingError::BadUrl("ftp://node".into())));
        assert_eq!(settings.rpc_url(5), Err(SettingError::UnknownChain(5)));
        assert_eq!(
            settings.addresses_provider(31_337).unwrap_err().to_string(),
            "no Aave V3 market is known on Local (anvil): enter its PoolAddressesProvider in the settings"
        );
        settings.addresses_providers.insert(31_337, "0x1234".into());
        assert_eq!(settings.addresses_provider(31_337), Err(SettingError::BadAddress("0x1234".into())));
        settings.pyth_feed_ids.insert("WETH".into(), "0xabc".into());
        assert!(matches!(settings.pyth_feed_id("WETH"), Some(Err(SettingError::BadFeedId { .. }))));
        assert_eq!(settings.pyth_feed_id("WBTC"), None);
        assert_eq!(check_url(" https://rpc.example "), Ok("https://rpc.example".into()));
        assert!(check_url("https://").is_err());
    }
}
