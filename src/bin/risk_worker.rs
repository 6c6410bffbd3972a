//! The risk worker: its own wasm, loaded by the Risk page into a Web Worker
//! (Trunk's `data-type="worker"`), so a simulation never blocks the page.
//! The protocol and the work are in `ballast_web::risk_worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    use ballast_web::risk_worker::{handle_request, WorkerMessage};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post = {
        let scope = scope.clone();
        move |m: WorkerMessage| {
            let _ = scope.post_message(&JsValue::from_str(&m.to_json()));
        }
    };
    let now = {
        let performance = scope.performance();
        move || performance.as_ref().map_or(0.0, |p| p.now())
    };
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| match event.data().as_string() {
            Some(json) => handle_request(&json, &now, &post),
            None => post(WorkerMessage::Failed { message: "the request was not a JSON string".to_owned() }),
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its handler.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str(&WorkerMessage::Ready.to_json()));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ballast-risk-worker runs in a browser's Web Worker; see ballast_web::risk_worker");
}
