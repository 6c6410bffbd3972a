//! The Positions page apart from its IO and view: which addresses are
//! watched (typed, saved, in the link), which chains and markets are read,
//! and how the dashboard's exact figures are written for people. Pure, so it
//! is tested natively.

use alloy_primitives::Address;
use ballast_chain::aave_markets::{markets_on, MarketAddresses};
use ballast_core::display::{format_fixed, format_percent_toward_zero, Rounding};
use ballast_core::exact::{format_exact, format_exact_toward_zero};
use ballast_core::Scenario;
use num_rational::BigRational;
use serde::{Deserialize, Serialize};

use crate::chain::registry::{self, CHAINS};
use crate::chain::settings::ChainSettings;

/// The `localStorage` key of the watch list.
pub const WATCH_LIST_KEY: &str = "ballast.watch-list";
/// The layout this build reads and writes.
pub const WATCH_LIST_VERSION: u32 = 1;
/// The query parameters of a bookmarked view: addresses and chain ids, comma-separated.
pub const ADDRESS_PARAM: &str = "address";
pub const CHAINS_PARAM: &str = "chains";

/// Why a typed address is not one to watch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("enter an address (0x and 40 hex digits)")]
    Empty,
    #[error("{0:?} is not an address: it must be 0x followed by 40 hex digits")]
    Malformed(String),
    #[error(
        "{0:?} has a wrong checksum: its mixed capitals do not match EIP-55, so it may be mistyped; \
         check it, or paste it in lower case"
    )]
    Checksum(String),
}

/// An address to watch. All lower (or all upper) case carries no checksum
/// and is accepted; mixed case is an EIP-55 checksum and must match.
pub fn parse_address(text: &str) -> Result<Address, AddressError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AddressError::Empty);
    }
    let shown = || trimmed.chars().take(60).collect::<String>();
    let digits = trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
        .ok_or_else(|| AddressError::Malformed(shown()))?;
    if digits.len() != 40 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AddressError::Malformed(shown()));
    }
    let has_lower = digits.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = digits.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper {
        Address::parse_checksummed(format!("0x{digits}"), None).map_err(|_| AddressError::Checksum(shown()))
    } else {
        format!("0x{digits}").parse::<Address>().map_err(|_| AddressError::Malformed(shown()))
    }
}

/// The addresses kept between visits, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchList {
    pub addresses: Vec<Address>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedWatchList {
    version: u32,
    addresses: Vec<serde_json::Value>,
}

impl WatchList {
    /// Reads a saved list. Nothing saved is an empty list without comment; a
    /// list that does not parse is empty with a notice; an entry that is not
    /// an address is skipped with a notice naming it, the others kept.
    pub fn from_saved(saved: Option<&str>) -> (Self, Vec<String>) {
        let Some(text) = saved else { return (Self::default(), Vec::new()) };
        let ignored = |why: String| (Self::default(), vec![format!("Your saved watch list was ignored ({why}).")]);
        let value: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(e) => return ignored(format!("not JSON: {e}")),
        };
        match value.get("version").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(WATCH_LIST_VERSION) => {}
            Some(v) => return ignored(format!("it is version {v}; this Ballast reads version {WATCH_LIST_VERSION}")),
            None => return ignored("it carries no version".into()),
        }
        let saved: SavedWatchList = match serde_json::from_value(value) {
            Ok(saved) => saved,
            Err(e) => return ignored(e.to_string()),
        };
        let mut list = Self::default();
        let mut notices = Vec::new();
        for entry in saved.addresses {
            match entry.as_str().map(parse_address) {
                Some(Ok(address)) => {
                    list.add(address);
                }
                Some(Err(e)) => notices.push(format!("A saved watched address was skipped: {e}.")),
                None => notices.push(format!("A saved watched address was skipped: {entry} is not text.")),
            }
        }
        (list, notices)
    }

    /// Saved form: checksummed addresses.
    pub fn to_json(&self) -> String {
        let saved = SavedWatchList {
            version: WATCH_LIST_VERSION,
            addresses: self.addresses.iter().map(|a| serde_json::Value::from(a.to_checksum(None))).collect(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Adds an address once; `false` if it was already there.
    pub fn add(&mut self, address: Address) -> bool {
        if self.addresses.contains(&address) {
            return false;
        }
        self.addresses.push(address);
        true
    }

    pub fn remove(&mut self, address: Address) {
        self.addresses.retain(|a| *a != address);
    }
}

/// `?address=a,b`: the addresses, and a notice for each part that is not one.
pub fn parse_address_param(text: &str) -> (Vec<Address>, Vec<String>) {
    let mut list = WatchList::default();
    let mut notices = Vec::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        match parse_address(part) {
            Ok(address) => {
                list.add(address);
            }
            Err(e) => notices.push(format!("An address in the link was skipped: {e}.")),
        }
    }
    (list.addresses, notices)
}

/// The `?address=` value for a list.
pub fn address_param(addresses: &[Address]) -> String {
    addresses.iter().map(|a| a.to_checksum(None)).collect::<Vec<_>>().join(",")
}

/// `?chains=1,42161`: the chain ids Ballast knows, and a notice for each other part.
pub fn parse_chains_param(text: &str) -> (Vec<u64>, Vec<String>) {
    let mut chains = Vec::new();
    let mut notices = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.parse::<u64>().ok().filter(|id| registry::chain(*id).is_some()) {
            Some(id) if !chains.contains(&id) => chains.push(id),
            Some(_) => {}
            None => notices.push(format!(
                "The chain {:?} in the link was skipped: it is not a chain id Ballast knows.",
                part.chars().take(30).collect::<String>()
            )),
        }
    }
    (chains, notices)
}

