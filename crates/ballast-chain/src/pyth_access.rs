//! The user's Pyth API key and what Pyth's answers about it mean.
//!
//! Since the Pyth Core upgrade (26 Aug 2026) Hermes answers 401 to a request
//! without `Authorization: Bearer <key>`, and the price history API
//! (`pyth.dourolabs.app/v1/{channel}/history`) asks for the same header. The
//! key is the user's own, from Pyth; Ballast sends it only in that header,
//! only to the Pyth endpoints in the user's settings — never in a URL, a
//! message, a log line, a share link or an export. Its `Debug` is redacted
//! so a stray `{:?}` cannot print it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The day Hermes began to refuse requests without a key.
pub const KEY_REQUIRED_SINCE: &str = "26 Aug 2026";
/// Longest key accepted: Pyth's are far shorter; this only bounds what is stored.
pub const MAX_KEY_LEN: usize = 512;

/// What to tell the user when Pyth refuses a request for want of a key.
pub const KEY_NEEDED: &str = "Pyth needs an API key since 26 Aug 2026: add yours in Settings → Pyth API key";

/// A Pyth API key as the user typed it (trimmed). Empty means none is set.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PythApiKey(String);

impl fmt::Debug for PythApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.is_set() {
            true => f.write_str("PythApiKey(<redacted>)"),
            false => f.write_str("PythApiKey(<none>)"),
        }
    }
}

/// Why a typed key cannot be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiKeyError {
    // The key itself is never quoted back: the message may be shown or shared.
    #[error("the Pyth API key may hold only visible ASCII characters (no spaces or line breaks)")]
    BadCharacters,
    #[error("the Pyth API key is longer than {MAX_KEY_LEN} characters")]
    TooLong,
}

impl PythApiKey {
    /// A key from what the user typed: surrounding blanks trimmed (pasted keys
    /// often carry a newline); an empty entry is "no key". A leading `Bearer `
    /// pasted along with it is dropped. Anything a header cannot carry is refused.
    pub fn parse(typed: &str) -> Result<Self, ApiKeyError> {
        let trimmed = typed.trim();
        let key = trimmed.strip_prefix("Bearer ").map_or(trimmed, str::trim_start);
        if key.len() > MAX_KEY_LEN {
            return Err(ApiKeyError::TooLong);
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ApiKeyError::BadCharacters);
        }
        Ok(Self(key.to_owned()))
    }

    pub fn is_set(&self) -> bool {
        !self.0.is_empty()
    }

    /// The key as typed, for the settings field only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization` header's value, `None` when no key is set (or the
    /// saved one could not be sent: then the request goes without, and Pyth's
    /// 401 says what to do).
    pub fn authorization(&self) -> Option<String> {
        match Self::parse(&self.0) {
            Ok(key) if key.is_set() => Some(format!("Bearer {}", key.0)),
            _ => None,
        }
    }
}

/// The message for an HTTP `status` from a Pyth service (`service` names it,
/// e.g. "Hermes"), when the status is about access: 401/403 say the key is
/// missing (none set) or refused (one set). `None` for any other status.
pub fn access_refused(service: &str, status: u16, key_set: bool) -> Option<String> {
    if !matches!(status, 401 | 403) {
        return None;
    }
    Some(match key_set {
        false => format!("{service} answered HTTP {status} — {KEY_NEEDED}"),
        true => {
            format!("{service} refused your Pyth API key (HTTP {status}): check it, or its plan, in Settings → Pyth API key")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_sent_as_a_bearer_token_and_never_shown() {
        let key = PythApiKey::parse("  pk_live_3f9A-x.y_z\n").unwrap();
        assert_eq!(key.authorization().as_deref(), Some("Bearer pk_live_3f9A-x.y_z"));
        assert_eq!(format!("{key:?}"), "PythApiKey(<redacted>)");
        assert!(!format!("{key:?}").contains("pk_live"));
        // Pasted with its scheme: the scheme is not sent twice.
        assert_eq!(PythApiKey::parse("Bearer abc").unwrap().authorization().as_deref(), Some("Bearer abc"));
        let none = PythApiKey::parse("   ").unwrap();
        assert!(!none.is_set());
        assert_eq!(none.authorization(), None);
        assert_eq!(format!("{none:?}"), "PythApiKey(<none>)");
    }

    #[test]
    fn keys_a_header_cannot_carry_are_refused_without_quoting_them() {
        for bad in ["two words", "tab\there", "é-key", "line\nbreak"] {
            let e = PythApiKey::parse(bad).unwrap_err();
            assert_eq!(e, ApiKeyError::BadCharacters, "{bad:?}");
            assert!(!e.to_string().contains(bad), "{e}");
        }
        assert_eq!(PythApiKey::parse(&"k".repeat(MAX_KEY_LEN + 1)), Err(ApiKeyError::TooLong));
        assert!(PythApiKey::parse(&"k".repeat(MAX_KEY_LEN)).is_ok());
        // A bad key that reached the saved settings by hand is not sent.
        let saved: PythApiKey = serde_json::from_str(r#""bad key""#).unwrap();
        assert_eq!(saved.authorization(), None);
        assert_eq!(serde_json::to_string(&PythApiKey::parse("k1").unwrap()).unwrap(), r#""k1""#);
    }

    #[test]
    fn only_401_and_403_are_about_the_key() {
        assert_eq!(
            access_refused("Hermes", 401, false).as_deref(),
            Some("Hermes answered HTTP 401 — Pyth needs an API key since 26 Aug 2026: add yours in Settings → Pyth API key")
        );
        assert_eq!(
            access_refused("Pyth history", 403, true).as_deref(),
            Some(
                "Pyth history refused your Pyth API key (HTTP 403): check it, or its plan, in Settings → Pyth API key"
            )
        );
        for other in [400, 404, 429, 500] {
            assert_eq!(access_refused("Hermes", other, false), None, "{other}");
        }
    }
}
