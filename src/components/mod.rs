//! Reusable pieces of the UI, one folder each. They take signals or plain
//! values and display them; the numbers come from `ballast-core`.

pub mod charts;
pub mod data_source_badge;
pub mod figure;
pub mod health_factor;
pub mod oracle_lag;
pub mod read_age;
pub mod term;

pub use charts::{CrashHealthChart, PriceHealthChart};
pub use data_source_badge::DataSourceBadge;
pub use figure::Figure;
pub use health_factor::{HealthFactor, HealthFactorPin};
pub use oracle_lag::OracleLagView;
pub use read_age::use_read_age;
pub use term::Term;
