//! Keeping plans: named scenarios saved in the browser (localStorage), and
//! scenario files exported and imported in the CLI's format. Everything here
//! is pure; the browser glue is in `storage` at the bottom.
//!
//! Each saved scenario is its own localStorage entry, keyed
//! [`KEY_PREFIX`]`<name>`, holding `{"format":"ballast.saved-scenario/1",
//! "name":…,"saved_at":…,"scenario":{…}}`. One entry per key means a corrupt
//! or newer-format entry is skipped on its own and never costs the others.

use ballast_core::scenario::{Scenario, MAX_INPUT_BYTES};
use serde::{Deserialize, Serialize};

/// The key of every saved scenario begins with this (the version is in it,
/// so a later format can live next to this one).
pub const KEY_PREFIX: &str = "ballast.saved-scenario.v1:";
/// The format an entry's value declares.
pub const FORMAT: &str = "ballast.saved-scenario/1";
/// The longest name, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// The most scenarios kept; localStorage holds about 5 MB per site.
pub const MAX_SAVED: usize = 50;

/// A scenario the user saved under a name.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedScenario {
    pub name: String,
    /// When it was saved, ISO 8601 UTC as the browser gives it.
    pub saved_at: String,
    pub scenario: Scenario,
}

/// A stored entry that could not be read: shown with the reason and left
/// where it is (the user may delete it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub key: String,
    pub problem: String,
}

impl Unreadable {
    /// The name the entry was saved under, from its key.
    pub fn name(&self) -> &str {
        self.key.strip_prefix(KEY_PREFIX).unwrap_or(&self.key)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    format: String,
    name: String,
    saved_at: String,
    scenario: serde_json::Value,
}

/// The name trimmed, or why it cannot be one.
pub fn valid_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the scenario a name to save it under.".into());
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(format!("The name is {chars} characters long; at most {MAX_NAME_CHARS} are allowed."));
    }
    if name.chars().any(char::is_control) {
        return Err("The name holds a control character (a tab or a line break); use plain text.".into());
    }
    Ok(name.to_owned())
}

/// The localStorage key of the scenario saved as `name`.
pub fn key_for(name: &str) -> String {
    format!("{KEY_PREFIX}{name}")
}

/// The stored text of `saved`.
pub fn encode_entry(saved: &SavedScenario) -> String {
    let scenario =
        serde_json::to_value(&saved.scenario).unwrap_or_else(|e| unreachable!("a scenario always serialises: {e}"));
    let entry = Entry { format: FORMAT.into(), name: saved.name.clone(), saved_at: saved.saved_at.clone(), scenario };
    serde_json::to_string(&entry).unwrap_or_else(|e| unreachable!("an entry always serialises: {e}"))
}

/// The saved scenario stored under `key`, validated as any scenario file is.
pub fn decode_entry(key: &str, text: &str) -> Result<SavedScenario, Unreadable> {
    let unreadable = |problem: String| Unreadable { key: key.to_owned(), problem };
    if text.len() > MAX_INPUT_BYTES {
        return Err(unreadable(format!("it is {} bytes, more than any scenario", text.len())));
    }
    // The format first, so a newer Ballast's entry is named as such, not as broken.
    let tree: serde_json::Value = serde_json::from_str(text).map_err(|_| unreadable("it is not valid JSON".into()))?;
    match tree.get("format").and_then(serde_json::Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(unreadable(format!("it was saved in format {other:?}, which this version cannot read")))
        }
        None => return Err(unreadable("it has no format field".into())),
    }
    let entry: Entry = serde_json::from_value(tree).map_err(|e| unreadable(format!("it is damaged ({e})")))?;
    if key.strip_prefix(KEY_PREFIX) != Some(entry.name.as_str()) {
        return Err(unreadable(format!("its name {:?} does not match its key", entry.name)));
    }
    let scenario = Scenario::parse(&entry.scenario.to_string())
        .map_err(|e| unreadable(format!("its scenario is invalid: {e}")))?;
    Ok(SavedScenario { name: entry.name, saved_at: entry.saved_at, scenario })
}

