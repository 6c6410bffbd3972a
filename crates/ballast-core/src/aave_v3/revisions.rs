//! Later Aave V3 revisions as named variants of the V3.0 engine.
//!
//! The rest of `aave_v3` is Aave V3.0 (`@aave/core-v3` 1.19.3, v3.0.2). Live
//! markets run later code from `aave-dao/aave-v3-origin`; this module applies
//! each later revision's differences to what the engine computes
//! (`getUserAccountData` and `liquidationCall`) and nothing else:
//!
//! - **3.2** (liquid e-modes): a category has no price source any more and its
//!   membership is two bitmaps, collateral and borrowable, so an asset can be
//!   in several categories. Only the collateral bitmap changes account data
//!   and the liquidation bonus. See [`EModeAssets`].
//! - **3.3**: the close factor applies to the whole position and is 100 % for
//!   small reserves, a liquidation must not leave dust, and debt left without
//!   collateral is burned into the reserve's deficit.
//! - **3.5**: pessimistic rounding: debt valued up, the health factor without
//!   the floored average threshold, available borrows floored, and the debt a
//!   capped liquidation needs rounded up.
//!
//! 3.1 and 3.4 change nothing this engine computes and are folded into 3.0 and
//! 3.3 (see [`AaveRevision::from_name`]); 3.6 and later are not modelled.
//!
//! Balances are the tokens' `balanceOf`, as in the rest of the engine: from
//! 3.5 an aToken balance is `rayMulFloor(scaled, index)` and a debt balance
//! `rayMulCeil(scaled, index)` (aave-v3-origin `docs/3.5/Aave-v3.5-features.md`,
//! "Rounding `down`/`up` for aToken/vToken balance operations"), which is the
//! caller's to apply when turning scaled balances into a `Position`.

mod account;
mod liquidation;
mod rounding;

use std::fmt;
use std::str::FromStr;

pub use account::{account_data, account_data_with, EModeAssets};
pub use liquidation::{
    liquidation_call, liquidation_call_with, Deficit, RevisionLiquidation, RevisionLiquidationError,
    MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, MIN_LEFTOVER_BASE,
};

/// An Aave V3 Pool revision whose arithmetic differs from the one before it.
///
/// Ordered by release, so `revision >= AaveRevision::V3_3` reads as "3.3 or later".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AaveRevision {
    /// v3.0.2 (`@aave/core-v3` 1.19.3), also standing for 3.0.x and 3.1.
    V3_0,
    /// Liquid e-modes.
    V3_2,
    /// Position-wide close factor, dust rule, deficit; also standing for 3.4.
    V3_3,
    /// Pessimistic rounding.
    V3_5,
}

impl AaveRevision {
    /// Every variant, oldest first.
    pub const ALL: [AaveRevision; 4] = [AaveRevision::V3_0, AaveRevision::V3_2, AaveRevision::V3_3, AaveRevision::V3_5];

    /// The protocol name a scenario would use, e.g. `"aave-v3.3"`.
    pub fn name(self) -> &'static str {
        match self {
            AaveRevision::V3_0 => "aave-v3.0",
            AaveRevision::V3_2 => "aave-v3.2",
            AaveRevision::V3_3 => "aave-v3.3",
            AaveRevision::V3_5 => "aave-v3.5",
        }
    }

    /// The revision a protocol name stands for. Besides each [`name`](Self::name):
    /// `"aave-v3"` (the engine's V3.0), `"aave-v3.1"` (no change to account data or
    /// liquidation: aave-v3-origin `docs/3.1/Aave-v3.1-features.md` adds virtual
    /// accounting, the grace period and LTV-0 on freeze) and `"aave-v3.4"` (GHO
    /// alignment, multicall, position managers, forbidden self-liquidation:
    /// `docs/3.4/Aave-v3.4-features.md`; none moves these numbers).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "aave-v3" | "aave-v3.0" | "aave-v3.1" => Some(AaveRevision::V3_0),
            "aave-v3.2" => Some(AaveRevision::V3_2),
            "aave-v3.3" | "aave-v3.4" => Some(AaveRevision::V3_3),
            "aave-v3.5" => Some(AaveRevision::V3_5),
            _ => None,
        }
    }

    /// The revision behind an on-chain `POOL_REVISION()`; `None` where it is
    /// not established or not modelled.
    ///
    /// - 1–3: v3.0.x (0x1 → 0x2 in the v3.0.1 upgrade of aave-v3-core; the engine
    ///   models 3.0.2). 4: v3.1 (`POOL_REVISION = 4` in the v3.1 `src/core/instances`
    ///   PoolInstance, aave-v3-origin `diffs/*`), arithmetic as 3.0.
    /// - 6: v3.2 (an ARBITRUM→LINEA `L2_POOL_IMPL` deployment diff by BGD, found by
    ///   content in the public index, path not recorded: `POOL_REVISION = 6` with
    ///   Errors ending at 3.2's `NOT_BORROWABLE_IN_EMODE = '100'`).
    /// - 7: v3.3 (Gnosis/Sonic/Mantle PoolInstance, `diffs/GNOSIS_SONIC/POOL_IMPL_DIFF.md`
    ///   and `diffs/LINEA_MANTLE/L2_POOL_IMPL_DIFF.md` @ 9a2afaf, with `MUST_NOT_LEAVE_DUST = '103'`).
    /// - 8: v3.4 (morpho-org/morpho-aavev3-optimizer PR #902: Ethereum's Pool "is 8
    ///   now, and it will be 9 after the [3.5] upgrade"; the 3.4 changelog's
    ///   "from 6 to 7" predates 3.3's own bump). Arithmetic as 3.3.
    /// - 9: v3.5 (same PR). 10 is v3.6 and 11 v3.7 (`docs/3.7/Aave-v3.7-changelog.md`:
    ///   "bumped from 10 to 11"); both change e-mode or liquidation rounding and
    ///   are not modelled. 5 appears only in a 3.2-development PoolInstance.
    pub fn from_pool_revision(revision: u32) -> Option<Self> {
        match revision {
            1..=4 => Some(AaveRevision::V3_0),
            6 => Some(AaveRevision::V3_2),
            7 | 8 => Some(AaveRevision::V3_3),
            9 => Some(AaveRevision::V3_5),
            _ => None,
        }
    }

    /// E-modes as bitmaps, without a price source (3.2).
    pub(crate) fn liquid_emodes(self) -> bool {
        self >= AaveRevision::V3_2
    }

    /// Close factor over the position, dust rule and deficit (3.3).
    pub(crate) fn bad_debt_rules(self) -> bool {
        self >= AaveRevision::V3_3
    }

    /// Debt rounded up, collateral down (3.5).
    pub(crate) fn pessimistic_rounding(self) -> bool {
        self >= AaveRevision::V3_5
    }
}

impl fmt::Display for AaveRevision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a name is not an Aave revision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an Aave V3 revision (aave-v3, aave-v3.0 to aave-v3.5)")]
pub struct UnknownRevision(pub String);

impl FromStr for AaveRevision {
    type Err = UnknownRevision;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AaveRevision::from_name(s).ok_or_else(|| UnknownRevision(s.to_owned()))
    }
}
