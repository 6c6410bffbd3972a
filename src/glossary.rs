//! Every term the app puts on screen, defined once: the hover/focus
//! definitions (`components::Term`) and the Glossary page both read this
//! table, so they cannot disagree.

/// One defined term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// A stable slug: the `data-term` attribute and the Glossary page's anchor.
    pub id: &'static str,
    /// The term as the Glossary page heads it.
    pub term: &'static str,
    /// One or two plain sentences.
    pub definition: &'static str,
}

/// The glossary, in the order the Glossary page lists it (alphabetical).
pub const GLOSSARY: &[Entry] = &[
    Entry {
        id: "available-to-borrow",
        term: "Available to borrow",
        definition: "How much more the protocol would lend now, in USD: collateral value times the maximum LTV, less \
                     the debt already owed.",
    },
    Entry {
        id: "basket-crash",
        term: "Basket crash",
        definition:
            "Every non-stablecoin price falling by the same percentage at once, stablecoins and debt held: the \
                     move that liquidates is the size of that fall.",
    },
    Entry {
        id: "close-factor",
        term: "Close factor",
        definition: "The largest share of a debt one liquidation may repay. In Aave V3 it is 50 %, or 100 % when the \
                     health factor is below 0.95 (or the position is small).",
    },
    Entry {
        id: "collateral",
        term: "Collateral",
        definition:
            "Assets deposited to secure a loan. The protocol may sell (liquidate) them if their value no longer \
                     covers the debt with the margin it requires.",
    },
    Entry {
        id: "collateral-ratio",
        term: "Collateral ratio",
        definition:
            "Collateral value divided by debt value, e.g. 150 %. Maker and Liquity state their minimum this way \
                     (Maker's liquidation ratio, Liquity's 110 % MCR).",
    },
    Entry {
        id: "collateral-value",
        term: "Collateral value",
        definition: "The USD value of the collateral that counts toward the health factor, at the prices in use.",
    },
    Entry {
        id: "debt-value",
        term: "Debt value",
        definition: "The USD value of everything owed, interest included, at the prices in use.",
    },
    Entry {
        id: "deviation-threshold",
        term: "Deviation threshold",
        definition:
            "How far (e.g. 0.5 %) the market must move from an oracle's last answer before the oracle publishes \
                     a new one. Between updates the on-chain price can lag the market by up to this much.",
    },
    Entry {
        id: "e-mode",
        term: "E-mode (efficiency mode)",
        definition: "An Aave setting for positions whose collateral and debt move together (e.g. ETH and staked ETH): \
                     higher LTV and liquidation threshold, but only assets of the chosen category may be borrowed.",
    },
    Entry {
        id: "health-factor",
        term: "Health factor",
        definition: "Risk-adjusted collateral divided by debt. Above 1 the position is safe; below 1 it can be \
                     liquidated. ∞ means there is no debt.",
    },
    Entry {
        id: "interest-rate-strategy",
        term: "Interest-rate strategy",
        definition: "How an Aave reserve sets its borrow rate from utilisation: a gentle slope up to the optimal \
                     usage, a steep one after it; suppliers earn the borrow interest less the reserve factor.",
    },
    Entry {
        id: "isolation-mode",
        term: "Isolation mode",
        definition:
            "An Aave rule for riskier collateral: used alone, it may back only approved stablecoin borrows, up \
                     to a debt ceiling for the whole asset.",
    },
    Entry {
        id: "liquidatable",
        term: "Liquidatable",
        definition: "The protocol lets anyone liquidate the position now: its health factor is below 1 (Liquity in \
                     recovery mode uses its own rule).",
    },
    Entry {
        id: "liquidation",
        term: "Liquidation",
        definition: "Another party repays part of the debt and takes collateral of greater value in exchange (the \
                     bonus), so the position costs its owner more than the debt repaid.",
    },
    Entry {
        id: "liquidation-bonus",
        term: "Liquidation bonus (penalty)",
        definition:
            "The extra collateral a liquidator receives over the debt repaid, e.g. 5 %: the owner's loss on each \
                     liquidation. Maker calls it the liquidation penalty (chop).",
    },
    Entry {
        id: "liquidation-preview",
        term: "Liquidation preview",
        definition:
            "What one liquidation call would do at these prices: the debt a liquidator may repay, the collateral \
                     taken, and the health factor left.",
    },
    Entry {
        id: "liquidation-price",
        term: "Liquidation price",
        definition: "The price of one asset, every other price held, at which the health factor reaches exactly 1.",
    },
    Entry {
        id: "protocol-fee",
        term: "Liquidation protocol fee",
        definition: "The share of the liquidation bonus Aave keeps for its treasury instead of giving it to the \
                     liquidator.",
    },
    Entry {
        id: "liquidation-threshold",
        term: "Liquidation threshold",
        definition: "The share of a collateral's value that counts toward the health factor, e.g. 82.5 %: debt beyond \
                     it makes the position liquidatable. Always above the LTV.",
    },
    Entry {
        id: "ltv",
        term: "LTV (loan-to-value)",
        definition: "Debt as a share of collateral value. The maximum LTV is the most you can borrow against it, e.g. \
                     80 %; it sits below the liquidation threshold to leave a margin.",
    },
    Entry {
        id: "max-borrow",
        term: "Max borrow",
        definition:
            "The most of one asset the protocol would lend now, less a 1 % margin for interest and price moves \
                     before a transaction lands.",
    },
    Entry {
        id: "oracle-heartbeat",
        term: "Oracle heartbeat",
        definition:
            "The longest an oracle goes without publishing a price, even when the market is still. A price older \
                     than its heartbeat is stale.",
    },
    Entry {
        id: "recovery-mode",
        term: "Recovery mode",
        definition: "Liquity v1's state when the whole system's collateral ratio falls below 150 %: troves under that \
                     ratio can be liquidated, and borrowing that lowers a ratio is refused.",
    },
    Entry {
        id: "utilisation",
        term: "Utilisation",
        definition: "The share of what is supplied to a reserve that is borrowed. The higher it is, the higher the \
                     borrow rate, and the faster interest wears a health factor down.",
    },
    Entry {
        id: "what-if",
        term: "What-if",
        definition:
            "A change you try on a copy of the position (a price, an amount, a setting); nothing is sent to any \
                     chain.",
    },
];

/// The entry `id` names.
pub fn entry(id: &str) -> Option<&'static Entry> {
    GLOSSARY.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_slugs_and_the_list_is_alphabetical() {
        for pair in GLOSSARY.windows(2) {
            assert!(
                pair[0].term.to_lowercase() < pair[1].term.to_lowercase(),
                "{} before {}",
                pair[0].term,
                pair[1].term
            );
        }
        let mut ids: Vec<_> = GLOSSARY.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), GLOSSARY.len());
        assert!(GLOSSARY.iter().all(|e| e.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }

    #[test]
    fn the_terms_the_issue_names_are_defined() {
        for id in [
            "collateral-ratio",
            "ltv",
            "liquidation-threshold",
            "liquidation-bonus",
            "health-factor",
            "close-factor",
            "e-mode",
            "isolation-mode",
            "recovery-mode",
            "oracle-heartbeat",
            "deviation-threshold",
        ] {
            assert!(entry(id).is_some_and(|e| e.definition.len() > 40), "{id}");
        }
        assert_eq!(entry("nonsense"), None);
    }
}
