//! Numbers as people type them: thousands separators taken out only where they cannot be a decimal
//! comma.
//!
//! A comma is never simply dropped: on a keypad set to German or French the decimal separator is a
//! comma, and `0,5` read as `05` is ten times what was meant. So a comma is taken out only between
//! groups of three digits before a decimal point (`1,234.5`) or in a number with two or more of them
//! (`1,234,567`). One comma alone between groups of three (`1,500`) is 1500 in English and 1.5 in
//! German: what to do with it is the caller's choice ([`OneComma`]).
//!
//! ```
//! use ballast_web::typed_number::{without_thousands_separators, GroupingError, OneComma};
//!
//! assert_eq!(without_thousands_separators("1,234.5", OneComma::Refused).as_deref(), Ok("1234.5"));
//! assert_eq!(without_thousands_separators("1_000", OneComma::Refused).as_deref(), Ok("1000"));
//! assert_eq!(
//!     without_thousands_separators("0,5", OneComma::Thousands),
//!     Err(GroupingError::DecimalComma { typed: "0,5".into(), suggestion: "0.5".into() })
//! );
//! assert!(without_thousands_separators("1,500", OneComma::Refused).is_err());
//! assert_eq!(without_thousands_separators("1,500", OneComma::Thousands).as_deref(), Ok("1500"));
//! ```

/// What one comma between groups of three (`1,500`), with no decimal point, means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneComma {
    /// Ambiguous, so refused: for amounts that are sent.
    Refused,
    /// A thousands separator: for figures where 1.5 is absurd (a market's depth in USD).
    Thousands,
}

/// A comma that is not a thousands separator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GroupingError {
    /// Most likely a decimal comma (`0,5`): the same digits with a point.
    #[error("{typed:?}: use a point for decimals, like {suggestion}")]
    DecimalComma { typed: String, suggestion: String },
    /// Commas elsewhere (`1,00,000`, `1,2,3`).
    #[error("{0:?}: commas may only separate thousands, like 1,234,567.5; use a point for decimals")]
    MisplacedComma(String),
    #[error("{0:?} could mean a thousand-something or one-and-a-fraction: write it without the comma, with a point for decimals")]
    AmbiguousComma(String),
}

/// `text` without its thousands separators (`_`, and `,` where it can only be one); the rest is left
/// for the number parser to judge.
pub fn without_thousands_separators(text: &str, one_comma: OneComma) -> Result<String, GroupingError> {
    let text = text.replace('_', "");
    // Only digits, commas and points are judged here; anything else ($, a sign, a letter) is left for
    // the number parser, which names it.
    if !text.contains(',') || !text.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        return Ok(text);
    }
    let typed = || text.chars().take(40).collect::<String>();
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let groups: Vec<&str> = whole.split(',').collect();
    // Thousands are grouped after a first group of one to three digits that is not a lone 0 (0,500
    // can only be a half).
    let grouped_by_three = fraction.is_none_or(|f| !f.contains(','))
        && (1..=3).contains(&groups[0].len())
        && !groups[0].starts_with('0')
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.len() == 3);
    if !grouped_by_three {
        // One comma with digits on both sides and no point: a decimal comma, so say how to write it.
        return Err(match text.split_once(',') {
            Some((w, f)) if fraction.is_none() && digits(w) && digits(f) => {
                GroupingError::DecimalComma { typed: typed(), suggestion: format!("{w}.{f}") }
            }
            _ => GroupingError::MisplacedComma(typed()),
        });
    }
    if fraction.is_none() && groups.len() == 2 && one_comma == OneComma::Refused {
        return Err(GroupingError::AmbiguousComma(typed()));
    }
    Ok(text.replace(',', ""))
}
