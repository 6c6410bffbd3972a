//! One HTTP exchange with a deadline, over gloo-net, retried per a
//! [`RetryPolicy`] when the failure may pass.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Request, RequestBuilder};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::RequestCredentials;

use super::backoff::RetryPolicy;

/// Why an HTTP exchange gave no body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("{host} did not answer within {secs} s")]
    Timeout { host: String, secs: u32 },
    #[error("could not reach {host}: {reason}")]
    Network { host: String, reason: String },
    #[error("{host} answered HTTP {status}")]
    Status { host: String, status: u16 },
}

impl HttpError {
    /// A failure that may not happen again (not a 4xx, which will).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Network { .. } => true,
            Self::Status { status, .. } => *status == 429 || *status >= 500,
        }
    }
}

/// The host part of a URL, for messages (never the path: it may hold an API key).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest).to_owned()
}

/// A POST (with `body`) or GET, its body read as text within `timeout_ms`.
pub async fn fetch_text(url: &str, body: Option<&str>, timeout_ms: u32) -> Result<String, HttpError> {
    fetch_text_with(url, body, timeout_ms, None).await
}

/// [`fetch_text`] with an `Authorization` header when `authorization` is
/// given (e.g. `Bearer <the user's Pyth key>`). The header is the only place
/// a credential goes: never the URL, never an error message.
pub async fn fetch_text_with(
    url: &str,
    body: Option<&str>,
    timeout_ms: u32,
    authorization: Option<&str>,
) -> Result<String, HttpError> {
    let host = host_of(url);
    let controller = web_sys::AbortController::new()
        .map_err(|_| HttpError::Network { host: host.clone(), reason: "no AbortController".into() })?;
    let timed_out = Rc::new(Cell::new(false));
    let on_timeout = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let timer = web_sys::window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            i32::try_from(timeout_ms).unwrap_or(i32::MAX),
        )
        .ok()
    });
    let outcome = exchange(url, body, authorization, &controller.signal(), &host).await;
    if let (Some(window), Some(timer)) = (web_sys::window(), timer) {
        window.clear_timeout_with_handle(timer);
    }
    drop(on_timeout);
    match outcome {
        Err(_) if timed_out.get() => Err(HttpError::Timeout { host, secs: timeout_ms.div_ceil(1000) }),
        other => other,
    }
}

async fn exchange(
    url: &str,
    body: Option<&str>,
    authorization: Option<&str>,
    signal: &web_sys::AbortSignal,
    host: &str,
) -> Result<String, HttpError> {
    let network = |e: gloo_net::Error| HttpError::Network { host: host.to_owned(), reason: e.to_string() };
    // No cookies or HTTP auth of the browser's own go with any request: the
    // only credential sent is the one the user gave for this endpoint.
    let with_auth = |request: RequestBuilder| {
        let request = request.credentials(RequestCredentials::Omit).abort_signal(Some(signal));
        match authorization {
            Some(value) => request.header("authorization", value),
            None => request,
        }
    };
    let response = match body {
        Some(body) => {
            with_auth(Request::post(url).header("content-type", "application/json"))
                .body(body.to_owned())
                .map_err(network)?
                .send()
                .await
        }
        None => with_auth(Request::get(url)).send().await,
    }
    .map_err(network)?;
    if !response.ok() {
        return Err(HttpError::Status { host: host.to_owned(), status: response.status() });
    }
    response.text().await.map_err(network)
}

/// [`fetch_text`], tried again after transient failures as `retry` allows.
pub async fn fetch_text_retrying(
    url: &str,
    body: Option<&str>,
    timeout_ms: u32,
    retry: RetryPolicy,
) -> Result<String, HttpError> {
    fetch_text_retrying_with(url, body, timeout_ms, retry, None).await
}

/// [`fetch_text_with`], tried again after transient failures as `retry`
/// allows (a 401 or 403 is not transient: it is not retried).
pub async fn fetch_text_retrying_with(
    url: &str,
    body: Option<&str>,
    timeout_ms: u32,
    retry: RetryPolicy,
    authorization: Option<&str>,
) -> Result<String, HttpError> {
    let mut attempt = 1;
    loop {
        match fetch_text_with(url, body, timeout_ms, authorization).await {
            Err(e) if e.is_transient() => match retry.delay_before(attempt + 1) {
                Some(delay) => {
                    sleep_ms(delay).await;
                    attempt += 1;
                }
                None => return Err(e),
            },
            outcome => return outcome,
        }
    }
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, i32::try_from(ms).unwrap_or(i32::MAX));
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_host_not_the_key() {
        assert_eq!(host_of("https://eth-mainnet.g.alchemy.com/v2/SECRET"), "eth-mainnet.g.alchemy.com");
        assert_eq!(host_of("http://127.0.0.1:8545"), "127.0.0.1:8545");
        let e = HttpError::Status { host: "rpc.example".into(), status: 503 };
        assert!(e.is_transient());
        assert!(!HttpError::Status { host: "rpc.example".into(), status: 403 }.is_transient());
        assert!(HttpError::Timeout { host: "h".into(), secs: 8 }.is_transient());
        assert_eq!(HttpError::Timeout { host: "h".into(), secs: 8 }.to_string(), "h did not answer within 8 s");
    }
}