/// The chains read when the link names none: every chain with an Aave V3
/// market, listed or set in the settings.
pub fn default_chains(settings: &ChainSettings) -> Vec<u64> {
    CHAINS
        .iter()
        .map(|c| c.chain_id)
        .filter(|&id| markets_on(id).next().is_some() || settings.addresses_providers.contains_key(&id))
        .collect()
}

/// Where a market's addresses come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarketSource {
    /// The address book's table: every address known.
    Listed(MarketAddresses),
    /// Set in the settings: the Pool is read from the provider first.
    Custom { provider: Address, ui_pool_data_provider: Address },
}

/// One market to read on a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketToRead {
    /// e.g. `Aave V3 Core`.
    pub name: String,
    pub source: MarketSource,
}

/// The Aave V3 markets read on `chain_id`: the one set in the settings (a
/// local chain's), else the address book's; `Err` says what to set.
pub fn markets_for(settings: &ChainSettings, chain_id: u64) -> Result<Vec<MarketToRead>, String> {
    let chain = registry::chain(chain_id).ok_or_else(|| format!("chain {chain_id} is not one Ballast knows"))?;
    if settings.addresses_providers.contains_key(&chain_id) {
        let provider = settings.addresses_provider(chain_id).map_err(|e| e.to_string())?;
        let ui_pool_data_provider = match settings.ui_pool_data_provider(chain_id) {
            Some(Ok(address)) => address,
            Some(Err(e)) => return Err(e.to_string()),
            None => {
                return Err(format!(
                    "a PoolAddressesProvider is set for {} but no UiPoolDataProviderV3: enter it in the chain \
                     settings (ui_pool_data_providers) to read positions there",
                    chain.name
                ))
            }
        };
        return Ok(vec![MarketToRead {
            name: "Aave V3 (your settings)".into(),
            source: MarketSource::Custom { provider, ui_pool_data_provider },
        }]);
    }
    let listed: Vec<MarketToRead> = markets_on(chain_id)
        .map(|m| MarketToRead { name: format!("Aave V3 {}", m.name), source: MarketSource::Listed(m.addresses()) })
        .collect();
    if listed.is_empty() {
        Err(format!(
            "no Aave V3 market is known on {}: enter its PoolAddressesProvider in the chain settings",
            chain.name
        ))
    } else {
        Ok(listed)
    }
}

/// Whether Liquity v1 troves are read on `chain_id`: its contracts are on
/// Ethereum only (`ballast_chain::vault_addresses`).
pub fn reads_liquity(chain_id: u64) -> bool {
    chain_id == 1
}

/// A chain's reads are failed as a whole only when every one of them failed
/// (the node is unreachable, say); otherwise what worked is shown and the
/// failures are listed beside it. `Err` carries the first failure.
pub fn chain_outcome(reads: usize, failures: usize, first_failure: Option<&str>) -> Result<(), String> {
    match first_failure {
        Some(why) if reads > 0 && failures >= reads => Err(why.to_owned()),
        _ => Ok(()),
    }
}

/// The dashboard's market label for one address's position in a market:
/// unique per (chain, market, address), which is how a row finds its scenario.
pub fn position_label(market: &str, owner: Address) -> String {
    format!("{market} · {}", owner.to_checksum(None))
}

/// Whether a read scenario holds anything (an address with no position in a
/// market is not a row).
pub fn has_position(scenario: &Scenario) -> bool {
    scenario.collateral.iter().chain(&scenario.debt).any(|h| !h.amount.is_zero())
}

