//! Pyth prices from Hermes, `GET /v2/updates/price/latest?ids[]=…`.
//!
//! Hermes answers with the signed update (`binary`, ignored here: nothing is
//! posted on chain) and its decoded form, `parsed`: per feed an id (hex
//! without 0x), and `price`/`ema_price` objects whose `price` and `conf` are
//! integers sent as strings, with an exponent `expo` and a Unix
//! `publish_time`. A price is exactly `price × 10^expo`, give or take `conf × 10^expo`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use alloy_primitives::{hex, B256};
use serde::Deserialize;

use crate::decimal::{Decimal, DecimalError};

/// Hermes on Pyth's upgraded Core, the endpoint Pyth's upgrade guide gives to
/// clients with an API key (docs.pyth.network, "Preparing for the Pyth Core
/// upgrade", EVM notes); the endpoint stays the user's choice.
pub const HERMES_ENDPOINT: &str = "https://pyth.dourolabs.app/hermes";
/// Pyth's public Hermes before the Core upgrade. It now redirects to the
/// upgraded backend, and a browser cannot follow that with a key: a redirected
/// CORS preflight fails, and a cross-origin redirect drops `Authorization`.
/// Kept only to move old saved settings to [`HERMES_ENDPOINT`].
pub const LEGACY_HERMES_ENDPOINT: &str = "https://hermes.pyth.network";
/// Largest body read: a feed's entry is under 1 KiB with its binary update.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most feeds asked for in one request.
pub const MAX_IDS: usize = 100;

/// A Pyth price feed id: 32 bytes, written in hex with or without 0x.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FeedId(pub B256);

impl FromStr for FeedId {
    type Err = HermesError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits = text.strip_prefix("0x").unwrap_or(text);
        let mut bytes = [0u8; 32];
        match digits.len() == 64 && hex::decode_to_slice(digits, &mut bytes).is_ok() {
            true => Ok(Self(B256::from(bytes))),
            false => Err(HermesError::BadId(text.chars().take(80).collect())),
        }
    }
}

impl fmt::Display for FeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Debug for FeedId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FeedId({})", self.0)
    }
}

/// One feed's latest price, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythPrice {
    pub id: FeedId,
    pub price: Decimal,
    /// Pyth's confidence: the price is within ± this, per its publishers.
    pub confidence: Decimal,
    /// Unix seconds.
    pub publish_time: i64,
    /// The exponential moving average Pyth publishes beside the price.
    pub ema_price: Option<Decimal>,
}

impl PythPrice {
    /// `(price − confidence, price + confidence)`.
    pub fn confidence_interval(&self) -> Result<(Decimal, Decimal), DecimalError> {
        Ok((self.price.checked_sub(self.confidence)?, self.price.checked_add(self.confidence)?))
    }
}

/// Why a Hermes request cannot be built or its answer read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HermesError {
    #[error("{0:?} is not an http(s) endpoint without query or fragment")]
    BadEndpoint(String),
    #[error("a request names 1 to {MAX_IDS} feeds, not {0}")]
    IdCount(usize),
    #[error("{0:?} is not a feed id (32 bytes of hex)")]
    BadId(String),
    #[error("the body is {len} bytes, more than the {MAX_BODY_BYTES} read")]
    TooLarge { len: usize },
    #[error("the body is not a Hermes price update: {0}")]
    Malformed(String),
    #[error("the body has no parsed prices (was parsed=false sent?)")]
    NoParsed,
    #[error("Hermes sent feed {0}, which was not asked for")]
    UnexpectedId(FeedId),
    #[error("Hermes sent feed {0} twice")]
    DuplicateFeed(FeedId),
    #[error("Hermes sent nothing for feed {0}")]
    Missing(FeedId),
    #[error("feed {id}: {field} {value:?} is not an integer")]
    BadNumber { id: FeedId, field: &'static str, value: String },
    #[error("feed {id}: {source}")]
    Decimal { id: FeedId, source: DecimalError },
}

/// The URL of the latest prices of `ids` at `endpoint` (e.g.
/// [`HERMES_ENDPOINT`], or a provider's URL with its path).
pub fn latest_price_url(endpoint: &str, ids: &[FeedId]) -> Result<String, HermesError> {
    let base = endpoint.trim_end_matches('/');
    let scheme_ok = base.starts_with("https://") || base.starts_with("http://");
    if !scheme_ok || base.contains(['?', '#', ' ']) || base.ends_with(':') || base.ends_with("//") {
        return Err(HermesError::BadEndpoint(endpoint.chars().take(200).collect()));
    }
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(HermesError::IdCount(ids.len()));
    }
    // `ids[]` percent-encoded, as Hermes's own examples send it.
    let query: Vec<String> = ids.iter().map(|id| format!("ids%5B%5D={id}")).collect();
    Ok(format!("{base}/v2/updates/price/latest?{}&parsed=true", query.join("&")))
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    parsed: Option<Vec<RawFeed>>,
}

