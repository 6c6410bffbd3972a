//! The data-provider layout of npm `@aave/periphery-v3@3.0.1`
//! (`contracts/misc/interfaces/IUiPoolDataProviderV3.sol`), the one deployed
//! next to Aave V3.0.x Pools and by the e2e harness. Later periphery releases
//! (aave-v3-origin's `UiPoolDataProviderV3` for 3.1+) return different structs
//! (virtual accounting, e-mode bitmaps) and need a module of their own.

use alloy_primitives::{Address, Bytes};
use alloy_sol_types::sol;

use alloy_primitives::U256;

use super::{BaseCurrency, EModeCategory, MarketReserves, Reserve, UserReserve, UserReserves};
use crate::{calldata, decode_return, ReturnError};

sol! {
    /// `IUiPoolDataProviderV3` of `@aave/periphery-v3@3.0.1`: the user side
    /// field for field. `getReservesData` returns a 54-field struct, more than
    /// `sol!` tuples go (24), so only its calldata is declared here and its
    /// return data is read by [`decode_reserves_data`] word by word.
    interface IUiPoolDataProviderV3 {
        struct UserReserveData {
            address underlyingAsset;
            uint256 scaledATokenBalance;
            bool usageAsCollateralEnabledOnUser;
            uint256 stableBorrowRate;
            uint256 scaledVariableDebt;
            uint256 principalStableDebt;
            uint256 stableBorrowLastUpdateTimestamp;
        }

        function getReservesData(address provider) external view;

        function getUserReservesData(address provider, address user)
            external view returns (UserReserveData[] memory, uint8);
    }
}

use IUiPoolDataProviderV3::{getReservesDataCall, getUserReservesDataCall};

/// Calldata for `getReservesData(provider)`, `provider` being the market's
/// PoolAddressesProvider; sent to the UiPoolDataProviderV3.
pub fn get_reserves_data_calldata(provider: Address) -> Bytes {
    calldata(&getReservesDataCall { provider })
}

/// Calldata for `getUserReservesData(provider, user)`.
pub fn get_user_reserves_data_calldata(provider: Address, user: Address) -> Bytes {
    calldata(&getUserReservesDataCall { provider, user })
}

/// Decodes `getUserReservesData`'s return data.
pub fn decode_user_reserves_data(data: &[u8]) -> Result<UserReserves, ReturnError> {
    let r = decode_return::<getUserReservesDataCall>(data)?;
    Ok(UserReserves { reserves: r._0.into_iter().map(UserReserve::from).collect(), emode_category: r._1 })
}

impl From<IUiPoolDataProviderV3::UserReserveData> for UserReserve {
    fn from(r: IUiPoolDataProviderV3::UserReserveData) -> Self {
        Self {
            underlying: r.underlyingAsset,
            scaled_a_token_balance: r.scaledATokenBalance,
            usage_as_collateral_enabled: r.usageAsCollateralEnabledOnUser,
            stable_borrow_rate: r.stableBorrowRate,
            scaled_variable_debt: r.scaledVariableDebt,
            principal_stable_debt: r.principalStableDebt,
            stable_borrow_last_update_timestamp: r.stableBorrowLastUpdateTimestamp,
        }
    }
}

/// The words of `AggregatedReserveData`'s head, in the struct's order.
const RESERVE_HEAD_WORDS: usize = 54;
/// `getReservesData` returns `(AggregatedReserveData[], BaseCurrencyInfo)`: an
/// offset to the array, then the four static words of `BaseCurrencyInfo`.
const RETURN_HEAD_WORDS: usize = 5;
/// Longest string accepted (symbols, names, labels are a few bytes).
const MAX_STRING_BYTES: usize = 1024;
const GET_RESERVES_DATA: &str = "getReservesData(address)";

/// Decodes `getReservesData`'s return data, strictly: every word in range for
/// its Solidity type, every offset and length inside the data.
pub fn decode_reserves_data(data: &[u8]) -> Result<MarketReserves, ReturnError> {
    if data.is_empty() {
        return Err(ReturnError::Empty { call: GET_RESERVES_DATA });
    }
    let abi = Abi { data };
    let head = abi.words(0, RETURN_HEAD_WORDS)?;
    let array = abi.offset(head, 0, 0)?;
    let base_currency = BaseCurrency {
        unit: Abi::uint(head, 1, 256)?,
        price_in_usd: alloy_primitives::I256::from_raw(Abi::uint(head, 2, 256)?),
    };
    let len = abi.length(array)?;
    let items = array + 32;
    // Each element is at least its offset word and its head: refuse a length the data cannot hold.
    if len > data.len() / (32 * (RESERVE_HEAD_WORDS + 1)) {
        return Err(abi.error(format!("an array of {len} reserves in {} bytes", data.len())));
    }
    let offsets = abi.words(items, len)?;
    let reserves = (0..len).map(|i| abi.reserve(abi.offset(offsets, i, items)?)).collect::<Result<_, _>>()?;
    Ok(MarketReserves { reserves, base_currency })
}

/// A bounds-checked reader of ABI-encoded return data.
struct Abi<'a> {
    data: &'a [u8],
}

impl<'a> Abi<'a> {
    fn error(&self, reason: String) -> ReturnError {
        ReturnError::Abi { call: GET_RESERVES_DATA, reason }
    }

