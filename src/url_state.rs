//! State kept in the URL's query string, never its path, so links work from
//! any sub-path of a static host (a CDN folder, an IPFS gateway).

use web_sys::UrlSearchParams;

/// The query parameter naming the demo position on the Plan page.
pub const POSITION_PARAM: &str = "position";
/// The query parameter carrying a shared scenario (see `ballast_core::share`).
pub const SCENARIO_PARAM: &str = "scenario";

fn search_params() -> Option<UrlSearchParams> {
    let search = web_sys::window()?.location().search().ok()?;
    UrlSearchParams::new_with_str(&search).ok()
}

/// Reads a query parameter of the current page.
pub fn read_param(name: &str) -> Option<String> {
    search_params()?.get(name)
}

/// Replaces a query parameter without reloading or adding a history entry,
/// keeping the path (and so the host's prefix) as it is.
pub fn write_param(name: &str, value: &str) {
    update_params(|params| params.set(name, value));
}

/// Removes a query parameter, as [`write_param`] writes one.
pub fn remove_param(name: &str) {
    update_params(|params| params.delete(name));
}

/// The page's address with the current query, for links to share.
pub fn current_url() -> Option<String> {
    web_sys::window()?.location().href().ok()
}

/// Sets a query parameter and adds a history entry, so Back returns to the
/// previous page of the app.
pub fn push_param(name: &str, value: &str) {
    change_params(|params| params.set(name, value), true);
}

/// The current address (path, query, fragment) with one query parameter set:
/// where a link to another page of the app goes, keeping everything else.
pub fn url_with_param(name: &str, value: &str) -> Option<String> {
    let params = search_params()?;
    params.set(name, value);
    let location = web_sys::window()?.location();
    let path = location.pathname().ok()?;
    let hash = location.hash().unwrap_or_default();
    Some(format!("{path}?{}{hash}", String::from(params.to_string())))
}

fn update_params(change: impl FnOnce(&UrlSearchParams)) {
    change_params(change, false);
}

fn change_params(change: impl FnOnce(&UrlSearchParams), new_entry: bool) {
    let Some(window) = web_sys::window() else { return };
    let Some(params) = search_params() else { return };
    change(&params);
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = format!("{path}?{}{hash}", String::from(params.to_string()));
    if let Ok(history) = window.history() {
        // Failing to update the address bar loses nothing on screen.
        let _ = if new_entry {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
        };
    }
}

/// The URL's fragment without its `#` (empty when there is none). Share links
/// travel here: a fragment never reaches the host serving the app.
pub fn read_fragment() -> String {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}

/// Replaces the fragment (`None` removes it) without reloading or adding a
/// history entry, keeping the path and query.
pub fn write_fragment(fragment: Option<&str>) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let url = match fragment {
        Some(f) => format!("{path}{search}#{f}"),
        None => format!("{path}{search}"),
    };
    if let Ok(history) = window.history() {
        // Failing to update the address bar loses nothing on screen.
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
