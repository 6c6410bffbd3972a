//! Pages of the app. The page shown is chosen by the `view` query parameter,
//! never the path (see `url_state`), so deep links work from any sub-path of a
//! static host.

pub mod glossary;
pub mod plan;
pub mod positions;
pub mod prices;
pub mod risk;

/// The query parameter naming the page shown.
pub const VIEW_PARAM: &str = "view";

/// A page of the app, as named in the `view` query parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// What-ifs on one position (the default).
    Plan,
    /// Every oracle price of the market, with its source, age and status.
    Prices,
    /// Every term the app uses, defined.
    Glossary,
    /// Probability of liquidation, VaR, liquidity and collateral quality.
    Risk,
    /// Every Aave V3 position of watched addresses across chains.
    Positions,
}

impl Page {
    /// Every page, in the order the navigation lists them.
    pub const ALL: &'static [Page] = &[Page::Plan, Page::Positions, Page::Risk, Page::Prices, Page::Glossary];

    /// The value of `?view=` for this page.
    pub fn slug(self) -> &'static str {
        match self {
            Page::Plan => "plan",
            Page::Prices => "prices",
            Page::Glossary => "glossary",
            Page::Risk => "risk",
            Page::Positions => "positions",
        }
    }

    /// The navigation label.
    pub fn title(self) -> &'static str {
        match self {
            Page::Plan => "Plan",
            Page::Prices => "Prices",
            Page::Glossary => "Glossary",
            Page::Risk => "Risk",
            Page::Positions => "Positions",
        }
    }

    /// The page a `?view=` value names; anything unknown (or nothing) is the Plan page.
    pub fn from_slug(slug: Option<&str>) -> Page {
        Page::ALL.iter().copied().find(|p| Some(p.slug()) == slug).unwrap_or(Page::Plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_round_trips_through_its_slug_and_unknown_views_fall_back_to_plan() {
        for page in Page::ALL {
            assert_eq!(Page::from_slug(Some(page.slug())), *page);
        }
        assert_eq!(Page::from_slug(Some("nonsense")), Page::Plan);
        assert_eq!(Page::from_slug(None), Page::Plan);
    }
}
