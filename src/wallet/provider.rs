//! An EIP-1193 provider object, called through `js_sys::Reflect`: `request`
//! becomes an async call with JSON in and out, `on` a listener.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::error::WalletError;

/// An injected wallet's provider (EIP-1193).
#[derive(Debug, Clone)]
pub struct Eip1193Provider(JsValue);

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn to_js(value: &Value) -> Result<JsValue, WalletError> {
    let text = serde_json::to_string(value).map_err(|e| WalletError::BadAnswer(e.to_string()))?;
    JSON::parse(&text).map_err(|_| WalletError::BadAnswer("parameters do not convert".into()))
}

fn to_json(value: &JsValue) -> Value {
    if value.is_undefined() || value.is_null() {
        return Value::Null;
    }
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or(Value::Null)
}

/// The typed error of a rejected `request`.
fn error_of(thrown: &JsValue, method: &str) -> WalletError {
    let code = get(thrown, "code").and_then(|c| c.as_f64()).map(|c| c as i64);
    let message = get(thrown, "message").and_then(|m| m.as_string()).unwrap_or_else(|| "no message".into());
    let data = get(thrown, "data").map(|d| to_json(&d));
    WalletError::from_parts(code, &message, data, method)
}

impl Eip1193Provider {
    /// The object, if it has a `request` function.
    pub fn from_js(value: JsValue) -> Option<Self> {
        get(&value, "request").filter(JsValue::is_function).map(|_| Self(value))
    }

    /// `window.ethereum`, the pre-EIP-6963 way wallets are found.
    pub fn window_ethereum() -> Option<Self> {
        let window = web_sys::window()?;
        get(&window, "ethereum").and_then(Self::from_js)
    }

    /// Whether this is the very same object as `other`.
    pub fn is(&self, other: &Eip1193Provider) -> bool {
        Object::is(&self.0, &other.0)
    }

    /// `provider.request({ method, params })`, its result as JSON.
    pub async fn request(&self, method: &str, params: &Value) -> Result<Value, WalletError> {
        let args = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&args, &JsValue::from_str(k), v).is_ok();
        let params_js = to_js(params)?;
        if !(set("method", &JsValue::from_str(method)) && (params.is_null() || set("params", &params_js))) {
            return Err(WalletError::BadAnswer("the request could not be built".into()));
        }
        let function = get(&self.0, "request")
            .and_then(|f| f.dyn_into::<Function>().ok())
            .ok_or_else(|| WalletError::BadAnswer("the provider has no request()".into()))?;
        let returned = function.call1(&self.0, &args).map_err(|e| error_of(&e, method))?;
        let promise = Promise::resolve(&returned);
        let result = JsFuture::from(promise).await.map_err(|e| error_of(&e, method))?;
        Ok(to_json(&result))
    }

    /// `provider.on(event, handler)`; the handler gets the event's payload as JSON.
    /// The listener lives as long as the page (one per wallet and event).
    pub fn on(&self, event: &str, handler: impl Fn(Value) + 'static) {
        let Some(on) = get(&self.0, "on").and_then(|f| f.dyn_into::<Function>().ok()) else { return };
        let closure = Closure::<dyn Fn(JsValue)>::new(move |payload: JsValue| handler(to_json(&payload)));
        if on.call2(&self.0, &JsValue::from_str(event), closure.as_ref()).is_ok() {
            closure.forget();
        }
    }
}
