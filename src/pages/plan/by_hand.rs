//! Maker vaults and Liquity v1 troves typed in by hand: the form's fields
//! become a scenario through the engine's own parsing and validation, so a
//! bad field gets the engine's message, named as the form labels it.

use ballast_core::Scenario;
use serde_json::{json, Map, Value};

/// The Maker vault form, as typed. Empty optional fields are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MakerVaultFields {
    /// The ilk, e.g. `ETH-A`; the collateral is listed under this name.
    pub ilk: String,
    pub collateral: String,
    /// USD per unit of collateral.
    pub price: String,
    /// The ilk's liquidation ratio `mat`, e.g. `1.45`.
    pub liquidation_ratio: String,
    /// DAI owed.
    pub debt: String,
    pub par: String,
    pub dust: String,
    pub chop: String,
}

impl Default for MakerVaultFields {
    fn default() -> Self {
        Self {
            ilk: "ETH-A".into(),
            collateral: String::new(),
            price: String::new(),
            liquidation_ratio: "1.45".into(),
            debt: String::new(),
            par: String::new(),
            dust: String::new(),
            chop: String::new(),
        }
    }
}

/// The Liquity v1 trove form, as typed. The system totals are optional
/// but go together: they decide recovery mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiquityTroveFields {
    /// ETH held by the trove.
    pub collateral: String,
    /// USD per ETH.
    pub price: String,
    /// LUSD owed, the 200 LUSD gas compensation included.
    pub debt: String,
    pub total_collateral: String,
    pub total_debt: String,
}

/// The scenario path the engine names, with the form's label for it.
const MAKER_LABELS: &[(&str, &str)] = &[
    ("assets[0].symbol", "ilk"),
    ("assets[1].symbol", "ilk"),
    ("assets[0].price", "collateral price"),
    ("assets[0].liquidation_ratio", "liquidation ratio (mat)"),
    ("assets[0].dust", "dust"),
    ("assets[0].chop", "chop"),
    ("collateral[0].amount", "collateral amount"),
    ("debt[0].amount", "debt (DAI)"),
    ("par", "par"),
];

const LIQUITY_LABELS: &[(&str, &str)] = &[
    ("assets[0].price", "ETH price"),
    ("collateral[0].amount", "collateral (ETH)"),
    ("debt[0].amount", "debt (LUSD)"),
    ("system.total_collateral", "system total collateral"),
    ("system.total_debt", "system total debt"),
    ("system", "system totals"),
];

/// A Maker vault from the form, valued by the engine's rules.
///
/// ```ignore
/// let vault = maker_vault(&MakerVaultFields { collateral: "10".into(), price: "2000".into(),
///     debt: "10000".into(), ..MakerVaultFields::default() })?;
/// ```
pub fn maker_vault(fields: &MakerVaultFields) -> Result<Scenario, String> {
    let ilk = fields.ilk.trim();
    if ilk.is_empty() {
        return Err("ilk: give the vault type, e.g. ETH-A".into());
    }
    let mut collateral = Map::new();
    collateral.insert("symbol".into(), json!(ilk));
    collateral.insert("price".into(), json!(fields.price.trim()));
    collateral.insert("liquidation_ratio".into(), json!(fields.liquidation_ratio.trim()));
    insert_if_given(&mut collateral, "dust", &fields.dust);
    insert_if_given(&mut collateral, "chop", &fields.chop);
    let mut tree = json!({
        "schema": ballast_core::scenario::SCHEMA,
        "protocol": "maker",
        "assets": [Value::Object(collateral), { "symbol": "DAI" }],
        "collateral": [{ "asset": ilk, "amount": fields.collateral.trim() }],
        "debt": [{ "asset": "DAI", "amount": fields.debt.trim() }],
    });
    if let Some(object) = tree.as_object_mut() {
        insert_if_given(object, "par", &fields.par);
    }
    Scenario::parse(&tree.to_string()).map_err(|e| labelled(&e, MAKER_LABELS))
}

/// A Liquity v1 trove from the form, valued by the engine's rules.
pub fn liquity_trove(fields: &LiquityTroveFields) -> Result<Scenario, String> {
    let mut tree = json!({
        "schema": ballast_core::scenario::SCHEMA,
        "protocol": "liquity-v1",
        "assets": [{ "symbol": "ETH", "price": fields.price.trim() }, { "symbol": "LUSD" }],
        "collateral": [{ "asset": "ETH", "amount": fields.collateral.trim() }],
        "debt": [{ "asset": "LUSD", "amount": fields.debt.trim() }],
    });
    let (total_collateral, total_debt) = (fields.total_collateral.trim(), fields.total_debt.trim());
    match (total_collateral.is_empty(), total_debt.is_empty()) {
        (true, true) => {}
        (false, false) => {
            if let Some(object) = tree.as_object_mut() {
                object
                    .insert("system".into(), json!({ "total_collateral": total_collateral, "total_debt": total_debt }));
            }
        }
        (true, false) => return Err("system total collateral: give it with the system total debt, or neither".into()),
        (false, true) => return Err("system total debt: give it with the system total collateral, or neither".into()),
    }
    Scenario::parse(&tree.to_string()).map_err(|e| labelled(&e, LIQUITY_LABELS))
}