/// The Plan page's link for a scenario (see `ballast_core::share`). The
/// scenario travels in the fragment, which never reaches the host: a live
/// read of a large market is tens of kilobytes, more than a CDN takes in a
/// request line, and an address's position is nobody else's business.
pub fn plan_link(scenario: &Scenario) -> String {
    plan_link_with_query(&ballast_core::share::encode(scenario), "")
}

/// The Plan page's link for a position read live on `chain`, its scenario
/// already encoded as `share` (`ballast_core::share::encode`, which the tab's
/// hand-off records too): its edits there can be signed (see
/// `crate::pages::plan::sign`).
pub fn live_plan_link(share: &str, chain: &str) -> String {
    let chain: String = chain
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    plan_link_with_query(share, &format!("&{}={chain}", crate::pages::plan::sign::LIVE_PARAM))
}

fn plan_link_with_query(share: &str, query: &str) -> String {
    format!("?view=plan{query}#{}={share}", ballast_core::share::LINK_PARAM)
}

/// A figure as shown and as kept in `data-value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub value: String,
}

/// USD with cents, rounded as asked (collateral down, debt up: never flattering).
pub fn usd(value: &BigRational, rounding: Rounding) -> Shown {
    Shown { text: format!("${}", format_fixed(value, 2, rounding)), value: format_exact(value) }
}

/// A token amount with up to 6 decimals, rounded as asked.
pub fn amount(value: &BigRational, rounding: Rounding) -> Shown {
    Shown { text: format_fixed(value, 6, rounding), value: format_exact(value) }
}

/// A fraction as a percentage with 2 decimals toward zero; `—` when unknown.
pub fn percent(value: Option<&BigRational>) -> Shown {
    match value {
        Some(v) => Shown { text: format_percent_toward_zero(v, 2), value: format_exact(v) },
        None => Shown { text: "—".into(), value: "unknown".into() },
    }
}

