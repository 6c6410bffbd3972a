//! The last checks before the wallet is asked to send: the right chain, a
//! known target, calldata Ballast recognises, and a health factor after the
//! action that the user can live with.
//!
//! Health (by the engine, on the position as last read):
//! - refused when the action leaves the health factor under 1 and does not
//!   raise it (a borrow, a withdrawal, collateral turned off): the position
//!   would be liquidatable, and the Pool would refuse most of these anyway;
//! - allowed with a warning when it leaves it under 1 but raises it (a
//!   partial repay of a liquidatable position helps);
//! - warned under the user's safety floor ([`default_safety_floor`], 1.1).
//!
//! ```
//! use ballast_chain::tx_guard::{default_safety_floor, health_verdict, HealthVerdict};
//! use num_rational::BigRational;
//!
//! let hf = |n: i64| BigRational::new(n.into(), 100.into());
//! let floor = default_safety_floor();
//! assert!(matches!(health_verdict(Some(&hf(150)), Some(&hf(98)), &floor), HealthVerdict::Refuse { .. }));
//! assert!(matches!(health_verdict(Some(&hf(150)), Some(&hf(105)), &floor), HealthVerdict::Warn { .. }));
//! assert_eq!(health_verdict(Some(&hf(150)), None, &floor), HealthVerdict::Safe);
//! ```

use alloy_primitives::Address;
use ballast_core::display::format_fixed;
use ballast_core::display::Rounding;
use ballast_core::{Protocol, Scenario};
use num_rational::BigRational;

use crate::aave_actions::{
    describe, engine_action, AaveAction, ActionError, Concern, DescribeContext, TxDescription, TxRequest,
};

/// The safety floor a new user starts with: 1.1.
pub fn default_safety_floor() -> BigRational {
    BigRational::new(11.into(), 10.into())
}

/// Why a transaction must not be sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendRefusal {
    #[error("the wallet is on chain {wallet}, but this market is on chain {market}: switch the wallet first")]
    WrongChain { wallet: u64, market: u64 },
    #[error("{0} is neither this market's Pool nor one of its tokens")]
    UnknownTarget(Address),
    #[error("Ballast does not recognise this call ({0}); it will not send it")]
    Unrecognised(String),
    /// The call does something the user did not ask for (acts for another
    /// address, approves another spender, sends ether, …).
    #[error("{0}; Ballast will not send it")]
    Concern(Concern),
}

/// Checks `tx` against the chain the wallet is on and the market's Pool and
/// tokens (`context`), and returns its description to show. `context.pool`
/// must come from the app's market table (or the local test market), never
/// from the transaction. Any [`Concern`] refuses it, except an unlimited
/// approval when the user opted in to those (`unlimited_approval`).
pub fn check_before_send(
    tx: &TxRequest,
    market_chain_id: u64,
    wallet_chain_id: u64,
    context: &DescribeContext<'_>,
    unlimited_approval: bool,
) -> Result<TxDescription, SendRefusal> {
    if wallet_chain_id != market_chain_id {
        return Err(SendRefusal::WrongChain { wallet: wallet_chain_id, market: market_chain_id });
    }
    if tx.to != context.pool && context.token(tx.to).is_none() {
        return Err(SendRefusal::UnknownTarget(tx.to));
    }
    let description = describe(tx, context);
    if !description.is_recognised() {
        return Err(SendRefusal::Unrecognised(description.summary));
    }
    let refused = description
        .warnings
        .iter()
        .find(|concern| !(unlimited_approval && matches!(concern, Concern::UnlimitedApproval { .. })));
    if let Some(concern) = refused {
        return Err(SendRefusal::Concern(concern.clone()));
    }
    Ok(description)
}

/// Whether the health factor after an action is acceptable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HealthVerdict {
    Safe,
    /// Allowed, with this said first.
    Warn {
        message: String,
    },
    /// Not sent.
    Refuse {
        message: String,
    },
}

fn hf_text(hf: &BigRational) -> String {
    // Down: the shown value is never better than the real one.
    format_fixed(hf, 2, Rounding::Down)
}