/// The by-hand forms filled from another plan, for switching its protocol:
/// its largest collateral (amount and price) and everything it owes, valued
/// in USD by the engine, as the vault's DAI or the trove's LUSD. What only the
/// other protocol has (the ilk's ratio, the system totals) keeps the form's
/// default for the user to check.
pub fn fields_from(s: &Scenario) -> (MakerVaultFields, LiquityTroveFields) {
    let largest = ballast_core::what_if::largest_collateral(s);
    let held = |symbol: &str| s.collateral.iter().find(|h| h.asset == symbol).map(|h| h.amount.to_string());
    let price = |symbol: &str| s.asset(symbol).and_then(|(_, a)| a.price.as_ref()).map(ToString::to_string);
    let collateral = largest.as_deref().and_then(held).unwrap_or_default();
    let price = largest.as_deref().and_then(price).unwrap_or_default();
    let debt = ballast_core::evaluate(s).map(|r| r.debt_value).unwrap_or_default();
    let vault = MakerVaultFields {
        collateral: collateral.clone(),
        price: price.clone(),
        debt: debt.clone(),
        ..MakerVaultFields::default()
    };
    (vault, LiquityTroveFields { collateral, price, debt, ..LiquityTroveFields::default() })
}

fn insert_if_given(object: &mut Map<String, Value>, key: &str, typed: &str) {
    let typed = typed.trim();
    if !typed.is_empty() {
        object.insert(key.into(), json!(typed));
    }
}

