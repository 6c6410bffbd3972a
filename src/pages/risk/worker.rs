//! The page's side of the risk worker: start it when a run starts, hand it
//! the request once it says it is ready, pass its messages on, and
//! terminate it to cancel. A fresh worker per run, so a cancelled run can
//! never post into the next one; the browser caches its wasm.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::risk_worker::{WorkerMessage, WORKER_SCRIPT};

/// A running worker; dropping it terminates it.
pub struct RiskWorker {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl RiskWorker {
    /// Starts a worker for one request (JSON); `on_message` gets every
    /// message after `Ready`, and a `Failed` one if the worker cannot load.
    pub fn start(request: String, on_message: impl Fn(WorkerMessage) + 'static) -> Result<Self, String> {
        let worker = Worker::new(WORKER_SCRIPT)
            .map_err(|e| format!("the risk worker ({WORKER_SCRIPT}) could not start: {}", describe(&e)))?;
        let on_message = std::rc::Rc::new(on_message);
        let to_worker = worker.clone();
        let deliver = on_message.clone();
        let message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let parsed = event
                .data()
                .as_string()
                .ok_or_else(|| "the risk worker sent something other than JSON text".to_owned())
                .and_then(|text| {
                    serde_json::from_str::<WorkerMessage>(&text)
                        .map_err(|e| format!("the risk worker's message could not be read: {e}"))
                });
            match parsed {
                Ok(WorkerMessage::Ready) => {
                    if let Err(e) = to_worker.post_message(&JsValue::from_str(&request)) {
                        deliver(WorkerMessage::Failed {
                            message: format!("the run could not be sent: {}", describe(&e)),
                        });
                    }
                }
                Ok(m) => deliver(m),
                Err(message) => deliver(WorkerMessage::Failed { message }),
            }
        });
        let error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            let detail = event.message();
            on_message(WorkerMessage::Failed {
                message: if detail.is_empty() {
                    format!("the risk worker ({WORKER_SCRIPT}) failed to load")
                } else {
                    format!("the risk worker failed: {detail}")
                },
            });
        });
        worker.set_onmessage(Some(message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(error.as_ref().unchecked_ref()));
        Ok(Self { worker, _on_message: message, _on_error: error })
    }
}

impl Drop for RiskWorker {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| format!("{e:?}"))
}
