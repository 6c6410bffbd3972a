//! A strict, bounds-checked reader of ABI-encoded return data, word by word,
//! for the data providers' `getReservesData`, whose structs have more fields
//! than `sol!` tuples take. Shared by every periphery layout.

use alloy_primitives::{Address, I256, U256};

use super::{BaseCurrency, MarketReserves, Reserve};
use crate::ReturnError;

/// Longest string accepted (symbols, names, labels are a few bytes).
const MAX_STRING_BYTES: usize = 1024;
/// `getReservesData` returns `(AggregatedReserveData[], BaseCurrencyInfo)`: an
/// offset to the array, then the four static words of `BaseCurrencyInfo`.
const RETURN_HEAD_WORDS: usize = 5;

/// Return data of one call, read word by word.
pub(super) struct AbiWords<'a> {
    data: &'a [u8],
    call: &'static str,
}

/// Decodes `getReservesData`'s `(AggregatedReserveData[], BaseCurrencyInfo)`,
/// each reserve a struct of `head_words` head words read by `reserve`.
pub(super) fn decode_reserves_array(
    data: &[u8],
    call: &'static str,
    head_words: usize,
    reserve: impl Fn(&AbiWords<'_>, usize) -> Result<Reserve, ReturnError>,
) -> Result<MarketReserves, ReturnError> {
    if data.is_empty() {
        return Err(ReturnError::Empty { call });
    }
    let abi = AbiWords { data, call };
    let head = abi.words(0, RETURN_HEAD_WORDS)?;
    let array = abi.offset(head, 0, 0)?;
    let base_currency =
        BaseCurrency { unit: abi.uint(head, 1, 256)?, price_in_usd: I256::from_raw(abi.uint(head, 2, 256)?) };
    let len = abi.length(array)?;
    let items = array + 32;
    // Each element is at least its offset word and its head: refuse a length the data cannot hold.
    if len > data.len() / (32 * (head_words + 1)) {
        return Err(abi.error(format!("an array of {len} reserves in {} bytes", data.len())));
    }
    let offsets = abi.words(items, len)?;
    let reserves = (0..len)
        .map(|i| {
            let at = abi.offset(offsets, i, items)?;
            // Word 1 (`name`) is the struct's first dynamic field, and an ABI
            // encoder puts its data right after the head: so it gives the
            // head's size, and another layout is refused here, not misread.
            let name_at = abi.uint(abi.words(at, 2)?, 1, 256)?;
            if name_at != alloy_primitives::U256::from(head_words * 32) {
                return Err(abi.error(format!(
                    "reserve {i} has a {}-word struct where this layout has {head_words}: \
                     the data provider serves another layout",
                    name_at / alloy_primitives::U256::from(32)
                )));
            }
            reserve(&abi, at)
        })
        .collect::<Result<_, _>>()?;
    Ok(MarketReserves { reserves, base_currency, reserves_count: None })
}

impl<'a> AbiWords<'a> {
    pub(super) fn error(&self, reason: String) -> ReturnError {
        ReturnError::Abi { call: self.call, reason }
    }

    /// `count` words from byte `at`.
    pub(super) fn words(&self, at: usize, count: usize) -> Result<&'a [u8], ReturnError> {
        at.checked_add(count.saturating_mul(32)).and_then(|end| self.data.get(at..end)).ok_or_else(|| {
            self.error(format!("{count} words at byte {at} run past the {} bytes returned", self.data.len()))
        })
    }

    /// Word `i` of `words` as an unsigned integer of `bits` bits, its high bits clean.
    pub(super) fn uint(&self, words: &[u8], i: usize, bits: usize) -> Result<U256, ReturnError> {
        let word = words.get(32 * i..32 * i + 32).ok_or_else(|| self.error(format!("word {i} is missing")))?;
        let value = U256::from_be_slice(word);
        if bits < 256 && value >> bits != U256::ZERO {
            return Err(self.error(format!("word {i} ({value}) does not fit a uint{bits}")));
        }
        Ok(value)
    }

    /// Word `i` of `words` as an offset from `base`, inside the data.
    pub(super) fn offset(&self, words: &[u8], i: usize, base: usize) -> Result<usize, ReturnError> {
        let at = usize::try_from(self.uint(words, i, 256)?)
            .ok()
            .and_then(|o| base.checked_add(o))
            .filter(|at| *at < self.data.len())
            .ok_or_else(|| self.error(format!("offset word {i} points past the {} bytes returned", self.data.len())))?;
        Ok(at)
    }

    /// The length word at `at`.
    pub(super) fn length(&self, at: usize) -> Result<usize, ReturnError> {
        let word = self.words(at, 1)?;
        usize::try_from(self.uint(word, 0, 256)?)
            .ok()
            .filter(|len| *len <= self.data.len())
            .ok_or_else(|| self.error(format!("a length at byte {at} is more than the data holds")))
    }

    pub(super) fn address(&self, words: &[u8], i: usize) -> Result<Address, ReturnError> {
        Ok(Address::from_word(self.uint(words, i, 160)?.into()))
    }

    pub(super) fn bool(&self, words: &[u8], i: usize) -> Result<bool, ReturnError> {
        Ok(!self.uint(words, i, 1)?.is_zero())
    }

    pub(super) fn small<T: TryFrom<U256>>(&self, words: &[u8], i: usize, bits: usize) -> Result<T, ReturnError> {
        T::try_from(self.uint(words, i, bits)?).map_err(|_| self.error(format!("word {i} is out of range")))
    }

    /// The string whose offset (from `base`) is word `i` of `words`.
    pub(super) fn string(&self, words: &[u8], i: usize, base: usize) -> Result<String, ReturnError> {
        let at = self.offset(words, i, base)?;
        let len = self.length(at)?;
        if len > MAX_STRING_BYTES {
            return Err(self.error(format!("a string of {len} bytes")));
        }
        let bytes = self.words(at + 32, len.div_ceil(32))?;
        String::from_utf8(bytes[..len].to_vec()).map_err(|_| self.error(format!("string word {i} is not UTF-8")))
    }
}
