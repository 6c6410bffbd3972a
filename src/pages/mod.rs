//! Pages of the app. The page shown is chosen by the query string, never the
//! path (see `url_state`).

pub mod plan;
