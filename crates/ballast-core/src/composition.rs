//! What a position is made of: each asset's part of the report's collateral
//! and debt values, so a chart of them adds up to the report's totals.

use num_rational::BigRational;
use num_traits::Zero;

use crate::exact::PlainDecimal;
use crate::scenario::{Protocol, Scenario, ScenarioError};

/// One asset's collateral and debt value, USD, exact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetValue {
    pub asset: String,
    /// What counts toward the report's `collateral_value` (0 when off or not held).
    pub collateral: BigRational,
    pub debt: BigRational,
}

/// Each asset's collateral and debt value, in the scenario's asset order;
/// they sum exactly to the report's `collateral_value` and `debt_value`.
pub fn composition(s: &Scenario) -> Result<Vec<AssetValue>, ScenarioError> {
    s.validate()?;
    match s.protocol {
        Protocol::Aave(_) => crate::aave_v3::composition(s),
        // One collateral and one debt: each is the report's own total.
        Protocol::Maker | Protocol::LiquityV1 => {
            let report = crate::evaluate(s)?;
            let (collateral, debt) = s.single_pair()?;
            // Products of decimals (amount × price or par) always print exactly.
            let value = |text: &str| {
                PlainDecimal::parse(text)
                    .map(|d| d.to_rational())
                    .map_err(|e| ScenarioError::new("report", e.to_string()))
            };
            let zero = BigRational::zero;
            Ok(vec![
                AssetValue {
                    asset: collateral.asset.clone(),
                    collateral: value(&report.collateral_value)?,
                    debt: zero(),
                },
                AssetValue { asset: debt.asset.clone(), collateral: zero(), debt: value(&report.debt_value)? },
            ])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::format_exact;

    fn sums(s: &Scenario) -> (String, String) {
        let parts = composition(s).unwrap();
        (
            format_exact(&parts.iter().map(|p| &p.collateral).sum::<BigRational>()),
            format_exact(&parts.iter().map(|p| &p.debt).sum::<BigRational>()),
        )
    }

    #[test]
    fn the_parts_add_up_to_the_reports_totals() {
        let snapshot = crate::Snapshot::parse(include_str!("../../../public/snapshot.json")).unwrap();
        for id in ["aave-demo", "aave-emode-demo", "maker-demo", "liquity-demo"] {
            let s = snapshot.scenario(id).unwrap();
            let report = crate::evaluate(&s).unwrap();
            assert_eq!(sums(&s), (report.collateral_value, report.debt_value), "{id}");
        }
        // 6.5 WETH × 3000 = 19500 of the demo's collateral; USDC owes 18000 × 0.99995.
        let s = snapshot.scenario("aave-demo").unwrap();
        let parts = composition(&s).unwrap();
        assert_eq!((parts[0].asset.as_str(), format_exact(&parts[0].collateral)), ("WETH", "19500".to_owned()));
        let usdc = parts.iter().find(|p| p.asset == "USDC").unwrap();
        assert_eq!(format_exact(&usdc.debt), "17999.1");
    }
}