/// The user's floor as set: two decimals, or all it has. Rounded to two it
/// could read as the health factor itself (1.104 "under your floor of 1.10").
fn floor_text(floor: &BigRational) -> String {
    if (floor * BigRational::from_integer(100.into())).is_integer() {
        format_fixed(floor, 2, Rounding::Down)
    } else {
        ballast_core::exact::format_exact(floor)
    }
}

/// The verdict for a health factor going from `before` to `after` (`None`:
/// no debt). `floor` is the user's safety floor.
pub fn health_verdict(before: Option<&BigRational>, after: Option<&BigRational>, floor: &BigRational) -> HealthVerdict {
    let Some(after) = after else { return HealthVerdict::Safe };
    let one = BigRational::from_integer(1.into());
    let raises = before.is_some_and(|before| after > before);
    if *after < one && !raises {
        return HealthVerdict::Refuse {
            message: format!(
                "the health factor would be {} (under 1): the position could be liquidated",
                hf_text(after)
            ),
        };
    }
    if *after < one {
        return HealthVerdict::Warn {
            message: format!(
                "the health factor rises but stays under 1 ({}): the position can still be liquidated",
                hf_text(after)
            ),
        };
    }
    if after < floor {
        return HealthVerdict::Warn {
            message: format!(
                "the health factor would be {}, under your safety floor of {}",
                hf_text(after),
                floor_text(floor)
            ),
        };
    }
    HealthVerdict::Safe
}

