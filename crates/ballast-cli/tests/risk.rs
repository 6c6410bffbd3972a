//! `ballast risk-demo` and `ballast risk`: the Risk page's request and report on the command line.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ballast(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ballast"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ballast runs");
    let _ = child.stdin.take().expect("stdin").write_all(stdin.as_bytes());
    child.wait_with_output().expect("ballast finishes")
}

#[test]
fn a_demo_request_runs_and_reruns_to_the_same_report() {
    let args = ["risk-demo", "public/snapshot.json", "--position", "maker-demo", "--paths", "500", "--horizon", "7"];
    let request = ballast(&args, "");
    assert!(request.status.success(), "{}", String::from_utf8_lossy(&request.stderr));
    let request = String::from_utf8(request.stdout).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&request).unwrap();
    assert_eq!(
        parsed["options"],
        serde_json::json!({"horizon_days": 7, "paths": 500, "seed": 1, "tails": {"kind": "normal"}})
    );
    let first = ballast(&["risk", "-"], &request);
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(report["probability_by_day"].as_array().unwrap().len(), 8);
    assert_eq!(report["quality"][0]["asset"], "ETH");
    assert_eq!(ballast(&["risk", "-"], &request).stdout, first.stdout);
}

#[test]
fn bad_requests_name_the_problem_and_exit_2() {
    let out = ballast(&["risk", "-"], r#"{"scenario": 1}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("scenario"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = ballast(&["risk-demo", "public/snapshot.json", "--position", "aave-demo", "--paths", "many"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--paths \"many\""));
}
