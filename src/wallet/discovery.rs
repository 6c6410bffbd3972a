//! Finding the browser's wallets: EIP-6963 (`eip6963:requestProvider` is
//! dispatched, each wallet answers with `eip6963:announceProvider`), and
//! `window.ethereum` when no announced wallet is that same object.
//!
//! ```ignore
//! let wallets = RwSignal::new(Vec::new());
//! discover_wallets(move |found| wallets.set(found));
//! ```

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::provider::Eip1193Provider;

/// The id of the `window.ethereum` fallback in the list.
pub const WINDOW_ETHEREUM_ID: &str = "window.ethereum";
const NAME_LIMIT: usize = 60;

/// A wallet the user can pick, as it announced itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletInfo {
    /// The announcement's uuid (per page load), or [`WINDOW_ETHEREUM_ID`].
    pub id: String,
    pub name: String,
    /// Only a `data:image/…` URI: anything else could make the page fetch.
    pub icon: Option<String>,
    /// Reverse DNS (`io.metamask`): what is remembered between visits.
    pub rdns: Option<String>,
}

impl WalletInfo {
    /// The key the connection is remembered by.
    pub fn remember_key(&self) -> &str {
        self.rdns.as_deref().unwrap_or(WINDOW_ETHEREUM_ID)
    }
}

/// An announcement's fields, checked: a name is needed; an icon is kept only as a data image.
pub fn wallet_info(uuid: &str, name: &str, icon: &str, rdns: &str) -> Option<WalletInfo> {
    let name: String = name.trim().chars().filter(|c| !c.is_control()).take(NAME_LIMIT).collect();
    if uuid.is_empty() || name.is_empty() {
        return None;
    }
    Some(WalletInfo {
        id: uuid.to_owned(),
        name,
        icon: icon.starts_with("data:image/").then(|| icon.to_owned()),
        rdns: Some(rdns.trim().to_owned()).filter(|r| !r.is_empty()),
    })
}

thread_local! {
    /// Announced wallets with their providers (the providers are JS objects, kept out of signals).
    static FOUND: RefCell<Vec<(WalletInfo, Eip1193Provider)>> = const { RefCell::new(Vec::new()) };
}

/// The provider of a wallet in the list.
pub fn provider_of(id: &str) -> Option<Eip1193Provider> {
    FOUND.with(|f| f.borrow().iter().find(|(w, _)| w.id == id).map(|(_, p)| p.clone()))
}

/// Every wallet found so far: the announced ones, then `window.ethereum` if it is none of them.
fn listed() -> Vec<WalletInfo> {
    let mut list: Vec<WalletInfo> =
        FOUND.with(|f| f.borrow().iter().filter(|(w, _)| w.id != WINDOW_ETHEREUM_ID).map(|(w, _)| w.clone()).collect());
    if let Some(injected) = Eip1193Provider::window_ethereum() {
        let announced = FOUND.with(|f| f.borrow().iter().any(|(w, p)| w.id != WINDOW_ETHEREUM_ID && p.is(&injected)));
        FOUND.with(|f| {
            let mut f = f.borrow_mut();
            f.retain(|(w, _)| w.id != WINDOW_ETHEREUM_ID);
            if !announced {
                let info =
                    WalletInfo { id: WINDOW_ETHEREUM_ID.into(), name: "Browser wallet".into(), icon: None, rdns: None };
                f.push((info.clone(), injected));
                list.push(info);
            }
        });
    }
    list
}

fn field(detail: &JsValue, path: &[&str]) -> Option<JsValue> {
    path.iter().try_fold(detail.clone(), |v, k| Reflect::get(&v, &JsValue::from_str(k)).ok())
}

fn text(detail: &JsValue, path: &[&str]) -> String {
    field(detail, path).and_then(|v| v.as_string()).unwrap_or_default()
}

/// Listens for announcements for the page's lifetime, asks wallets to
/// announce themselves, and calls `on_change` with the whole list each time it grows.
pub fn discover_wallets(on_change: impl Fn(Vec<WalletInfo>) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let on_change = std::rc::Rc::new(on_change);
    let report = on_change.clone();
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Ok(custom) = event.dyn_into::<web_sys::CustomEvent>() else { return };
        let detail = custom.detail();
        let Some(provider) = field(&detail, &["provider"]).and_then(Eip1193Provider::from_js) else { return };
        let Some(info) = wallet_info(
            &text(&detail, &["info", "uuid"]),
            &text(&detail, &["info", "name"]),
            &text(&detail, &["info", "icon"]),
            &text(&detail, &["info", "rdns"]),
        ) else {
            return;
        };
        let added = FOUND.with(|f| {
            let mut f = f.borrow_mut();
            // A wallet announces again on every request; its uuid says it is the same one.
            if f.iter().any(|(w, _)| w.id == info.id) {
                return false;
            }
            f.push((info, provider));
            true
        });
        if added {
            report(listed());
        }
    });
    let _ = window.add_event_listener_with_callback("eip6963:announceProvider", listener.as_ref().unchecked_ref());
    listener.forget();
    if let Ok(request) = web_sys::Event::new("eip6963:requestProvider") {
        let _ = window.dispatch_event(&request);
    }
    on_change(listed());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_icon_is_kept_only_as_a_data_image() {
        let svg = "data:image/svg+xml;base64,PHN2Zz4=";
        assert_eq!(wallet_info("u", "W", svg, "io.w").and_then(|w| w.icon).as_deref(), Some(svg));
        assert_eq!(wallet_info("u", "W", "https://evil.example/track.png", "io.w").and_then(|w| w.icon), None);
        assert_eq!(wallet_info("u", "W", "javascript:alert(1)", "io.w").and_then(|w| w.icon), None);
        assert_eq!(wallet_info("u", "W", "data:text/html,<script>", "io.w").and_then(|w| w.icon), None);
    }

    #[test]
    fn a_name_is_needed_and_trimmed_to_something_displayable() {
        assert_eq!(wallet_info("u", "  ", "", "io.w"), None);
        assert_eq!(wallet_info("", "W", "", "io.w"), None);
        let long = "W".repeat(500);
        let w = wallet_info("u", &format!("{long}\u{7}"), "", "").unwrap();
        assert_eq!(w.name.len(), 60);
        assert_eq!(w.rdns, None);
        assert_eq!(w.remember_key(), WINDOW_ETHEREUM_ID);
        assert_eq!(
            wallet_info("u", "Test", "", "dev.ballast.testwallet").unwrap().remember_key(),
            "dev.ballast.testwallet"
        );
    }
}