/// Every saved scenario among `entries` (key, value), by name, and the
/// entries that could not be read. Keys of other formats are ignored.
pub fn read_all(entries: impl IntoIterator<Item = (String, String)>) -> (Vec<SavedScenario>, Vec<Unreadable>) {
    let (mut saved, mut unreadable) = (Vec::new(), Vec::new());
    for (key, text) in entries.into_iter().filter(|(k, _)| k.starts_with(KEY_PREFIX)) {
        match decode_entry(&key, &text) {
            Ok(s) => saved.push(s),
            Err(u) => unreadable.push(u),
        }
    }
    saved.sort_by(|a, b| a.name.cmp(&b.name));
    unreadable.sort_by(|a, b| a.key.cmp(&b.key));
    (saved, unreadable)
}

/// A scenario file's text, as `ballast eval` reads it (pretty, for people).
pub fn export_json(scenario: &Scenario) -> String {
    let mut text =
        serde_json::to_string_pretty(scenario).unwrap_or_else(|e| unreachable!("a scenario always serialises: {e}"));
    text.push('\n');
    text
}

/// A file name for an exported scenario: the label's letters and digits.
pub fn export_file_name(label: &str) -> String {
    let mut slug = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "ballast-scenario.json".into()
    } else {
        format!("ballast-{slug}.json")
    }
}

/// The scenario in pasted or uploaded text: a scenario file (the CLI's
/// format) or a share link. The message names what is wrong.
pub fn import(text: &str) -> Result<Scenario, String> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "The file is {} bytes; scenario files are at most {MAX_INPUT_BYTES} bytes (1 MiB).",
            text.len()
        ));
    }
    let text = text.trim();
    if text.is_empty() {
        return Err("There is nothing to import: paste a scenario file's JSON or a share link.".into());
    }
    if !text.starts_with('{') {
        // A share link, whole or just its `1.…` part.
        let link = text
            .split_once('#')
            .and_then(|(_, fragment)| ballast_core::share::in_fragment(fragment))
            .or_else(|| text.split_once("scenario=").map(|(_, rest)| rest.split(['&', '#']).next().unwrap_or(rest)))
            .unwrap_or(text);
        return ballast_core::share::decode(link).map_err(|e| {
            format!("This is neither a scenario file (JSON starting with {{) nor a share link that can be read: {e}")
        });
    }
    Scenario::parse(text).map_err(|e| format!("The scenario file is not valid: {e}"))
}

/// The browser side: localStorage. Failures (storage off, quota full) come
/// back as messages; nothing here panics.
pub mod storage {
    use super::*;

    fn local_storage() -> Result<web_sys::Storage, String> {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .ok_or_else(|| "This browser does not let the page keep data (storage is off or private mode).".to_owned())
    }

    /// Every saved scenario and every entry that could not be read.
    pub fn load() -> Result<(Vec<SavedScenario>, Vec<Unreadable>), String> {
        let storage = local_storage()?;
        let count = storage.length().map_err(|_| "The saved scenarios could not be listed.".to_owned())?;
        let entries = (0..count).filter_map(|i| {
            let key = storage.key(i).ok().flatten()?;
            let value = storage.get_item(&key).ok().flatten()?;
            Some((key, value))
        });
        Ok(read_all(entries.collect::<Vec<_>>()))
    }

    /// Saves `saved`, replacing one of the same name; `count` is how many are
    /// saved now (a new name past [`MAX_SAVED`] is refused).
    pub fn save(saved: &SavedScenario, count: usize) -> Result<(), String> {
        let storage = local_storage()?;
        let key = key_for(&saved.name);
        let exists = storage.get_item(&key).ok().flatten().is_some();
        if !exists && count >= MAX_SAVED {
            return Err(format!("{MAX_SAVED} scenarios are saved already; delete one to save another."));
        }
        storage
            .set_item(&key, &encode_entry(saved))
            .map_err(|_| "The browser's storage is full; delete a saved scenario and try again.".to_owned())
    }

