//! Fixtures shared by the risk tests.

use ballast_core::risk::{LiquidationTerms, RiskExposure, RiskPosition};

/// The assets of the five-asset position the benchmark and the
/// reproducibility check both simulate.
pub const FIVE_ASSETS: [&str; 5] = ["WETH", "WBTC", "LINK", "AAVE", "UNI"];
/// Their annualised volatilities, in that order.
pub const FIVE_VOLATILITIES: [f64; 5] = [0.65, 0.5, 0.9, 0.95, 1.0];

/// One asset's exposure: 80 % threshold on collateral, 5 % bonus, a day's
/// supply and borrow interest as growth factors.
pub fn exposure(asset: &str, price: f64, collateral: f64, debt: f64) -> RiskExposure {
    RiskExposure {
        asset: asset.into(),
        price,
        price_moves: true,
        collateral,
        liquidation_threshold: if collateral > 0.0 { 0.8 } else { 0.0 },
        debt,
        liquidation_bonus: 1.05,
        collateral_growth: 1.000_05,
        debt_growth: 1.000_15,
    }
}

/// Four collateral assets and one volatile debt, plus a stablecoin debt held
/// at par.
pub fn five_asset_position() -> RiskPosition {
    let mut usdc = exposure("USDC", 1.0, 0.0, 60_000.0);
    usdc.price_moves = false;
    RiskPosition {
        assets: vec![
            exposure("WETH", 3000.0, 20.0, 0.0),
            exposure("WBTC", 60_000.0, 0.5, 0.0),
            exposure("LINK", 15.0, 1000.0, 0.0),
            exposure("AAVE", 100.0, 100.0, 0.0),
            exposure("UNI", 8.0, 0.0, 1000.0),
            usdc,
        ],
        liquidation: LiquidationTerms::AAVE_V3,
    }
}