/// The engine's message with the field named as the form labels it (the
/// scenario path kept in brackets, for the exported file).
fn labelled(e: &ballast_core::ScenarioError, labels: &[(&str, &str)]) -> String {
    match labels.iter().find(|(path, _)| *path == e.field) {
        Some((path, label)) => format!("{label}: {} ({path})", e.problem),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballast_core::{evaluate, Protocol};

    fn ratio(numerator: i64, denominator: i64) -> num_rational::BigRational {
        num_rational::BigRational::new(numerator.into(), denominator.into())
    }

    fn vault() -> MakerVaultFields {
        MakerVaultFields {
            collateral: "10".into(),
            price: "2000".into(),
            debt: "10000".into(),
            ..MakerVaultFields::default()
        }
    }

    fn trove() -> LiquityTroveFields {
        LiquityTroveFields { collateral: "10".into(), price: "2000".into(), debt: "12000".into(), ..Default::default() }
    }

    #[test]
    fn a_vault_of_ten_eth_at_2000_owing_10000_dai_at_mat_1_45() {
        let s = maker_vault(&vault()).unwrap();
        assert_eq!(s.protocol, Protocol::Maker);
        let r = evaluate(&s).unwrap();
        // Collateral ratio 20 000 / 10 000 = 200 %; health 2 / 1.45.
        assert_eq!(r.collateral_value, "20000");
        assert_eq!(r.debt_value, "10000");
        assert_eq!(r.health_factor_exact, Some(ratio(40, 29)));
        assert_eq!(r.health_factor.as_deref(), Some("1.3793103448275862"));
        assert!(!r.liquidatable);
        // Liquidated when 10 × price / 10 000 < 1.45: price 1450.
        assert_eq!(r.liquidation_prices.len(), 1);
        assert_eq!(r.liquidation_prices[0].asset, "ETH-A");
        assert_eq!(r.liquidation_prices[0].price, "1450");
        let details = ballast_core::maker::vault_details(&s).unwrap();
        // 20 000 / 1.45 = 13 793.10…; 3 793.10… more could be drawn.
        assert!(details.max_additional_debt.starts_with("3793.103448275862068"), "{}", details.max_additional_debt);
        assert_eq!(details.dust_ok, None);
    }

    #[test]
    fn par_dust_and_chop_are_taken_when_given() {
        let fields = MakerVaultFields { par: "1".into(), dust: "15000".into(), chop: "1.13".into(), ..vault() };
        let s = maker_vault(&fields).unwrap();
        assert_eq!(s.par.as_ref().map(|p| p.as_str()), Some("1"));
        let details = ballast_core::maker::vault_details(&s).unwrap();
        // 10 000 DAI is under the 15 000 dust.
        assert_eq!(details.dust_ok, Some(false));
        assert_eq!(details.liquidation_penalty.as_deref(), Some("1300"));
    }

    #[test]
    fn a_bad_vault_field_is_named_as_the_form_labels_it() {
        let bad = MakerVaultFields { liquidation_ratio: "0".into(), ..vault() };
        assert_eq!(
            maker_vault(&bad).unwrap_err(),
            "liquidation ratio (mat): must be more than 0 (assets[0].liquidation_ratio)"
        );
        let bad = MakerVaultFields { collateral: "ten".into(), ..vault() };
        let problem = maker_vault(&bad).unwrap_err();
        assert!(problem.starts_with("collateral amount: "), "{problem}");
        let bad = MakerVaultFields { price: "".into(), ..vault() };
        let problem = maker_vault(&bad).unwrap_err();
        assert!(problem.starts_with("collateral price: "), "{problem}");
        let bad = MakerVaultFields { par: "0".into(), ..vault() };
        assert_eq!(maker_vault(&bad).unwrap_err(), "par: must be more than 0 (par)");
        let bad = MakerVaultFields { ilk: "DAI".into(), ..vault() };
        assert!(maker_vault(&bad).unwrap_err().starts_with("ilk: "));
        let bad = MakerVaultFields { ilk: " ".into(), ..vault() };
        assert_eq!(maker_vault(&bad).unwrap_err(), "ilk: give the vault type, e.g. ETH-A");
    }

    #[test]
    fn a_trove_of_ten_eth_at_2000_owing_12000_lusd() {
        let s = liquity_trove(&trove()).unwrap();
        assert_eq!(s.protocol, Protocol::LiquityV1);
        let r = evaluate(&s).unwrap();
        // ICR 20 000 / 12 000 = 1.666…, health ICR / MCR 1.1 = 1.5151…
        assert_eq!(r.collateral_value, "20000");
        assert_eq!(r.health_factor_exact, Some(ratio(50, 33)));
        assert_eq!(r.health_factor.as_deref(), Some("1.5151515151515151"));
        assert_eq!(r.recovery_mode, None);
        // Liquidated under MCR: 10 × price < 1.1 × 12 000, price 1320.
        assert_eq!(r.liquidation_prices[0].price, "1320");
    }

    #[test]
    fn system_totals_put_the_trove_in_recovery_mode() {
        // TCR 500 000 × 2000 / 700 000 000 = 1.428… < CCR 1.5: recovery mode.
        let fields =
            LiquityTroveFields { total_collateral: "500000".into(), total_debt: "700000000".into(), ..trove() };
        let r = evaluate(&liquity_trove(&fields).unwrap()).unwrap();
        assert_eq!(r.recovery_mode, Some(true));
        let missing = LiquityTroveFields { total_collateral: "500000".into(), ..trove() };
        assert_eq!(
            liquity_trove(&missing).unwrap_err(),
            "system total debt: give it with the system total collateral, or neither"
        );
        let bad = LiquityTroveFields { debt: "-5".into(), ..trove() };
        assert!(liquity_trove(&bad).unwrap_err().starts_with("debt (LUSD): "));
    }
}

#[cfg(test)]
mod switch_tests {
    use super::*;

    #[test]
    fn another_protocols_form_is_filled_from_the_plan_and_opens_with_its_figures() {
        let snapshot = ballast_core::Snapshot::parse(include_str!("../../../public/snapshot.json")).unwrap();
        let aave = snapshot.scenario("aave-demo").unwrap();
        let (vault, trove) = fields_from(&aave);
        // The largest collateral is 6.5 WETH at 3000 (19500 USD); the debt is
        // 18000 USDC × 0.99995 + 4500 DAI × 0.9999 = 22498.65 USD.
        assert_eq!((vault.collateral.as_str(), vault.price.as_str(), vault.debt.as_str()), ("6.5", "3000", "22498.65"));
        assert_eq!((vault.ilk.as_str(), vault.liquidation_ratio.as_str()), ("ETH-A", "1.45"));
        assert_eq!(
            (trove.collateral.as_str(), trove.debt.as_str(), trove.total_debt.as_str()),
            ("6.5", "22498.65", "")
        );
        // 6.5 × 3000 / 22498.65 / 1.45 = 0.5977…: under 1, as it would be.
        let report = ballast_core::evaluate(&maker_vault(&vault).unwrap()).unwrap();
        assert!(report.health_factor.unwrap().starts_with("0.5977"));
        assert!(liquity_trove(&trove).is_ok());
    }
}
