//! Share links: a scenario carried in a URL's fragment (`#scenario=1.…`), so
//! a plan can be bookmarked or sent without any server (a fragment never
//! reaches the host). `1.` + base64url (no padding) of the scenario's compact
//! JSON; decoding is strict and bounded, and what it yields is validated like
//! any scenario file.

use crate::scenario::{Scenario, ScenarioError, MAX_INPUT_BYTES};

/// The link format's version prefix.
const PREFIX: &str = "1.";
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The longest link body (after `1.`) [`link`] makes for sharing: chat apps
/// and mail clients cut longer addresses. A live read of a large Aave market
/// (every reserve with its rates and totals) can be longer; the app's own
/// links to the Plan page carry it in full, and [`decode`] opens up to what a
/// scenario file may hold ([`MAX_OPENED_CHARS`]).
pub const MAX_LINK_CHARS: usize = 32 * 1024;

/// The longest link body [`decode`] opens: base64 of the largest scenario
/// file accepted (`MAX_INPUT_BYTES`, 1 MiB), under browsers' 2 MB address
/// limit.
pub const MAX_OPENED_CHARS: usize = MAX_INPUT_BYTES.div_ceil(3) * 4;

/// The name of the fragment (and, in older links, query) parameter.
pub const LINK_PARAM: &str = "scenario";

/// The text to put in a link for `scenario`, however long.
///
/// ```
/// let s = ballast_core::Scenario::parse(r#"{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[]}"#).unwrap();
/// let link = ballast_core::share::encode(&s);
/// assert_eq!(ballast_core::share::decode(&link).unwrap(), s);
/// ```
pub fn encode(scenario: &Scenario) -> String {
    format!("{PREFIX}{}", base64url_encode(scenario.to_json().as_bytes()))
}

/// The text to put in a link for `scenario`, or why it cannot travel in one.
pub fn link(scenario: &Scenario) -> Result<String, ScenarioError> {
    let text = encode(scenario);
    let body = text.len() - PREFIX.len();
    if body > MAX_LINK_CHARS {
        return Err(ScenarioError::new(
            "link",
            format!("would be {body} characters; links hold at most {MAX_LINK_CHARS}: export the scenario as a file instead"),
        ));
    }
    Ok(text)
}

/// The share link in a URL fragment (`#scenario=1.…`, with or without the
/// `#`, other `&`-separated parameters allowed), if there is one.
pub fn in_fragment(fragment: &str) -> Option<&str> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment.split('&').find_map(|part| part.strip_prefix(LINK_PARAM)?.strip_prefix('='))
}

/// RFC 4648 §5 base64url, without padding.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// The inverse of [`base64url_encode`], refusing anything it could not produce.
fn base64url_decode(text: &str) -> Result<Vec<u8>, &'static str> {
    if text.len() % 4 == 1 {
        return Err("is cut short");
    }
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = ALPHABET.iter().position(|a| a == c).ok_or("has a character outside base64url")?;
            n |= (v as u32) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            bytes.push((n >> (16 - 8 * i) & 0xff) as u8);
        }
    }
    Ok(bytes)
}

/// The scenario in a link, or why it is not one.
pub fn decode(link: &str) -> Result<Scenario, ScenarioError> {
    let bad = |problem: &str| ScenarioError::new("link", problem);
    let body = link.strip_prefix(PREFIX).ok_or_else(|| bad("is not a Ballast share link (version 1)"))?;
    if body.len() > MAX_OPENED_CHARS {
        return Err(bad(&format!(
            "is {} characters; links hold at most {MAX_OPENED_CHARS} (a 1 MiB scenario)",
            body.len()
        )));
    }
    let bytes = base64url_decode(body).map_err(bad)?;
    let json = String::from_utf8(bytes).map_err(|_| bad("does not hold text"))?;
    Scenario::parse(&json)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../../ballast-cli/tests/fixtures/spec-aave-v3.json");

    #[test]
    fn a_scenario_survives_the_round_trip() {
        let s = Scenario::parse(SPEC).unwrap();
        let link = encode(&s);
        assert!(link.starts_with("1.eyJzY2hlbWEiOiJiYWxsYXN0LnNjZW5hcmlvLzEi"), "{link}");
        assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        assert_eq!(decode(&link).unwrap(), s);
    }

    #[test]
    fn base64url_matches_the_rfc_4648_vectors() {
        // RFC 4648 §10, without the padding.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), coded);
            assert_eq!(base64url_decode(coded).unwrap(), plain.as_bytes());
        }
        // The URL-safe alphabet: 0xfb 0xff → "-_8".
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        assert_eq!(decode("2.abc").unwrap_err().to_string(), "link: is not a Ballast share link (version 1)");
        assert_eq!(decode("1.ab*d").unwrap_err().to_string(), "link: has a character outside base64url");
        assert_eq!(decode("1.abcde").unwrap_err().to_string(), "link: is cut short");
        let link = encode(&Scenario::parse(SPEC).unwrap());
        assert!(decode(&link[..link.len() - 8]).is_err());
        let long = format!("1.{}", "A".repeat(MAX_OPENED_CHARS + 4));
        assert_eq!(
            decode(&long).unwrap_err().to_string(),
            "link: is 1398108 characters; links hold at most 1398104 (a 1 MiB scenario)"
        );
    }

    #[test]
    fn links_longer_than_a_share_link_still_open() {
        // A live read of a large market is longer than a link made to share
        // (45 reserves with rates and totals: ~38 000 characters); the app's
        // own links to the Plan page carry it and must open.
        let spaced = SPEC.replacen('{', &format!("{{{}", " ".repeat(30_000)), 1);
        let body = base64url_encode(spaced.as_bytes());
        assert!(body.len() > MAX_LINK_CHARS, "{}", body.len());
        assert_eq!(decode(&format!("1.{body}")).unwrap(), Scenario::parse(SPEC).unwrap());
    }

    /// The spec example with `n` assets, each with its e-mode category and
    /// every optional field a snapshot scenario carries.
    fn scenario_with_assets(n: usize) -> Scenario {
        let assets: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    r#"{{"symbol":"TOKEN{i}","decimals":18,"price":"1234.56789012","ltv_bps":8000,"liquidation_threshold_bps":8250,"liquidation_bonus_bps":10500,"emode_category":1,"stable":false}}"#
                )
            })
            .collect();
        let holdings: Vec<String> =
            (0..n).map(|i| format!(r#"{{"asset":"TOKEN{i}","amount":"123456.123456789012345678"}}"#)).collect();
        Scenario::parse(&format!(
            r#"{{"schema":"ballast.scenario/1","protocol":"aave-v3","assets":[{}],"collateral":[{}],"debt":[]}}"#,
            assets.join(","),
            holdings.join(",")
        ))
        .unwrap()
    }

    #[test]
    fn the_largest_scenario_fits_a_link_and_links_are_bounded() {
        let s = scenario_with_assets(crate::scenario::MAX_ASSETS);
        let link = link(&s).unwrap();
        assert!(link.len() < MAX_LINK_CHARS, "{}", link.len());
        assert_eq!(decode(&link).unwrap(), s);
    }

    #[test]
    fn the_fragment_holds_the_link_among_other_parameters() {
        assert_eq!(in_fragment("#scenario=1.abc"), Some("1.abc"));
        assert_eq!(in_fragment("x=1&scenario=1.abc&y"), Some("1.abc"));
        assert_eq!(in_fragment("#scenarios=1.abc"), None);
        assert_eq!(in_fragment(""), None);
    }
}