/// Why the engine could not value an action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhatIfHealthError {
    #[error(transparent)]
    Action(#[from] ActionError),
    #[error(transparent)]
    Refused(#[from] ballast_core::aave_v3::actions::WhatIfError),
    #[error(transparent)]
    Scenario(#[from] ballast_core::ScenarioError),
}

/// The health factor before and after `actions` on the position `scenario`
/// (as last read from the chain), by the engine, under the scenario's own
/// Aave revision.
///
/// On V3.0 (and 3.1) the engine also makes the Pool's checks, and a refusal
/// is the Pool's reason as the engine models it. Its checks follow V3.0 only,
/// so on 3.2 and later the actions change balances, flags and e-mode without
/// them (`ballast_core::aave_v3::apply_balance_changes`): the chain's own
/// `eth_call` and `eth_estimateGas` judge whether the Pool allows the
/// transaction, and the engine gives the health factor after.
pub fn health_before_and_after(
    scenario: &Scenario,
    actions: &[AaveAction],
    tokens: &[crate::aave_actions::TokenInfo],
) -> Result<(Option<BigRational>, Option<BigRational>), WhatIfHealthError> {
    let what_ifs = actions.iter().map(|a| engine_action(a, tokens)).collect::<Result<Vec<_>, _>>()?;
    let before = ballast_core::evaluate(scenario)?.health_factor_exact;
    let after_scenario = if scenario.protocol.is_aave() && scenario.protocol != Protocol::AAVE_V3 {
        ballast_core::aave_v3::apply_balance_changes(scenario, &what_ifs)?
    } else {
        ballast_core::apply_actions(scenario, &what_ifs)?
    };
    let after = ballast_core::evaluate(&after_scenario)?.health_factor_exact;
    Ok((before, after))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aave_actions::{pool_tx, ActionAmount, TokenInfo};
    use crate::erc20::approve_tx;
    use alloy_primitives::{address, U256};

    const POOL: Address = address!("87870Bca3F3fD6335C3F4ce8392D69350B4fA4E2");
    const USER: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const USDC: Address = address!("A0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48");

    fn hf(hundredths: i64) -> BigRational {
        BigRational::new(hundredths.into(), 100.into())
    }

    #[test]
    fn sends_only_recognised_calls_to_the_market_on_its_chain() {
        let tokens = [TokenInfo { address: USDC, symbol: "USDC".into(), decimals: 6 }];
        let context = DescribeContext { pool: POOL, user: USER, tokens: &tokens };
        let borrow = pool_tx(
            POOL,
            USER,
            &crate::aave_actions::AaveAction::Borrow {
                asset: USDC,
                amount: ActionAmount::Exact(U256::from(1_000_000u64)),
            },
        )
        .unwrap();
        assert_eq!(
            check_before_send(&borrow, 1, 1, &context, false).map(|d| d.summary),
            Ok("Borrow 1 USDC from Aave at the variable rate, as debt of you".into())
        );
        assert_eq!(
            check_before_send(&borrow, 1, 8453, &context, false),
            Err(SendRefusal::WrongChain { wallet: 8453, market: 1 })
        );
        let elsewhere = address!("00000000000000000000000000000000000000aa");
        let misdirected = TxRequest { to: elsewhere, ..borrow.clone() };
        assert_eq!(check_before_send(&misdirected, 1, 1, &context, false), Err(SendRefusal::UnknownTarget(elsewhere)));
        let pool_call_to_token = TxRequest { to: USDC, ..borrow };
        assert!(matches!(
            check_before_send(&pool_call_to_token, 1, 1, &context, false),
            Err(SendRefusal::Unrecognised(_))
        ));
        assert!(check_before_send(&approve_tx(USDC, POOL, U256::from(5u8)), 1, 1, &context, false).is_ok());
        // An unlimited approval only when opted in; another spender, or acting for another account, never.
        let unlimited = approve_tx(USDC, POOL, U256::MAX);
        assert!(matches!(
            check_before_send(&unlimited, 1, 1, &context, false),
            Err(SendRefusal::Concern(Concern::UnlimitedApproval { .. }))
        ));
        assert!(check_before_send(&unlimited, 1, 1, &context, true).is_ok());
        let stranger = address!("00000000000000000000000000000000000000bb");
        assert_eq!(
            check_before_send(&approve_tx(USDC, stranger, U256::from(5u8)), 1, 1, &context, true),
            Err(SendRefusal::Concern(Concern::SpenderNotPool(stranger)))
        );
        let for_stranger = pool_tx(
            POOL,
            stranger,
            &crate::aave_actions::AaveAction::Withdraw { asset: USDC, amount: ActionAmount::Max },
        )
        .unwrap();
        assert_eq!(
            check_before_send(&for_stranger, 1, 1, &context, true),
            Err(SendRefusal::Concern(Concern::ActsForAnother(stranger)))
        );
    }

    #[test]
    fn health_verdicts() {
        let floor = default_safety_floor();
        assert_eq!(
            health_verdict(Some(&hf(150)), Some(&hf(99)), &floor),
            HealthVerdict::Refuse {
                message: "the health factor would be 0.99 (under 1): the position could be liquidated".into()
            }
        );
        // Already under 1 and not raised (e.g. a withdrawal that the Pool would refuse too).
        assert!(matches!(health_verdict(Some(&hf(95)), Some(&hf(95)), &floor), HealthVerdict::Refuse { .. }));
        // A partial repay of a liquidatable position: allowed, with the warning.
        assert_eq!(
            health_verdict(Some(&hf(90)), Some(&hf(97)), &floor),
            HealthVerdict::Warn {
                message: "the health factor rises but stays under 1 (0.97): the position can still be liquidated"
                    .into()
            }
        );
        assert_eq!(
            health_verdict(Some(&hf(200)), Some(&hf(109)), &floor),
            HealthVerdict::Warn { message: "the health factor would be 1.09, under your safety floor of 1.10".into() }
        );
        assert_eq!(health_verdict(Some(&hf(200)), Some(&hf(110)), &floor), HealthVerdict::Safe);
        // A floor with more decimals is said as set, not rounded to the health factor's two.
        let fine_floor = BigRational::new(1105.into(), 1000.into());
        assert_eq!(
            health_verdict(Some(&hf(200)), Some(&BigRational::new(1104.into(), 1000.into())), &fine_floor),
            HealthVerdict::Warn { message: "the health factor would be 1.10, under your safety floor of 1.105".into() }
        );
        assert_eq!(health_verdict(None, None, &floor), HealthVerdict::Safe);
        // A first borrow (no debt before) straight under 1 is refused.
        assert!(matches!(health_verdict(None, Some(&hf(80)), &floor), HealthVerdict::Refuse { .. }));
        // 0.999 shows as 0.99, never rounded up to 1.00.
        let just_under = BigRational::new(999.into(), 1000.into());
        let HealthVerdict::Refuse { message } = health_verdict(None, Some(&just_under), &floor) else { panic!() };
        assert!(message.contains("0.99 (under 1)"), "{message}");
    }

    #[test]
    fn the_engine_values_the_action_before_it_is_sent() {
        let weth = address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
        let tokens = [
            TokenInfo { address: weth, symbol: "WETH".into(), decimals: 18 },
            TokenInfo { address: USDC, symbol: "USDC".into(), decimals: 6 },
        ];
        // 1 WETH at 2000 (LT 82.5 %) against 1000 USDC at 1.0001: HF 1650 / 1000.1.
        let scenario = Scenario::parse(
            &serde_json::json!({ "schema": "ballast.scenario/1", "protocol": "aave-v3",
                "assets": [
                    { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000,
                      "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
                    { "symbol": "USDC", "decimals": 6, "price": "1.0001", "ltv_bps": 7700,
                      "liquidation_threshold_bps": 8000, "liquidation_bonus_bps": 10450 } ],
                "collateral": [ { "asset": "WETH", "amount": "1" } ],
                "debt": [ { "asset": "USDC", "amount": "1000" } ] })
            .to_string(),
        )
        .unwrap();
        let borrow = |usdc: u64| crate::aave_actions::AaveAction::Borrow {
            asset: USDC,
            amount: ActionAmount::Exact(U256::from(usdc * 1_000_000)),
        };
        let (before, after) = health_before_and_after(&scenario, &[borrow(500)], &tokens).unwrap();
        assert_eq!(before.as_ref().map(hf_text).as_deref(), Some("1.64"));
        // 1650 / 1500.15 = 1.0998…: allowed by the Pool, under the floor.
        assert_eq!(
            health_verdict(before.as_ref(), after.as_ref(), &default_safety_floor()),
            HealthVerdict::Warn { message: "the health factor would be 1.09, under your safety floor of 1.10".into() }
        );
        // Past the LTV the engine gives the Pool's refusal.
        assert!(matches!(
            health_before_and_after(&scenario, &[borrow(1_000)], &tokens),
            Err(WhatIfHealthError::Refused(_))
        ));
        let (_, repaid) = health_before_and_after(
            &scenario,
            &[crate::aave_actions::AaveAction::Repay { asset: USDC, amount: ActionAmount::Max }],
            &tokens,
        )
        .unwrap();
        assert_eq!(repaid, None, "no debt left");
    }

    /// Aave 3.2+ (liquid e-modes): 1 wstETH and 1,000 USDC against 1 WETH; the
    /// "ETH correlated" category counts wstETH (not USDC) as its collateral.
    fn liquid_emode_position(protocol: &str) -> Scenario {
        let lists = protocol != "aave-v3";
        let mut json = serde_json::json!({ "schema": "ballast.scenario/1", "protocol": protocol,
                "assets": [
                    { "symbol": "wstETH", "decimals": 18, "price": "2000", "ltv_bps": 7800,
                      "liquidation_threshold_bps": 8100, "liquidation_bonus_bps": 10600 },
                    { "symbol": "WETH", "decimals": 18, "price": "2000", "ltv_bps": 8000,
                      "liquidation_threshold_bps": 8250, "liquidation_bonus_bps": 10500 },
                    { "symbol": "USDC", "decimals": 6, "price": "1", "ltv_bps": 7500,
                      "liquidation_threshold_bps": 7800, "liquidation_bonus_bps": 10450 } ],
                "emode_categories": [ { "id": 1, "ltv_bps": 9300, "liquidation_threshold_bps": 9500,
                    "liquidation_bonus_bps": 10100, "price": null,
                    "collateral_assets": ["wstETH"], "borrowable_assets": ["WETH"] } ],
                "collateral": [ { "asset": "wstETH", "amount": "1" }, { "asset": "USDC", "amount": "1000" } ],
                "debt": [ { "asset": "WETH", "amount": "1" } ] });
        if !lists {
            // V3.0 has no membership lists: none of these assets is in category 1.
            let category = &mut json["emode_categories"][0];
            category.as_object_mut().map(|c| (c.remove("collateral_assets"), c.remove("borrowable_assets")));
        }
        Scenario::parse(&json.to_string()).unwrap()
    }

    fn liquid_emode_tokens() -> [TokenInfo; 3] {
        [
            TokenInfo {
                address: address!("7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0"),
                symbol: "wstETH".into(),
                decimals: 18,
            },
            TokenInfo {
                address: address!("C02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"),
                symbol: "WETH".into(),
                decimals: 18,
            },
            TokenInfo { address: USDC, symbol: "USDC".into(), decimals: 6 },
        ]
    }

    #[test]
    fn on_aave_3_2_and_later_the_health_after_is_the_engines_under_that_revision() {
        let tokens = liquid_emode_tokens();
        let enter = crate::aave_actions::AaveAction::SetEMode { category: 1 };
        for protocol in ["aave-v3.2", "aave-v3.3", "aave-v3.5"] {
            let scenario = liquid_emode_position(protocol);
            let (before, after) = health_before_and_after(&scenario, std::slice::from_ref(&enter), &tokens)
                .unwrap_or_else(|e| panic!("{protocol}: {e}"));
            // (2000 × 0.81 + 1000 × 0.78) / 2000 = 1.2 before; in the category wstETH counts at
            // 95 % but USDC, not its collateral, keeps its own 78 %: (1900 + 780) / 2000 = 1.34.
            // Before 3.5 the Pool floors the average threshold (26,800,000 / 3000 = 8933 bps),
            // so 3000 × 0.8933 / 2000 = 1.33995; 3.5 no longer averages.
            let floored = protocol != "aave-v3.5";
            let in_category = if floored { BigRational::new(26_799.into(), 20_000.into()) } else { hf(134) };
            assert_eq!(before, Some(hf(120)), "{protocol}");
            assert_eq!(after, Some(in_category.clone()), "{protocol}");
            // Then USDC off as collateral: 1900 / 2000 = 0.95, refused before the wallet is asked.
            let usdc_off = crate::aave_actions::AaveAction::SetCollateral { asset: USDC, enabled: false };
            let (_, off) = health_before_and_after(&scenario, &[enter.clone(), usdc_off], &tokens).unwrap();
            assert_eq!(off, Some(hf(95)), "{protocol}");
            assert!(matches!(
                health_verdict(before.as_ref(), off.as_ref(), &default_safety_floor()),
                HealthVerdict::Refuse { .. }
            ));
            // Amounts move too: repaying half the WETH in the category doubles the HF (2679.9 / 1000).
            let repay = crate::aave_actions::AaveAction::Repay {
                asset: tokens[1].address,
                amount: ActionAmount::Exact(U256::from(5u64) * U256::from(10u64).pow(U256::from(17u8))),
            };
            let (_, repaid) = health_before_and_after(&scenario, &[enter.clone(), repay], &tokens).unwrap();
            assert_eq!(repaid, Some(in_category * BigRational::from_integer(2.into())), "{protocol}");
        }
    }

    #[test]
    fn on_aave_3_0_the_engine_still_makes_the_pools_checks() {
        let scenario = liquid_emode_position("aave-v3");
        // V3.0's setUserEMode needs every borrowed asset in the category: WETH is not.
        let enter = crate::aave_actions::AaveAction::SetEMode { category: 1 };
        assert!(matches!(
            health_before_and_after(&scenario, &[enter], &liquid_emode_tokens()),
            Err(WhatIfHealthError::Refused(ballast_core::aave_v3::actions::WhatIfError::Refused { .. }))
        ));
    }
}