    /// `count` words from byte `at`.
    fn words(&self, at: usize, count: usize) -> Result<&'a [u8], ReturnError> {
        at.checked_add(count.saturating_mul(32)).and_then(|end| self.data.get(at..end)).ok_or_else(|| {
            self.error(format!("{count} words at byte {at} run past the {} bytes returned", self.data.len()))
        })
    }

    /// Word `i` of `words` as an unsigned integer of `bits` bits, its high bits clean.
    fn uint(words: &[u8], i: usize, bits: usize) -> Result<U256, ReturnError> {
        let word = words
            .get(32 * i..32 * i + 32)
            .ok_or_else(|| ReturnError::Abi { call: GET_RESERVES_DATA, reason: format!("word {i} is missing") })?;
        let value = U256::from_be_slice(word);
        if bits < 256 && value >> bits != U256::ZERO {
            return Err(ReturnError::Abi {
                call: GET_RESERVES_DATA,
                reason: format!("word {i} ({value}) does not fit a uint{bits}"),
            });
        }
        Ok(value)
    }

    /// Word `i` of `words` as an offset from `base`, inside the data.
    fn offset(&self, words: &[u8], i: usize, base: usize) -> Result<usize, ReturnError> {
        let at = usize::try_from(Self::uint(words, i, 256)?)
            .ok()
            .and_then(|o| base.checked_add(o))
            .filter(|at| *at < self.data.len())
            .ok_or_else(|| self.error(format!("offset word {i} points past the {} bytes returned", self.data.len())))?;
        Ok(at)
    }

    /// The length word at `at`.
    fn length(&self, at: usize) -> Result<usize, ReturnError> {
        let word = self.words(at, 1)?;
        usize::try_from(Self::uint(word, 0, 256)?)
            .ok()
            .filter(|len| *len <= self.data.len())
            .ok_or_else(|| self.error(format!("a length at byte {at} is more than the data holds")))
    }

    fn address(words: &[u8], i: usize) -> Result<Address, ReturnError> {
        Ok(Address::from_word(Self::uint(words, i, 160)?.into()))
    }

    fn bool(words: &[u8], i: usize) -> Result<bool, ReturnError> {
        Ok(!Self::uint(words, i, 1)?.is_zero())
    }

    fn small<T: TryFrom<U256>>(words: &[u8], i: usize, bits: usize) -> Result<T, ReturnError> {
        T::try_from(Self::uint(words, i, bits)?)
            .map_err(|_| ReturnError::Abi { call: GET_RESERVES_DATA, reason: format!("word {i} is out of range") })
    }

    /// The string whose offset (from `base`) is word `i` of `words`.
    fn string(&self, words: &[u8], i: usize, base: usize) -> Result<String, ReturnError> {
        let at = self.offset(words, i, base)?;
        let len = self.length(at)?;
        if len > MAX_STRING_BYTES {
            return Err(self.error(format!("a string of {len} bytes")));
        }
        let bytes = self.words(at + 32, len.div_ceil(32))?;
        String::from_utf8(bytes[..len].to_vec()).map_err(|_| self.error(format!("string word {i} is not UTF-8")))
    }

    /// One `AggregatedReserveData` starting at `at`.
    fn reserve(&self, at: usize) -> Result<Reserve, ReturnError> {
        let w = self.words(at, RESERVE_HEAD_WORDS)?;
        let uint = |i| Self::uint(w, i, 256);
        let u128 = |i| Self::uint(w, i, 128);
        Ok(Reserve {
            underlying: Self::address(w, 0)?,
            // 1: name
            symbol: self.string(w, 2, at)?,
            decimals: uint(3)?,
            ltv: uint(4)?,
            liquidation_threshold: uint(5)?,
            liquidation_bonus: uint(6)?,
            reserve_factor: uint(7)?,
            // 8: usageAsCollateralEnabled (the threshold says it), 10: stableBorrowRateEnabled
            borrowing_enabled: Self::bool(w, 9)?,
            active: Self::bool(w, 11)?,
            frozen: Self::bool(w, 12)?,
            liquidity_index: u128(13)?,
            variable_borrow_index: u128(14)?,
            liquidity_rate: u128(15)?,
            variable_borrow_rate: u128(16)?,
            // 17: stableBorrowRate
            last_update_timestamp: Self::small(w, 18, 40)?,
            // 19-22: aToken, stable and variable debt tokens, rate strategy
            available_liquidity: uint(23)?,
            total_principal_stable_debt: uint(24)?,
            average_stable_rate: uint(25)?,
            stable_debt_last_update_timestamp: uint(26)?,
            total_scaled_variable_debt: uint(27)?,
            price: uint(28)?,
            // 29: priceOracle
            variable_rate_slope1: uint(30)?,
            variable_rate_slope2: uint(31)?,
            // 32-34: stable slopes, base stable rate
            base_variable_borrow_rate: uint(35)?,
            optimal_usage_ratio: uint(36)?,
            paused: Self::bool(w, 37)?,
            // 38: isSiloedBorrowing, 39: accruedToTreasury
            unbacked: u128(40)?,
            isolation_mode_total_debt: u128(41)?,
            debt_ceiling: uint(42)?,
            debt_ceiling_decimals: uint(43)?,
            borrow_cap: uint(45)?,
            supply_cap: uint(46)?,
            emode: EModeCategory {
                id: Self::small(w, 44, 8)?,
                ltv: Self::small(w, 47, 16)?,
                liquidation_threshold: Self::small(w, 48, 16)?,
                liquidation_bonus: Self::small(w, 49, 16)?,
                price_source: Self::address(w, 50)?,
                label: self.string(w, 51, at)?,
            },
            borrowable_in_isolation: Self::bool(w, 52)?,
        })
    }
}