#[derive(Deserialize)]
struct RawFeed {
    id: String,
    price: RawPrice,
    #[serde(default)]
    ema_price: Option<RawPrice>,
}

#[derive(Deserialize)]
struct RawPrice {
    price: String,
    conf: String,
    expo: i32,
    publish_time: i64,
}

/// The prices of `requested`, in that order. A feed missing, sent twice or
/// never asked for is an error: prices must not be matched to the wrong asset.
pub fn parse_latest(body: &str, requested: &[FeedId]) -> Result<Vec<PythPrice>, HermesError> {
    if requested.is_empty() || requested.len() > MAX_IDS {
        return Err(HermesError::IdCount(requested.len()));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(HermesError::TooLarge { len: body.len() });
    }
    let body: Body = serde_json::from_str(body).map_err(|e| HermesError::Malformed(e.to_string()))?;
    let feeds = body.parsed.ok_or(HermesError::NoParsed)?;
    let mut by_id = HashMap::with_capacity(feeds.len());
    for raw in feeds {
        let id: FeedId = raw.id.parse()?;
        if !requested.contains(&id) {
            return Err(HermesError::UnexpectedId(id));
        }
        let price = convert(id, raw)?;
        if by_id.insert(id, price).is_some() {
            return Err(HermesError::DuplicateFeed(id));
        }
    }
    requested.iter().map(|id| by_id.remove(id).ok_or(HermesError::Missing(*id))).collect()
}

fn convert(id: FeedId, raw: RawFeed) -> Result<PythPrice, HermesError> {
    let (price, confidence) = exact(id, &raw.price)?;
    let ema_price = raw.ema_price.as_ref().map(|ema| exact(id, ema).map(|(p, _)| p)).transpose()?;
    Ok(PythPrice { id, price, confidence, publish_time: raw.price.publish_time, ema_price })
}