/// A health factor as the UI shows it everywhere: 2 decimals rounded down,
/// `∞` without debt (`data-value` `none`).
pub fn health_factor(value: Option<&BigRational>) -> Shown {
    match value {
        // Cut, as the report's health_factor is: a hair under 1 never reads 1.
        Some(v) => Shown { text: format_fixed(v, 2, Rounding::Down), value: format_exact_toward_zero(v) },
        None => Shown { text: "∞".into(), value: "none".into() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_health_factor_a_hair_under_one_never_reads_one() {
        let just_under =
            BigRational::new(144_999_999_999_999_999_999u128.into(), 145_000_000_000_000_000_000u128.into());
        let shown = health_factor(Some(&just_under));
        assert_eq!((shown.text.as_str(), shown.value.as_str()), ("0.99", "0.9999999999999999"));
        assert_eq!(health_factor(None).value, "none");
    }

    #[test]
    fn plan_links_carry_the_scenario_in_the_fragment() {
        let scenario = Scenario::parse(
            r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[],"collateral":[],"debt":[]}"#,
        )
        .unwrap();
        let share = ballast_core::share::encode(&scenario);
        assert_eq!(plan_link(&scenario), format!("?view=plan#scenario={share}"));
        assert_eq!(live_plan_link(&share, "OP Mainnet"), format!("?view=plan&live=OP%20Mainnet#scenario={share}"));
    }
    use alloy_primitives::address;

    const VITALIK: Address = address!("d8dA6BF26964aF9D7eEd9e03E53415D37aA96045");

    #[test]
    fn addresses_lowercase_and_checksummed_pass_a_wrong_checksum_is_refused() {
        assert_eq!(parse_address(" 0xd8da6bf26964af9d7eed9e03e53415d37aa96045 "), Ok(VITALIK));
        assert_eq!(parse_address("0xD8DA6BF26964AF9D7EED9E03E53415D37AA96045"), Ok(VITALIK));
        assert_eq!(parse_address("0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"), Ok(VITALIK));
        // One capital moved: mixed case that is not the checksum.
        let wrong = "0xD8dA6BF26964aF9D7eEd9e03E53415D37aA96045";
        let refused = parse_address(wrong).unwrap_err();
        assert_eq!(refused, AddressError::Checksum(wrong.into()));
        assert!(refused.to_string().contains("wrong checksum"));
        assert_eq!(parse_address(""), Err(AddressError::Empty));
        for bad in ["vitalik.eth", "0x1234", "0xg8da6bf26964af9d7eed9e03e53415d37aa96045"] {
            assert_eq!(parse_address(bad), Err(AddressError::Malformed(bad.into())), "{bad}");
        }
    }

    #[test]
    fn the_watch_list_round_trips_and_skips_corrupt_entries_with_a_notice() {
        let mut list = WatchList::default();
        assert!(list.add(VITALIK));
        assert!(!list.add(VITALIK));
        let other = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        list.add(other);
        assert_eq!(WatchList::from_saved(Some(&list.to_json())), (list.clone(), vec![]));
        list.remove(VITALIK);
        assert_eq!(list.addresses, [other]);

        let saved = r#"{"version":1,"addresses":["0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
            "0xD8dA6BF26964aF9D7eEd9e03E53415D37aA96045", 7]}"#;
        let (read, notices) = WatchList::from_saved(Some(saved));
        assert_eq!(read.addresses, [other]);
        assert_eq!(notices.len(), 2);
        assert!(notices[0].contains("wrong checksum"), "{}", notices[0]);
        assert!(notices[1].contains("7 is not text"), "{}", notices[1]);
    }

    #[test]
    fn an_unreadable_watch_list_is_ignored_with_a_notice() {
        for (saved, why) in
            [("{oops", "not JSON"), (r#"{"addresses":[]}"#, "no version"), (r#"{"version":2}"#, "version 2")]
        {
            let (list, notices) = WatchList::from_saved(Some(saved));
            assert_eq!(list, WatchList::default());
            assert!(notices.len() == 1 && notices[0].contains(why), "{saved}: {notices:?}");
        }
        assert_eq!(WatchList::from_saved(None), (WatchList::default(), vec![]));
    }

    #[test]
    fn link_parameters_keep_what_they_can_and_name_the_rest() {
        let (addresses, notices) = parse_address_param(
            "0xd8da6bf26964af9d7eed9e03e53415d37aa96045,nope,0xD8DA6BF26964AF9D7EED9E03E53415D37AA96045",
        );
        assert_eq!(addresses, [VITALIK]);
        assert_eq!(notices.len(), 1);
        assert_eq!(address_param(&addresses), "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045");
        let (chains, notices) = parse_chains_param("31337, 1,5,x,1");
        assert_eq!(chains, [31_337, 1]);
        assert_eq!(notices.len(), 2);
    }

    #[test]
    fn markets_come_from_the_settings_or_the_address_book() {
        let mut settings = ChainSettings::default();
        assert_eq!(default_chains(&settings), [1, 42_161, 10, 8_453, 137, 43_114]);
        let on_ethereum = markets_for(&settings, 1).unwrap();
        assert!(on_ethereum.iter().any(|m| m.name == "Aave V3 Core"), "{on_ethereum:?}");
        assert!(markets_for(&settings, 31_337).unwrap_err().contains("enter its PoolAddressesProvider"));
        settings.addresses_providers.insert(31_337, "0x59b670e9fa9d0a427751af201d676719a970857b".into());
        assert!(markets_for(&settings, 31_337).unwrap_err().contains("no UiPoolDataProviderV3"));
        settings.ui_pool_data_providers.insert(31_337, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".into());
        let local = markets_for(&settings, 31_337).unwrap();
        assert_eq!(
            local[0].source,
            MarketSource::Custom {
                provider: address!("59b670e9fA9D0A427751Af201D676719a970857b"),
                ui_pool_data_provider: address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            }
        );
        assert_eq!(default_chains(&settings).last(), Some(&31_337));
        assert!(reads_liquity(1) && !reads_liquity(31_337) && !reads_liquity(42_161));
    }

    #[test]
    fn a_chain_fails_whole_only_when_every_read_failed() {
        assert_eq!(chain_outcome(3, 3, Some("refused")), Err("refused".into()));
        assert_eq!(chain_outcome(3, 2, Some("one market reverted")), Ok(()));
        assert_eq!(chain_outcome(2, 0, None), Ok(()));
        assert_eq!(chain_outcome(0, 0, None), Ok(()));
    }

    #[test]
    fn figures_round_toward_safety_and_keep_the_exact_value() {
        let r = |n: i64, d: i64| BigRational::new(n.into(), d.into());
        assert_eq!(
            usd(&r(20_000, 3), Rounding::Down),
            Shown { text: "$6,666.66".into(), value: "6666.6666666666666667".into() }
        );
        assert_eq!(usd(&r(20_000, 3), Rounding::Up).text, "$6,666.67");
        assert_eq!(usd(&r(1, 3), Rounding::Up).text, "$0.34");
        assert_eq!(health_factor(Some(&r(1999, 1000))), Shown { text: "1.99".into(), value: "1.999".into() });
        assert_eq!(health_factor(None), Shown { text: "∞".into(), value: "none".into() });
        assert_eq!(percent(Some(&r(-1, 3))).text, "-33.33 %");
        assert_eq!(percent(None).value, "unknown");
    }
}