    /// Deletes the entry under `key` (readable or not).
    pub fn delete(key: &str) -> Result<(), String> {
        local_storage()?.remove_item(key).map_err(|_| "The saved scenario could not be deleted.".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../../../crates/ballast-cli/tests/fixtures/spec-aave-v3.json");

    fn saved(name: &str) -> SavedScenario {
        SavedScenario {
            name: name.into(),
            saved_at: "2026-11-26T04:00:00.000Z".into(),
            scenario: Scenario::parse(SPEC).unwrap(),
        }
    }

    #[test]
    fn an_entry_round_trips_and_its_key_carries_the_version() {
        let s = saved("ETH −30 %");
        assert_eq!(key_for(&s.name), "ballast.saved-scenario.v1:ETH −30 %");
        assert_eq!(decode_entry(&key_for(&s.name), &encode_entry(&s)).unwrap(), s);
    }

    #[test]
    fn a_corrupt_entry_is_skipped_with_its_reason_and_the_others_survive() {
        let good = saved("good");
        let other = saved("also good");
        let mut newer = encode_entry(&saved("newer")).replace(FORMAT, "ballast.saved-scenario/2");
        newer.push(' ');
        let bad_price = encode_entry(&saved("bad price")).replace(r#""price":"2000""#, r#""price":"-1""#);
        let (ok, bad) = read_all([
            (key_for("good"), encode_entry(&good)),
            (key_for("broken"), "{\"format\":\"ballast.saved-scenario/1\",".into()),
            ("someone-else".into(), "not ours".into()),
            (key_for("newer"), newer),
            (key_for("bad price"), bad_price),
            (key_for("also good"), encode_entry(&other)),
            (key_for("renamed"), encode_entry(&saved("other name"))),
        ]);
        assert_eq!(ok, vec![other, good], "sorted by name, both kept");
        let problems: Vec<(&str, &str)> = bad.iter().map(|u| (u.name(), u.problem.as_str())).collect();
        assert_eq!(problems[0].0, "bad price");
        assert!(problems[0].1.starts_with("its scenario is invalid: assets[0].price:"), "{}", problems[0].1);
        assert_eq!(problems[1], ("broken", "it is not valid JSON"));
        assert_eq!(
            problems[2],
            ("newer", "it was saved in format \"ballast.saved-scenario/2\", which this version cannot read")
        );
        assert_eq!(problems[3], ("renamed", "its name \"other name\" does not match its key"));
        assert_eq!(bad.len(), 4);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(valid_name("  my plan ").unwrap(), "my plan");
        assert_eq!(valid_name(" ").unwrap_err(), "Give the scenario a name to save it under.");
        assert_eq!(valid_name(&"é".repeat(61)).unwrap_err(), "The name is 61 characters long; at most 60 are allowed.");
        assert!(valid_name("a\tb").is_err());
        assert!(valid_name(&"é".repeat(60)).is_ok());
    }

    #[test]
    fn an_export_is_a_scenario_file_the_cli_reads_back_identically() {
        let s = Scenario::parse(SPEC).unwrap();
        let text = export_json(&s);
        assert!(text.starts_with("{\n  \"schema\": \"ballast.scenario/1\""), "{text}");
        assert_eq!(Scenario::parse(&text).unwrap(), s);
        assert_eq!(import(&text).unwrap(), s);
        assert_eq!(export_file_name("Aave V3 demo · WETH/USDC"), "ballast-aave-v3-demo-weth-usdc.json");
        assert_eq!(export_file_name("···"), "ballast-scenario.json");
    }

    #[test]
    fn imports_take_files_or_links_and_say_what_is_wrong() {
        let s = Scenario::parse(SPEC).unwrap();
        let link = ballast_core::share::encode(&s);
        assert_eq!(import(&link).unwrap(), s);
        assert_eq!(import(&format!("https://x.example/app/?view=plan#scenario={link}")).unwrap(), s);
        assert_eq!(import(&format!("https://x.example/?scenario={link}&view=plan")).unwrap(), s);
        assert_eq!(
            import("  ").unwrap_err(),
            "There is nothing to import: paste a scenario file's JSON or a share link."
        );
        let wrong = import(&SPEC.replace("aave-v3", "aave-v9")).unwrap_err();
        assert!(wrong.starts_with("The scenario file is not valid: protocol: unknown protocol \"aave-v9\""), "{wrong}");
        assert!(import("hello").unwrap_err().starts_with("This is neither a scenario file"));
        assert!(import(&" ".repeat(MAX_INPUT_BYTES + 1)).unwrap_err().starts_with("The file is 1048577 bytes"));
    }
}