/// `price × 10^expo` and `conf × 10^expo`. Price is an i64 and conf a u64 on
/// Pythnet; the strings must be plain integers.
fn exact(id: FeedId, raw: &RawPrice) -> Result<(Decimal, Decimal), HermesError> {
    let integer = |field: &'static str, text: &str, signed: bool| {
        let digits = if signed { text.strip_prefix('-').unwrap_or(text) } else { text };
        let plain = !digits.is_empty() && digits.len() <= 20 && digits.bytes().all(|b| b.is_ascii_digit());
        let value = if plain { text.parse::<i128>().ok() } else { None };
        value.ok_or_else(|| HermesError::BadNumber { id, field, value: text.chars().take(40).collect() })
    };
    let price = integer("price", &raw.price, true)?;
    let conf = integer("conf", &raw.conf, false)?;
    let decimal =
        |mantissa| Decimal::from_exponent(mantissa, raw.expo).map_err(|source| HermesError::Decimal { id, source });
    Ok((decimal(price)?, decimal(conf)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ETH_USD: &str = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";
    const BTC_USD: &str = "e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43";

    fn id(hex: &str) -> FeedId {
        hex.parse().unwrap()
    }

    /// A `/v2/updates/price/latest` body for ETH/USD as Hermes sends it
    /// (quoted in a public repository's tests), binary update shortened.
    const ETH_BODY: &str = r#"{"binary":{"encoding":"hex","data":["504e41550100000003b80100"]},"parsed":[{"id":"ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace","price":{"price":"195656091864","conf":"87908136","expo":-8,"publish_time":1785143368},"ema_price":{"price":"196361740000","conf":"69342421","expo":-8,"publish_time":1785143368},"metadata":{"slot":304918931,"proof_available_time":1785143370,"prev_publish_time":1785143368}}]}"#;

    #[test]
    fn url_asks_for_each_feed_once_encoded() {
        let url = latest_price_url("https://hermes.pyth.network/", &[id(ETH_USD), id(BTC_USD)]).unwrap();
        assert_eq!(
            url,
            format!("https://hermes.pyth.network/v2/updates/price/latest?ids%5B%5D=0x{ETH_USD}&ids%5B%5D=0x{BTC_USD}&parsed=true")
        );
        let provider = latest_price_url("https://example.rpcpool.com/token/hermes", &[id(ETH_USD)]).unwrap();
        assert!(provider.starts_with("https://example.rpcpool.com/token/hermes/v2/updates/price/latest?"));
        for bad in ["hermes.pyth.network", "ftp://x", "https://x?y=1", "https://", ""] {
            assert!(latest_price_url(bad, &[id(ETH_USD)]).is_err(), "{bad:?} accepted");
        }
        assert_eq!(latest_price_url(HERMES_ENDPOINT, &[]), Err(HermesError::IdCount(0)));
        // The upgraded endpoint has a path: it is kept.
        assert_eq!(
            latest_price_url(HERMES_ENDPOINT, &[id(ETH_USD)]).unwrap(),
            format!("https://pyth.dourolabs.app/hermes/v2/updates/price/latest?ids%5B%5D=0x{ETH_USD}&parsed=true")
        );
    }

    #[test]
    fn parses_an_exact_price_and_its_confidence_interval() {
        let prices = parse_latest(ETH_BODY, &[id(&format!("0x{ETH_USD}"))]).unwrap();
        let eth = &prices[0];
        assert_eq!(eth.price.to_string(), "1956.56091864");
        assert_eq!(eth.confidence.to_string(), "0.87908136");
        assert_eq!(eth.publish_time, 1_785_143_368);
        assert_eq!(eth.ema_price.map(|p| p.to_string()).as_deref(), Some("1963.61740000"));
        let (low, high) = eth.confidence_interval().unwrap();
        assert_eq!((low.to_string(), high.to_string()), ("1955.68183728".into(), "1957.44000000".into()));
    }

    #[test]
    fn orders_by_request_and_rejects_mismatched_ids() {
        let btc_entry = format!(
            r#"{{"id":"{BTC_USD}","price":{{"price":"11168649121012","conf":"3107879000","expo":-8,"publish_time":1761380527}}}}"#
        );
        let eth_entry = &ETH_BODY[ETH_BODY.find(r#"{"id""#).unwrap()..ETH_BODY.len() - 2];
        let both = format!(r#"{{"parsed":[{eth_entry},{btc_entry}]}}"#);
        let prices = parse_latest(&both, &[id(BTC_USD), id(ETH_USD)]).unwrap();
        assert_eq!(prices[0].price.to_string(), "111686.49121012");
        assert_eq!(prices[0].ema_price, None);
        assert_eq!(prices[1].id, id(ETH_USD));

        assert_eq!(parse_latest(ETH_BODY, &[id(BTC_USD)]), Err(HermesError::UnexpectedId(id(ETH_USD))));
        assert_eq!(parse_latest(ETH_BODY, &[id(ETH_USD), id(BTC_USD)]), Err(HermesError::Missing(id(BTC_USD))));
        let twice = format!(r#"{{"parsed":[{eth_entry},{eth_entry}]}}"#);
        assert_eq!(parse_latest(&twice, &[id(ETH_USD)]), Err(HermesError::DuplicateFeed(id(ETH_USD))));
    }

    #[test]
    fn exponents_of_either_sign_and_negative_prices() {
        let body = |price: &str, conf: &str, expo: i32| {
            format!(
                r#"{{"parsed":[{{"id":"{ETH_USD}","price":{{"price":"{price}","conf":"{conf}","expo":{expo},"publish_time":1}}}}]}}"#
            )
        };
        let parse = |b: String| parse_latest(&b, &[id(ETH_USD)]);
        // A small-cap feed with a 10^-10 exponent.
        assert_eq!(parse(body("12345", "7", -10)).unwrap()[0].price.to_string(), "0.0000012345");
        assert_eq!(parse(body("12345", "7", 2)).unwrap()[0].price.to_string(), "1234500");
        // Hermes can send a negative price; the status, not the parser, rejects it.
        let negative = parse(body("-5", "1", -1)).unwrap();
        assert_eq!(negative[0].price.to_string(), "-0.5");
        assert!(matches!(parse(body("1", "1", -77)), Err(HermesError::Decimal { .. })));
        for (price, conf) in
            [("1.5", "1"), ("1e3", "1"), ("", "1"), ("1", "-1"), ("0x10", "1"), ("99999999999999999999999", "1")]
        {
            assert!(
                matches!(parse(body(price, conf, -8)), Err(HermesError::BadNumber { .. })),
                "{price:?}/{conf:?} accepted"
            );
        }
    }

    #[test]
    fn garbage_bodies_are_errors() {
        let asked = [id(ETH_USD)];
        for body in ["", "Price ids not found: 0xdead", "{}", "[]", r#"{"parsed":null}"#, r#"{"parsed":[{"id":"zz"}]}"#]
        {
            assert!(parse_latest(body, &asked).is_err(), "{body:?} parsed");
        }
        assert_eq!(parse_latest(r#"{"binary":{"data":[]}}"#, &asked), Err(HermesError::NoParsed));
        let bad_id = r#"{"parsed":[{"id":"ff61","price":{"price":"1","conf":"1","expo":0,"publish_time":1}}]}"#;
        assert_eq!(parse_latest(bad_id, &asked), Err(HermesError::BadId("ff61".into())));
        let huge = " ".repeat(MAX_BODY_BYTES + 1);
        assert_eq!(parse_latest(&huge, &asked), Err(HermesError::TooLarge { len: MAX_BODY_BYTES + 1 }));
    }
}
