//! The risk worker's protocol: what the Risk page and its Web Worker say to
//! each other, and the worker's side of it, kept apart from the browser so
//! it is tested natively.
//!
//! The worker (`src/bin/risk_worker.rs`, its own wasm) posts [`WorkerMessage::Ready`]
//! once loaded; the page then posts one [`RiskRequest`] as JSON; the worker
//! answers with [`WorkerMessage::Progress`] after every chunk of paths and
//! ends with [`WorkerMessage::Done`] or [`WorkerMessage::Failed`]. The page
//! cancels by terminating the worker. Messages are JSON strings.

use ballast_core::risk::run::{Progress, RiskReport, RiskRequest, RiskRun};
use serde::{Deserialize, Serialize};

/// The worker's bundle as Trunk writes it (`data-type="worker"` files keep
/// the binary's name, and the loader shim imports the glue and the wasm).
pub const WORKER_SCRIPT: &str = "ballast-risk-worker_loader.js";

/// Progress messages per run: often enough for a smooth bar, few enough to cost nothing.
const PROGRESS_STEPS: u32 = 20;

/// A message from the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WorkerMessage {
    /// Loaded and listening.
    Ready,
    Progress(Progress),
    Done {
        report: Box<RiskReport>,
        /// Time spent simulating and summarising, in the worker, ms.
        elapsed_ms: f64,
    },
    Failed {
        message: String,
    },
}

impl WorkerMessage {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"kind":"failed","message":"the report could not be written as JSON: {e}"}}"#)
        })
    }
}

/// Runs one request (JSON) in chunks, posting progress and then the report
/// or what was wrong. `now` reads a clock in milliseconds.
pub fn handle_request(json: &str, now: impl Fn() -> f64, mut post: impl FnMut(WorkerMessage)) {
    let started = now();
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let request: RiskRequest = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(r) => r,
        Err(e) => return post(WorkerMessage::Failed { message: format!("request {}: {}", e.path(), e.inner()) }),
    };
    let mut run = match RiskRun::new(request) {
        Ok(run) => run,
        Err(e) => return post(WorkerMessage::Failed { message: e.to_string() }),
    };
    let chunk = run.progress().total.div_ceil(PROGRESS_STEPS).max(1);
    while run.progress().done < run.progress().total {
        match run.advance(chunk) {
            Ok(progress) => post(WorkerMessage::Progress(progress)),
            Err(e) => return post(WorkerMessage::Failed { message: e.to_string() }),
        }
    }
    match run.finish() {
        Ok(report) => post(WorkerMessage::Done { report: Box::new(report), elapsed_ms: now() - started }),
        Err(e) => post(WorkerMessage::Failed { message: e.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ballast_core::risk::run::{demo_market, run, RunOptions};
    use ballast_core::risk::Tails;
    use ballast_core::Snapshot;

    fn request(paths: u32) -> RiskRequest {
        let snapshot = Snapshot::parse(include_str!("../public/snapshot.json")).unwrap();
        RiskRequest {
            scenario: snapshot.scenario("aave-demo").unwrap(),
            market: demo_market(&snapshot).unwrap().inputs,
            options: RunOptions { horizon_days: 7, paths, seed: 3, tails: Tails::StudentT { degrees_of_freedom: 4.0 } },
        }
    }

    fn messages(json: &str) -> Vec<WorkerMessage> {
        let mut posted = Vec::new();
        handle_request(json, || 0.0, |m| posted.push(m));
        // Every message survives the trip as JSON.
        for m in &posted {
            assert_eq!(&serde_json::from_str::<WorkerMessage>(&m.to_json()).unwrap(), m);
        }
        posted
    }

    #[test]
    fn posts_twenty_progress_steps_then_the_engines_report() {
        let posted = messages(&serde_json::to_string(&request(1000)).unwrap());
        assert_eq!(posted.len(), 21);
        assert_eq!(posted[0], WorkerMessage::Progress(Progress { done: 50, total: 1000 }));
        assert_eq!(posted[19], WorkerMessage::Progress(Progress { done: 1000, total: 1000 }));
        let WorkerMessage::Done { report, .. } = &posted[20] else { panic!("{:?}", posted[20]) };
        assert_eq!(**report, run(request(1000)).unwrap());
    }

    #[test]
    fn a_bad_request_fails_with_the_field_named() {
        let posted = messages(r#"{"scenario":{}}"#);
        let [WorkerMessage::Failed { message }] = posted.as_slice() else { panic!("{posted:?}") };
        assert!(message.starts_with("request scenario"), "{message}");
        let mut bad = request(10);
        bad.options.paths = 0;
        let posted = messages(&serde_json::to_string(&bad).unwrap());
        let [WorkerMessage::Failed { message }] = posted.as_slice() else { panic!("{posted:?}") };
        assert!(message.starts_with("options.paths: is 0"), "{message}");
    }
}
